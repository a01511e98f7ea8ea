"""The 项目支出绩效自评表 as records: header fields, indicator rows and the total.

Tables are recognised by their header words, not by fixed positions: the header block
(项目名称, 年初预算数/全年预算数/全年执行数, 分值, 执行率, 得分, 年度总体目标 预期目标/实际完成情况)
and the indicator block (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分,
偏差原因分析及改进措施, 总分). A table split across pages (or sheets) is joined.
"""

from __future__ import annotations

from bisect import bisect_right

from govlint._record import Record
from govlint.document import Document
from govlint.evaltable.grid import Cell, Grid, docx_grids, norm as _norm, text_grids, xlsx_grids
from govlint.evaltable.values import Value, number_of, parse_value, words


class Field(Record):
    """A header field of the table (budget, spending, execution rate …) and its number."""

    __slots__ = ("cell", "number")
    _repr_fields = __slots__

    def __init__(self, cell: Cell, number: float | None = None):
        self.cell = cell
        self.number = number

    def to_dict(self) -> dict:
        d = self.cell.to_dict()
        d["value"] = self.number
        return d


class Indicator(Record):
    """One indicator row: levels, target, actual value, points, score and deviation note."""

    __slots__ = ("row", "row_label", "level1", "level2", "level3", "cells", "target", "actual", "points",
                 "score", "note")
    _repr_fields = ("row_label", "level1", "level2", "level3", "points", "score")

    def __init__(self, row: int, row_label: str, level1: str, level2: str, level3: str,
                 cells: dict[str, Cell], target: Value, actual: Value, points: float | None,
                 score: float | None, note: str):
        self.row = row
        self.row_label = row_label
        self.level1 = level1
        self.level2 = level2
        self.level3 = level3
        self.cells = cells          # level1 … note → the cell in that column
        self.target = target
        self.actual = actual
        self.points = points
        self.score = score
        self.note = note

    @property
    def span(self) -> tuple[int, int] | None:
        spans = [(c.start, c.end) for c in self.cells.values() if c.has_span]
        if not spans:
            return None
        return min(a for a, _ in spans), max(b for _, b in spans)

    def cell(self, name: str) -> Cell | None:
        return self.cells.get(name)

    def to_dict(self) -> dict:
        return {"row": self.row_label, "level1": self.level1, "level2": self.level2, "level3": self.level3,
                "target": {**self.target.to_dict(), "text": self.target.text},
                "actual": {**self.actual.to_dict(), "text": self.actual.text},
                "points": self.points, "score": self.score, "note": self.note,
                "cells": {k: c.to_dict() for k, c in self.cells.items()}}


class EvalTable(Record):
    """One 项目支出绩效自评表: header fields, indicator rows and the total."""

    __slots__ = ("index", "source", "label", "project", "header", "money_unit", "goal_expected",
                 "goal_actual", "columns", "header_cells", "indicators", "total", "total_points", "rows_span",
                 "recovered", "partial")
    _repr_fields = ("index", "source", "label", "project")

    def __init__(self, index: int, source: str, label: str, project: Cell | None = None,
                 header: dict[str, Field] | None = None, money_unit: str = "万元",
                 goal_expected: Cell | None = None, goal_actual: Cell | None = None,
                 columns: dict[str, int] | None = None, header_cells: dict[str, Cell] | None = None,
                 indicators: list[Indicator] | None = None, total: Field | None = None,
                 total_points: Field | None = None, rows_span: tuple[int, int] | None = None):
        self.index = index
        self.source = source
        self.label = label
        self.project = project
        self.header: dict[str, Field] = {} if header is None else header   # budget_initial … exec_score
        self.money_unit = money_unit
        self.goal_expected = goal_expected
        self.goal_actual = goal_actual
        self.columns: dict[str, int] = {} if columns is None else columns
        self.header_cells: dict[str, Cell] = {} if header_cells is None else header_cells
        self.indicators: list[Indicator] = [] if indicators is None else indicators
        self.total = total
        self.total_points = total_points
        self.rows_span = rows_span
        self.recovered = ""             # rows / cells: rebuilt from text that lost its grid
        self.partial = 0                # rows left out (shape uncertain): no total or weights check

    def to_dict(self) -> dict:
        d = {
            "index": self.index, "source": self.source, "label": self.label,
            "project": self.project.text if self.project else None,
            "money_unit": self.money_unit,
            "header": {k: f.to_dict() for k, f in self.header.items()},
            "goal": {"expected": self.goal_expected.to_dict() if self.goal_expected else None,
                     "actual": self.goal_actual.to_dict() if self.goal_actual else None},
            "indicators": [i.to_dict() for i in self.indicators],
            "total": self.total.to_dict() if self.total else None,
        }
        if self.recovered:
            d["recovered"] = self.recovered
            d["rows_left_out"] = self.partial
        return d


