"""The implementing unit of a self-evaluation report, as the title, the unit lines and the body name it.

Used by STRUCT006 (``rules/consistency.py``). A unit is read from labelled lines
(实施单位：…, 主管部门：…, also as cells of a table), from explicit statements in the body
(项目实施单位为…, …作为项目实施单位, 由…组织实施) and from the title (县交通运输局2023年度…).
Labels and name endings are in ``lexicons/claims.toml``.
"""

from __future__ import annotations

import re

from govlint.patterns import lex_re
from govlint.rules._util import lazy_re

_W = "claims"         # the patterns of this module: lexicons/claims.toml [identity]

_NOISE = lazy_re(r"[（(][^）)]{0,12}[）)]|[\s\u3000]+|[：:，,。；;、．.\"“”]+$")
_SPLIT = lex_re(_W, "identity", "unit_split")
_DOER_TAIL = lex_re(_W, "identity", "doer_tail")
_ALL_HAN = lazy_re(r"[\u4e00-\u9fff]+")
_VALUE_CUT = lazy_re(r"[\s\u3000\t|｜，,。；;]")
_PLACEHOLDER = lex_re(_W, "identity", "placeholder")
_CLAUSE_LEAD = lex_re(_W, "identity", "clause_lead")
_TITLE_DEPARTMENT = lex_re(_W, "identity", "title_department")
_TITLE_ABOUT = lex_re(_W, "identity", "title_about")


class Unit:
    """One naming of a unit: its role (implementer, supervisor, other), text and span."""

    __slots__ = ("role", "name", "start", "end", "where")

    def __init__(self, role: str, name: str, start: int, end: int, where: str):
        self.role = role
        self.name = name
        self.start = start
        self.end = end
        self.where = where     # line, cell, body, body-weak


def _many(name: str, suffixes) -> bool:
    """Several units (县交通运输局和县财政局), not a name with 和 in it (县住房和城乡建设局)."""
    parts = _SPLIT.split(name)
    return len(parts) > 1 and sum(1 for p in parts if suffix_of(p, suffixes)) >= 2


def norm_unit(raw: str) -> str:
    s = _NOISE.sub("", raw.strip())
    s = re.sub(r"^[\dA-Za-z]+[-－_.．]?(?=[\u4e00-\u9fff])", "", s)     # a budget code: 219001-某镇人民政府
    return _PLACEHOLDER.sub("", s)


