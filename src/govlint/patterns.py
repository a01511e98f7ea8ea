"""Regular-expression sources built from word lists."""

from __future__ import annotations

import re


def alternation_source(words) -> str:
    """``a|b|c`` matching any of ``words``: longest first (so 安置房 wins over 安置), then by
    text, so the pattern is the same in every process whatever the set's hash order."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
