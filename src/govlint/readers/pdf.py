"""PDF via pypdf's text layer. A PDF with no text layer (a scan) is reported as such."""

from __future__ import annotations

from pathlib import Path

from govlint.document import Block, Document
from govlint.readers import InputError, reader


@reader(".pdf")
def read_pdf(path: Path) -> Document:
    try:
        head = path.open("rb").read(5)
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}") from None
    if head != b"%PDF-":
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
    except (PdfReadError, Exception) as exc:  # pypdf raises many kinds on broken files
        raise InputError(f"PDF 文件已损坏，无法读取：{type(exc).__name__}") from None
    parts, blocks, pos = [], [], 0
    for i, t in enumerate(pages):
        t = t.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
        blocks.append(Block(pos, pos + len(t), {"kind": "page", "page": i + 1}))
        parts.append(t)
        pos += len(t) + 1
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("PDF 没有文字层（可能是扫描件），请提供含文字的 PDF 或 Word 文件")
    return Document(str(path), text, "pdf", blocks=blocks)
