"""Ruled tables in PDFs become table blocks (#18): the self-evaluation table rules run on them.

The PDFs are LibreOffice exports of the project's own Word samples (corpora/tables/make_samples.py
builds word_clean.docx and word_faulty.docx: merged 一级指标 cells, an empty note, a table continued
on the next page). LibreOffice, poppler's pdftotext or pdfplumber missing → ``helpers.unavailable``
(skip locally, fail under ``.ci/run``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from govlint import runner
from govlint.readers import read_path
from govlint.readers import pdf_tables
from helpers import REPORT, make_docx, unavailable

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "tables"
TABLE_CODES = {"SCORE001", "SCORE002", "SCORE003", "SCORE004", "FUND002", "IND001", "NUM001"}


def _tools():
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        unavailable("LibreOffice (soffice) is not installed")
    if not shutil.which("pdftotext"):
        unavailable("poppler-utils (pdftotext) is not installed")
    if not pdf_tables.available():
        unavailable("pdfplumber is not installed")


def _to_pdf(src: Path, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    outdir.mkdir(exist_ok=True)
    profile = (outdir / ".profile").as_uri()
    subprocess.run([exe, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    out = outdir / (src.stem + ".pdf")
    assert out.is_file()
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    _tools()
    d = tmp_path_factory.mktemp("pdftab")
    return {name: _to_pdf(SAMPLES / f"{name}.docx", d) for name in ("word_clean", "word_faulty")}


_REF = re.compile(r"(?:第\d+页)?第\d+张表第\d+行(?:第\d+列)?")


def _table_findings(path: Path) -> list[tuple]:
    r = runner.check_paths([str(path)], jobs=1)[0]
    assert r.error is None
    return sorted((f.code, f.severity.name, _REF.sub("<cell>", f.message))
                  for f in r.findings if f.code in TABLE_CODES)


@pytest.mark.parametrize("name", ["word_clean", "word_faulty"])
def test_pdf_gives_the_table_findings_of_the_docx(pdfs, name):
    want = _table_findings(SAMPLES / f"{name}.docx")
    got = _table_findings(pdfs[name])
    assert got == want
    if name == "word_faulty":
        assert len(want) >= 10          # the faulty sample's table errors, not an empty comparison


def _variant(path: Path, budget, edit=None) -> Path:
    """The faulty Word sample (make_samples), with another budget row or edited in its XML."""
    from test_table_recover import docx_variant_at
    return docx_variant_at(path, budget, edit)


def _grid_before(d):
    """The 可持续影响指标 row saved with w:gridBefore instead of its merged first cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    tr = d.tables[1].rows[3]._tr
    tr.remove(tr.tc_lst[0])
    gb = OxmlElement("w:gridBefore")
    gb.set(qn("w:val"), "1")
    tr.get_or_add_trPr().insert(0, gb)


def test_pdf_empty_initial_budget_and_a_row_without_its_first_cell(tmp_path):
    """An empty 年初预算数 cell gives the .docx findings; a row drawn without its first cell
    (w:gridBefore) leaves a hole in the grid: that table stays text, and no finding is wrong."""
    _tools()
    full = ["1000", "1000", "950", "10", "98%", "9.8"]
    empty = _variant(tmp_path / "empty.docx", [""] + full[1:])
    holed = _variant(tmp_path / "holed.docx", full, _grid_before)
    out = tmp_path / "pdf"
    want_empty, want_holed = _table_findings(empty), _table_findings(holed)
    assert _table_findings(_to_pdf(empty, out)) == want_empty
    got = _table_findings(_to_pdf(holed, out))
    assert got and set(got) < set(want_holed)


def test_pdf_table_blocks_have_word_shape_and_page(pdfs):
    doc = read_path(pdfs["word_faulty"])
    cells = [b for b in doc.blocks if b.locator.kind == "cell"]
    assert cells and doc.meta.tables
    assert {b.locator.page for b in cells} == {1, 2}
    assert all(b.locator.table < len(doc.meta.tables) for b in cells)
    # a merged 一级指标 cell is one cell over the rows it spans, read once
    layout = doc.meta.tables[0]
    assert any(row[0] != (r, 0) for r, row in enumerate(layout))
    text = {doc.text[b.start:b.end] for b in cells}
    assert {"年度指标值", "实际完成值", "偏差原因分析及改进措施", "≥20公里", "2023年12月前"} <= text
    # messages name the page of the cell
    r = runner.check_paths([str(pdfs["word_faulty"])], jobs=1)[0]
    assert any(f.code == "SCORE003" and "第1页第1张表" in f.message for f in r.findings)


