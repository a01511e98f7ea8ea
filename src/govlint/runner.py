"""Checking many files: the folder walk, reading, the worker pool and the process-level caches.

``check_paths`` expands files and directories and returns one FileResult per input (bad
inputs included as errors), in input order; with ``jobs`` > 1 files are checked in forked
worker processes. Every function takes the run's configuration as one ``config.Settings``
(a plain dict of command-line overrides is accepted and wrapped).
"""

from __future__ import annotations

import os

from govlint import engine, registry
from govlint._record import Record
from govlint.config import Config, ConfigError, Settings
from govlint.document import Document
from govlint.finding import Finding


class FileResult(Record):
    """What checking one file gave: its findings, or the one-line error that stopped it."""

    __slots__ = ("path", "findings", "error", "document", "extra")
    _repr_fields = ("path", "findings", "error")

    def __init__(self, path: str, findings: list[Finding] | None = None, error: str | None = None,
                 document: Document | None = None, extra: dict | None = None):
        self.path = path
        self.findings: list[Finding] = [] if findings is None else findings
        self.error = error
        self.document = document
        self.extra: dict = {} if extra is None else extra   # copy ratio, table records, ...

    def with_findings(self, findings: list[Finding]) -> "FileResult":
        """The same result with other findings (what a baseline leaves)."""
        return FileResult(self.path, findings, self.error, self.document, self.extra)

    @property
    def title(self) -> str:
        return self.document.title_text if self.document else ""


def _settings(settings) -> Settings:
    return settings if isinstance(settings, Settings) else Settings.make(settings)


def collect(paths: list[str], exclude: tuple[str, ...] = (), settings: Settings | None = None,
            skipped: list | None = None) -> tuple[list[str], list[FileResult]]:
    """Expand files and directories into report files; bad paths become error results (and
    files skipped as clearly not reports are appended to ``skipped``)."""
    from govlint.walk import find_reports
    files, errors = find_reports(paths, exclude, settings, skipped)
    return files, [FileResult(path, error=message) for path, message in errors]


def lint_file(path: str, overrides: "Settings | dict | None" = None, codes: set[str] | None = None) -> FileResult:
    """Read and lint one file with the config found for it plus command-line overrides.

    Whatever goes wrong with this one file — a reader or a rule failing on input nobody
    foresaw — becomes this file's error, and the rest of the batch is checked. Only a
    reference-corpus problem (``CorpusError``) stops the run: it concerns every file; the index
    failing in the middle of this file's check (``CorpusQueryError``) is this file's error.
    """
    from govlint.readers import InputError, max_file_bytes, path_error, read_path
    try:
        cfg = _settings(overrides).for_path(path)
    except ConfigError as exc:
        return FileResult(path, error=str(exc))
    except (OSError, RuntimeError, ValueError) as exc:    # an unreadable folder, a link loop
        return FileResult(path, error=path_error(exc))
    try:
        doc = read_path(path, max_bytes=max_file_bytes(cfg.max_file_size), max_chars=cfg.max_text_chars)
        return lint_document_result(doc, cfg, codes)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    except Exception as exc:
        from govlint.corpus import CorpusError, CorpusQueryError
        if isinstance(exc, CorpusQueryError) and not os.environ.get("GOVLINT_DEBUG"):
            return FileResult(path, error=str(exc))    # this file's DUP002 failed: its error, never a silent pass
        if isinstance(exc, CorpusError) or os.environ.get("GOVLINT_DEBUG"):
            raise
        return FileResult(path, error=internal_error(exc))


def internal_error(exc: BaseException) -> str:
    """One Chinese line for a failure govlint did not foresee on one file."""
    return (f"检查此文件时发生内部错误（{type(exc).__name__}），已跳过此文件，其余文件照常检查；"
            f"设置 GOVLINT_DEBUG=1 可查看详情，请把此文件报告给维护者")


def lint_document_result(doc: Document, cfg: Config, codes: set[str] | None = None) -> FileResult:
    extra: dict = {}
    findings = engine.lint(doc, cfg, codes, extra)
    return FileResult(doc.path, findings, None, doc, extra)


