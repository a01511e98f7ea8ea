"""The 项目支出绩效自评表 as structured records, from Word tables, Excel sheets or text tables.

``tables(doc, shared)`` finds every self-evaluation table in a Document and returns
``EvalTable`` records (cached in ``shared``, exported JSON-ready to
``shared["extra"]["tables"]``). Tables are recognised by their header words, not by fixed
positions: the header block (项目名称, 年初预算数/全年预算数/全年执行数, 分值, 执行率, 得分,
年度总体目标 预期目标/实际完成情况) and the indicator block (一级/二级/三级指标, 年度指标值,
实际完成值, 分值, 得分, 偏差原因分析及改进措施, 总分).

Sources:

- ``.docx``: the file is re-opened with python-docx; grid cells are mapped to Document
  offsets through the reader's Block locators ``{"kind": "cell", "table", "row", "col"}``.
  Merged cells are one ``Cell`` object repeated over the grid positions they cover.
- ``.xlsx``: the grid is rebuilt from ``{"kind": "xcell"}`` blocks and the merged ranges the
  reader keeps in ``Document.meta["merged"]``; cell references read ``Sheet1!E7``.
- text (``.txt``/``.md``): runs of lines with ``|`` or tab separated cells (a Markdown table).

Every cell keeps its span in ``Document.text`` (``None`` for an empty Excel cell, which has
no text) and a human reference (``第1张表第5行第7列``, ``Sheet1!G7``, ``第12行第7栏``).
"""

from __future__ import annotations

import re
from pathlib import Path

from govlint._record import Record
from govlint.document import Document
from govlint.rules._util import lazy_re

# ----- cells and grids -------------------------------------------------------------------


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

    __slots__ = ("source", "label", "rows", "row_labels")
    _repr_fields = ("source", "label")

    def __init__(self, source: str, label: str, rows: list[list[Cell]], row_labels: list[str]):
        self.source = source            # docx, xlsx, text
        self.label = label              # 第1张表, Sheet1, 第3行起的表格
        self.rows = rows
        self.row_labels = row_labels


def _norm(s: str) -> str:
    s = re.sub(r"[\s\u3000]+", "", s or "")
    return s.translate(str.maketrans("（）：", "():"))


def _docx_grids(doc: Document) -> list[Grid]:
    path = Path(doc.path)
    if doc.kind != "docx" or not path.is_file():
        return []
    try:
        import docx
        from docx.table import Table
        d = docx.Document(str(path))
    except Exception:
        return []
    spans: dict = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.get("kind") != "cell":
            continue
        key = (loc["table"], loc["row"], loc["col"])
        a, e = spans.get(key, (b.start, b.end))
        spans[key] = (min(a, b.start), max(e, b.end))
    grids = []
    keep = []   # keep lxml proxies alive so element identity is stable
    t = -1
    for item in d.iter_inner_content():
        if not isinstance(item, Table):
            continue
        t += 1
        first: dict = {}
        rows = []
        for r, row in enumerate(item.rows):
            out = []
            for c, cell in enumerate(row.cells):
                tc = cell._tc
                keep.append(tc)
                got = first.get(tc)
                if got is None:
                    a, e = spans.get((t, r, c), (None, None))
                    text = doc.text[a:e] if a is not None else cell.text
                    text = text.replace("\n", " ")
                    got = Cell(text, a, e, f"第{t + 1}张表第{r + 1}行第{c + 1}列", r, c)
                    first[tc] = got
                out.append(got)
            rows.append(out)
        grids.append(Grid("docx", f"第{t + 1}张表", rows, [f"第{t + 1}张表第{r + 1}行" for r in range(len(rows))]))
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


def _xlsx_grids(doc: Document) -> list[Grid]:
    if doc.kind != "xlsx":
        return []
    by_sheet: dict[str, dict] = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.get("kind") != "xcell":
            continue
        r, c = loc.get("row"), loc.get("col")
        if r is None:
            r, c = _parse_ref(loc["cell"])
        by_sheet.setdefault(loc["sheet"], {})[(r, c)] = b
    merged = (doc.meta or {}).get("merged", {})
    order = list((doc.meta or {}).get("sheets") or by_sheet)
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


