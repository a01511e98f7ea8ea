"""Positions and quick fixes for the language server (protocol, framing and scheduling are ``lsp.py``).

Ranges: govlint columns are Unicode code points; LSP ranges count UTF-16 code units unless the
client negotiated another ``positionEncoding``, so every column is converted with the line's text.
Each finding's fix becomes a code action, and "fix all safe" one for the document.
"""

from __future__ import annotations


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in the position encoding's code units."""
    enc = str(encoding).lower()
    if enc in ("utf-32", "utf32"):
        return len(text)
    if enc in ("utf-8", "utf8"):
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def lsp_position(doc, line: int, column: int, encoding: str):
    """(1-based line, 1-based code-point column) → LSP Position (0-based, in code units)."""
    from lsprotocol import types as t
    nlines = len(doc.line_starts)
    line = max(1, min(line, nlines))
    text = doc.line_text(line)
    return t.Position(line=line - 1, character=units(text[:max(0, column - 1)], encoding))


def lsp_range(doc, pos, encoding: str):
    from lsprotocol import types as t
    return t.Range(start=lsp_position(doc, pos.line, pos.column, encoding),
                   end=lsp_position(doc, pos.end_line, pos.end_column, encoding))


def _severity(sev):
    from lsprotocol import types as t
    from govlint.finding import Severity
    return {Severity.ERROR: t.DiagnosticSeverity.Error, Severity.WARNING: t.DiagnosticSeverity.Warning,
            Severity.INFO: t.DiagnosticSeverity.Information}[sev]


def _path_of(uri: str) -> str | None:
    from pygls.uris import to_fs_path
    if not uri.startswith("file:"):
        return None
    return to_fs_path(uri)




def fix_data(doc, fix, encoding: str) -> dict | None:
    """A finding's fix as LSP text edits (ranges in the negotiated encoding), kept in the diagnostic."""
    if fix is None:
        return None
    edits = [{"range": range_dict(lsp_range(doc, doc.position(e.start, e.end), encoding)), "newText": e.text}
             for e in fix.edits]
    return {"safety": fix.safety, "edits": edits}


def range_dict(r) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def code_actions(uri: str, source: str, diagnostics_in_range, encoding: str = "utf-16") -> list:
    """Quick fixes for the govlint diagnostics the editor asks about, and "fix all safe" for the document."""
    from lsprotocol import types as t
    from govlint import config as cfgmod
    from govlint import engine, fixing
    from govlint.config import Config, ConfigError
    from govlint.document import Document

    def text_edit(e) -> t.TextEdit:
        r = e["range"]
        return t.TextEdit(range=t.Range(start=t.Position(**r["start"]), end=t.Position(**r["end"])),
                          new_text=e["newText"])

    actions = []
    for d in diagnostics_in_range:
        data = d.data if isinstance(d.data, dict) else None
        fix = data.get("fix") if data else None
        if d.source != "govlint" or not fix or not fix.get("edits"):
            continue
        unsafe = fix.get("safety") != "safe"
        title = f"govlint 修复：{data.get('suggestion') or d.code}" + ("（请核对）" if unsafe else "")
        actions.append(t.CodeAction(title=title, kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                                    is_preferred=not unsafe,
                                    edit=t.WorkspaceEdit(changes={uri: [text_edit(e) for e in fix["edits"]]})))
    path = _path_of(uri)
    kind = "md" if (path or uri).lower().endswith((".md", ".markdown")) else "txt"
    try:
        cfg = cfgmod.for_path(path) if path else Config()
    except ConfigError:
        return actions
    doc = Document.from_text(source, path or uri, kind)
    fixed, applied, _ = fixing.fix_text(doc, lambda text: engine.lint(Document.from_text(text, doc.path, kind), cfg))
    if applied:
        end = doc.position(len(source), len(source))
        whole = t.Range(start=t.Position(line=0, character=0), end=lsp_position(doc, end.end_line, end.end_column,
                                                                                   encoding))
        actions.append(t.CodeAction(title=f"govlint：修复全部可安全修复的问题（{applied} 处）",
                                    kind=t.CodeActionKind.SourceFixAll,
                                    edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(range=whole, new_text=fixed)]})))
    return actions
