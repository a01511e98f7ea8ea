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
from typing import NamedTuple

from govlint._record import Record
from govlint.finding import Position

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERALS = "一二三四五六七八九十"


def cn_to_int(s: str) -> int | None:
    """Parse a small Chinese numeral (一 … 九十九). Returns None when it is not one."""
    if not s:
        return None
    if all(ch in CN_DIGITS for ch in s):
        value = 0
        for ch in s:
            value = value * 10 + CN_DIGITS[ch]
        return value
    if s.count("十") == 1:
        tens, _, ones = s.partition("十")
        t = CN_DIGITS.get(tens, None) if tens else 1
        o = CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    return None


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return prefix + "十" + (CN_NUMERALS[ones - 1] if ones else "")


# Heading styles. ``level`` is the nominal level a style belongs to in GB/T 9704:
# 一、 / （一） / 1. / （1） / ①.
class HeadingStyle(NamedTuple):
    """A way of numbering headings (一、 （一） 1. （1） …) and the level it stands for."""

    key: str
    level: int
    canonical: bool  # the form GB/T 9704 / 15834 prescribe for that level

    def render(self, n: int) -> str:
        return {
            "cn-dun": f"{int_to_cn(n)}、",
            "cn-dot": f"{int_to_cn(n)}、",
            "cn-paren": f"（{int_to_cn(n)}）",
            "ar-dot": f"{n}.",
            "ar-fwdot": f"{n}.",
            "ar-dun": f"{n}.",
            "ar-paren": f"（{n}）",
            "circled": chr(0x245F + n) if 1 <= n <= 20 else f"（{n}）",
            "word": "",
        }[self.key]


STYLES = {
    "cn-dun": HeadingStyle("cn-dun", 1, True),
    "cn-dot": HeadingStyle("cn-dot", 1, False),
    "cn-paren": HeadingStyle("cn-paren", 2, True),
    "ar-dot": HeadingStyle("ar-dot", 3, True),
    "ar-fwdot": HeadingStyle("ar-fwdot", 3, True),
    "ar-dun": HeadingStyle("ar-dun", 3, False),
    "ar-paren": HeadingStyle("ar-paren", 4, True),
    "circled": HeadingStyle("circled", 5, True),
    # numbered by Word (heading styles); the level comes from the style, the number is not in the text
    "word": HeadingStyle("word", 0, True),
}
# The canonical style of each structural level.
LEVEL_STYLE = {1: STYLES["cn-dun"], 2: STYLES["cn-paren"], 3: STYLES["ar-dot"],
               4: STYLES["ar-paren"], 5: STYLES["circled"]}

_WS = r"[ \t\u3000]*"
_MARKERS = [(key, re.compile(rx + _WS)) for key, rx in [
    ("cn-dun", r"([一二三四五六七八九十]{1,3})\s*、"),
    ("cn-dot", r"([一二三四五六七八九十]{1,3})\s*[.．](?![\d０-９])"),
    ("cn-paren", r"[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(?:[、.．，,]\s*)?"),
    ("ar-dun", r"(\d{1,2})\s*、"),
    ("ar-fwdot", r"(\d{1,2})\s*．(?![\d０-９])"),
    ("ar-dot", r"(\d{1,2})\s*\.(?![\d０-９])"),
    ("ar-paren", r"[（(]\s*(\d{1,2})\s*[）)]\s*(?:[、.．，,]\s*)?"),
    ("circled", r"([\u2460-\u2473])\s*"),
]]
def starts_with_heading(text: str) -> bool:
    """Whether a line starts with a heading number of the ladder (一、 （一） 1. （1） ①)."""
    return any(rx.match(text) for key, rx in _MARKERS if not key.startswith("ar") or
               (rx.match(text) and text[rx.match(text).end():][:1] not in "%％万亿元米个"))


_BLANK = " \t\u3000\f\v\u00a0"
_MD_PREFIX = re.compile(r"[ \t\u3000]*(?:#{1,6}[ \t]+|[-*+][ \t]+(?=\S))?")
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")
_TRAILING_PUNCT = "。：:；;，,"


