"""A readable ``repr`` for the plain classes of the check path.

The document, table and duplicate-finding structures are plain classes with their
``__init__`` written out rather than dataclasses: creating 25 dataclasses cost ~9 ms of a
~100 ms cold ``govlint check`` (exec-compiled methods per class, measured in
docs/performance.md), and these structures need neither generated equality (they are
compared by identity — the document's parts refer to each other) nor immutability.
"""

from __future__ import annotations


class Record:
    """``Name(field=value, ...)`` for the fields named in ``_repr_fields``."""

    __slots__ = ()
    _repr_fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._repr_fields)
        return f"{type(self).__name__}({inner})"
