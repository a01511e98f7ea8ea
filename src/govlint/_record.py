"""Plain classes for the structures of the check path, instead of dataclasses.

Creating 25 dataclasses cost ~9 ms of a ~100 ms cold ``govlint check`` (each class gets its
methods by compiling generated source), and importing ``dataclasses`` pulls in ``inspect``
(~4 ms more; docs/performance.md). The document, table and duplicate-finding structures are
compared by identity and need only an ``__init__``; the two value types that need value
equality, hashing and immutability (:class:`govlint.finding.Finding`,
:class:`govlint.config.Config`) use :class:`Frozen`.

Small immutable tuples with named fields (``Quantity``, ``Position``, ``Option`` …) use
:class:`Tuple`, written like ``typing.NamedTuple`` (annotated fields, trailing defaults,
methods) and behaving like one (a ``tuple``; ``_fields``, ``_field_defaults``, ``_make``,
``_replace``, ``_asdict``, the same ``repr``, pickling): ``typing.NamedTuple`` compiles
generated source for every class (~0.8 M instructions each, ~2 % of a cold check for the
fourteen of the check path), :class:`Tuple` compiles nothing.
"""

from __future__ import annotations

from operator import itemgetter

try:                                   # CPython's C accessor (what namedtuple uses)
    from collections import _tuplegetter
except ImportError:  # pragma: no cover
    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)

_tuple_new = tuple.__new__


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


class _TupleMeta(type):
    """Turns the annotated fields of a :class:`Tuple` subclass into tuple positions."""

    def __new__(mcls, name, bases, ns):
        if ns.get("__qualname__") == "Tuple" and ns.get("__module__") == __name__:
            return super().__new__(mcls, name, bases, ns)
        fields = tuple(ns.get("__annotations__", ()))
        for base in bases:
            if base is not Tuple and getattr(base, "_fields", None):
                raise TypeError(f"{name}: a Tuple's fields cannot be extended by subclassing")
        defaults = {}
        for f in fields:
            if f.startswith("_"):
                raise ValueError(f"{name}: field names cannot start with an underscore: {f!r}")
            if f in ns:
                defaults[f] = ns.pop(f)
            elif defaults:
                raise TypeError(f"{name}: non-default field {f!r} after a default field")
        ns["__slots__"] = ()
        ns["_fields"] = fields
        ns["_field_defaults"] = defaults
        ns["__match_args__"] = fields
        cls = super().__new__(mcls, name, bases, ns)
        for i, f in enumerate(fields):
            setattr(cls, f, _tuplegetter(i, f"Alias for field number {i}"))
        return cls


class Tuple(tuple, metaclass=_TupleMeta):
    """A ``typing.NamedTuple`` without generated source; see the module docstring."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _field_defaults: dict = {}

    def __new__(cls, *args, **kwargs):
        fields = cls._fields
        if not kwargs and len(args) == len(fields):
            return _tuple_new(cls, args)
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__}() takes {len(fields)} positional arguments but {len(args)} were given")
        values = list(args)
        defaults = cls._field_defaults
        for f in fields[len(args):]:
            if f in kwargs:
                values.append(kwargs.pop(f))
            elif f in defaults:
                values.append(defaults[f])
            else:
                raise TypeError(f"{cls.__name__}() missing required argument: {f!r}")
        if kwargs:
            f = next(iter(kwargs))
            if f in fields:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {f!r}")
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {f!r}")
        return _tuple_new(cls, values)

    @classmethod
    def _make(cls, iterable):
        values = tuple(iterable)
        if len(values) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(values)}")
        return _tuple_new(cls, values)

    def _replace(self, **changes):
        values = [changes.pop(f, v) for f, v in zip(self._fields, self)]
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return _tuple_new(type(self), values)

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"{type(self).__name__}({inner})"

    def __getnewargs__(self):
        return tuple(self)
