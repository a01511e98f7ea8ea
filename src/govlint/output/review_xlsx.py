"""Review comment list (审核意见表) as an Excel workbook (openpyxl).

Sheets: 汇总 (document info and counts), 总览 (batch ranking with a link to each report's
sheet, and the files that could not be read; several documents only), then one comment
sheet per document (header row, frozen panes, auto filter, wrapped text, column widths).
Every sheet prints: landscape A4 fitted to one page wide, the header row repeated on each
page, a CJK font (宋体). Sheet names of a batch carry the report's number and title.
``render_bytes`` returns reproducible bytes (fixed zip and core dates).
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


FONT = "宋体"


def sheet_name(d: rm.DocReview, used: set, batch: bool) -> str:
    label = d.title or d.name.rsplit('.', 1)[0]
    for cut in ("绩效自评报告", "支出绩效自评报告", "自评报告", "项目"):
        if label.endswith(cut) and len(label) > len(cut) + 2:
            label = label[:-len(cut)]
    base = "审核意见" if not batch else f"{d.index:02d} {label}"
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


def _print_setup(ws, title_rows: str | None = "1:1") -> None:
    """Landscape A4, one page wide, header row on every page, small margins."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True


def _fonts(ws) -> None:
    from openpyxl.styles import Font
    for row in ws.iter_rows():
        for c in row:
            f = c.font
            c.font = Font(name=FONT, size=f.size or 10.5, bold=f.bold, color=f.color, underline=f.underline)


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
    _print_setup(ws)


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
    _print_setup(ws, None)


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
    used = {"汇总", "总览"}
    names = {d.index: sheet_name(d, used, review.batch) for d in review.documents}
    if review.batch:
        from openpyxl.styles import Font
        cols = rm.overview_columns(review) + ["意见表"]
        ov = wb.create_sheet("总览")
        widths = [6, 40, 40, 8, 8, 8, 10, 10, 14][:len(cols) - 1] + [14]
        rows = [row + ["查看"] for row in rm.overview_rows(review)]
        rows += [["—", p, f"无法读取：{m}"] + [""] * (len(cols) - 3) for p, m in review.errors]
        _table_sheet(ov, cols, rows, widths)
        by_path = {d.path: d for d in review.documents}
        for r, row in enumerate(rows, 2):
            d = by_path.get(row[1])
            link = ov.cell(row=r, column=len(cols))
            if d is not None and row[0] != "—":
                from openpyxl.worksheet.hyperlink import Hyperlink
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{names[d.index]}'!A1")
                link.font = Font(color="0563C1", underline="single")
            else:
                link.value = ""
        wb.active = wb.sheetnames.index("总览")      # a batch opens on its ranking
    for d in review.documents:
        sh = wb.create_sheet(names[d.index])
        _table_sheet(sh, HEADER, list(_comment_rows(d)), WIDTHS)
        for i, c in enumerate(d.comments, 2):
            sh.cell(row=i, column=6).fill = PatternFill("solid", fgColor=SEV_FILL[int(c.severity)])
    for sheet in wb.worksheets:
        _fonts(sheet)
    wb.properties.creator = "govlint"
    wb.properties.title = "审核意见表"
    return wb


def render_bytes(review: rm.Review) -> bytes:
    return rm.saved_bytes(build_workbook(review))


def render(results, **kw) -> bytes:
    return render_bytes(rm.build(results))
