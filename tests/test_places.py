"""Places a reader of the original file can find (#18): Word 第N段 / table cell, Excel 表名!F4,
PDF/OFD 第P页第L行, in text, JSON and the review list; .txt/.md output unchanged.

The PDF is LibreOffice's export of a .docx the test writes; LibreOffice or pdftotext missing →
``helpers.unavailable`` (skip locally, fail under ``.ci/run``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from govlint.document import Document, Locator, cell_label
from govlint.readers import read_path
from govlint.readers.pdf import paged_text
from helpers import REPORT, make_docx, run_cli, unavailable

TITLE = "2023年度农村供水项目绩效自评报告"
BODY = ("县水务局负责实施城区供水管网改造，项目实行监理全过程旁站，隐蔽工程经监理签字后方可进入下道工序，"
        "材料进场实行见证取样送检制度。")
PARAS = [TITLE, "一、项目概况", BODY, "二、绩效目标完成情况", BODY]
TABLE = [["指标", "完成情况"], ["管网改造长度", "完成XX公里，达到年度目标"]]


def _check(path: Path, fmt: str, *extra: str, env: dict | None = None) -> str:
    p = run_cli("check", path.name, "--format", fmt, "--no-color", "--select", "DUP001,STYLE002", *extra,
                cwd=path.parent, env=env)
    assert p.returncode == 1, p.stderr_text
    return p.stdout_text


@pytest.fixture
def word(tmp_path) -> Path:
    return make_docx(tmp_path / "报告.docx", PARAS, table=TABLE)


def test_word_text_output_names_paragraph_and_cell(word):
    out = _check(word, "text")
    # the machine-readable prefix stays; the paragraph or cell follows it
    assert "报告.docx:5:1: 第5段 DUP001 警告 本段整段与第3段（“项目概况”）的内容重复" in out
    assert "= 参见：报告.docx:3:1 第3段（首次出现的位置）" in out
    assert "报告.docx:9:3: 第1张表第2行第2列 STYLE002 错误" in out


def test_word_json_has_place_but_no_page(word):
    found = {f["code"]: f for f in json.loads(_check(word, "json"))["findings"]}
    assert found["STYLE002"]["place"] == "第1张表第2行第2列" and "page" not in found["STYLE002"]
    assert found["DUP001"]["place"] == "第5段"
    assert found["DUP001"]["related"][0]["place"] == "第3段"


def test_sarif_carries_the_place_in_its_property_bag(word):
    results = json.loads(_check(word, "sarif"))["runs"][0]["results"]
    assert {r["properties"]["place"] for r in results} == {"第5段", "第1张表第2行第2列"}
    assert all("startLine" in r["locations"][0]["physicalLocation"]["region"] for r in results)


def _workbook(tmp_path) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = TITLE
    ws["B3"] = "完成XX公里"
    ws["F4"] = BODY
    ws["F6"] = BODY
    path = tmp_path / "自评表.xlsx"
    wb.save(path)
    return path


def test_workbook_places_are_cells(tmp_path):
    path = _workbook(tmp_path)
    out = _check(path, "text")
    assert "自评表.xlsx:2:3: 自评表!B3 STYLE002 错误" in out
    assert "自评表!F6 DUP001 警告 本段整段与自评表!F4的内容重复" in out
    found = {f["code"]: f for f in json.loads(_check(path, "json"))["findings"]}
    assert found["DUP001"]["place"] == "自评表!F6" and found["DUP001"]["related"][0]["place"] == "自评表!F4"
    assert "page" not in found["DUP001"]


def test_plain_text_output_has_no_places(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT + "\n" + BODY + "\n" + BODY + "\n", encoding="utf-8")
    out = _check(tmp_path / "report.txt", "text")
    heads = [line for line in out.splitlines() if line.startswith("report.txt:")]
    assert heads and all(re.match(r"report\.txt:\d+:\d+: [A-Z]+\d{3} ", h) for h in heads)
    assert "与第" in out and "行" in out.split("与第", 1)[1][:4]      # DUP001 still says 第N行
    for f in json.loads(_check(tmp_path / "report.txt", "json"))["findings"]:
        assert "place" not in f and "page" not in f
        assert all("place" not in r for r in f["related"])


def test_page_lines_count_the_lines_of_the_page():
    pages = [["XX县财政局", "一、项目概况", "", "县水务局负责实施城区供水管网改造，项目实行监理全过程旁站，",
              "隐蔽工程经监理签字后方可进入下道工序。"],
             ["XX县财政局", "二、绩效目标完成情况", "新建管网12公里。"]]
    line_map: list = []
    text, blocks = paged_text(pages, line_map=line_map)
    doc = Document("r.pdf", text, "pdf", blocks=blocks, meta={"page_lines": tuple(line_map)})
    assert doc.place(text.index("一、")) == "第1页第2行"
    assert doc.place(text.index("县水务局")) == "第1页第3行"          # the blank line is not a line
    assert doc.place(text.index("隐蔽工程")) == "第1页第4行"          # the wrapped line of the same paragraph
    assert doc.place(text.index("新建管网")) == "第2页第3行" and doc.page_at(text.index("新建管网")) == 2
    # without the reader's line map (pypdf): the page alone
    bare = Document("r.pdf", text, "pdf", blocks=blocks)
    assert bare.place(text.index("隐蔽工程")) == "第1页" and bare.page_at(text.index("新建管网")) == 2


def test_labels_of_cells_and_plain_text():
    assert cell_label(0, 1, 2) == "第1张表第2行第3列"
    assert cell_label(1, 0, 0, page=3) == "第3页第2张表第1行第1列"
    doc = Document("t.txt", "一、概况\n内容。", "txt")
    assert doc.place(5) == "" and doc.page_at(5) is None
    nested = Document("n.docx", "外\n内", "docx", blocks=[
        doc_block(0, 1, Locator("cell", table=0, row=0, col=0, paragraph=0)),
        doc_block(2, 3, Locator("nested-cell", table=0, row=1, col=0, paragraph=0, path=((0, 1, 0),)))])
    assert nested.place(2) == "第1张表第1行第2列内第1张表第2行第1列"


def doc_block(a, b, loc):
    from govlint.document import Block
    return Block(a, b, loc)


def test_review_list_uses_the_same_places(tmp_path, word):
    from govlint import runner
    from govlint.output import review_model
    r = runner.check_paths([str(word), str(_workbook(tmp_path))], jobs=1)
    review = review_model.build(r)
    cells = {(d.kind, c.code): (c.unit, c.cell, [s.where for s in c.sources])
             for d in review.documents for c in d.comments}
    assert cells[("docx", "STYLE002")][:2] == ("第9段", "第1张表第2行第2列")
    assert cells[("docx", "DUP001")] == ("第5段", "", ["第3段"])
    assert cells[("xlsx", "DUP001")] == ("第4行", "自评表!F6", ["第3行（自评表!F4）"])


def _to_pdf(src: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        unavailable("LibreOffice (soffice) is not installed")
    if not shutil.which("pdftotext"):
        unavailable("poppler-utils (pdftotext) is not installed")
    out = src.parent / "pdf"
    out.mkdir()
    subprocess.run([exe, "--headless", f"-env:UserInstallation={(out / '.profile').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / (src.stem + ".pdf")


def test_pdf_findings_name_page_and_line(word):
    pdf = _to_pdf(word)
    doc = read_path(pdf)
    assert doc.meta.extractor == "pdftotext" and doc.meta.page_lines
    out = _check(pdf, "text")
    # PARAS: title, heading, BODY (two lines on the page), heading, BODY again (lines 6–7)
    assert re.search(r"报告\.pdf:\d+:1: 第1页第6行 DUP001 警告 本段整段与第1页第3行（“项目概况”）的内容重复", out), out
    assert re.search(r"= 参见：报告\.pdf:\d+:1 第1页第3行（首次出现的位置）", out), out
    found = {f["code"]: f for f in json.loads(_check(pdf, "json"))["findings"]}
    assert found["DUP001"]["page"] == 1 and found["DUP001"]["place"] == "第1页第6行"
    assert found["DUP001"]["related"][0]["page"] == 1
    xx = found["STYLE002"]
    assert xx["page"] == 1 and re.fullmatch(r"第1页(第\d+行|第1张表第2行第2列)", xx["place"]), xx["place"]
    # pypdf's lines follow the content stream: the page alone
    by_pypdf = json.loads(_check(pdf, "json", "--jobs", "2", env={"GOVLINT_PDF_READER": "pypdf"}))["findings"]
    assert {(f["page"], f["place"]) for f in by_pypdf if f["code"] == "DUP001"} == {(1, "第1页")}


def test_ofd_findings_name_page_and_line(tmp_path):
    from test_readers_formats import make_ofd
    path = make_ofd(tmp_path / "报告.ofd", [[TITLE, "一、项目概况", "完成XX公里。"],
                                            ["二、绩效目标完成情况", "", "资金到位率XX%。"]])
    found = [f for f in json.loads(_check(path, "json"))["findings"] if f["code"] == "STYLE002"]
    assert [(f["page"], f["place"]) for f in found] == [(1, "第1页第3行"), (2, "第2页第2行")]
    assert "报告.ofd:3:3: 第1页第3行 STYLE002 错误" in _check(path, "text")
