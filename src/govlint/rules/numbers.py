"""NUM001: counts, lists, progress figures and ratios in one passage that contradict each other."""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.quantities import find_areas, find_counts, find_quantities, fmt
from govlint.registry import Option, rule

# building numbers: 1#、2#… 18#栋, 1#-6#
_BNUM = r"(\d{1,3})\s*#"
LIST_RX = re.compile(rf"第?{_BNUM}(?:\s*(?:栋|幢|号楼|楼))?(?:\s*(?:、|,|，|及|和|-|—|~|～|至|到)\s*第?{_BNUM}(?:\s*(?:栋|幢|号楼|楼))?)+")
BUILDING_UNITS = ("栋", "幢", "座")
START_WORDS = re.compile(r"开工|动工")
LATER_WORDS = re.compile(r"封顶|主体完工|竣工|完工|交付使用|建成")
NOT_SAME_SCOPE = re.compile(r"累计|历年|以来|含|其中|另有|剩余|计划|拟")
CLAUSE = re.compile(r"[^，,；;。]+")


def _list_numbers(text: str) -> set[int]:
    """The building numbers a list names, ranges (1#-6#) expanded."""
    nums: set[int] = set()
    tokens = re.findall(rf"{_BNUM}|(-|—|~|～|至|到)", text)
    prev = None
    pending_range = False
    for num, dash in tokens:
        if dash:
            pending_range = prev is not None
            continue
        n = int(num)
        if pending_range and prev is not None and prev < n <= prev + 200:
            nums.update(range(prev, n + 1))
        else:
            nums.add(n)
        prev, pending_range = n, False
    return nums


def _check_lists(ctx, p):
    t = p.text
    for m in LIST_RX.finditer(t):
        nums = _list_numbers(m.group(0))
        # the count right after the list (…18#栋共17栋) or right before it (共17栋：1#…)
        after = re.match(r"\s*(?:栋|幢)?\s*(?:等)?\s*(?:共|合计|共计|计)\s*(\d+)\s*(栋|幢|座)", t[m.end():])
        before = re.search(r"(?:共|合计|共计|计)\s*(\d+)\s*(栋|幢|座)[^，。；\d#]{0,8}[：:（(]?\s*第?$", t[:m.start()])
        hit = after or before
        if not hit or re.match(r"\s*等", t[m.end():]):
            continue
        stated = int(hit.group(1))
        if stated == len(nums):
            continue
        base = m.end() if after else 0
        a, b = p.start + base + hit.start(1), p.start + base + hit.end(2)
        yield ctx.flag(a, b, f"写明共{stated}{hit.group(2)}，但所列编号为{len(nums)}{hit.group(2)}",
                       suggestion="核对栋数与所列楼栋编号",
                       related=[ctx.related(p.start + m.start(), p.start + m.end(), note="所列编号")],
                       severity=Severity.WARNING, data={"stated": stated, "listed": len(nums)})


def _check_progress(ctx, p):
    """More buildings topped out / completed than were started, in one paragraph."""
    t = p.text
    started: dict[str, tuple[float, int, int]] = {}
    last: dict[str, tuple[float, int, int]] = {}
    for cm in CLAUSE.finditer(t):
        clause = cm.group(0)
        counts = [q for q in find_counts(clause, arabic_only=True) if q.unit in BUILDING_UNITS]
        if START_WORDS.search(clause) and not NOT_SAME_SCOPE.search(clause):
            if counts:
                q = counts[-1]
                started[q.unit] = (q.value, cm.start() + q.start, cm.start() + q.end)
            elif re.match(r"\s*(?:并|且|均|已|都|目前已)", clause):
                for unit, v in last.items():
                    started[unit] = v
        elif LATER_WORDS.search(clause) and counts and not NOT_SAME_SCOPE.search(clause):
            for q in counts:
                s = started.get(q.unit)
                if s and q.value > s[0]:
                    a, b = p.start + cm.start() + q.start, p.start + cm.start() + q.end
                    yield ctx.flag(a, b, f"已{LATER_WORDS.search(clause).group(0)}{fmt(q.value)}{q.unit}，"
                                         f"多于前文已开工的{fmt(s[0])}{q.unit}",
                                   suggestion="核对开工数与完成数",
                                   related=[ctx.related(p.start + s[1], p.start + s[2], note="开工数")],
                                   severity=Severity.WARNING, data={"started": s[0], "later": q.value})
        for q in counts:
            last[q.unit] = (q.value, cm.start() + q.start, cm.start() + q.end)


def _labelled_area(t: str, label: re.Pattern, exclude: re.Pattern):
    out = []
    for q in find_areas(t):
        head = t[max(0, q.start - 10):q.start]
        cut = max(head.rfind("，"), head.rfind("，"), head.rfind("；"), head.rfind("（"))
        head = head[cut + 1:]
        if label.search(head) and not exclude.search(head):
            out.append(q)
    return out


RATIO_QUALIFIERS = re.compile(r"地下|地上|计容|净用地|代征|不含|含")


