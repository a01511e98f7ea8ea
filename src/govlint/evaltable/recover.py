"""Self-evaluation tables whose grid was lost, rebuilt only where their shape is certain.

A PDF or a web page exported to text gives the 项目支出绩效自评表 either one row per line
(cells separated by spaces or tabs; ``rows`` layout), one cell per line (``cells`` layout,
header words often cut over two lines: 年度 / 指标值), or — a converted file — the whole table
on one line (``line`` layout). Merged cells (一级指标 written once for
its group) and empty cells (an empty 偏差原因分析, an empty 年初预算数) disappear from such
text, so the cells that remain would shift left if read by position.

The table is found by its header sequence (lexicons/evaltable.toml ``header_words``: 一级指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施; 年初预算数 全年预算数 全年执行数
分值 执行率 得分). A row is placed only when exactly one placement of its cells fits the
columns: 一级/二级指标 omitted only at the row's start (a merged cell), 偏差原因 omitted only at
its end (an empty cell), 分值 and 得分 numbers, 一级/二级指标 cells named as such. In the
``cells`` layout the whole run of cells must split into rows in exactly one way. A budget row
with a figure missing is realigned only when one placement agrees with 执行率 = 执行数 / 预算数
and 得分 = 执行率 × 分值. Anything else is *uncertain*: the row gives no record (and the table
no total or weights check, see ``EvalTable.partial``).

Nothing here runs unless the text holds a ``recover_hints`` word (一级: the 一级指标 header, maybe
cut over two lines); ``parse`` imports this module only then.
"""

from __future__ import annotations


from govlint.document import Document
from govlint.evaltable.grid import Cell, Grid
from govlint.evaltable.place import (
    DASH, NUM, PCT, TOKEN, budget_columns, cut_header, fw, header_prefix, ind_columns, labels_from,
    place_budget, place_row, split_cells,
)
from govlint.evaltable.values import words

MAX_CELLS = 3000              # cells of one table in the ``cells`` layout
MAX_HEADER_LINES = 40         # lines a header cut over lines may take


# ----- reading the text ------------------------------------------------------------------

class _Line:
    __slots__ = ("no", "start", "text", "_fw")

    def __init__(self, no: int, start: int, text: str):
        self.no, self.start, self.text = no, start, text
        self._fw = None

    @property
    def fw(self) -> str:
        """The line's text for matching (no spaces, full-width digits and brackets made ASCII)."""
        if self._fw is None:
            self._fw = fw(self.text)
        return self._fw


def _lines(doc: Document, skip: set) -> list[_Line]:
    out = []
    starts = doc.line_starts
    for i, ls in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(doc.text)
        if i + 1 not in skip:
            out.append(_Line(i + 1, ls, doc.text[ls:end].rstrip("\r")))
    return out


def _tokens(line: _Line) -> list[tuple[str, int, int]]:
    return [(m.group(), line.start + m.start(), line.start + m.end()) for m in TOKEN.finditer(line.text)]


def _cell(text, a, b, ref, r=0, c=0) -> Cell:
    return Cell(text, a, b, ref, r, c)


def flat_grids(doc: Document, skip: set | None = None) -> list[Grid]:
    """Tables rebuilt from text whose grid was lost (``txt``, ``md``, ``pdf`` documents);
    ``skip`` = line numbers already read as ``|``/tab tables."""
    if doc.kind not in ("txt", "md", "pdf") or not any(h in doc.text for h in words().recover_hints):
        return []
    lines = _lines(doc, skip or set())
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        got = _table_at(lines, i)
        if got is None:
            i += 1
            continue
        grid, i = got
        grids.append(grid)
    return grids


def _header_at(lines: list[_Line], i: int, kind: str):
    """(labels, columns, next index, layout) of a header starting at line ``i``."""
    s = lines[i].fw
    if not s:
        return None
    w = words()
    if kind == "budget":
        # the budget header may follow its row label on the same line (项目资金（万元） 年初预算数 …)
        k = min((s.find(x) for x in w.budget_header_words if x in s), default=-1)
        if k < 0 and not s.startswith(w.budget_header_starts):
            return None
        s = s[max(k, 0):]
        colsf = budget_columns
    else:
        if not s.startswith(w.indicator_header_starts):
            return None
        colsf = ind_columns
    labels = cut_header(s)
    if labels and len(TOKEN.findall(lines[i].text)) >= 3:
        cols = colsf(labels)
        return (labels, cols, i + 1, "rows") if cols else None
    # one cell per line: read lines while they continue a header (a header names a column once)
    best = None
    acc = ""
    j = i
    while j < len(lines) and j - i < MAX_HEADER_LINES:
        t = lines[j].fw
        if t:
            cand = acc + t
            if not header_prefix(cand):
                break
            labels = cut_header(cand)
            if labels and len(set(labels)) < len(labels):
                break
            acc = cand
            if labels:
                cols = colsf(labels)
                if cols:
                    best = (labels, cols, j + 1, "cells")
        j += 1
    return best


