"""Rules on the 项目支出绩效自评表: score arithmetic, unexplained shortfalls, and table checks
attached to the indicator, funds, number and scoring rules of other modules.

Every finding names the cell it is about (第1张表第5行第7列, Sheet1!G7, 第12行第7栏).
"""

from __future__ import annotations

import importlib
import re

from govlint import registry
from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import Option, rule
from govlint.table import (NOTE_EMPTY, TIER_BANDS, Cell, EvalTable, Indicator, _norm, comparable, fmt,
                           is_vague, narrative_paragraphs, percent_of, shortfall, tables)

FIELD_ZH = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "target": "年度指标值",
            "actual": "实际完成值", "points": "分值", "score": "得分", "note": "偏差原因分析及改进措施"}
DEFAULT_WEIGHTS = {"产出": 50, "效益": 30, "满意度": 10, "执行率": 10}
WEIGHT_REASON = re.compile(r"权重[^。\n]{0,30}(调整|调为|调至|调增|调减|设置为|设定为|改为)|"
                           r"(调整|调增|调减)[^。\n]{0,12}权重|未设置满意度")


def _span(t: EvalTable, *cells: Cell | None) -> tuple[int, int]:
    for c in cells:
        if c is not None and c.has_span:
            return c.start, c.end
    if t.rows_span:
        return t.rows_span[0], t.rows_span[0]
    return 0, 0


def _where(c: Cell | None, name: str) -> str:
    return f"{c.ref}（{FIELD_ZH.get(name, name)}）" if c is not None else FIELD_ZH.get(name, name)


def _name(ind: Indicator) -> str:
    return ind.level3 or ind.level2 or ind.level1 or "该指标"


def expected_score(ind: Indicator):
    """('exact', E) by the proportional rules, ('met', P), ('band', lo, hi), or None."""
    t, a, p = ind.target, ind.actual, ind.points
    if p is None:
        return None
    if comparable(t, a):
        tv, av = (t.number, a.number) if "number" in (t.qkind, a.qkind) else (t.value, a.value)
        if t.comparator in ("<=", "<"):
            if av <= tv:
                return ("met", p)
            return ("exact", p * tv / av, "反向指标：得分 = 年度指标值 / 实际完成值 × 分值") if av > 0 else None
        if tv <= 0:
            return None
        if av >= tv:
            return ("met", p)
        return ("exact", p * av / tv, "正向指标：得分 = 实际完成值 / 年度指标值 × 分值")
    if a.kind == "grade" and a.grade[0] == "tier":
        lo, hi = TIER_BANDS[a.grade[1]]
        return ("band", lo * p, hi * p, a.grade[2])
    return None


@rule(code="SCORE003", name="table-score-arithmetic", severity=Severity.WARNING,
      options={"tolerance": Option(0.1, (int, float), "allowed gap between a row's 得分 and the score the rules give"),
               "total_tolerance": Option(0.05, (int, float), "allowed gap between 总分 and the sum of the rows"),
               "check_weights": Option(True, bool, "report 一级指标 weights away from 50/30/10/10 (info)")},
      bad=["| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
           "| 产出指标 | 数量指标 | 新建村道 | ≥20公里 | 18公里 | 10 | ⟦10⟧ |",
           "| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
           "| 效益指标 | 受益群众满意度 | ≥90% | 95% | 10 | ⟦12⟧ |"],
      good=["| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 数量指标 | 新建村道 | ≥20公里 | 18公里 | 10 | 9 |",
            "| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 单位成本 | ≤300万元 | 280万元 | 10 | 10 |"])
