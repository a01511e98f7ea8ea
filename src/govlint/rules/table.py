"""Rules on the 项目支出绩效自评表: score arithmetic and unexplained shortfalls.

Table checks attached to the indicator, funds, number and scoring rules of other modules
are in ``rules/table_links.py``.

Every finding names the cell it is about (第1张表第5行第7列, Sheet1!G7, 第12行第7栏).
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.evaltable import (NOTE_EMPTY, Cell, EvalTable, Indicator, _norm, comparable, fmt,
                               narrative_paragraphs, percent_of, shortfall, tables)
from govlint.registry import Option, rule

FIELD_ZH = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "target": "年度指标值",
            "actual": "实际完成值", "points": "分值", "score": "得分", "note": "偏差原因分析及改进措施"}


def _table_words(lex) -> dict:
    """lexicons/scoring.toml [table]: the standard weights, the grade tiers' bands and the
    patterns of reasons (a lexicon extension may add to them)."""
    return lex["scoring"]["table"]


def _rx(lex, key: str) -> re.Pattern:
    return re.compile(_table_words(lex)[key]["pattern"])     # re's own cache keeps it


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


def expected_score(ind: Indicator, lex):
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
        band = _table_words(lex)["tiers"][str(a.grade[1])]
        lo, hi = band["low"], band["high"]
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
            exp = expected_score(ind, ctx.lex)
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
    if t.partial:
        return          # rows left out of a table rebuilt from text: the weights are not all known
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
    if _rx(ctx.lex, "weight_reason").search(doc.text):
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
    expected = dict(_table_words(ctx.lex)["default_weights"])
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


def _explains_funds(text: str, lex) -> bool:
    """A sentence of ``text`` accounts for money left unspent: it names the gap and explains it
    ("结余的28万元系政府采购中标价低于预算形成，已上缴财政")."""
    gap, explain = _rx(lex, "funds_gap"), _rx(lex, "funds_explain")
    for sent in re.split(r"[。！？\n]", text):
        if gap.search(sent) and explain.search(sent):
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
    explained: list = []     # whether the narrative explains unspent funds: read once, when first needed
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
        lex = ctx.lex
        funds_words = _rx(lex, "funds_words")
        if any(funds_words.search(i.note) and not _note_empty(i) for i in t.indicators):
            continue
        if not explained:
            exec_reason = _rx(lex, "exec_reason")
            explained.append(any(exec_reason.search(p.text) or _explains_funds(p.text, lex)
                                 for p in narrative_paragraphs(doc)))
        if explained[0]:
            continue
        if _row_note(doc, rate.cell):
            continue
        a, b = _span(t, rate.cell)
        yield ctx.flag(a, b, f"{rate.cell.ref}（执行率）：预算执行率{rate.cell.text.strip()}未达到100%，"
                             f"表中和报告中均未说明资金未执行的原因及改进措施",
                       suggestion="说明资金未执行完毕的原因及改进措施")
