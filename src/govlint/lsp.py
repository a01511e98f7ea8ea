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
from govlint.lsp_actions import (  # noqa: F401  (positions are used here and by tests)
    _path_of, _severity, code_actions, fix_data, lsp_position, lsp_range, units,
)

SUFFIXES = (".txt", ".md", ".markdown")
CONFIG_NAMES = ("govlint.toml", "pyproject.toml")
DEBOUNCE = 0.3   # seconds of quiet after a change before checking

log = logging.getLogger("govlint.lsp")


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
                                      "fix": fix_data(doc, f.fix, encoding)}))
    return out


def _warm_up():
    """Load the rules and the segmenter once, off the request path."""
    try:
        from govlint import nlp, registry
        registry.all_rules()
        nlp.tokenize("绩效自评")
    except Exception:  # pragma: no cover - reported again on first use
        log.exception("warm-up failed")


MAX_MESSAGE = 64 << 20      # bytes; a larger Content-Length is a framing error, skipped
LARGE_DOCUMENT = 200_000    # characters; larger reports are checked in their own lane
_HEADER = None


def _header_re():
    global _HEADER
    if _HEADER is None:
        import re
        # Content-Length (any case, CRLF or LF), optional other headers, then the blank line
        _HEADER = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,20})[ \t]*\r?\n"
                             rb"(?:(?!content-length)[A-Za-z][A-Za-z0-9-]*[ \t]*:[^\r\n]{0,1000}\r?\n){0,8}\r?\n", re.I)
    return _HEADER


class Framer:
    """LSP base-protocol framing that survives garbage: messages are found by their
    ``Content-Length`` header wherever it is; bytes before it are dropped, a length over
    ``MAX_MESSAGE`` or a body that is not JSON is skipped, and reading resumes at the next
    valid header. Memory stays bounded by ``MAX_MESSAGE`` plus one read."""

    CHUNK = 1 << 16
    STALL = 2.0     # seconds without data while a body is incomplete before looking for a resync

    def __init__(self, stream):
        self.stream = stream
        self.buf = bytearray()
        self.eof = False
        self.skipped = 0     # framing errors seen (logged)

    def _read(self, timeout=None) -> bool:
        """Read more bytes; False on EOF or when ``timeout`` passed without data."""
        import os
        import select
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            fd = None
        if fd is None:
            data = self.stream.read1(self.CHUNK) if hasattr(self.stream, "read1") else self.stream.read(self.CHUNK)
        else:
            if timeout is not None and os.name != "nt":     # select() takes only sockets on Windows
                ready, _, _ = select.select([fd], [], [], timeout)
                if not ready:
                    return False
            data = os.read(fd, self.CHUNK)
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def _drop(self, n: int, why: str) -> None:
        if n > 0:
            self.skipped += 1
            log.warning("framing: %s, %d bytes skipped", why, n)
            del self.buf[:n]

    def next_message(self) -> bytes | None:
        """The next JSON body, or None at end of input."""
        import json
        header = _header_re()
        while True:
            m = header.search(self.buf)
            if m is None:
                if self.eof:
                    return None
                # keep a tail that may hold the start of a header
                if len(self.buf) > 4096:
                    self._drop(len(self.buf) - 1024, "no header")
                self._read()
                continue
            if m.start():
                self._drop(m.start(), "bytes before a header")
                continue
            length = int(m.group(1))
            if length > MAX_MESSAGE:
                self._drop(m.end(), f"Content-Length {length} over the limit of {MAX_MESSAGE}")
                continue
            while len(self.buf) < m.end() + length and not self.eof:
                if not self._read(self.STALL):
                    if self.eof:
                        break
                    # stalled with an incomplete body: a wrong Content-Length swallowed the
                    # next message; resume at a header inside what was read, if any
                    again = header.search(self.buf, m.end())
                    if again is not None:
                        self._drop(again.start(), "incomplete body (wrong Content-Length)")
                        break
            else:
                body = bytes(self.buf[m.end():m.end() + length])
                try:
                    obj = json.loads(body)
                    if not (isinstance(obj, dict) and "jsonrpc" in obj):
                        del self.buf[:m.end() + length]
                        self.skipped += 1
                        log.warning("framing: a JSON body that is not a JSON-RPC message, skipped")
                        continue
                except (ValueError, RecursionError):
                    again = header.search(self.buf, m.end(), m.end() + length)
                    self._drop(again.start() if again else m.end() + length, "body is not JSON")
                    continue
                del self.buf[:m.end() + length]
                return body
            if self.eof and len(self.buf) < m.end() + length:
                return None


class FramedReader:
    """pygls's reader interface (``readline``/``readexactly``) over a ``Framer``: pygls sees
    only well-formed messages."""

    def __init__(self, stream, executor=None):
        self.framer = Framer(stream)
        self.executor = executor
        self._queue: list = []

    async def readline(self) -> bytes:
        if not self._queue:
            loop = asyncio.get_running_loop()
            body = await loop.run_in_executor(self.executor, self.framer.next_message)
            if body is None:
                return b""
            self._queue = [b"Content-Length: %d\r\n" % len(body), b"\r\n", body]
        return self._queue.pop(0)

    async def readexactly(self, n: int) -> bytes:
        return self._queue.pop(0) if self._queue else b""


