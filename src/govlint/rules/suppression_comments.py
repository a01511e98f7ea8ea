"""GOV100: suppression comments that name no rule, or hide nothing (the engine adds the latter)."""

from __future__ import annotations

from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import all_rules, rule
from govlint.suppression import directives


@rule(code="GOV100", name="suppression-comment", severity=Severity.WARNING,
      bad=["⟦<!-- govlint: disable-next-line=STYEL001 -->⟧\n资金已全部到位,执行率100%。",
           "⟦<!-- govlint: disable=FUND009 -->⟧\n项目资金已拨付。"],
      good=["<!-- govlint: disable-next-line=STYLE001 -->\n资金已全部到位,执行率100%。",
            "<!-- govlint: disable=STYLE,!STYLE002 -->\n内容。", "<!-- govlint: disable-file -->"])
def suppression_comment(doc: Document, ctx):
    """A suppression comment names a rule code that does not exist, or hides no finding at all.

    ``<!-- govlint: disable-next-line=STYEL001 -->`` (a misspelt code) hides nothing and
    lets the finding through. A comment whose rules all ran and found nothing where it
    applies is reported as a hint (提示): the problem it was written for has gone, and the
    comment would silently hide a new one. Prefixes (``STYLE``), ``ALL`` and exceptions
    (``!STYLE002``) are understood; comments that disable every rule are not judged.

    Why: a misspelt suppression looks like it works but does not; a stale one hides the
    next real problem on its line (ruff's RUF100 is the model).
    """
    known = list(all_rules())
    for d in directives(doc):
        for code in sorted(d.codes or ()):
            name = code.lstrip("!")
            if name == "ALL" or any(k.startswith(name) for k in known):
                continue
            close = [k for k in known if k[:-1] == name[:-1] or sorted(k) == sorted(name)]
            hint = f"，是否指 {close[0]}" if close else ""
            yield ctx.flag(d.start, d.end, f"抑制注释中的规则代码“{name}”不存在{hint}，这条注释不起作用",
                           suggestion=f"改为正确的规则代码（用 govlint rules 查看）{('：' + close[0]) if close else ''}")
