"""Regular expressions: sources built from word lists, and patterns compiled on first use."""

from __future__ import annotations

import re


def alternation_source(words) -> str:
    """``a|b|c`` matching any of ``words``: longest first (so 安置房 wins over 安置), then by
    text, so the pattern is the same in every process whatever the set's hash order."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class LazyPattern:
    """A regular expression compiled on first use.

    Compiling costs ~0.1–1 ms a pattern (more with Chinese character classes) and there is
    no cache across processes; modules with many patterns that a given document may never
    need (the self-evaluation table parser) use this to keep a cold start short.
    """

    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._rx = None

    def __getattr__(self, name):
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(*self._args)
        return getattr(rx, name)


def lazy_re(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