def ind_fields():
    """(field, pattern) of the indicator block's columns (lexicons/evaltable.toml ``indicator_columns``)."""
    return words().ind_fields


def budget_fields():
    """(field, pattern) of the budget block's columns (lexicons/evaltable.toml ``budget_columns``)."""
    return words().budget_fields


def _row_fields(row: list[Cell], specs) -> dict[str, int]:
    found: dict[str, int] = {}
    used: set = set()
    for c, cell in enumerate(row):
        t = _norm(cell.text)
        if not t or id(cell) in used:
            continue
        for name, rx in specs:
            if name not in found and rx.search(t):
                found[name] = c
                used.add(id(cell))
                break
    return found


def _is_ind_header(row: list[Cell]) -> dict[str, int] | None:
    f = _row_fields(row, ind_fields())
    core = {"level1", "level3", "target", "actual", "points", "score"} & set(f)
    if ("target" in f or "actual" in f) and len(core) >= 3:
        return f
    return None


def _first_label(row: list[Cell], rx) -> int | None:
    for c, cell in enumerate(row):
        if rx.search(_norm(cell.text)):
            return c
    return None


def _parse_grid(grid: Grid, index_base: int, previous: EvalTable | None) -> list[EvalTable]:
    rows = grid.rows
    w = words()
    out: list[EvalTable] = []
    cur: EvalTable | None = None
    cols: dict[str, int] | None = None
    hdr_width = 0
    last_l1 = last_l2 = ""

    def new_table() -> EvalTable:
        label = grid.label
        if grid.source == "xlsx" and out:
            label = f"{grid.label}（第{len(out) + 1}张表）"
        return EvalTable(index_base + len(out), grid.source, label)

    def finish():
        nonlocal cur
        if cur is not None and (cur.indicators or cur.header or cur.total):
            out.append(cur)
        cur = None

    # a continuation of the previous table: no header here, rows in the previous layout
    if previous is not None and previous.total is None and previous.columns:
        if not any(_is_ind_header(r) for r in rows) and not any(_first_label(r, w.project) is not None for r in rows):
            cols = previous.columns
            hdr_width = max(cols.values()) + 1
            cur = previous
            last_l1 = previous.indicators[-1].level1 if previous.indicators else ""
            last_l2 = previous.indicators[-1].level2 if previous.indicators else ""

    r = 0
    while r < len(rows):
        row = rows[r]
        texts = [_norm(c.text) for c in row]
        if any(w.project.match(t) for t in texts):
            if cur is not None and cur is not previous and (cur.indicators or cur.total):
                finish()
                cols = None
            if cur is None or cur is previous:
                cur = new_table()
            c = texts.index(next(t for t in texts if w.project.match(t)))
            for other in row[c + 1:]:
                if other is not row[c] and other.text.strip():
                    cur.project = other
                    break
            r += 1
            continue
        bf = _row_fields(row, w.budget_fields)
        if len({"budget_initial", "budget_full", "executed", "exec_rate"} & set(bf)) >= 2 and cols is None:
            if cur is None:
                cur = new_table()
            if any("元" in t and "万元" not in t for t in texts) and not any("万元" in t for t in texts):
                cur.money_unit = "元"
            for k in range(r + 1, min(r + 4, len(rows))):
                vrow = rows[k]
                key = bf.get("budget_full", bf.get("executed"))
                if key is not None and key < len(vrow) and number_of(vrow[key].text) is not None:
                    for name, c in bf.items():
                        if c < len(vrow) and vrow[c] is not row[c]:
                            cur.header[name] = Field(vrow[c], number_of(vrow[c].text))
                    break
            r += 1
            continue
        ce = _first_label(row, w.goal_expected)
        ca = _first_label(row, w.goal_actual)
        if ce is not None and ca is not None and cols is None and r + 1 < len(rows):
            if cur is None:
                cur = new_table()
            nxt = rows[r + 1]
            if ce < len(nxt) and ca < len(nxt):
                cur.goal_expected, cur.goal_actual = nxt[ce], nxt[ca]
            r += 2
            continue
        hdr = _is_ind_header(row)
        if hdr is not None:
            if cols is not None and cur is not None and cur.total is None:
                r += 1                     # a header row repeated on a new page
                continue
            if cur is None or cur.total is not None:
                finish()
                cur = new_table()
            cols = hdr
            hdr_width = grid.short.get(r, len(row))
            cur.columns = hdr
            cur.header_cells = {k: row[c] for k, c in hdr.items()}
            last_l1 = last_l2 = ""
            r += 1
            continue
        if cols is not None and cur is not None:
            lead = [t for t in texts[:max(3, cols.get("level3", 2) + 1)] if t]
            if lead and w.total.match(lead[0]):
                sc = cols.get("score")
                cell = row[sc] if sc is not None and sc < len(row) else None
                if cell is None or number_of(cell.text) is None or cell is row[0]:
                    cell = next((x for x in reversed(row) if number_of(x.text) is not None), None)
                if cell is not None:
                    cur.total = Field(cell, number_of(cell.text))
                pc = cols.get("points")
                if pc is not None and pc < len(row) and row[pc] is not cell and number_of(row[pc].text) is not None:
                    cur.total_points = Field(row[pc], number_of(row[pc].text))
                cols = None
                r += 1
                continue
            if r in grid.short and grid.short[r] < hdr_width:
                row = _realigned(grid, r, row, cols, hdr_width, not cur.indicators)
            if grid.source == "text" and (row is None or not _figures_fit(row, cols)):
                # a row that cannot be placed, or 分值/得分 not figures: the shape is uncertain
                grid.uncertain += 1
                r += 1
                continue
            ind = _indicator(grid, r, row, cols, last_l1, last_l2)
            if ind is not None:
                last_l1, last_l2 = ind.level1, ind.level2
                cur.indicators.append(ind)
        r += 1
    if cur is not previous:
        finish()
    return out


