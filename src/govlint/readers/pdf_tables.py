"""Ruled tables of a PDF as table blocks (issue #18).

``pdftotext`` reads a Word table column by column, so the self-evaluation table rules could not
run on PDFs. This module finds ruled tables with pdfplumber's table finder (imported lazily, only
for PDFs), keeps a table only when its shape is certain, and tells the PDF reader which lines of
``pdftotext``'s text are that table (``pdftotext -bbox-layout`` gives each line's box, in the same
order as the plain text): those lines are replaced by the table's cells, one line per cell, with
the locator and ``meta.tables`` layout the Word reader gives (plus the page).

A table is certain when its cells tile its grid exactly (every grid position covered by one
cell, so every row has the header's cell count after merges) and the characters of the lines it
replaces are exactly the characters of its cells. Otherwise the text stays as before.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from govlint._record import Record

EDGE_TOLERANCE = 1.5        # points: cell edges closer than this are one grid line
MAX_TABLE_PAGES = 500       # beyond this many pages, tables are not looked for
MAX_RULING = 20_000         # a page drawing more lines and rectangles is a drawing, not looked at


class PdfTable(Record):
    """One ruled table of a page: its box, its cells (text by top-left grid position) and layout."""

    __slots__ = ("page", "bbox", "cells", "layout", "xs", "page_text")
    _repr_fields = ("page", "bbox")

    def __init__(self, page: int, bbox: tuple, cells: dict, layout: tuple, xs: tuple = ()):
        self.page = page            # 1-based
        self.bbox = bbox            # (x0, top, x1, bottom), pdfplumber's coordinates
        self.cells = cells          # (row, col) of the cell's first grid position -> text
        self.layout = layout        # per grid row, the owner (row, col) of every grid position
        self.xs = xs                # the x of its column lines
        self.page_text = "".join(cells.values())    # the text it covers on its page


def available() -> bool:
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        return False
    return True


def find_tables(path: Path) -> dict[int, list[PdfTable]]:
    """Page number -> the certain tables on that page (none when pdfplumber is missing or fails)."""
    try:
        import logging
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        import pdfplumber
    except ImportError:
        return {}
    ruled = ruled_pages(path)
    if ruled is not None and not ruled:
        return {}
    out: dict[int, list[PdfTable | None]] = {}
    try:
        with pdfplumber.open(str(path), pages=ruled) as pdf:
            if len(pdf.pages) > MAX_TABLE_PAGES:
                return {}
            for page in pdf.pages:
                ruling = len(page.rects) + len(page.lines)
                if not ruling or ruling > MAX_RULING:
                    continue            # no ruling: no ruled table; a drawing, not a table
                found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
                if found:       # top to bottom; None for a table whose shape is not certain
                    out[page.page_number] = [_certain(t, page.page_number) for t in found]
                page.close()
    except Exception:       # a PDF pdfminer cannot parse: the text reader decides about the file
        return {}
    return join_broken_rows(out)


def _segments(table: PdfTable, r: int) -> list[tuple]:
    """Row ``r`` as (owner, first column, last column) of its cells, left to right."""
    out: list[list] = []
    for c, owner in enumerate(table.layout[r]):
        if out and out[-1][0] == owner:
            out[-1][2] = c
        else:
            out.append([owner, c, c])
    return [tuple(x) for x in out]


def join_broken_rows(tables: dict[int, list[PdfTable | None]]) -> dict[int, list[PdfTable]]:
    """A row broken across a page break, put back together.

    Word and LibreOffice let a row break at the page's end: the cells' first lines stay on the
    page, the rest opens the next page's part of the table (after a repeated header), as a row
    whose single-line cells (分值, 得分) are empty. Read as it is, the row's 三级指标 or 年度指标值
    would be cut (``≥20公`` / ``里``). When the next page's first table continues the page's last
    one (same column lines) and its first body row has the last row's cells (same spans) but at
    most half of them written, its text is appended to the last row and the row is removed. When
    such a row cannot be joined (a cell of it spans further rows), both parts stay text.
    ``tables`` lists each page's tables top to bottom, None for one whose shape is not certain
    (a table opening the page after one of those is dropped too: it may start with the rest of
    a broken row); the result holds only the certain tables.
    """
    for page in sorted(tables):
        nxt = tables.get(page + 1)
        if not nxt or not tables.get(page):
            continue
        prev, cont = tables[page][-1], nxt[0]
        if prev is None:
            nxt[0] = None       # may continue a table whose shape is not certain (a broken row)
            continue
        if cont is None:
            continue
        if len(prev.xs) != len(cont.xs) or any(abs(a - b) > EDGE_TOLERANCE * 2 for a, b in zip(prev.xs, cont.xs)):
            continue
        last = len(prev.layout) - 1
        header = [[prev.cells[o] for o, _, _ in _segments(prev, r)] for r in range(len(prev.layout))]
        f = 1 if [cont.cells[o] for o, _, _ in _segments(cont, 0)] in header else 0
        if f >= len(cont.layout):
            continue
        mine, theirs = _segments(prev, last), _segments(cont, f)
        if [(a, b) for _, a, b in mine] != [(a, b) for _, a, b in theirs]:
            continue
        written_before = sum(bool(prev.cells[o]) for o, _, _ in mine)
        written = sum(bool(cont.cells.get(o, "")) for o, _, _ in theirs)
        if not written or written * 2 > written_before:
            continue                    # a row of its own
        spans_on = any(o[0] != f or (f + 1 < len(cont.layout) and cont.layout[f + 1][a] == o)
                       for o, a, _ in theirs)
        if spans_on:
            tables[page][-1] = nxt[0] = None
            continue
        for (o, _, _), (t, _, _) in zip(mine, theirs):
            if cont.cells.get(t):
                prev.cells[o] = cell_text(prev.cells[o] + "\n" + cont.cells[t])
        _drop_row(cont, f)
    out = {p: [t for t in ts if t is not None] for p, ts in tables.items()}
    return {p: ts for p, ts in out.items() if ts}


def _drop_row(table: PdfTable, f: int) -> None:
    """Remove grid row ``f`` (none of its cells spans another row)."""
    shift = lambda o: (o[0] - 1, o[1]) if o[0] > f else o  # noqa: E731
    table.cells = {shift(k): v for k, v in table.cells.items() if k[0] != f}
    table.layout = tuple(tuple(shift(o) for o in row) for r, row in enumerate(table.layout) if r != f)


MIN_PATHS = 4       # a ruled table draws at least four lines


def ruled_pages(path: Path) -> list[int] | None:
    """The 1-based pages that draw at least ``MIN_PATHS`` paths (pdfium, in C: ~10 ms a file where
    pdfplumber's layout analysis of every page costs ~90 ms), or None when pdfium cannot tell."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return None
    try:
        if len(pdf) > MAX_TABLE_PAGES:
            return []
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            n = 0
            for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
                n += 1
                if n >= MIN_PATHS:
                    out.append(i + 1)
                    break
            page.close()
        return out
    except Exception:
        return None
    finally:
        pdf.close()


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int | None:
    for k, e in enumerate(edges):
        if abs(e - v) <= EDGE_TOLERANCE:
            return k
    return None


def _certain(table, page_no: int) -> PdfTable | None:
    """The table when its cells tile the grid exactly, else None."""
    boxes = list(table.cells)
    if len(boxes) < 4:
        return None
    xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 2 or ncols < 2:
        return None
    owner: dict[tuple, tuple] = {}
    spans: dict[tuple, tuple] = {}
    for b in boxes:
        c0, c1, r0, r1 = _index(xs, b[0]), _index(xs, b[2]), _index(ys, b[1]), _index(ys, b[3])
        if None in (c0, c1, r0, r1) or c1 <= c0 or r1 <= r0:
            return None
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) in owner:
                    return None         # overlapping cells
                owner[(r, c)] = (r0, c0)
        spans[(r0, c0)] = b
    if len(owner) != nrows * ncols:
        return None                     # a hole in the grid: the shape is not certain
    texts = {}
    extracted = table.extract()
    for row, values in zip(table.rows, extracted):
        for b, value in zip(row.cells, values):
            if b is None:
                continue
            key = owner.get((_index(ys, b[1]), _index(xs, b[0])))
            if key is not None:
                texts[key] = cell_text(value or "")
    if len(texts) != len(spans):
        return None
    layout = tuple(tuple(owner[(r, c)] for c in range(ncols)) for r in range(nrows))
    return PdfTable(page_no, tuple(table.bbox), texts, layout, tuple(xs))


