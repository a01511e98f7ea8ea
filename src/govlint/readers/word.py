"""Word .docx via python-docx: body paragraphs and table cells in document order.

The text is one line per paragraph, so a position's line is the paragraph's 1-based index
(table cell paragraphs count, in order). Each line's origin is kept as a Block locator
(``{"kind": "paragraph", "index": i}`` or ``{"kind": "cell", "table": t, "row": r,
"col": c, "paragraph": k}``) for outputs that write back into Word. The layout of each
top-level table goes to ``Document.meta.tables``: per grid position the (row, col) where
its cell was first seen, so a merged cell is one cell over the positions it covers (the
self-evaluation table parser needs no second reading of the file).
"""

from __future__ import annotations

import re
from pathlib import Path

from govlint.document import Block, DocMeta, Document
from govlint.readers.base import InputError, check_ooxml, reader



def iter_blocks(doc, layouts: list | None = None):
    """Yield (paragraph, locator) for body paragraphs and table cells in document order.

    ``layouts``, when given, receives each top-level table's layout (see ``_table_blocks``).
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body_index = 0
    table_index = 0
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item, {"kind": "paragraph", "index": body_index}
            body_index += 1
        elif isinstance(item, Table):
            layout: list = []
            yield from _table_blocks(item, table_index, layout=layout)
            if layouts is not None:
                layouts.append(tuple(layout))
            table_index += 1


def _table_blocks(table, t_index, nested: tuple = (), layout: list | None = None):
    """Paragraphs of a table's cells, row by row; tables nested in a cell follow in place.

    ``layout`` receives one tuple per row: for each grid position the (row, col) where its
    cell was first seen (a merged cell repeats across the positions it covers).
    """
    from docx.table import Table

    seen: dict[int, tuple] = {}     # id -> (element, first (row, col)), kept alive so ids are not reused
    for r, row in enumerate(table.rows):
        owners = []
        for c, cell in enumerate(row.cells):
            key = id(cell._tc)
            if key in seen:          # a merged cell repeats across the grid
                owners.append(seen[key][1])
                continue
            seen[key] = (cell._tc, (r, c))
            owners.append((r, c))
            k = 0
            inner_tables = 0
            for item in cell.iter_inner_content():
                if isinstance(item, Table):
                    yield from _table_blocks(item, t_index, nested + ((r, c, inner_tables),))
                    inner_tables += 1
                    continue
                if nested:
                    yield item, {"kind": "nested-cell", "table": t_index, "path": [list(n) for n in nested],
                                 "row": r, "col": c, "paragraph": k}
                else:
                    yield item, {"kind": "cell", "table": t_index, "row": r, "col": c, "paragraph": k}
                k += 1
        if layout is not None:
            layout.append(tuple(owners))


@reader(".docx")
def read_docx(path: Path) -> Document:
    check_ooxml(path, "文档", " Word 文档", ".doc")
    try:
        import docx
        d = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds for broken packages
        raise InputError("无法打开 Word 文档（文件可能已损坏）") from None
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    heading_levels: dict[int, int] = {}
    layouts: list = []
    for para, loc in iter_blocks(d, layouts):
        t = paragraph_text(para)
        level = _heading_level(para) if loc["kind"] == "paragraph" else None
        if level:
            heading_levels[len(blocks)] = level
        blocks.append(Block(pos, pos + len(t), loc))
        parts.append(t)
        pos += len(t) + 1
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("Word 文档没有文字内容")
    return Document(str(path), text, "docx", blocks=blocks,
                    meta=DocMeta(heading_levels=heading_levels, tables=tuple(layouts)))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_text(para) -> str:
    """A paragraph's text as Word shows it: runs, hyperlinks, fields and tracked insertions;
    deleted text (``w:delText``) and field instructions are not text. Tabs stay tabs; line
    breaks become spaces so the paragraph stays one line."""
    out = []
    for el in para._p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if el.tag == _W + "t":
            out.append(el.text or "")
        elif el.tag == _W + "tab":
            if el.getparent() is not None and el.getparent().tag == _W + "r":   # not a tab stop definition
                out.append("\t")
        else:
            out.append(" ")
    return "".join(out).replace("\r", " ").replace("\n", " ").replace("\x0b", " ")


def _heading_level(para) -> int | None:
    """The outline level of a paragraph styled as a heading (标题 1 / Heading 1 …), else None.

    Word numbers such headings itself, so their numbers are not in the text; the document
    model still needs them as sections.
    """
    try:
        name = (para.style.name or "") if para.style is not None else ""
    except (KeyError, ValueError):
        return None
    m = re.match(r"^(?:heading|标题)\s*([1-5])$", name.strip(), re.I)
    return int(m.group(1)) if m else None
