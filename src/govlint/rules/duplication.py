"""DUP001: a passage that repeats an earlier passage of the same report.

Paragraph bodies (after an inline heading title) are split into clauses at ，；。！？：.
Clauses are compared after normalisation (punctuation and spaces dropped, each run of
digits replaced by one "0"), so changed figures do not hide a copy. A later paragraph's
clauses are matched against every clause (and pair of adjacent clauses) of an earlier
paragraph with rapidfuzz's ratio; consecutive matched clauses form a copied run, in any
order on the earlier side, which handles reordered clauses. Candidate pairs are chosen
first by shared character 4-grams through an inverted index, so the cost stays near
linear for ordinary reports.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from govlint._record import Record
from govlint.rules._util import lazy_re
from govlint.document import HAN, Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import Option, rule
from govlint.rules._measure import figures

_KEEP = lazy_re(f"[{HAN}A-Za-z0-9]")
_CLAUSE_END = lazy_re(r"[，,；;。！？!?：:\n]")
_GRAM = 4
_COMMON_GRAM = 60     # grams shared by more paragraphs than this do not vote
_MAX_SOURCES = 48     # earlier passages compared with one paragraph: the most similar (a report pasted
                      # into itself compared every copy with every earlier one); the most any of the
                      # 806 documents of ../shared/corpus needs is 36, so real findings are unchanged


class Clause(Record):
    """A clause of a passage, normalised for comparison."""

    __slots__ = ("start", "end", "norm", "has_figure")
    _repr_fields = __slots__

    def __init__(self, start: int, end: int, norm: str, has_figure: bool):
        self.start = start
        self.end = end
        self.norm = norm
        self.has_figure = has_figure


class Unit(Record):
    """A passage (paragraph) split into clauses, with its character n-grams."""

    __slots__ = ("index", "start", "end", "clauses", "norm", "grams")
    _repr_fields = ("index", "start", "end", "norm")

    def __init__(self, index: int, start: int, end: int, clauses: list[Clause], norm: str, grams: set):
        self.index = index
        self.start = start
        self.end = end
        self.clauses = clauses
        self.norm = norm
        self.grams = grams


def _normalise(s: str) -> str:
    out = []
    prev_digit = False
    for ch in s:
        if ch == _MASK:                      # a named entity (see govlint.ner): one symbol
            if not out or out[-1] != "◆":
                out.append("◆")
            prev_digit = False
            continue
        if ch.isdigit():
            if not prev_digit:
                out.append("0")
            prev_digit = True
            continue
        if ch in ".．" and prev_digit:
            continue
        prev_digit = False
        if _KEEP.match(ch):
            out.append(ch.lower())
    return "".join(out)


_MASK = "\x00"


def _masked_text(doc: Document) -> str:
    """The text with named entities blanked out (same length), when a spaCy pipeline is available."""
    from govlint import ner
    spans = ner.entities(doc.text)
    if not spans:
        return doc.text
    chars = list(doc.text)
    for a, b, _ in spans:
        chars[a:b] = _MASK * (b - a)
    return "".join(chars)


_PROSE_TITLE = lazy_re(r"[，,；;：:。]")
_W = "boilerplate"    # the word patterns of this module: lexicons/boilerplate.toml [duplication]
_LEAD_LABEL = lex_re(_W, "duplication", "lead_label")


def _units(doc: Document, lex) -> list[Unit]:
    text = _masked_text(doc)
    units = []
    for p in doc.paragraphs:
        if p.is_title:
            continue
        a = p.body_start
        h = p.heading
        if h is not None and _PROSE_TITLE.search(text, h.marker_end, h.title_end):
            a = h.marker_end       # "2.项目实施：项目实行…": the heading line is prose after its label
        while a < p.end and text[a] in " \t\u3000":
            a += 1
        m = _LEAD_LABEL.match(text, a, p.end)
        if m and m.end() < p.end:
            a = m.end()            # a lead-in label (质量管理： / 一是 / 在资金管理方面，) is not compared
        if a >= p.end:
            continue
        clauses = []
        pos = a
        for m in _CLAUSE_END.finditer(text, a, p.end):
            if m.start() > pos:
                seg = text[pos:m.start()]
                clauses.append(Clause(pos, m.start(), _normalise(seg), bool(figures(seg, lex))))
            pos = m.end()
        if pos < p.end:
            seg = text[pos:p.end]
            clauses.append(Clause(pos, p.end, _normalise(seg), bool(figures(seg, lex))))
        clauses = [c for c in clauses if c.norm]
        norm = "".join(c.norm for c in clauses)
        grams = {norm[i:i + _GRAM] for i in range(len(norm) - _GRAM + 1)}
        units.append(Unit(p.index, a, p.end, clauses, norm, grams))
    return units


class Run(Record):
    """Consecutive clauses of a later passage matching an earlier one."""

    __slots__ = ("start", "end", "src_start", "src_end", "chars", "score", "whole", "src_unit")
    _repr_fields = ("start", "end", "src_start", "src_end", "chars", "score", "whole")

    def __init__(self, start: int, end: int, src_start: int, src_end: int, chars: int, score: float,
                 whole: bool, src_unit: Unit):
        self.start = start
        self.end = end
        self.src_start = src_start
        self.src_end = src_end
        self.chars = chars
        self.score = score
        self.whole = whole
        self.src_unit = src_unit


# --- clause similarity: rapidfuzz's fuzz.ratio, or the same numbers in Python ----------------
# Importing rapidfuzz costs ~29 M instructions (~6 ms), more than a whole ordinary report's
# comparisons in Python (the sample report: 78 comparisons of ~13 characters). So the first
# _PY_BUDGET characters compared in a process go through _extract_one_py, which returns
# exactly what process.extractOne(..., scorer=fuzz.ratio, processor=None) returns (the same
# Indel distance, the same floating-point steps and cut-offs: tests/test_duplication_ratio.py
# compares them), and rapidfuzz takes over after that.
_PY_BUDGET = 10_000
_py_spent = 0


def _ratio_py(masks: dict, m: int, b: str, score_cutoff: float) -> float:
    """fuzz.ratio(a, b, score_cutoff=score_cutoff) for ``a`` of length ``m`` given by its bit masks.

    The Indel distance is len(a) + len(b) − 2·LCS; the LCS length by Hyyrö's bit-parallel
    recurrence. The score follows rapidfuzz's normalized similarity step by step."""
    full = (1 << m) - 1
    v = full
    for ch in b:
        u = v & masks.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    lcs = m - v.bit_count()
    maximum = m + len(b)
    dist = maximum - 2 * lcs
    sc = score_cutoff / 100
    norm_dist = dist / maximum if maximum else 0.0
    if norm_dist > min(1.0, 1.0 - sc + 0.00001):
        norm_dist = 1.0
    norm_sim = 1.0 - norm_dist
    return (norm_sim if norm_sim >= sc else 0.0) * 100