_WORDY = re.compile(r"[A-Za-z0-9]")


def cell_text(value: str) -> str:
    """A cell's lines as one line: CJK lines join without a space (a cell wraps mid-word),
    two Latin/digit ends keep one."""
    parts = [p.strip() for p in value.split("\n") if p.strip()]
    out = ""
    for p in parts:
        if out and _WORDY.match(out[-1]) and _WORDY.match(p[0]):
            out += " "
        out += p
    return out


def line_boxes(xhtml: bytes) -> list[list[tuple[str, tuple]]]:
    """Per page, each line of ``pdftotext -bbox-layout``: (text without spaces, (x0, y0, x1, y1))."""
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)
    root = etree.fromstring(xhtml, parser)
    if root is None:
        return []
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(ns + "page"):
        lines = []
        for line in page.iter(ns + "line"):
            text = "".join((w.text or "") for w in line.iter(ns + "word"))
            box = tuple(float(line.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax"))
            lines.append((re.sub(r"\s+", "", text), box))
        pages.append(lines)
    return pages


def _inside(box: tuple, bbox: tuple) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return bbox[0] - 1 <= cx <= bbox[2] + 1 and bbox[1] - 1 <= cy <= bbox[3] + 1


def mark_tables(page_lines: list[list[str]], boxes: list[list[tuple[str, tuple]]],
                tables: dict[int, list[PdfTable]]) -> list[PdfTable]:
    """Replace, in place, the lines of ``page_lines`` that are a certain table's text: the table's
    first line (in pdftotext's order) becomes ``marker(k)``, its other lines empty strings.
    Returns the tables placed, in document order (``k`` is the index in that list).

    A page whose non-empty lines do not match ``-bbox-layout``'s lines one for one, or a table
    whose lines do not hold exactly its cells' characters, is left as it is.
    """
    placed: list[PdfTable] = []
    for page_no in sorted(tables):
        if page_no > len(page_lines) or page_no > len(boxes):
            continue
        lines = page_lines[page_no - 1]
        idx = [i for i, t in enumerate(lines) if t.strip()]
        if len(idx) != len(boxes[page_no - 1]):
            continue
        if any(re.sub(r"\s+", "", lines[i]) != boxes[page_no - 1][k][0] for k, i in enumerate(idx)):
            continue
        found = []
        taken: set[int] = set()
        for table in tables[page_no]:
            mine = [i for k, i in enumerate(idx) if i not in taken and _inside(boxes[page_no - 1][k][1], table.bbox)]
            if not mine:
                continue
            have = Counter("".join(re.sub(r"\s+", "", lines[i]) for i in mine))
            want = Counter(re.sub(r"\s+", "", table.page_text))
            if have != want:
                continue            # text in the box that is not in the cells, or the reverse
            taken.update(mine)
            found.append((mine[0], mine, table))
        for first, mine, table in sorted(found, key=lambda f: f[0]):
            for i in mine:
                lines[i] = ""
            lines[first] = marker(len(placed))
            placed.append(table)
    return placed


MARK = "\x00govlint-table-"


def marker(k: int) -> str:
    return f"{MARK}{k}\x00"


def marked(line: str) -> int | None:
    if line.startswith(MARK):
        return int(line[len(MARK):-1])
    return None
