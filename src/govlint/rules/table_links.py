"""Self-evaluation table checks attached (``@also``) to rules of other modules.

IND001 on indicator rows, FUND002 on the header's execution rate, SCORE001/SCORE002 on the
table's total against the report's grade, NUM001 on the table's figures against the prose.
Each check reports under the owning rule's code and documentation.
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.evaltable import fmt, is_vague, narrative_paragraphs, percent_of, shortfall, tables
from govlint.finding import Severity
from govlint.patterns import alternation_source, lex_re
from govlint.registry import also
# the rules these checks attach to are registered first
from govlint.rules import funds, indicators, numbers  # noqa: F401
from govlint.rules.scoring import band_of, bands, score_statements
from govlint.rules.table import FIELD_ZH, _name, _span, _where


@also("IND001")
def table_unmeasurable_indicator(doc: Document, ctx):
    """IND001 on 自评表 rows: a 年度指标值 or 实际完成值 without a measurable figure."""
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            if "执行率" in ind.level1:
                continue
            for name, v, other in (("target", ind.target, ind.actual), ("actual", ind.actual, ind.target)):
                if not is_vague(v, other):
                    continue
                c = ind.cell(name)
                a, b = _span(t, c)
                yield ctx.flag(a, b, f"{_where(c, name)}：“{_name(ind)}”的{FIELD_ZH[name]}“{v.text}”没有可衡量的"
                                     f"数值、时限或分级标准",
                               suggestion="写明数值和单位（如“≥95%”“20公里”），定性指标按“达成/部分达成/未达成”分档")


@also("FUND002")
def table_execution_rate(doc: Document, ctx):
    """FUND002 on the 自评表 header: 执行率 ≠ 全年执行数/全年预算数, or 执行率得分 ≠ 执行率 × 分值."""
    for t in tables(doc, ctx.shared):
        h = t.header
        rate, full, done = h.get("exec_rate"), h.get("budget_full"), h.get("executed")
        pct = percent_of(rate.cell.text) if rate is not None else None
        if pct is not None and full is not None and done is not None and full.number and done.number is not None:
            computed = done.number / full.number * 100
            tol = max(0.5 * 10 ** -pct[1], float(ctx.options.get("rate_tolerance", 0))) + 1e-6
            if abs(computed - pct[0]) > tol:
                a, b = _span(t, rate.cell)
                yield ctx.flag(a, b, f"{rate.cell.ref}（执行率）：执行率{rate.cell.text.strip()}与全年执行数"
                                     f"{fmt(done.number)}÷全年预算数{fmt(full.number)}={fmt(computed)}%不符",
                               suggestion=f"{fmt(computed)}%",
                               related=[ctx.related(c.cell.start, c.cell.end, note=n) for c, n in
                                        ((done, "全年执行数"), (full, "全年预算数")) if c.cell.has_span])
                continue
        score = h.get("exec_score")
        if pct is None or score is None or score.number is None:
            continue
        points = h["exec_points"].number if h.get("exec_points") and h["exec_points"].number else 10.0
        want = min(pct[0], 100.0) / 100 * points
        if abs(score.number - want) > 0.05:
            a, b = _span(t, score.cell)
            yield ctx.flag(a, b, f"{score.cell.ref}（执行率得分）：执行率{rate.cell.text.strip()}、分值{fmt(points)}，"
                                 f"得分应为{fmt(want)}，表中为{fmt(score.number)}",
                           suggestion=fmt(want))


# narrative statements of the total score and grade
_GRADE_RX: dict = {}


def _grade_rx(lex) -> re.Pattern:
    """A stated evaluation grade (自评等级为“良好”); the grade words are the bands' of scoring.toml."""
    got = _GRADE_RX.get(id(lex))
    if got is None or got[0] is not lex:
        words = alternation_source(w for b in bands(lex) for w in b["words"])
        rx = re.compile(r"(?:自评|评价|绩效)(?:等级|结果|结论|级别)[^。；;\n]{0,6}?[“\"「]?(" + words +
                        r")[”\"」]?(?![\u4e00-\u9fff])")
        got = _GRADE_RX[id(lex)] = (lex, rx)
    return got[1]


def _band(score: float, lex) -> dict:
    """The grade band (``lexicons/scoring.toml``) a table total falls in; out of range → the nearest."""
    b = band_of(score, lex)
    if b is None:
        ordered = sorted(bands(lex), key=lambda x: x["low"])
        b = ordered[-1] if score >= ordered[-1]["low"] else ordered[0]
    return b


def _band_zh(b: dict) -> str:
    """优（90—100分）, 差（60分以下）."""
    if b["low"] <= 0:
        return f"{b['grade']}（{b['high']}分以下）"
    return f"{b['grade']}（{b['low']}—{b['high']}分）"


def _single_total(doc: Document, ctx):
    ts = tables(doc, ctx.shared)
    if len(ts) != 1 or ts[0].total is None or ts[0].total.number is None:
        return None
    return ts[0]


def _narrative_scores(doc: Document):
    """(start, end, score) of each overall score stated outside the tables."""
    spans = [(p.start, p.end) for p in narrative_paragraphs(doc)]
    for m, v, a, b, p in score_statements(doc, overall_only=True):
        if any(x <= a and b <= y for x, y in spans):
            yield p.start + m.start("num"), p.start + m.end("num"), v