def table_score_arithmetic(doc: Document, ctx):
    """A 自评表 score breaks the scoring rules: 得分 above 分值, 得分 not what target and actual give, 总分 not the sum.

    正向指标 (≥X): 得分 = 实际完成值 / 年度指标值 × 分值, full points when met; 反向指标 (≤X):
    得分 = 年度指标值 / 实际完成值 × 分值. Qualitative rows graded 达成 / 部分达成 / 未达成 score
    80–100% / 60–80% / 0–60% of their points. A met target scored below full points is
    not reported (10号 allows deductions for targets set too low). 总分 must equal the sum of
    the rows plus the 执行率 score. Weights of 产出/效益/满意度/执行率 away from 50/30/10/10
    are reported as information unless the report says why.

    Why: 财预〔2020〕10号 fixes how unit self-evaluation scores are computed; reviewers
    recompute them, and an inflated or mis-added score discredits the whole report.
    """
    tol = float(ctx.options["tolerance"])
    ttol = float(ctx.options["total_tolerance"])
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            sc = ind.cell("score")
            if ind.score is None or ind.points is None:
                continue
            a, b = _span(t, sc, ind.cell("points"))
            if ind.score > ind.points + 1e-9:
                yield ctx.flag(a, b, f"{_where(sc, 'score')}：“{_name(ind)}”得分{fmt(ind.score)}高于分值{fmt(ind.points)}",
                               suggestion=fmt(ind.points), severity=Severity.ERROR,
                               data={"row": ind.row_label, "score": ind.score, "points": ind.points})
                continue
            exp = expected_score(ind)
            if exp is None:
                continue
            if exp[0] == "exact" and abs(ind.score - exp[1]) > tol:
                yield ctx.flag(a, b, f"{_where(sc, 'score')}：“{_name(ind)}”年度指标值{ind.target.text}、"
                                     f"实际完成值{ind.actual.text}，按{exp[2]}应得{fmt(exp[1])}分，表中为{fmt(ind.score)}分",
                               suggestion=fmt(exp[1]), data={"expected": round(exp[1], 4)})
            elif exp[0] == "band" and not (exp[1] - tol <= ind.score <= exp[2] + tol):
                yield ctx.flag(a, b, f"{_where(sc, 'score')}：“{_name(ind)}”完成情况为“{exp[3]}”，"
                                     f"按定性指标分档应得{fmt(exp[1])}～{fmt(exp[2])}分，表中为{fmt(ind.score)}分",
                               suggestion=f"按完成档次在{fmt(exp[1])}～{fmt(exp[2])}分之间给分，并说明扣分理由",
                               data={"band": [exp[1], exp[2]]})
        yield from _check_total(t, ctx, ttol)
        if ctx.options["check_weights"]:
            yield from _check_weights(doc, t, ctx)


def _exec_in_rows(t: EvalTable) -> bool:
    return any("执行率" in (i.level1 + i.level2 + i.level3) for i in t.indicators)


def _check_total(t: EvalTable, ctx, ttol: float):
    if t.total is None or t.total.number is None:
        return
    scored = [i for i in t.indicators if i.score is not None]
    if not scored:
        return
    total = sum(i.score for i in scored)
    parts = "各指标得分"
    es = t.header.get("exec_score")
    if not _exec_in_rows(t) and es is not None and es.number is not None:
        total += es.number
        parts = "执行率得分与各指标得分"
    a, b = _span(t, t.total.cell)
    if abs(total - t.total.number) > ttol:
        yield ctx.flag(a, b, f"{t.total.cell.ref}（总分）：总分{fmt(t.total.number)}与{parts}合计{fmt(total)}不符",
                       suggestion=fmt(total), severity=Severity.ERROR, data={"sum": round(total, 4)})
    elif t.total.number > 100 + 1e-9:
        yield ctx.flag(a, b, f"{t.total.cell.ref}（总分）：总分{fmt(t.total.number)}超过满分100分",
                       suggestion="核对各项得分，总分不应超过100分", severity=Severity.ERROR)


def _category(ind: Indicator) -> str | None:
    if "满意" in ind.level1 or "满意" in ind.level2:
        return "满意度"
    for key in ("执行率", "产出", "效益"):
        if key in ind.level1:
            return key
    return None