def _check_ratios(ctx, p, tol: float):
    t = p.text
    land = _labelled_area(t, re.compile(r"占地|用地"), re.compile(r"建筑占地|基底|绿地"))
    floor = _labelled_area(t, re.compile(r"建筑面积"), re.compile(r"基底|占地|地下|地上|计容|门面|单栋|每栋"))
    base = _labelled_area(t, re.compile(r"基底面积|建筑占地"), re.compile(r"$^"))
    green = _labelled_area(t, re.compile(r"绿地面积|绿化面积"), re.compile(r"$^"))
    if len(land) != 1:
        return
    checks = [("容积率", floor, False), ("建筑密度", base, True), ("绿地率", green, True)]
    for name, num, percent in checks:
        if len(num) != 1:
            continue
        rx = re.compile(rf"{name}(?:为|约为|：|:|约|达)?\s*(\d+(?:\.\d+)?)\s*(%|％)?")
        for m in rx.finditer(t):
            if percent != bool(m.group(2)):
                continue
            stated = float(m.group(1))
            computed = num[0].value / land[0].value * (100 if percent else 1)
            if abs(computed - stated) <= max(tol * max(stated, 1e-9), 0.01 if not percent else 0.1):
                continue
            certain = not RATIO_QUALIFIERS.search(t)
            unit = "%" if percent else ""
            yield ctx.flag(p.start + m.start(1), p.start + m.end(),
                           f"{name}写为{m.group(1)}{unit}，按{num[0].text}÷{land[0].text}计算应为{fmt(computed)}{unit}",
                           suggestion=f"核对{name}及其依据的面积（如{name}按计容面积或净用地计算，请注明）",
                           related=[ctx.related(p.start + num[0].start, p.start + num[0].end, note="分子"),
                                    ctx.related(p.start + land[0].start, p.start + land[0].end, note="分母")],
                           severity=Severity.WARNING if certain else Severity.INFO,
                           data={"stated": stated, "computed": round(computed, 4)})


def _check_conversions(ctx, p):
    """An area restated in another unit in brackets: 47000平方米（70.5亩）."""
    t = p.text
    areas = find_areas(t)
    for q1, q2 in zip(areas, areas[1:]):
        between = t[q1.end:q2.start]
        if not re.fullmatch(r"\s*[（(]\s*(?:约|合|折合|即)?\s*", between) or q1.unit == q2.unit:
            continue
        if not re.match(r"\s*[）)]", t[q2.end:]):
            continue
        lo, hi = sorted((q1.value, q2.value))
        if lo <= 0 or (hi - lo) / hi <= 0.01:
            continue
        yield ctx.flag(p.start + q2.start, p.start + q2.end,
                       f"{q1.text}折合约{fmt(q1.to(q2.unit))}{q2.unit}，括号中写为{q2.text}",
                       suggestion=f"{fmt(q1.to(q2.unit))}{q2.unit}",
                       related=[ctx.related(p.start + q1.start, p.start + q1.end)],
                       severity=Severity.WARNING)


def _check_count_parts(ctx, p):
    """共21栋（其中安置房19栋、公建2栋）: parts of one unit adding up to more than the total."""
    t = p.text
    for m in re.finditer(r"(?:共|合计|共计|总计)\s*(\d+)\s*(栋|幢|座|个|户|人|所|家|套|项|条|处|间)[，,（(：:\s]*其中[：:]?", t):
        total, unit = int(m.group(1)), m.group(2)
        end = re.search(r"[）)。；]", t[m.end():])
        seg = t[m.end():m.end() + (end.start() if end else len(t))]
        parts = [q for q in find_counts(seg, arabic_only=True) if q.unit == unit]
        if len(parts) < 2 or re.search(r"增加|减少|较上年|比上年", seg):
            continue
        got = sum(q.value for q in parts)
        if got > total:
            yield ctx.flag(p.start + m.start(1), p.start + m.end(2),
                           f"其中各项合计{fmt(got)}{unit}，多于总数{total}{unit}",
                           suggestion="核对总数与分项数",
                           related=[ctx.related(p.start + m.end() + q.start, p.start + m.end() + q.end, note="分项")
                                    for q in parts],
                           severity=Severity.WARNING)


@rule(code="NUM001", name="inconsistent-counts", severity=Severity.INFO,
      options={"ratio_tolerance": Option(0.03, float, "relative difference tolerated between a stated and a "
                                                       "computed ratio (容积率, 建筑密度, 绿地率)")},
      bad=["已签约的1#、2#、3#、5#栋共⟦5栋⟧已开工建设。",
           "安置房共17栋已开工建设，目前⟦18栋⟧已完成封顶。",
           "小区占地47000平方米，规划建筑面积72932平方米，容积率⟦1.67⟧。"],
      good=["已签约的1#-6#、8#-18#栋共17栋已开工建设，目前15栋已完成封顶。",
            "小区共占地47000平方米（70.5亩），规划建筑面积72932平方米，容积率1.55。",
            "规划建筑共21栋（其中安置房19栋，公用建筑2栋）。"])
def inconsistent_counts(doc: Document, ctx):
    """Figures in one passage contradict each other: a count and the list it counts, progress, ratios, conversions.

    Checks, each within one paragraph: "共N栋" against the building numbers listed with it
    (1#、2#…, ranges 1#-6# expanded); more buildings topped out or completed than started;
    容积率 / 建筑密度 / 绿地率 against the areas given (``ratio_tolerance``); an area restated in
    brackets in another unit (47000平方米（70.5亩）); parts of a count adding up to more than
    the total. Certain contradictions are warnings; a ratio where the passage mentions
    地下 / 计容 / 净用地 (a different basis) is only a hint.

    Why: 数据前后不一致、不勾稽 is the most reliable sign that a report was not checked
    (RULEBOOK §2.2 P8, §4.4 N2/N3); reviewers recompute such figures first.
    """
    tol = float(ctx.options["ratio_tolerance"])
    for p in doc.paragraphs:
        t = p.text
        if "#" in t or "＃" in t:
            yield from _check_lists(ctx, p)
        if START_WORDS.search(t) and LATER_WORDS.search(t):
            yield from _check_progress(ctx, p)
        if re.search(r"容积率|建筑密度|绿地率", t):
            yield from _check_ratios(ctx, p, tol)
        if "（" in t or "(" in t:
            yield from _check_conversions(ctx, p)
        if "其中" in t:
            yield from _check_count_parts(ctx, p)
