"""Severity, Related and Finding: the immutable records every rule produces."""

from __future__ import annotations

import enum

from govlint._record import Frozen, Tuple


class Severity(enum.IntEnum):
    """Three alert levels; only the order matters (info < warning < error)."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.strip().upper()]
        except (KeyError, AttributeError):
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def zh(self) -> str:
        return {1: "提示", 2: "警告", 3: "错误"}[int(self)]

    @property
    def sarif_level(self) -> str:
        return {1: "note", 2: "warning", 3: "error"}[int(self)]


class Position(Tuple):
    """1-based line/column range, columns in Unicode code points."""

    line: int
    column: int
    end_line: int
    end_column: int


class Related(Tuple):
    """Another place a finding points at: the copied paragraph, the figure it contradicts.

    ``start``/``end`` are character offsets in ``path`` (``None`` = the checked document).
    ``position`` is filled in by the engine for the checked document, or by the producer
    for other documents (for example corpus matches).
    """

    start: int
    end: int
    path: str | None = None
    note: str | None = None
    position: Position | None = None
    excerpt: str | None = None


class Edit(Tuple):
    """Replace the half-open character range [start, end) of Document.text with ``text``."""

    start: int
    end: int
    text: str


class Fix(Tuple):
    """The edits that resolve a finding, applied together or not at all.

    ``safety`` is ``"safe"`` when the meaning cannot change (punctuation width, stray spaces,
    the form of a heading number or of a document number's brackets) and ``"unsafe"`` when
    wording or numbering changes (confusable words, renumbering a heading sequence).
    """

    edits: tuple[Edit, ...]
    safety: str = "safe"

    @property
    def span(self) -> tuple[int, int]:
        return min(e.start for e in self.edits), max(e.end for e in self.edits)


SAFETY = ("safe", "unsafe")


class Finding(Frozen):
    """One problem at one place. Offsets are half-open character offsets into Document.text.

    Immutable; equal and hashed by everything but ``data``; ``with_`` makes a changed copy.
    ``fix`` (a Fix or None) holds the exact edits that resolve it, when they are known.
    """

    _fields = ("code", "severity", "start", "end", "message", "suggestion", "related", "path", "position",
               "excerpt", "fingerprint", "fix", "data")
    __slots__ = _fields
    _compare_fields = _fields[:-1]
    _repr_fields = ("code", "severity", "start", "end", "message", "path", "position")

    def __init__(self, code: str, severity: Severity, start: int, end: int, message: str,
                 suggestion: str | None = None, related: tuple[Related, ...] = (), path: str | None = None,
                 position: Position | None = None, excerpt: str | None = None,
                 fingerprint: str | None = None, fix: Fix | None = None, data: dict | None = None):
        if data is None:
            data = {}
        self._fill(locals())

    def with_(self, **changes) -> "Finding":
        return self._replace(**changes)

    @property
    def family(self) -> str:
        return "".join(ch for ch in self.code if ch.isalpha())

    def sort_key(self):
        return (self.start, self.end, self.code, self.message)
