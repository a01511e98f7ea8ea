"""Quantities in report prose: money, rates, counts, areas and lengths, with character spans.

``find_quantities(text)`` returns every quantity it recognises, in text order; the
``find_money`` / ``find_rates`` / ``find_counts`` / ``find_areas`` helpers filter by kind.
Spans are half-open offsets into the string given (add a paragraph's ``start`` to get
document offsets).

Numbers may be written
- in Arabic digits, full-width digits included, with 千分撇 ("1,250.5万元");
- in Chinese numerals ("三百万元", "百分之九十", "十七栋"), parsed with cn2an.

Each ``Quantity`` has ``number`` (as written, before the 万/亿 multiplier) and ``value``
in the kind's base unit:

==========  =========  ==============================================================
kind        base unit  written units
==========  =========  ==============================================================
money       元          元, 万元, 亿元 (and 千元)
rate        %          98.5%, 百分之九十, ‰ (converted: 5‰ = 0.5%)
points      百分点       3.2个百分点 (a difference of rates, not a rate)
count       1          个, 栋, 人, 户 … (``count_units()``); 万/亿 multipliers: 1.2万人
area        平方米       平方米, ㎡, m², 万平方米, 亩 (666.67 m²), 万亩, 公顷, 平方公里
length      米          米, 延米, 公里, 千米, km
==========  =========  ==============================================================

Units and their factors are ``[quantities]`` of ``lexicons/units.toml``; count units are
its ``quantities.count`` plus the lexicon's ``count`` list. User lexicons that extend
``units`` count too: ``engine.lint`` calls ``use_lexicons`` with the configuration's.
Time units (年, 月, 天) are not counts and are not returned. Identifiers such as "1#" or
"G4" are not quantities. Chinese numerals need a unit; a lone "一元" (一元化) is skipped,
and a one-character numeral before a count unit ("一个") is kept but marked
``chinese=True`` so callers can ignore it.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from govlint._record import Tuple
from govlint.numerals import (  # noqa: F401  (parse_number, normalize_digits, fmt: part of this module's API)
    ARABIC, CN_DIGIT, CN_NUM, CN_NUM_GREEDY, _CN_CHARS, cn_number, fmt, normalize_digits, parse_number,
)
from govlint.patterns import alternation_source

# --- units -------------------------------------------------------------------------------

# The unit tables live in ``lexicons/units.toml`` ([quantities]: factors to the base unit,
# and the count units), extended by the user's lexicons (see ``use_lexicons``).
BASE_UNIT = {"money": "元", "rate": "%", "points": "百分点", "count": "", "area": "平方米", "length": "米"}

# --- numbers: govlint.numerals ---------------------------------------------------------

class Quantity(Tuple):
    """One quantity found in text. ``value`` is in the base unit of ``kind``."""

    kind: str          # money, rate, points, count, area, length
    value: float       # in BASE_UNIT[kind] (元, %, 平方米, 米, or the count itself)
    number: float      # the number as written (before 万/亿 and unit conversion)
    unit: str          # the unit as written ("万元", "%", "栋", "亩")
    start: int
    end: int
    text: str
    chinese: bool = False   # written in Chinese numerals

    def to(self, unit: str) -> float:
        """The value in another unit of the same kind: ``q.to("万元")``, ``q.to("亩")``."""
        table = kind_units().get(self.kind)
        if table is None or unit not in table:
            raise ValueError(f"cannot express {self.kind} in {unit!r}")
        return self.value / table[unit]

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


_LEXICONS: tuple[str, ...] = ()     # the user lexicon extensions in force


def use_lexicons(paths: tuple[str, ...]) -> None:
    """Honour these user lexicon extensions from now on (``engine.lint`` passes the config's)."""
    global _LEXICONS
    paths = tuple(paths)
    if paths != _LEXICONS:
        _LEXICONS = paths
        _all_quantities.cache_clear()


def _units_table(lexicons: tuple[str, ...] = ()) -> dict:
    from govlint import lexicon
    return lexicon.load(lexicons)["units"]


@lru_cache(maxsize=8)
def kind_units(lexicons: tuple[str, ...] = ()) -> dict[str, dict[str, float]]:
    """Unit → factor to the base unit, for money, area and length."""
    q = _units_table(lexicons)["quantities"]
    return {kind: dict(q[kind]) for kind in ("money", "area", "length")}


def count_units(lexicons: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The parser's count units plus the ``count`` list of the ``units`` lexicon."""
    units = _units_table(lexicons)
    return tuple(dict.fromkeys([*units["quantities"]["count"], *(units.get("count") or [])]))


def _alt(units) -> str:
    return alternation_source(units)


@lru_cache(maxsize=8)
def _patterns(lexicons: tuple[str, ...] = ()):
    units = kind_units(lexicons)
    units_money, units_area, units_length = units["money"], units["area"], units["length"]
    num = f"(?P<num>{ARABIC})"
    cn = f"(?P<cn>(?<![{_CN_CHARS}第]){CN_NUM})"
    sp = r"[ \u3000]?"
    money = re.compile(f"(?:{num}|{cn}){sp}(?P<unit>{_alt(units_money)})")
    rate = re.compile(f"{num}{sp}(?P<unit>[%％‰])|百分之(?P<pct>{CN_NUM_GREEDY}|\\d+(?:\\.\\d+)?)")
    points = re.compile(f"(?:{num}|{cn}){sp}(?P<unit>个百分点|百分点)")
    area = re.compile(f"(?:{num}|{cn}){sp}(?P<unit>{_alt(units_area)})(?![A-Za-z\\d])")
    length = re.compile(f"(?:{num}|{cn}){sp}(?P<unit>{_alt(units_length)})(?![A-Za-z\\d²])")
    count = re.compile(f"(?:{num}|{cn}){sp}(?P<mult>[万亿])?(?P<unit>{_alt(count_units(lexicons))})")
    # Gates: each pattern needs a digit (or Chinese numeral) and one of its units, so a
    # sentence without them skips the pattern; exact, and most sentences have neither
    gates = {"money": re.compile(_alt(units_money)), "rate": re.compile("[%％‰]|百分之"),
             "points": re.compile("百分点"), "area": re.compile(_alt(units_area)),
             "length": re.compile(_alt(units_length)), "count": re.compile(_alt(count_units(lexicons)))}
    return {"money": money, "rate": rate, "points": points, "area": area, "length": length,
            "count": count}, gates


_NUMERAL = re.compile(f"[\\d{CN_DIGIT}十]")


def _number(m) -> tuple[float | None, bool]:
    if m.groupdict().get("num"):
        return parse_number(m.group("num")), False
    if m.groupdict().get("cn"):
        return parse_number(m.group("cn")), True
    return None, False


def find_quantities(text: str, kinds=None) -> list[Quantity]:
    """All quantities in ``text`` (optionally only ``kinds``), in order, spans not overlapping.

    Memoised per text: rules ask find_money, find_rates, ... of the same sentence (3.3 calls
    per sentence on the shared corpus), and each call runs all six patterns.
    """
    found = list(_all_quantities(text))
    if kinds is not None:
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        found = [q for q in found if q.kind in kinds]
    return found


@lru_cache(maxsize=4096)
def _all_quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(_find_quantities(text))


def _find_quantities(text: str, kinds=None) -> list[Quantity]:
    """All quantities in ``text`` (optionally only ``kinds``), in order, spans not overlapping.

    When two patterns claim the same characters the earlier and longer one wins, and the
    kinds are tried in the order money, rate, points, area, length, count (so "平方米" is an
    area, never a length in 米).
    """
    norm = normalize_digits(text)
    if not _NUMERAL.search(norm):
        return []
    pats, gates = _patterns(_LEXICONS)
    units = kind_units(_LEXICONS)
    found: list[Quantity] = []
    # spans already claimed, disjoint and sorted: an overlap test is two bisections, so a
    # run-on paragraph with thousands of figures stays linear (it was quadratic)
    starts: list[int] = []
    ends: list[int] = []
    for kind in ("money", "points", "rate", "area", "length", "count"):
        if not gates[kind].search(norm):
            continue
        for m in pats[kind].finditer(norm):
            a, b = m.start(), m.end()
            i = bisect.bisect_left(starts, b)        # claimed spans starting before b ...
            if i and ends[i - 1] > a:               # ... the last of them ends after a: overlap
                continue
            if kind == "rate" and m.group("pct") is not None:
                number, chinese = parse_number(m.group("pct")), not re.match(r"\d", m.group("pct"))
                unit = "%"
            else:
                number, chinese = _number(m)
                unit = m.group("unit")
            if number is None:
                continue
            if chinese:
                cn = m.group("cn") if m.groupdict().get("cn") else ""
                # 一元化, 二元结构: a bare one-character numeral before 元 is a word, not money
                if kind == "money" and unit == "元" and len(cn) == 1:
                    continue
            if kind == "money":
                value = number * units["money"][unit]
            elif kind == "rate":
                value = number / 10 if unit == "‰" else number
                unit = "%" if unit == "％" else unit
            elif kind == "points":
                value = number
            elif kind == "count":
                mult = {"万": 1e4, "亿": 1e8}.get(m.group("mult") or "", 1)
                value = number * mult
                if m.group("mult"):
                    unit = m.group("mult") + unit
            else:
                value = number * units[kind][unit]
            found.append(Quantity(kind, value, number, unit, a, b, text[a:b], chinese))
            i = bisect.bisect_left(starts, a)
            starts.insert(i, a)
            ends.insert(i, b)
    found.sort(key=lambda q: q.start)
    if kinds is not None:
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        found = [q for q in found if q.kind in kinds]
    return found


def find_money(text: str) -> list[Quantity]:
    return find_quantities(text, "money")


def find_rates(text: str) -> list[Quantity]:
    return find_quantities(text, "rate")


def find_counts(text: str, unit: str | None = None, arabic_only: bool = False) -> list[Quantity]:
    """Counts, optionally of one unit ("栋") and only those written in Arabic digits."""
    out = find_quantities(text, "count")
    if unit is not None:
        out = [q for q in out if q.unit == unit]
    if arabic_only:
        out = [q for q in out if not q.chinese]
    return out


def find_areas(text: str) -> list[Quantity]:
    return find_quantities(text, "area")


def decimals(q: Quantity) -> int:
    """How many decimals the number was written with ("712.42万元" → 2)."""
    m = re.search(r"\.(\d+)", normalize_digits(q.text))
    return len(m.group(1)) if m else 0


def money_wan(q_or_value) -> str:
    """Money for messages, in 万元: '712.42万元'."""
    v = q_or_value.value if isinstance(q_or_value, Quantity) else q_or_value
    return f"{fmt(v / 1e4, 4)}万元"
