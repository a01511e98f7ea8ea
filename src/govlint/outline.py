"""The outline of a report: heading styles and levels, and the section tree.

Headings are numbered in the GB/T 9704 ladder (一、 / （一） / 1. / （1） / ①) or, in Word,
styled as headings whose numbers Word adds. ``find_heading`` recognises a heading at the
start of a paragraph, ``assign_levels`` gives each its structural level (a heading written
in another level's style keeps its place and is marked ``misstyled``), ``build_sections``
nests them. The text model (paragraphs, sentences, offsets) is ``govlint.document``.
"""

from __future__ import annotations

import re

from govlint._record import Record, Tuple
from govlint.numerals import cn_to_int, int_to_cn

_MD_PREFIX = re.compile(r"[ \t\u3000]*(?:#{1,6}[ \t]+|[-*+][ \t]+(?=\S))?")
_TRAILING_PUNCT = "。：:；;，,"


# Heading styles. ``level`` is the nominal level a style belongs to in GB/T 9704:
# 一、 / （一） / 1. / （1） / ①.
class HeadingStyle(Tuple):
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


def find_heading(p, kind: str) -> Heading | None:
    """The numbered heading a paragraph starts with (一、 （一） 1. （1） ①), or None."""
    text = p.text
    offset = 0
    if kind == "md":
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

def styled_heading(p, levels) -> Heading | None:
    """A Word paragraph styled as a heading whose number Word adds itself (not in the text).

    ``levels``: paragraph index → outline level, as the Word reader records them."""
    if not levels or p.line - 1 not in levels or len(p.text) > 60:
        return None
    cut = p.text.find("。")
    title_end = p.start + (cut + 1 if cut >= 0 else len(p.text))
    return Heading(p, STYLES["word"], 0, p.start, p.start, title_end, level=levels[p.line - 1])


def assign_levels(headings: list[Heading]) -> None:
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
    next_l1: list[int | None] = [None] * len(headings)
    upcoming = None
    for i in range(len(headings) - 1, -1, -1):
        next_l1[i] = upcoming
        hh = headings[i]
        if hh.style.level == 1 and hh.style.canonical:
            upcoming = hh.number
    for i, h in enumerate(headings):
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


def build_sections(root: Section, paragraphs, text_len: int) -> None:
    """Nest headings into sections under ``root``; every paragraph gets its ``section``."""
    stack = [root]
    for p in paragraphs:
        h = p.heading
        if h is not None:
            while stack[-1].level >= h.level:
                stack.pop()
            sec = Section(h, h.level, p.start, text_len, parent=stack[-1])
            stack[-1].children.append(sec)
            stack.append(sec)
            p.section = sec
        else:
            stack[-1].paragraphs.append(p)
            p.section = stack[-1]
    # section ends: the start of the next heading at the same or a higher level
    secs = [x for x in root.walk() if x.heading is not None]
    for i, s in enumerate(secs):
        for t in secs[i + 1:]:
            if t.level <= s.level:
                s.end = t.start
                break
