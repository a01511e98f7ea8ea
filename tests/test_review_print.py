"""The review lists as a reviewer prints and sends them: rendered by LibreOffice, pages and columns checked."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers import REPORT, run_cli, unavailable

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def _tools():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        unavailable("LibreOffice (soffice) is not installed")
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        unavailable("poppler-utils (pdftotext, pdftoppm) is not installed")
    return soffice


def _to_pdf(soffice: str, src: Path, tmp: Path) -> Path:
    out = tmp / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(src)], capture_output=True, timeout=300)
    pdf = out / (src.stem + ".pdf")
    if not pdf.exists():
        unavailable(f"LibreOffice could not convert {src.suffix} (for .xlsx: libreoffice-calc-nogui)")
    return pdf


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout


def _word_x(pdf: Path, word: str) -> list[float]:
    """x positions of a word on the PDF's pages (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    return [float(m.group(1)) for m in re.finditer(r'<word xMin="([\d.]+)"[^>]*>' + re.escape(word) + "</word>", html)]


def _png(pdf: Path, tmp: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")],
                   capture_output=True, timeout=120)
    png = next(tmp.glob("page*.png"))
    assert png.stat().st_size > 2000
    return png


@pytest.fixture
def batch(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a-供水.txt").write_text(REPORT, encoding="utf-8")
    for name in ("sample_report.txt", "forestry.txt"):
        shutil.copy(ROOT / "corpora" / name, d / name)
    return d


def test_word_list_prints_with_real_column_widths(batch, tmp_path):
    soffice = _tools()
    out = tmp_path / "意见.docx"
    assert run_cli("review", str(batch), "-o", str(out)).returncode == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    grids = re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml)
    widths = [[int(w) for w in re.findall(r'w:w="(\d+)"', g)] for g in grids]
    from govlint.output.review_docx import COMMENT_WIDTHS_CM
    comment_grid = [int(round(w * 567)) for w in COMMENT_WIDTHS_CM]
    assert widths.count(comment_grid) == 3                               # one comment table per report
    assert comment_grid[0] < comment_grid[1] < comment_grid[2]          # 序号 narrow, 原文 widest
    assert 'w:type="fixed"' in xml and "<w:cantSplit/>" in xml and '<w:tblHeader w:val="true"/>' in xml
    styles = zipfile.ZipFile(out).read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in styles and "en-US" not in re.findall(r"<w:lang [^>]*/>", styles)[0]
    assert "审核人" in xml and "审核结论" in xml
    pdf = _to_pdf(soffice, out, tmp_path)
    assert _pages(pdf) >= 3
    # the printed columns have different widths: 序号 is far narrower than 原文
    x_no, x_where, x_text, x_issue = (_word_x(pdf, w)[0] for w in ("序号", "位置", "原文", "问题"))
    assert (x_where - x_no) * 2 < (x_issue - x_text)
    _png(pdf, tmp_path)


def test_excel_list_prints_labels_and_values_together(batch, tmp_path):
    import openpyxl
    soffice = _tools()
    out = tmp_path / "意见.xlsx"
    assert run_cli("review", str(batch), "-o", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["汇总", "总览"] and wb.active.title == "总览"
    names = wb.sheetnames[2:]
    assert len(names) == 3 and all(re.match(r"\d\d ", n) for n in names) and len(set(names)) == 3
    ov = wb["总览"]
    links = [row[-1].hyperlink.location for row in ov.iter_rows(min_row=2) if row[-1].hyperlink]
    assert sorted(link.split("'")[1] for link in links) == sorted(names)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws["A1"].font.name == "宋体"
    assert wb[names[0]].print_title_rows == "$1:$1"
    pdf = _to_pdf(soffice, out, tmp_path)
    n = _pages(pdf)
    assert n >= 4
    # each comment sheet is one page wide: its first and last column headers share the page
    pages = [_page_text(pdf, i) for i in range(1, n + 1)]
    assert any("序号" in t and "重复来源或相关位置" in t for t in pages)
    assert not any("重复来源或相关位置" in t and "序号" not in t for t in pages)
    _png(pdf, tmp_path)


def test_pdf_list_and_its_mark(batch, tmp_path):
    _tools()
    out = tmp_path / "意见.pdf"
    p = run_cli("review", str(batch), "-o", str(out))
    assert p.returncode == 0, p.stderr_text
    assert out.read_bytes().startswith(b"%PDF") and _pages(out) >= 3
    assert "审核意见表" in _page_text(out, 1)
    again = run_cli("review", str(batch), "-o", str(out))
    assert again.returncode == 0, again.stderr_text                      # its own list is replaced
    mine = tmp_path / "mine.pdf"
    shutil.copy(out, mine)
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter(clone_from=PdfReader(str(mine)))
    w.add_metadata({"/Author": "张三", "/Creator": "Writer"})
    with open(mine, "wb") as fh:
        w.write(fh)
    before = mine.read_bytes()
    refused = run_cli("review", str(batch), "-o", str(mine))
    assert refused.returncode == 2 and mine.read_bytes() == before       # a user's PDF is never replaced
    _png(out, tmp_path)


def test_html_text_and_comments_scroll_together_and_filter(batch, tmp_path):
    out = tmp_path / "意见.html"
    assert run_cli("review", str(batch / "sample_report.txt"), "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    # every comment card sits in the row of the line its span starts on
    rows = re.findall(r'<div class="ln" id="d1-L(\d+)">.*?<div class="cm">(.*?)</div>(?=<div class="ln"|</div></section>)',
                      html, re.S)
    placed = {int(n): re.findall(r'<li id="d1-i(\d+)"', cm) for n, cm in rows}
    assert sum(len(v) for v in placed.values()) == len(re.findall(r'<li id="d1-i\d+"', html)) > 5
    for line, items in placed.items():
        for i in items:
            assert re.search(rf'id="d1-c{i}"', html.split(f'id="d1-L{line}"', 1)[1].split('class="cm"', 1)[0]) \
                or 'class="zero"' in html
    # CSS-only filters by severity and by family
    assert 'id="d1-sev3"' in html and "#d1-sev3:checked~.text li.sev-1" in html
    assert re.search(r'id="d1-fam-FUND"', html) and "#d1-fam-FUND:checked~.text li:not(.fam-FUND)" in html
