"""Readers: encodings, line endings, Word, PDF."""

from __future__ import annotations

import pytest

from govlint.document import Locator
from govlint.readers import InputError, read_path
from helpers import REPORT, make_docx


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""),
                                          ("gb18030", b""), ("utf-16", b"")])
def test_text_encodings_detected(tmp_path, encoding, bom):
    f = tmp_path / "r.txt"
    f.write_bytes(bom + REPORT.encode(encoding))
    doc = read_path(f)
    assert doc.text == REPORT
    assert doc.title_text.startswith("2023年度城区老旧小区改造项目")


def test_crlf_kept_and_lines_counted(tmp_path):
    f = tmp_path / "r.txt"
    f.write_bytes(REPORT.replace("\n", "\r\n").encode("utf-8"))
    doc = read_path(f)
    assert "\r\n" in doc.text
    assert doc.line_col(doc.text.index("（2）")) == (5, 1)


def test_docx_body_and_table_cells_in_order(tmp_path):
    f = make_docx(tmp_path / "r.docx", ["2023年度项目绩效自评报告", "一、项目概况"],
                  table=[["一级指标", "实际完成值"], ["产出指标", "126公里"]])
    doc = read_path(f)
    assert doc.text.split("\n") == ["2023年度项目绩效自评报告", "一、项目概况", "一级指标", "实际完成值",
                                    "产出指标", "126公里"]
    b = doc.block_at(doc.text.index("126公里"))
    assert b.locator == Locator("cell", table=0, row=1, col=1, paragraph=0)
    assert doc.line_col(doc.text.index("126公里"))[0] == 6


def test_docx_merged_cells_read_once(tmp_path):
    import docx
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    a = t.cell(0, 0).merge(t.cell(0, 2))
    a.text = "项目支出绩效自评表"
    t.cell(1, 0).text = "项目名称"
    d.save(str(tmp_path / "m.docx"))
    doc = read_path(tmp_path / "m.docx")
    assert doc.text.count("项目支出绩效自评表") == 1


def _pdf(path, text=None, password=None):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
    w = PdfWriter()
    page = w.add_blank_page(width=300, height=200)
    if text:
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): w._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(stream)
    if password:
        w.encrypt(password)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def test_pdf_text_layer(tmp_path):
    doc = read_path(_pdf(tmp_path / "r.pdf", "Performance report 2023"))
    assert "Performance report 2023" in doc.text and doc.kind == "pdf"


def test_pdf_without_text_layer_is_reported_as_scan(tmp_path):
    with pytest.raises(InputError, match="扫描件"):
        read_path(_pdf(tmp_path / "scan.pdf"))


def test_pdf_with_password(tmp_path):
    with pytest.raises(InputError, match="密码"):
        read_path(_pdf(tmp_path / "enc.pdf", "secret text", password="s3cret"))


def test_markdown_kind(tmp_path):
    f = tmp_path / "r.md"
    f.write_text("# 2023年度项目绩效自评报告\n\n## 一、项目概况\n\n内容。\n", encoding="utf-8")
    doc = read_path(f)
    assert doc.kind == "md" and [h.title for h in doc.headings] == ["项目概况"]


def test_pdf_wrapped_lines_become_paragraphs():
    from govlint.readers.pdf import join_wrapped_lines
    lines = [("2023年度农村公路养护项目绩效自评报告", 1), ("一、项目概况", 1),
             ("县交通运输局负责全县农村公路养护工作，全年养护县乡道126公里，", 1), ("村道312公里。", 1),
             ("- 1 -", 1), ("二、资金使用情况", 2),
             ("全年预算资金320万元，实际支出320万元，执行率100%，资金全部用于", 2), ("路面修补和桥涵维护。", 2),
             ("（一）资金到位情况", 2)]
    assert join_wrapped_lines(lines) == [
        ("2023年度农村公路养护项目绩效自评报告", 1), ("一、项目概况", 1),
        ("县交通运输局负责全县农村公路养护工作，全年养护县乡道126公里，村道312公里。", 1),
        ("二、资金使用情况", 2), ("全年预算资金320万元，实际支出320万元，执行率100%，资金全部用于路面修补和桥涵维护。", 2),
        ("（一）资金到位情况", 2)]