@also("SCORE002")
def table_inflated_total(doc: Document, ctx):
    """SCORE002 on the table: a 总分 of 90 or more while the table shows 执行率 below 80% or two or more unmet targets."""
    # the rule's own option (SCORE002 threshold) when set, else the lexicon's figure
    threshold = float(ctx.options.get("threshold", ctx.lex["scoring"].get("inflated_from", 90)))
    for t in tables(doc, ctx.shared):
        if t.total is None or t.total.number is None or t.total.number < threshold:
            continue
        unmet = [i for i in t.indicators if shortfall(i.target, i.actual) is True]
        rate = t.header.get("exec_rate")
        pct = percent_of(rate.cell.text) if rate is not None else None
        reasons = []
        if pct is not None and pct[0] < 80:
            reasons.append(f"预算执行率仅{rate.cell.text.strip()}")
        if len(unmet) >= 2:
            reasons.append(f"{len(unmet)}项指标未达到年度指标值（{'、'.join(_name(i) for i in unmet[:4])}"
                           f"{'等' if len(unmet) > 4 else ''}）")
        if not reasons:
            continue
        a, b = _span(t, t.total.cell)
        yield ctx.flag(a, b, f"{t.total.cell.ref}（总分）：自评总分{fmt(t.total.number)}分，但自评表显示"
                             f"{'，'.join(reasons)}，得分可能偏高",
                       suggestion="按未完成指标的实际完成比例扣分，使总分与完成情况相符",
                       related=[ctx.related(i.cell("actual").start, i.cell("actual").end, note=_name(i))
                                for i in unmet[:4] if i.cell("actual") is not None and i.cell("actual").has_span])


@also("SCORE001")
def table_total_vs_narrative_grade(doc: Document, ctx):
    """SCORE001 with the table: the grade stated in the report is not the band of the table's 总分."""
    t = _single_total(doc, ctx)
    if t is None:
        return
    total = t.total.number
    right = _band(total, ctx.lex)
    for p in narrative_paragraphs(doc):
        for m in _grade_rx(ctx.lex).finditer(p.text):
            if m.group(1) in right["words"]:
                continue
            c = t.total.cell
            rel = [ctx.related(c.start, c.end, note="自评表总分")] if c.has_span else []
            yield ctx.flag(p.start + m.start(1), p.start + m.end(1),
                           f"报告所述评价等级“{m.group(1)}”与自评表{c.ref}的总分{fmt(total)}分"
                           f"所属等级{_band_zh(right)}不符",
                           suggestion=right["grade"], related=rel)


_W = "scoring"        # the word patterns of this module: lexicons/scoring.toml [table_links]
NARR_FIGURES = [
    ("exec_rate", lex_re(_W, "table_links", "exec_rate")),
    ("budget_full", lex_re(_W, "table_links", "budget_full")),
    ("budget_initial", lex_re(_W, "table_links", "budget_initial")),
    ("executed", lex_re(_W, "table_links", "executed")),
]
FIG_ZH = {"exec_rate": "执行率", "budget_full": "全年预算数", "budget_initial": "年初预算数", "executed": "全年执行数"}
TO_YUAN = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


@also("NUM001")
def table_vs_narrative_figures(doc: Document, ctx):
    """NUM001 with the table: the score, a budget figure or 执行率 in the text contradicts the 自评表."""
    ts = tables(doc, ctx.shared)
    if len(ts) != 1:
        return
    t = ts[0]
    if t.total is not None and t.total.number is not None:
        c = t.total.cell
        for a, b, stated in _narrative_scores(doc):
            if abs(stated - t.total.number) <= 0.05:
                continue
            rel = [ctx.related(c.start, c.end, note="自评表总分")] if c.has_span else []
            yield ctx.flag(a, b, f"报告所述自评得分{fmt(stated)}分与自评表{c.ref}的总分{fmt(t.total.number)}分不一致",
                           suggestion=fmt(t.total.number), related=rel, severity=Severity.WARNING)
    for p in narrative_paragraphs(doc):
        for key, rx in NARR_FIGURES:
            f = t.header.get(key)
            if f is None:
                continue
            for m in rx.finditer(p.text):
                stated = float(m.group(1).replace(",", ""))
                if key == "exec_rate":
                    pct = percent_of(f.cell.text)
                    if pct is None:
                        continue
                    dec = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
                    tol = 0.5 * 10 ** -min(dec, pct[1]) + 1e-6
                    if abs(stated - pct[0]) <= tol:
                        continue
                    table_text = f.cell.text.strip()
                else:
                    if f.number is None:
                        continue
                    a_yuan = stated * TO_YUAN[m.group(2)]
                    t_yuan = f.number * TO_YUAN.get(t.money_unit, 1e4)
                    dec = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
                    if abs(a_yuan - t_yuan) <= 0.5 * 10 ** -dec * TO_YUAN[m.group(2)] + 1e-6:
                        continue
                    table_text = f"{fmt(f.number)}{t.money_unit}"
                c = f.cell
                rel = [ctx.related(c.start, c.end, note=f"自评表{FIG_ZH[key]}")] if c.has_span else []
                yield ctx.flag(p.start + m.start(1), p.start + m.end(0),
                               f"报告所述{FIG_ZH[key]}{m.group(0)[m.start(1) - m.start():]}与自评表{c.ref}的"
                               f"{FIG_ZH[key]}{table_text}不一致", related=rel, severity=Severity.WARNING,
                               suggestion=f"核对后使报告与自评表一致（自评表为{table_text}）")
