"""NUM001: counts, lists, progress figures and ratios in one passage that contradict each other."""

from __future__ import annotations

import re

from govlint.rules._util import lazy_re
from govlint.document import Document
from govlint.finding import Severity
from govlint.quantities import find_areas, find_counts, fmt, normalize_digits
from govlint.registry import Option, rule
from govlint.rules.numbers_parts import REST_NUMBER, _check_count_parts, _check_rate_from_counts, _check_rest, _label
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [numbers]; compiled on first use
_W = "number_words"
_BUILDING_TOTAL_AFTER = lex_re(_W, "numbers", "building_total_after")
_BUILDING_TOTAL_BEFORE = lex_re(_W, "numbers", "building_total_before")
_ETC_AFTER = lex_re(_W, "numbers", "etc_after")
_NUMBERED_ITEMS = lex_re(_W, "numbers", "numbered_items")
_CLAUSE_GOES_ON = lex_re(_W, "numbers", "clause_goes_on")
_LAND_LABEL = lex_re(_W, "numbers", "land_label")
_LAND_NOT = lex_re(_W, "numbers", "land_not")
_FLOOR_LABEL = lex_re(_W, "numbers", "floor_label")
_FLOOR_NOT = lex_re(_W, "numbers", "floor_not")
_BASE_LABEL = lex_re(_W, "numbers", "base_label")
_GREEN_LABEL = lex_re(_W, "numbers", "green_label")
_CONVERSION_BETWEEN = lex_re(_W, "numbers", "conversion_between")
_RATIO_NAMES = lex_re(_W, "numbers", "ratio_names")
_RATIO_FLOOR = lex_re(_W, "numbers", "ratio_floor")
_RATIO_BASE = lex_re(_W, "numbers", "ratio_base")
_RATIO_GREEN = lex_re(_W, "numbers", "ratio_green")
_LIST_TOKENS = lex_re(_W, "numbers", "list_tokens")

# building numbers: 1#、2#… 18#栋, 1#-6#
LIST_RX = lex_re(_W, "numbers", "list_rx")
START_WORDS = lex_re(_W, "numbers", "start_words")
LATER_WORDS = lex_re(_W, "numbers", "later_words")
NOT_SAME_SCOPE = lex_re(_W, "numbers", "not_same_scope")
CLAUSE = lazy_re(r"[^，,；;。]+")


def _list_numbers(text: str) -> set[int]:
    """The building numbers a list names, ranges (1#-6#) expanded."""
    nums: set[int] = set()
    tokens = _LIST_TOKENS.findall(text)
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
        after = _BUILDING_TOTAL_AFTER.match(t[m.end():])
        before = _BUILDING_TOTAL_BEFORE.search(t[:m.start()])
        hit = after or before
        if not hit or _ETC_AFTER.match(t[m.end():]):
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


ENUM_RX = lex_re(_W, "numbers", "enum_rx")
_LAST_JOIN = lex_re(_W, "numbers", "last_join")


def _check_enumeration(ctx, p):
    """"N项，分别为A、B、C": the stated number against the items listed (RULEBOOK §4.4 N2)."""
    from govlint.document import cn_to_int
    t = p.text
    for m in ENUM_RX.finditer(t):
        n = int(m.group("n")) if m.group("n").isdigit() else cn_to_int(m.group("n").replace("两", "二"))
        end = re.search(r"[。；;\n]", t[m.end():])
        body = t[m.end():m.end() + (end.start() if end else len(t) - m.end())]
        if not n or n < 2 or "等" in body or _NUMBERED_ITEMS.search(body):
            continue
        items = [i for i in re.split(r"[、，,]", body) if i.strip()]
        if "，" in body or "," in body:
            continue      # a clause follows the list: where it ends is not certain
        if items and len(items) >= 1 and not any(_LAST_JOIN.search(i) for i in items[:-1]):
            last = _LAST_JOIN.split(items[-1])
            if len(last) == 2 and all(x.strip() for x in last):
                items = items[:-1] + last
        if len(items) < 2 or any(len(i.strip()) > 25 for i in items) or len(items) == n:
            continue
        a, b = p.start + m.start("n"), p.start + m.end("u")
        unit = m.group("u")
        yield ctx.flag(a, b, f"写明{m.group('n')}{unit}{m.group('what')}，但列出的是{len(items)}{unit}",
                       suggestion="核对数量与所列名单，补全遗漏项或改正数量",
                       related=[ctx.related(p.start + m.end(), p.start + m.end() + len(body), note="所列各项")],
                       severity=Severity.WARNING, data={"stated": n, "listed": len(items)})