def test_docx_heading_styles_numbered_by_word_are_sections(tmp_path):
    import docx
    from govlint.config import Config
    from govlint.engine import lint
    d = docx.Document()
    d.add_paragraph("2023年度农村公路养护项目绩效自评报告")
    d.add_heading("项目概况", level=1)
    d.add_paragraph("养护县乡道126公里。")
    d.add_heading("其他需说明的问题", level=1)
    d.save(str(tmp_path / "h.docx"))
    doc = read_path(tmp_path / "h.docx")
    assert [(h.title, h.level) for h in doc.headings] == [("项目概况", 1), ("其他需说明的问题", 1)]
    codes = {f.code for f in lint(doc, Config(), codes={"STRUCT001", "STRUCT003"})}
    assert codes == {"STRUCT003"}


def test_docx_nested_table_text_is_read(tmp_path):
    import docx
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "外层"
    inner = t.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "内层表格文字"
    d.save(str(tmp_path / "n.docx"))
    doc = read_path(tmp_path / "n.docx")
    assert "内层表格文字" in doc.text
    assert doc.block_at(doc.text.index("内层")).locator.kind == "nested-cell"


def test_docx_tracked_insertions_are_text_deletions_are_not(tmp_path):
    import docx
    from docx.oxml import parse_xml
    d = docx.Document()
    p = d.add_paragraph("全年实际支出")
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>900</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>800</w:delText></w:r></w:del>'))
    p.add_run("万元。")
    d.save(str(tmp_path / "t.docx"))
    assert read_path(tmp_path / "t.docx").text == "全年实际支出900万元。"


def test_markdown_title_without_hashes(tmp_path):
    f = tmp_path / "r.md"
    f.write_text("# 2023年度项目绩效自评报告\n\n## 一、项目概况\n\n内容。\n", encoding="utf-8")
    assert read_path(f).title_text == "2023年度项目绩效自评报告"


def test_govlint_outputs_are_recognised(tmp_path):
    """By govlint's signature only (issue #19): files that merely look like outputs — a user's
    own 审核意见表.md, a .json with findings/summary keys, a .txt whose last line starts 共检查 —
    are the user's and are never replaced."""
    from govlint.guard import govlint_made, sign_text
    (tmp_path / "a.json").write_text('{"findings": [], "summary": {"generator": "govlint"}}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"findings": []}', encoding="utf-8")
    (tmp_path / "c.txt").write_text(sign_text("x\n共检查 3 个文件，未发现问题。\n"), encoding="utf-8")
    (tmp_path / "d.txt").write_text("一份报告\n", encoding="utf-8")
    (tmp_path / "e.md").write_text(sign_text("# 审核意见表\n", "md"), encoding="utf-8")
    (tmp_path / "f.json").write_text('{"findings": [], "summary": {}}', encoding="utf-8")
    (tmp_path / "g.txt").write_text("x\n共检查 3 个文件，未发现问题。\n", encoding="utf-8")
    (tmp_path / "h.md").write_text("# 审核意见表\n", encoding="utf-8")
    made = {p.name for p in tmp_path.iterdir() if govlint_made(p)}
    assert made == {"a.json", "c.txt", "e.md"}


def test_block_locators_are_typed_records_that_pickle(tmp_path):
    """A Block's locator is a ``Locator`` with named fields (not a dict) and crosses process
    boundaries (``--jobs`` workers send blocks back to the parent)."""
    import pickle
    path = make_docx(tmp_path / "t.docx", ["一、项目概况"], table=[["项目", "金额"], ["道路", "30万元"]])
    doc = read_path(path)
    kinds = {b.locator.kind for b in doc.blocks}
    assert kinds == {"paragraph", "cell"}
    cell = next(b.locator for b in doc.blocks if b.locator.kind == "cell")
    assert isinstance(cell, Locator) and cell.index is None and cell.sheet is None
    assert cell.get("kind") == "cell" and cell.get("sheet", "-") == "-"
    assert pickle.loads(pickle.dumps(doc.blocks))[0].locator == doc.blocks[0].locator
