"""Funds rules: spending that does not fit the project (FUND001), amounts that do not add up (FUND002)."""

from __future__ import annotations

import re
from bisect import bisect_left

from govlint.document import Document
from govlint.figures import paren_spans as _paren_spans
from govlint.figures import quantities_in
from govlint.finding import Severity
from govlint.quantities import Quantity, find_money, find_rates, fmt, money_wan
from govlint.registry import Option, rule
from govlint.patterns import LexTable, lex_re
from govlint.rules._util import grouped_alternations, alternation, lazy_re

# ----- FUND002 -----------------------------------------------------------------------------

_BOUNDARY = lazy_re(r"[，,。；;：:（(）)、\n]")
_LABEL_BOUNDARY = lazy_re(r"[，,。；;：:（(）)\n]")
# the words are in lexicons/number_words.toml [funds]; compiled on first use
_W = "number_words"
_ROLES = LexTable(_W, "funds", "roles")           # (role, label pattern), first match wins
_RATES = LexTable(_W, "funds", "rates")           # a rate label, its numerator and denominator roles
_ADJUSTED_SENTENCE = lex_re(_W, "funds", "adjusted_sentence")
_ADJUSTED_REPORT = lex_re(_W, "funds", "adjusted_report")
_BREAKDOWN_OPENS = lex_re(_W, "funds", "breakdown_opens")
_BREAKDOWN = lex_re(_W, "funds", "breakdown")
_PARTIAL_LIST = lex_re(_W, "funds", "partial_list")
_REMAINDER = lex_re(_W, "funds", "remainder")


def rate_kinds() -> list[tuple]:
    """(rate label pattern, numerator roles, denominator roles, name) of each kind of rate."""
    return [(rx, tuple(r["numerator"]), tuple(r["denominator"]), r["name"]) for r, rx in _RATES.get()]


_LABEL_WINDOW = 80
_SPACES = re.compile(r"\s+")
_A_DIGIT = re.compile(r"\d")
_NUMBER_CUT = re.compile(r"\d+(?:\.\d+)?\S?")


def money_role(text: str, q: Quantity, start: int = 0) -> str | None:
    """What a money figure is, from the words just before it in its clause.

    ``start`` is where the text the figure's offsets refer to begins. Returns budget,
    budget_initial, actual, final (决算), arrived (到位), skip (a part, a change, a source)
    or None.
    """
    lo = q.start
    cut = max(start, lo - _LABEL_WINDOW)     # bounded: linear on run-on sentences
    for m in _LABEL_BOUNDARY.finditer(text, cut, lo):
        cut = m.end()
    label = text[cut:lo]
    label = _SPACES.sub("", label)
    if _A_DIGIT.search(label):
        label = _NUMBER_CUT.split(label)[-1]
    for r, rx in _ROLES.get():
        if rx.search(label):
            return r["role"]
    return None


def _sentence_money(s):
    t = s.text
    qs = find_money(t) if len(t) <= 1500 else quantities_in(t, "money")
    return [(money_role(s.text, q), q) for q in qs]


@rule(code="FUND002", name="amounts-do-not-add-up", severity=Severity.ERROR,
      options={"rate_tolerance": Option(0.5, float, "allowed difference between a stated and a computed "
                                                      "rate, in percentage points", min=0.0, max=50.0)},
      bad=["全年预算数为300万元，实际支出285万元，预算执行率为⟦98%⟧。",
           "项目资金合计⟦500万元⟧，其中：道路硬化320万元，排水沟渠150万元，路灯安装80万元。",
           "2023年预算安排资金120万元，实际支出资金⟦126.5万元⟧。"],
      good=["全年预算数为300万元，实际支出285万元，预算执行率为95%。",
            "2021年区政府预算安排项目资金712.42万元，实际使用资金712.42万元。",
            "本年支出合计9759.38万元，其中：基本支出5377.64万元，项目支出4381.74万元。",
            "下达资金合计500万元，其中中央资金300万元。"])
