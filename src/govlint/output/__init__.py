"""Formatters: each ``render(results, **options) -> str`` only reads results."""

from __future__ import annotations

from collections import Counter

FORMATS = ("text", "json", "sarif", "github")


def summary(results) -> dict:
    """Counts by severity and code, input errors, and a line per document."""
    sev = Counter()
    codes = Counter()
    docs = []
    errors = []
    for r in results:
        if r.error:
            errors.append({"path": r.path, "message": r.error})
            continue
        c = Counter(f.severity.label for f in r.findings)
        sev.update(c)
        codes.update(f.code for f in r.findings)
        entry = {"path": r.path, "title": r.title, "error": c.get("error", 0),
                 "warning": c.get("warning", 0), "info": c.get("info", 0)}
        for key in sorted(r.extra):
            if key.startswith("_"):
                continue
            entry[key] = r.extra[key]
        docs.append(entry)
    return {
        "files": len(results),
        "checked": len(docs),
        "error": sev.get("error", 0),
        "warning": sev.get("warning", 0),
        "info": sev.get("info", 0),
        "by_code": dict(sorted(codes.items())),
        "input_errors": errors,
        "documents": docs,
    }


_SURROGATE = None


def clean(s: str) -> str:
    """``s`` without lone surrogates (a non-UTF-8 byte in a file name, text from the API):
    each becomes U+FFFD so every output can be encoded as UTF-8."""
    global _SURROGATE
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        if _SURROGATE is None:
            import re
            _SURROGATE = re.compile("[\ud800-\udfff]")
        return _SURROGATE.sub("\ufffd", s)


def render(fmt: str, results, signed: bool = False, **kw) -> str:
    """The results in ``fmt``; ``signed`` adds govlint's signature line to a text or github
    output written to a file (``guard.sign_text``), so a later run may replace it."""
    text = clean(_render(fmt, results, **kw))
    if signed and fmt in ("text", "github"):
        from govlint.guard import sign_text
        text = sign_text(text, fmt)
    return text


def _render(fmt: str, results, **kw) -> str:
    if fmt == "text":
        from govlint.output.text import render as r
    elif fmt == "json":
        from govlint.output.json_ import render as r
    elif fmt == "sarif":
        from govlint.output.sarif import render as r
    elif fmt == "github":
        from govlint.output.github import render as r
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return r(results, **kw)
