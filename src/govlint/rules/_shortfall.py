"""What a report admits about missed targets and unfinished work (shared by SCORE002 and STRUCT004)."""

from __future__ import annotations

import re

from govlint._record import Tuple
from govlint.rules._util import SpanSet, alternation, grouped_alternations, lazy_re
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


TARGET_WORD = r"(?:年度)?(?:目标值|目标数|目标任务|目标|计划值|计划数|计划任务|计划(?!生育)|任务数)"
_TARGET_RX = lazy_re(TARGET_WORD)
# actual Q, target Q: 奖补企业58家，目标值60家; 为1086名老年人提供服务，目标值1200人
ACTUAL_THEN_TARGET = lazy_re(rf"^[^，,。；;：:\d%％]{{0,24}}[，,]\s*{TARGET_WORD}(?:为|是|：|:)?\s*(?:不低于|不少于|达到)?\s*$")
# target Q, actual Q: 计划新建道路12公里，实际完成9公里
TARGET_THEN_ACTUAL = lazy_re(r"^\s*[，,]\s*(?:全年|年度|截至[^，,]{0,12})?(?:实际|仅|只|已)?(?:完成|建成|实现|达到)"
                                r"[^，,。；;\d其中的]{0,10}$|^\s*[，,]\s*实际[^，,。；;\d其中的]{0,10}$")
# words of indicators where less is better, or targets that are ceilings
LOWER_IS_BETTER = lazy_re(r"以内|以下|不超过|不高于|控制在|≤|成本|单价|均价|造价|费用|发生率|事故|投诉|失业|辍学|"
                             r"缩短|时间|天数|时限|误差|超支|降低|下降|减少|上年|去年|同比|累计|"
                             # a total over several years is no annual target
                             r"总投资|总规模|总任务|总计|总量|分年|分期|[两三四五]年")


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
            if re.search(TARGET_WORD, text[_clause_start(text, a.start):a.start]):
                continue          # two targets in a row
        elif TARGET_THEN_ACTUAL.match(between):
            if not re.search(TARGET_WORD, text[_clause_start(text, a.start):a.start]):
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


_PERCENT_DONE = lazy_re(r"(?:完成率|执行率|到位率|完成)(?:仅|只|为|达|达到|是)*\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")


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