def amounts_do_not_add_up(doc: Document, ctx):
    """Stated amounts contradict each other: spending above the budget, a rate that does not follow, parts that exceed their total.

    Three checks. (1) A sentence (or the whole report, when it states exactly one budget and
    one spending figure) gives actual spending above the budget; 年初预算 exceeded by the
    决算 is not reported (追加 is normal). (2) A stated 执行率 / 到位率 / 完成预算的 X% differs
    from the one its sentence's amounts give by more than ``rate_tolerance`` points; with two
    rates in one sentence (到位率 … 执行率, or one rate per batch), each is checked against the
    amounts stated since the rate before it; when its amounts stand in other sentences of the
    same part, against the report's single plain budget and spending (arrived) amount — a
    warning (rules/reconcile.py); with no budget at all but an unspent remainder between the
    spending and the rate (支付18501.096万元，未支付703万元，支付率95%), against spent ÷ (spent +
    remainder) — a warning. A 自评表 whose 全年执行数 exceeds its 全年预算数 is a warning too.
    (3) "合计/共 X万元，其中 A万元、B万元…" (also when 其中 opens the next sentence): the parts add
    up to more than the total, or — when their shares are stated and add up to 100% — to less
    (a warning when fewer parts than the total with no stated shares). A figure in brackets
    after a part or after the total (含待支付合同款35万元, 不含…, 其中…) is a note on that figure,
    never another addend. The table header (执行率 against 全年执行数 ÷ 全年预算数) is checked
    too; a figure in the prose that differs from the same figure in the 自评表 is NUM001's.

    Example: "项目实际支出合计480万元，其中：工程建设费420万元（含待支付合同款35万元），设备购置费
    60万元" adds up (420 + 60); "合计490万元" there is reported, 10万元 short.

    Why: 数据前后不一致 and 执行率计算错误 are among the most frequent reviewer findings
    (RULEBOOK §2.2 P8, P9); a figure that does not add up discredits the whole report.
    """
    tol = float(ctx.options["rate_tolerance"])
    text = doc.text
    budgets: list[Quantity] = []
    actuals: list[Quantity] = []
    flagged: set[int] = set()
    doc_budget = _single_budget(doc)
    for s in doc.sentences:
        roles = _sentence_money(s)
        base = s.start
        sent_b = [q for r, q in roles if r == "budget"]
        sent_a = [q for r, q in roles if r == "actual"]
        budgets += [_abs(q, base) for q in sent_b]
        actuals += [_abs(q, base) for q in sent_a]
        # (1) in one sentence
        if len(sent_b) == 1 and len(sent_a) == 1 and not _ADJUSTED_SENTENCE.search(s.text):
            b, a = sent_b[0], sent_a[0]
            if a.value > b.value + 0.5 and a.start > b.start:
                flagged.add(base + a.start)
                yield ctx.flag(base + a.start, base + a.end,
                               f"实际支出{money_wan(a)}超过预算{money_wan(b)}",
                               suggestion="核对预算数和实际支出数；超支部分应说明资金来源和审批依据",
                               related=[ctx.related(base + b.start, base + b.end, note="预算数")])
        # (2) stated rates
        yield from _rate_checks(ctx, s, roles, tol, doc_budget)
    # (3) parts and total, in full sentences (a breakdown runs over ；)
    for p in doc.paragraphs:
        prev = None
        for m in re.finditer(r"[^。！？!?]+[。！？!?]?", p.text):
            if prev is not None and _BREAKDOWN_OPENS.match(m.group(0)) and find_money(prev.group(0)):
                # "共完成预算资金89.97万元。其中：…": the breakdown opens a new sentence
                yield from _sum_checks(ctx, _Span(p.start + prev.start(), p.text[prev.start():m.end()]))
            else:
                yield from _sum_checks(ctx, _Span(p.start + m.start(), m.group(0)))
            prev = m
    # (1) across the report: exactly one budget and one spending figure
    bvals = {round(q.value, 2) for q in budgets}
    avals = {round(q.value, 2) for q in actuals}
    if len(bvals) == 1 and len(avals) == 1 and not _ADJUSTED_REPORT.search(text):
        b, a = budgets[0], actuals[0]
        if a.value > b.value + 0.5 and a.start not in flagged:
            yield ctx.flag(a.start, a.end, f"实际支出{money_wan(a)}超过预算{money_wan(b)}",
                           suggestion="核对预算数和实际支出数；超支部分应说明资金来源和审批依据",
                           related=[ctx.related(b.start, b.end, note="预算数")],
                           severity=Severity.WARNING)


