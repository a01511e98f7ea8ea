"""Small helpers shared by rules."""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.document import HAN
from govlint.patterns import LazyPattern, alternation_source, lazy_re  # noqa: F401  (re-exported for rules)

HAN_RE = re.compile(f"[{HAN}]")


@lru_cache(maxsize=256)
def alternation(words: tuple[str, ...]) -> re.Pattern:
    """One regex matching any of ``words`` (longest first)."""
    return re.compile(alternation_source(words))


@lru_cache(maxsize=16)
def grouped_alternations(items: tuple) -> list[tuple[str, re.Pattern]]:
    """``((key, (pattern, ...)), ...)`` → one regex per key matching any of its patterns."""
    return [(key, re.compile("|".join(f"(?:{p})" for p in pats))) for key, pats in items]


def book_title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 titles (of laws, documents, plans) in ``text``."""
    return [(m.start(), m.end()) for m in re.finditer(r"《[^》\n]{0,80}》", text)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “”, ‘’, 「」, 《》 and "..." in ``text`` (for skipping quotations and titles)."""
    out = []
    for m in re.finditer(r"“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|《[^》\n]*》|\"[^\"\n]*\"", text):
        out.append((m.start(), m.end()))
    return out


def blank_quotes(text: str) -> str:
    """``text`` with quotations and 《》 titles blanked (same length, so offsets still hold)."""
    out = list(text)
    for a, b in quoted_spans(text):
        out[a:b] = " " * (b - a)
    return "".join(out)


def inside(spans, a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


class SpanSet:
    """Half-open ``(start, end)`` spans, merged and sorted: ``pos in spans`` is a bisection.

    Replaces ``any(a <= pos < b for a, b in spans)`` where the spans grow with the document
    (headings, sections): that scan made whole-document rules quadratic on huge inputs.
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans=()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in spans:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        if b <= a:
            return
        from bisect import bisect_right
        starts, ends = self._starts, self._ends
        i = bisect_right(starts, a)
        if i and ends[i - 1] >= a:
            i -= 1
            a = starts[i]
        j = i
        while j < len(starts) and starts[j] <= b:
            b = max(b, ends[j])
            j += 1
        starts[i:j] = [a]
        ends[i:j] = [b]

    def __contains__(self, pos: int) -> bool:
        from bisect import bisect_right
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]
