"""What a report admits about missed targets and unfinished work (shared by SCORE002 and STRUCT004)."""

from __future__ import annotations

from govlint._record import Tuple
from govlint.patterns import lex_re
from govlint.rules._util import SpanSet, alternation, grouped_alternations
from govlint.document import Document
from govlint.quantities import find_quantities

KIND_ZH = {"unmet": "目标未完成", "unquantified": "指标未细化量化", "unfinished": "工作尚未完成"}


class Admission(Tuple):
    """A sentence in which the report admits a shortfall."""

    kind: str        # unmet, unquantified, unfinished
    start: int       # the sentence that says it
    end: int
    text: str        # the matched words
    share: float | None = None   # the part missed (0–1) when the sentence's figures tell it


def _skip_spans(doc: Document) -> list[tuple[int, int]]:
    """Heading titles at levels 1–2 (绩效目标未完成原因 is a heading, not an admission)."""
    return [(h.marker_start, h.title_end) for h in doc.headings if h.level <= 2]


_W = "shortfall"      # the word patterns of this module: lexicons/shortfall.toml [patterns]
_TARGET_RX = lex_re(_W, "patterns", "target_word")
# actual Q, target Q: 奖补企业58家，目标值60家; 为1086名老年人提供服务，目标值1200人
ACTUAL_THEN_TARGET = lex_re(_W, "patterns", "actual_then_target")
# target Q, actual Q: 计划新建道路12公里，实际完成9公里
TARGET_THEN_ACTUAL = lex_re(_W, "patterns", "target_then_actual")
# words of indicators where less is better, or targets that are ceilings
LOWER_IS_BETTER = lex_re(_W, "patterns", "lower_is_better")


_PEOPLE = {"人": "人", "名": "人"}


def _comparable(a, b) -> bool:
    if a.kind != b.kind or a.chinese or b.chinese or a.kind == "points":
        return False
    return a.kind != "count" or _PEOPLE.get(a.unit, a.unit) == _PEOPLE.get(b.unit, b.unit)


def _clause_start(text: str, i: int) -> int:
    return max(text.rfind(c, 0, i) for c in "，,；;：:。") + 1


def _clause_end(text: str, i: int) -> int:
    ends = [j for j in (text.find(c, i) for c in "，,；;。") if j >= 0]
    return min(ends) if ends else len(text)


def numeric_shortfalls(text: str) -> list[tuple[int, int, str, float]]:
    """(start, end, words, part missed) for an actual figure below the target stated beside it in ``text``.

    Two forms: "奖补企业58家，目标值60家" and "计划新建道路12公里，实际完成9公里". Indicators
    where less is better (成本, 时间, 事故, 以内…) are left alone.
    """
    if not _TARGET_RX.search(text):
        return []
    qs = find_quantities(text)
    out = []
    for a, b in zip(qs, qs[1:]):
        if not _comparable(a, b):
            continue
        between = text[a.end:b.start]
        if ACTUAL_THEN_TARGET.match(between):
            actual, target = a, b
            if _TARGET_RX.search(text[_clause_start(text, a.start):a.start]):
                continue          # two targets in a row
        elif TARGET_THEN_ACTUAL.match(between):
            if not _TARGET_RX.search(text[_clause_start(text, a.start):a.start]):
                continue
            actual, target = b, a
        else:
            continue
        scope = text[_clause_start(text, a.start):_clause_end(text, b.end)]
        if LOWER_IS_BETTER.search(scope):
            continue
        if actual.value < target.value * (1 - 1e-9):
            out.append((min(a.start, b.start), max(a.end, b.end),
                        f"{actual.text}（目标{target.text}）", 1 - actual.value / target.value))
    return out


_PERCENT_DONE = lex_re(_W, "patterns", "percent_done")


def textual_share(sentence: str, at: int) -> float | None:
    """The part missed, from the figures of a sentence admitting a shortfall in words.

    "30辆救护车中28辆已交付，2辆尚未到位": the count nearest before the admission words (2)
    over the largest comparable count of the sentence (30). "完成率仅92%": 8%. None when
    the sentence does not say (no figures, or only one).
    """
    m = _PERCENT_DONE.search(sentence)
    if m and 0 < float(m.group(1)) < 100:
        return 1 - float(m.group(1)) / 100
    qs = [q for q in find_quantities(sentence) if q.kind in ("count", "length", "area", "money") and not q.chinese]
    before = [q for q in qs if q.end <= at]
    if not before:
        return None
    near = before[-1]
    peers = [q for q in qs if _comparable(q, near)]
    total = max(q.value for q in peers)
    if total <= 0 or total <= near.value:
        return None
    return near.value / total


def admissions(doc: Document, lex: dict) -> list[Admission]:
    """Every sentence admitting an unmet target, unquantified indicators or unfinished work."""
    pats = grouped_alternations(tuple((k, tuple(lex[k])) for k in ("unmet", "unquantified", "unfinished")))
    denial = alternation(tuple(lex["denials"]))
    skip = SpanSet(_skip_spans(doc))
    out: list[Admission] = []
    for s in doc.sentences:
        if denial.search(s.text):
            continue
        for kind, rx in pats:
            for m in rx.finditer(s.text):
                a = s.start + m.start()
                if a in skip:
                    continue
                out.append(Admission(kind, s.start, s.end, m.group(0),
                                     textual_share(s.text, m.start()) if kind != "unquantified" else None))
                break
            else:
                continue
            break
        else:
            for a, b, words, share in numeric_shortfalls(s.text):
                if s.start + a in skip:
                    continue
                out.append(Admission("unmet", s.start, s.end, words, share))
                break
    return out
