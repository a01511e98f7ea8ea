"""One parametrised test over every annotated fixture case, plus registry meta-tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_cases import FIXTURES, all_cases, strip_marks
from govlint import registry
from govlint.config import Config
from govlint.document import Document
from govlint.engine import lint

CASES = all_cases()


def _run(text: str, code: str, settings: dict):
    kind = settings.get("kind", "txt")
    doc = Document.from_text(text, path=f"fixture.{kind}", kind=kind)
    options = tuple((k.split(".", 1)[1], _value(v)) for k, v in settings.items() if k.startswith("option."))
    corpus = None
    if "corpus" in registry.get(code).needs:   # rules that compare with a reference corpus
        corpus = str(FIXTURES.parent / "corpus")
    cfg = Config(profile=settings.get("profile", "auto"), options=((code, options),) if options else (),
                 corpus=corpus)
    return lint(doc, cfg, codes={code})


def _value(v: str):
    for cast in (int, float):
        try:
            return cast(v)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(v, v)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture_case(case):
    rule_code = Path(case.file).stem
    assert registry.get(rule_code) is not None, f"fixture for unknown rule {rule_code}"
    found = _run(case.text, rule_code, case.settings)
    if "min_severity" in case.settings:   # e.g. min_severity=warning: an info finding is allowed
        from govlint.finding import Severity
        floor = Severity.parse(case.settings["min_severity"])
        found = [f for f in found if f.severity >= floor]
    got = sorted((f.code, f.start, f.end) for f in found)
    if not case.codes:
        assert got == [], f"{case.file}:{case.line}: expected no finding, got {got}: " + \
            "; ".join(f.message for f in found)
    else:
        want = sorted((rule_code, a, b) for a, b in case.spans)
        assert got == want, f"{case.file}:{case.line}: want {want}, got {got}: " + \
            "; ".join(f"{f.start}-{f.end} {f.message}" for f in found)


def test_every_rule_has_fixture_with_positive_and_ok_cases():
    for code in registry.all_rules():
        path = FIXTURES / f"{code}.txt"
        assert path.exists(), f"{code} has no fixture file {path}"
        cases = [c for c in CASES if Path(c.file).stem == code]
        assert any(c.codes for c in cases), f"{code}: no positive case"
        assert any(not c.codes for c in cases), f"{code}: no ok case"


def test_rule_codes_and_docs_are_well_formed():
    rules = registry.all_rules()
    assert rules, "no rules registered"
    names = set()
    for code, spec in rules.items():
        assert registry.CODE_RE.match(code)
        assert spec.name not in names, f"duplicate rule name {spec.name}"
        names.add(spec.name)
        assert spec.summary_en, f"{code} has no summary line"
        assert spec.why, f"{code} docstring has no 'Why:' paragraph"
        assert spec.bad and spec.good, f"{code} needs bad and good examples"


@pytest.mark.parametrize("code", sorted(registry.all_rules()))
def test_docstring_examples(code):
    """The examples in each rule's registration behave as documented."""
    spec = registry.get(code)
    for bad in spec.bad:
        text, spans = strip_marks(bad)
        got = sorted((f.start, f.end) for f in _run(text, code, {}))
        assert got == sorted(spans), f"{code} bad example {bad!r}: got {got}"
    for good in spec.good:
        assert _run(good, code, {}) == [], f"{code} good example flagged: {good!r}"


def test_generated_rule_docs_are_current():
    """docs/rules.md is generated from the registry: python -m govlint.docs > docs/rules.md"""
    from govlint.docs import rules_markdown
    path = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(), "regenerate docs/rules.md"


def test_readme_lists_every_rule():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in registry.all_rules():
        assert f"| {code} |" in readme, f"{code} missing from the README's rule table"
