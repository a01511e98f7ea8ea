"""Review comment list (审核意见表) as a formal Word document (python-docx).

Landscape A4: the title 审核意见表, then per document a document-info table, a summary
table, the comment table (序号, 位置, 原文 with the span bold and highlighted, 问题,
修改建议, 严重程度, 规则) and the reviewer's fields (审核人, 审核日期, 审核结论). A batch
starts with the overview (ranking) table and the files that could not be read.

Made to print and open alike in Word, WPS and LibreOffice: the table grid carries the real
column widths (``w:gridCol``, which LibreOffice and WPS lay out by), fixed layout, header
rows repeated on every page, rows never split across pages, Chinese (zh-CN) as the
document language, 仿宋/黑体 with 宋体 and SimSun as fallbacks.
"""

from __future__ import annotations


from govlint.output import review_model as rm

COMMENT_HEADER = ["序号", "位置", "原文", "问题", "修改建议", "严重程度", "规则"]
COMMENT_WIDTHS_CM = [1.2, 4.0, 8.0, 5.5, 4.0, 1.7, 2.4]
BODY_FONT = "仿宋"
HEAD_FONT = "黑体"


def _font(run, name: str, size: float | None = None, bold: bool | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt
    run.font.name = name
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _para(container, text: str = "", *, bold=False, size=10.5, font=BODY_FONT, align=None):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold)
    return p


def _cell_text(cell, text: str, *, bold=False, size=9):
    p = cell.paragraphs[0]
    _font(p.add_run(text), BODY_FONT if not bold else HEAD_FONT, size, bold)
    return p


def _shade(cell, color: str):
    from docx.oxml.ns import qn
    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): color})
    tcpr.append(shd)


def _table(doc, header, rows, widths_cm=None):
    from docx.shared import Cm
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for i, h in enumerate(header):
        c = t.rows[0].cells[i]
        _cell_text(c, str(h), bold=True)
        _shade(c, "D9E1F2")
    _repeat_header(t.rows[0])
    for row in rows:
        cells = t.add_row().cells
        for i, v in enumerate(row):
            _cell_text(cells[i], "" if v is None else str(v))
    if widths_cm:
        t.autofit = False
        _grid(t, widths_cm)
        for row in t.rows:
            for i, w in enumerate(widths_cm):
                row.cells[i].width = Cm(w)
    for row in t.rows:
        _keep_row(row)
    return t


def _grid(table, widths_cm) -> None:
    """The real column widths in the table grid, and a fixed layout (LibreOffice and WPS lay out by the grid)."""
    from docx.oxml.ns import qn
    tbl = table._tbl
    grid = tbl.tblGrid
    cols = grid.findall(qn("w:gridCol"))
    for col, w in zip(cols, widths_cm):
        col.set(qn("w:w"), str(int(round(w * 567))))
    tblpr = tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = tblpr.makeelement(qn("w:tblLayout"), {})
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _keep_row(row) -> None:
    """A row is never split across pages."""
    from docx.oxml.ns import qn
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, trpr.makeelement(qn("w:cantSplit"), {}))


def _repeat_header(row):
    from docx.oxml.ns import qn
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _comment_table(doc, d: rm.DocReview):
    from docx.enum.text import WD_COLOR_INDEX
    t = _table(doc, COMMENT_HEADER, [], COMMENT_WIDTHS_CM)
    from docx.shared import Cm
    for c in d.comments:
        row = t.add_row()
        _keep_row(row)
        cells = row.cells
        for i, w in enumerate(COMMENT_WIDTHS_CM):
            cells[i].width = Cm(w)
        _cell_text(cells[0], str(c.number))
        _cell_text(cells[1], c.location)
        p = cells[2].paragraphs[0]
        _font(p.add_run(c.before), BODY_FONT, 9)
        mark = p.add_run(c.span or "‸")
        _font(mark, BODY_FONT, 9, True)
        mark.font.highlight_color = WD_COLOR_INDEX.YELLOW
        _font(p.add_run(c.after), BODY_FONT, 9)
        for s in c.sources:
            sp = cells[2].add_paragraph()
            note = f"（{s.note}）" if s.note else ""
            _font(sp.add_run(f"{c.sources_label}：{s.where}{note}"), HEAD_FONT, 8)
            _font(sp.add_run(f"：{s.excerpt}"), BODY_FONT, 8)
        _cell_text(cells[3], c.message)
        _cell_text(cells[4], c.suggestion or "—")
        _cell_text(cells[5], c.severity.zh)
        _cell_text(cells[6], c.code)
        if c.rule_name:    # the Chinese title under the code
            _font(cells[6].add_paragraph().add_run(c.rule_name), BODY_FONT, 8)
    return t


