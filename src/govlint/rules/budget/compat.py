"""The compatibility table (which economic class a project's class forbids) and the text of
``govlint explain FUND001 --on REPORT``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlint.rules.budget.project import ProjectClass, fallback_class, project_classes
from govlint.rules.budget.uses import Use, uses

if TYPE_CHECKING:   # pragma: no cover
    from govlint.document import Document


def _econ_matches(key: str, code: str, part: str) -> bool:
    if "/" in key:
        return key == f"{code}/{part}"
    return code.startswith(key)


def forbidding_rule(use: Use, classes: list[ProjectClass], rules: list[dict]) -> dict | None:
    """The first row of the table that forbids ``use`` for a project of every class in ``classes``."""
    if not classes:
        return None
    for row in rules:
        if not any(_econ_matches(k, use.code, use.part) for k in row.get("econ", ())):
            continue
        natures = set(row.get("nature", ("*",)))
        excl = set(row.get("except_nature", ()))
        excl_func = tuple(row.get("except_func", ()))
        if all(("*" in natures or natures & set(c.nature)) and not (excl & set(c.nature))
               and not (excl_func and c.code and c.code.startswith(excl_func)) for c in classes):
            return row
    return None


# ----- explain -------------------------------------------------------------------------------

def explain_text(doc: Document, lex) -> str:
    """The classification of a report, as ``govlint explain FUND001 --on REPORT`` prints it."""
    func, econ, purpose, rules = lex["func_class"], lex["econ_class"], lex["purpose"], lex["fund_rules"]
    natures = func.get("natures", {})
    lines = [f"FUND001 预算分类：{doc.path}", "", "项目功能分类："]
    classes = project_classes(doc, func)
    if not classes:
        fb = fallback_class(doc, func)
        if fb is not None:
            classes = [fb]
            lines.append("  （标题、项目名称、项目概况和主管部门中没有可识别的项目类别：只按适用于一切项目资金的规则检查，"
                         "结果为提示级别）")
        else:
            lines.append("  （未能判断：标题、项目名称、项目概况和主管部门中没有可识别的项目类别，FUND001 不检查本报告）")
    for c in classes:
        line, _ = doc.line_col(c.start)
        nat = "、".join(natures.get(n, n) for n in c.nature)
        lines.append(f"  {c.code or '—'} {c.path}（资金性质：{nat}）")
        lines.append(f"      依据：{c.where}（第{line}行）“{c.word}”")
    found, unknown = uses(doc, purpose, econ)
    lines += ["", "资金用途："]
    if not found and not unknown:
        lines.append("  （没有找到资金用途的表述）")
    rows = rules.get("rules", [])
    items = sorted([(u.start, 0, u) for u in found] + [(a, 1, (a, b)) for a, b in unknown],
                   key=lambda x: (x[0], x[1]))
    for _, is_unknown, x in items:
        if is_unknown:
            a, b = x
            line, _ = doc.line_col(a)
            lines.append(f"  第{line}行 “{doc.text[a:b]}” → 未能分类")
            continue
        u = x
        line, _ = doc.line_col(u.start)
        how = f"接受方：{_KIND.get(u.recipient, u.recipient)}" if u.recipient else ""
        basis = f"依据“{u.word}”" + (f"，{how}" if how else "")
        lines.append(f"  第{line}行 “{doc.text[u.start:u.end]}” → {u.class_code} {u.class_name} / "
                     f"{u.code} {u.name}（{basis}）")
        row = forbidding_rule(u, classes, rows)
        if row is None:
            lines.append("      与项目分类相容" if classes else "      （项目未分类，不判断）")
        else:
            lines.append(f"      不相容：{row['id']} {row['name']}")
            lines.append(f"      来源：{row.get('source', '')}")
    return "\n".join(lines)


_KIND = {"staff": "本单位人员", "enterprise": "企业", "household": "个人和家庭", "contractor": "承包商或供应商"}
