"""Word .docx via python-docx: body paragraphs and table cells in document order.

The text is one line per paragraph, so a position's line is the paragraph's 1-based index
(table cell paragraphs count, in order). Each line's origin is kept as a Block's
``document.Locator`` (``Locator("paragraph", index=i)`` or ``Locator("cell", table=t,
row=r, col=c, paragraph=k)``) for outputs that write back into Word.
"""

from __future__ import annotations

import re
from pathlib import Path

from govlint.document import Block, Document, Locator
from govlint.readers.base import InputError, check_ooxml, reader, text_limit, text_size_error



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
            yield item, Locator("paragraph", index=body_index)
            body_index += 1
        elif isinstance(item, Table):
            layout: list = []
            yield from _table_blocks(item, table_index, layout=layout)
            if layouts is not None:
                layouts.append(tuple(layout))
            table_index += 1


def _clamped(pr, tag: str, default: int, low: int) -> int:
    """An integer ``w:val`` of ``pr``'s child ``tag``, tolerant of what Word never writes ("abc",
    100000000): ``default`` when absent or not a number, else clamped to ``low``…MAX_GRID_COLUMNS."""
    el = pr.find(_W + tag) if pr is not None else None
    if el is None:
        return default
    try:
        n = int(el.get(_W + "val", str(default)))
    except ValueError:
        return default
    return min(max(n, low), MAX_GRID_COLUMNS)


def _grid_span(tc) -> int:
    """``w:gridSpan`` of a cell (1 when absent or not a number)."""
    return _clamped(tc.find(_W + "tcPr"), "gridSpan", 1, 1)


def _grid_before(tr) -> int:
    """``w:trPr/w:gridBefore`` of a row: grid columns it leaves out at its start (0 when absent)."""
    return _clamped(tr.find(_W + "trPr"), "gridBefore", 0, 0)


def _continues_merge(tc) -> bool:
    """A cell that continues a vertical merge: its content is the cell above's. A continuation
    with no cell above it (on the first row) is an ordinary cell (``_harden_python_docx``)."""
    pr = tc.find(_W + "tcPr")
    vm = pr.find(_W + "vMerge") if pr is not None else None
    if vm is None or vm.get(_W + "val", "continue") != "continue":
        return False
    return tc.vMerge == "continue"


def _table_blocks(table, t_index, nested: tuple = (), layout: list | None = None):
    """Paragraphs of a table's cells, row by row; tables nested in a cell follow in place.

    ``layout`` receives one tuple per row: for each grid position the (row, col) where its
    cell was first seen, so a merged cell (across columns, or continued from the row above)
    is one cell over the positions it covers — the self-evaluation table parser reads this
    from ``Document.meta.tables`` and never opens the file again.

    Rows and cells are read from the XML directly (not python-docx's layout grid, which builds
    one object per spanned grid column and follows vertical merges upward): the column of a cell
    is the row's ``w:gridBefore`` plus the spans before it, with spans clamped to
    ``MAX_GRID_COLUMNS``. A cell continuing a vertical merge is read once, at its first row; an
    orphan continuation (nothing above it) is read as an ordinary cell.
    """
    from docx.table import Table, _Cell

    origin: dict[int, tuple] = {}     # grid column -> (row, col) of the cell a vertical merge continues
    for r, tr in enumerate(table._tbl.tr_lst):
        # w:gridBefore: grid columns the row leaves out at its start (Word and WPS write it for a
        # row whose first cells were deleted); its cells stand further right, not in column 0
        c = _grid_before(tr)
        owners: list = [(r, k) for k in range(c)]
        for tc in tr.tc_lst:
            col = c
            span = _grid_span(tc)
            c += span
            if _continues_merge(tc) and col in origin:
                owners.extend([origin[col]] * span)
                continue
            origin[col] = (r, col)
            owners.extend([(r, col)] * span)
            if _continues_merge(tc):
                continue
            cell = _Cell(tc, table)
            k = 0
            inner_tables = 0
            for item in cell.iter_inner_content():
                if isinstance(item, Table):
                    yield from _table_blocks(item, t_index, nested + ((r, col, inner_tables),))
                    inner_tables += 1
                    continue
                if nested:
                    yield item, Locator("nested-cell", table=t_index, path=nested, row=r, col=col, paragraph=k)
                else:
                    yield item, Locator("cell", table=t_index, row=r, col=col, paragraph=k)
                k += 1
        if layout is not None:
            layout.append(tuple(owners))


MAX_GRID_COLUMNS = 63      # Word's own limit on table columns
_PARSER_SET = False


