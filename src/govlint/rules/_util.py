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


def inside(spans, a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)