def _check_progress(ctx, p):
    """More buildings topped out / completed than were started, in one paragraph."""
    t = p.text
    buildings = ctx.lex["number_words"]["numbers"]["building_units"]
    started: dict[str, tuple[float, int, int]] = {}
    last: dict[str, tuple[float, int, int]] = {}
    for cm in CLAUSE.finditer(t):
        clause = cm.group(0)
        counts = [q for q in find_counts(clause, arabic_only=True) if q.unit in buildings]
        if START_WORDS.search(clause) and not NOT_SAME_SCOPE.search(clause):
            if counts:
                q = counts[-1]
                started[q.unit] = (q.value, cm.start() + q.start, cm.start() + q.end)
            elif _CLAUSE_GOES_ON.match(clause):
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


RATIO_QUALIFIERS = lex_re(_W, "numbers", "ratio_qualifiers")


def _check_ratios(ctx, p, tol: float):
    t = p.text
    land = _labelled_area(t, _LAND_LABEL, _LAND_NOT)
    floor = _labelled_area(t, _FLOOR_LABEL, _FLOOR_NOT)
    base = _labelled_area(t, _BASE_LABEL, re.compile(r"$^"))
    green = _labelled_area(t, _GREEN_LABEL, re.compile(r"$^"))
    if len(land) != 1:
        return
    checks = [(_RATIO_FLOOR, floor, False), (_RATIO_BASE, base, True), (_RATIO_GREEN, green, True)]
    for rx, num, percent in checks:
        if len(num) != 1:
            continue
        for m in rx.finditer(t):
            name = m.group("name")
            if percent != bool(m.group("pct")):
                continue
            stated = float(m.group("value"))
            computed = num[0].value / land[0].value * (100 if percent else 1)
            if abs(computed - stated) <= max(tol * max(stated, 1e-9), 0.01 if not percent else 0.1):
                continue
            certain = not RATIO_QUALIFIERS.search(t)
            unit = "%" if percent else ""
            yield ctx.flag(p.start + m.start("value"), p.start + m.end(),
                           f"{name}写为{m.group('value')}{unit}，按{num[0].text}÷{land[0].text}计算应为{fmt(computed)}{unit}",
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
        if not _CONVERSION_BETWEEN.fullmatch(between) or q1.unit == q2.unit:
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


RESTATE_SKIP = lex_re(_W, "numbers", "restate_skip")
_THREE_DIGITS = lazy_re(r"(?<![\d.,，])[1-9][0-9]{2,}(?![\d.])\s*[\u4e00-\u9fff]")
NOUN_TAIL = lex_re(_W, "numbers", "noun_tail")


def _transposed(a: str, b: str) -> bool:
    """'3460' and '3640': two adjacent, different, non-zero digits swapped."""
    if len(a) != len(b) or len(a) < 3 or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]] and "0" not in (a[diff[0]], a[diff[1]]))


def _restated_key(t: str, q):
    """(noun, unit, label) for a count such as 惠及住户3640户 → ("住户", "户", "惠及住户")."""
    label = NOUN_TAIL.sub("", _label(t, q.start))
    if len(label) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", label[-2:]):
        return None
    return label[-2:], q.unit, label


def _check_restated(ctx, doc: Document):
    """住户3460户 in the overview, 惠及住户3640户 in the outputs: one figure, two spellings."""
    seen: dict[tuple[str, str], list] = {}
    for p in doc.paragraphs:
        if p.heading is not None and p.body_start >= p.end:
            continue
        t = p.text
        if not _THREE_DIGITS.search(t):
            continue
        for q in find_counts(t, arabic_only=True):
            digits = re.sub(r"\D", "", normalize_digits(q.text))
            if q.value != q.number or len(digits) < 3 or "." in q.text:
                continue
            a = max(t.rfind(c, 0, q.start) for c in "，,；;。：:")
            b = min([i for i in (t.find(c, q.end) for c in "，,；;。") if i >= 0] or [len(t)])
            if RESTATE_SKIP.search(t[a + 1:b]):
                continue
            key = _restated_key(t, q)
            if key is None:
                continue
            noun, unit, label = key
            for p0, q0, label0, digits0 in seen.get((noun, unit), []):
                # the same words (惠及住户 … 惠及住户), or a bare list item (…、住户3460户): one
                # subject; 一期安置住户 and 二期安置住户 are two
                same = label == label0 or noun in (label, label0)
                if p0 is p or not same or not _transposed(digits0, digits):
                    continue
                yield ctx.flag(p.start + q.start, p.start + q.end,
                               f"{noun}{q.text}与前文的“{noun}{q0.text}”不一致（数字可能颠倒）",
                               suggestion="核对两处数字，统一为正确的一个",
                               related=[ctx.related(p0.start + q0.start, p0.start + q0.end, note="前文数字")],
                               severity=Severity.INFO, data={"first": q0.value, "later": q.value})
                break
            seen.setdefault((noun, unit), []).append((p, q, label, digits))