def _lint_file_star(args):
    path, settings, codes = args
    r = lint_file(path, settings, codes)
    r.document = None if r.document is None else _light(r.document)
    # a worker ends without atexit: what it compiled first goes to the pattern cache now
    from govlint.cache import save
    save()
    return r


def _light(doc: Document):
    """Documents cross process boundaries as their source, not their parsed structure.

    Unpickling paragraphs, sections and cached sentences in the parent cost about 6x
    re-parsing the text there (bench/profile_rules.py; docs/performance.md).
    """
    return ("govlint-document-source", doc.path, doc.text, doc.kind, doc.blocks, doc.meta)


def _rebuild(r: FileResult) -> FileResult:
    d = r.document
    if isinstance(d, tuple) and d and d[0] == "govlint-document-source":
        _, path, text, kind, blocks, meta = d
        r.document = Document(path, text, kind, blocks=blocks, meta=meta)
    return r


def _segmenter_wanted(files: list[str], overrides: "Settings | dict | None", codes) -> bool:
    """Workers are forked and a selected rule that may run declares ``needs=("tokens",)``."""
    import multiprocessing
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return False
    try:
        cfg = _settings(overrides).for_path(files[0])
    except ConfigError:
        return False
    rules = registry.all_rules()
    enabled = codes if codes is not None else cfg.enabled_codes()
    return any("tokens" in rules[c].needs and (cfg.profile == "auto" or not rules[c].profiles
                                               or cfg.profile in rules[c].profiles)
               for c in enabled if c in rules)


def check_files(files: list[str], overrides: "Settings | dict | None" = None, jobs: int = 1,
                progress=None, codes: set[str] | None = None) -> list[FileResult]:
    """Lint report files (in parallel when ``jobs`` > 1); results in input order."""
    settings = _settings(overrides)
    results: list[FileResult] = []
    from govlint.readers import prepare
    prepare(files)     # .doc/.wps: one LibreOffice start for the batch, before workers fork
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor
        registry.all_rules()   # import the rule modules once, before forking the workers
        if _segmenter_wanted(files, settings, codes):
            # loaded once here and inherited by forked workers, instead of once per worker
            # (jieba: 0.6 s CPU each; measured in docs/performance.md)
            from govlint import nlp
            nlp._load()
        from govlint.cache import release_collector
        release_collector()   # frozen before the fork: workers never rescan what they inherit
        from concurrent.futures.process import BrokenProcessPool
        try:
            with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
                for r in pool.map(_lint_file_star, [(f, settings, codes) for f in files], chunksize=1):
                    results.append(_rebuild(r))
                    if progress:
                        progress(r)
        except BrokenProcessPool:
            # a worker died (killed for memory, a crash in a C library): the files it had not
            # answered are checked one by one here, so the batch is never lost
            for f in files[len(results):]:
                r = _isolated(f, settings, codes)
                results.append(r)
                if progress:
                    progress(r)
    else:
        from govlint.cache import release_collector
        for f in files:
            r = lint_file(f, settings, codes)
            release_collector()   # after the first file, which loaded the rules and lexicons
            if r.document is not None and len(files) > 1:
                r.document._tokens = None   # kept for a batch, the token lists cost ~80 bytes a character
            results.append(r)
            if progress:
                progress(r)
    return results


def _isolated(path: str, settings, codes) -> FileResult:
    """One file in a process of its own; its death is this file's error."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return _rebuild(pool.submit(_lint_file_star, (path, settings, codes)).result())
    except BrokenProcessPool:
        return FileResult(path, error="检查此文件时检查进程意外退出（可能内存不足），已跳过此文件，其余文件照常检查")


def check_paths(paths: list[str], overrides: "Settings | dict | None" = None, jobs: int = 1,
                progress=None, codes: set[str] | None = None) -> list[FileResult]:
    """Lint files and directories; bad paths come first as error results."""
    settings = _settings(overrides)
    files, errors = collect(paths, tuple(settings.get("exclude") or ()), settings)
    return errors + check_files(files, settings, jobs, progress, codes)
