"""NUM001's sub-checks on parts and totals: counts whose parts do not reach them (count_parts),
"其余…" remainders that do not fit (rest), and rates that do not follow from the counts stated
(rate_from_counts). The rule and its other sub-checks are in ``numbers``."""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.quantities import find_counts, find_quantities, fmt
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [numbers_parts]; compiled on first use
_W = "number_words"
_TOTAL_BEFORE = lex_re(_W, "numbers_parts", "total_before")
_BREAKDOWN_AFTER = lex_re(_W, "numbers_parts", "breakdown_after")
_CHANGE = lex_re(_W, "numbers_parts", "change")
_NAME_LEAD = lex_re(_W, "numbers_parts", "name_lead")
_NAME_TAIL = lex_re(_W, "numbers_parts", "name_tail")
_REST_LABEL = lex_re(_W, "numbers_parts", "rest_label")
_OPENS_BREAKDOWN = lex_re(_W, "numbers_parts", "opens_breakdown")
_HEAD_PARTICLE = lex_re(_W, "numbers_parts", "head_particle")
_HEAD_TAIL = lex_re(_W, "numbers_parts", "head_tail")

# building numbers: 1#、2#… 18#栋, 1#-6#

PART_KINDS = ("count", "length", "area")
CONJ = lex_re(_W, "numbers_parts", "conj")


def _strip_parens(seg: str) -> str:
    """Bracketed asides (含…, 其中…) blanked out, offsets kept."""
    return re.sub(r"[（(][^（()）]*[）)]", lambda m: " " * len(m.group(0)), seg)


def _label(t: str, end: int, stop: str = "，,；;：:（(、。") -> str:
    """The words right before offset ``end`` back to the previous clause or list boundary."""
    a = max(t.rfind(c, 0, end) for c in stop)
    return t[a + 1:end]


def _same_measure(a, b) -> bool:
    """Two quantities that can be added: same kind, and for counts (and lengths and areas,
    where a width in 米 is not a part of a road in 公里) the same unit."""
    return a.kind == b.kind and a.unit == b.unit and not a.chinese and not b.chinese


SEG_MAX = 400      # a 其中 breakdown is a clause, not pages: longer runs are not read as one
_SEG_END = re.compile(r"[）)。；;]")


def _check_count_parts(ctx, p):
    """共126公里，其中主管网48公里、入户管网68公里: parts of a count, length or area that do not add up.

    More in the parts than in the total is always reported; less only when the total names
    each part (主管网和入户管网共126公里), so the parts are the whole.
    """
    t = p.text
    for m in _TOTAL_BEFORE.finditer(t):
        qs = [q for q in find_quantities(t[m.end():m.end() + 20]) if q.start == 0]
        if not qs or qs[0].kind not in PART_KINDS or qs[0].chinese:
            continue
        total = qs[0]
        k = _BREAKDOWN_AFTER.match(t, m.end() + total.end)
        if not k:
            continue
        base = k.end()
        end = _SEG_END.search(t, base, base + SEG_MAX + 1)
        if end is None and len(t) - base > SEG_MAX:
            continue       # no clause end within reach: a run-on text, not a breakdown
        seg = _strip_parens(t[base:end.start() if end else len(t)])
        if _CHANGE.search(seg):
            continue
        parts = [q for q in find_quantities(seg) if _same_measure(q, total)]
        if len(parts) < 2:
            continue
        got = sum(q.value for q in parts)
        if not total.value or not total.number:
            continue          # a total of 0 (共0公里) has no parts to reconcile
        unit = total.unit
        tol = 1e-6 * max(total.value, 1)
        if got > total.value + tol:
            msg = f"其中各项合计{fmt(got / (total.value / total.number))}{unit}，多于总数{total.text}"
        elif got < total.value - tol and _parts_are_whole(t[:m.start()], seg, parts):
            msg = f"其中各项合计{fmt(got / (total.value / total.number))}{unit}，少于总数{total.text}"
        else:
            continue
        a = m.end()
        yield ctx.flag(p.start + a + total.start, p.start + a + total.end, msg,
                       suggestion="核对总数与分项数",
                       related=[ctx.related(p.start + base + q.start, p.start + base + q.end, note="分项")
                                for q in parts],
                       severity=Severity.WARNING,
                       data={"total": total.value, "parts": got})


def _parts_are_whole(head: str, seg: str, parts) -> bool:
    """The total's own words name every part (铺设主管网和入户管网共…，其中主管网…、入户管网…;
    新建和改造渠道共…，其中新建渠道…、改造渠道…)."""
    cut = max(head.rfind(c) for c in "，,；;。：:")
    label = head[cut + 1:]
    if not CONJ.search(label):
        return False
    for q in parts:
        name = _NAME_LEAD.sub("", _label(seg, q.start)).strip()
        name = _NAME_TAIL.sub("", name)
        if len(name) < 2 or (name not in label and name[:2] not in label):
            return False
    return True


def _part_of(part, total) -> bool:
    """A part counted in the total's unit; 个 also counts 个村 / 个乡镇 ("20个村中已有13个…")."""
    return part.unit == total.unit or (part.unit == "个" and total.unit.startswith("个"))


# "14栋住宅楼中", "12台设备中", "，其中": the count before it is a whole; "3栋施工中" is not
WHOLE_OF = lex_re(_W, "numbers_parts", "whole_of")
IN_PROGRESS = lex_re(_W, "numbers_parts", "in_progress")


def _whole_of(t: str, q) -> bool:
    m = WHOLE_OF.match(t, q.end)
    return bool(m) and not (m.group("noun") and IN_PROGRESS.search(m.group("noun")))


REST_WORDS = lex_re(_W, "numbers_parts", "rest_words")
REST_NUMBER = lex_re(_W, "numbers_parts", "rest_number")