class Heading(Record):
    """A numbered heading: its marker, title and structural level."""

    __slots__ = ("paragraph", "style", "number", "marker_start", "marker_end", "title_end", "level",
                 "misstyled", "trailing_mark")
    _repr_fields = ("style", "number", "marker_start", "title_end", "level", "misstyled")

    def __init__(self, paragraph: "Paragraph", style: HeadingStyle, number: int, marker_start: int,
                 marker_end: int, title_end: int, level: int = 0, misstyled: bool = False,
                 trailing_mark: str = ""):
        self.paragraph = paragraph
        self.style = style
        self.number = number
        self.marker_start = marker_start    # absolute offset of the number marker
        self.marker_end = marker_end        # just after the marker (and its punctuation)
        self.title_end = title_end          # end of the heading title (first 。 or end of paragraph)
        self.level = level                  # structural level, after inference
        self.misstyled = misstyled          # in another level's style (（2） where （二） belongs)
        self.trailing_mark = trailing_mark  # 、 or ． written after a bracketed marker: （一）、

    @property
    def marker(self) -> str:
        """The number marker as written, without the whitespace after it."""
        return self.paragraph.doc.text[self.marker_start:self.marker_end].rstrip(" \t\u3000")

    @property
    def marker_core_end(self) -> int:
        return self.marker_start + len(self.marker)

    @property
    def title(self) -> str:
        return self.paragraph.doc.text[self.marker_end:self.title_end].strip().rstrip(_TRAILING_PUNCT)

    @property
    def has_inline_body(self) -> bool:
        rest = self.paragraph.doc.text[self.title_end:self.paragraph.end]
        return bool(rest.strip())


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


class Section(Record):
    """A heading and everything under it up to the next heading at its level or above."""

    __slots__ = ("heading", "level", "start", "end", "parent", "children", "paragraphs")
    _repr_fields = ("level", "start", "end", "title")

    def __init__(self, heading: Heading | None, level: int, start: int, end: int,
                 parent: "Section | None" = None, children: list["Section"] | None = None,
                 paragraphs: list[Paragraph] | None = None):
        self.heading = heading      # None for the root
        self.level = level          # 0 for the root
        self.start = start          # heading paragraph start (0 for the root)
        self.end = end              # start of the next heading at this level or above, or text end
        self.parent = parent
        self.children: list[Section] = [] if children is None else children
        self.paragraphs: list[Paragraph] = [] if paragraphs is None else paragraphs   # direct body

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    @property
    def path(self) -> list[str]:
        """Titles from the top-level section down to this one, markers included."""
        out = []
        node: Section | None = self
        while node is not None and node.heading is not None:
            h = node.heading
            out.append(h.marker.strip() + h.title)
            node = node.parent
        return list(reversed(out))

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_paragraphs(self):
        """Body paragraphs of this section and all its subsections, in order."""
        for node in self.walk():
            yield from node.paragraphs

    def body_text(self) -> str:
        parts = []
        for node in self.walk():
            if node.heading is not None and node.heading.has_inline_body:
                parts.append(node.heading.paragraph.doc.text[node.heading.title_end:node.heading.paragraph.end])
            parts.extend(p.text for p in node.paragraphs)
        return "\n".join(parts)

    def is_empty(self) -> bool:
        if self.paragraphs or self.children:
            return False
        return not (self.heading and self.heading.has_inline_body)


class Block(Record):
    """Where a stretch of text came from in a structured source (a .docx paragraph or cell)."""

    __slots__ = ("start", "end", "locator")
    _repr_fields = ("start", "end", "locator")

    def __init__(self, start: int, end: int, locator: dict):
        self.start = start
        self.end = end
        self.locator = locator