def _text_grids(doc: Document) -> list[Grid]:
    if doc.kind not in ("txt", "md"):
        return []
    grids = []
    cur: list = []

    def flush():
        if len(cur) >= 2:
            width = max(len(r) for r in cur)
            rows = []
            for ri, (line, cells) in enumerate(cur):
                row = [Cell(t, a, b, f"第{line}行第{c + 1}栏", ri, c) for c, (t, a, b) in enumerate(cells)]
                for c in range(len(row), width):
                    end = cells[-1][2] if cells else doc.line_starts[line - 1]
                    row.append(Cell("", end, end, f"第{line}行第{c + 1}栏", ri, c))
                rows.append(row)
            grids.append(Grid("text", f"第{cur[0][0]}行起的表格", rows, [f"第{ln}行" for ln, _ in cur]))
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


# ----- values ------------------------------------------------------------------------------

_CMP = [
    (r"≥|>=|≧|＞=|不低于|不少于|不小于|大于等于|大于或等于|至少", ">="),
    (r"≤|<=|≦|＜=|不高于|不超过|不大于|不多于|小于等于|小于或等于|控制在", "<="),
    (r">|＞|大于|高于|超过|多于", ">"),
    (r"<|＜|小于|低于|少于", "<"),
    (r"=|＝", "="),
]
_CMP_AFTER = [(r"以上|及以上", ">="), (r"以内|以下|及以下", "<=")]
_DATE_FULL = lazy_re(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?(?P<e>底|末|中旬|上旬|下旬)?"
    r"|(?P<y2>(?:19|20)\d{2})[-./](?P<m2>0?[1-9]|1[0-2])(?:[-./](?P<d2>\d{1,2}))?(?![\d万元%])"
    r"|(?:(?P<y3>(?:19|20)\d{2})|(?<!\d))年(?P<e3>底|末)")
_BEFORE = lazy_re(r"前|之前|以前|底|末|内|截止|截至")
_LATE = lazy_re(r"延期|推迟|滞后|逾期|未按期|未按时|未完成|尚未|未能")
_ON_TIME = lazy_re(r"按时|如期|按期|提前|及时")
# qualitative levels: (scale, rank) — higher rank is better
GRADES = {
    "达成年度指标": ("tier", 3), "达成": ("tier", 3), "已达成": ("tier", 3), "全部达成": ("tier", 3),
    "基本达成": ("tier", 2), "部分达成": ("tier", 2), "未达成": ("tier", 1),
    "好": ("good", 5), "较好": ("good", 4), "一般": ("good", 3), "较差": ("good", 2), "差": ("good", 1),
    "优": ("grade", 4), "优秀": ("grade", 4), "良": ("grade", 3), "良好": ("grade", 3),
    "中": ("grade", 2), "中等": ("grade", 2), "合格": ("pass", 2), "不合格": ("pass", 1),
    "达标": ("pass", 2), "不达标": ("pass", 1), "是": ("yes", 2), "否": ("yes", 1),
    "有": ("has", 2), "无": ("has", 1),
}
# 10号: 达成 80–100% of the points, 部分达成 60–80%, 未达成 0–60%
TIER_BANDS = {3: (0.8, 1.0), 2: (0.6, 0.8), 1: (0.0, 0.6)}
_ACCEPTED_WORDS = lazy_re(r"无|零|未发生|杜绝|全覆盖|全部|全面|100%|按时|如期|按期|及时|提前|合格|达标|通过|"
                             r"符合|满足|是|否|有|建立|出台|印发|制定")
VAGUE = lazy_re(r"明显|显著|有效|有所|进一步|逐步|稳步|不断|持续|提升|提高|改善|加强|增强|促进|推动|"
                   r"达到预期|预期|完成|良好|较大|大幅|积极|一定|效果")
NOTE_EMPTY = {"", "无", "暂无", "无无", "/", "\\", "-", "--", "—", "——", "无偏差", "没有", "不适用", "未", "空", "na", "n/a"}