def _figures_fit(row: list[Cell], cols: dict[str, int]) -> bool:
    """A text-table row whose 分值 and 得分 cells hold figures (or nothing)."""
    for name in ("points", "score"):
        c = cols.get(name)
        if c is not None and c < len(row) and row[c].text.strip() and number_of(row[c].text) is None:
            return False
    return True


def _realigned(grid: Grid, r: int, row: list[Cell], cols: dict[str, int], width: int, first: bool):
    """A text-table row with fewer cells than its header (a merged 一级指标 or an empty cell the
    export dropped), placed under the header's columns, or None when the placement is uncertain."""
    from govlint.evaltable.place import place_row
    written = row[:grid.short[r]]
    names: list[str | None] = [None] * width
    for name, c in cols.items():
        if c < width:
            names[c] = name
    place = place_row([c.text.strip() for c in written], names, first)
    if place is None:
        return None
    ref = grid.row_labels[r]
    return [written[k] if k is not None else Cell("", None, None, ref, r, c) for c, k in enumerate(place)]


def _indicator(grid: Grid, r: int, row: list[Cell], cols: dict[str, int], last_l1: str, last_l2: str):
    cells: dict[str, Cell] = {}
    taken: set = set()
    for name in ("level1", "level2", "level3", "target", "actual", "points", "score", "note"):
        c = cols.get(name)
        if c is None or c >= len(row):
            continue
        cell = row[c]
        if id(cell) in taken and name not in ("level1", "level2"):
            continue
        taken.add(id(cell))
        cells[name] = cell
    get = lambda k: cells[k].text.strip() if k in cells else ""  # noqa: E731
    if not (get("level3") or get("target") or get("actual")):
        return None
    l1 = get("level1") or last_l1
    l2 = get("level2") or last_l2
    if "level2" in cells and "level1" in cells and cells["level2"] is cells["level1"]:
        l2 = ""
    return Indicator(r, grid.row_labels[r], l1, l2, get("level3"), cells,
                     parse_value(get("target")), parse_value(get("actual")),
                     number_of(get("points")), number_of(get("score")), get("note"))


