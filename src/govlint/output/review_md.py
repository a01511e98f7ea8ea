"""Review comment list (审核意见表) as Markdown: summary tables, then numbered comments."""

from __future__ import annotations

import re

from govlint.output import review_model as rm

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def esc(s: str) -> str:
    """Escape Markdown/HTML-significant characters; newlines become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(s).split("\n")))


def code(s: str) -> str:
    """Inline code span; paths keep their underscores and backslashes unescaped."""
    s = " ".join(str(s).split("\n"))
    fence = "``" if "`" in s else "`"
    return f"{fence} {s} {fence}" if fence == "``" else f"`{s}`"


def _table(header, rows) -> list[str]:
    out = ["| " + " | ".join(esc(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return out


def _document(d: rm.DocReview, level: int, prefix: str = "") -> list[str]:
    heading = "#" * level
    out = [f"{heading} {prefix}{esc(d.display_title)}", ""]
    out += [f"- 文件：{code(d.path)}", f"- 标题：{esc(d.title or '（未识别）')}", ""]
    out += [f"{heading}# 问题汇总", ""]
    out += _table(["项目", "数量"], rm.summary_rows(d)[2:])
    out.append("")
    out += [f"{heading}# 审核意见", ""]
    if not d.comments:
        out += ["未发现问题。", ""]
        return out
    for c in d.comments:
        head = f"{c.number}. "
        ind = " " * len(head)       # list-item content lines align with the text after "10. "
        out.append(f"{head}**【{c.severity.zh}】{c.code}** {esc(c.rule_name)}")
        out.append(f"{ind}- 位置：{esc(c.location)}")
        marked = esc(c.before) + "【**" + esc(c.span or "‸") + "**】" + esc(c.after)
        out.append(f"{ind}- 原文：{marked}")
        out.append(f"{ind}- 问题：{esc(c.message)}")
        out.append(f"{ind}- 修改建议：{esc(c.suggestion) if c.suggestion else '—'}")
        out.append(f"{ind}- 严重程度：{c.severity.zh}")
        out.append(f"{ind}- 规则：`{c.code}` {esc(c.rule_name)}")
        for s in c.sources:
            note = f"（{esc(s.note)}）" if s.note else ""
            out.append(f"{ind}- {c.sources_label}：{esc(s.where)}{note}：{esc(s.excerpt)}")
    out.append("")
    return out


def render_review(review: rm.Review) -> str:
    out = ["# 审核意见表", ""]
    if review.batch:
        out += ["## 总览", ""]
        out += _table(rm.overview_columns(review), rm.overview_rows(review))
        out.append("")
        if review.errors:
            out += ["无法读取的文件：", ""]
            out += [f"- {code(p)}：{esc(m)}" for p, m in review.errors]
            out.append("")
        for d in review.documents:
            out += _document(d, 2, f"{d.index}. ")
    else:
        for d in review.documents:
            out += _document(d, 2)
    from govlint.guard import sign_text
    from govlint.output import clean
    return sign_text(clean("\n".join(out).rstrip("\n") + "\n"), "md")


def render(results, **kw) -> str:
    return render_review(rm.build(results))
