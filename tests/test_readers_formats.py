"""Formats reviewers receive (#18): .doc/.wps through LibreOffice, .ofd, PDF text from pdftotext.

The .doc/.wps/.pdf files are made here by converting a .docx the test writes with LibreOffice;
the .ofd packages are built here from their XML. Tests that need LibreOffice or poppler call
``helpers.unavailable`` (skip locally, fail under ``.ci/run``: .ci/setup.d/30-libreoffice.sh).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from govlint import runner
from govlint.document import Locator
from govlint.readers import InputError, read_path
from helpers import CLEAN, REPORT, make_docx, run_cli, unavailable

QUOTES = "我们召开了“一次调度会”，研究“老旧小区”改造中的“堵点”问题，形成了“三张清单”并逐项落实整改，确保资金使用规范、项目按期完成。"


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        unavailable("LibreOffice (soffice) is not installed")
    return exe


def _convert(src: Path, fmt: str, outdir: Path) -> Path:
    """``src`` converted by LibreOffice (a profile of the test's own) into ``outdir``."""
    exe = _soffice()
    outdir.mkdir(exist_ok=True)
    profile = (outdir / ".profile").as_uri()
    subprocess.run([exe, "--headless", f"-env:UserInstallation={profile}", "--convert-to", fmt,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.is_file()
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A .docx written by the test and its .doc and .pdf conversions (LibreOffice)."""
    d = tmp_path_factory.mktemp("made")
    src = make_docx(d / "报告.docx", REPORT.splitlines() + [QUOTES],
                    table=[["一级指标", "分值", "得分"], ["产出指标", "50", "48"]])
    import docx
    w = docx.Document(str(src))
    w.add_paragraph("附件：项目支出绩效自评表")     # Word always ends a body with a paragraph
    w.save(str(src))
    return d, src


# ----- .doc and .wps -------------------------------------------------------------------------

def test_doc_read_through_libreoffice(made, tmp_path):
    d, src = made
    doc_file = _convert(src, "doc", tmp_path / "conv")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    f = shutil.copy(doc_file, inbox / "报告.doc")
    doc = read_path(f)
    assert doc.kind == "docx" and doc.meta["converted_from"] == ".doc"
    assert doc.path == str(f)
    assert doc.text.split("\n")[0] == REPORT.splitlines()[0]
    assert QUOTES in doc.text and "产出指标" in doc.text
    b = doc.block_at(doc.text.index("产出指标"))
    assert b.locator.kind == "cell" and (b.locator.row, b.locator.col) == (1, 0)
    # nothing was written beside the input (no converted copy, no LibreOffice lock file);
    # the converted .docx is kept in the private directory for code that reopens the Word file
    assert sorted(p.name for p in inbox.iterdir()) == ["报告.doc"]
    conv = Path(doc.meta["converted_docx"])
    assert conv.is_file() and conv.suffix == ".docx" and inbox not in conv.parents


def test_wps_and_doc_in_one_batch_give_the_findings_of_the_docx(made, tmp_path):
    d, src = made
    doc_file = _convert(src, "doc", tmp_path / "conv")
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copy(doc_file, batch / "甲.doc")
    shutil.copy(doc_file, batch / "乙.wps")      # WPS saves Word-97 binary files under .wps
    shutil.copy(src, batch / "丙.docx")
    results = runner.check_paths([str(batch)], jobs=1)
    assert [r.error for r in results] == [None, None, None]
    by = {Path(r.path).name: sorted((f.code, f.position.line) for f in r.findings) for r in results}
    assert by["甲.doc"] == by["乙.wps"] == by["丙.docx"]
    assert by["丙.docx"]                           # the sample has findings to compare


def test_without_libreoffice_doc_is_a_chinese_error(tmp_path, monkeypatch):
    from govlint.readers import office
    monkeypatch.setattr(office, "soffice", lambda: None)
    f = tmp_path / "报告.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match="需要 LibreOffice.*libreoffice-writer-nogui"):
        read_path(f)


def test_without_libreoffice_a_batch_reports_the_doc_and_checks_the_rest(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    (d / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    p = run_cli("check", str(d), "-j", "1", env={"GOVLINT_SOFFICE": str(tmp_path / "no-such-soffice")})
    assert p.returncode == 2
    assert "b.doc: 读取 .doc 文件需要 LibreOffice" in p.stderr_text
    assert "共检查 1 个文件" in p.stdout_text


def test_broken_doc_is_an_error_not_a_hang(tmp_path):
    _soffice()
    f = tmp_path / "坏.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 4000)
    with pytest.raises(InputError, match="LibreOffice 无法转换"):
        read_path(f)


def test_docx_renamed_doc_is_read_directly(tmp_path):
    f = make_docx(tmp_path / "x.docx", CLEAN.splitlines())
    g = f.rename(tmp_path / "x.doc")
    doc = read_path(g)
    assert doc.text.startswith("2023年度农村公路")


# ----- OFD ---------------------------------------------------------------------------------

NS = "http://www.ofdspec.org/2016"


def make_ofd(path: Path, pages: list[list[str]], per_char: bool = False, extra: dict | None = None) -> Path:
    """A minimal GB/T 33190 package: one text object per line (or per character), 5 mm apart."""
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
                   f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo>'
                   f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                              f'<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
                              f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                              f'</ofd:CommonData><ofd:Pages>'
                              + "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                                        for i in range(len(pages)))
                              + "</ofd:Pages></ofd:Document>",
    }
    for i, lines in enumerate(pages):
        objs = []
        for n, line in enumerate(lines):
            y = 20 + 6 * n
            if per_char:
                for k, ch in enumerate(line):
                    objs.append(f'<ofd:TextObject ID="{n}_{k}" Boundary="{20 + 4 * k} {y} 4 5" Font="1" Size="4">'
                                f'<ofd:TextCode X="0" Y="4">{ch}</ofd:TextCode></ofd:TextObject>')
            else:
                objs.append(f'<ofd:TextObject ID="{n}" Boundary="20 {y} 170 5" Font="1" Size="4">'
                            f'<ofd:TextCode X="0" Y="4">{line}</ofd:TextCode></ofd:TextObject>')
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="L{i}">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
    files.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_ofd_text_and_page_numbers(tmp_path):
    lines = REPORT.splitlines()
    f = make_ofd(tmp_path / "报告.ofd", [lines[:6], lines[6:]])
    doc = read_path(f)
    assert doc.kind == "pdf" and doc.meta["format"] == "ofd"
    assert doc.text.split("\n") == lines
    assert doc.block_at(doc.text.index("年初预算")).locator == Locator("page", page=1)
    assert doc.block_at(doc.text.index("全年实际支出")).locator == Locator("page", page=2)


def test_ofd_characters_drawn_one_by_one_make_lines(tmp_path):
    f = make_ofd(tmp_path / "r.ofd", [["一、项目概况", "县交通运输局负责全县农村公路养护。"]], per_char=True)
    assert read_path(f).text == "一、项目概况\n县交通运输局负责全县农村公路养护。"


def test_ofd_gives_the_findings_of_the_text(tmp_path):
    f = make_ofd(tmp_path / "r.ofd", [REPORT.splitlines()])
    t = tmp_path / "r.txt"
    t.write_text(REPORT, encoding="utf-8")
    a, b = runner.check_paths([str(f), str(t)], jobs=1)
    assert a.error is None
    assert sorted((x.code, x.position.line) for x in a.findings) == sorted((x.code, x.position.line) for x in b.findings)


@pytest.mark.parametrize("what,message", [("no-ofd-xml", "缺少 OFD.xml"), ("bad-xml", "不是合法的 XML"),
                                          ("missing-page", "缺少"), ("not-zip", "不是 OFD")])
def test_broken_ofd_is_an_input_error(tmp_path, what, message):
    f = make_ofd(tmp_path / "r.ofd", [["一、项目概况"]])
    if what == "not-zip":
        f.write_bytes(b"%PDF-1.4 not an ofd")
    else:
        with zipfile.ZipFile(f) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        if what == "no-ofd-xml":
            del parts["OFD.xml"]
        elif what == "bad-xml":
            parts["Doc_0/Document.xml"] = b"<ofd:Document"
        else:
            del parts["Doc_0/Pages/Page_0/Content.xml"]
        with zipfile.ZipFile(f, "w") as z:
            for n, data in parts.items():
                z.writestr(n, data)
    with pytest.raises(InputError, match=message):
        read_path(f)


def test_ofd_entities_are_never_expanded(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">'
            '<ofd:TextObject ID="1" Boundary="20 20 170 5" Size="4"><ofd:TextCode X="0" Y="4">一、概况&c;&x;</ofd:TextCode>'
            '</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>')
    f = make_ofd(tmp_path / "r.ofd", [["x"]], extra={"Doc_0/Pages/Page_0/Content.xml": bomb})
    with zipfile.ZipFile(f) as z:      # the later duplicate replaced the page: rebuild without it
        parts = {}
        for info in z.infolist():
            parts[info.filename] = z.read(info)
    with zipfile.ZipFile(f, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    try:
        doc = read_path(f)
    except InputError:
        return                          # refusing the page is fine too
    assert "哈" not in doc.text and "root:" not in doc.text


# ----- PDF ---------------------------------------------------------------------------------

def test_pdf_from_libreoffice_keeps_quotes_in_place(made, tmp_path):
    if not shutil.which("pdftotext"):
        unavailable("poppler-utils (pdftotext) is not installed")
    d, src = made
    pdf = _convert(src, "pdf", tmp_path / "conv")
    doc = read_path(pdf)
    assert doc.meta["extractor"] == "pdftotext"
    compact = doc.text.replace(" ", "")
    assert "我们召开了“一次调度会”，研究“老旧小区”改造中的“堵点”问题" in compact
    assert "“”" not in compact and "“ ”" not in doc.text
    r = runner.check_paths([str(pdf)], jobs=1)[0]
    assert r.error is None
    assert not [f for f in r.findings if f.code in ("STYLE004", "STYLE001") and "“" in (f.excerpt or "")]


def test_pdf_falls_back_to_pypdf_without_pdftotext(tmp_path, monkeypatch):
    from test_readers import _pdf
    from govlint.readers import pdf as pdfmod
    monkeypatch.setattr(pdfmod, "pdftotext_program", lambda: None)
    doc = read_path(_pdf(tmp_path / "r.pdf", "Performance report 2023"))
    assert "Performance report 2023" in doc.text and doc.meta["extractor"] == "pypdf"


def test_encrypted_pdf_still_named_as_such_with_pdftotext(tmp_path):
    from test_readers import _pdf
    with pytest.raises(InputError, match="密码"):
        read_path(_pdf(tmp_path / "r.pdf", "secret text", password="pw"))


# ----- one batch of everything -------------------------------------------------------------

def test_batch_of_every_format_nothing_skipped_silently(made, tmp_path):
    d, src = made
    batch = tmp_path / "batch"
    batch.mkdir()
    conv = tmp_path / "conv"
    shutil.copy(_convert(src, "doc", conv), batch / "a.doc")
    shutil.copy(batch / "a.doc", batch / "b.wps")
    shutil.copy(_convert(src, "pdf", conv), batch / "c.pdf")
    shutil.copy(src, batch / "d.docx")
    make_ofd(batch / "e.ofd", [REPORT.splitlines()])
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "项目名称", "老旧小区改造"
    wb.save(str(batch / "f.xlsx"))
    (batch / "g.txt").write_text(REPORT, encoding="utf-8")
    (batch / "h.md").write_text(REPORT, encoding="utf-8")
    (batch / "i.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (batch / "j.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    p = run_cli("check", str(batch), "-f", "json", "-j", "2", "--no-progress")
    assert p.returncode == 2
    import json
    data = json.loads(p.stdout_text)
    checked = sorted(Path(x["path"]).name for x in data["summary"]["documents"])
    assert checked == ["a.doc", "b.wps", "c.pdf", "d.docx", "e.ofd", "f.xlsx", "g.txt", "h.md"]
    assert [Path(x["path"]).name for x in data["summary"]["input_errors"]] == ["i.xls"]
    assert "i.xls: 不支持的文件类型 .xls" in p.stderr_text


def test_a_batch_starts_libreoffice_once(made, tmp_path, monkeypatch):
    from govlint.readers import office
    d, src = made
    doc_file = _convert(src, "doc", tmp_path / "conv")
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("甲.doc", "乙.doc", "丙.wps"):
        shutil.copy(doc_file, batch / name)
    runs = []
    real = office._run

    def counting(sources, infilter):
        runs.append(sorted(Path(s).name for s in sources))
        return real(sources, infilter)
    monkeypatch.setattr(office, "_run", counting)
    results = runner.check_paths([str(batch)], jobs=1)
    assert [r.error for r in results] == [None, None, None]
    # one start for the .doc files (Word's filter named) and one for the .wps (detected)
    assert runs == [["乙.doc", "甲.doc"], ["丙.wps"]]


def test_running_headers_and_footers_are_not_report_text():
    from govlint.readers.pdf import drop_running_lines
    body = ["县交通运输局负责全县农村公路养护。", "完成农村公路养护126公里，路面优良率达到82%。",
            "预算资金320万元，实际支出320万元，执行率100%。"]
    pages = [["XX县财政局 2023年度绩效自评报告", f"第{i}项：养护里程{i * 10}公里。", *body,
              "仅此一次的句子。" if i == 2 else "", f"第{i + 4}项：完成。", f"- {i} -", f"第 {i} 页 共 4 页"]
             for i in range(1, 5)]
    out = drop_running_lines(pages)
    text = "\n".join(line for page in out for line in page if line)
    assert "XX县财政局" not in text and "共 4 页" not in text
    assert "仅此一次的句子。" in text and "第3项：养护里程30公里。" in text and "第8项：完成。" in text
    assert drop_running_lines(pages[:2]) == pages[:2]          # too few pages to tell


def test_pdf_header_repeated_on_every_page_is_dropped(tmp_path):
    _soffice()
    if not shutil.which("pdftotext"):
        unavailable("poppler-utils (pdftotext) is not installed")
    import docx
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "XX县财政局 2023年度项目支出绩效自评报告"
    d.add_paragraph("2023年度农村公路养护项目资金绩效自评报告")
    for i in range(120):
        d.add_paragraph(f"第{i + 1}项：县交通运输局完成农村公路养护126公里，路面优良率达到82%，资金执行率100%。")
    src = tmp_path / "h.docx"
    d.save(str(src))
    pdf = _convert(src, "pdf", tmp_path / "conv")
    doc = read_path(pdf)
    assert max(b.locator.page for b in doc.blocks) >= 3
    compact = doc.text.replace(" ", "")
    assert "XX县财政局" not in compact
    assert compact.startswith("2023年度农村公路养护项目资金绩效自评报告\n第1项：")
    assert "第120项：县交通运输局完成农村公路养护126公里，路面优良率达到82%，资金执行率100%。" in compact


def test_ofd_running_header_dropped(tmp_path):
    pages = [["XX县财政局 2023年度绩效自评报告", f"第{i}部分：县交通运输局负责全县农村公路养护。"] for i in range(1, 5)]
    doc = read_path(make_ofd(tmp_path / "r.ofd", pages))
    assert "XX县财政局" not in doc.text and doc.text.count("县交通运输局") == 4


@pytest.mark.parametrize("damage", ["header", "data"])
def test_ofd_damaged_member_is_an_input_error(tmp_path, damage):
    f = make_ofd(tmp_path / "r.ofd", [REPORT.splitlines()])
    with zipfile.ZipFile(f) as z:
        info = z.getinfo("Doc_0/Pages/Page_0/Content.xml")
    raw = bytearray(f.read_bytes())
    at = info.header_offset + (0 if damage == "header" else 30 + len(info.filename) + 5)
    raw[at:at + 4] = b"XXXX"
    f.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="OFD 文件已损坏"):
        read_path(f)