class _Span:
    def __init__(self, start: int, text: str):
        self.start, self.text = start, text


def _abs(q: Quantity, base: int) -> Quantity:
    return Quantity(q.kind, q.value, q.number, q.unit, q.start + base, q.end + base, q.text, q.chinese)


def _single_budget(doc: Document) -> Quantity | None:
    """The report's budget when it states exactly one budget figure (absolute offsets)."""
    found: list[Quantity] = []
    for s in doc.sentences:
        found += [_abs(q, s.start) for r, q in _sentence_money(s) if r == "budget"]
    values = {round(q.value, 2) for q in found}
    return found[0] if len(values) == 1 else None


def _rate_checks(ctx, s, roles, tol, doc_budget=None):
    rates = quantities_in(s.text, "rate")
    prev_end = 0
    by_roles: dict = {}

    def before(role_set, limit: int, seg_start: int):
        """(amounts before ``limit``, those of them from ``seg_start``), each cut to 2 items:
        bisection keeps a run-on sentence with thousands of figures linear."""
        got = by_roles.get(role_set)
        if got is None:
            qs = [q for role, q in roles if role in role_set]
            got = by_roles[role_set] = (qs, [q.start for q in qs])
        qs, starts = got
        hi = bisect_left(starts, limit)
        lo = bisect_left(starts, seg_start, 0, hi)
        every = qs[:hi] if hi <= 2 else qs[:2]
        seg = qs[lo:hi] if hi - lo <= 2 else qs[lo:lo + 2]
        return every, seg

    kinds = rate_kinds() if rates else []
    for r in rates:
        head = s.text[max(0, r.start - 12):r.start]
        seg_start, prev_end = prev_end, r.end
        for rx, nums, dens, name in kinds:
            if not rx.search(head):
                continue
            num, seg_num = before(nums, r.start, seg_start)
            den, seg_den = before(dens, r.start, seg_start)
            # two rates in one sentence: each against the amounts stated since the rate before it
            if len(num) > 1 and len(seg_num) == 1:
                num = seg_num
                if len(seg_den) == 1:
                    den = seg_den
            if len(den) > 1 and len(seg_den) == 1:
                den = seg_den
            base = s.start
            den_base = base
            if not den and doc_budget is not None and "budget" in dens and name != "完成预算比例":
                den, den_base = [doc_budget], 0
            if not den and len(num) == 1 and name == "执行率":
                yield from _rate_with_remainder(ctx, s, roles, r, num[0], name, tol)
                break
            if len(num) != 1 or len(den) != 1 or den[0].value <= 0:
                break
            computed = num[0].value / den[0].value * 100
            if abs(computed - r.value) > tol:
                yield ctx.flag(base + r.start, base + r.end,
                               f"{name}写为{r.text}，按所列金额计算应为{fmt(computed)}%"
                               f"（{money_wan(num[0])}÷{money_wan(den[0])}）",
                               suggestion=f"{fmt(computed)}%",
                               related=[ctx.related(base + num[0].start, base + num[0].end, note="分子"),
                                        ctx.related(den_base + den[0].start, den_base + den[0].end, note="分母")],
                               data={"stated": r.value, "computed": round(computed, 4)})
            break


def _rate_with_remainder(ctx, s, roles, r, num, name, tol):
    """"支付18501.096万元，未支付703万元，支付率95%": with no budget stated, the rate is the
    amount spent over the amount spent plus the one remainder (未支付/未支出/结余) between them
    and the rate. A warning: the remainder is read from its label."""
    t = s.text
    rems = [q for _role, q in roles if num.end <= q.start < r.start
            and _REMAINDER.search(t[max(num.end, q.start - 8):q.start])]
    if len(rems) != 1:
        return
    rem = rems[0]
    total = num.value + rem.value
    if total <= 0:
        return
    computed = num.value / total * 100
    if abs(computed - r.value) <= tol:
        return
    base = s.start
    yield ctx.flag(base + r.start, base + r.end,
                   f"{name}写为{r.text}，按所列金额计算应为{fmt(computed)}%"
                   f"（{money_wan(num)}÷（{money_wan(num)}＋{money_wan(rem)}））",
                   suggestion=f"{fmt(computed)}%",
                   related=[ctx.related(base + num.start, base + num.end, note="分子"),
                            ctx.related(base + rem.start, base + rem.end, note="未执行部分")],
                   severity=Severity.WARNING, data={"stated": r.value, "computed": round(computed, 4)})