class Value(Record):
    """A cell's value read as a number, date, grade or text, with its comparator and unit."""

    __slots__ = ("text", "kind", "comparator", "number", "value", "unit", "qkind", "date", "grade")
    _repr_fields = __slots__

    def __init__(self, text: str, kind: str = "empty", comparator: str | None = None,
                 number: float | None = None, value: float | None = None, unit: str = "",
                 qkind: str = "", date: tuple | None = None, grade: tuple | None = None):
        self.text = text
        self.kind = kind              # number, date, grade, text, empty
        self.comparator = comparator
        self.number = number          # as written
        self.value = value            # in the base unit of ``qkind``
        self.unit = unit
        self.qkind = qkind            # money, rate, count, area, length, number
        self.date = date              # (year or None, month, day or None)
        self.grade = grade            # (scale, rank, word)

    def to_dict(self) -> dict:
        d = {"kind": self.kind, "comparator": self.comparator, "number": self.number, "unit": self.unit}
        if self.date:
            d["date"] = list(self.date)
        if self.grade:
            d["grade"] = self.grade[2]
        return d


def parse_value(text: str) -> Value:
    """A 指标值 or 实际完成值 cell: comparator, number and unit, date or qualitative level."""
    raw = (text or "").strip()
    s = _norm(raw).translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
    v = Value(raw)
    if not s or s in ("/", "\\", "-", "—", "——", "无数据"):
        return v
    for rx, op in _CMP:
        if re.match(rx, s) or (op in ("<=", ">=") and re.search(rx, s)):
            v.comparator = op
            break
    if v.comparator is None:
        for rx, op in _CMP_AFTER:
            if re.search(rx, s):
                v.comparator = op
                break
    m = _DATE_FULL.search(s)
    if m:
        y = m.group("y") or m.group("y2") or m.group("y3")
        mo = m.group("m") or m.group("m2")
        d = m.group("d") or m.group("d2")
        end = m.group("e") or m.group("e3")
        if mo is None:          # 年底 / 年内
            mo, d = "12", "31"
        mo = int(mo)
        if 1 <= mo <= 12:
            day = int(d) if d else None
            if end in ("底", "末") and day is None:
                day = 31
            v.kind, v.date = "date", (int(y) if y else None, mo, day)
            if _BEFORE.search(s) and v.comparator is None:
                v.comparator = "<="
            return v
    q = None
    try:
        from govlint.quantities import find_quantities
        qs = [x for x in find_quantities(s) if not x.chinese]
        q = qs[0] if qs else None
    except ImportError:  # pragma: no cover - quantities ships with govlint
        q = None
    if q is not None:
        v.kind, v.number, v.value, v.unit, v.qkind = "number", q.number, q.value, q.unit, q.kind
        return v
    m = re.search(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*([^\d\s,，、;；。()（）]{0,4})", s)
    if m:
        num = float(m.group(1).replace(",", ""))
        unit = re.sub(r"(以上|以下|以内|及|左右).*$", "", m.group(2))
        v.kind, v.number, v.value, v.unit, v.qkind = "number", num, num, unit, "number"
        return v
    core = re.sub(r"[。.，,；;！!]+$", "", s)
    for word, (scale, rank) in sorted(GRADES.items(), key=lambda kv: -len(kv[0])):
        if core == word or core.startswith(word) and len(core) <= len(word) + 12 and scale == "tier":
            v.kind, v.grade = "grade", (scale, rank, word)
            return v
    v.kind = "text"
    return v


def is_vague(v: Value, other: Value | None = None) -> bool:
    """A target or actual with no measurable figure, level or date (效果明显, 达到预期, 完成).

    A graded level (良好, 达成) is measurable only against a graded target: an actual of
    良好 for a target of ≥90% cannot be compared with it.
    """
    if v.kind == "grade" and other is not None and other.kind == "number":
        return True
    if v.kind != "text":
        return False
    s = _norm(v.text)
    if other is not None and other.kind == "date" and _ON_TIME.search(s):
        return False
    if _ACCEPTED_WORDS.search(s) and not re.search(r"达到预期|效果明显|明显", s):
        return False
    return bool(VAGUE.search(s))


def comparable(t: Value, a: Value) -> bool:
    if t.kind != "number" or a.kind != "number" or t.value is None or a.value is None:
        return False
    if t.qkind == a.qkind:
        return t.qkind != "count" or t.unit == a.unit or not t.unit or not a.unit
    return "number" in (t.qkind, a.qkind) and (not t.unit or not a.unit or t.unit == a.unit)


def shortfall(t: Value, a: Value) -> bool | None:
    """True when the actual falls short of the target, False when met, None if unknown."""
    if comparable(t, a):
        tv, av = (t.number, a.number) if "number" in (t.qkind, a.qkind) else (t.value, a.value)
        if t.comparator in ("<=", "<"):
            return av > tv + 1e-9
        return av < tv - 1e-9
    if t.kind == "date":
        if a.kind == "date":
            ty, tm, td = t.date
            ay, am, ad = a.date
            tkey = ((ty or ay or 0), tm, td or 31)
            akey = ((ay or ty or 0), am, ad or 1)
            return akey > tkey
        if a.kind == "text":
            if _LATE.search(a.text):
                return True
            if _ON_TIME.search(a.text):
                return False
        return None
    if a.kind == "grade":
        if t.kind == "grade" and t.grade[0] == a.grade[0]:
            return a.grade[1] < t.grade[1]
        if a.grade[0] == "tier":
            return a.grade[1] < 3
        return None
    if a.kind == "text" and re.search(r"未完成|未达到|未达成|部分完成|尚未", a.text):
        return True
    return None


def number_of(text: str) -> float | None:
    s = _norm(text).translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    m = re.fullmatch(r"[^\d\-]*?(-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|分|万元|元)?[^\d]*", s)
    if not m:
        return None
    return float(m.group(1).replace(",", ""))


def percent_of(text: str) -> tuple[float, int] | None:
    """A rate cell as (percent, decimals): '95.5%' → (95.5, 1); '0.955' → (95.5, 1)."""
    s = _norm(text).translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
    m = re.search(r"(\d+(?:\.(\d+))?)\s*%", s)
    if m:
        return float(m.group(1)), len(m.group(2) or "")
    m = re.fullmatch(r"(\d+(?:\.(\d+))?)", s)
    if m:
        x = float(m.group(1))
        dec = len(m.group(2) or "")
        if x <= 1.5 and "." in s:
            return x * 100, max(0, dec - 2)
        return x, dec
    return None


# ----- records -------------------------------------------------------------------------------


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
                 "goal_actual", "columns", "header_cells", "indicators", "total", "total_points", "rows_span")
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

    def to_dict(self) -> dict:
        return {
            "index": self.index, "source": self.source, "label": self.label,
            "project": self.project.text if self.project else None,
            "money_unit": self.money_unit,
            "header": {k: f.to_dict() for k, f in self.header.items()},
            "goal": {"expected": self.goal_expected.to_dict() if self.goal_expected else None,
                     "actual": self.goal_actual.to_dict() if self.goal_actual else None},
            "indicators": [i.to_dict() for i in self.indicators],
            "total": self.total.to_dict() if self.total else None,
        }


