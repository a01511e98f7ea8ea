"""lint(document, config) → findings: rule selection, suppression, positions, ordering.

Checking never prints and never reads files: ``govlint.runner`` reads and batches them,
``govlint.suppression`` reads the inline ``<!-- govlint: ... -->`` comments.
"""

from __future__ import annotations

import hashlib
import re

from govlint import lexicon, quantities, registry
from govlint.config import Config
from govlint.document import Document
from govlint.finding import Finding, Related, Severity
from govlint.suppression import matches, suppressions

SELF_EVAL_TITLE = re.compile(r"绩效自评|自评报告|绩效评价报告|评价报告|绩效报告")


class Context:
    """What a rule sees: the document, its options, the lexicons, and ``flag`` to report."""

    def __init__(self, doc: Document, spec: registry.RuleSpec, config: Config, profile: str,
                 shared: dict):
        self.doc = doc
        self.spec = spec
        self.config = config
        self.profile = profile
        self.shared = shared          # per-document cache shared by all rules
        opts = {name: o.default for name, o in spec.options.items()}
        opts.update(config.options_for(spec.code))
        self.options = opts

    @property
    def lex(self):
        return lexicon.load(self.config.lexicons)

    def flag(self, start: int, end: int, message: str, suggestion: str | None = None,
             related=(), severity: Severity | None = None, data: dict | None = None) -> Finding:
        return Finding(self.spec.code, severity or self.spec.severity, start, end,
                       message, suggestion, tuple(related), self.doc.path, data=data or {})

    def related(self, start: int, end: int, note: str | None = None) -> Related:
        return Related(start, end, None, note)


def detect_profile(doc: Document) -> str:
    title = doc.title_text or "".join(p.text for p in doc.paragraphs[:3])
    return "self-eval" if SELF_EVAL_TITLE.search(title) else "generic"


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
    lexicon.activate(config.lexicons)          # for code without a context (the table parser)
    quantities.use_lexicons(config.lexicons)   # the user's unit extensions count in find_quantities
    found: list[Finding] = []
    for code in sorted(enabled):
        spec = rules[code]
        if ignored and matches(code, ignored):
            continue
        if spec.profiles and profile not in spec.profiles:
            continue
        ctx = Context(doc, spec, config, profile, shared)
        found.extend(spec.func(doc, ctx) or ())
        for func in spec.extra_checks:
            found.extend(func(doc, ctx) or ())
    file_codes, ranges = suppressions(doc)
    out = []
    seen: dict = {}
    emitted: set = set()
    for f in sorted(found, key=Finding.sort_key):
        key = (f.code, f.start, f.end, f.message)
        if key in emitted:        # two checkers of one rule may find the same thing
            continue
        emitted.add(key)
        if file_codes is None or (file_codes and matches(f.code, file_codes)):
            continue
        line = doc.line_col(f.start)[0]
        if any(a <= line <= b and matches(f.code, codes_) for a, b, codes_ in ranges):
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