def test_text_outside_tables_is_as_before_and_table_text_not_repeated(pdfs, monkeypatch):
    with_tables = read_path(pdfs["word_faulty"])
    monkeypatch.setenv("GOVLINT_PDF_TABLES", "0")
    before = read_path(pdfs["word_faulty"])
    assert not before.meta.tables
    prose = [with_tables.text[b.start:b.end] for b in with_tables.blocks if b.locator.kind == "page"]
    old = before.text.split("\n")
    # every paragraph outside the tables is one of the old reader's paragraphs, in the same order
    at = 0
    for p in prose:
        assert p in old[at:], p
        at = old.index(p, at) + 1
    assert any("自评表见下" in p for p in prose)
    # no table text left among the paragraphs
    cells = [with_tables.text[b.start:b.end] for b in with_tables.blocks if b.locator.kind == "cell"]
    assert "新建农村公路及危桥改造按计划推进，沿线群众出行条件改善。" in cells
    assert not set(prose) & {c for c in cells if c}
    assert not [p for p in prose if "按计划推进" in p or "偏差原" in p or "年度指" in p]
    assert "偏差原" in before.text      # the old reader did have the table's text there


def test_pdf_without_ruled_tables_reads_as_before(tmp_path, monkeypatch):
    _tools()
    # python-docx's default table style draws no lines: not a ruled table, so text as before
    src = make_docx(tmp_path / "r.docx", REPORT.splitlines(),
                    table=[["一级指标", "分值", "得分"], ["产出指标", "50", "48"]])
    pdf = _to_pdf(src, tmp_path / "conv")
    doc = read_path(pdf)
    monkeypatch.setenv("GOVLINT_PDF_TABLES", "0")
    before = read_path(pdf)
    assert doc.text == before.text
    assert [(b.start, b.end, b.locator) for b in doc.blocks] == [(b.start, b.end, b.locator) for b in before.blocks]
    assert not doc.meta.tables and not any(b.locator.kind == "cell" for b in doc.blocks)


def test_without_pdfplumber_tables_stay_text(pdfs, monkeypatch):
    monkeypatch.setattr(pdf_tables, "find_tables", lambda path: {})
    doc = read_path(pdfs["word_faulty"])
    assert not doc.meta.tables and not any(b.locator.kind == "cell" for b in doc.blocks)


# ----- the certainty checks, without any tool ------------------------------------------------

class _Row:
    def __init__(self, cells):
        self.cells = cells


class _Table:
    """The part of pdfplumber's Table that pdf_tables reads."""

    def __init__(self, rows, texts):
        self.rows = [_Row(r) for r in rows]
        self.cells = [b for r in rows for b in r if b is not None]
        self._texts = texts
        xs = [b[0] for b in self.cells] + [b[2] for b in self.cells]
        ys = [b[1] for b in self.cells] + [b[3] for b in self.cells]
        self.bbox = (min(xs), min(ys), max(xs), max(ys))

    def extract(self):
        return self._texts


def test_merged_cells_tile_the_grid():
    # 一级指标 merged over two rows (pdfplumber gives None below it)
    rows = [[(0, 0, 10, 10), (10, 0, 20, 10), (20, 0, 30, 10)],
            [(0, 10, 10, 30), (10, 10, 20, 20), (20, 10, 30, 20)],
            [None, (10, 20, 20, 30), (20, 20, 30, 30)]]
    texts = [["一级指\n标", "分值", "得分"], ["产出指\n标", "50", "48"], [None, "30", "30"]]
    t = pdf_tables._certain(_Table(rows, texts), 1)
    assert t is not None
    assert t.layout == (((0, 0), (0, 1), (0, 2)), ((1, 0), (1, 1), (1, 2)), ((1, 0), (2, 1), (2, 2)))
    assert t.cells[(0, 0)] == "一级指标" and t.cells[(1, 0)] == "产出指标"


def test_a_hole_in_the_grid_is_not_certain():
    # the last row lacks its middle cell: its shape is not the header's
    rows = [[(0, 0, 10, 10), (10, 0, 20, 10), (20, 0, 30, 10)],
            [(0, 10, 10, 20), None, (20, 10, 30, 20)]]
    texts = [["一级指标", "分值", "得分"], ["产出指标", None, "48"]]
    assert pdf_tables._certain(_Table(rows, texts), 1) is None


def test_overlapping_cells_are_not_certain():
    rows = [[(0, 0, 20, 10), (10, 0, 30, 10)],
            [(0, 10, 10, 20), (10, 10, 30, 20)]]
    texts = [["a", "b"], ["c", "d"]]
    assert pdf_tables._certain(_Table(rows, texts), 1) is None