IND_FIELDS = [
    ("level1", lazy_re(r"^一级指标")),
    ("level2", lazy_re(r"^二级指标")),
    ("level3", lazy_re(r"^三级指标|^(绩效)?指标(名称|内容)$")),
    ("target", lazy_re(r"^(?!实际).*(指标值|目标值)|^预期(目标)?值$|^年度目标$|^计划(值|数)$")),
    ("actual", lazy_re(r"^(全年)?实际(完成)?(值|情况|数)?$|^实际完成值|^完成值|^全年实际值")),
    ("points", lazy_re(r"^(分值|权重|标准分|指标分值)")),
    ("score", lazy_re(r"^(自评)?得分")),
    ("note", lazy_re(r"偏差|原因分析|改进措施|未完成原因")),
]
BUDGET_FIELDS = [
    ("budget_initial", lazy_re(r"^年初预算(数|额)?")),
    ("budget_full", lazy_re(r"^全年预算(数|额)?|^调整后预算")),
    ("executed", lazy_re(r"^全年执行(数|额)?|^实际支出|^全年支出")),
    ("exec_points", lazy_re(r"^分值")),
    ("exec_rate", lazy_re(r"^执行率")),
    ("exec_score", lazy_re(r"^得分")),
]


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
    f = _row_fields(row, IND_FIELDS)
    core = {"level1", "level3", "target", "actual", "points", "score"} & set(f)
    if ("target" in f or "actual" in f) and len(core) >= 3:
        return f
    return None


