"""A static check that a user's regular expression cannot backtrack catastrophically.

Python's ``re`` has no timeout, so patterns from user lexicons are checked before they are
used: a quantifier that may repeat many times (``*``, ``+``, ``{n,}``, ``{n,m}`` with m > 16)
over a sub-pattern that itself contains such a quantifier (``(a+)+``, ``(\\w*\\s?)*``), or over an
alternation whose branches can match the same text (``(a|a)+``, ``(x?|y)+``), is
rejected. This is conservative for the first class and approximate for the second (branches are
compared by the characters they can start with); the shipped lexicons pass it.
"""

from __future__ import annotations

try:
    import re._parser as _sre   # Python 3.11+
    from re._constants import (ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF_EXISTS, IN,
                               LITERAL, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, NOT_LITERAL, SUBPATTERN)
except ImportError:  # pragma: no cover
    import sre_parse as _sre
    from sre_constants import (ANY, ASSERT, ASSERT_NOT, AT, BRANCH, CATEGORY, GROUPREF_EXISTS, IN,
                               LITERAL, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, NOT_LITERAL, SUBPATTERN)

_MANY = 16
_REPEATS = {MAX_REPEAT, MIN_REPEAT}
try:
    from re._constants import POSSESSIVE_REPEAT   # Python 3.11+: possessive repeats never backtrack
except ImportError:  # pragma: no cover
    POSSESSIVE_REPEAT = None


def _many(hi) -> bool:
    return hi == MAXREPEAT or hi > _MANY


def _first(seq, depth: int = 0):
    """The characters ``seq`` may start with: a set of ints, or None for "anything / unknown"."""
    out: set = set()
    for op, av in seq:
        if depth > 50:
            return None
        if op is LITERAL:
            out.add(av)
            return out
        if op is SUBPATTERN:
            f = _first(av[-1], depth + 1)
            if f is None:
                return None
            out |= f
            if not _nullable(av[-1]):
                return out
            continue
        if op in _REPEATS:
            f = _first(av[2], depth + 1)
            if f is None:
                return None
            out |= f
            if av[0] > 0 and not _nullable(av[2]):
                return out
            continue
        if op is BRANCH:
            for alt in av[1]:
                f = _first(alt, depth + 1)
                if f is None:
                    return None
                out |= f
            if not any(_nullable(alt) for alt in av[1]):
                return out
            continue
        if op in (AT, ASSERT, ASSERT_NOT):
            continue
        return None    # classes, categories, any character: assume they may overlap
    return out


def _nullable(seq, depth: int = 0) -> bool:
    if depth > 50:
        return True
    for op, av in seq:
        if op in (AT, ASSERT, ASSERT_NOT):
            continue
        if op in _REPEATS or op is POSSESSIVE_REPEAT:
            if av[0] == 0 or _nullable(av[2], depth + 1):
                continue
            return False
        if op is SUBPATTERN:
            if _nullable(av[-1], depth + 1):
                continue
            return False
        if op is BRANCH:
            if any(_nullable(alt, depth + 1) for alt in av[1]):
                continue
            return False
        return False
    return True


def _overlapping(branches) -> bool:
    seen: set = set()
    empty = 0
    for alt in branches:
        if _nullable(alt):
            empty += 1
            if empty > 1:
                return True
            continue
        f = _first(alt)
        if f is None or f & seen:
            return True
        seen |= f
    return False


def _branches(seq, depth: int = 0):
    """Every alternation inside ``seq`` (not inside lookarounds)."""
    if depth > 200:
        return
    for op, av in seq:
        if op is BRANCH:
            yield av[1]
            for alt in av[1]:
                yield from _branches(alt, depth + 1)
        elif op is SUBPATTERN:
            yield from _branches(av[-1], depth + 1)
        elif op in _REPEATS:
            yield from _branches(av[2], depth + 1)


def _ambiguous_branch(branches, body_first) -> bool:
    """Branches that can match the same text, or an empty branch beside one that starts like
    the repeated body itself (``(a|aa)+`` is ``a(?:|a)`` after Python's prefix factoring)."""
    if _overlapping(branches):
        return True
    if any(_nullable(alt) for alt in branches):
        for alt in branches:
            if _nullable(alt):
                continue
            f = _first(alt)
            if f is None or body_first is None or f & body_first:
                return True
    return False


_SOME = 4     # a repeat bound above this, around an unbounded repeat, is polynomial of high degree


def _walk(seq, inside, depth: int = 0) -> str | None:
    """``inside``: the bound of the nearest enclosing repeat that may repeat more than once (or None)."""
    if depth > 200:
        return "嵌套层数过多"
    for op, av in seq:
        if op in _REPEATS:
            lo, hi, sub = av
            many = _many(hi)
            if inside is not None and (
                    (many and (inside == MAXREPEAT or inside > _SOME))
                    or (hi == MAXREPEAT and inside > _SOME) or (inside == MAXREPEAT and hi > _SOME)):
                return "量词嵌套（如 (a+)+ 或 (.*a){12}），请改写为不嵌套的形式"
            if many:
                body_first = _first(sub)
                if any(_ambiguous_branch(b, body_first) for b in _branches(sub)):
                    return "可重复的选择分支能匹配相同的文字（如 (a|a)+），请改写"
                if _nullable(sub):
                    return "可重复的部分能匹配空串（如 (a?)*），请改写"
            outer = inside
            if hi > 1:
                outer = hi if inside is None else max(inside, hi) if MAXREPEAT not in (inside, hi) else MAXREPEAT
            r = _walk(sub, outer, depth + 1)
            if r:
                return r
        elif op is SUBPATTERN:
            r = _walk(av[-1], inside, depth + 1)
            if r:
                return r
        elif op is BRANCH:
            for alt in av[1]:
                r = _walk(alt, inside, depth + 1)
                if r:
                    return r
        elif op in (ASSERT, ASSERT_NOT):
            r = _walk(av[1], inside, depth + 1)
            if r:
                return r
        elif op is GROUPREF_EXISTS:
            for part in av[1:]:
                if part is not None:
                    r = _walk(part, inside, depth + 1)
                    if r:
                        return r
    return None


def unsafe_reason(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically (Chinese), or None when it is safe."""
    if len(pattern) > 10_000:
        return "正则表达式过长（超过 10000 个字符）"
    try:
        parsed = _sre.parse(pattern)
    except RecursionError:
        return "嵌套层数过多"
    except Exception:   # invalid patterns are reported by re.compile
        return None
    return _walk(list(parsed), None)
