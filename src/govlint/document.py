"""The document model: paragraphs, headings, sections and sentences over unchanged text.

Offsets are half-open character offsets into ``Document.text`` (one Chinese character
counts 1). The text is never rewritten; line and column are computed only for output.
For .docx the text is one paragraph per line, so a position's line is the 1-based index
of its paragraph in document order (table cells count as paragraphs).
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from govlint._record import Record, Tuple
from govlint.finding import Position
from govlint.numerals import CN_DIGITS, CN_NUMERALS, cn_to_int, int_to_cn  # noqa: F401  (re-exported)
from govlint.outline import (  # noqa: F401  (re-exported: the outline's records are part of the document API)
    LEVEL_STYLE, STYLES, Heading, HeadingStyle, Section, assign_levels, build_sections, find_heading,
    starts_with_heading, styled_heading,
)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BLANK = " \t\u3000\f\v\u00a0"
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")


class Sentence(Record):
    """One sentence of a paragraph, with document offsets."""

    __slots__ = ("start", "end", "text", "paragraph")
    _repr_fields = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str, paragraph: "Paragraph"):
        self.start = start
        self.end = end
        self.text = text
        self.paragraph = paragraph


class Paragraph(Record):
    """One paragraph (a line of text, a Word paragraph or table cell), with document offsets."""

    _repr_fields = ("index", "start", "end", "line", "is_title")

    def __init__(self, doc: "Document", index: int, start: int, end: int, line: int,
                 heading: Heading | None = None, section: "Section | None" = None, is_title: bool = False):
        self.doc = doc
        self.index = index      # 0-based order among paragraphs
        self.start = start      # trimmed span
        self.end = end
        self.line = line        # 1-based line (paragraph index for .docx)
        self.heading = heading
        self.section = section
        self.is_title = is_title

    @property
    def text(self) -> str:
        return self.doc.text[self.start:self.end]

    @property
    def body_start(self) -> int:
        """Where the paragraph's own prose starts (after a heading marker and title)."""
        if self.heading is None:
            return self.start
        return self.heading.title_end

    @cached_property
    def sentences(self) -> list[Sentence]:
        text = self.text
        out: list[Sentence] = []
        pos = 0
        for m in _SENTENCE_END.finditer(text):
            if m.end() > pos and text[pos:m.end()].strip():
                out.append(self._sentence(pos, m.end()))
            pos = m.end()
        if text[pos:].strip():
            out.append(self._sentence(pos, len(text)))
        return out

    def _sentence(self, a: int, b: int) -> Sentence:
        text = self.text
        while a < b and text[a] in " \t\u3000":
            a += 1
        return Sentence(self.start + a, self.start + b, text[a:b], self)


class Locator(Tuple):
    """Where a block's text sits in its source file; ``kind`` says which fields are set.

    - ``paragraph`` (.docx body): ``index``, the paragraph's number among the body's paragraphs;
    - ``cell`` (.docx table): ``table``, ``row``, ``col`` (0-based, in the table's grid) and
      ``paragraph`` (within the cell); ``nested-cell`` also ``path``, the (row, col, table)
      steps from the outer table's cell down to the nested table; a PDF's ruled tables
      (``readers.pdf_tables``) are ``cell`` blocks too, with ``page``;
    - ``xcell`` (.xlsx): ``sheet``, ``cell`` ("B7"), ``row``, ``col`` (1-based);
    - ``page`` (.pdf, .ofd): ``page`` (1-based).
    """

    kind: str
    index: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    paragraph: int | None = None
    path: tuple | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None

    def get(self, field: str, default=None):
        """``locator.get("kind")``: a field by name, ``default`` when unset (code written for the
        dict locators of earlier versions reads them this way)."""
        value = getattr(self, field, None) if field in self._fields else None
        return default if value is None else value


class Block(Record):
    """Where a stretch of text came from in a structured source (a .docx paragraph or cell)."""

    __slots__ = ("start", "end", "locator")
    _repr_fields = ("start", "end", "locator")

    def __init__(self, start: int, end: int, locator: Locator):
        self.start = start
        self.end = end
        self.locator = locator