def _check_weights(doc: Document, t: EvalTable, ctx):
    weights: dict[str, float] = {}
    first: dict[str, Indicator] = {}
    for ind in t.indicators:
        cat = _category(ind)
        if cat is None:
            if ind.points is not None:
                return          # an indicator outside the four groups: weights unknown
            continue
        if ind.points is not None:
            weights[cat] = weights.get(cat, 0) + ind.points
            first.setdefault(cat, ind)
    ep = t.header.get("exec_points")
    if "执行率" not in weights and ep is not None and ep.number is not None:
        weights["执行率"] = ep.number
    if "产出" not in weights or "效益" not in weights or "执行率" not in weights:
        return          # not the whole table (or not the standard layout)
    if t.total_points is not None and t.total_points.number is not None and abs(t.total_points.number - 100) > 0.01:
        return          # another scale
    if WEIGHT_REASON.search(doc.text):
        return
    total = sum(weights.values())
    if abs(total - 100) > 0.01:
        cell = t.total_points.cell if t.total_points else (t.total.cell if t.total else None)
        a, b = _span(t, cell, first["产出"].cell("points"))
        yield ctx.flag(a, b, f"{cell.ref + '：' if cell else ''}各项分值合计{fmt(total)}分，不是100分"
                             f"（{'、'.join(f'{k}{fmt(v)}' for k, v in weights.items())}）",
                       suggestion="调整各一级指标分值，使合计为100分（产出50、效益30、满意度10、预算执行率10）",
                       severity=Severity.WARNING, data={"weights": weights})
        return
    expected = dict(DEFAULT_WEIGHTS)
    if "满意度" not in weights:
        expected.pop("满意度")
        if abs(weights["产出"] + weights["效益"] - 80) <= 0.01:
            return        # 10号: without 满意度 its weight moves to 产出 and 效益
    odd = [k for k, v in expected.items() if k in weights and abs(weights[k] - v) > 0.01]
    if not odd:
        return
    k = odd[0]
    ind = first.get(k)
    cell = ind.cell("level1") if ind else None
    a, b = _span(t, cell, ind.cell("points") if ind else None)
    desc = "、".join(f"{n}{fmt(weights[n])}分" for n in ("产出", "效益", "满意度", "执行率") if n in weights)
    yield ctx.flag(a, b, f"{cell.ref + '：' if cell else ''}一级指标权重为{desc}，与产出50、效益30、满意度10、"
                         f"预算执行率10的统一权重不同，且报告未说明调整理由",
                   suggestion="按统一权重设置分值，或在报告中说明调整权重的理由",
                   severity=Severity.INFO, data={"weights": weights})


# ----- SCORE004 ------------------------------------------------------------------------------

def _note_empty(ind: Indicator) -> bool:
    return _norm(ind.note).rstrip("。.").lower() in NOTE_EMPTY


EXEC_REASON = re.compile(r"执行率[^。\n]{0,80}(原因|由于|因为|主要是)|(原因|由于|因为)[^。\n]{0,80}"
                         r"(未[^。\n]{0,6}(支付|拨付|执行|使用|结算)|结余|结转|执行率)")
# a sentence of the report that accounts for money left unspent: it names the gap and explains it
# ("结余的28万元系政府采购中标价低于预算形成，已上缴财政")
FUNDS_GAP = re.compile(r"结余|节余|结转|未支付|未拨付|未执行|未使用|尚未支付|待支付|执行率|未支出")
FUNDS_EXPLAIN = re.compile(r"原因|由于|因为|主要是|(?<![原基成起诱])因(?!此|地制宜)|系|所致|形成|节约|节省|收回|上缴|缴回|"
                           r"合同约定|按合同|质保金|尾款|待[^。\n]{0,16}后")


def _explains_funds(text: str) -> bool:
    for sent in re.split(r"[。！？\n]", text):
        if FUNDS_GAP.search(sent) and FUNDS_EXPLAIN.search(sent):
            return True
    return False


def _row_note(doc: Document, cell: Cell) -> bool:
    """Text cells after ``cell`` on its line (the 偏差原因 cell of the money row) give a reason."""
    if not cell.has_span:
        return False
    end = doc.text.find("\n", cell.end)
    rest = doc.text[cell.end:end if end >= 0 else len(doc.text)]
    for part in re.split(r"[|｜\t]", rest):
        part = part.strip()
        if not part or _norm(part).rstrip("。.").lower() in NOTE_EMPTY:
            continue
        if re.search(r"[\u4e00-\u9fff]{2,}", part):
            return True
    return False