NUM001_CHECKS = ("restated", "lists", "progress", "ratios", "conversions", "count_parts", "rest",
                 "enumeration", "rate_from_counts")


def _selected_checks(value) -> frozenset:
    """The NUM001 sub-checks an option value selects: "all", a comma-separated string or a list."""
    names = value if isinstance(value, (list, tuple)) else str(value).replace("，", ",").split(",")
    names = {str(n).strip() for n in names if str(n).strip()}
    return frozenset(NUM001_CHECKS) if not names or "all" in names else frozenset(names)


@rule(code="NUM001", name="inconsistent-counts", severity=Severity.INFO,
      options={"ratio_tolerance": Option(0.03, float, "relative difference tolerated between a stated and a "
                                                       "computed ratio (容积率, 建筑密度, 绿地率)", min=0.0, max=1.0),
               "checks": Option("all", (str, list), "sub-checks to run, comma-separated or a list: restated, "
                                                    "lists, progress, ratios, conversions, count_parts, rest, "
                                                    "enumeration, rate_from_counts (default all)")},
      bad=["已签约的1#、2#、3#、5#栋共⟦5栋⟧已开工建设。",
           "安置房共17栋已开工建设，目前⟦18栋⟧已完成封顶。",
           "小区占地47000平方米，规划建筑面积72932平方米，容积率⟦1.67⟧。"],
      good=["已签约的1#-6#、8#-18#栋共17栋已开工建设，目前15栋已完成封顶。",
            "小区共占地47000平方米（70.5亩），规划建筑面积72932平方米，容积率1.55。",
            "规划建筑共21栋（其中安置房19栋，公用建筑2栋）。"])
def inconsistent_counts(doc: Document, ctx):
    """Figures in one passage contradict each other: a count and the list it counts, progress, ratios, conversions.

    Checks within one paragraph: "共N栋" against the building numbers listed with it
    (1#、2#…, ranges 1#-6# expanded); more buildings topped out or completed than started;
    容积率 / 建筑密度 / 绿地率 against the areas given (``ratio_tolerance``); an area restated in
    brackets in another unit (47000平方米（70.5亩）); parts of a count, length or area adding up
    to more than the total, or to less when the total names every part (主管网和入户管网共126公里，
    其中…); parts and "the rest" not making the whole (14栋中已有9栋封顶，其余4栋…); a rate
    that does not follow from the counts stated with it (在校生4120人，受助学生1472人次，受助比例
    42.5%), the base found in an earlier paragraph when the sentence names it (合格学员中…). Across
    the document: one count written with two adjacent digits swapped (住户3460户 / 惠及住户3640户,
    a hint). A stated number of items against the items it lists (共5项，分别为A、B、C和D; lists
    ending in 等 or continuing with a clause are left alone). The ``checks`` option selects sub-checks by
    name (restated, lists, progress, ratios, conversions, count_parts, rest, enumeration,
    rate_from_counts; default all); the 自评表-against-prose check attached from the table rules
    always runs. Certain contradictions are warnings; a ratio where the passage mentions
    地下 / 计容 / 净用地 (a different basis) is only a hint.

    Why: 数据前后不一致、不勾稽 is the most reliable sign that a report was not checked
    (RULEBOOK §2.2 P8, §4.4 N2/N3); reviewers recompute such figures first.
    """
    tol = float(ctx.options["ratio_tolerance"])
    on = _selected_checks(ctx.options.get("checks", "all"))
    if "restated" in on:
        yield from _check_restated(ctx, doc)
    for p in doc.paragraphs:
        t = p.text
        if "lists" in on and ("#" in t or "＃" in t):
            yield from _check_lists(ctx, p)
        if "progress" in on and START_WORDS.search(t) and LATER_WORDS.search(t):
            yield from _check_progress(ctx, p)
        if "ratios" in on and _RATIO_NAMES.search(t):
            yield from _check_ratios(ctx, p, tol)
        if "conversions" in on and ("（" in t or "(" in t):
            yield from _check_conversions(ctx, p)
        if "count_parts" in on and "其中" in t:
            yield from _check_count_parts(ctx, p)
        if "rest" in on and REST_NUMBER.search(t):
            yield from _check_rest(ctx, p)
        if "enumeration" in on and ("分别" in t or "即" in t or "具体" in t):
            yield from _check_enumeration(ctx, p)
        if "rate_from_counts" in on and re.search(r"[%％]", t):
            yield from _check_rate_from_counts(ctx, doc, p)
