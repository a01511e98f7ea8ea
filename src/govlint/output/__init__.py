"""Formatters: each ``render(results, **options) -> str`` only reads results."""

from __future__ import annotations

from govlint.output.common import FORMATS, summary  # noqa: F401


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
