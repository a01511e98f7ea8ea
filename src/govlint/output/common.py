"""What the formatters share: the format names and the run summary."""

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
        "baseline_hidden": sum(int((r.extra or {}).get("baseline_hidden", 0)) for r in results if not r.error),
        "checked": len(docs),
        "error": sev.get("error", 0),
        "warning": sev.get("warning", 0),
        "info": sev.get("info", 0),
        "by_code": dict(sorted(codes.items())),
        "input_errors": errors,
        "documents": docs,
    }