def find_tables(doc: Document) -> list[EvalTable]:
    """Every self-evaluation table in the document (uncached)."""
    grids = docx_grids(doc) + xlsx_grids(doc) + _text_and_flat_grids(doc)
    if doc.kind == "pdf" and doc.meta.tables:     # a PDF's ruled tables and text tables, in document order
        grids.sort(key=lambda g: min((c.start for row in g.rows for c in row if c.has_span), default=0))
    out: list[EvalTable] = []
    for g in grids:
        prev = out[-1] if out else None
        for t in _parse_grid(g, len(out), prev):
            if g.recovered:
                t.recovered = g.recovered
            if g.uncertain:
                # rows left out: the sums over the table (总分, weights) cannot be checked
                t.partial += g.uncertain
                t.total = t.total_points = None
            if t is prev:
                continue
            # the rest of a table split across pages, its header row repeated
            if (prev is not None and prev.total is None and prev.indicators and t.project is None
                    and not t.header and t.source == prev.source and t.indicators):
                prev.indicators.extend(t.indicators)
                prev.total, prev.total_points = t.total, t.total_points
                continue
            out.append(t)
            prev = t
    out = [t for t in out if t.indicators or (t.header and t.project)]
    for i, t in enumerate(out):
        t.index = i
        spans = [(c.start, c.end) for ind in t.indicators for c in ind.cells.values() if c.has_span]
        spans += [(f.cell.start, f.cell.end) for f in t.header.values() if f.cell.has_span]
        if t.total and t.total.cell.has_span:
            spans.append((t.total.cell.start, t.total.cell.end))
        if spans:
            t.rows_span = (min(a for a, _ in spans), max(b for _, b in spans))
    return out


def _text_and_flat_grids(doc: Document) -> list[Grid]:
    """Text tables with ``|``/tab cells, and tables rebuilt from text that lost its grid
    (``recover``; only when a header word is in the text), in document order."""
    grids = text_grids(doc)
    if doc.kind not in ("txt", "md", "pdf"):
        return grids
    from govlint import lexicon
    if not any(h in doc.text for h in lexicon.active()["evaltable"]["recover_hints"]):
        return grids
    from govlint.evaltable.recover import flat_grids
    skip = {int(lab[1:-1]) for g in grids for lab in g.row_labels}
    if doc.kind == "pdf" and doc.meta.tables:     # lines that are cells of a PDF's ruled tables
        skip.update(doc.line_col(b.start)[0] for b in doc.blocks if b.locator.kind == "cell")
    flat = flat_grids(doc, skip)
    if not flat:
        return grids
    first = lambda g: min(c.start for row in g.rows for c in row if c.has_span)  # noqa: E731
    return sorted(grids + flat, key=first)


def tables(doc: Document, shared=None) -> list[EvalTable]:
    """The document's self-evaluation tables, cached in ``shared`` (``engine.Shared``) and
    exported to its extra."""
    if shared is None:
        return find_tables(doc)
    if shared.eval_tables is None:
        found = shared.eval_tables = find_tables(doc)
        if found:
            shared.extra["tables"] = [t.to_dict() for t in found]
    return shared.eval_tables


def table_paragraph_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of table text (cells of Word tables, rows of text tables, every Excel cell), in
    document order and disjoint; computed once per document (several rules ask)."""
    cached = getattr(doc, "_table_spans", None)
    if cached is None:
        cached = doc._table_spans = _table_paragraph_spans(doc)
    return list(cached)


def _table_paragraph_spans(doc: Document) -> list[tuple[int, int]]:
    if doc.kind == "xlsx":
        return [(0, len(doc.text))]
    cells = [(b.start, b.end) for b in doc.blocks if b.locator.kind == "cell"]
    if doc.kind == "docx":
        return cells
    out = cells
    for g in _text_and_flat_grids(doc):
        cells = [c for row in g.rows for c in row if c.has_span]
        if cells:
            a = min(c.start for c in cells)
            b = max(c.end for c in cells)
            out.append((doc.line_starts[doc.line_col(a)[0] - 1], b))
    return sorted(out) if cells else out


def narrative_paragraphs(doc: Document):
    """Paragraphs outside any table."""
    spans = table_paragraph_spans(doc)
    starts = [a for a, _ in spans]
    for p in doc.paragraphs:
        i = bisect_right(starts, p.start) - 1     # spans are disjoint and sorted: only this one can hold p
        if i < 0 or p.end > spans[i][1] + 1:
            yield p


def today_year() -> int:
    import datetime
    return datetime.date.today().year
