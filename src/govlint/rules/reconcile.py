"""Numbers that must agree across the whole report, read from the figure model (govlint.figures).

FUND003 low execution or arrival rate with no reason anywhere; FUND004 a total that is not the
sum of count × standard; and the helpers the other reconciliation rules share: NUM002 one fact
stated with two values (rules/restated.py), NUM003 an amount whose unit cannot be right
(rules/amounts.py), IND004 / IND005 an actual against its target (rules/targets.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from govlint.document import Document
from govlint.figures import Figure, model
from govlint.figures import quantities_in as find_quantities
from govlint.finding import Severity
from govlint.quantities import Quantity, decimals, fmt
from govlint.quantities import money_wan as _money_wan
from govlint.registry import Option, also, rule
from govlint.rules import funds as _funds  # noqa: F401  (registers FUND002 before its @also below)
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [reconcile]; compiled on first use
_W = "number_words"
_RATE_LABEL_END = lex_re(_W, "reconcile", "rate_label_end")
_PAID_OUT = lex_re(_W, "reconcile", "paid_out")

RATE_NAME = {"exec_rate": "执行率", "arrival_rate": "到位率"}
_MID_YEAR = lex_re(_W, "reconcile", "mid_year")
_TARGETISH = lex_re(_W, "reconcile", "targetish")


def _rx(words) -> re.Pattern:
    return re.compile("|".join(f"(?:{w})" for w in words))


_COMPILED: dict[tuple, re.Pattern] = {}


def _cached(key: str, words) -> re.Pattern:
    k = (key, tuple(words))
    rx = _COMPILED.get(k)
    if rx is None:
        rx = _COMPILED[k] = _rx(words)
    return rx


def money_wan(x) -> str:
    """A Figure, a Quantity or a value in 元, for messages in 万元."""
    return _money_wan(x.value if isinstance(x, Figure) else x)


def _around(f: Figure, before: int = 30, after: int = 12) -> str:
    """The words around a figure in its sentence (bounded: linear on run-on sentences)."""
    a = f.start - f.sentence.start
    return f.sentence.text[max(0, a - before):a + (f.end - f.start) + after]


def _tol(f: Figure) -> float:
    """Half a unit of the last written digit, in the base unit."""
    mult = f.value / f.number if f.number else 1.0
    m = re.search(r"\.(\d+)", f.text)
    places = len(m.group(1)) if m else 0
    return 0.5 * 10 ** -places * mult + 1e-9


def _top_section(doc: Document, offset: int):
    """The level-1 section holding the offset (一、… 三、), or None before the first heading."""
    tops = doc.root.children       # sections are nested and siblings disjoint: a bisection finds it
    i = bisect_right(tops, offset, key=lambda s: s.start) - 1
    if i >= 0 and tops[i].heading is not None and tops[i].start <= offset < tops[i].end:
        return tops[i]
    for sec in doc.sections:      # before the first heading, or a tree not shaped as expected
        if sec.start <= offset < sec.end:
            return sec
    return None


# ----- FUND003 ---------------------------------------------------------------------------------

def _has_reason(doc: Document, lex: dict, kind: str) -> bool:
    """A causal clause about money anywhere in the report."""
    markers = _cached("reasons", [m.replace("因", "因(?![此而素地])", 1) if m == "因" else m
                                  for m in lex["reasons"]["markers"]])
    money = _cached("money_words", [re.escape(w) for w in lex["reasons"]["money_words"]])
    for s in doc.sentences:
        t = s.text
        if markers.search(t) and money.search(t):
            return True
    return False


def _low_rates(doc: Document, ctx, fm) -> list[tuple[str, float, Figure, str, list]]:
    """(kind, rate, place, how, related) of each rate below the threshold, first per kind."""
    out = []
    seen = set()
    for f in fm:
        if f.kind != "rate" or f.subject not in RATE_NAME or f.subject in seen:
            continue
        if f.qualifiers & {"time", "target", "change"} or f.paren is not None or f.approx:
            continue            # 85%以上 / 约80% is a bound, not the rate
        if f.sentence is not None and _MID_YEAR.search(_around(f, 24, 0)):
            continue            # 截至6月底: a progress figure, not the year's rate
        if f.sentence is not None and _TARGETISH.search(_around(f)):
            continue
        if not _RATE_LABEL_END.search(f.label) and f.source == "text":
            continue
        seen.add(f.subject)
        how = f"报告写明{RATE_NAME[f.subject]}{f.text}" if f.source == "text" else \
            f"自评表中{RATE_NAME[f.subject]}为{f.text}"
        out.append((f.subject, f.value, f, how, []))
    b = None
    for kind, subject, what in (("exec_rate", "actual", "实际支出"), ("arrival_rate", "arrived", "到位资金")):
        if kind in seen:
            continue
        b = _one_plain(fm, "budget") if b is None else b
        a = _one_plain(fm, subject)
        if b is not None and a is not None and b.value > 0 and (b.year == a.year or None in (a.year, b.year)):
            rate = a.value / b.value * 100
            out.append((kind, rate, a, f"按所列金额计算{RATE_NAME[kind]}为{fmt(rate)}%（{what}{money_wan(a)}÷预算{money_wan(b)}）",
                        [ctx.related(b.start, b.end, note="预算数")]))
    return out


def _one_plain(fm, subject: str, doc: Document | None = None, sec=None) -> Figure | None:
    """The figure when the report states exactly one plain value for the subject (the first
    statement of it, or the first in the level-1 section ``sec`` when it is restated there)."""
    figs = [f for f in fm.subject(subject) if f.plain and f.source == "text"]
    vals = {round(f.value, 2) for f in figs}
    if len(vals) != 1:
        return None
    if sec is not None:
        return next((f for f in figs if _top_section(doc, f.start) is sec), figs[0])
    return figs[0]


@rule(code="FUND003", name="low-rate-unexplained", severity=Severity.WARNING,
      options={"threshold": Option(90.0, float, "an execution or arrival rate below this percentage needs a "
                                                "reason in the report", min=0.0, max=100.0)},
      bad=["三、资金使用情况\n项目预算资金500万元，实际支出320万元，预算执行率⟦64%⟧。\n四、绩效目标实现情况\n已完成全部建设内容。\n",
           "三、资金使用情况\n项目预算资金500万元，实际支出⟦320万元⟧。\n"],
      good=["三、资金使用情况\n项目预算资金500万元，实际支出320万元，预算执行率64%。\n"
            "五、偏差原因\n执行率偏低的主要原因是部分工程尚未完成竣工结算，剩余资金将于结算审计后支付。\n",
            "三、资金使用情况\n项目预算资金500万元，实际支出490万元，预算执行率98%。\n"])
def low_rate_unexplained(doc: Document, ctx):
    """An execution or arrival rate below the threshold, stated or computed, with no reason anywhere in the report.

    The rate is the first 执行率 / 到位率 stated in the prose (not a target such as "执行率不低于
    90%", not last year's, not a change "较上年提高"), or the 自评表's 执行率; without a stated
    执行率, the rate computed from the report's single plain budget and single plain spending
    figure; without a stated 到位率, the one computed from the single plain budget and the single
    plain arrived amount (实际到位资金). It is reported when below ``threshold`` (default 90 %) and no sentence of the report
    gives a causal clause about money (因…, 由于…, 受…影响, 主要原因是…, 结余…为…节约资金,
    尚未拨付的…将于…, 质保金, 结转下年 — lexicon ``figures`` ``[reasons]``).

    Example: "项目预算资金500万元，实际支出320万元，预算执行率64%。" with nothing said about the
    remaining 180万元 → FUND003 at "64%"; a sentence "执行率偏低的主要原因是部分工程尚未完成竣工
    结算" anywhere in the report makes it silent.

    Why: 预算执行率低且未说明原因 is one of the first things a financial reviewer asks about; an
    unexplained low rate reads as money left idle (财预〔2020〕10号: 偏差原因分析).
    """
    thr = float(ctx.options["threshold"])
    fm = model(doc, ctx)
    lex = ctx.lex["figures"]
    lows = [x for x in _low_rates(doc, ctx, fm) if x[1] < thr - 1e-9]
    if not lows or _has_reason(doc, lex, "any"):
        return
    for kind, rate, f, how, related in lows:
        name = RATE_NAME[kind]
        gap = "未执行" if kind == "exec_rate" else "未到位"
        yield ctx.flag(f.start, f.end,
                       f"{how}，低于{fmt(thr)}%，但报告中没有说明{gap}资金的原因",
                       suggestion=f"在“资金使用情况”或“偏差原因分析”中说明{name}偏低的原因及{gap}资金的去向，"
                                  f"如“因部分工程尚未完成竣工结算，剩余资金将于审计后支付”",
                       related=related, data={"rate": round(rate, 4), "threshold": thr, "kind": kind})


@also("FUND002")
def rate_against_report_amounts(doc: Document, ctx):
    """A stated 执行率 / 到位率 whose amounts stand in other sentences of the same part: the rate
    computed from the report's single plain budget and single plain spending (or arrived) amount
    differs from the stated one by more than ``rate_tolerance`` points. A warning: the amounts
    are matched by their labels, not by their sentence."""
    fm = model(doc, ctx)
    tol = float(ctx.options["rate_tolerance"])
    for kind, subject, what in (("exec_rate", "actual", "实际支出"), ("arrival_rate", "arrived", "到位资金")):
        rates = [f for f in fm.subject(kind) if f.kind == "rate" and f.source == "text" and f.plain
                 and f.sentence is not None and not _TARGETISH.search(_around(f))
                 and not _MID_YEAR.search(_around(f, 24, 0))]
        if len(rates) != 1:
            continue
        r = rates[0]
        sec = _top_section(doc, r.start)
        b = _one_plain(fm, "budget", doc, sec)
        a = _one_plain(fm, subject, doc, sec)
        if b is None or a is None or b.value <= 0 or a.sentence is r.sentence or b.sentence is r.sentence:
            continue        # one sentence: FUND002's own check
        if len({x.year for x in (r, a, b)} - {None}) > 1:
            continue
        if any(_top_section(doc, x.start) is not sec for x in (a, b)):
            continue
        computed = a.value / b.value * 100
        slack = tol + (_tol(a) / b.value + a.value * _tol(b) / b.value ** 2) * 100
        if abs(computed - r.value) <= slack:
            continue
        yield ctx.flag(r.start, r.end,
                       f"{RATE_NAME[kind]}写为{r.text}，按本部分所列金额计算应为{fmt(computed)}%"
                       f"（{what}{money_wan(a)}÷预算{money_wan(b)}）",
                       suggestion=f"核对{RATE_NAME[kind]}与所列金额；按所列金额应为{fmt(computed)}%",
                       related=[ctx.related(a.start, a.end, note="分子"), ctx.related(b.start, b.end, note="分母")],
                       severity=Severity.WARNING, data={"stated": r.value, "computed": round(computed, 4)})


@also("FUND002")
def table_spent_above_budget(doc: Document, ctx):
    """The 自评表's 全年执行数 above its 全年预算数 (执行率 over 100 %): money spent that the
    budget does not cover. A warning: the table may leave 上年结转 out of the budget."""
    fm = model(doc, ctx)
    got = {f.source: f for f in fm if f.source in ("table:budget_full", "table:executed")}
    b, a = got.get("table:budget_full"), got.get("table:executed")
    if b is None or a is None or b.value <= 0 or a.value <= b.value + max(_tol(a), _tol(b)):
        return
    yield ctx.flag(a.start, a.end,
                   f"自评表全年执行数{money_wan(a)}超过全年预算数{money_wan(b)}"
                   f"（执行率{fmt(a.value / b.value * 100)}%），超出{money_wan(a.value - b.value)}",
                   suggestion="核对全年预算数（是否漏计追加预算或上年结转资金）和全年执行数；确有超支的，说明资金来源和审批依据",
                   related=[ctx.related(b.start, b.end, note="全年预算数")],
                   severity=Severity.WARNING, data={"budget": b.value, "executed": a.value})


# ----- FUND004 ---------------------------------------------------------------------------------

_STANDARD = lex_re(_W, "reconcile", "standard")
_STANDARD_AFTER = lex_re(_W, "reconcile", "standard_after")
_OTHER_MONEY = lex_re(_W, "reconcile", "other_money")
# money words right before a number written with 万 and no 元 ("安排资金19204.096万。"): NUM003
# reports the missing 元, FUND004 still reads the amount
BARE_WAN = lex_re(_W, "reconcile", "bare_wan")


def _with_bare_wan(st: str, qs: list) -> list:
    """The sentence's quantities plus each amount written with 万 and no 元, read as 万元."""
    if "万" not in st:
        return qs
    extra = []
    for m in BARE_WAN.finditer(st):
        a, b = m.start("n"), m.end("n") + 1
        if any(q.start <= a < q.end for q in qs):
            continue
        n = float(m.group("n"))
        extra.append(Quantity("money", n * 1e4, n, "万元", a, b, st[a:b], False))
    return sorted(qs + extra, key=lambda q: q.start) if extra else qs


def _standards(st: str, qs):
    """(money quantity, per unit, time unit) of each per-unit standard in a sentence."""
    out = []
    for q in qs:
        if q.kind != "money":
            continue
        m = _STANDARD.search(st[max(0, q.start - 16):q.start])
        if m:
            out.append((q, m.group("per"), m.group("time")))
            continue
        m = _STANDARD_AFTER.match(st, q.end)
        if m:
            out.append((q, m.group("per"), m.group("time")))
    return out


@rule(code="FUND004", name="quantity-times-standard", severity=Severity.ERROR,
      bad=["改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金⟦100万元⟧。",
           "按每人每年2000元的标准资助家庭经济困难学生1,250人，共发放资助资金⟦240万元⟧。"],
      good=["改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金96万元。",
            "按每人每月300元的标准发放生活补助，共补助82人，发放资金29.52万元。",
            "补助标准为每户4,000元，全年共补助约120户，拨付资金近50万元。"])
def quantity_times_standard(doc: Document, ctx):
    """A stated total that is not the sum of count × per-unit standard written beside it.

    In one sentence: each per-unit standard (每户补助4,000元, 按每人每年2000元, 300元/人) is paired
    with the count of the matching unit next to it (120户, 1,250人, 82名学生); the total is the
    money figure after the items labelled 共/合计/共计/总计/共拨付 (or, with one item, labelled
    发放/拨付/补助资金). A difference beyond the rounding of the written total is an error when
    every factor is stated and per head (or per head per year); a monthly or per-term standard
    needs a duration the sentence may not state and is not multiplied; 约/近/左右 figures, other
    amounts between the items and the total (另安排工作经费…), and a count that cannot be paired
    make no finding.

    Example: "改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金100万元" —
    120×4,000 + 60×8,000 = 96万元, not 100万元.

    Why: a reviewer recomputes every subsidy total from its count and standard first; a total
    that does not follow means a wrong count, a wrong standard or money paid outside the rule.
    """
    lex = ctx.lex["figures"]["standards"]
    aliases = lex.get("unit_alias", {})
    totals = _cached("totals", [re.escape(w) for w in lex["total_markers"]])
    for p in doc.paragraphs:
        if "每" not in p.text and "/" not in p.text:
            continue
        for s in p.sentences:
            st = s.text
            if "每" not in st and "/" not in st:
                continue
            qs = _with_bare_wan(st, [q for q in find_quantities(st) if not q.chinese])
            stds = _standards(st, qs)
            if not stds:
                continue
            yield from _check_standards(ctx, s, st, qs, stds, aliases, totals)


def _check_standards(ctx, s, st, qs, stds, aliases, totals):
    """Walk the sentence once: items (count × standard) accumulate until a total closes them."""
    std_of = {id(q): (per, t) for q, per, t in stds}
    items: list = []          # (count, standard)
    pending: list = []        # standards waiting for a count written after them
    open_counts: list = []    # counts waiting for a standard written after them
    tainted = False           # another amount, a monthly standard or an unpaired standard
    first = None
    for q in qs:
        if id(q) in std_of:
            per, t = std_of[id(q)]
            if t in ("月", "学期", "季", "季度", "周", "天", "日", "次"):
                tainted = True
            c = _pair(st, q, per, open_counts, aliases)
            if c is not None:
                open_counts.remove(c)
                items.append((c, q))
            else:
                pending.append((q, per))
            first = q.start if first is None else first
            continue
        if q.kind in ("count", "area"):
            if _approx(st, q):
                continue
            for j, (sq, per) in enumerate(pending):
                if _pair(st, sq, per, [q], aliases) is not None:
                    items.append((q, sq))
                    del pending[j]
                    break
            else:
                open_counts = [c for c in open_counts if q.start - c.end < 40] + [q]
            continue
        if q.kind != "money":
            continue
        head = st[max(0, q.start - 14):q.start]
        cut = max(head.rfind(c) for c in "，,；;")
        head = head[cut + 1:]
        is_total = bool(items) and (totals.search(head) or (
            len(items) == 1 and _PAID_OUT.search(head)))
        if not is_total:
            if items or pending:
                tainted = True       # another amount among the items
            continue
        if not tainted and not pending and not _approx(st, q) and not _OTHER_MONEY.search(st[first:q.start]) \
                and not re.search(r"[（(][^）)]*$", st[max(0, q.start - 60):q.start]):
            yield from _report_standards(ctx, s, q, items, stds)
        items, pending, open_counts, tainted, first = [], [], [], False, None


def _pair(st, std, per, counts, aliases):
    """The nearest count (within 40 characters) whose unit a standard "每<per>" names."""
    names = aliases.get(per, [per])
    best = None
    for c in counts:
        if c.kind == "area" and (c.unit != "亩" or per != "亩"):
            continue
        unit = c.unit
        noun = st[c.end:c.end + 4]
        if not (unit in names or unit == per or (unit == "名" and per in ("生", "人"))
                or (unit in ("个", "所", "名") and any(noun.startswith(n) for n in names))):
            continue
        d = abs(c.start - std.start)
        if d <= 40 and (best is None or d < abs(best.start - std.start)):
            best = c
    return best


def _report_standards(ctx, s, total, items, stds):
    got = sum((c.number if c.kind == "area" else c.value) * q.value for c, q in items)
    places = decimals(total)
    mult = total.value / total.number if total.number else 1.0
    tol = 0.5 * 10 ** -places * mult + 1e-6
    if abs(got - total.value) <= tol:
        return
    how = " + ".join(f"{c.text}×{q.text}" for c, q in items)
    ids = {id(q) for _c, q in items}
    per_year = any(t == "年" for q, _p, t in stds if id(q) in ids)
    base = s.start
    yield ctx.flag(base + total.start, base + total.end,
                   f"合计{total.text}与所列数量×标准之和不符：{how}＝{money_wan(got)}，"
                   f"相差{money_wan(abs(got - total.value))}",
                   suggestion=f"核对数量、补助标准和合计数；按所列数量和标准，合计应为{money_wan(got)}",
                   related=[ctx.related(base + min(c.start, q.start), base + max(c.end, q.end), note="数量×标准")
                            for c, q in items],
                   severity=Severity.WARNING if per_year or (len(items) == 1 and _loose_pair(items[0]))
                   or not total.text.endswith("元") else None,
                   data={"total": total.value, "computed": got})


def _loose_pair(item) -> bool:
    c, q = item
    return abs(c.start - q.start) > 25


_APPROX_B = lex_re(_W, "reconcile", "approx_b")
_APPROX_A = lex_re(_W, "reconcile", "approx_a")


def _approx(st: str, q) -> bool:
    return bool(_APPROX_B.search(st[max(0, q.start - 3):q.start]) or _APPROX_A.match(st, q.end))