def _header_row(lines: list[_Line], i: int, j: int, labels: list[str], ref: str) -> list[Cell]:
    a = lines[i].start
    e = lines[j - 1].start + len(lines[j - 1].text)
    return [_cell(lab, a, e, ref) for lab in labels]


def _cell_stream(lines: list[_Line], j: int, limit: int):
    """Cells of the ``cells`` layout from line index ``j``: (text, start, end, line, index);
    a line of spaces is an empty cell the export kept, an empty line separates nothing."""
    n = 0
    while j < len(lines) and n < limit:
        ln = lines[j]
        if ln.text:
            s = ln.text.strip(" \t\u3000")
            a = ln.start + (len(ln.text) - len(ln.text.lstrip(" \t\u3000")))
            yield s, a, a + len(s), ln.no, j
            n += 1
        j += 1


def _figure(t: str) -> bool:
    t = fw(t)
    return t == "" or t in DASH or bool(NUM.fullmatch(t) or PCT.fullmatch(t))


def _budget_block(lines, b, i):
    labels, cols, j, layout = b
    ref = f"第{lines[i].no}行"
    head = _header_row(lines, i, j, labels, ref)
    w = words()
    vals = None
    if layout == "rows":
        for k in range(j, min(j + 3, len(lines))):
            toks = _tokens(lines[k])
            if toks and w.budget_row.match(fw(toks[0][0])):
                vals = [(t, a, e, lines[k].no, None) for t, a, e in toks[1:]]
                j = k + 1
                break
    else:
        stream = list(_cell_stream(lines, j, 3 + len(cols)))
        for k, (t, a, e, no, idx) in enumerate(stream[:3]):
            if w.budget_row.match(fw(t)):
                vals = []
                for item in stream[k + 1:]:
                    if not _figure(item[0]) or len(vals) == len(cols):
                        break
                    vals.append(item)
                j = (vals[-1][4] if vals else idx) + 1
                break
    if vals is None:
        return head, None, j, 0
    place = place_budget([v[0] for v in vals], cols)
    if place is None:
        return head, None, j, 1
    row = []
    for c, k in enumerate(place):
        if k is None:
            row.append(_cell("", None, None, f"第{vals[0][3]}行", 1, c))
        else:
            t, a, e, no, _ = vals[k]
            row.append(_cell(t, a, e, f"第{no}行第{k + 2}栏" if layout == "rows" else f"第{no}行", 1, c))
    return head, row, j, 0


def _row_cells(items, place, cols, r) -> list[Cell]:
    """A grid row in header order; ``items`` = (text, start, end, ref) of the cells present."""
    row = []
    ref0 = items[0][3]
    for c, k in enumerate(place):
        if k is None:
            row.append(_cell("", None, None, ref0, r, c))
        else:
            t, a, e, ref = items[k]
            row.append(_cell(t, a, e, ref, r, c))
    if place and place[-1] is None and cols[-1] == "note" and len(items) > sum(p is not None for p in place):
        rest = items[sum(p is not None for p in place):]          # a note over several tokens
        row[-1] = _cell(" ".join(x[0] for x in rest), rest[0][1], rest[-1][2], rest[0][3], r, len(cols) - 1)
    return row


def _total_row(items, cols, r) -> list[Cell]:
    """总分 and the figures after it, placed under 分值 and 得分 (or 得分 alone)."""
    row = [_cell("", None, None, items[0][3], r, c) for c in range(len(cols))]
    row[0] = _cell(*items[0], r, 0)
    nums = [x for x in items[1:] if NUM.fullmatch(fw(x[0]))][:2]
    targets = [c for c in (cols.index("points") if "points" in cols else None,
                           cols.index("score") if "score" in cols else None) if c is not None]
    for c, x in zip(targets[-len(nums):] if nums else [], nums):
        row[c] = _cell(*x, r, c)
    return row


