"""lint(document, config) → findings: rule selection, suppression, positions, ordering.

Checking never prints. ``check_paths`` reads files (in parallel with ``jobs`` > 1) and
returns one FileResult per input, bad inputs included as errors.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from govlint import registry
from govlint._record import Record
from govlint.config import Config, ConfigError
from govlint.document import Document
from govlint.finding import Finding, Related, Severity

SELF_EVAL_TITLE = re.compile(r"绩效自评|自评报告|绩效评价报告|评价报告|绩效报告")
SUPPRESS = re.compile(r"<!--\s*govlint:\s*(disable|enable|disable-next-line|disable-file)"
                      r"(?:\s*=\s*([A-Za-z0-9_,\s]+?))?\s*-->")


class Context:
    """What a rule sees: the document, its options, the lexicons, and ``flag`` to report."""

    def __init__(self, doc: Document, spec: registry.RuleSpec, config: Config, profile: str,
                 shared: dict):
        self.doc = doc
        self.spec = spec
        self.config = config
        self.profile = profile
        self.shared = shared          # per-document cache shared by all rules
        self.base = 0                 # offsets given to flag() are relative to this
        opts = {name: o.default for name, o in spec.options.items()}
        opts.update(config.options_for(spec.code))
        self.options = opts

    @property
    def lex(self):
        from govlint import lexicon
        return lexicon.load(self.config.lexicons)

    def tokens(self):
        return self.doc.tokens()

    def flag(self, start: int, end: int, message: str, suggestion: str | None = None,
             related=(), severity: Severity | None = None, data: dict | None = None) -> Finding:
        return Finding(self.spec.code, severity or self.spec.severity, self.base + start, self.base + end,
                       message, suggestion, tuple(related), self.doc.path, data=data or {})

    def related(self, start: int, end: int, note: str | None = None, base: int | None = None) -> Related:
        b = self.base if base is None else base
        return Related(b + start, b + end, None, note)


def detect_profile(doc: Document) -> str:
    title = doc.title_text or "".join(p.text for p in doc.paragraphs[:3])
    return "self-eval" if SELF_EVAL_TITLE.search(title) else "generic"


def _suppressions(doc: Document):
    """Per-line suppression from ``<!-- govlint: ... -->`` comment lines.

    Returns (file-wide codes, list of (from_line, to_line, codes)). ``None`` in codes = all;
    a code ``ALL`` also means all, and ``!PREFIX`` entries are exceptions (see ``_matches``).
    ``disable-next-line`` applies to the next line holding text (blank and comment lines
    are skipped, so several such comments can stack). ``enable=CODES`` re-enables only those
    codes (prefixes included) and leaves the rest of an open ``disable`` in force.
    """
    file_codes: set | None = set()
    ranges = []
    nlines = len(doc.line_starts)
    comments = {line for line, _ in doc.comment_lines}
    base: frozenset | None = frozenset()     # disabled prefixes (None = all) ...
    excepted: frozenset = frozenset()        # ... minus these
    opened = 1

    def under(code, prefixes):
        return any(code.startswith(p) for p in prefixes)

    def close(line):
        if base is None or base:
            codes_ = None if base is None and not excepted else \
                frozenset(base if base is not None else {"ALL"}) | {"!" + e for e in excepted}
            ranges.append((opened, line, codes_))

    for line, start in doc.comment_lines:
        m = SUPPRESS.search(doc.line_text(line))
        if not m:
            continue
        kind, codes = m.group(1), m.group(2)
        codeset = frozenset(c.strip().upper() for c in codes.split(",") if c.strip()) if codes else None
        if codeset is not None and "ALL" in codeset:
            codeset = None
        if kind == "disable-file":
            if codeset is None:
                file_codes = None
            elif file_codes is not None:
                file_codes |= codeset
        elif kind == "disable-next-line":
            target = line + 1
            while target <= nlines and (target in comments or not doc.line_text(target).strip()):
                target += 1
            ranges.append((target, target, codeset))
        elif kind in ("disable", "enable"):
            close(line)
            opened = line
            if kind == "disable":
                if codeset is None:
                    base, excepted = None, frozenset()
                else:
                    if base is not None:
                        base = base | codeset
                    excepted = frozenset(e for e in excepted if not under(e, codeset))
            else:
                if codeset is None:
                    base, excepted = frozenset(), frozenset()
                elif base is None:
                    excepted = excepted | codeset
                else:
                    kept = frozenset(d for d in base if not under(d, codeset))
                    # disable=STYLE then enable=STYLE001: STYLE stays, STYLE001 becomes an exception
                    extra = frozenset(c for c in codeset if under(c, kept))
                    base, excepted = kept, (excepted | extra) if kept else frozenset()
    close(nlines)
    return file_codes, ranges


def _matches(code: str, codes) -> bool:
    """``codes``: None = every code; otherwise prefixes (``ALL`` = every code), minus ``!PREFIX``."""
    if codes is None:
        return True
    neg = [c[1:] for c in codes if c.startswith("!")]
    return (any(c == "ALL" or code.startswith(c) for c in codes if not c.startswith("!"))
            and not any(code.startswith(c) for c in neg))


def fingerprint(doc: Document, f: Finding, seen: dict) -> str:
    """Stable across insertions elsewhere: code + the flagged text + its sentence, numbered."""
    span = doc.text[f.start:f.end]
    p = doc.paragraph_at(f.start)
    context = ""
    if p is not None:
        for s in p.sentences:
            if s.start <= f.start < s.end or (f.start == f.end == s.end):
                context = s.text
                break
        else:
            context = p.text
    # the message tells apart findings on the same text (two missing sections on a title);
    # its digits are masked so counts and line numbers in it do not move the fingerprint
    message = re.sub(r"\d+(?:\.\d+)?", "#", f.message)
    key = f"{f.code}\x1f{span}\x1f{context}\x1f{message}"
    n = seen.get(key, 0)
    seen[key] = n + 1
    return hashlib.sha1(f"{key}\x1f{n}".encode("utf-8")).hexdigest()[:20]


def excerpt(doc: Document, start: int, end: int) -> str:
    p = doc.paragraph_at(start)
    if p is None:
        return doc.text[start:end]
    return p.text


def lint(doc: Document, config: Config | None = None, codes: set[str] | None = None,
         extra: dict | None = None) -> list[Finding]:
    """Run the selected rules on one document; findings sorted and positioned."""
    config = config or Config()
    rules = registry.all_rules()
    enabled = codes if codes is not None else config.enabled_codes()
    ignored = config.ignored_for_path(doc.path)
    profile = config.profile if config.profile != "auto" else detect_profile(doc)
    shared: dict = {"extra": extra if extra is not None else {}}
    found: list[Finding] = []
    for code in sorted(enabled):
        spec = rules[code]
        if ignored and _matches(code, ignored):
            continue
        if spec.profiles and profile not in spec.profiles:
            continue
        ctx = Context(doc, spec, config, profile, shared)
        for scope, func in [(spec.scope, spec.func), *spec.extra_checks]:
            if scope == "paragraph":
                for p in doc.paragraphs:
                    ctx.base = p.start
                    found.extend(func(p, ctx) or ())
                ctx.base = 0
            else:
                found.extend(func(doc, ctx) or ())
    file_codes, ranges = _suppressions(doc)
    out = []
    seen: dict = {}
    emitted: set = set()
    for f in sorted(found, key=Finding.sort_key):
        key = (f.code, f.start, f.end, f.message)
        if key in emitted:        # two checkers of one rule may find the same thing
            continue
        emitted.add(key)
        if file_codes is None or (file_codes and _matches(f.code, file_codes)):
            continue
        line = doc.line_col(f.start)[0]
        if any(a <= line <= b and _matches(f.code, codes_) for a, b, codes_ in ranges):
            continue
        sev = config.severity_for(f.code) or f.severity
        related = tuple(r if r.path is not None else
                        Related(r.start, r.end, doc.path, r.note, doc.position(r.start, r.end),
                                doc.text[r.start:r.end])
                        for r in f.related)
        f = f.with_(severity=sev, path=doc.path, position=doc.position(f.start, f.end),
                    excerpt=excerpt(doc, f.start, f.end), related=related)
        out.append(f.with_(fingerprint=fingerprint(doc, f, seen)))
    return out


# ----- files ------------------------------------------------------------------------------

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


class CollectError(Exception):
    pass


def collect(paths: list[str], exclude: tuple[str, ...] = (),
            skipped: list | None = None) -> tuple[list[str], list[FileResult]]:
    """Expand files and directories into report files; bad paths become error results.

    Nothing in a folder is ignored silently: a file govlint cannot read is an error result;
    only clearly non-report files and excluded ones are skipped, appended to ``skipped``.
    """
    from govlint.readers import path_error, supported_suffixes, walk
    suffixes = set(supported_suffixes())
    files: list[str] = []
    errors: list[FileResult] = []
    for raw in paths:
        p = Path(raw)
        try:
            is_dir = p.is_dir()
        except (OSError, RuntimeError, ValueError) as exc:   # a name too long, a link loop
            errors.append(FileResult(raw, error=path_error(exc)))
            continue
        if is_dir:
            found, bad, passed = walk(p, lambda fp: _excluded(fp, exclude) or _config_excludes(fp)
                                      or govlint_made(fp))
            errors.extend(FileResult(f, error=msg) for f, msg in bad)
            if skipped is not None:
                skipped.extend(passed)
            if not found:
                errors.append(FileResult(raw, error=f"目录中没有可检查的报告（支持：{'、'.join(sorted(suffixes))}）"))
            files.extend(found)
        else:
            files.append(raw)
    return files, errors


def govlint_made(path: Path) -> bool:
    """govlint's own outputs (review lists, findings) found in a directory are not reports."""
    from govlint.guard import govlint_made as made
    return made(path)


