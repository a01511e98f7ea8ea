"""NUM003: an amount whose unit is missing or cannot be right in its context."""

from __future__ import annotations

import re

from govlint.figures import quantities_in as find_quantities
from govlint.document import Document
from govlint.registry import rule
from govlint.finding import Severity
from govlint.quantities import decimals, fmt
from govlint.rules.reconcile import BARE_WAN as _BARE_WAN
from govlint.rules.reconcile import money_wan
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [amounts]; compiled on first use
_W = "number_words"
_BREAKDOWN = lex_re(_W, "amounts", "breakdown")
_PARTIAL_LIST = lex_re(_W, "amounts", "partial_list")


# ----- NUM003 ----------------------------------------------------------------------------------

_BARE_STANDARD = lex_re(_W, "amounts", "bare_standard")




# "送戏下乡补贴4万亿；" in a list of 万元 amounts: 万亿 without 元 is a slip for 万元
_WAN_YI = lex_re(_W, "amounts", "wan_yi")


@rule(code="NUM003", name="amount-unit", severity=Severity.WARNING,
      bad=["为全县农户发放耕地地力保护补贴，补助标准⟦120/亩⟧。",
           "全年安排项目资金⟦1920.5万⟧，其中中央资金1400万元。",
           "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金⟦20元⟧。"],
      good=["为全县农户发放耕地地力保护补贴，补助标准120元/亩。",
            "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金20万元。",
            "其中：差旅费3,500元，办公费1.2万元。"])
def amount_unit(doc: Document, ctx):
    """An amount whose unit is missing or cannot be right in its context.

    (1) A per-unit standard with no currency (补助120/亩, 资助300/人): the reader cannot tell 元
    from 万元. (2) In a "合计 X万元，其中 …" breakdown, one part written in 元 among parts in 万元
    whose sum only matches the total when that part is read as 万元 (县级配套资金200000元 where
    20万元 makes the total right) — a unit slip, reported at the part.

    Example: "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金200000元" —
    read as 元 the parts give 280.2万元; read as 万元 the last part would not fit either, but 200000
    元 = 20万元 shows the figure was meant as 20万元 and the sum 300万元 holds only then.

    Why: 金额单位错误或缺失 makes every derived figure wrong; reviewers check units before sums.
    """
    for p in doc.paragraphs:
        t = p.text
        if "/" in t:
            for m in _BARE_STANDARD.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end("per")
                yield ctx.flag(a, b, f"标准“{m.group('n')}/{m.group('per')}”没有金额单位，无法判断是元还是万元",
                               suggestion=f"写明单位，如“{m.group('n')}元/{m.group('per')}”")
        if "万亿" in t and "万元" in doc.text[max(0, p.start - 300):p.end + 300]:
            for m in _WAN_YI.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end()
                yield ctx.flag(a, b, f"金额“{m.group(0)}”单位有误：前后其他金额以万元计，“万亿”当为“万元”之误",
                               suggestion=f"{m.group('n')}万元")
        if "万" in t:
            for m in _BARE_WAN.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end("n") + 1
                yield ctx.flag(a, b, f"金额“{m.group('n')}万”缺少货币单位，应写作“{m.group('n')}万元”",
                               suggestion=f"{m.group('n')}万元")
        if "其中" in t and "元" in t:
            yield from _unit_slips(ctx, p)


SEG_MAX = 400      # a 其中 breakdown is a clause, not pages: longer runs are not read as one


def _unit_slips(ctx, p):
    t = p.text
    for m in _BREAKDOWN.finditer(t):
        before = find_quantities(t[max(0, m.start() - 40):m.start()], "money")
        if not before:
            continue
        total = before[-1]
        off = max(0, m.start() - 40)
        if total.unit != "万元" or not re.fullmatch(r"[，,：:\s]*", t[off + total.end:m.start()]):
            continue
        end = re.compile(r"[。\n]").search(t, m.end(), m.end() + SEG_MAX + 1)
        if end is None and len(t) - m.end() > SEG_MAX:
            continue       # no sentence end within reach: a run-on text, not a breakdown
        seg = t[m.end():end.start() if end else len(t)]
        if re.search(r"[（(]", seg) or _PARTIAL_LIST.search(seg):
            continue
        parts = find_quantities(seg, "money")
        if len(parts) < 2:
            continue
        wan = [q for q in parts if q.unit == "万元"]
        yuan = [q for q in parts if q.unit == "元"]
        if len(yuan) != 1 or len(wan) != len(parts) - 1:
            continue
        y = yuan[0]
        rest = sum(q.value for q in wan)
        tol = 0.5 * 10 ** -max(decimals(total), *(decimals(q) for q in wan)) * 1e4 * len(parts)
        if abs(rest + y.value - total.value) <= tol:
            continue       # right as written
        if abs(rest + y.value * 1e4 - total.value) <= tol and y.value * 1e4 < total.value:
            want = y.number
            hint = f"按万元计，{fmt(want)}万元使合计正好为{total.text}"
        elif abs(rest + y.value / 1e4 * 1e4 - total.value) <= tol:
            continue
        else:
            continue
        a = p.start + m.end() + y.start
        yield ctx.flag(a, a + len(y.text),
                       f"分项“{y.text}”以元为单位，其他分项和合计以万元为单位：按元计各分项之和为"
                       f"{money_wan(rest + y.value)}，与合计{total.text}不符；{hint}",
                       suggestion=f"核对单位，统一为万元（如“{fmt(want)}万元”）",
                       related=[ctx.related(off + p.start + total.start, off + p.start + total.end, note="合计")])