def _extract_one_py(query: str, choices: list[str], score_cutoff: float):
    """process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=...)."""
    masks: dict[str, int] = {}
    for i, ch in enumerate(query):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    m = len(query)
    result = None
    for k, choice in enumerate(choices):
        score = _ratio_py(masks, m, choice, score_cutoff)
        if score >= score_cutoff and (result is None or score > result[1]):
            score_cutoff = score
            result = (choice, score, k)
        if score == 100:
            break
    return result


def _extract_one(query: str, choices: list[str], score_cutoff: float):
    global _py_spent
    if _py_spent < _PY_BUDGET:
        _py_spent += sum(map(len, choices))
        return _extract_one_py(query, choices, score_cutoff)
    from rapidfuzz import fuzz, process
    return process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=score_cutoff)


def _match_runs(later: Unit, earlier: Unit, cutoff: float, min_chars: int) -> list[Run]:
    # candidates on the earlier side: single clauses and adjacent pairs
    cands = []
    cl = earlier.clauses
    for k, c in enumerate(cl):
        cands.append((c.norm, c.start, c.end))
        if k + 1 < len(cl):
            cands.append((c.norm + cl[k + 1].norm, c.start, cl[k + 1].end))
    status = []   # per later clause: None (tiny), False, or (score, src_start, src_end)
    norms = [norm for norm, _, _ in cands]
    for c in later.clauses:
        if len(c.norm) < 4:
            status.append(None)
            continue
        # candidates of a similar length; the best at or above the cutoff is scored in C
        window = max(4, 0.3 * len(c.norm))
        near = [k for k, n in enumerate(norms) if abs(len(n) - len(c.norm)) <= window]
        hit = _extract_one(c.norm, [norms[k] for k in near], cutoff * 100) if near else None
        if hit is None:
            status.append(False)
            continue
        _, score, k = hit
        k = near[k]
        status.append((score / 100.0, cands[k][1], cands[k][2]))
    runs = []
    total = len(later.norm)
    k = 0
    n = len(later.clauses)
    while k < n:
        if not status[k]:
            k += 1
            continue
        j = k
        members = []
        while j < n and status[j] is not False:
            if status[j]:
                members.append(j)
            j += 1
        # trim trailing tiny clauses
        first, last = members[0], members[-1]
        chars = sum(len(later.clauses[m].norm) for m in members)
        fig_share = sum(later.clauses[m].has_figure for m in members) / len(members)
        if chars >= min_chars and fig_share <= 0.5:
            weighted = sum(status[m][0] * len(later.clauses[m].norm) for m in members) / chars
            span_chars = len("".join(c.norm for c in later.clauses[first:last + 1]))
            runs.append(Run(later.clauses[first].start, later.clauses[last].end,
                            min(status[m][1] for m in members), max(status[m][2] for m in members),
                            chars, weighted, span_chars >= 0.9 * total, earlier))
        k = j
    return runs


# 年度目标： / 产出目标： / 满意度目标为 — a passage that states targets
_TARGET_LEAD = lex_re(_W, "duplication", "target_lead")
_TARGET_SECTION = lex_re(_W, "duplication", "target_section")
_LABEL_END = lazy_re(r"[：:]")
_RESULT_WORDS = lex_re(_W, "duplication", "result_words")