class DocMeta(Record):
    """What a reader knows beyond the text and the blocks.

    ``heading_levels``: paragraph index → outline level of Word paragraphs styled as headings
    (Word adds their numbers); ``tables``: per top-level Word table, one tuple per row giving
    for each grid position the (row, col) where its cell was first seen (merged cells; a PDF's
    ruled tables too);
    ``sheets``: the workbook's sheet names in order; ``merged``: sheet → merged ranges
    ("A1:B2"); ``converted_from``/``converted_docx`` for .doc/.wps/.odt converted by LibreOffice;
    ``format``/``pages`` for OFD; ``extractor`` for PDF; ``page_lines`` (PDF read by pdftotext,
    OFD): one ``(offset, page, line)`` per line of the page the text was joined from, sorted by
    offset, ``line`` counting the page's non-blank lines from its top (running headers included:
    the reader sees them). ``meta["merged"]`` and ``meta.get(...)`` read the same fields.
    """

    __slots__ = ("heading_levels", "tables", "sheets", "merged", "converted_from", "converted_docx", "format",
                 "pages", "extractor", "page_lines")
    _repr_fields = __slots__

    def __init__(self, heading_levels: dict | None = None, tables: tuple = (), sheets: list | None = None,
                 merged: dict | None = None, converted_from: str | None = None, converted_docx: str | None = None,
                 format: str | None = None, pages: int | None = None, extractor: str | None = None,
                 page_lines: tuple = ()):
        self.heading_levels: dict[int, int] = {} if heading_levels is None else heading_levels
        self.tables: tuple = tables
        self.sheets: list[str] = [] if sheets is None else sheets
        self.merged: dict[str, list[str]] = {} if merged is None else merged
        # .doc/.wps/.odt read through LibreOffice: the original suffix and the converted .docx
        self.converted_from = converted_from
        self.converted_docx = converted_docx
        self.format = format          # "ofd" for an OFD read as pages
        self.pages = pages
        self.extractor = extractor    # the PDF text extractor used (pdftotext or pypdf)
        self.page_lines: tuple = page_lines

    def __getitem__(self, key: str):
        if key not in self.__slots__:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default) if key in self.__slots__ else default


def cell_label(table: int, row: int, col: int, page: int | None = None) -> str:
    """A table cell as a reader of the original names it (0-based arguments): 第1张表第5行第7列,
    第2页第1张表第5行第7列 for a PDF's ruled table."""
    return f"{'' if page is None else f'第{page}页'}第{table + 1}张表第{row + 1}行第{col + 1}列"


def _nested_label(loc: "Locator") -> str:
    """A cell of a table nested in a Word table cell: the outer cell, then each inner table's cell."""
    steps = loc.path or ()
    if not steps:
        return cell_label(loc.table, loc.row, loc.col)
    out = cell_label(loc.table, steps[0][0], steps[0][1])
    for i, (_, _, inner) in enumerate(steps):
        r, c = steps[i + 1][:2] if i + 1 < len(steps) else (loc.row, loc.col)
        out += f"内{cell_label(inner, r, c)}"
    return out


