"""PDF text: poppler's ``pdftotext`` when installed, else pypdf. A PDF with no text layer (a scan)
is reported as such.

``pdftotext`` (reading-order mode) is preferred because it measures better on the PDFs
LibreOffice and Word export (docs/readers.md): pypdf and ``pdftotext -raw`` emit text in
content-stream order, where the full-width quotes “ ” of a CJK line are drawn first with another
font, so ``我们召开了“一次调度会”`` came out as ``“ ”我们召开了 一次调度会`` (a false STYLE004).
``pdftotext`` runs in a private temporary directory with a timeout, an address-space limit and
an output-size limit; if it fails (a broken or encrypted file) pypdf reads the file and words
the error.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from govlint.document import Block, Document, Locator
from govlint.readers.base import InputError, read_head, reader

PDFTOTEXT_TIMEOUT = 120             # seconds
PDFTOTEXT_MEMORY = 1 << 30          # address space of the pdftotext process
PDFTOTEXT_OUTPUT = 256 << 20        # bytes of text it may write


def pdftotext_program() -> str | None:
    """poppler's pdftotext, unless ``GOVLINT_PDF_READER=pypdf`` asks for pypdf."""
    if os.environ.get("GOVLINT_PDF_READER", "").lower() == "pypdf":
        return None
    import shutil
    return shutil.which("pdftotext")


def _limits():       # in the child, before exec
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (PDFTOTEXT_MEMORY, PDFTOTEXT_MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (PDFTOTEXT_OUTPUT, PDFTOTEXT_OUTPUT))


def pages_pdftotext(path: Path, program: str) -> list[str] | None:
    """Page texts from pdftotext, or None when it could not read the file."""
    data = run_pdftotext(path, program, ["-enc", "UTF-8", "-eol", "unix"])
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()           # pdftotext ends every page with a form feed
    return pages


def run_pdftotext(path: Path, program: str, options: list[str]) -> bytes | None:
    """What pdftotext writes with ``options``, or None when it could not read the file."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="govlint-pdf-") as tmp:
        out = Path(tmp) / "out.txt"
        try:
            proc = subprocess.run([program, "-q", *options, str(path), str(out)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=PDFTOTEXT_TIMEOUT,
                                  preexec_fn=_limits if os.name == "posix" else None)
        except subprocess.TimeoutExpired:
            raise InputError(f"PDF 文字提取超时（超过 {PDFTOTEXT_TIMEOUT} 秒），文件可能已损坏") from None
        except OSError:
            return None
        if proc.returncode != 0 or not out.is_file():
            return None
        return out.read_bytes()


def pages_pypdf(path: Path) -> list[str]:
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(str(path))
        if pdf.is_encrypted:
            try:
                ok = pdf.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise InputError("PDF 受密码保护，无法读取")
        pages = []
        for page in pdf.pages:
            pages.append(page.extract_text() or "")
    except InputError:
        raise
    except (PdfReadError, Exception):  # pypdf raises many kinds on broken files
        raise InputError("PDF 文件已损坏，无法读取") from None
    return pages


@reader(".pdf")
def read_pdf(path: Path) -> Document:
    if read_head(path, 5) != b"%PDF-":
        raise InputError("文件已损坏或不是 PDF 文档")
    program = pdftotext_program()
    pages = pages_pdftotext(path, program) if program else None
    extractor = "pdftotext"
    if pages is None:
        pages = pages_pypdf(path)
        extractor = "pypdf"
    page_lines = [t.replace("\r\n", "\n").replace("\r", "\n").split("\n") for t in pages]
    tables = _tables(path, program, page_lines) if extractor == "pdftotext" else None
    # pdftotext's lines are the page's lines in reading order; pypdf's follow the content stream
    # (docs/readers.md), so its findings name the page alone
    line_map: list | None = [] if extractor == "pdftotext" else None
    text, blocks = paged_text(page_lines, tables, line_map)
    if not text.strip():
        raise InputError("PDF 没有文字层（可能是扫描件），请提供含文字的 PDF 或 Word 文件")
    meta = {"extractor": extractor, "page_lines": tuple(line_map or ())}
    if tables and tables[1]:
        meta["tables"] = tuple(t.layout for t in tables[1])
    return Document(str(path), text, "pdf", blocks=blocks, meta=meta)


def _tables(path: Path, program: str, page_lines: list[list[str]]):
    """(page lines with tables marked, the tables) for a PDF with certain ruled tables, else None.
    ``GOVLINT_PDF_TABLES=0`` reads tables as text, as before #18."""
    if os.environ.get("GOVLINT_PDF_TABLES", "") == "0":
        return None
    from govlint.readers import pdf_tables
    found = pdf_tables.find_tables(path)
    if not found:
        return None
    data = run_pdftotext(path, program, ["-bbox-layout"])
    if data is None:
        return None
    try:
        boxes = pdf_tables.line_boxes(data)
    except Exception:   # lxml on a strange output: keep the text as it is
        return None
    marked = [list(p) for p in page_lines]
    placed = pdf_tables.mark_tables(marked, boxes, found)
    return (marked, placed) if placed else None