FUNDS_WORDS = re.compile(r"资金|支付|拨付|执行|结余|结转|结算|尾款|质保金")


@rule(code="SCORE004", name="shortfall-without-reason", severity=Severity.WARNING,
      bad=["| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
           "| 产出指标 | 新建村道 | ≥20公里 | 18公里 | 10 | 9 | ⟦无⟧ |"],
      good=["| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
            "| 产出指标 | 新建村道 | ≥20公里 | 18公里 | 10 | 9 | 2公里因征地未完成，已列入次年计划 |",
            "| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
            "| 产出指标 | 新建村道 | ≥20公里 | 21公里 | 10 | 10 | 无 |"])
def shortfall_without_reason(doc: Document, ctx):
    """A 自评表 row falls short of its target (or 执行率 is below 100%) but 偏差原因分析及改进措施 is empty, 无 or 暂无.

    Shortfall: below a ≥ target, above a ≤ target, a date later than the deadline, a
    qualitative row rated 部分达成 / 未达成. The finding points at the 无 in the note
    column, or at the actual value when the note cell is blank.

    Why: 10号 requires units to explain every target they missed and to state how they
    will improve; an unexplained shortfall is the most common reviewer deduction.
    """
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            if shortfall(ind.target, ind.actual) is not True or not _note_empty(ind):
                continue
            note, act = ind.cell("note"), ind.cell("actual")
            where = note.ref if note is not None else ind.row_label
            first = note if note is not None and note.has_span and note.text.strip() else act
            a, b = _span(t, first, act, ind.cell("level3"))
            other = act if first is note else note
            related = [ctx.related(other.start, other.end, note="实际完成值" if other is act else "偏差原因栏")] \
                if other is not None and other.has_span and other.end > other.start else []
            said = f"填写“{ind.note}”" if ind.note else "为空"
            if first is not note and note is not None:
                said += "（标注在实际完成值上）"
            if ind.target.kind == "date":
                verb = "晚于" if ind.actual.kind == "date" else "未达到"
            else:
                verb = "超过" if ind.target.comparator in ("<=", "<") else "未达到"
            yield ctx.flag(a, b, f"{where}：“{_name(ind)}”实际完成值“{ind.actual.text}”{verb}年度指标值"
                                 f"“{ind.target.text}”，偏差原因分析及改进措施{said}",
                           suggestion="说明未完成的原因及拟采取的改进措施", related=related)
        rate = t.header.get("exec_rate")
        if rate is None or _exec_in_rows(t):
            continue
        pct = percent_of(rate.cell.text)
        if pct is None or pct[0] >= 100 - 1e-9:
            continue
        if any(FUNDS_WORDS.search(i.note) and not _note_empty(i) for i in t.indicators):
            continue
        if any(EXEC_REASON.search(p.text) or _explains_funds(p.text) for p in narrative_paragraphs(doc)):
            continue
        if _row_note(doc, rate.cell):
            continue
        a, b = _span(t, rate.cell)
        yield ctx.flag(a, b, f"{rate.cell.ref}（执行率）：预算执行率{rate.cell.text.strip()}未达到100%，"
                             f"表中和报告中均未说明资金未执行的原因及改进措施",
                       suggestion="说明资金未执行完毕的原因及改进措施")


# ----- checks attached to rules of other modules --------------------------------------------

def _also(code: str, module: str):
    """``registry.also(code)`` after importing the owning module; skipped if the rule is absent."""

    def deco(func):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
        try:
            registry.also(code)(func)
        except ValueError:
            pass        # the owning rule is not written (yet): nothing to attach to
        return func

    return deco


@_also("IND001", "govlint.rules.indicators")
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


@_also("FUND002", "govlint.rules.funds")
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
SCORE_RX = re.compile(r"(?:自评|评价|综合|最终|绩效评价|绩效自评)(?:总)?(?:得分|分数|总分)[^0-9。；;\n]{0,6}?"
                      r"(\d{1,3}(?:\.\d{1,2})?)\s*分")