class Document:
    """A report as text plus structure. Build with ``Document.from_text``."""

    def __init__(self, path: str, text: str, kind: str = "txt", blocks: list[Block] | None = None,
                 meta: DocMeta | dict | None = None):
        self.path = path
        self.text = text
        self.kind = kind
        self.blocks = blocks or []
        self.meta = meta if isinstance(meta, DocMeta) else DocMeta(**(meta or {}))
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.paragraphs: list[Paragraph] = []
        self.headings: list[Heading] = []
        self.comment_lines: list[tuple[int, int]] = []   # (line, start) of <!-- --> lines
        self.root = Section(None, 0, 0, len(text))
        self.title: Paragraph | None = None
        self._tokens = None
        self._parse()

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", kind: str = "txt", **kw) -> "Document":
        return cls(path, text, kind, **kw)

    # ----- positions -------------------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    def position(self, start: int, end: int) -> Position:
        line, col = self.line_col(start)
        eline, ecol = self.line_col(end)
        return Position(line, col, eline, ecol)

    def line_text(self, line: int) -> str:
        a = self.line_starts[line - 1]
        b = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[a:b].rstrip("\r")

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.start for b in self.blocks]

    @staticmethod
    def _containing(starts: list[int], items: list, offset: int):
        """The item (sorted by start) whose [start, end] holds ``offset``, or None."""
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and items[i].start <= offset <= items[i].end:
            return items[i]
        return None

    def paragraph_at(self, offset: int) -> Paragraph | None:
        return self._containing(self._paragraph_starts, self.paragraphs, offset)

    def section_at(self, offset: int) -> Section:
        p = self.paragraph_at(offset)
        return p.section if p is not None and p.section is not None else self.root

    def block_at(self, offset: int) -> Block | None:
        return self._containing(self._block_starts, self.blocks, offset)

    # ----- places in the original file (outputs only; never on the check path of .txt/.md) -----
    @property
    def has_places(self) -> bool:
        """Whether positions in the original file differ from lines of the text (Word, Excel, PDF, OFD)."""
        return self.kind in ("docx", "xlsx", "pdf")

    @cached_property
    def _page_line_starts(self) -> list[int]:
        return [o for o, _, _ in self.meta.page_lines]

    def _page_line(self, offset: int, block: Block | None) -> tuple[int, int] | None:
        """(page, line on the page) of an offset of a PDF/OFD paragraph, when the reader recorded it."""
        i = bisect.bisect_right(self._page_line_starts, offset) - 1 if self.meta.page_lines else -1
        if i < 0 or (block is not None and self.meta.page_lines[i][0] < block.start):
            return None
        return self.meta.page_lines[i][1], self.meta.page_lines[i][2]

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) of an offset of a PDF or OFD, else None."""
        if self.kind != "pdf":
            return None
        b = self.block_at(offset)
        if b is not None and b.locator.kind == "page":
            pl = self._page_line(offset, b)
            return pl[0] if pl else b.locator.page
        return b.locator.page if b is not None else None

    def place(self, offset: int) -> str:
        """Where a reader of the original file finds an offset: the one label every output uses.

        Word: 第N段 (N = the text's line, i.e. the paragraph in document order with table-cell
        paragraphs counted, as the review list counts it) or the table cell (第1张表第2行第3列);
        Excel: 表名!F4; PDF/OFD: 第P页第L行 (L = the page's non-blank line, from the reader's
        ``meta.page_lines``), 第P页 alone when the line is not known (pypdf), or the ruled table's
        cell (第P页第k张表第r行第c列). Plain text and Markdown: "" (the line is the place).
        """
        if not self.has_places:
            return ""
        b = self.block_at(offset)
        loc = b.locator if b is not None else None
        kind = loc.kind if loc is not None else ""
        if kind == "cell":
            return cell_label(loc.table, loc.row, loc.col, loc.page)
        if kind == "nested-cell":
            return _nested_label(loc)
        if kind == "xcell":
            return f"{loc.sheet}!{loc.cell}"
        if kind == "page":
            pl = self._page_line(offset, b)
            return f"第{pl[0]}页第{pl[1]}行" if pl else f"第{loc.page}页"
        if self.kind == "docx":
            return f"第{self.line_col(offset)[0]}段"
        return ""

    def in_table(self, offset: int) -> bool:
        """Whether the offset lies in a table cell of a Word document or a workbook."""
        b = self.block_at(offset)
        return b is not None and b.locator.kind in ("cell", "xcell")

    # ----- derived views -----------------------------------------------------------------
    @property
    def sections(self) -> list[Section]:
        """All sections below the root, in document order."""
        return [s for s in self.root.walk() if s.heading is not None]

    @property
    def sentences(self):
        for p in self.paragraphs:
            yield from p.sentences

    def tokens(self):
        """(word, start, end) tokens of the whole text, segmented once and cached."""
        if self._tokens is None:
            from govlint import nlp
            self._tokens = nlp.tokenize(self.text)
        return self._tokens

    @property
    def title_text(self) -> str:
        if self.title is None:
            return ""
        t = self.title.text
        if self.kind == "md":
            t = re.sub(r"^#{1,6}[ \t]+", "", t).rstrip("# \t")
        return t

    # ----- parsing -------------------------------------------------------------------------
    def _parse(self) -> None:
        text = self.text
        skip_until = -1          # Markdown front matter and fenced code are not report text
        fence = None
        levels = self.meta.heading_levels     # Word paragraphs styled as headings
        for li, ls in enumerate(self.line_starts):
            le = self.line_starts[li + 1] - 1 if li + 1 < len(self.line_starts) else len(text)
            raw = text[ls:le]
            stripped = raw.strip()
            if self.kind == "md":
                if li == 0 and stripped == "---":
                    end = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", text[le:], re.M)
                    skip_until = le + end.end() if end else -1
                if ls < skip_until:
                    continue
                if fence is None and re.match(r"(`{3,}|~{3,})", stripped):
                    fence = stripped[:3]
                    continue
                if fence is not None:
                    if stripped.startswith(fence):
                        fence = None
                    continue
            if not stripped:
                continue
            if stripped.startswith("<!--"):
                self.comment_lines.append((li + 1, ls))
                continue
            lead = len(raw) - len(raw.lstrip(_BLANK + "\ufeff\r"))
            trail = len(raw) - len(raw.rstrip(_BLANK + "\r"))
            p = Paragraph(self, len(self.paragraphs), ls + lead, le - trail, li + 1)
            self.paragraphs.append(p)
            h = find_heading(p, self.kind) or styled_heading(p, levels)
            if h is not None:
                p.heading = h
                self.headings.append(h)
        self._find_title()
        assign_levels(self.headings)
        build_sections(self.root, self.paragraphs, len(text))

    def _find_title(self) -> None:
        for p in self.paragraphs[:6]:
            if p.heading is not None:
                break
            t = p.text
            if re.match(r"^附\s*件\s*\d*\s*[:：]?\s*$", t) or len(t) > 60:
                continue
            if re.search(r"报告|自评|评价|总结|方案|通知|意见|决定|办法|规定|公告|说明|决算|预算", t):
                p.is_title = True
                self.title = p
                return
