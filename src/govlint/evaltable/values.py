"""Cell values of the self-evaluation table: targets and actuals read as numbers, dates,
grades or text, and how they compare (met, short, vague)."""

from __future__ import annotations

import re

from govlint._record import Record
from govlint.evaltable.grid import norm as _norm
from govlint.patterns import alternation_source, lazy_re

# The words are in lexicons/evaltable.toml; compiled once per set of lexicons in force.
# The share of the points each grade tier earns is in lexicons/scoring.toml [table] tiers.


class _Words(Record):
    """The value words of ``lexicons/evaltable.toml`` as compiled patterns."""

    __slots__ = ("cmp", "cmp_after", "before", "late", "on_time", "accepted", "vague", "grades", "note_empty",
                 "ind_fields", "budget_fields", "project", "total", "goal_expected", "goal_actual", "level1", "level2",
                 "budget_row", "header_words", "value_empty", "vague_always", "missed", "after_unit",
                 "recover_hints", "indicator_header_starts", "budget_header_words", "budget_header_starts")

    def __init__(self, lex):
        t = lex["evaltable"]
        alt = lambda words: re.compile(alternation_source(words))  # noqa: E731
        self.cmp = [(alt(c["words"]), c["op"]) for c in t["comparators"]]
        self.cmp_after = [(alt(c["words"]), c["op"]) for c in t["comparators_after"]]
        self.before = alt(t["before"])
        self.late = alt(t["late"])
        self.on_time = alt(t["on_time"])
        self.accepted = alt(t["accepted"])
        self.vague = alt(t["vague"])
        # longest first; among equals, in the lexicon's order
        self.grades = sorted(((w, tuple(g)) for w, g in t["grades"].items()), key=lambda kv: -len(kv[0]))
        self.note_empty = frozenset(t["note_empty"])
        # the table's header cells and columns (govlint.evaltable.parse, .recover)
        pat = lambda key: re.compile("|".join(t[key]))  # noqa: E731
        self.ind_fields = [(c["field"], re.compile(c["pattern"])) for c in t["indicator_columns"]]
        self.budget_fields = [(c["field"], re.compile(c["pattern"])) for c in t["budget_columns"]]
        self.project, self.total = pat("project_patterns"), pat("total_patterns")
        self.goal_expected, self.goal_actual = pat("goal_expected_patterns"), pat("goal_actual_patterns")
        self.level1, self.level2, self.budget_row = pat("level1_patterns"), pat("level2_patterns"), pat("budget_row_patterns")
        self.value_empty = frozenset(t["value_empty"])
        self.recover_hints = tuple(t["recover_hints"])
        self.indicator_header_starts = tuple(t["indicator_header_starts"])
        self.budget_header_words = tuple(t["budget_header_words"])
        self.budget_header_starts = tuple(t["budget_header_starts"])
        self.vague_always = alt(t["vague_always"])
        self.missed = alt(t["missed"])
        self.after_unit = re.compile("(" + alternation_source(t["after_unit"]) + ").*$")
        self.header_words = sorted(set(t["header_words"]), key=lambda w: (-len(w), w))


_WORDS: dict = {}


def words() -> _Words:
    from govlint import lexicon
    lex = lexicon.active()
    got = _WORDS.get(id(lex))
    if got is None or got[0] is not lex:
        got = _WORDS[id(lex)] = (lex, _Words(lex))
    return got[1]


def note_is_empty(text: str) -> bool:
    """A 偏差原因分析 that says nothing (无, 暂无, /, 不适用 …); ``text`` normalised by the caller."""
    return text in words().note_empty


class _NoteEmpty:
    """``text in NOTE_EMPTY``: the ``note_empty`` words of lexicons/evaltable.toml (the name
    rules used when the words were a set in code)."""

    __slots__ = ()

    def __contains__(self, text) -> bool:
        return note_is_empty(text)


NOTE_EMPTY = _NoteEmpty()


_DATE_FULL = lazy_re(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?(?P<e>底|末|中旬|上旬|下旬)?"
    r"|(?P<y2>(?:19|20)\d{2})[-./](?P<m2>0?[1-9]|1[0-2])(?:[-./](?P<d2>\d{1,2}))?(?![\d万元%])"
    r"|(?:(?P<y3>(?:19|20)\d{2})|(?<!\d))年(?P<e3>底|末)")


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
    w = words()
    if not s or s in w.value_empty:
        return v
    for rx, op in w.cmp:
        if rx.match(s) or (op in ("<=", ">=") and rx.search(s)):
            v.comparator = op
            break
    if v.comparator is None:
        for rx, op in w.cmp_after:
            if rx.search(s):
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
            if w.before.search(s) and v.comparator is None:
                v.comparator = "<="
            return v
    from govlint.quantities import find_quantities
    qs = [x for x in find_quantities(s) if not x.chinese]
    q = qs[0] if qs else None
    if q is not None:
        v.kind, v.number, v.value, v.unit, v.qkind = "number", q.number, q.value, q.unit, q.kind
        return v
    m = re.search(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*([^\d\s,，、;；。()（）]{0,4})", s)
    if m:
        num = float(m.group(1).replace(",", ""))
        unit = w.after_unit.sub("", m.group(2))
        v.kind, v.number, v.value, v.unit, v.qkind = "number", num, num, unit, "number"
        return v
    core = re.sub(r"[。.，,；;！!]+$", "", s)
    for word, (scale, rank) in w.grades:
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
    w = words()
    if other is not None and other.kind == "date" and w.on_time.search(s):
        return False
    if w.accepted.search(s) and not w.vague_always.search(s):
        return False
    return bool(w.vague.search(s))


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
            w = words()
            if w.late.search(a.text):
                return True
            if w.on_time.search(a.text):
                return False
        return None
    if a.kind == "grade":
        if t.kind == "grade" and t.grade[0] == a.grade[0]:
            return a.grade[1] < t.grade[1]
        if a.grade[0] == "tier":
            return a.grade[1] < 3
        return None
    if a.kind == "text" and words().missed.search(a.text):
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
