"""Table grids: the cells of Word tables, worksheets and text tables, each with its span.

Every cell keeps its span in ``Document.text`` (``None`` for an empty Excel cell, which has
no text) and a reference a reviewer can find (``第1张表第5行第7列``, ``Sheet1!G7``,
``第12行第7栏``). A merged cell is one ``Cell`` object repeated over the grid positions it
covers.

- ``.docx``: cells from the reader's Block locators (``Locator("cell", table=, row=,
  col=)``) laid out by ``Document.meta.tables`` (the reader records merged cells).
- ``.xlsx``: cells from ``Locator("xcell", …)`` blocks and ``Document.meta.merged``.
- text (``.txt``/``.md``): runs of lines with ``|`` or tab separated cells (Markdown tables).
"""

from __future__ import annotations

import re

from govlint._record import Record
from govlint.document import Document, cell_label
from govlint.patterns import lazy_re


class Cell(Record):
    """One cell of a table grid, with its document span and a reference a reviewer can find."""

    __slots__ = ("text", "start", "end", "ref", "row", "col")
    _repr_fields = __slots__

    def __init__(self, text: str, start: int | None, end: int | None, ref: str, row: int = 0, col: int = 0):
        self.text = text
        self.start = start
        self.end = end
        self.ref = ref
        self.row = row      # 0-based grid row
        self.col = col      # 0-based grid column

    @property
    def has_span(self) -> bool:
        return self.start is not None

    def to_dict(self) -> dict:
        return {"text": self.text, "ref": self.ref, "start": self.start, "end": self.end}


class Grid(Record):
    """The cells of one table as rows, from a Word table, a worksheet or text columns."""

    __slots__ = ("source", "label", "rows", "row_labels", "short", "recovered", "uncertain")
    _repr_fields = ("source", "label")

    def __init__(self, source: str, label: str, rows: list[list[Cell]], row_labels: list[str]):
        self.source = source            # docx, xlsx, text
        self.label = label              # 第1张表, Sheet1, 第3行起的表格
        self.rows = rows
        self.row_labels = row_labels
        self.short: dict[int, int] = {}   # text tables: row → cells actually written (the rest is padding)
        self.recovered = ""             # rows / cells: rebuilt from text that lost its grid (evaltable.recover)
        self.uncertain = 0              # rows left out because their shape was uncertain


def norm(s: str) -> str:
    """Cell text for matching: no whitespace, full-width brackets and colon made ASCII."""
    s = re.sub(r"[\s\u3000]+", "", s or "")
    return s.translate(str.maketrans("（）：", "():"))


def docx_grids(doc: Document) -> list[Grid]:
    """Word tables, from the blocks and the layout the Word reader recorded (``meta.tables``);
    a PDF's ruled tables too (``readers.pdf_tables``: same blocks and layout, plus the page,
    which their cell references name: ``第2页第1张表第5行第7列``)."""
    if doc.kind not in ("docx", "pdf") or not doc.meta.tables:
        return []
    spans: dict = {}
    pages: dict = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.kind != "cell":
            continue
        key = (loc.table, loc.row, loc.col)
        a, e = spans.get(key, (b.start, b.end))
        spans[key] = (min(a, b.start), max(e, b.end))
        if loc.page is not None:
            pages.setdefault(loc.table, loc.page)
    grids = []
    for t, layout in enumerate(doc.meta.tables):
        page = pages.get(t)
        on = f"第{page}页" if page is not None else ""
        made: dict = {}
        rows = []
        for r, owners in enumerate(layout):
            out = []
            for r0, c0 in owners:
                got = made.get((r0, c0))
                if got is None:
                    a, e = spans.get((t, r0, c0), (None, None))
                    text = doc.text[a:e].replace("\n", " ") if a is not None else ""
                    got = made[(r0, c0)] = Cell(text, a, e, cell_label(t, r0, c0, page), r0, c0)
                out.append(got)
            rows.append(out)
        grids.append(Grid("docx", f"{on}第{t + 1}张表", rows,
                          [f"{on}第{t + 1}张表第{r + 1}行" for r in range(len(rows))]))
    return grids


