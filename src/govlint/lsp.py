"""A Language Server (pygls 2.x) publishing govlint findings as diagnostics.

Editors start ``govlint server`` and speak LSP over stdio. Reports (.txt, .md,
.markdown) are checked on open, on change (debounced) and on save; closing a report
clears its diagnostics. The configuration is found upward from the file as on the
command line (``govlint.toml`` / ``pyproject.toml``); saving such a file re-checks the
open reports. The segmenter and the rules are loaded once per server process.

Ranges: govlint columns are Unicode code points; LSP ranges count UTF-16 code units
unless the client negotiated another ``positionEncoding`` (UTF-8 and UTF-32 are
supported too), so every column is converted with the line's text.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from govlint import __version__

SUFFIXES = (".txt", ".md", ".markdown")
CONFIG_NAMES = ("govlint.toml", "pyproject.toml")
DEBOUNCE = 0.3   # seconds of quiet after a change before checking

log = logging.getLogger("govlint.lsp")


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


def diagnostics(uri: str, source: str, encoding: str = "utf-16") -> list:
    """Lint one report's current text and return LSP diagnostics."""
    from lsprotocol import types as t
    from govlint import config as cfgmod
    from govlint import engine
    from govlint.config import Config, ConfigError
    from govlint.corpus import CorpusError
    from govlint.document import Document

    path = _path_of(uri)
    name = path or uri
    kind = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    doc = Document.from_text(source, name, kind)
    out = []
    try:
        cfg = cfgmod.for_path(path) if path else Config()
    except ConfigError as exc:
        cfg = Config()
        out.append(t.Diagnostic(range=t.Range(start=t.Position(line=0, character=0),
                                              end=t.Position(line=0, character=0)),
                                message=f"配置错误（已按默认配置检查）：{exc}", source="govlint",
                                severity=t.DiagnosticSeverity.Error, code="config"))
    try:
        findings = engine.lint(doc, cfg)
    except CorpusError as exc:   # the other rules still run; the corpus problem is one diagnostic
        from govlint import registry
        corpus_rules = tuple(c for c, s in registry.all_rules().items() if "corpus" in s.needs)
        findings = engine.lint(doc, cfg.override(ignore=corpus_rules))
        out.append(t.Diagnostic(range=t.Range(start=t.Position(line=0, character=0),
                                              end=t.Position(line=0, character=0)),
                                message=f"对照语料错误（未检查 {'、'.join(corpus_rules)}）：{exc}", source="govlint",
                                severity=t.DiagnosticSeverity.Error, code="corpus"))
    for f in findings:
        msg = f.message + (f"（建议：{f.suggestion}）" if f.suggestion else "")
        related = []
        for r in f.related:
            if r.position is None:
                continue
            if r.path in (None, doc.path):
                rel_uri, rel_range = uri, lsp_range(doc, r.position, encoding)
            else:
                rel_uri = Path(r.path).resolve().as_uri() if Path(r.path).is_absolute() or Path(r.path).exists() else r.path
                # another document: its line text is unknown here, so columns stay code points
                rel_range = t.Range(start=t.Position(line=r.position.line - 1, character=r.position.column - 1),
                                    end=t.Position(line=r.position.end_line - 1, character=r.position.end_column - 1))
            related.append(t.DiagnosticRelatedInformation(location=t.Location(uri=rel_uri, range=rel_range),
                                                          message=r.note or "相关位置"))
        out.append(t.Diagnostic(range=lsp_range(doc, f.position, encoding), message=msg,
                                severity=_severity(f.severity), code=f.code, source="govlint",
                                related_information=related or None,
                                data={"fingerprint": f.fingerprint, "suggestion": f.suggestion,
                                      "fix": _fix_data(doc, f.fix, encoding)}))
    return out


def _fix_data(doc, fix, encoding: str) -> dict | None:
    """A finding's fix as LSP text edits (ranges in the negotiated encoding), kept in the diagnostic."""
    if fix is None:
        return None
    edits = [{"range": _range_dict(lsp_range(doc, doc.position(e.start, e.end), encoding)), "newText": e.text}
             for e in fix.edits]
    return {"safety": fix.safety, "edits": edits}


def _range_dict(r) -> dict:
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


def _warm_up():
    """Load the rules and the segmenter once, off the request path."""
    try:
        from govlint import nlp, registry
        registry.all_rules()
        nlp.tokenize("绩效自评")
    except Exception:  # pragma: no cover - reported again on first use
        log.exception("warm-up failed")


def build_server():
    """The configured pygls LanguageServer (not started)."""
    from lsprotocol import types as t
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("govlint", __version__)
    pending: dict[str, int] = {}

    def is_report(uri: str) -> bool:
        return uri.lower().split("?")[0].endswith(SUFFIXES)

    def encoding(ls) -> str:
        return str(ls.workspace.position_encoding or "utf-16")

    def publish(ls, uri: str):
        doc = ls.workspace.get_text_document(uri)
        try:
            diags = diagnostics(uri, doc.source, encoding(ls))
        except Exception as exc:  # never take the server down for one document
            log.exception("checking %s failed", uri)
            ls.window_show_message(t.ShowMessageParams(type=t.MessageType.Error,
                                                       message=f"govlint: 内部错误：{type(exc).__name__}: {exc}"))
            return
        ls.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=doc.version))

    @server.feature(t.INITIALIZED)
    def initialized(ls, params):
        threading.Thread(target=_warm_up, daemon=True).start()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: t.DidOpenTextDocumentParams):
        if is_report(params.text_document.uri):
            publish(ls, params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: t.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        if not is_report(uri):
            return
        version = params.text_document.version
        pending[uri] = version
        await asyncio.sleep(DEBOUNCE)
        if pending.get(uri) == version:
            pending.pop(uri, None)
            publish(ls, uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    def did_save(ls, params: t.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
            from govlint import config as cfgmod
            cfgmod.find_for_dir.cache_clear()
            for other in list(ls.workspace.text_documents):
                if is_report(other):
                    publish(ls, other)
        elif is_report(uri):
            publish(ls, uri)

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
        code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll]))
    def code_action(ls, params: t.CodeActionParams):
        uri = params.text_document.uri
        if not is_report(uri):
            return None
        doc = ls.workspace.get_text_document(uri)
        try:
            return code_actions(uri, doc.source, params.context.diagnostics, encoding(ls)) or None
        except Exception:  # never take the server down for one request
            log.exception("code actions for %s failed", uri)
            return None

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: t.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        pending.pop(uri, None)
        if is_report(uri):
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="govlint-lsp %(levelname)s %(message)s")
    build_server().start_io()
