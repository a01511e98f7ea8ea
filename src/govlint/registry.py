"""The rule registry: RuleSpec, the ``@rule`` decorator and the explicit list of rule modules.

Registration is explicit: ``RULE_MODULES`` names every module that defines rules, and
``all_rules()`` imports exactly those. A rule is a function ``check(target, ctx)`` that
yields findings made with ``ctx.flag``; its docstring is its documentation (first line:
what it does; a paragraph starting "Why:" says why it matters).
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Callable, NamedTuple

from govlint._record import Record
from govlint.finding import Severity

RULE_MODULES = [
    "govlint.rules.structure",
    "govlint.rules.style",
    "govlint.rules.colloquial",
    "govlint.rules.duplication",
    "govlint.rules.indicators",
    "govlint.rules.funds",
    "govlint.rules.numbers",
    "govlint.rules.reconcile",
    "govlint.rules.restated",
    "govlint.rules.amounts",
    "govlint.rules.targets",
    "govlint.rules.scoring",
    "govlint.rules.reasons",
    "govlint.rules.table",
    "govlint.rules.corpus_copy",
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
}


class Option(NamedTuple):
    """A rule option: default, type, help text and allowed range."""

    default: Any
    type: type | tuple
    help: str
    min: float | None = None
    max: float | None = None


class RuleSpec(Record):
    """A registered rule: code, name, checkers, documentation and examples."""

    __slots__ = ("code", "name", "severity", "scope", "func", "summary", "_doc_source", "_doc", "bad", "good",
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
        self.scope = scope                  # "document" or "paragraph"
        self.func = func
        self.summary = summary
        self._doc_source = doc      # the docstring as written; ``doc`` is it cleaned, on first use
        self._doc: str | None = None
        self.bad: list[str] = [] if bad is None else bad
        self.good: list[str] = [] if good is None else good
        self.options: dict[str, Option] = {} if options is None else options
        self.needs = needs                  # "tokens", "corpus", ...
        self.profiles = profiles            # empty: every profile
        self.enabled_by_default = enabled_by_default
        self.extra_checks: list = [] if extra_checks is None else extra_checks   # (scope, func) from @also

    @property
    def doc(self) -> str:
        """The rule's documentation (its checker's docstring, indentation removed)."""
        if self._doc is None:
            import inspect   # ~4 ms to import; a check never reads the documentation
            self._doc = inspect.cleandoc(self._doc_source)
        return self._doc

    @property
    def family(self) -> str:
        return "".join(ch for ch in self.code if ch.isalpha())

    @property
    def why(self) -> str:
        m = re.search(r"Why:\s*(.+?)(?:\n\s*\n|\Z)", self.doc, re.S)
        return " ".join(m.group(1).split()) if m else ""


_REGISTRY: dict[str, RuleSpec] = {}
_loaded = False


def rule(*, code: str, name: str, severity: Severity = Severity.WARNING, scope: str = "document",
         bad=(), good=(), options: dict[str, Option] | None = None, needs=(), profiles=(),
         enabled_by_default: bool = True):
    """Register a rule. ``bad``/``good`` are examples; ``⟦ ⟧`` in bad marks the span."""
    if not CODE_RE.match(code):
        raise ValueError(f"bad rule code {code!r}")
    if scope not in ("document", "paragraph"):
        raise ValueError(f"bad scope {scope!r}")

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

    def deco(func):
        spec = _REGISTRY.get(code)
        if spec is None:
            raise ValueError(f"@also({code!r}): rule not registered yet (import its module first)")
        if all(f is not func for _, f in spec.extra_checks):
            spec.extra_checks.append((scope, func))
        return func

    return deco


_sorted: dict[str, RuleSpec] | None = None


def all_rules() -> dict[str, RuleSpec]:
    """Every registered rule by code, in code order (imports the rule modules once)."""
    global _loaded, _sorted
    if not _loaded:
        for mod in RULE_MODULES:
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:
                if exc.name != mod:
                    raise
        _loaded = True
    if _sorted is None or len(_sorted) != len(_REGISTRY):
        _sorted = dict(sorted(_REGISTRY.items()))
    return _sorted


def get(code: str) -> RuleSpec | None:
    return all_rules().get(code.upper())


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
