"""``--format github``: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(results, **kw) -> str:
    lines = []
    for r in results:
        if r.error:
            lines.append(f"::error file={_prop(r.path)},title=govlint::{_data(r.error)}")
        for f in r.findings:
            p = f.position
            msg = f.message + (f"（建议：{f.suggestion}）" if f.suggestion else "")
            lines.append(f"::{LEVEL[f.severity.label]} file={_prop(f.path)},line={p.line},col={p.column},"
                         f"endLine={p.end_line},endColumn={p.end_column},title={_prop(f.code)}::{_data(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")
