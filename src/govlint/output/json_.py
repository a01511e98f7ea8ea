"""``--format json``: exactly one object ``{"findings": [...], "summary": {..., "generator": "govlint"}}``.

The finding schema is a public contract: path, code, name, severity, line, column,
end_line, end_column (1-based, columns in code points), start, end (character offsets),
message, suggestion, related[{path, line, column, end_line, end_column, note, excerpt}],
section, excerpt, fingerprint, data, fix (null, or {safety: "safe"|"unsafe", edits: [{start, end,
line, column, end_line, end_column, text}]}: replace each [start, end) with text).
For Word, Excel, PDF and OFD inputs (never .txt/.md) a finding, and a related location in the
same file, also carry ``place`` (第3段, 第1张表第2行第3列, Sheet1!F4, 第2页第7行: ``Document.place``)
and, for PDF/OFD, ``page``.
"""

from __future__ import annotations

import json

from govlint.output.common import summary


def related_dict(r, document=None, path=None) -> dict:
    pos = r.position
    out = {"path": r.path, "line": pos.line if pos else None, "column": pos.column if pos else None,
           "end_line": pos.end_line if pos else None, "end_column": pos.end_column if pos else None,
           "start": r.start, "end": r.end, "note": r.note, "excerpt": r.excerpt}
    if document is not None and document.has_places and r.path in (None, path):
        out.update(place_dict(document, r.start))
    return out


def place_dict(document, offset: int) -> dict:
    """``page`` (PDF/OFD) and ``place`` (Document.place) of an offset of a Word/Excel/PDF/OFD input;
    nothing for .txt/.md, whose output stays as it was."""
    if document is None or not document.has_places:
        return {}
    page = document.page_at(offset)
    return {**({"page": page} if page is not None else {}), "place": document.place(offset)}


def fix_dict(fix, document=None) -> dict | None:
    if fix is None:
        return None
    edits = []
    for e in fix.edits:
        pos = document.position(e.start, e.end) if document is not None else None
        edits.append({"start": e.start, "end": e.end, "line": pos.line if pos else None,
                      "column": pos.column if pos else None, "end_line": pos.end_line if pos else None,
                      "end_column": pos.end_column if pos else None, "text": e.text})
    return {"safety": fix.safety, "edits": edits}


def finding_dict(f, document=None) -> dict:
    from govlint import registry
    spec = registry.get(f.code)
    pos = f.position
    section = []
    if document is not None:
        section = document.section_at(f.start).path
    return {
        "path": f.path, "code": f.code, "name": spec.name if spec else None, "severity": f.severity.label,
        "line": pos.line, "column": pos.column, "end_line": pos.end_line, "end_column": pos.end_column,
        "start": f.start, "end": f.end, "message": f.message, "suggestion": f.suggestion,
        "related": [related_dict(r, document, f.path) for r in f.related], "section": section,
        "excerpt": f.excerpt, "fingerprint": f.fingerprint, "data": f.data, "fix": fix_dict(f.fix, document),
        **place_dict(document, f.start),
    }


def render(results, **kw) -> str:
    findings = [finding_dict(f, r.document) for r in results for f in r.findings]
    # summary.generator marks the file as govlint's own (guard.govlint_made): a later run may replace it
    return json.dumps({"findings": findings, "summary": {**summary(results), "generator": "govlint"}},
                      ensure_ascii=False, indent=2)