def paged_text(page_lines: list[list[str]], tables=None, line_map: list | None = None) -> tuple[str, list]:
    """The text of lines laid out on pages (PDF, OFD): running headers and footers dropped,
    wrapped lines joined into paragraphs, each paragraph a block that remembers its page.

    ``tables`` (PDF): the same pages with table lines marked (``pdf_tables.mark_tables``) and the
    tables placed; each becomes its cells, one line per cell, ``Locator("cell", …, page=)``.
    Running lines and the width of a full line are taken from the unmarked pages, so the text
    outside the tables is what it would be without them.

    ``line_map``, when given, receives ``(offset, page, line)`` for every page line a paragraph
    was joined from (``DocMeta.page_lines``): ``line`` counts the page's non-blank lines from the
    top, running headers included (a reader counting lines sees them).
    """
    kept = drop_running_lines(page_lines)
    full = full_width(kept)
    if tables:
        marked, placed = tables
        from govlint.readers.pdf_tables import marked as table_of
        kept = [[m if m != o else k for k, o, m in zip(kp, op, mp)]
                for kp, op, mp in zip(kept, page_lines, marked)]
    lines = [(line, i + 1) for i, page in enumerate(kept) for line in page]
    where = [(i + 1, n) for i, page in enumerate(page_lines) for n in _line_numbers(page)]
    starts: list | None = [] if line_map is not None else None
    parts, blocks, pos = [], [], 0
    for j, (t, page) in enumerate(join_wrapped_lines(lines, full, starts)):
        k = table_of(t) if tables else None
        if k is not None:
            for r0, c0, cell in _cell_lines(placed[k]):
                blocks.append(Block(pos, pos + len(cell), Locator("cell", table=k, row=r0, col=c0,
                                                                  paragraph=0, page=placed[k].page)))
                parts.append(cell)
                pos += len(cell) + 1
            continue
        blocks.append(Block(pos, pos + len(t), Locator("page", page=page)))
        if line_map is not None:
            line_map.extend((pos + off, *where[idx]) for off, idx in starts[j])
        parts.append(t)
        pos += len(t) + 1
    return "\n".join(parts), blocks


def _line_numbers(page: list[str]) -> list[int]:
    """For each line of a page, the number of non-blank lines up to it (its line as a reader counts)."""
    out, n = [], 0
    for line in page:
        n += bool(line.strip())
        out.append(n)
    return out


def _cell_lines(table):
    """(row, col, text) of a table's cells in reading order: row by row, a merged cell at its
    first grid position (as the Word reader reads them)."""
    return [(r, c, table.cells[(r, c)]) for r, c in sorted(table.cells)]