def _rows_layout(lines, h, i):
    labels, cols, j, _ = h
    w = words()
    out, labs, unc, first = [], [], 0, True
    carry = None
    while j < len(lines):
        ln = lines[j]
        toks = _tokens(ln)
        if not toks:
            if out:
                break
            j += 1
            continue
        items = [(t, a, e, f"第{ln.no}行第{k + 1}栏") for k, (t, a, e) in enumerate(toks)]
        if w.total.match(fw(toks[0][0])):
            out.append(_total_row(items, cols, len(out)))
            labs.append(f"第{ln.no}行")
            j += 1
            break
        again = _header_at(lines, j, "ind")
        if again is not None and again[3] == "rows":
            j = again[2]                 # the header repeated on a new page
            continue
        place = place_row([t for t, _, _ in toks], cols, first)
        if place is None:
            if len(toks) < 3 or "。" in ln.text or _header_at(lines, j, "budget"):
                break
            unc += 1
            first = False
            # the row is left out, but its 一级指标 (a merged cell) heads the rows below
            carry = items[0] if cols[:1] == ["level1"] and words().level1.match(fw(toks[0][0])) else carry
        else:
            row = _row_cells(items, place, cols, len(out))
            if place[0] is None and carry is not None:
                row[0] = _cell(*carry, len(out), 0)
            carry = None if place[0] is not None else carry
            out.append(row)
            labs.append(f"第{ln.no}行")
            first = False
        j += 1
    return out, labs, unc, j


def _cells_layout(lines, h, i):
    labels, cols, j, _ = h
    w = words()
    stream = list(_cell_stream(lines, j, MAX_CELLS))
    segments: list[list] = [[]]
    total = None
    end = len(lines)
    k = 0
    while k < len(stream):
        t, a, e, no, idx = stream[k]
        if w.total.match(fw(t)):
            tail = [x for x in stream[k + 1:k + 3] if NUM.fullmatch(fw(x[0]))]
            total = [(t, a, e, f"第{no}行")] + [(x[0], x[1], x[2], f"第{x[3]}行") for x in tail]
            end = (tail[-1][4] if tail else idx) + 1
            break
        again = _header_at(lines, idx, "ind")
        if again is not None and again[3] == "cells":
            segments.append([])          # the header repeated on a new page
            k = next((m for m in range(k, len(stream)) if stream[m][4] >= again[2]), len(stream))
            continue
        segments[-1].append((t, a, e, f"第{no}行"))
        k += 1
    if total is None:                # no end: the run of cells cannot be cut with certainty (and a
        # table inside it would have ended it with its 总分), so the scan goes on after it
        return [], [], 1, (stream[-1][4] + 1 if stream else i + 1)
    out, labs, unc = [], [], 0
    keeps_empty = any(x[0] == "" for seg in segments for x in seg)
    for s, seg in enumerate(segments):
        rows = split_cells([x[0] for x in seg], cols, first=(s == 0), drops_empty=not keeps_empty)
        if rows is None:
            unc += 1
            continue
        _add_split(seg, rows, cols, out, labs)
    out.append(_total_row(total, cols, len(out)))
    labs.append(total[0][3])
    return out, labs, unc, end


def _add_split(seg, shapes, cols, out, labs) -> None:
    """Grid rows from ``split_cells``' row shapes over the cells ``seg`` (text, start, end, ref)."""
    pos = 0
    for shape in shapes:
        items = seg[pos:pos + len(shape)]
        place: list = [None] * len(cols)
        for n, c in enumerate(shape):
            place[c] = n
        out.append(_row_cells(items, place, cols, len(out)))
        labs.append(f"{items[0][3]}起")
        pos += len(items)


