"""PDF via pypdf's text layer. A PDF with no text layer (a scan) is reported as such."""

from __future__ import annotations

import re
from pathlib import Path

from govlint.document import Block, Document
from govlint.readers.base import InputError, read_head, reader


@reader(".pdf")
def read_pdf(path: Path) -> Document:
    if read_head(path, 5) != b"%PDF-":
        raise InputError("文件已损坏或不是 PDF 文档")
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
    lines: list[tuple[str, int]] = []          # (line, page)
    for i, t in enumerate(pages):
        for line in t.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            lines.append((line, i + 1))
    paragraphs = join_wrapped_lines(lines)
    parts, blocks, pos = [], [], 0
    for t, page in paragraphs:
        blocks.append(Block(pos, pos + len(t), {"kind": "page", "page": page}))
        parts.append(t)
        pos += len(t) + 1
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("PDF 没有文字层（可能是扫描件），请提供含文字的 PDF 或 Word 文件")
    return Document(str(path), text, "pdf", blocks=blocks)


_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–－·]*$")
_ENDS_PARAGRAPH = "。！？!?；;：:”」』）)"


def join_wrapped_lines(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Rebuild paragraphs from a PDF text layer: one line per paragraph.

    A line that does not end a sentence is joined with the next one, unless the next line
    starts a heading (一、 （一） 1. …) or the line is short (a title or heading wraps rarely).
    Page numbers ("- 3 -", "第3页") are dropped. Each paragraph keeps the page it starts on.
    """
    from govlint.document import starts_with_heading

    out: list[tuple[str, int]] = []
    widths = sorted(len(t.strip()) for t, _ in lines if t.strip())
    full = widths[int(len(widths) * 0.8)] if widths else 0   # a typical full line
    buf, buf_page, last_len = "", 0, 0
    for raw, page in lines:
        t = raw.strip()
        if not t or _PAGE_NUMBER.match(t):
            if not t and buf:
                out.append((buf, buf_page))
                buf = ""
            continue
        wrapped = last_len >= max(10, full - 4)      # the previous line ran to the margin
        if buf and wrapped and buf[-1] not in _ENDS_PARAGRAPH and not starts_with_heading(t):
            buf += t
            last_len = len(t)
            continue
        if buf:
            out.append((buf, buf_page))
        buf, buf_page, last_len = t, page, len(t)
    if buf:
        out.append((buf, buf_page))
    return out
