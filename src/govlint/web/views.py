"""What the workbench shows and hands off, built from stored results and the reviewer's decisions.

A finding the reviewer marked 不采纳 is left out of every download; a reviewer's note on a
finding is added to its 修改建议; the reviewer's own comment on a report is added as a last
comment (规则 “审核人”). The review lists themselves are govlint's usual formatters.
"""

from __future__ import annotations

from collections import Counter

from starlette.exceptions import HTTPException

from govlint.web.checker import rebuild

REVIEWER = "审核人"


def _result(store, row):
    r = rebuild(store.result(row["id"]))
    r.path = row["name"]
    return r


def decided(store, row):
    """The file's result with the reviewer's decisions applied, and its report-level note."""
    r = _result(store, row)
    decisions = store.decisions(row["id"])
    kept = []
    for f in r.findings:
        verdict, note = decisions.get(f.fingerprint, (None, ""))
        if verdict == "reject":
            continue
        if note:
            f = f.with_(suggestion=((f.suggestion + "；") if f.suggestion else "") + f"审核人意见：{note}")
        kept.append(f)
    return r.with_findings(kept), store.note(row["id"])


def report_view(store, row) -> dict:
    """The report text as lines of (text, finding ids) pieces, and the comment cards."""
    from govlint import registry
    r = _result(store, row)
    doc = r.document
    decisions = store.decisions(row["id"])
    cards = []
    for i, f in enumerate(sorted(r.findings, key=lambda f: (f.start, f.end, f.code)), 1):
        verdict, note = decisions.get(f.fingerprint, (None, ""))
        spec = registry.get(f.code)
        cards.append({"n": i, "code": f.code, "family": f.family, "severity": int(f.severity),
                      "severity_zh": f.severity.zh, "message": f.message, "suggestion": f.suggestion or "",
                      "fingerprint": f.fingerprint, "verdict": verdict or "", "note": note,
                      "name": spec.name if spec else "", "title": spec.title_zh if spec else "", "line": f.position.line if f.position else 0,
                      "start": f.start, "end": f.end})
    lines = []
    text = doc.text
    starts = doc.line_starts
    for ln, a in enumerate(starts, 1):
        b = starts[ln] - 1 if ln < len(starts) else len(text)
        covering = [c for c in cards if c["start"] < b and c["end"] > a or (c["start"] == c["end"] and a <= c["start"] <= b)]
        cuts = sorted({a, b, *(max(a, min(b, c["start"])) for c in covering), *(max(a, min(b, c["end"])) for c in covering)})
        pieces = []
        for x, y in zip(cuts, cuts[1:]):
            ids = [c["n"] for c in covering if c["start"] < y and c["end"] > x]
            sev = max((c["severity"] for c in covering if c["n"] in ids), default=0)
            pieces.append({"text": text[x:y].rstrip("\r"), "ids": ids, "severity": sev})
        zero = [c["n"] for c in covering if c["start"] == c["end"]]
        lines.append({"no": ln, "pieces": pieces, "zero": zero})
    families = sorted({c["family"] for c in cards})
    return {"title": doc.title_text or row["name"], "lines": lines, "cards": cards, "families": families,
            "note": store.note(row["id"]), "kind": doc.kind,
            "counts": Counter(c["severity"] for c in cards), "score": row["score"]}


def review_of(store, rows):
    from govlint.finding import Severity
    from govlint.output import review_model as rm
    results, notes = [], []
    for row in rows:
        if row["status"] == "done":
            r, note = decided(store, row)
            results.append(r)
            notes.append(note)
        else:
            from govlint.runner import FileResult
            results.append(FileResult(row["name"], error=row["error"] or "未检查"))
            notes.append("")
    review = rm.build(results)
    docs = iter(review.documents)
    for r, note in zip(results, notes):
        if r.error:
            continue
        d = next(docs)
        if note:
            d.comments.append(rm.Comment(
                number=len(d.comments) + 1, code=REVIEWER, rule_name="审核人意见", family="REVIEW",
                family_name="审核人意见", severity=Severity.WARNING, start=0, end=0, line=1, unit="全文",
                section=[], cell="", before="", span="", after="", message=note, suggestion=""))
    return review


def render_download(store, rows, kind: str) -> bytes:
    review = review_of(store, rows)
    if kind in ("md", "html", "xlsx", "docx"):
        from govlint.commands.review import render_list
        return render_list(kind, review)
    if kind == "annotated":
        row = rows[0]
        if not row["stored"].endswith(".docx"):
            raise HTTPException(400, "批注副本只适用于 Word（.docx）报告")
        from govlint.output.review_annotate import AnnotateError, annotate_bytes
        result, _ = decided(store, row)
        try:
            data, _added, _skipped = annotate_bytes(result, str(store.upload_dir(row["batch"]) / row["stored"]))
        except AnnotateError as exc:
            raise HTTPException(400, str(exc))
        return data
    if kind == "pdf":
        return to_pdf(review)
    raise HTTPException(404, "没有这种下载格式")


def to_pdf(review) -> bytes:
    """The review list as PDF (LibreOffice or Chromium; see ``output.review_pdf``)."""
    from govlint.output.review_pdf import PdfUnavailable, render_bytes
    try:
        return render_bytes(review)
    except PdfUnavailable as exc:
        raise HTTPException(503, str(exc))