class Document:
    """A report as text plus structure. Build with ``Document.from_text``."""

    def __init__(self, path: str, text: str, kind: str = "txt", blocks: list[Block] | None = None,
                 meta: dict | None = None):
        self.path = path
        self.text = text
        self.kind = kind
        self.blocks = blocks or []
        self.meta = meta or {}
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

    def in_table(self, offset: int) -> bool:
        """Whether the offset lies in a table cell of a Word document or a workbook."""
        b = self.block_at(offset)
        return b is not None and b.locator.get("kind") in ("cell", "xcell")

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
            h = self._heading(p) or self._styled_heading(p)
            if h is not None:
                p.heading = h
                self.headings.append(h)
        self._find_title()
        self._assign_levels()
        self._build_sections()

    def _heading(self, p: Paragraph) -> Heading | None:
        text = p.text
        offset = 0
        if self.kind == "md":
            m = _MD_PREFIX.match(text)
            offset = m.end() if m else 0
        for key, rx in _MARKERS:
            m = rx.match(text, offset)
            if not m:
                continue
            raw = m.group(1)
            if key == "circled":
                number = ord(raw) - 0x245F
            elif key.startswith("cn"):
                number = cn_to_int(raw)
            else:
                number = int(raw)
            if number is None or number == 0:
                continue
            rest = text[m.end():]
            if not rest.strip() and key not in ("cn-dun", "cn-paren"):
                continue
            # "一、二级公路", "三、四类人员": a run of numerals, not a heading number
            if key == "cn-dun" and re.match(r"[一二三四五六七八九十]+[级类等档季月年次]", rest):
                continue
            # Arabic list markers followed by a digit or unit are figures, not headings.
            if key.startswith("ar") and rest[:1] and rest[:1] in "%％万亿元米个":
                continue
            trailing = ""
            if key in ("cn-paren", "ar-paren"):
                tail = m.group(0).rstrip()[-1:]
                if tail in "、.．，,":
                    trailing = tail
            cut = rest.find("。")
            title_end = p.start + m.end() + (cut + 1 if cut >= 0 else len(rest))
            return Heading(p, STYLES[key], number, p.start + offset, p.start + m.end(), title_end,
                           trailing_mark=trailing)
        return None

    def _styled_heading(self, p: Paragraph) -> Heading | None:
        """A Word paragraph styled as a heading whose number Word adds itself (not in the text)."""
        levels = self.meta.get("heading_levels")
        if not levels or p.line - 1 not in levels or len(p.text) > 60:
            return None
        cut = p.text.find("。")
        title_end = p.start + (cut + 1 if cut >= 0 else len(p.text))
        return Heading(p, STYLES["word"], 0, p.start, p.start, title_end, level=levels[p.line - 1])

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

    def _assign_levels(self) -> None:
        """Give each heading its structural level.

        Reports often write a heading in another level's style: （2） after （一）, or 5、
        among 四、 and 六、. Such a heading keeps its place in the ladder (level of its
        siblings) and is marked ``misstyled`` so STRUCT001 can name the right number.
        """
        last_number = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
        seen_l1 = False
        l2_in_current_l1 = False
        l3_open = False  # a level-3 item since the last level-1/2 heading
        l4_open = False  # a （1） list since the last level-1/2/3 heading
        # the number of the next heading written in the first level's own style (二、), for each
        # heading: "2.机构设置" after a nested list "1. 2. 3." resumes the outer list when the
        # next 一级 heading is 二、 itself; only a gap in the 一、 sequence makes it a misstyled 二、
        next_l1: list[int | None] = [None] * len(self.headings)
        upcoming = None
        for i in range(len(self.headings) - 1, -1, -1):
            next_l1[i] = upcoming
            hh = self.headings[i]
            if hh.style.level == 1 and hh.style.canonical:
                upcoming = hh.number
        for i, h in enumerate(self.headings):
            level = h.style.level or h.level
            title_len = len(h.paragraph.doc.text[h.marker_end:h.title_end].strip())
            if (h.style.key in ("ar-dun", "ar-dot", "ar-fwdot") and seen_l1
                    and h.number == last_number[1] + 1 and h.number != last_number[3] + 1
                    and next_l1[i] != h.number
                    and not h.has_inline_body and title_len <= 40):
                level, h.misstyled = 1, True
            elif h.style.key == "ar-paren" and l2_in_current_l1 and not l3_open and not l4_open:
                if h.number == 1:
                    l4_open = True    # （1） opens a sub-list under the current （一）
                else:
                    level, h.misstyled = 2, True
            h.level = level
            if level == 1:
                seen_l1 = True
                l2_in_current_l1 = False
                l3_open = l4_open = False
                last_number[1] = h.number if not h.misstyled else last_number[1] + 1
                last_number[2] = last_number[3] = last_number[4] = last_number[5] = 0
            elif level == 2:
                l2_in_current_l1 = True
                l3_open = l4_open = False
                last_number[2] = h.number
                last_number[3] = last_number[4] = last_number[5] = 0
            elif level == 3:
                l3_open = True
                l4_open = False
                last_number[3] = h.number
                last_number[4] = last_number[5] = 0
            else:
                last_number[level] = h.number

    def _build_sections(self) -> None:
        stack = [self.root]
        for p in self.paragraphs:
            h = p.heading
            if h is not None:
                while stack[-1].level >= h.level:
                    stack.pop()
                sec = Section(h, h.level, p.start, len(self.text), parent=stack[-1])
                stack[-1].children.append(sec)
                stack.append(sec)
                p.section = sec
            else:
                stack[-1].paragraphs.append(p)
                p.section = stack[-1]
        # section ends: the start of the next heading at the same or a higher level
        secs = self.sections
        for i, s in enumerate(secs):
            for t in secs[i + 1:]:
                if t.level <= s.level:
                    s.end = t.start
                    break
