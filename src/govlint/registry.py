"""The rule registry: RuleSpec, the ``@rule`` decorator and the explicit list of rule modules.

Registration is explicit: ``RULE_MODULES`` names every module that defines rules, and
``all_rules()`` imports exactly those. A rule is a function ``check(target, ctx)`` that
yields findings made with ``ctx.flag``; its docstring is its developer documentation (first
line: what it does; a paragraph starting "Why:" says why it matters) and ``name`` its stable
English id (slug).

What users read about a rule is Chinese: its title and documentation come from
``rule_docs_zh.toml`` (one entry per code), loaded on first use by ``RuleSpec.title_zh`` /
``summary`` / ``doc_zh`` / ``why_zh`` — never on the check path, which reads none of them.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Callable

from govlint._record import Record, Tuple
from govlint.finding import Severity

RULE_MODULES = [
    "govlint.rules.structure",
    "govlint.rules.style",
    "govlint.rules.colloquial",
    "govlint.rules.duplication",
    "govlint.rules.indicators",
    "govlint.rules.funds",
    "govlint.rules.purpose",
    "govlint.rules.numbers",
    "govlint.rules.reconcile",
    "govlint.rules.restated",
    "govlint.rules.amounts",
    "govlint.rules.targets",
    "govlint.rules.scoring",
    "govlint.rules.reasons",
    "govlint.rules.table",
    "govlint.rules.table_links",
    "govlint.rules.corpus_copy",
    "govlint.rules.suppression_comments",
    "govlint.rules.hygiene",
    "govlint.rules.hygiene_marks",
    "govlint.rules.cover",
    "govlint.rules.claims",
    "govlint.rules.consistency",
    "govlint.rules.boilerplate",
]

CODE_RE = re.compile(r"^[A-Z]{3,6}\d{3}$")

FAMILY_NAMES = {
    "STRUCT": "结构",
    "STYLE": "格式与文风",
    "DUP": "雷同与抄袭",
    "IND": "绩效指标",
    "FUND": "资金",
    "NUM": "数字一致性",
    "SCORE": "自评得分",
    "GOV": "检查设置",
}


class Option(Tuple):
    """A rule option: default, type, help text and allowed range."""

    default: Any
    type: type | tuple
    help: str
    min: float | None = None
    max: float | None = None


class RuleSpec(Record):
    """A registered rule: code, name, checkers, documentation and examples."""

    __slots__ = ("code", "name", "severity", "scope", "func", "summary_en", "_doc_source", "_doc", "bad", "good",
                 "options", "needs", "profiles", "enabled_by_default", "extra_checks")
    _repr_fields = ("code", "name", "severity", "scope")

    def __init__(self, code: str, name: str, severity: Severity, scope: str, func: Callable, summary: str,
                 doc: str, bad: list[str] | None = None, good: list[str] | None = None,
                 options: dict[str, Option] | None = None, needs: tuple[str, ...] = (),
                 profiles: tuple[str, ...] = (), enabled_by_default: bool = True,
                 extra_checks: list | None = None):
        self.code = code
        self.name = name
        self.severity = severity
        self.scope = scope                  # always "document": a checker gets the whole Document
        self.func = func
        self.summary_en = summary           # the docstring's first line (developer documentation)
        self._doc_source = doc      # the docstring as written; ``doc`` is it cleaned, on first use
        self._doc: str | None = None
        self.bad: list[str] = [] if bad is None else bad
        self.good: list[str] = [] if good is None else good
        self.options: dict[str, Option] = {} if options is None else options
        self.needs = needs                  # "tokens", "corpus", ...
        self.profiles = profiles            # empty: every profile
        self.enabled_by_default = enabled_by_default
        self.extra_checks: list = [] if extra_checks is None else extra_checks   # checkers from @also

    @property
    def doc(self) -> str:
        """The rule's documentation (its checker's docstring, indentation removed)."""
        if self._doc is None:
            import inspect   # ~4 ms to import; a check never reads the documentation
            self._doc = inspect.cleandoc(self._doc_source)
        return self._doc

    @property
    def _zh(self) -> dict:
        return zh_docs().get(self.code, {})

    @property
    def title_zh(self) -> str:
        """The rule's Chinese title (rule_docs_zh.toml); the English slug when it has none."""
        return self._zh.get("title", self.name)

    @property
    def doc_zh(self) -> str:
        """The rule's Chinese documentation: first line what it detects, then the details."""
        return (self._zh.get("doc") or "").strip() or self.doc

    @property
    def why_zh(self) -> str:
        """Why the rule matters, in Chinese."""
        return " ".join((self._zh.get("why") or "").split()) or self.why

    @property
    def summary(self) -> str:
        """What the rule detects in one Chinese sentence (first line of ``doc_zh``) — what a user reads.

        Every reader of ``summary`` shows it to users (rules, SARIF, statistics); the English
        first line of the docstring is ``summary_en``.
        """
        return self.doc_zh.splitlines()[0].strip() if self._zh.get("doc") else self.summary_en

    def option_help(self, name: str) -> str:
        """An option's help for users: the Chinese text from rule_docs_zh.toml, else the rule's own."""
        return self._zh.get("options", {}).get(name) or self.options[name].help

    @property
    def family(self) -> str:
        return "".join(ch for ch in self.code if ch.isalpha())

    @property
    def why(self) -> str:
        m = re.search(r"Why:\s*(.+?)(?:\n\s*\n|\Z)", self.doc, re.S)
        return " ".join(m.group(1).split()) if m else ""


