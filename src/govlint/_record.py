"""Plain classes for the structures of the check path, instead of dataclasses.

Creating 25 dataclasses cost ~9 ms of a ~100 ms cold ``govlint check`` (each class gets its
methods by compiling generated source), and importing ``dataclasses`` pulls in ``inspect``
(~4 ms more; docs/performance.md). The document, table and duplicate-finding structures are
compared by identity and need only an ``__init__``; the two value types that need value
equality, hashing and immutability (:class:`govlint.finding.Finding`,
:class:`govlint.config.Config`) use :class:`Frozen`.
"""

from __future__ import annotations


class Record:
    """``Name(field=value, ...)`` for the fields named in ``_repr_fields``."""

    __slots__ = ()
    _repr_fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._repr_fields)
        return f"{type(self).__name__}({inner})"


class Frozen(Record):
    """An immutable value: equal and hashed by ``_compare_fields``, copied with ``_replace``.

    A subclass lists every field in ``_fields`` (the order of its ``__init__`` parameters),
    declares them as ``__slots__`` and fills them in ``__init__`` with :meth:`_fill`.
    Assigning to a field afterwards raises ``AttributeError``, as with a frozen dataclass.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _compare_fields: tuple[str, ...] = ()

    def _fill(self, values: dict) -> None:
        """Set every field from ``values`` (the ``__init__``'s ``locals()``)."""
        for name in self._fields:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable: make a changed copy with _replace({name}=…)")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple:
        return tuple(getattr(self, k) for k in self._compare_fields)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self):
        return type(self), tuple(getattr(self, k) for k in self._fields)

    def _replace(self, **changes):
        values = {k: getattr(self, k) for k in self._fields}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values.update(changes)
        return type(self)(**values)