def _col_letter(c: int) -> str:
    s = ""
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def _parse_ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def xlsx_grids(doc: Document) -> list[Grid]:
    if doc.kind != "xlsx":
        return []
    by_sheet: dict[str, dict] = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.kind != "xcell":
            continue
        r, c = loc.row, loc.col
        if r is None:
            r, c = _parse_ref(loc.cell)
        by_sheet.setdefault(loc.sheet, {})[(r, c)] = b
    merged = doc.meta.merged
    order = list(doc.meta.sheets or by_sheet)
    grids = []
    for sheet in order:
        cells = by_sheet.get(sheet)
        if not cells:
            continue
        nrows = max(r for r, _ in cells)
        ncols = max(c for _, c in cells)
        owner: dict = {}
        for rng in merged.get(sheet, []):
            a, b = rng.split(":")
            r1, c1 = _parse_ref(a)
            r2, c2 = _parse_ref(b)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    owner[(r, c)] = (r1, c1)
        made: dict = {}

        def cell_at(r, c):
            key = owner.get((r, c), (r, c))
            if key not in made:
                blk = cells.get(key)
                ref = f"{sheet}!{_col_letter(key[1])}{key[0]}"
                if blk is not None:
                    made[key] = Cell(doc.text[blk.start:blk.end], blk.start, blk.end, ref, key[0] - 1, key[1] - 1)
                else:
                    made[key] = Cell("", None, None, ref, key[0] - 1, key[1] - 1)
            return made[key]

        rows = [[cell_at(r, c) for c in range(1, ncols + 1)] for r in range(1, nrows + 1)]
        grids.append(Grid("xlsx", sheet, rows, [f"{sheet}!第{r}行" for r in range(1, nrows + 1)]))
    return grids


_MD_SEP = lazy_re(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _split_line(text: str, start: int) -> list[tuple[str, int, int]] | None:
    """Cells of a text table row as (text, start, end), or None if the line is not a row."""
    if text.count("|") >= 2 or (text.strip().startswith("|") and text.count("|") >= 1):
        sep = "|"
    elif text.count("\t") >= 2:
        sep = "\t"
    else:
        return None
    body_start, body_end = 0, len(text)
    stripped = text.rstrip()
    if sep == "|":
        lead = len(text) - len(text.lstrip())
        if text[lead:lead + 1] == "|":
            body_start = lead + 1
        if stripped.endswith("|") and len(stripped) - 1 >= body_start:
            body_end = len(stripped) - 1
    out = []
    pos = body_start
    for piece in text[body_start:body_end].split(sep):
        a = pos + (len(piece) - len(piece.lstrip(" \u3000")))
        b = pos + len(piece.rstrip(" \u3000"))
        if b < a:
            b = a
        out.append((text[a:b], start + a, start + b))
        pos += len(piece) + 1
    return out


def text_grids(doc: Document) -> list[Grid]:
    if doc.kind not in ("txt", "md"):
        return []
    grids = []
    cur: list = []

    def flush():
        if len(cur) >= 2:
            width = max(len(r) for r in cur)
            rows = []
            short = {}
            most = max(len(cells) for _, cells in cur)
            for ri, (line, cells) in enumerate(cur):
                if len(cells) < most:
                    short[ri] = len(cells)
                row = [Cell(t, a, b, f"第{line}行第{c + 1}栏", ri, c) for c, (t, a, b) in enumerate(cells)]
                for c in range(len(row), width):
                    end = cells[-1][2] if cells else doc.line_starts[line - 1]
                    row.append(Cell("", end, end, f"第{line}行第{c + 1}栏", ri, c))
                rows.append(row)
            grids.append(Grid("text", f"第{cur[0][0]}行起的表格", rows, [f"第{ln}行" for ln, _ in cur]))
            grids[-1].short = short
        cur.clear()

    for i, ls in enumerate(doc.line_starts):
        line = doc.line_text(i + 1)
        if _MD_SEP.match(line) and cur:
            continue
        cells = _split_line(line, ls)
        if cells is None:
            flush()
            continue
        cur.append((i + 1, cells))
    flush()
    return grids
