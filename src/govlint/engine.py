"""lint(document, config) → findings: rule selection, suppression, positions, ordering.

Checking never prints and never reads files: ``govlint.runner`` reads and batches them,
``govlint.suppression`` reads the inline ``<!-- govlint: ... -->`` comments.
"""

from __future__ import annotations

import hashlib
import re

from govlint import lexicon, quantities, registry
from govlint._record import Record
from govlint.config import Config
from govlint.document import Document
from govlint.finding import Edit, Finding, Fix, Related, Severity
from govlint.suppression import directives, matches, suppressions

SELF_EVAL_TITLE = re.compile(r"绩效自评|自评报告|绩效评价报告|评价报告|绩效报告")


class Shared(Record):
    """What the rules learn about one document and share (one per ``lint`` call).

    Named slots, each None until the first rule that needs it fills it: ``extra`` (summary
    data that ends up in ``FileResult.extra`` and the JSON summary), ``eval_tables``
    (``evaltable.tables``), ``figures`` (``figures.model``), ``section_kinds`` ({id(section):
    kind}, the IND rules and DUP003), ``token_edges`` (IND002, by paragraph), ``target_pairs``
    (IND004/IND005), ``book_titles`` (《》 spans, the hygiene rules). A rule's own
    per-document values go through :meth:`memo` under a key naming the rule.
    """

    __slots__ = ("extra", "eval_tables", "figures", "section_kinds", "token_edges", "target_pairs",
                 "book_titles", "_memo")
    _repr_fields = ("extra",)

    def __init__(self, extra: dict | None = None):
        self.extra = extra if extra is not None else {}
        self.eval_tables = None
        self.figures = None
        self.section_kinds = None
        self.token_edges = None
        self.target_pairs = None
        self.book_titles = None
        self._memo: dict = {}

    def memo(self, key, make):
        """The value a rule keeps for this document under ``key``, made by ``make()`` once."""
        memo = self._memo
        if key in memo:
            return memo[key]
        value = memo[key] = make()
        return value

    # Dict-style access (``shared["_figures"]``, ``shared.get(...)``) for code written against
    # the string-keyed dict of earlier versions: the old keys of the named slots map to them,
    # any other key is a memo entry.
    _OLD_KEYS = {"extra": "extra", "_eval_tables": "eval_tables", "_figures": "figures",
                 "ind.kinds": "section_kinds", "ind.token_edges": "token_edges",
                 "_target_pairs": "target_pairs", "hygiene.titles": "book_titles"}

    def __contains__(self, key) -> bool:
        slot = self._OLD_KEYS.get(key)
        return getattr(self, slot) is not None if slot else key in self._memo

    def get(self, key, default=None):
        slot = self._OLD_KEYS.get(key)
        value = getattr(self, slot) if slot else self._memo.get(key)
        return default if value is None else value

    def __getitem__(self, key):
        if key not in self:
            raise KeyError(key)
        return self.get(key)

    def __setitem__(self, key, value) -> None:
        slot = self._OLD_KEYS.get(key)
        if slot:
            setattr(self, slot, value)
        else:
            self._memo[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]


