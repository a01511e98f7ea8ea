"""``--format text``: file:line:col, code, message, the excerpt with the span marked, a summary.

Colour only when asked (``color=True``, set by the CLI on a terminal). The span is
underlined with carets measured in display cells (a Chinese character is two cells wide).
"""

from __future__ import annotations

import unicodedata

from govlint.output import summary

RESET = "\x1b[0m"
COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m", "path": "\x1b[1m",
          "code": "\x1b[1;35m", "dim": "\x1b[2m", "mark": "\x1b[1;31m"}
WINDOW = 40


def cells(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _c(color: bool, key: str, s: str) -> str:
    return f"{COLORS[key]}{s}{RESET}" if color else s


def _excerpt_lines(doc, f, color: bool) -> list[str]:
    line_no = f.position.line
    line = doc.line_text(line_no)
    col0 = f.position.column - 1
    if f.position.end_line == line_no:
        col1 = max(col0 + 1, f.position.end_column - 1)
    else:
        col1 = len(line)
    a = max(0, col0 - WINDOW)
    b = min(len(line), col1 + WINDOW)
    pre = ("…" if a > 0 else "") + line[a:col0]
    span = line[col0:col1] or " "
    post = line[col1:b] + ("…" if b < len(line) else "")
    gutter = f"{line_no:>5} | "
    shown = pre + (_c(color, "mark", span) if color else span) + post
    carets = " " * cells(pre) + "^" * max(1, cells(span))
    return [gutter + shown, " " * (len(gutter) - 2) + "| " + (_c(color, "mark", carets) if color else carets)]


def render(results, color: bool = False, show_source: bool = True, skipped: int = 0, **kw) -> str:
    out: list[str] = []
    for r in results:
        if r.error:
            continue     # input errors are reported once, on stderr, by the command line
        for f in r.findings:
            p = f.position
            head = (f"{_c(color, 'path', f.path)}:{p.line}:{p.column}: {_c(color, 'code', f.code)} "
                    f"{_c(color, f.severity.label, f.severity.zh)} {f.message}")
            out.append(head)
            if show_source and r.document is not None:
                out.extend(_excerpt_lines(r.document, f, color))
            if f.suggestion:
                out.append(f"      = 建议：{f.suggestion}")
            for rel in f.related:
                where = f"{rel.path}:{rel.position.line}:{rel.position.column}" if rel.position else (rel.path or "")
                out.append(f"      = 参见：{where}" + (f"（{rel.note}）" if rel.note else ""))
            if show_source:
                out.append("")
    s = summary(results)
    total = s["error"] + s["warning"] + s["info"]
    parts = [f"共检查 {s['checked']} 个文件"]
    if total:
        parts.append(f"发现 {total} 个问题：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}")
    elif s["checked"]:
        parts.append("未发现问题")
    if s["input_errors"]:
        parts.append(f"{len(s['input_errors'])} 个文件无法读取")
    if skipped:
        parts.append(f"跳过 {skipped} 个非报告文件（图片、压缩包或已排除的文件）")
    out.append("，".join(parts) + "。")
    return "\n".join(out) + "\n"
