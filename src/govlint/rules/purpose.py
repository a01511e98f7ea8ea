"""Spending judged by budget classification (FUND001): a use whose economic class the project's
functional class and the fund rules do not allow."""

from __future__ import annotations

from govlint.rules import budget as classify
from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import rule

SUGGESTION = "说明该支出的依据，或调整至相应资金渠道"


@rule(code="FUND001", name="spending-mismatch", severity=Severity.WARNING,
      bad=["2022年度紫荆安置小区建设项目绩效自评报告\n一、项目概况\n本项目建设安置房12栋，安置拆迁户320户。\n"
           "二、项目资金使用情况\n全年实际支出资金860万元，主要是⟦给企业的补贴⟧。\n",
           "2023年度农村公路建设项目绩效自评报告\n一、项目概况\n新建农村公路18.6公里。\n"
           "二、资金使用情况\n项目资金主要用于路基路面施工和⟦购置公务用车⟧。\n"],
      good=["2022年度紫荆安置小区建设项目绩效自评报告\n一、项目概况\n本项目建设安置房12栋。\n"
            "二、项目资金使用情况\n资金主要用于支付安置房建安工程款和监理费。\n",
            "2023年度中小企业发展专项资金绩效自评报告\n一、项目概况\n支持中小企业技术改造。\n"
            "二、资金使用情况\n资金主要用于对企业的补助，共补助企业36家。\n"])
def spending_mismatch(doc: Document, ctx):
    """Money is said to have been spent on something the project's purpose does not allow.

    The project is classified by the government's functional classification (支出功能分类:
    棚户区改造, 农田建设, 学生资助, 就业补助 …, lexicon ``func_class``) from its title, the
    项目名称 line, the overview or its 主管部门; each statement of use (资金主要用于…, 主要是…,
    拨付给…, 发放…, 购置…, a table's 用途 column) is segmented and classified by the economic
    classification (支出经济分类: 福利费, 公务接待费, 对企业补助, 办公用房 …, lexicon
    ``econ_class``), the recipient deciding ambiguous words (补贴 to an enterprise is 对企业补助).
    A pair that a row of the compatibility table (lexicon ``fund_rules``, one source per row)
    forbids for every class of the project is reported with the rule, its source and the
    purpose evidence as the related place. Prohibitions (不得用于…), permissions, plans and
    reasons are not statements of use; 部门整体支出 reports are not checked. A self-evaluation
    report of a project whose class is not recognised (the title names a 项目 or 专项资金) gets
    only the rows that hold for project money of any class, as info.
    ``govlint explain FUND001 --on REPORT`` prints the classification of a report.

    Why: 资金使用与项目内容不符 is a finding of every financial review: the money of a
    resettlement-housing project cannot become enterprise subsidies or staff bonuses, a
    special fund cannot pay an office's cars, receptions or buildings (厉行节约条例, 衔接资金
    负面清单 财农〔2021〕19号, 学生资助资金管理办法 …).
    """
    lex = ctx.lex
    classes = classify.project_classes(doc, lex["func_class"])
    fallback = False
    if not classes and ctx.profile == "self-eval":
        fb = classify.fallback_class(doc, lex["func_class"])
        classes, fallback = ([fb], True) if fb is not None else ([], False)
    if not classes:
        return
    rows = lex["fund_rules"].get("rules", [])
    found, _unknown = classify.uses(doc, lex["purpose"], lex["econ_class"])
    seen: set[tuple[int, int]] = set()
    for u in found:
        row = classify.forbidding_rule(u, classes, rows)
        if row is None or (u.start, u.end) in seen:
            continue
        seen.add((u.start, u.end))
        severity = None
        if row.get("severity") == "info" or u.name.endswith(classify.BY_RECIPIENT) or fallback:
            # a transfer to a company with nothing bought named: the company may own the project
            severity = Severity.INFO
        c = classes[0]
        use_text = doc.text[u.start:u.end]
        yield ctx.flag(u.start, u.end,
                       f"资金用途“{use_text}”（经济分类 {u.code} {u.name}）与项目的功能分类"
                       f"“{c.code + ' ' if c.code else ''}{c.name}”不相容：{row['name']}（{row['id']}）",
                       suggestion=f"{SUGGESTION}；相关规定：{row.get('source', '')}",
                       related=[ctx.related(c.start, c.end, note=f"项目分类依据（{c.where}）：{c.name}")],
                       severity=severity,
                       data={"use": use_text, "econ": u.key, "econ_name": u.name,
                             "func": [x.code for x in classes], "func_name": [x.name for x in classes],
                             "rule": row["id"], "source": row.get("source", "")})


def explain_document(doc: Document, lex) -> str:
    """``govlint explain FUND001 --on REPORT``: the project's class, each use and its class."""
    return classify.explain_text(doc, lex)