class Context:
    """What a rule sees: the document, its options, the lexicons, and ``flag`` to report."""

    def __init__(self, doc: Document, spec: registry.RuleSpec, config: Config, profile: str,
                 shared: Shared | dict):
        self.doc = doc
        self.spec = spec
        self.config = config
        self.profile = profile
        if not isinstance(shared, Shared):     # a dict, as callers of earlier versions passed
            shared = Shared(shared.get("extra"))
        self.shared = shared          # what the rules learn about this document
        opts = {name: o.default for name, o in spec.options.items()}
        opts.update(config.options_for(spec.code))
        self.options = opts

    @property
    def lex(self):
        return lexicon.load(self.config.lexicons)

    def flag(self, start: int, end: int, message: str, suggestion: str | None = None,
             related=(), severity: Severity | None = None, data: dict | None = None,
             fix: Fix | str | None = None) -> Finding:
        """A finding at [start, end). ``fix``: a Fix made with :meth:`fix`, or ``"safe"`` /
        ``"unsafe"`` when the suggestion is the exact replacement of the flagged span."""
        if isinstance(fix, str):
            fix = self.fix([(start, end, suggestion or "")], fix)
        return Finding(self.spec.code, severity or self.spec.severity, start, end,
                       message, suggestion, tuple(related), self.doc.path, fix=fix, data=data or {})

    def fix(self, edits, safety: str = "safe") -> Fix:
        """A Fix from (start, end, replacement) triples, offsets into Document.text."""
        return Fix(tuple(Edit(a, e, t) for a, e, t in sorted(edits)), safety)

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
    return hashlib.sha1(f"{key}\x1f{n}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


# Excerpts longer than this are cut around the finding: a run-on paragraph of a million characters,
# copied whole into each of its findings, made output and memory quadratic (100,000 characters:
# 597 findings, 170 MB of JSON). The longest paragraph of ../shared/corpus has 2,762 characters.
MAX_EXCERPT = 4000


def excerpt(doc: Document, start: int, end: int) -> str:
    p = doc.paragraph_at(start)
    if p is None:
        return clip(doc.text, start, end)
    if p.end - p.start <= MAX_EXCERPT:
        return p.text
    a = max(p.start, start - MAX_EXCERPT // 4)
    return doc.text[a:min(p.end, a + MAX_EXCERPT)]


def clip(text: str, start: int, end: int) -> str:
    """``text[start:end]``, at most MAX_EXCERPT characters."""
    return text[start:min(end, start + MAX_EXCERPT)]


def lint(doc: Document, config: Config | None = None, codes: set[str] | None = None,
         extra: dict | None = None) -> list[Finding]:
    """Run the selected rules on one document; findings sorted and positioned."""
    config = config or Config()
    rules = registry.all_rules()
    enabled = codes if codes is not None else config.enabled_codes()
    ignored = config.ignored_for_path(doc.path)
    profile = config.profile if config.profile != "auto" else detect_profile(doc)
    shared = Shared(extra)
    lexicon.activate(config.lexicons)          # for code without a context (the table parser)
    quantities.use_lexicons(config.lexicons)   # the user's unit extensions count in find_quantities
    found: list[Finding] = []
    ran: set[str] = set()
    for code in sorted(enabled):
        spec = rules[code]
        if ignored and matches(code, ignored):
            continue
        if spec.profiles and profile not in spec.profiles:
            continue
        ctx = Context(doc, spec, config, profile, shared)
        if "corpus" not in spec.needs or config.corpus:   # DUP002 without a corpus proves nothing
            ran.add(code)
        found.extend(spec.func(doc, ctx) or ())
        for func in spec.extra_checks:
            found.extend(func(doc, ctx) or ())
    file_codes, ranges = suppressions(doc)
    file_directives = [d for d in directives(doc) if d.kind == "disable-file"] if doc.comment_lines else []
    used: set[int] = set()       # lines of the suppression comments that hid a finding
    out = []
    seen: dict = {}
    emitted: set = set()
    for f in sorted(found, key=Finding.sort_key):
        key = (f.code, f.start, f.end, f.message)
        if key in emitted:        # two checkers of one rule may find the same thing
            continue
        emitted.add(key)
        if file_codes is None or (file_codes and matches(f.code, file_codes)):
            used.update(d.line for d in file_directives if d.codes is None or matches(f.code, d.codes))
            continue
        line = doc.line_col(f.start)[0]
        hit = next((r for r in ranges if r[0] <= line <= r[1] and matches(f.code, r[2])), None)
        if hit is not None:
            used.add(hit[3])
            continue
        sev = config.severity_for(f.code) or f.severity
        related = tuple(r if r.path is not None else
                        Related(r.start, r.end, doc.path, r.note, doc.position(r.start, r.end),
                                clip(doc.text, r.start, r.end))
                        for r in f.related)
        f = f.with_(severity=sev, path=doc.path, position=doc.position(f.start, f.end),
                    excerpt=excerpt(doc, f.start, f.end), related=related)
        out.append(f.with_(fingerprint=fingerprint(doc, f, seen)))
    if UNUSED_SUPPRESSION in enabled and not (ignored and matches(UNUSED_SUPPRESSION, ignored)) \
            and doc.comment_lines and file_codes is not None:
        for f in unused_suppressions(doc, used, ran, rules):
            f = f.with_(severity=config.severity_for(f.code) or f.severity, path=doc.path,
                        position=doc.position(f.start, f.end), excerpt=excerpt(doc, f.start, f.end))
            out.append(f.with_(fingerprint=fingerprint(doc, f, seen)))
        out.sort(key=Finding.sort_key)
    return out


UNUSED_SUPPRESSION = "GOV100"


def unused_suppressions(doc: Document, used: set, ran: set, rules) -> list[Finding]:
    """GOV100 (info): a suppression comment naming codes that all ran here and hid nothing.

    Only comments with explicit codes are judged, and only when every rule those codes name
    ran on this document (a rule not selected, or out of its profile, proves nothing).
    """
    out = []
    for d in directives(doc):
        if d.kind == "enable" or d.codes is None or "ALL" in d.codes or d.line in used:
            continue
        named = [c for c in d.codes if not c.startswith("!")]
        covered = [{k for k in rules if k.startswith(c)} for c in named]
        if not named or any(not ks or not ks <= ran for ks in covered):
            continue
        a, b = d.start, d.end
        ls = doc.line_starts[d.line - 1]
        le = doc.line_starts[d.line] if d.line < len(doc.line_starts) else len(doc.text)
        if not (doc.text[ls:a] + doc.text[b:le]).strip():
            a, b = ls, le                       # the comment is the whole line: the line goes
        out.append(Finding(UNUSED_SUPPRESSION, Severity.INFO, d.start, d.end,
                           f"这条抑制注释没有隐藏任何问题（{'、'.join(sorted(named))} 在此处未报告问题）",
                           "删除这条注释；如果原来要隐藏的问题已经改正，它就不再需要了", fix=Fix((Edit(a, b, ""),), "safe")))
    return out