def test_cell_lines_join_without_spaces_except_between_latin_words():
    assert pdf_tables.cell_text("偏差原\n因分析\n及改进\n措施") == "偏差原因分析及改进措施"
    assert pdf_tables.cell_text("≤300\n万元") == "≤300万元"
    assert pdf_tables.cell_text("Phase\n2") == "Phase 2"


def test_lines_with_other_text_in_the_table_box_stay_text():
    table = pdf_tables.PdfTable(1, (0, 0, 100, 100), {(0, 0): "分值", (0, 1): "得分"},
                                (((0, 0), (0, 1)),))
    page = ["前文。", "分值", "得分", "另一段"]
    boxes = [[("前文。", (0, -20, 50, -10)), ("分值", (0, 0, 10, 10)), ("得分", (20, 0, 30, 10)),
              ("另一段", (0, 50, 30, 60))]]        # 另一段 lies inside the box but is no cell
    lines = [list(page)]
    assert pdf_tables.mark_tables(lines, boxes, {1: [table]}) == []
    assert lines == [page]
    boxes[0][3] = ("另一段", (0, 150, 30, 160))      # below the table: the table is certain
    placed = pdf_tables.mark_tables(lines, boxes, {1: [table]})
    assert placed == [table]
    assert lines[0] == ["前文。", pdf_tables.marker(0), "", "另一段"]


def _grid_table(page, rows, xs=(0, 10, 20, 30)):
    """A PdfTable of one-cell-per-position rows (no merges)."""
    cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)}
    layout = tuple(tuple((r, c) for c in range(len(row))) for r, row in enumerate(rows))
    return pdf_tables.PdfTable(page, (0, 0, 30, 100), cells, layout, xs)


def test_row_broken_across_a_page_is_joined():
    header = ["三级指标", "年度指标值", "得分"]
    p1 = _grid_table(1, [header, ["新建农村公路", "≥20公", "15"]])
    p2 = _grid_table(2, [header, ["", "里", ""], ["改造危桥", "≥4座", "10"]])
    got = pdf_tables.join_broken_rows({1: [p1], 2: [p2]})
    assert got[1][0].cells[(1, 1)] == "≥20公里"
    assert [got[2][0].cells[(r, 0)] for r in range(len(got[2][0].layout))] == ["三级指标", "改造危桥"]
    assert got[2][0].layout == (((0, 0), (0, 1), (0, 2)), ((1, 0), (1, 1), (1, 2)))


def test_a_full_row_on_the_next_page_is_not_joined():
    header = ["三级指标", "年度指标值", "偏差原因"]
    p1 = _grid_table(1, [header, ["新建农村公路", "≥20公里", "无"]])
    p2 = _grid_table(2, [header, ["每公里建设成本", "≤300万元", ""]])      # an empty note: its own row
    got = pdf_tables.join_broken_rows({1: [p1], 2: [p2]})
    assert got[1][0].cells[(1, 1)] == "≥20公里" and got[2][0].cells[(1, 0)] == "每公里建设成本"
    other = _grid_table(2, [header, ["", "里", ""]], xs=(0, 15, 20, 30))   # other columns: another table
    got = pdf_tables.join_broken_rows({1: [_grid_table(1, [header, ["a", "≥20公", "1"]])], 2: [other]})
    assert got[1][0].cells[(1, 1)] == "≥20公"


def test_pdf_row_broken_at_the_page_end_reads_whole(pdfs):
    doc = read_path(pdfs["word_faulty"])
    cells = [doc.text[b.start:b.end] for b in doc.blocks if b.locator.kind == "cell"]
    assert "可持续影响指标" in cells          # LibreOffice broke this row over pages 1 and 2
    assert "可持续影响指" not in cells


def test_nothing_joins_across_an_uncertain_table():
    header = ["三级指标", "年度指标值", "得分"]
    p1 = _grid_table(1, [header, ["新建农村公路", "≥20公里", "15"]])
    p2 = _grid_table(2, [header, ["", "里", ""], ["改造危桥", "≥4座", "10"]])
    # page 1 ends with a table whose shape was not certain: page 2's first table may open with
    # the rest of its broken row, so it is not taken either
    got = pdf_tables.join_broken_rows({1: [p1, None], 2: [p2]})
    assert got == {1: [p1]} and p1.cells[(1, 1)] == "≥20公里"


def test_row_broken_across_a_page_without_a_repeated_header():
    p1 = _grid_table(1, [["三级指标", "年度指标值", "得分"], ["受益群众人数", "≥1.2万", "15"]])
    p2 = _grid_table(2, [["", "人", ""], ["满意度", "≥90%", "10"]])
    got = pdf_tables.join_broken_rows({1: [p1], 2: [p2]})
    assert got[1][0].cells[(1, 1)] == "≥1.2万人" and got[2][0].cells[(0, 0)] == "满意度"
