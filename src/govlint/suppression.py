"""Inline suppression: ``<!-- govlint: disable|enable|disable-next-line|disable-file[=CODES] -->``.

``suppressions(doc)`` reads the comment lines of a Document once; ``matches(code, codes)``
says whether a code falls under a list of prefixes (``ALL``, ``!PREFIX`` exceptions).
``directives(doc)`` lists the comments themselves, so that unknown codes and suppressions
that hid nothing can be reported (GOV100).
"""

from __future__ import annotations

import re

from govlint._record import Tuple
from govlint.document import Document

SUPPRESS = re.compile(r"<!--\s*govlint:\s*(disable|enable|disable-next-line|disable-file)"
                      r"(?:\s*=\s*([A-Za-z0-9_,\s]+?))?\s*-->")


class Directive(Tuple):
    """One suppression comment: its line, the span of the directive, its kind and codes (None = all)."""

    line: int
    start: int
    end: int
    kind: str
    codes: frozenset | None


def directives(doc: Document) -> list[Directive]:
    out = []
    for line, start in doc.comment_lines:
        m = SUPPRESS.search(doc.line_text(line))
        if not m:
            continue
        codes = m.group(2)
        codeset = frozenset(c.strip().upper() for c in codes.split(",") if c.strip()) if codes else None
        out.append(Directive(line, start + m.start(), start + m.end(), m.group(1), codeset))
    return out


def suppressions(doc: Document):
    """Per-line suppression from ``<!-- govlint: ... -->`` comment lines.

    Returns (file-wide codes, list of (from_line, to_line, codes, directive line)). ``None`` in codes = all;
    a code ``ALL`` also means all, and ``!PREFIX`` entries are exceptions (see ``matches``).
    ``disable-next-line`` applies to the next line holding text (blank and comment lines
    are skipped, so several such comments can stack). ``enable=CODES`` re-enables only those
    codes (prefixes included) and leaves the rest of an open ``disable`` in force.
    """
    file_codes: set | None = set()
    ranges = []
    nlines = len(doc.line_starts)
    comments = {line for line, _ in doc.comment_lines}
    base: frozenset | None = frozenset()     # disabled prefixes (None = all) ...
    excepted: frozenset = frozenset()        # ... minus these
    opened = 1

    def under(code, prefixes):
        return any(code.startswith(p) for p in prefixes)

    def close(line):
        if base is None or base:
            codes_ = None if base is None and not excepted else \
                frozenset(base if base is not None else {"ALL"}) | {"!" + e for e in excepted}
            ranges.append((opened, line, codes_, opened))

    for d in directives(doc):
        line, kind, codeset = d.line, d.kind, d.codes
        if codeset is not None and "ALL" in codeset:
            codeset = None
        if kind == "disable-file":
            if codeset is None:
                file_codes = None
            elif file_codes is not None:
                file_codes |= codeset
        elif kind == "disable-next-line":
            target = line + 1
            while target <= nlines and (target in comments or not doc.line_text(target).strip()):
                target += 1
            ranges.append((target, target, codeset, line))
        elif kind in ("disable", "enable"):
            close(line)
            opened = line
            if kind == "disable":
                if codeset is None:
                    base, excepted = None, frozenset()
                else:
                    if base is not None:
                        base = base | codeset
                    excepted = frozenset(e for e in excepted if not under(e, codeset))
            else:
                if codeset is None:
                    base, excepted = frozenset(), frozenset()
                elif base is None:
                    excepted = excepted | codeset
                else:
                    kept = frozenset(d for d in base if not under(d, codeset))
                    # disable=STYLE then enable=STYLE001: STYLE stays, STYLE001 becomes an exception
                    extra = frozenset(c for c in codeset if under(c, kept))
                    base, excepted = kept, (excepted | extra) if kept else frozenset()
    close(nlines)
    return file_codes, ranges


def matches(code: str, codes) -> bool:
    """``codes``: None = every code; otherwise prefixes (``ALL`` = every code), minus ``!PREFIX``."""
    if codes is None:
        return True
    neg = [c[1:] for c in codes if c.startswith("!")]
    return (any(c == "ALL" or code.startswith(c) for c in codes if not c.startswith("!"))
            and not any(code.startswith(c) for c in neg))
