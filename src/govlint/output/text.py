"""``--format text``: file:line:col, code, message, the excerpt with the span marked, a summary.

For Word, Excel, PDF and OFD inputs the place a reader of the original finds (``Document.place``:
第3段, 第1张表第2行第3列, Sheet1!F4, 第2页第7行) follows the ``file:line:col:`` prefix, which stays
as editors and CI parse it (line and column of the extracted text); related places likewise.

Colour only when asked (``color=True``, set by the CLI on a terminal). The span is
underlined with carets measured in display cells (a Chinese character is two cells wide;
“ ” … count two cells too on a Chinese console, see ``govlint.console``). On a terminal the
excerpt is cut to its width (``width``), so the caret line never wraps.
"""

from __future__ import annotations

from govlint.console import cells as _cells
from govlint.output.common import summary

RESET = "\x1b[0m"
COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m", "path": "\x1b[1m",
          "code": "\x1b[1;35m", "dim": "\x1b[2m", "mark": "\x1b[1;31m"}
WINDOW = 40


def cells(s: str, wide_ambiguous: bool = False) -> int:
    return _cells(s, wide_ambiguous)


def _c(color: bool, key: str, s: str) -> str:
    return f"{COLORS[key]}{s}{RESET}" if color else s


def _fit_left(s: str, budget: int, wide: bool) -> str:
    """The end of ``s`` in at most ``budget`` cells, "…" in front when cut."""
    if cells(s, wide) <= budget:
        return s
    out = []
    used = cells("…", wide)
    for ch in reversed(s):
        w = cells(ch, wide)
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "…" + "".join(reversed(out))


def _fit_right(s: str, budget: int, wide: bool) -> str:
    if cells(s, wide) <= budget:
        return s
    out = []
    used = cells("…", wide)
    for ch in s:
        w = cells(ch, wide)
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _excerpt_lines(doc, f, color: bool, width: int = 0, wide: bool = False) -> list[str]:
    line_no = f.position.line
    line = doc.line_text(line_no)
    col0 = f.position.column - 1
    if f.position.end_line == line_no:
        col1 = max(col0 + 1, f.position.end_column - 1)
    else:
        col1 = len(line)
    gutter = f"{line_no:>5} | "
    a = max(0, col0 - WINDOW)
    b = min(len(line), col1 + WINDOW)
    pre = ("…" if a > 0 else "") + line[a:col0]
    span = line[col0:col1] or " "
    post = line[col1:b] + ("…" if b < len(line) else "")
    if width:
        room = max(20, width - len(gutter) - 1)
        span = _fit_right(span, max(4, room - 8), wide)
        left = (room - cells(span, wide)) // 2
        pre = _fit_left(line[:col0], max(0, left), wide)
        post = _fit_right(line[col1:], max(0, room - cells(span, wide) - cells(pre, wide)), wide)
    shown = pre + (_c(color, "mark", span) if color else span) + post
    carets = " " * cells(pre, wide) + "^" * max(1, cells(span, wide))
    return [gutter + shown, " " * (len(gutter) - 2) + "| " + (_c(color, "mark", carets) if color else carets)]


def _statistics(results, color: bool = False) -> list[str]:
    """Counts per rule (most frequent first) and per file, in place of the findings (ruff's --statistics)."""
    from collections import Counter
    from govlint import registry
    by_code: Counter = Counter()
    severity: dict = {}
    for r in results:
        for f in r.findings:
            by_code[f.code] += 1
            severity[f.code] = max(severity.get(f.code, f.severity), f.severity)
    out = []
    if by_code:
        out.append("按规则：")
        width = max(len(str(n)) for n in by_code.values())
        for code, n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
            spec = registry.get(code)
            title = spec.summary if spec else ""
            out.append(f"{n:>{width}}  {_c(color, 'code', code):<8} {_c(color, severity[code].label, severity[code].zh)}  {title}")
        files = [(r.path, Counter(f.severity.label for f in r.findings)) for r in results if not r.error and r.findings]
        out.append("")
        out.append("按文件：")
        for path, c in sorted(files, key=lambda pc: (-pc[1]["error"], -pc[1]["warning"], -pc[1]["info"], pc[0])):
            out.append(f"{_c(color, 'path', path)}：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}")
        out.append("")
    return out


def render(results, color: bool = False, show_source: bool = True, statistics: bool = False, width: int = 0,
           wide_ambiguous: bool = False, skipped: int = 0, **kw) -> str:
    out: list[str] = []
    if statistics:
        out.extend(_statistics(results, color))
        results_shown = ()
    else:
        results_shown = results
    for r in results_shown:
        if r.error:
            continue     # input errors are reported once, on stderr, by the command line
        doc = r.document
        places = doc is not None and doc.has_places     # .txt/.md: the line is the place
        for f in r.findings:
            p = f.position
            place = f"{doc.place(f.start)} " if places else ""
            head = (f"{_c(color, 'path', f.path)}:{p.line}:{p.column}: {place}{_c(color, 'code', f.code)} "
                    f"{_c(color, f.severity.label, f.severity.zh)} {f.message}")
            out.append(head)
            if show_source and r.document is not None:
                out.extend(_excerpt_lines(r.document, f, color, width, wide_ambiguous))
            if f.suggestion:
                out.append(f"      = 建议：{f.suggestion}")
            for rel in f.related:
                where = f"{rel.path}:{rel.position.line}:{rel.position.column}" if rel.position else (rel.path or "")
                if places and rel.path in (None, f.path):
                    where += f" {doc.place(rel.start)}"
                out.append(f"      = 参见：{where}" + (f"（{rel.note}）" if rel.note else ""))
            if show_source:
                out.append("")
    s = summary(results)
    total = s["error"] + s["warning"] + s["info"]
    parts = [f"共检查 {s['checked']} 个文件"]
    hidden = s["baseline_hidden"]
    if total:
        parts.append(f"发现 {total} 个{'新' if hidden else ''}问题：错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}")
    elif s["checked"]:
        parts.append("未发现新问题" if hidden else "未发现问题")
    if hidden:
        parts.append(f"基线中已记录的 {hidden} 个问题未列出")
    if skipped:
        parts.append(f"跳过 {skipped} 个非报告文件（图片、压缩包或已排除的文件）")
    if s["input_errors"]:
        parts.append(f"{len(s['input_errors'])} 个文件无法读取")
    out.append("，".join(parts) + "。")
    return "\n".join(out) + "\n"