def _first_label(row: list[Cell], rx) -> int | None:
    for c, cell in enumerate(row):
        if rx.search(_norm(cell.text)):
            return c
    return None


_TOTAL = lazy_re(r"^(总分|合计|总计|得分合计|综合得分|自评总分)$")
_PROJECT = lazy_re(r"^项目名称$")


def _parse_grid(grid: Grid, index_base: int, previous: EvalTable | None) -> list[EvalTable]:
    rows = grid.rows
    out: list[EvalTable] = []
    cur: EvalTable | None = None
    cols: dict[str, int] | None = None
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
        if not any(_is_ind_header(r) for r in rows) and not any(_first_label(r, _PROJECT) is not None for r in rows):
            cols = previous.columns
            cur = previous
            last_l1 = previous.indicators[-1].level1 if previous.indicators else ""
            last_l2 = previous.indicators[-1].level2 if previous.indicators else ""

    r = 0
    while r < len(rows):
        row = rows[r]
        texts = [_norm(c.text) for c in row]
        if any(_PROJECT.match(t) for t in texts):
            if cur is not None and cur is not previous and (cur.indicators or cur.total):
                finish()
                cols = None
            if cur is None or cur is previous:
                cur = new_table()
            c = texts.index(next(t for t in texts if _PROJECT.match(t)))
            for other in row[c + 1:]:
                if other is not row[c] and other.text.strip():
                    cur.project = other
                    break
            r += 1
            continue
        bf = _row_fields(row, BUDGET_FIELDS)
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
        ce = _first_label(row, lazy_re(r"^预期目标"))
        ca = _first_label(row, lazy_re(r"^实际完成(情况)?$"))
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
            cur.columns = hdr
            cur.header_cells = {k: row[c] for k, c in hdr.items()}
            last_l1 = last_l2 = ""
            r += 1
            continue
        if cols is not None and cur is not None:
            lead = [t for t in texts[:max(3, cols.get("level3", 2) + 1)] if t]
            if lead and _TOTAL.match(lead[0]):
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
            ind = _indicator(grid, r, row, cols, last_l1, last_l2)
            if ind is not None:
                last_l1, last_l2 = ind.level1, ind.level2
                cur.indicators.append(ind)
        r += 1
    if cur is not previous:
        finish()
    return out


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
    grids = _docx_grids(doc) + _xlsx_grids(doc) + _text_grids(doc)
    out: list[EvalTable] = []
    for g in grids:
        prev = out[-1] if out else None
        for t in _parse_grid(g, len(out), prev):
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


def tables(doc: Document, shared: dict | None = None) -> list[EvalTable]:
    """The document's self-evaluation tables, cached in ``shared`` and exported to its extra."""
    if shared is None:
        return find_tables(doc)
    if "_eval_tables" not in shared:
        found = find_tables(doc)
        shared["_eval_tables"] = found
        extra = shared.setdefault("extra", {})
        if found:
            extra["tables"] = [t.to_dict() for t in found]
    return shared["_eval_tables"]


def table_paragraph_spans(doc: Document) -> list[tuple[int, int]]:
    """Spans of table text (cells of Word tables, rows of text tables, every Excel cell)."""
    if doc.kind == "xlsx":
        return [(0, len(doc.text))]
    if doc.kind == "docx":
        return [(b.start, b.end) for b in doc.blocks if b.locator.get("kind") == "cell"]
    out = []
    for g in _text_grids(doc):
        cells = [c for row in g.rows for c in row if c.has_span]
        if cells:
            a = min(c.start for c in cells)
            b = max(c.end for c in cells)
            out.append((doc.line_starts[doc.line_col(a)[0] - 1], b))
    return out


def narrative_paragraphs(doc: Document):
    """Paragraphs outside any table."""
    spans = table_paragraph_spans(doc)
    for p in doc.paragraphs:
        if not any(a <= p.start and p.end <= b + 1 for a, b in spans):
            yield p


def fmt(x: float | None) -> str:
    if x is None:
        return "—"
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def today_year() -> int:
    import datetime
    return datetime.date.today().year