def _abbreviates(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def same_unit(a: str, b: str) -> bool:
    """One name is the other shortened (县卫健局 / 某县卫生健康局, 县农业农村局 / 农业农村局)."""
    return _abbreviates(a, b) or _abbreviates(b, a)


def suffix_of(name: str, suffixes) -> str | None:
    for suf in suffixes:           # longest first
        if name.endswith(suf) and len(name) > len(suf) + 1:
            return suf
    return None


def _shape(name: str, suffixes, admin) -> tuple[str, str, str] | None:
    """(administrative level, core, ending) of 县林业局 → (县, 林业, 局); None without a level
    (``admin``: the levels, lexicons/cover.toml admin_levels)."""
    suf = suffix_of(name, suffixes)
    if suf is None:
        return None
    head = name[:-len(suf)]
    for i, ch in enumerate(head[:6]):
        if ch in admin:
            core = head[i + 1:]
            return (ch, core, suf) if len(core) >= 2 else None
    return None


def look_alike(a: str, b: str, suffixes, admin) -> bool:
    """Two different bodies of the same kind at the same level (县林业局 / 县农业农村局): a name
    taken over from another unit's report. A department and its subordinate centre, or the
    same body at another level (市农业农村局 / 县农业农村局), are not look-alikes."""
    sa, sb = _shape(a, suffixes, admin), _shape(b, suffixes, admin)
    if sa is None or sb is None or sa[0] != sb[0] or sa[2] != sb[2]:
        return False
    return not same_unit(sa[1], sb[1])


def _label_rx(ctx, conf) -> re.Pattern:
    cache = ctx.shared.memo("claims.rx", dict)
    got = cache.get("unit_label")
    if got is None:
        got = cache["unit_label"] = re.compile(
            rf"(?<![\u4e00-\u9fff])(?:(?P<implementer>{conf['unit_implementer']})|(?P<supervisor>{conf['unit_supervisor']})"
            rf"|(?P<other>{conf['unit_other']}))(?:[（(](?:{conf['identity']['seal']})[）)])?")
    return got


def _suffixes(conf) -> list[str]:
    return sorted(conf["unit_suffixes"], key=len, reverse=True)


def _value(text: str, a: int, suffixes) -> tuple[int, int, str] | None:
    """The unit name starting at ``a`` (up to a space, a cell border or punctuation)."""
    while a < len(text) and text[a] in " \t\u3000":
        a += 1
    m = _VALUE_CUT.search(text, a, min(len(text), a + 41))
    b = m.start() if m else min(len(text), a + 40)
    if b - a > 40 or b - a < 3:
        return None
    raw = text[a:b]
    name = norm_unit(raw)
    if _many(name, suffixes) or suffix_of(name, suffixes) is None:
        return None
    return a, b, name


def units(doc, ctx) -> list[Unit]:
    """Every naming of a unit outside the title, in document order (cached per document)."""
    key = "struct006.units"
    if key in ctx.shared:
        return ctx.shared[key]
    conf = ctx.lex["claims"]
    suffixes = _suffixes(conf)
    text = doc.text
    out: list[Unit] = []
    label = _label_rx(ctx, conf)
    in_cell = False        # a label standing alone (a table cell): read the tables
    for m in _labels(text, label):
        role = m.lastgroup
        k = m.end()
        while k < len(text) and text[k] in " \t\u3000":
            k += 1
        if k < len(text) and text[k] in "：:":
            got = _value(text, k + 1, suffixes)
            if got:
                out.append(Unit(role, got[2], got[0], got[1], "line"))
        elif k >= len(text) or text[k] in "\n|｜\t":
            in_cell = True
    if in_cell:
        out.extend(_cells(doc, ctx, label, suffixes))
    if any(w in text for w in conf["identity"]["statement_roles"]):
        for m in re.finditer(conf["unit_statement"], text):
            got = _value(text, m.end(), suffixes)
            if got:
                out.append(Unit(_role(m.group("role")), got[2], got[0], got[1], "body"))
        for m in re.finditer(conf["unit_statement_after"], text):
            got = _before(text, m.start(), suffixes)
            if got:
                out.append(Unit(_role(m.group("role")), got[2], got[0], got[1], "body"))
    # "由县交通运输局组织实施": looked for backwards from each 实施
    i = text.find("实施")
    while i >= 0:
        w = text[max(0, i - 38):i]
        j = w.rfind("由")
        if j >= 0:
            raw = _DOER_TAIL.sub("", w[j + 1:])
            if 3 <= len(raw) <= 30 and _ALL_HAN.fullmatch(raw):
                name = norm_unit(raw)
                if suffix_of(name, suffixes) and not _many(name, suffixes):
                    a = i - len(w) + j + 1
                    out.append(Unit("implementer", name, a, a + len(raw), "body-weak"))
        i = text.find("实施", i + 2)
    out.sort(key=lambda u: u.start)
    ctx.shared[key] = out
    return out


_ANCHOR = lex_re(_W, "identity", "anchor")


def _labels(text: str, label: re.Pattern):
    """The unit labels of ``text``: the label pattern tried only just before each 单位 / 部门
    (scanning the whole text with it costs ~1 ms per report)."""
    last = -1
    for a in _ANCHOR.finditer(text):
        i = a.start()
        for k in range(max(last, i - 6), i + 1):
            m = label.match(text, k)
            if m is not None and m.end() > i:
                yield m
                last = m.end()
                break


def _role(word: str) -> str:
    return "supervisor" if "主管" in word else "implementer"


def _before(text: str, end: int, suffixes) -> tuple[int, int, str] | None:
    m = re.search(r"[\u4e00-\u9fff（）()]{3,40}$", text[max(0, end - 40):end])
    if not m:
        return None
    a = end - len(m.group(0))
    name = norm_unit(m.group(0))
    # the unit is the end of the clause: "经研究，由县交通运输局作为项目实施单位" → 县交通运输局
    name = _CLAUSE_LEAD.sub("", name)
    if not name or suffix_of(name, suffixes) is None or _many(name, suffixes):
        return None
    return end - len(name), end, name


def _cells(doc, ctx, label: re.Pattern, suffixes) -> list[Unit]:
    """Unit cells of tables: a label cell (实施单位) and the next non-empty cell of its row."""
    from govlint.evaltable.grid import docx_grids, text_grids, xlsx_grids
    out = []
    for g in docx_grids(doc) + xlsx_grids(doc) + text_grids(doc):
        for row in g.rows:
            for i, c in enumerate(row):
                t = re.sub(r"[\s\u3000]", "", c.text or "")
                m = label.fullmatch(t)
                if m is None:
                    continue
                for other in row[i + 1:]:
                    if other is c or not (other.text or "").strip():
                        continue
                    name = norm_unit(other.text)
                    if other.has_span and suffix_of(name, suffixes) and not _many(name, suffixes) \
                            and len(name) <= 40 and label.fullmatch(re.sub(r"\s", "", other.text)) is None:
                        out.append(Unit(m.lastgroup, name, other.start, other.end, "cell"))
                    break
    return out


def title_unit(title_text: str, conf) -> str | None:
    """The unit a title names: before the year (县交通运输局2023年度…) or, in a 部门整体 report,
    between the year and 部门整体."""
    suffixes = _suffixes(conf)
    m = re.match(r"\s*([\u4e00-\u9fff（）()]{3,30}?)\s*(?:19|20)\d{2}\s*年", title_text)
    if m is None:
        m = _TITLE_DEPARTMENT.search(title_text)
    if m is None:
        return None
    name = norm_unit(m.group(1))
    name = _TITLE_ABOUT.sub("", name)
    return name if suffix_of(name, suffixes) and not _many(name, suffixes) else None