def _check_rest(ctx, p):
    """14栋住宅楼中已有9栋封顶，其余4栋…: the parts and "the rest" must make the whole."""
    for s in p.sentences:
        t = s.text
        counts = find_counts(t, arabic_only=True)
        for i, total in enumerate(counts):
            if not _whole_of(t, total):
                continue
            if _REST_LABEL.search(_label(t, total.start)):
                continue
            parts, rest = [], None
            for q in counts[i + 1:]:
                if not _part_of(q, total):
                    continue
                head = _label(t, q.start)
                if parts and _OPENS_BREAKDOWN.match(head) or _whole_of(t, q):
                    parts = []   # a breakdown of a part, not another part: leave it
                    break
                if re.search(r"[（(][^）)]*$", t[total.end:q.start]):
                    continue     # inside brackets
                parts.append(q)
                if REST_WORDS.search(_HEAD_PARTICLE.sub("", head)):
                    rest = q
                    break
            if rest is None or len(parts) < 2:
                continue
            got = sum(q.value for q in parts)
            if got == total.value:
                continue
            named = "+".join(fmt(q.value) for q in parts)
            yield ctx.flag(s.start + rest.start, s.start + rest.end,
                           f"{named}={fmt(got)}{rest.unit}，与总数{total.text}不符",
                           suggestion="核对总数与已完成、其余部分的数量",
                           related=[ctx.related(s.start + total.start, s.start + total.end, note="总数")]
                                   + [ctx.related(s.start + q.start, s.start + q.end, note="分项")
                                      for q in parts[:-1]],
                           severity=Severity.WARNING, data={"total": total.value, "parts": got})


# --- a rate stated with the two counts it is computed from --------------------------------

RATE_NAME = lex_re(_W, "numbers_parts", "rate_name")
TOTAL_MARKERS = lex_re(_W, "numbers_parts", "total_markers")
SUBSET = lex_re(_W, "numbers_parts", "subset")
NOT_A_SHARE = lex_re(_W, "numbers_parts", "not_a_share")
UNIT_FAMILY = {"人": "人", "名": "人", "人次": "人", "户": "户", "户次": "户"}


def _family(q) -> str:
    return UNIT_FAMILY.get(q.unit, q.unit)


def _close(stated: float, n: float, d: float) -> bool:
    return d > 0 and abs(n / d * 100 - stated) <= 1.0


def _subset_base(doc: Document, before: int, x: str, family: str):
    """The last count before ``before`` whose own words end with ``x`` (考核合格1012人 for 合格学员中)."""
    for p in reversed([p for p in doc.paragraphs if p.start < before]):
        t = doc.text[p.start:min(p.end, before)]
        for q in reversed(find_counts(t, arabic_only=True)):
            if _family(q) != family:
                continue
            head = _HEAD_TAIL.sub("", _label(t, q.start))
            if head.endswith(x):
                return q, p.start
    return None


def _check_rate_from_counts(ctx, doc: Document, p):
    """受助学生1472人次 of 在校生4120人 stated as 42.5%: the rate does not follow from its counts."""
    for s in p.sentences:
        t = s.text
        qs = find_quantities(t)
        for ri, r in enumerate(qs):
            if r.kind != "rate" or r.value > 100:
                continue
            name = _label(t, r.start)
            m = RATE_NAME.search(name)
            if not m or NOT_A_SHARE.search(name):
                continue
            key = m.group("key")
            counts = [q for q in qs[:ri] if q.kind == "count" and not q.chinese]
            nums = [q for q in counts if key in _label(t, q.start)]
            if not nums:
                continue
            n = nums[-1]
            if any(q.kind == "rate" for q in qs[qs.index(n) + 1:ri]) or _OPENS_BREAKDOWN.match(name):
                continue         # a second rate (of a subgroup) after the first
            fam = _family(n)
            bases = []    # (quantity, absolute offset of the text it was found in)
            others = []   # any other count that could be the base: a match there clears the rate
            for q in counts:
                if q.start >= n.start or _family(q) != fam or q.value < n.value:
                    continue
                others.append(q)
                head = _label(t, q.start)
                if key not in head and TOTAL_MARKERS.search(head):
                    bases.append((q, s.start))
            if _OPENS_BREAKDOWN.match(_label(t, n.start)) and counts.index(n) > 0:
                q = counts[counts.index(n) - 1]
                if _family(q) == fam and q.value >= n.value:
                    bases.append((q, s.start))
            sub = SUBSET.search(_label(t, n.start, stop="，,；;：:（(。"))
            if not bases and sub:
                found = _subset_base(doc, s.start + n.start, sub.group("x"), fam)
                if found:
                    bases.append(found)
            if not bases:
                continue
            tries = [q.value for q in nums if _family(q) == fam] + [sum(q.value for q in nums if _family(q) == fam)]
            if any(_close(r.value, nv, b.value) for nv in tries for b in [*(b for b, _ in bases), *others]):
                continue
            b, off = bases[-1]
            computed = n.value / b.value * 100
            yield ctx.flag(s.start + r.start, s.start + r.end,
                           f"{m.group(0).rstrip('为是达到约仅只有高：: ')}写为{r.text}，"
                           f"按{n.text}÷{b.text}计算应为{fmt(computed, 1)}%",
                           suggestion=f"核对{n.text}、{b.text}和{r.text}，或写明比率的计算口径",
                           related=[ctx.related(s.start + n.start, s.start + n.end, note="分子"),
                                    ctx.related(off + b.start, off + b.end, note="分母")],
                           severity=Severity.WARNING,
                           data={"stated": r.value, "computed": round(computed, 2)})


# --- one quantity stated twice with different figures ------------------------------------

