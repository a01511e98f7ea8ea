"""A clean report passes: every clean development sample in corpora/ is silent at warning and error level.

A sample is clean when its sidecar (``<stem>.expected.toml``) lists no ``[[finding]]``, or
its name ends in ``_clean`` (its sidecar may then list infos a reviewer would accept).
Under the pre-commit hook (``--fail-on warning``) a warning blocks the commit, so a false
warning on a well-written report is a defect in the rule, not in the report. Infos are
allowed (they never fail a check). The held-out set (corpora/holdout/) is left out: it
measures the rules and is not used to develop them.
"""

from pathlib import Path

import pytest

from govlint.commands.evaluate import find_samples, read_expectations
from govlint.runner import lint_file
from govlint.finding import Severity

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def clean_samples() -> list[Path]:
    return [sample for sample, sidecar in find_samples(CORPORA)
            if sample.stem.endswith("_clean") or not read_expectations(sidecar, sample.name)]


def test_there_are_enough_clean_samples():
    names = [p.name for p in clean_samples()]
    assert len(names) >= 15, names     # 3 prose + 2 table samples before issue #13, 11 written for it


@pytest.mark.parametrize("sample", clean_samples(), ids=lambda p: p.name)
def test_clean_sample_has_no_warning_or_error(sample):
    result = lint_file(str(sample))
    assert result.error is None, result.error
    loud = [f for f in result.findings if f.severity >= Severity.WARNING]
    text = result.document.text if result.document is not None else ""
    assert not loud, "\n".join(f"{sample.name}:{text.count(chr(10), 0, f.start) + 1} {f.code} "
                               f"{f.severity.name} {f.message}" for f in loud)