_REGISTRY: dict[str, RuleSpec] = {}
_loaded = False
_ZH_DOCS: dict | None = None
ZH_DOCS_FILE = "rule_docs_zh.toml"


def zh_docs() -> dict:
    """The Chinese rule documentation by code (``rule_docs_zh.toml``), read once on first use."""
    global _ZH_DOCS
    if _ZH_DOCS is None:
        import os
        import tomllib
        with open(os.path.join(os.path.dirname(__file__), ZH_DOCS_FILE), "rb") as fh:
            _ZH_DOCS = tomllib.load(fh)
    return _ZH_DOCS


def rule(*, code: str, name: str, severity: Severity = Severity.WARNING, scope: str = "document",
         bad=(), good=(), options: dict[str, Option] | None = None, needs=(), profiles=(),
         enabled_by_default: bool = True):
    """Register a rule. ``bad``/``good`` are examples; ``⟦ ⟧`` in bad marks the span."""
    if not CODE_RE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if scope != "document":
        raise ValueError(f"bad scope {scope!r}: a rule checks the whole Document (the paragraph scope was removed)")

    def deco(func):
        doc = func.__doc__ or ""
        if code in _REGISTRY and _REGISTRY[code].func is not func:
            raise ValueError(f"rule code {code} registered twice")
        summary = doc.strip().splitlines()[0].strip() if doc.strip() else ""
        _REGISTRY[code] = RuleSpec(code, name, severity, scope, func, summary, doc, list(bad), list(good),
                                   dict(options or {}), tuple(needs), tuple(profiles), enabled_by_default)
        return func

    return deco


def also(code: str, scope: str = "document"):
    """Attach another check function to an already registered rule code.

    Used when a second module checks the same problem in another form (the indicator
    table checks IND001 on rows, the narrative rule on sentences): one code, one
    documentation, several checkers. The rule's module must be imported first.
    """

    if scope != "document":
        raise ValueError(f"bad scope {scope!r}: a checker gets the whole Document")

    def deco(func):
        spec = _REGISTRY.get(code)
        if spec is None:
            raise ValueError(f"@also({code!r}): rule not registered yet (import its module first)")
        if all(f is not func for f in spec.extra_checks):
            spec.extra_checks.append(func)
        return func

    return deco


_sorted: dict[str, RuleSpec] | None = None


def all_rules() -> dict[str, RuleSpec]:
    """Every registered rule by code, in code order (imports the rule modules once)."""
    global _loaded, _sorted
    if not _loaded:
        for mod in RULE_MODULES:
            importlib.import_module(mod)
        _loaded = True
    if _sorted is None or len(_sorted) != len(_REGISTRY):
        _sorted = dict(sorted(_REGISTRY.items()))
    return _sorted


def get(code: str) -> RuleSpec | None:
    return all_rules().get(code.upper())


class UnknownCode(ValueError):
    """A rule code or prefix that no registered rule has; ``given`` as written, ``code`` upper-cased."""

    def __init__(self, given: str, code: str):
        super().__init__(code)
        self.given = given
        self.code = code


def parse_codes(values) -> tuple[str, ...]:
    """Rule codes or prefixes from a string or a list of strings, each possibly comma-separated.

    Upper-cased, empties dropped, ``ALL`` allowed; the one validation of code lists (command
    line, configuration, spaCy component). Raises UnknownCode.
    """
    if isinstance(values, str):
        values = [values]
    known = list(all_rules())
    out = []
    for value in values:
        for given in str(value).split(","):
            given = given.strip()
            code = given.upper()
            if not code:
                continue
            if code != "ALL" and not any(k.startswith(code) for k in known):
                raise UnknownCode(given, code)
            out.append(code)
    return tuple(out)


def select_codes(select: list[str] | None, ignore: list[str] | None, codes: list[str]) -> set[str]:
    """Resolve select/ignore by code or prefix; the longest matching prefix wins."""

    def best(code, prefixes):
        hits = [p for p in prefixes if code.startswith(p)]
        return max((len(p) for p in hits), default=-1)

    sel = [s.upper() for s in (select if select is not None else ["ALL"])]
    ign = [s.upper() for s in (ignore or [])]
    out = set()
    for code in codes:
        s = max(best(code, [p for p in sel if p != "ALL"]), 0 if "ALL" in sel else -1)
        i = max(best(code, [p for p in ign if p != "ALL"]), 0 if "ALL" in ign else -1)
        if s >= 0 and s > i:
            out.add(code)
    return out