RUNNING_ZONE = 2          # lines at the top and at the bottom of a page where headers/footers live


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without their running headers and footers (not report text).

    A line is a running header/footer when the same text stands among the first or last
    ``RUNNING_ZONE`` non-empty lines of at least 60 % of the pages, and of at least three of them.
    Digits are masked (page numbers: 第3页 / 共12页, - 3 -) only in lines about pages or made of
    little else, so numbered body lines (第1项：… 第2项：…) never look alike; a line ending a
    sentence (。；，) is report text. Shorter documents are left as they are.
    """
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        compact = re.sub(r"\s+", "", line)
        masked = re.sub(r"\d+", "#", compact)
        if compact.endswith(("。", "！", "？", "；", "，", "、")):
            return ""            # the end of a sentence wrapped onto the page's last line: report text
        if masked != compact and ("页" in compact or len(re.sub(r"[\W_#]", "", masked)) <= 2):
            return masked
        return compact

    def zone(page: list[str]) -> set[int]:
        idx = [i for i, line in enumerate(page) if line.strip()]
        return set(idx[:RUNNING_ZONE]) | set(idx[-RUNNING_ZONE:])

    zones = [zone(p) for p in pages]
    from collections import Counter
    seen = Counter()
    for page, z in zip(pages, zones):
        seen.update({key(page[i]) for i in z})
    need = max(3, -(-len(pages) * 3 // 5))
    running = {k for k, n in seen.items() if n >= need and k and k != "#"}
    if not running:
        return pages
    return [[("" if i in z and key(line) in running else line) for i, line in enumerate(page)]
            for page, z in zip(pages, zones)]


_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–－·]*$")
_ENDS_PARAGRAPH = "。！？!?；;：:”」』）)"


def full_width(page_lines: list[list[str]]) -> int:
    """The length of a typical full line (the 80th percentile of non-empty lines)."""
    widths = sorted(len(t.strip()) for page in page_lines for t in page if t.strip())
    return widths[int(len(widths) * 0.8)] if widths else 0


def join_wrapped_lines(lines: list[tuple[str, int]], full: int | None = None,
                       starts: list | None = None) -> list[tuple[str, int]]:
    """Rebuild paragraphs from a PDF text layer: one line per paragraph.

    A line that does not end a sentence is joined with the next one, unless the next line
    starts a heading (一、 （一） 1. …) or the line is short (a title or heading wraps rarely).
    Page numbers ("- 3 -", "第3页") are dropped. Each paragraph keeps the page it starts on.
    ``starts``, when given, receives per paragraph the ``(offset in the paragraph, index in
    lines)`` of each line joined into it.
    """
    from govlint.document import starts_with_heading

    out: list[tuple[str, int]] = []
    if full is None:
        widths = sorted(len(t.strip()) for t, _ in lines if t.strip())
        full = widths[int(len(widths) * 0.8)] if widths else 0   # a typical full line
    buf, buf_page, last_len = "", 0, 0
    cur: list = []                      # (offset in buf, index in lines) of the lines joined into buf

    def emit(text: str, page: int, joined: list) -> None:
        out.append((text, page))
        if starts is not None:
            starts.append(joined)

    for idx, (raw, page) in enumerate(lines):
        t = raw.strip()
        if t.startswith("\x00"):       # a table (pdf_tables.marker): a paragraph of its own
            if buf:
                emit(buf, buf_page, cur)
            emit(t, page, [(0, idx)])
            buf, last_len = "", 0
            continue
        if not t or _PAGE_NUMBER.match(t):
            if not t and buf:
                emit(buf, buf_page, cur)
                buf = ""
            continue
        wrapped = last_len >= max(10, full - 4)      # the previous line ran to the margin
        if buf and wrapped and buf[-1] not in _ENDS_PARAGRAPH and not starts_with_heading(t):
            cur.append((len(buf), idx))
            buf += t
            last_len = len(t)
            continue
        if buf:
            emit(buf, buf_page, cur)
        buf, buf_page, last_len, cur = t, page, len(t), [(0, idx)]
    if buf:
        emit(buf, buf_page, cur)
    return out