def _server_class():
    from lsprotocol import types as t
    from pygls.lsp.server import LanguageServer

    class GovlintServer(LanguageServer):
        def report_server_error(self, error, source):
            """Chinese, one line; requests already answer with an error response."""
            from pygls.exceptions import FeatureRequestError
            log.error("server error: %s: %s", type(error).__name__, error)
            if source is FeatureRequestError:
                return
            self.window_show_message(t.ShowMessageParams(
                type=t.MessageType.Error,
                message=f"govlint：无法处理编辑器发来的一条消息（{type(error).__name__}），已忽略；其他文档照常检查"))

        def start_io(self, stdin=None, stdout=None):
            """pygls's asynchronous stdio loop, reading through ``FramedReader``."""
            import sys
            from threading import Event
            from pygls.io_ import StdoutWriter, run_async
            self._stop_event = Event()
            reader = FramedReader(stdin or sys.stdin.buffer, self.thread_pool)
            self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
            try:
                asyncio.run(run_async(stop_event=self._stop_event, reader=reader, protocol=self.protocol,
                                      logger=log, error_handler=self.report_server_error))
            except BrokenPipeError:
                log.error("the client closed the connection")
            except (KeyboardInterrupt, SystemExit):
                pass
            finally:
                self.shutdown()

    return GovlintServer


def build_server():
    """The configured pygls LanguageServer (not started).

    Checking runs in worker threads, never on the event loop that reads messages: one lane
    for reports over ``LARGE_DOCUMENT`` characters and one for the rest, so a 5 MB report never
    delays a small one. Per document at most one check runs; changes arriving meanwhile are
    coalesced into one more check of the newest text, and results for an outdated version
    are dropped.
    """
    from concurrent.futures import ThreadPoolExecutor
    from lsprotocol import types as t

    server = _server_class()("govlint", __version__)
    pending: dict[str, int] = {}
    lanes = {"small": ThreadPoolExecutor(1, "govlint-check"), "large": ThreadPoolExecutor(1, "govlint-check-large")}
    running: dict[str, object] = {}     # uri → asyncio.Future of the check in progress
    again: set = set()                  # uris changed while being checked

    def is_report(uri: str) -> bool:
        return uri.lower().split("?")[0].endswith(SUFFIXES)

    def encoding(ls) -> str:
        return str(ls.workspace.position_encoding or "utf-16")

    def is_open(ls, uri: str) -> bool:
        from urllib.parse import unquote
        return unquote(uri) in ls.workspace.text_documents     # pygls keys documents by unquoted URI

    async def publish(ls, uri: str):
        if not is_open(ls, uri):
            return
        if uri in running:
            again.add(uri)
            return
        loop = asyncio.get_running_loop()
        try:
            while True:
                again.discard(uri)
                doc = ls.workspace.get_text_document(uri)
                version, source = doc.version, doc.source
                lane = lanes["large" if len(source) > LARGE_DOCUMENT else "small"]
                fut = loop.run_in_executor(lane, diagnostics, uri, source, encoding(ls))
                running[uri] = fut
                try:
                    diags = await fut
                except Exception as exc:  # never take the server down for one document
                    log.exception("checking %s failed", uri)
                    ls.window_show_message(t.ShowMessageParams(
                        type=t.MessageType.Error,
                        message=f"govlint：检查 {uri.rsplit('/', 1)[-1]} 时出错（{type(exc).__name__}），"
                                "请报告此问题"))
                    return
                if not is_open(ls, uri):
                    return
                current = ls.workspace.get_text_document(uri)
                if uri in again or current.version != version:
                    continue            # outdated: check the newest text instead
                ls.text_document_publish_diagnostics(
                    t.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=version))
                return
        finally:
            running.pop(uri, None)

    @server.feature(t.INITIALIZED)
    def initialized(ls, params):
        threading.Thread(target=_warm_up, daemon=True).start()

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: t.DidOpenTextDocumentParams):
        if is_report(params.text_document.uri):
            await publish(ls, params.text_document.uri)

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
            await publish(ls, uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    async def did_save(ls, params: t.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
            from govlint import config as cfgmod
            cfgmod.find_for_dir.cache_clear()
            docs = [d.uri for d in list(ls.workspace.text_documents.values())]
            await asyncio.gather(*(publish(ls, other) for other in docs if is_report(other)))
        elif is_report(uri):
            await publish(ls, uri)

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
        again.discard(uri)
        if is_report(uri):
            ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit (or closes the stream)."""
    logging.basicConfig(level=logging.WARNING, format="govlint-lsp %(levelname)s %(message)s")
    build_server().start_io()