def _use_large_text_parser() -> None:
    """python-docx's XML parser refuses text nodes over 10 MB (a valid document with one long
    paragraph would read as corrupt). Parts are size-checked before parsing (``zip_guard``), and
    entities are still never resolved nor fetched."""
    global _PARSER_SET
    if _PARSER_SET:
        return
    from lxml import etree
    import docx.oxml.parser as parser
    big = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, huge_tree=True)
    big.set_element_class_lookup(parser.element_class_lookup)
    parser.oxml_parser = big
    _PARSER_SET = True


@reader(".docx")
def read_docx(path: Path) -> Document:
    check_ooxml(path, "文档", " Word 文档", ".doc")
    return docx_document(path, str(path))


def _harden_python_docx() -> None:
    """Make python-docx's table grid tolerate cells Word never writes, for this process.

    Other code opens the same file with python-docx after the reader (the self-evaluation table
    rules walk ``row.cells``): there ``gridSpan="abc"`` raised ValueError, ``gridSpan="100000000"``
    built a hundred million cell references, and a ``vMerge`` continuation on the first row (or
    with no cell above it) raised. Spans are clamped to 1…``MAX_GRID_COLUMNS`` and an orphan
    continuation counts as an ordinary cell — the same reading as ``_table_blocks``. Valid
    documents read exactly as before.
    """
    from docx.oxml.table import CT_Tc
    if getattr(CT_Tc, "_govlint_hardened", False):
        return
    span_prop, vmerge_prop = CT_Tc.grid_span, CT_Tc.vMerge

    def grid_span(tc) -> int:
        try:
            n = span_prop.fget(tc)
        except (ValueError, TypeError):
            return 1
        return min(max(n, 1), MAX_GRID_COLUMNS)

    def v_merge(tc):
        try:
            value = vmerge_prop.fget(tc)
        except (ValueError, TypeError):
            return None
        if value == "continue":
            try:
                tc._tc_above
            except (ValueError, IndexError, AttributeError):
                return None
        return value

    CT_Tc.grid_span = property(grid_span, span_prop.fset)
    CT_Tc.vMerge = property(v_merge, vmerge_prop.fset)
    CT_Tc._govlint_hardened = True


def docx_document(path: Path, shown: str, meta: dict | None = None) -> Document:
    """The Document of the .docx at ``path``, named ``shown`` (a converted file keeps its source's name)."""
    _use_large_text_parser()
    _harden_python_docx()
    try:
        import docx
        d = docx.Document(str(path))
    except Exception:  # python-docx raises several kinds for broken packages
        raise InputError("无法打开 Word 文档（文件可能已损坏）") from None
    root = d.element
    if root.tag != _W + "document" or root.find(_W + "body") is None:
        raise InputError("Word 文档结构异常（document.xml 中没有 w:document/w:body 正文）")
    try:
        return _document(d, shown, meta)
    except InputError:
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception:   # XML that is valid but not what Word writes
        raise InputError("Word 文档结构异常（内容不是 Word 写出的格式），无法读取") from None


def _document(d, shown: str, meta: dict | None) -> Document:
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    heading_levels: dict[int, int] = {}
    layouts: list = []
    styles: dict = {}
    for para, loc in iter_blocks(d, layouts):
        t = paragraph_text(para)
        level = _heading_level(para, styles) if loc.kind == "paragraph" else None
        if level:
            heading_levels[len(blocks)] = level
        blocks.append(Block(pos, pos + len(t), loc))
        parts.append(t)
        pos += len(t) + 1
        if pos > text_limit():
            raise text_size_error(text_limit())
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("Word 文档没有文字内容")
    return Document(shown, text, "docx", blocks=blocks,
                    meta={"heading_levels": heading_levels, "tables": tuple(layouts), **(meta or {})})


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


def _heading_level(para, styles: dict) -> int | None:
    """The outline level of a paragraph styled as a heading (标题 1 / Heading 1 …), else None.

    Word numbers such headings itself, so their numbers are not in the text; the document
    model still needs them as sections. ``styles`` caches the style name per style id:
    python-docx looks a paragraph's style up by scanning every style of the document (5 ms a
    paragraph; a 500,000-character .docx took 45 s to read).
    """
    try:
        sid = para._p.style
    except (KeyError, ValueError, AttributeError):
        sid = ""
    if sid not in styles:
        try:
            styles[sid] = (para.style.name or "") if para.style is not None else ""
        except (KeyError, ValueError):
            styles[sid] = None
    name = styles[sid]
    if name is None:
        return None
    m = re.match(r"^(?:heading|标题)\s*([1-5])$", name.strip(), re.I)
    return int(m.group(1)) if m else None
