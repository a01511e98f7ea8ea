"""Review comment list (审核意见表) as an Excel workbook (openpyxl).

Sheets: 汇总 (document info and counts), 总览 (batch ranking, several documents only),
then one comment sheet per document (header row, frozen panes, auto filter, wrapped text,
column widths). ``render_bytes`` returns reproducible bytes (fixed zip and core dates).
"""

from __future__ import annotations

import re

from govlint.output import review_model as rm

HEADER = ["序号", "位置", "原文", "问题", "修改建议", "严重程度", "规则", "规则名称", "重复来源或相关位置"]
WIDTHS = [6, 28, 60, 40, 30, 10, 11, 24, 40]
SEV_FILL = {3: "FFC7CE", 2: "FFEB9C", 1: "DDEBF7"}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
# openpyxl refuses control characters in cell values
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(v):
    return _ILLEGAL.sub("", v) if isinstance(v, str) else v


def sheet_name(d: rm.DocReview, used: set, batch: bool) -> str:
    base = "审核意见" if not batch else f"{d.index}-{d.name.rsplit('.', 1)[0]}"
    base = _BAD_SHEET.sub("_", base).strip("'")[:31] or f"{d.index}"
    name, n = base, 2
    while name.lower() in used:
        suffix = f"~{n}"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _style_header(ws, ncols: int):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    thin = Side(style="thin", color="999999")
    for col in range(1, ncols + 1):
        c = ws.cell(row=1, column=col)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = Border(bottom=thin)


def _table_sheet(ws, header, rows, widths):
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    ws.append(header)
    for row in rows:
        ws.append([_clean(v) for v in row])
    _style_header(ws, len(header))
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"


def _summary_sheet(ws, review: rm.Review):
    from openpyxl.styles import Alignment, Font
    ws.append(["审核意见表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    for d in review.documents:
        start = ws.max_row + 1
        ws.append([f"{d.index}. {d.display_title}" if review.batch else d.display_title])
        ws.cell(row=start, column=1).font = Font(bold=True)
        for label, value in rm.summary_rows(d):
            v = int(value) if value.isdigit() and label not in ("文件", "标题") else value
            ws.append([label, _clean(v)])
        ws.append([])
    if review.errors:
        ws.append(["无法读取的文件"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for p, m in review.errors:
            ws.append([_clean(p), _clean(m)])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _comment_rows(d: rm.DocReview):
    for c in d.comments:
        yield [c.number, c.location, c.marked, c.message, c.suggestion, c.severity.zh, c.code,
               c.rule_name, c.sources_text()]


def build_workbook(review: rm.Review):
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    _summary_sheet(ws, review)
    if review.batch:
        cols = rm.overview_columns(review)
        ov = wb.create_sheet("总览")
        widths = [6, 40, 40, 8, 8, 8, 10, 10][:len(cols)]
        _table_sheet(ov, cols, rm.overview_rows(review), widths)
    used = {"汇总", "总览"}
    for d in review.documents:
        sh = wb.create_sheet(sheet_name(d, used, review.batch))
        _table_sheet(sh, HEADER, list(_comment_rows(d)), WIDTHS)
        for i, c in enumerate(d.comments, 2):
            sh.cell(row=i, column=6).fill = PatternFill("solid", fgColor=SEV_FILL[int(c.severity)])
    wb.properties.creator = "govlint"
    wb.properties.title = "审核意见表"
    return wb


def render_bytes(review: rm.Review) -> bytes:
    return rm.saved_bytes(build_workbook(review))


def render(results, **kw) -> bytes:
    return render_bytes(rm.build(results))