_TOTAL = lex_re(_W, "funds", "total")


def _sum_checks(ctx, s):
    t = s.text
    if "其中" not in t:
        return
    brackets = _paren_spans(t) if ("（" in t or "(" in t) else []

    def bracketed(a: int) -> bool:
        return any(x < a < y for x, y, _k in brackets)

    for m in _BREAKDOWN.finditer(t):
        if bracketed(m.start()):
            continue        # 其中 inside a bracket is a note on the figure before it
        # the total and its label stand just before 其中: a bounded window keeps this linear
        off = max(0, m.start() - 160)
        before = t[off:m.start()]
        qs_before = [q for q in find_money(before) if not bracketed(off + q.start)]
        if not qs_before:
            continue
        total = qs_before[-1]
        between = before[total.end:]
        for x, y, _k in reversed(brackets):
            x, y = x - off, y - off
            if total.end <= x and y <= len(before):
                between = between[:x - total.end] + between[y - total.end:]
        if not re.fullmatch(r"[，,：:\s]*。?\s*", between):
            continue
        stated_total = bool(_TOTAL.search(before[:total.start]))
        role = money_role(before, total)
        if not stated_total and role not in ("budget", "budget_initial", "actual", "arrived", "final"):
            continue
        # parts run to the next 其中 (a nested breakdown) or the end of the sentence
        nxt = t.find("其中", m.end())
        while nxt >= 0 and bracketed(nxt):
            nxt = t.find("其中", nxt + 2)
        stop = nxt if nxt >= 0 else len(t)
        part_text = t[m.end():stop]
        if len(part_text) > 600 or _PARTIAL_LIST.search(part_text):
            continue        # a breakdown runs a few clauses; beyond that its end is unsure
        # a figure in brackets after a part (含…待支付合同款35万元) is a note on it, never an addend
        parts = [q for q in find_money(part_text) if not _is_change(part_text, q)
                 and not bracketed(m.end() + q.start)]
        if len(parts) < 2:
            continue
        total_v = total.value
        got = sum(q.value for q in parts)
        places = max(_places(total), *(_places(q) for q in parts))
        unit_eps = 10 ** -places * 1e4 if total.unit == "万元" else 10 ** -places * (1e8 if total.unit == "亿元" else 1)
        eps = max(unit_eps * len(parts), 0.01)
        shares = [r.value for r in find_rates(part_text)]
        exhaustive = len(shares) == len(parts) and abs(sum(shares) - 100) <= 0.2 and nxt < 0
        if got > total_v + eps or got < total_v - eps:
            base = s.start
            what = "大于" if got > total_v else "小于"
            certain = got > total_v or exhaustive
            yield ctx.flag(base + off + total.start, base + off + total.end,
                           f"分项金额之和{money_wan(got)}{what}合计数{money_wan(total)}",
                           suggestion="核对合计数与各分项金额",
                           related=[ctx.related(base + m.end() + q.start, base + m.end() + q.end, note="分项")
                                    for q in parts],
                           severity=None if certain else Severity.WARNING,
                           data={"total": total_v, "sum": got})


_CHANGE = lex_re(_W, "funds", "change")


def _is_change(text: str, q: Quantity) -> bool:
    """A change or a remainder (较上年增加X万元), not a part of the total."""
    cut = 0
    for m in _BOUNDARY.finditer(text, 0, q.start):
        if m.group(0) != "、":
            cut = m.end()
    return bool(_CHANGE.search(text[cut:q.start]))


def _places(q: Quantity) -> int:
    m = re.search(r"\.(\d+)", q.text)
    return len(m.group(1)) if m else 0