def _config_excludes(path: Path) -> bool:
    """``exclude`` of the configuration found for the file (files named explicitly are always checked)."""
    from govlint import config as cfgmod
    try:
        return cfgmod.for_path(str(path)).excludes(path)
    except (ConfigError, OSError, RuntimeError):
        return False   # reported when the file is linted


def _excluded(path: Path, patterns) -> bool:
    import fnmatch
    s = str(path).replace("\\", "/")
    return any(fnmatch.fnmatch(s, pat) or fnmatch.fnmatch(path.name, pat) or fnmatch.fnmatch(s, f"*/{pat}")
               for pat in patterns)


def lint_file(path: str, overrides: dict | None = None, codes: set[str] | None = None) -> FileResult:
    """Read and lint one file with the config found for it plus command-line overrides."""
    from govlint import config as cfgmod
    from govlint.readers import InputError, read_path
    try:
        cfg = cfgmod.for_path(path).override(**(overrides or {}))
    except ConfigError as exc:
        return FileResult(path, error=str(exc))
    except (OSError, RuntimeError, ValueError) as exc:    # an unreadable folder, a link loop
        from govlint.readers import path_error
        return FileResult(path, error=path_error(exc))
    try:
        doc = read_path(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return lint_document_result(doc, cfg, codes)


def lint_document_result(doc: Document, cfg: Config, codes: set[str] | None = None) -> FileResult:
    extra: dict = {}
    findings = lint(doc, cfg, codes, extra)
    return FileResult(doc.path, findings, None, doc, extra)


def _lint_file_star(args):
    path, overrides, codes = args
    r = lint_file(path, overrides, codes)
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


def _segmenter_wanted(files: list[str], overrides: dict | None, codes) -> bool:
    """Workers are forked and a selected rule that may run declares ``needs=("tokens",)``."""
    import multiprocessing
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return False
    from govlint import config as cfgmod
    try:
        cfg = cfgmod.for_path(files[0]).override(**(overrides or {}))
    except ConfigError:
        return False
    rules = registry.all_rules()
    enabled = codes if codes is not None else cfg.enabled_codes()
    return any("tokens" in rules[c].needs and (cfg.profile == "auto" or not rules[c].profiles
                                               or cfg.profile in rules[c].profiles)
               for c in enabled if c in rules)


def check_files(files: list[str], overrides: dict | None = None, jobs: int = 1,
                progress=None, codes: set[str] | None = None) -> list[FileResult]:
    """Lint report files (in parallel when ``jobs`` > 1); results in input order."""
    results: list[FileResult] = []
    from govlint.readers import prepare
    prepare(files)     # .doc/.wps: one LibreOffice start for the batch, before workers fork
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor
        registry.all_rules()   # import the rule modules once, before forking the workers
        if _segmenter_wanted(files, overrides, codes):
            # loaded once here and inherited by forked workers, instead of once per worker
            # (jieba: 0.6 s CPU each; measured in docs/performance.md)
            from govlint import nlp
            nlp._load()
        from govlint.cache import release_collector
        release_collector()   # frozen before the fork: workers never rescan what they inherit
        with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
            for r in pool.map(_lint_file_star, [(f, overrides, codes) for f in files], chunksize=1):
                results.append(_rebuild(r))
                if progress:
                    progress(r)
    else:
        from govlint.cache import release_collector
        for f in files:
            r = lint_file(f, overrides, codes)
            release_collector()   # after the first file, which loaded the rules and lexicons
            if r.document is not None and len(files) > 1:
                r.document._tokens = None   # kept for a batch, the token lists cost ~80 bytes a character
            results.append(r)
            if progress:
                progress(r)
    return results


def check_paths(paths: list[str], overrides: dict | None = None, jobs: int = 1,
                progress=None, codes: set[str] | None = None) -> list[FileResult]:
    """Lint files and directories; bad paths come first as error results."""
    files, errors = collect(paths, tuple((overrides or {}).get("exclude") or ()))
    return errors + check_files(files, overrides, jobs, progress, codes)