def _declares_target(doc: Document, unit: Unit) -> bool:
    """A passage stating the targets: restating it as the result is formulaic, not copying."""
    if _TARGET_LEAD.match(doc.text, unit.start):
        return True
    p = doc.paragraphs[unit.index]
    if p.heading is not None and _TARGET_LEAD.match(p.heading.title):
        return True
    sec = p.section
    if sec is None or sec.heading is None:
        return False
    title = sec.title
    cut = _LABEL_END.search(title)
    if cut and cut.start() > 0:
        title = title[:cut.start()]      # "产出目标：新建…完成…": the label says what the line is
    return bool(_TARGET_SECTION.search(title)) and not _RESULT_WORDS.search(title)


def _target_unit(doc: Document, units: list[Unit], i: int, memo: dict[int, bool]) -> bool:
    if i not in memo:
        memo[i] = _declares_target(doc, units[i])
    return memo[i]


@rule(code="DUP001", name="copied-passage", severity=Severity.WARNING, profiles=("self-eval",),
      options={"threshold": Option(0.85, float, "clause similarity (0–1) for two clauses to count as the same",
                                   min=0.5, max=1.0),
               "min_chars": Option(30, int, "shortest repeated passage reported, in characters without punctuation",
                                   min=4)},
      bad=["2023年度村级道路硬化项目绩效自评报告\n二、项目实施情况\n1.质量管理。项目实行监理全过程旁站，隐蔽工程经监理签字后方可进入下道工序，"
           "材料进场实行见证取样送检制度。\n三、绩效指标完成情况\n（二）效益指标\n"
           "⟦项目实行监理全过程旁站，隐蔽工程经监理签字后方可进入下道工序，材料进场实行见证取样送检制度⟧。\n"],
      good=["2023年度薄弱学校改造项目绩效自评报告\n（一）绩效目标\n年度目标：新建校舍3栋，改造运动场2个，购置教学设备120台套。\n"
            "（二）完成情况\n新建校舍3栋，改造运动场2个，购置教学设备120台套。\n",
            "2023年度薄弱学校改造项目绩效自评报告\n（一）产出指标\n无。\n（二）效益指标\n无。\n"])
def copied_passage(doc: Document, ctx):
    """A paragraph or run of sentences repeats an earlier passage of the same report, verbatim or nearly.

    Names and figures may have changed and clauses may be reordered: clauses are compared
    with figures masked, and a run of consecutive matching clauses of at least
    ``min_chars`` characters is reported at the later place, with the earlier passage as
    related location and the similarity in the message. Short lines, restatements that
    are mostly figures, and targets restated as results (the earlier passage opens with
    年度目标： or sits in a 绩效目标 section) are not copies.

    Why: reviewers deduct for reports assembled by pasting ("照搬照抄", "重复一个部分扣1分");
    an indicator analysis that repeats the implementation narrative says nothing about
    results.
    """
    cutoff = float(ctx.options["threshold"])
    if cutoff > 1:
        cutoff /= 100.0
    min_chars = int(ctx.options["min_chars"])
    units = _units(doc, ctx.lex)
    targets: dict[int, bool] = {}
    index: dict[str, list[int]] = defaultdict(list)
    need = max(6, min_chars // 2)
    text = doc.text
    for j, u in enumerate(units):
        if len(u.norm) >= min_chars:
            votes: Counter = Counter()
            for g in u.grams:
                posting = index.get(g)
                if posting and len(posting) <= _COMMON_GRAM:
                    votes.update(posting)
            runs: list[Run] = []
            cands = [i for i, n in votes.items() if n >= need and not _target_unit(doc, units, i, targets)]
            if len(cands) > _MAX_SOURCES:
                keep = set(sorted(cands, key=lambda i: (-votes[i], i))[:_MAX_SOURCES])
                cands = [i for i in cands if i in keep]
            for i in cands:
                runs.extend(_match_runs(u, units[i], cutoff, min_chars))
            chosen: list[Run] = []
            for r in sorted(runs, key=lambda r: (-r.chars, -r.score, r.src_start)):
                if any(r.start < c.end and c.start < r.end for c in chosen):
                    continue
                chosen.append(r)
            for r in sorted(chosen, key=lambda r: r.start):
                src_line = doc.line_col(r.src_start)[0]
                # Word: 第14段 or the table cell; Excel: Sheet1!B7; PDF: 第2页第7行 (Document.place)
                src_place = (doc.place(r.src_start) if doc.has_places else "") or f"第{src_line}行"
                what = "整段" if r.whole else "部分内容"
                src_sec = doc.section_at(r.src_start)
                where = f"（“{src_sec.title[:16]}”）" if src_sec.heading is not None else ""
                yield ctx.flag(
                    r.start, r.end,
                    f"本段{what}与{src_place}{where}的内容重复（相似度{round(r.score * 100)}%）",
                    suggestion="删除重复内容，改写为本部分应有的分析（如指标完成值和效果数据）",
                    related=[ctx.related(r.src_start, r.src_end, note="首次出现的位置")],
                    data={"similarity": round(r.score, 3), "source_line": src_line,
                          "chars": r.chars, "excerpt": text[r.start:r.end][:40]})
        for g in u.grams:
            index[g].append(j)