def _line_table(lines: list[_Line], i: int):
    """A whole table flattened into one line (a file converted to text with its cells joined by
    spaces): rebuilt only when its cells up to 总分 split into rows in exactly one way."""
    ln = lines[i]
    w = words()
    if ln.fw.startswith(w.indicator_header_starts) or not any(x in ln.fw for x in w.indicator_header_starts):
        return None
    toks = _tokens(ln)
    f = [fw(t) for t, _, _ in toks]
    k = next((n for n, t in enumerate(f) if t.startswith(w.indicator_header_starts) and cut_header(t)), None)
    if k is None:
        return None
    labels, m = labels_from(f, k)
    cols = ind_columns(labels) if labels else None
    end = next((n for n in range(m, len(f)) if w.total.match(f[n])), None) if cols else None
    if end is None:
        return None
    items = [(t, a, e, f"第{ln.no}行第{n + 1}栏") for n, (t, a, e) in enumerate(toks)]
    rows: list[list[Cell]] = []
    labs: list[str] = []
    unc = 0
    pk = next((n for n in range(k - 1) if w.project.match(f[n])), None)
    if pk is not None:
        rows.append([_cell(*items[pk][:3], items[pk][3]), _cell(*items[pk + 1][:3], items[pk + 1][3])])
        labs.append(items[pk][3])
    bk = next((n for n in range(k) if f[n].startswith(w.budget_header_words)), None)
    blabels, bm = labels_from(f, bk) if bk is not None else ([], 0)
    bcols = budget_columns(blabels) if blabels else None
    if bcols:
        rows.append([_cell(lab, toks[bk][1], toks[bm - 1][2], items[bk][3]) for lab in blabels])
        labs.append(items[bk][3])
        if bm < k and w.budget_row.match(f[bm]):
            vals = []
            for n in range(bm + 1, k):
                if not _figure(toks[n][0]) or len(vals) == len(bcols):
                    break
                vals.append(items[n])
            place = place_budget([v[0] for v in vals], bcols)
            if place is None:
                unc += 1
            else:
                rows.append(_row_cells(vals, place, bcols, len(rows)))
                labs.append(vals[0][3])
    rows.append([_cell(lab, toks[k][1], toks[m - 1][2], items[k][3]) for lab in labels])
    labs.append(items[k][3])
    seg = items[m:end]
    shapes = split_cells([x[0] for x in seg], cols, first=True)
    if shapes is None:
        unc += 1
    else:
        _add_split(seg, shapes, cols, rows, labs)
    tail = [x for x in items[end + 1:end + 3] if NUM.fullmatch(fw(x[0]))]
    rows.append(_total_row([items[end]] + tail, cols, len(rows)))
    labs.append(items[end][3])
    grid = Grid("text", f"第{ln.no}行的表格", rows, labs)
    grid.recovered, grid.uncertain = "line", unc
    return grid, i + 1


def _project_row(lines, i) -> list[Cell] | None:
    """项目名称 and the name, in the few lines before the table."""
    w = words()
    for k in range(max(0, i - 8), i):
        toks = _tokens(lines[k])
        if toks and w.project.match(fw(toks[0][0])):
            if len(toks) > 1:
                t, a, e = toks[1]
                return [_cell(toks[0][0], toks[0][1], toks[0][2], f"第{lines[k].no}行"),
                        _cell(t, a, e, f"第{lines[k].no}行")]
            nxt = next(iter(_cell_stream(lines, k + 1, 1)), None)
            if nxt is not None and nxt[0]:
                return [_cell(toks[0][0], toks[0][1], toks[0][2], f"第{lines[k].no}行"),
                        _cell(nxt[0], nxt[1], nxt[2], f"第{nxt[3]}行")]
    return None


def _table_at(lines: list[_Line], i: int):
    b = _header_at(lines, i, "budget")
    h = None if b is not None else _header_at(lines, i, "ind")
    if b is None and h is None:
        return _line_table(lines, i)
    rows: list[list[Cell]] = []
    labs: list[str] = []
    unc = 0
    project = _project_row(lines, i)
    if project is not None:
        rows.append(project)
        labs.append(project[0].ref)
    j = i
    if b is not None:
        head, vals, j, u = _budget_block(lines, b, i)
        unc += u
        rows.append(head)
        labs.append(head[0].ref)
        if vals is not None:
            rows.append(vals)
            labs.append(vals[0].ref)
        for k in range(j, min(j + 60, len(lines))):
            h = _header_at(lines, k, "ind")
            if h is not None:
                i = k
                break
    if h is not None:
        rows.append(_header_row(lines, i, h[2], h[0], f"第{lines[i].no}行"))
        labs.append(f"第{lines[i].no}行")
        got, glabs, u, j = (_rows_layout if h[3] == "rows" else _cells_layout)(lines, h, i)
        rows += got
        labs += glabs
        unc += u
        layout = h[3]
    else:
        layout = b[3]
    first = next(c for row in rows for c in row if c.has_span)
    grid = Grid("text", f"第{first.ref.split('行')[0][1:]}行起的表格", rows, labs)
    grid.recovered, grid.uncertain = layout, unc
    return grid, max(j, i + 1)