GRADE_RX = re.compile(r"(?:自评|评价|绩效)(?:等级|结果|结论|级别)[^。；;\n]{0,6}?[“\"「]?(优秀|良好|优|良|中等|中|合格|"
                      r"不合格|较差|一般|差)[”\"」]?(?![\u4e00-\u9fff])")
GRADE_BAND = {"优": 4, "优秀": 4, "良": 3, "良好": 3, "中": 2, "中等": 2, "合格": 2, "一般": 2, "差": 1, "较差": 1,
              "不合格": 1}


def band_of(score: float) -> int:
    return 4 if score >= 90 else 3 if score >= 80 else 2 if score >= 60 else 1


BAND_ZH = {4: "优（90—100分）", 3: "良（80—90分）", 2: "中（60—80分）", 1: "差（60分以下）"}


def _single_total(doc: Document, ctx):
    ts = tables(doc, ctx.shared)
    if len(ts) != 1 or ts[0].total is None or ts[0].total.number is None:
        return None
    return ts[0]


def _narrative_scores(doc: Document):
    """(start, end, score) of each overall score stated outside the tables."""
    spans = [(p.start, p.end) for p in narrative_paragraphs(doc)]
    try:
        from govlint.rules.scoring import score_statements
        for m, v, a, b, p in score_statements(doc, overall_only=True):
            if any(x <= a and b <= y for x, y in spans):
                yield p.start + m.start("num"), p.start + m.end("num"), v
        return
    except ImportError:
        pass
    for p in narrative_paragraphs(doc):
        for m in SCORE_RX.finditer(p.text):
            yield p.start + m.start(1), p.start + m.end(1), float(m.group(1))


@_also("SCORE002", "govlint.rules.scoring")
def table_inflated_total(doc: Document, ctx):
    """SCORE002 on the table: a 总分 of 90 or more while the table shows 执行率 below 80% or two or more unmet targets."""
    try:
        # the rule's own option (SCORE002 threshold) when set, else the lexicon's figure
        threshold = float(ctx.options.get("threshold", ctx.lex["scoring"].get("inflated_from", 90)))
    except Exception:
        threshold = 90.0
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


@_also("SCORE001", "govlint.rules.scoring")
def table_total_vs_narrative_grade(doc: Document, ctx):
    """SCORE001 with the table: the grade stated in the report is not the band of the table's 总分."""
    t = _single_total(doc, ctx)
    if t is None:
        return
    total = t.total.number
    for p in narrative_paragraphs(doc):
        for m in GRADE_RX.finditer(p.text):
            band = GRADE_BAND[m.group(1)]
            if band == band_of(total):
                continue
            c = t.total.cell
            rel = [ctx.related(c.start, c.end, note="自评表总分")] if c.has_span else []
            yield ctx.flag(p.start + m.start(1), p.start + m.end(1),
                           f"报告所述评价等级“{m.group(1)}”与自评表{c.ref}的总分{fmt(total)}分"
                           f"所属等级{BAND_ZH[band_of(total)]}不符",
                           suggestion=BAND_ZH[band_of(total)][0], related=rel)


NARR_FIGURES = [
    ("exec_rate", re.compile(r"(?:预算|资金)?执行率(?:为|达到?|是|仅为|：|:)?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]")),
    ("budget_full", re.compile(r"全年预算(?:数|金额|资金)?(?:为|是|共|：|:)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元|亿元)")),
    ("budget_initial", re.compile(r"年初预算(?:数|金额|资金)?(?:为|是|共|：|:)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元|亿元)")),
    ("executed", re.compile(r"全年执行(?:数|金额)?(?:为|是|共|：|:)?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|元|亿元)")),
]
FIG_ZH = {"exec_rate": "执行率", "budget_full": "全年预算数", "budget_initial": "年初预算数", "executed": "全年执行数"}
TO_YUAN = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


@_also("NUM001", "govlint.rules.numbers")
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
