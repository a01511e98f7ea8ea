"""Formatters: each ``render(results, **options) -> str`` only reads results."""

from __future__ import annotations

from govlint.output.common import FORMATS, summary  # noqa: F401


def render(fmt: str, results, **kw) -> str:
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
