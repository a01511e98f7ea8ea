"""Small helpers shared by rules."""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.document import HAN

HAN_RE = re.compile(f"[{HAN}]")


@lru_cache(maxsize=256)
def alternation(words: tuple[str, ...]) -> re.Pattern:
    """One regex matching any of ``words`` (longest first)."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “”, ‘’, 「」, 《》 and "..." in ``text`` (for skipping quotations and titles)."""
    out = []
    for m in re.finditer(r"“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|《[^》\n]*》|\"[^\"\n]*\"", text):
        out.append((m.start(), m.end()))
    return out


def inside(spans, a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)
