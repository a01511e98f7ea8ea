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


_ACTIVE = None


def _active_lexicons():
    """``lexicon.active()``, the import done once (an import statement per call costs more
    than the call)."""
    global _ACTIVE
    if _ACTIVE is None:
        from govlint.lexicon import active
        _ACTIVE = active
    return _ACTIVE()


class LexPattern:
    """A regular expression whose source is a string in a lexicon (words in data, issue #12):
    ``lex_re("number_words", "funds", "total")`` reads ``lexicons/number_words.toml``
    ``[funds] total`` and compiles it on first use, again only when the set of lexicons in
    force changes (a user extension). Nothing is read or compiled at import."""

    __slots__ = ("_where", "_lex", "_rx")

    def __init__(self, stem: str, table: str, key: str):
        self._where = (stem, table, key)
        self._lex = None
        self._rx = None

    def compiled(self) -> re.Pattern:
        lex = _active_lexicons()
        if lex is not self._lex:
            stem, table, key = self._where
            self._rx = re.compile(lex[stem][table][key])
            self._lex = lex
        return self._rx

    # the methods rules call, spelled out: __getattr__ alone first fails the normal lookup
    # (an AttributeError built and dropped on every call in a rule's loop)
    def search(self, *args):
        return self.compiled().search(*args)

    def match(self, *args):
        return self.compiled().match(*args)

    def fullmatch(self, *args):
        return self.compiled().fullmatch(*args)

    def finditer(self, *args):
        return self.compiled().finditer(*args)

    def sub(self, *args, **kwargs):
        return self.compiled().sub(*args, **kwargs)

    def split(self, *args, **kwargs):
        return self.compiled().split(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.compiled(), name)


def lex_re(stem: str, table: str, key: str) -> LexPattern:
    return LexPattern(stem, table, key)


class LexTable:
    """Records of a lexicon table, each with a ``pattern`` compiled once per set of lexicons in
    force: ``LexTable("number_words", "funds", "roles").get()`` → ``[(record, compiled), ...]``."""

    __slots__ = ("_where", "_lex", "_rows")

    def __init__(self, stem: str, table: str, key: str):
        self._where = (stem, table, key)
        self._lex = None
        self._rows = None

    def get(self) -> list:
        lex = _active_lexicons()
        if lex is not self._lex:
            stem, table, key = self._where
            self._rows = [(r, re.compile(r["pattern"])) for r in lex[stem][table][key]]
            self._lex = lex
        return self._rows
