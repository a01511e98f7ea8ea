"""Reader hardening (#18, #19): nothing skipped silently, only regular files opened, bounded
reads and decompression, Word/Excel XML that Word never writes, a strict encoding detector."""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from govlint import runner
from govlint.readers import DEFAULT_MAX_TEXT_CHARS, MAX_TEXT_CHARS, InputError, read_bytes, read_path
from helpers import CLEAN, REPORT, make_docx, run_cli


# ----- never skip silently -----------------------------------------------------------------

def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "submissions"
    d.mkdir()
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    (d / "b.md").write_text(REPORT, encoding="utf-8")
    make_docx(d / "c.docx", CLEAN.splitlines())
    (d / "z.xyz").write_text("not a report", encoding="utf-8")
    (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (d / "scans.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return d


def test_unreadable_extension_in_folder_is_an_input_error(tmp_path):
    d = _folder(tmp_path)
    p = run_cli("check", str(d), "-j", "1")
    assert p.returncode == 2
    assert re.search(r"z\.xyz: 不支持的文件类型 \.xyz", p.stderr_text)
    assert "共检查 3 个文件" in p.stdout_text
    assert "1 个文件无法读取" in p.stdout_text
    assert p.stdout_text.count("跳过 2 个非报告文件") == 1


def test_old_excel_gets_a_hint(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    (d / "表.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    files, errors = runner.collect([str(d)])
    assert files == [str(d / "a.txt")]
    assert [e.path for e in errors] == [str(d / "表.xls")]
    assert "另存为 .xlsx" in errors[0].error


def test_exclude_skips_and_counts(tmp_path):
    d = _folder(tmp_path)
    (d / "govlint.toml").write_text('exclude = ["*.xyz"]\n', encoding="utf-8")
    skipped: list = []
    files, errors = runner.collect([str(d)], skipped=skipped)
    assert not errors
    assert len(files) == 3
    assert sorted(Path(s).name for s in skipped) == ["govlint.toml", "photo.png", "scans.zip", "z.xyz"]


def test_unreadable_file_listed_in_review_overview_and_html(tmp_path):
    d = _folder(tmp_path)
    md, html = tmp_path / "意见.md", tmp_path / "意见.html"
    p = run_cli("review", str(d), "-o", str(md), "-o", str(html), "-j", "1", "--no-progress")
    assert p.returncode == 2
    assert "z.xyz" in md.read_text(encoding="utf-8")
    assert "z.xyz" in html.read_text(encoding="utf-8")


def test_fifo_in_folder_does_not_hang(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    os.symlink("/dev/zero", d / "zero.txt")
    t = time.monotonic()
    p = run_cli("check", str(d), "-j", "1")
    assert time.monotonic() - t < 60
    assert p.returncode == 2
    assert "pipe.txt: 不是普通文件" in p.stderr_text
    assert "zero.txt: 不是普通文件" in p.stderr_text
    assert "共检查 1 个文件" in p.stdout_text


def test_device_named_on_the_command_line_is_refused(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(CLEAN, encoding="utf-8")
    p = run_cli("check", str(f), "/dev/zero", "-j", "1")
    assert p.returncode == 2
    assert "/dev/zero: 不是普通文件" in p.stderr_text
    assert "共检查 1 个文件" in p.stdout_text


def test_symlink_loop_and_long_name_are_per_file_errors(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    os.symlink("loop.txt", d / "loop.txt")
    long = str(tmp_path / ("长" * 100 + ".txt"))
    p = run_cli("check", str(d), long, str(d / "loop.txt"), "-j", "1")
    assert p.returncode == 2, p.stderr_text
    assert "内部错误" not in p.stderr_text
    assert "loop.txt: 符号链接循环" in p.stderr_text
    assert "文件名过长" in p.stderr_text
    assert "共检查 1 个文件" in p.stdout_text


def test_long_stdin_filename_is_only_a_label(tmp_path):
    p = run_cli("check", "-", "--stdin-filename", "长" * 100 + ".txt", input=CLEAN.encode("utf-8"), cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text
    assert "共检查 1 个文件" in p.stdout_text


def test_unreadable_subfolder_is_an_error_not_a_lost_batch(tmp_path, monkeypatch):
    d = tmp_path / "d"
    (d / "locked").mkdir(parents=True)
    (d / "a.txt").write_text(CLEAN, encoding="utf-8")
    (d / "locked" / "b.txt").write_text(CLEAN, encoding="utf-8")
    real = os.scandir

    def scandir(path="."):      # what a chmod-000 folder does (root is never refused)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = runner.collect([str(d)])
    assert files == [str(d / "a.txt")]
    assert len(errors) == 1 and errors[0].path == str(d / "locked")
    assert "无法读取此目录" in errors[0].error and "没有读取权限" in errors[0].error


def test_unreadable_config_folder_does_not_lose_the_batch(tmp_path, monkeypatch):
    from govlint import config as cfgmod
    d = tmp_path / "d"
    d.mkdir()
    real = Path.is_file

    def is_file(self):
        if self.name == "govlint.toml" and self.parent == d:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "is_file", is_file)
    cfgmod.find_for_dir.cache_clear()
    try:
        assert cfgmod.find_for_dir(str(d)) is not None
    finally:
        cfgmod.find_for_dir.cache_clear()


# ----- bounded reads ---------------------------------------------------------------------

def test_size_limit_per_file_and_stdin(tmp_path):
    (tmp_path / "govlint.toml").write_text("max-file-size = 0.001\n", encoding="utf-8")   # about 1 KB
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(CLEAN[:200], encoding="utf-8")
    big.write_text(CLEAN * 3, encoding="utf-8")
    p = run_cli("check", str(small), str(big), "-j", "1", "--fail-on", "never", cwd=tmp_path)
    assert p.returncode == 2
    assert re.search(r"big\.txt: 文件过大（超过 0\.00 MB 的上限", p.stderr_text)
    assert "small.txt" not in p.stderr_text
    p = run_cli("check", "-", input=(CLEAN * 3).encode("utf-8"), cwd=tmp_path)
    assert p.returncode == 2 and "文件过大" in p.stderr_text


def test_stdin_from_dev_zero_is_bounded():
    with open("/dev/zero", "rb") as fh:
        p = run_cli("check", "-", input=fh.read(60 << 20))
    assert p.returncode == 2
    assert "文件过大" in p.stderr_text


def test_bad_max_file_size_is_a_config_error(tmp_path):
    (tmp_path / "govlint.toml").write_text('max-file-size = "big"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    p = run_cli("check", str(tmp_path / "a.txt"), cwd=tmp_path)
    assert p.returncode == 2 and "max-file-size" in p.stderr_text


def test_text_cap_per_file_and_stdin_is_a_chinese_error_and_configurable(tmp_path):
    (tmp_path / "govlint.toml").write_text("max-text-chars = 2000\n", encoding="utf-8")
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(CLEAN[:1500], encoding="utf-8")
    big.write_text((CLEAN + "\n") * (3000 // len(CLEAN) + 1), encoding="utf-8")
    p = run_cli("check", str(small), str(big), "-j", "1", "--fail-on", "never", cwd=tmp_path)
    assert p.returncode == 2
    line = next(x for x in p.stderr_text.splitlines() if "big.txt" in x)
    assert "big.txt: 文本超过 2,000 字符，未检查（可用配置项 max-text-chars 调整" in line
    assert "small.txt" not in p.stderr_text
    p = run_cli("check", "-", "--stdin-filename", "r.txt", input=big.read_bytes(), cwd=tmp_path)
    assert p.returncode == 2 and "文本超过 2,000 字符" in p.stderr_text
    f = make_docx(tmp_path / "big.docx", big.read_text(encoding="utf-8").splitlines())
    p = run_cli("check", str(f), cwd=tmp_path)
    assert p.returncode == 2 and "文本超过 2,000 字符" in p.stderr_text
    (tmp_path / "govlint.toml").write_text("max-text-chars = 100000\n", encoding="utf-8")
    p = run_cli("check", str(big), "--fail-on", "never", cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text


def test_text_cap_applies_to_every_reader(tmp_path, monkeypatch):
    from govlint.document import Document
    from govlint.readers import READERS
    f = tmp_path / "r.txt"
    f.write_text(CLEAN, encoding="utf-8")
    read_path(f)                        # the readers are registered on first use
    # a reader that does not check the cap itself (as .pdf and .ofd): read_path does
    monkeypatch.setitem(READERS, ".txt", lambda path: Document(str(path), "一" * 3000))
    with pytest.raises(InputError, match="文本超过 2,000 字符"):
        read_path(f, max_chars=2000)
    assert len(read_path(f, max_chars=3000).text) == 3000


def test_default_text_cap_and_its_ceiling():
    assert 100_000 <= DEFAULT_MAX_TEXT_CHARS <= MAX_TEXT_CHARS
    over = ("一、项目概况\n" + "项目资金到位率100%。" * (DEFAULT_MAX_TEXT_CHARS // 12 + 1))
    with pytest.raises(InputError, match=f"文本超过 {DEFAULT_MAX_TEXT_CHARS:,} 字符，未检查"):
        read_bytes(over.encode("utf-8"), "r.txt")
    assert len(read_bytes(over.encode("utf-8"), "r.txt", MAX_TEXT_CHARS).text) == len(over)


@pytest.mark.parametrize("value", ['"big"', "5", "10000001", "true", "1.5e6"])
def test_bad_max_text_chars_is_a_config_error(tmp_path, value):
    (tmp_path / "govlint.toml").write_text(f"max-text-chars = {value}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    p = run_cli("check", str(tmp_path / "a.txt"), cwd=tmp_path)
    assert p.returncode == 2 and "max-text-chars" in p.stderr_text and "内部错误" not in p.stderr_text


def test_stdin_filename_extension_decides_the_reader(tmp_path):
    f = make_docx(tmp_path / "r.docx", CLEAN.splitlines())
    p = run_cli("check", "-", "--stdin-filename", "报告.docx", "-f", "json", input=f.read_bytes())
    assert p.returncode == 0, p.stderr_text
    assert "报告.docx" in p.stdout_text
    doc = read_bytes(f.read_bytes(), "报告.docx")
    assert doc.kind == "docx" and doc.path == "报告.docx" and doc.text.startswith("2023年度农村公路")


# ----- encodings -------------------------------------------------------------------------

@pytest.mark.parametrize("data,message", [
    ("日本語のテキストです。報告書を作成しました。予算の執行率は百パーセントです。".encode("shift_jis"), "无法识别文件编码"),
    ("Rapport d'activité : le café, la façade et l'été à Noël.".encode("latin-1"), "无法识别文件编码"),
    (REPORT.encode("utf-32"), "UTF-32"),
    (REPORT.encode("utf-32-le"), "二进制"),
    (bytes(range(1, 32)) * 40, "控制字符"),
], ids=["shift-jis", "latin-1", "utf-32-bom", "utf-32-le", "control-bytes"])
def test_strict_encoding_detector(tmp_path, data, message):
    f = tmp_path / "r.txt"
    f.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_path(f)


def test_gbk_report_with_symbols_still_reads(tmp_path):
    text = REPORT + "■ 完成率≥95%，满意度①②③，“一次调度会”——详见附表。\n"
    f = tmp_path / "r.txt"
    f.write_bytes(text.encode("gbk"))
    assert read_path(f).text == text


# ----- Word XML that Word never writes -----------------------------------------------------

def _patch(src: Path, dst: Path, fn=None, extra: list | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml" and fn:
                data = fn(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
        for name, data in extra or ():
            zout.writestr(name, data)
    return dst


def _table_docx(tmp_path):
    return make_docx(tmp_path / "t.docx", ["2023年度项目绩效自评报告"],
                     table=[["一级指标", "二级指标", "分值"], ["产出指标", "数量指标", "20"]])


@pytest.mark.parametrize("span", ["abc", "100000000", "-5"])
def test_docx_bad_grid_span_is_handled(tmp_path, span):
    src = _table_docx(tmp_path)
    bad = _patch(src, tmp_path / "bad.docx",
                 lambda x: x.replace("<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>', 1))
    t = time.monotonic()
    doc = read_path(bad)
    assert "数量指标" in doc.text
    r = runner.lint_file(str(bad))        # the table rules open the file with python-docx again
    assert time.monotonic() - t < 10
    assert r.error is None


def test_docx_vmerge_on_first_row_is_handled(tmp_path):
    src = _table_docx(tmp_path)
    bad = _patch(src, tmp_path / "bad.docx",
                 lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:vMerge/>', 1))
    doc = read_path(bad)
    assert doc.text.split("\n")[1:] == ["一级指标", "二级指标", "分值", "产出指标", "数量指标", "20"]
    r = runner.lint_file(str(bad))        # the table rules open the file with python-docx again
    assert r.error is None


def test_docx_vmerge_reads_the_merged_cell_once(tmp_path):
    import docx
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    a = t.cell(1, 0).merge(t.cell(2, 0))
    a.text = "产出指标"
    t.cell(0, 0).text, t.cell(0, 1).text = "一级指标", "二级指标"
    t.cell(1, 1).text, t.cell(2, 1).text = "数量指标", "质量指标"
    d.save(str(tmp_path / "v.docx"))
    doc = read_path(tmp_path / "v.docx")
    assert doc.text.split("\n") == ["一级指标", "二级指标", "产出指标", "数量指标", "质量指标"]
    b = doc.block_at(doc.text.index("质量指标"))
    assert (b.locator.row, b.locator.col) == (2, 1)


@pytest.mark.parametrize("change,message", [
    (lambda x: x.replace("<w:body>", "<w:bodyx>").replace("</w:body>", "</w:bodyx>"), "结构异常"),
    (lambda x: re.sub(r"<w:document\b", "<w:documentx", x).replace("</w:document>", "</w:documentx>"), "结构异常|无法打开"),
])
def test_docx_wrong_root_or_no_body_is_an_input_error(tmp_path, change, message):
    bad = _patch(_table_docx(tmp_path), tmp_path / "bad.docx", change)
    with pytest.raises(InputError, match=message):
        read_path(bad)


def test_docx_duplicate_member_is_an_input_error(tmp_path):
    import warnings
    src = _table_docx(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # zipfile warns about the duplicate name
        bad = _patch(src, tmp_path / "bad.docx", extra=[("word/document.xml", b"<x/>")])
    with pytest.raises(InputError, match="重名"):
        read_path(bad)


def test_docx_huge_part_is_refused_before_decompression(tmp_path):
    src = _table_docx(tmp_path)
    bad = tmp_path / "bomb.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(info, "w", force_zip64=True) as fh:
            chunk = b"\0" * (16 << 20)
            for _ in range(20):          # 320 MB of zeros: about 300 KB in the package
                fh.write(chunk)
    assert bad.stat().st_size < 5 << 20
    with pytest.raises(InputError, match="解压后过大"):
        read_path(bad)


def test_docx_with_one_10mb_paragraph_is_not_called_corrupt(tmp_path):
    long = "资金执行情况良好。" * 400_000
    assert len(long.encode("utf-8")) > 10_000_000        # lxml's default limit on one text node
    f = make_docx(tmp_path / "long.docx", ["2023年度项目绩效自评报告", long])
    doc = read_path(f, max_chars=MAX_TEXT_CHARS)      # 3.6 M characters: over the default text cap
    assert doc.text.split("\n")[1] == long


# ----- Excel ---------------------------------------------------------------------------------

def _xlsx(tmp_path, name="t.xlsx", rows=0):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"], ws["B1"] = "项目名称", "农村公路养护"
    ws["A2"], ws["B2"] = "执行率", "100%"
    for r in range(3, 3 + rows):
        ws.cell(r, 1, f"第{r}行")
    f = tmp_path / name
    wb.save(str(f))
    return f


def _patch_sheet(src: Path, dst: Path, fn) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = fn(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return dst


def test_xlsx_declared_dimension_of_the_whole_sheet(tmp_path):
    # openpyxl pads every row to the declared width: 10,000 rows x 16,384 columns
    bad = _patch_sheet(_xlsx(tmp_path, rows=10000), tmp_path / "dim.xlsx",
                       lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x))
    t = time.monotonic()
    doc = read_path(bad)
    assert time.monotonic() - t < 10
    assert doc.text.split("\n")[:5] == ["项目名称", "农村公路养护", "执行率", "100%", "第3行"]
    assert len(doc.blocks) == 10004


def test_xlsx_merge_over_the_whole_sheet_is_clipped(tmp_path):
    bad = _patch_sheet(_xlsx(tmp_path), tmp_path / "merge.xlsx",
                       lambda x: x.replace("</sheetData>", '</sheetData><mergeCells count="2">'
                                           '<mergeCell ref="A1:XFD1048576"/><mergeCell ref="A2:B2"/></mergeCells>'))
    t = time.monotonic()
    r = runner.lint_file(str(bad))
    assert time.monotonic() - t < 30
    assert r.error is None
    assert r.document.meta["merged"] == {"自评表": ["A1:B2", "A2:B2"]}


def test_openpyxl_warnings_do_not_reach_stderr(tmp_path):
    ext = ('<extLst><ext uri="{00000000-0000-0000-0000-000000000000}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:foo/></ext></extLst>')
    bad = _patch_sheet(_xlsx(tmp_path), tmp_path / "ext.xlsx", lambda x: x.replace("</worksheet>", ext + "</worksheet>"))
    p = run_cli("check", str(bad), "--fail-on", "never")
    assert p.returncode == 0, p.stderr_text
    assert "Warning" not in p.stderr_text and "extension" not in p.stderr_text


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_with_an_impossible_version_field_is_an_input_error(tmp_path, suffix):
    src = _table_docx(tmp_path) if suffix == ".docx" else _xlsx(tmp_path)
    raw = bytearray(src.read_bytes())
    at = raw.index(b"PK\x01\x02")                  # the first central-directory entry
    raw[at + 6:at + 8] = (249).to_bytes(2, "little")   # "version needed to extract": 24.9
    bad = tmp_path / ("v" + suffix)
    bad.write_bytes(bytes(raw))
    r = runner.lint_file(str(bad))
    assert r.error and "损坏" in r.error
