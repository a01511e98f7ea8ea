"""Property-based fuzzing (issue #19): the text path and the readers.

Properties: linting any text never raises and every finding lies inside the text; every
output format renders it as encodable UTF-8; reading any mutated .docx/.xlsx/.pdf/.txt either
returns a Document or raises ``InputError`` (one Chinese line) — never another exception.

Bounded for CI: ``GOVLINT_FUZZ_EXAMPLES`` examples per test (default 60; the whole module runs
a few hundred examples in well under a minute of checking) and texts of at most
``GOVLINT_FUZZ_MAX_CHARS`` characters (default 4000). ``bench/fuzz.sh`` runs it long.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# load every reader now: readers._ensure() loads them only while none is registered, and
# read_bytes() registers the text reader by importing it (a latent order dependence in the
# readers package, reported to its owner; without this line later tests see no .docx reader)
from govlint.readers import supported_suffixes  # noqa: E402

supported_suffixes()

EXAMPLES = int(os.environ.get("GOVLINT_FUZZ_EXAMPLES", "60"))
MAX_CHARS = int(os.environ.get("GOVLINT_FUZZ_MAX_CHARS", "4000"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=os.environ.get("GOVLINT_FUZZ_RANDOM") != "1",
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

def _file_result():
    """``FileResult`` wherever this version keeps it (``govlint.runner`` after the engine split)."""
    try:
        from govlint.runner import FileResult
    except ImportError:
        from govlint.engine import FileResult
    return FileResult


# ----- strategies ---------------------------------------------------------------------------------

PIECES = [
    "项目", "资金", "预算", "执行率", "万元", "元", "亿元", "公里", "%", "％", "个", "人次", "户", "分",
    "实际支出", "全年", "完成", "达到", "优秀", "良好", "合格", "其中", "合计", "共", "累计",
    "一、", "二、", "（一）", "（二）", "1.", "（1）", "第一", "项目概况", "绩效自评", "自评得分",
    "零", "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿", "两", "半",
    "0", "1", "2", "9", "10", "100", "0.5", "3.14", "1,000", "２０２４", "-", "+", "~", "至", "—",
    "（", "）", "(", ")", "【", "】", "[", "]", "《", "》", "“", "”", "‘", "’", "「", "」",
    "，", "。", "；", "：", "、", "！", "？", ",", ".", ";", ":", " ", "\u3000", "\t",
    "\n", "\n\n", "\r\n", "#", "##", "- ", "* ", "|", "```", "<!-- govlint: disable -->",
    "XX", "xx", "【XX】", "[bookmark: _GoBack]", "{ PAGEREF _Toc123456 }", "错误！未找到引用源。",
    "\u200b", "\ufeff", "\x00", "\x0c", "\ud800", "\udcff", "😀", "𠮷", "\u0301",
]

piece_text = st.lists(st.sampled_from(PIECES), max_size=400).map("".join)
noise_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
long_paragraph = st.tuples(st.sampled_from(PIECES[:40]), st.integers(100, max(100, MAX_CHARS // 4))).map(
    lambda t: "全年实际支出" + (t[0] + "2712万元，") * (t[1] // 8) + "执行率100%。")
numbers_text = st.lists(
    st.tuples(st.sampled_from(["铺设管网共", "其中", "合计", "预算", "实际支出", "完成", "占"]),
              st.one_of(st.integers(0, 10 ** 7).map(str), st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"),
                        st.text(st.sampled_from("零一二三四五六七八九十百千万亿两"), min_size=1, max_size=30)),
              st.sampled_from(["万元", "元", "公里", "%", "个", "亿元", "户", "分"]),
              st.sampled_from(["，", "。", "；", "\n"])),
    max_size=60).map(lambda xs: "".join("".join(x) for x in xs))
any_text = st.one_of(piece_text, noise_text, long_paragraph, numbers_text,
                     st.tuples(piece_text, numbers_text, noise_text).map("".join)).map(lambda s: s[:MAX_CHARS])


def _lint(text: str, kind: str = "txt"):
    from govlint.document import Document
    from govlint.engine import lint
    doc = Document.from_text(text, "fuzz.md" if kind == "md" else "fuzz.txt", kind)
    return doc, lint(doc)


# ----- the text path ------------------------------------------------------------------------------

@SETTINGS
@given(text=any_text, kind=st.sampled_from(["txt", "md"]))
def test_lint_never_raises_and_findings_lie_in_the_text(text, kind):
    doc, findings = _lint(text, kind)
    n = len(doc.text)
    for f in findings:
        assert 0 <= f.start <= f.end <= n, f
        assert f.message and f.fingerprint


@SETTINGS
@given(text=any_text)
def test_every_output_format_renders_utf8(text):
    FileResult = _file_result()
    from govlint.output import render
    doc, findings = _lint(text)
    results = [FileResult("fuzz.txt", findings, document=doc)]
    for fmt in ("text", "json", "sarif", "github"):
        render(fmt, results, show_source=True).encode("utf-8")


@SETTINGS
@given(data=st.binary(max_size=2000) | any_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
       enc=st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1", "raw"]))
def test_stdin_bytes_are_a_document_or_an_input_error(data, enc):
    from govlint.readers import InputError, read_bytes
    if enc != "raw":
        data = data.decode("utf-8", "replace").encode(enc, "replace")
    try:
        doc = read_bytes(data, "stdin.txt")
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    from govlint.engine import lint
    lint(doc)


# ----- the readers: mutated files built here -------------------------------------------------------

def _docx_bytes() -> bytes:
    import docx
    d = docx.Document()
    d.add_heading("2024年度项目支出绩效自评报告", 1)
    d.add_paragraph("一、项目概况")
    d.add_paragraph("全年实际支出2712万元，预算执行率100%。")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "目标值", "实际值"], ["公路养护", "120公里", "126公里"], ["满意度", "90%", "95%"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(1, 0).merge(t.cell(2, 0))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx_bytes() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows = [["项目支出绩效自评表"], ["项目名称", "农村公路养护"], ["年度预算数", 320, "执行数", 310],
            ["一级指标", "二级指标", "指标值", "实际完成值", "得分"], ["产出指标", "数量指标", "120公里", "126公里", 20]]
    for r in rows:
        ws.append(r)
    ws.merge_cells("A1:E1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
    w = PdfWriter()
    page = w.add_blank_page(width=595, height=842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 760 Td (Project budget 2712, rate 100%) Tj 0 -20 Td (Section 1) Tj ET")
    page[NameObject("/Contents")] = w._add_object(stream)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


_BASE: dict = {}


def _base(kind: str) -> bytes:
    if kind not in _BASE:
        _BASE[kind] = {"docx": _docx_bytes, "xlsx": _xlsx_bytes, "pdf": _pdf_bytes}[kind]()
    return _BASE[kind]


XML_MUTATIONS = [
    (b"<w:body>", b"<w:bogus>"), (b"</w:body>", b""), (b"w:document", b"w:documentx"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"abc\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"7\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:vMerge/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"-3\"/></w:tcPr>"),
    (b"<w:t>", b"<w:t>\xef\xbf\xbe"), (b"<w:p>", b"<w:p><w:p>"), (b"<w:t", b"<w:tx"),
    (b"<row", b"<row r=\"0\""), (b"<c r=\"A1\"", b"<c r=\"ZZZZ99999999\""), (b"<c ", b"<c t=\"s\" "),
    (b"<v>", b"<v>99999999"), (b"<v>", b"<v>abc"), (b"<mergeCell ref=\"A1:E1\"", b"<mergeCell ref=\"E1:A1\""),
    (b"<mergeCell ref=\"A1:E1\"", b"<mergeCell ref=\"A1:B\""), (b"<sheetData>", b"<sheetData><row/>"),
    (b"<?xml", b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]><?xml"), (b"encoding=\"UTF-8\"", b"encoding=\"GBK\""),
]


def _mutate_zip(data: bytes, draw) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    out = io.BytesIO()
    action = draw(st.sampled_from(["xml", "drop", "duplicate", "truncate_member", "garbage_member"]))
    target = draw(st.sampled_from(names))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            blob = src.read(name)
            if name == target:
                if action == "drop":
                    continue
                if action == "xml":
                    for old, new in draw(st.lists(st.sampled_from(XML_MUTATIONS), min_size=1, max_size=4)):
                        blob = blob.replace(old, new, draw(st.integers(1, 3)))
                elif action == "truncate_member":
                    blob = blob[:draw(st.integers(0, max(0, len(blob) - 1)))]
                elif action == "garbage_member":
                    blob = draw(st.binary(max_size=200))
            z.writestr(name, blob)
            if name == target and action == "duplicate":
                import warnings
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    z.writestr(name, blob[: len(blob) // 2])
    return out.getvalue()


def _mutate_bytes(data: bytes, draw) -> bytes:
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
        if not b:
            break
        i = draw(st.integers(0, len(b) - 1))
        if op == "flip":
            b[i] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del b[i:]
        elif op == "insert":
            b[i:i] = draw(st.binary(min_size=1, max_size=16))
        else:
            b[i:i + 64] = bytes(len(b[i:i + 64]))
    return bytes(b)


def _read_must_be_clean(tmp_path, suffix: str, data: bytes):
    import uuid
    from govlint.readers import InputError, read_path
    p = tmp_path / f"m-{uuid.uuid4().hex[:8]}{suffix}"
    p.write_bytes(data)
    try:
        doc = read_path(p)
    except InputError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg and any("\u4e00" <= ch <= "\u9fff" for ch in msg), msg
        return
    finally:
        try:
            p.unlink()
        except OSError:
            pass
    from govlint.engine import lint
    lint(doc)


@SETTINGS
@given(data=st.data(), kind=st.sampled_from(["docx", "xlsx"]))
def test_mutated_office_files(tmp_path, data, kind):
    base = _base(kind)
    if data.draw(st.booleans()):
        blob = _mutate_zip(base, data.draw)
    else:
        blob = _mutate_bytes(base, data.draw)
    _read_must_be_clean(tmp_path, f".{kind}", blob)


@SETTINGS
@given(data=st.data())
def test_mutated_pdf(tmp_path, data):
    blob = _mutate_bytes(_base("pdf"), data.draw)
    _read_must_be_clean(tmp_path, ".pdf", blob)


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md"]))
def test_arbitrary_text_file_bytes(tmp_path, data, suffix):
    _read_must_be_clean(tmp_path, suffix, data)
