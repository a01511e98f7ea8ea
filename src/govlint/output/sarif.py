"""``--format sarif``: SARIF 2.1.0 with rule metadata from the registry.

Columns are Unicode code points (``run.columnKind = "unicodeCodePoints"``); each result
carries ``partialFingerprints["govlint/v1"]``, the same fingerprint baselines use.
"""

from __future__ import annotations

import json
from pathlib import Path

from govlint import __version__, registry

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    """A URI reference: relative to the working directory when possible, percent-encoded."""
    from urllib.parse import quote
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(p.as_posix(), errors="surrogateescape")   # a non-UTF-8 byte in a name: its %XX


def _region(pos, snippet=None) -> dict:
    reg = {"startLine": pos.line, "startColumn": pos.column, "endLine": pos.end_line, "endColumn": pos.end_column}
    if snippet:
        reg["snippet"] = {"text": snippet}
    return reg


def rule_descriptor(spec) -> dict:
    """The rule's SARIF descriptor, its texts in Chinese (rule_docs_zh.toml).

    No ``helpUri``: the project has no stable public URL for its rule documentation (a
    relative docs path is not a valid one), so ``help`` carries the whole Chinese text.
    """
    paragraphs = [" ".join(p.split()) for p in spec.doc_zh.split("\n\n") if p.strip()]
    help_text = "\n\n".join(paragraphs + ([f"为什么重要：{spec.why_zh}"] if spec.why_zh else []))
    plain = help_text.replace("``", "")     # ``min_chars`` is markup only in the markdown form
    return {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary.replace("``", "")},
        "fullDescription": {"text": " ".join(paragraphs).replace("``", "")},
        "help": {"text": plain,
                 "markdown": f"**{spec.code} {spec.title_zh}**（`{spec.name}`）\n\n{help_text}"},
        "defaultConfiguration": {"level": spec.severity.sarif_level},
        "properties": {"family": spec.family, "tags": [spec.family.lower()]},
    }


def _fix(f, document) -> dict:
    """A SARIF fix: the replacements of the finding's edits (regions in the same column kind)."""
    return {
        "description": {"text": ("自动修复" if f.fix.safety == "safe" else "自动修复（可能改变措辞或编号，请核对）")
                        + (f"：{f.suggestion}" if f.suggestion else "")},
        "artifactChanges": [{
            "artifactLocation": {"uri": _uri(f.path)},
            "replacements": [{"deletedRegion": _region(document.position(e.start, e.end)),
                              "insertedContent": {"text": e.text}} for e in f.fix.edits],
        }],
    }


def render(results, **kw) -> str:
    rules = registry.all_rules()
    codes = sorted(rules)
    index = {c: i for i, c in enumerate(codes)}
    out_results = []
    notes = []
    for r in results:
        if r.error:
            notes.append({"level": "error", "message": {"text": f"{r.path}: {r.error}"},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]})
            continue
        for f in r.findings:
            msg = f.message + (f"（建议：{f.suggestion}）" if f.suggestion else "")
            res = {
                "ruleId": f.code,
                "ruleIndex": index.get(f.code, -1),
                "level": f.severity.sarif_level,
                "message": {"text": msg},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)},
                                                    "region": _region(f.position, r.document.text[f.start:f.end]
                                                                      if r.document else None)}}],
                "partialFingerprints": {"govlint/v1": f.fingerprint},
            }
            if f.related:
                res["relatedLocations"] = [
                    {"id": i + 1, "message": {"text": rel.note or "相关位置"},
                     "physicalLocation": {"artifactLocation": {"uri": _uri(rel.path or f.path)},
                                          **({"region": _region(rel.position)} if rel.position else {})}}
                    for i, rel in enumerate(f.related)]
            props = {"suggestion": f.suggestion} if f.suggestion else {}
            if r.document is not None and r.document.has_places:    # Word/Excel/PDF: where a reader finds it
                from govlint.output.json_ import place_dict
                props.update(place_dict(r.document, f.start))
            if props:
                res["properties"] = props
            if f.fix is not None and r.document is not None:
                res["fixes"] = [_fix(f, r.document)]
            out_results.append(res)
    run = {
        "tool": {"driver": {"name": "govlint", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://pypi.org/project/govlint/",
                            "rules": [rule_descriptor(rules[c]) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "results": out_results,
        "invocations": [{"executionSuccessful": not notes, "toolExecutionNotifications": notes}],
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)