def _document_part(doc, d: rm.DocReview, review: rm.Review):
    prefix = f"{d.index}. " if review.batch else ""
    _para(doc, f"{prefix}{d.display_title}", bold=True, size=14, font=HEAD_FONT)
    _para(doc, "一、文件信息", bold=True, size=12, font=HEAD_FONT)
    info = [("文件", d.path), ("标题", d.title or "（未识别）"), ("问题总数", str(d.total))]
    _table(doc, ["项目", "内容"], info, [4, 20])
    _para(doc, "二、问题汇总", bold=True, size=12, font=HEAD_FONT)
    _table(doc, ["项目", "数量"], rm.summary_rows(d)[3:], [8, 6])
    _para(doc, "三、审核意见", bold=True, size=12, font=HEAD_FONT)
    if d.comments:
        _comment_table(doc, d)
    else:
        _para(doc, "未发现问题。")
    _para(doc, "四、审核结论", bold=True, size=12, font=HEAD_FONT)
    _table(doc, ["审核人", "审核日期", "审核结论"],
           [["", "    年    月    日", "□ 通过    □ 修改后通过    □ 退回修改"]], [6, 7, 12.7])


def _chinese_defaults(doc) -> None:
    """zh-CN as the document language and 仿宋 (宋体, SimSun) as the default East Asian font."""
    from docx.oxml.ns import qn
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    for name, alt in ((BODY_FONT, "宋体"), (HEAD_FONT, "宋体"), ("宋体", "SimSun")):
        _font_alternative(doc, name, alt)


def _font_alternative(doc, name: str, alt: str) -> None:
    """A font-table entry naming a fallback (w:altName) for a font the reader may not have."""
    from docx.oxml.ns import qn
    part = doc.part
    try:
        fonts_part = next(p for p in part.package.iter_parts() if p.partname.endswith("/fontTable.xml"))
    except StopIteration:
        return
    from lxml import etree
    root = etree.fromstring(fonts_part.blob)
    for f in root.findall(qn("w:font")):
        if f.get(qn("w:name")) == name:
            return
    f = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
    etree.SubElement(f, qn("w:altName"), {qn("w:val"): alt})
    etree.SubElement(f, qn("w:charset"), {qn("w:val"): "86"})
    fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_document(review: rm.Review):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    doc = docx.Document()
    _chinese_defaults(doc)
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.0))
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    _para(doc, "审核意见表", bold=True, size=22, font="方正小标宋简体", align=WD_ALIGN_PARAGRAPH.CENTER)
    if review.batch:
        _para(doc, "总览", bold=True, size=14, font=HEAD_FONT)
        cols = rm.overview_columns(review)
        _table(doc, cols, rm.overview_rows(review), [1.5, 8, 8, 1.6, 1.6, 1.6, 2, 2][:len(cols)])
    if review.errors:
        _para(doc, "无法读取的文件", bold=True, size=14, font=HEAD_FONT)
        _table(doc, ["文件", "原因"], [[p, m] for p, m in review.errors], [12, 13.7])
    for i, d in enumerate(review.documents):
        if i:
            doc.add_page_break()
        _document_part(doc, d, review)
    cp = doc.core_properties
    cp.title = "审核意见表"
    cp.author = "govlint"
    cp.last_modified_by = "govlint"
    cp.revision = 1
    return doc


def render_bytes(review: rm.Review) -> bytes:
    return rm.saved_bytes(build_document(review))


def render(results, **kw) -> bytes:
    return render_bytes(rm.build(results))
