"""The seed report: govlint reports what ../shared/seed/NOTES.md lists, and nothing at
warning or error level outside it. Skips when ../shared/ is absent."""

from __future__ import annotations

import re

from govlint.config import Config
from govlint.runner import lint_file


def _expected(notes: str):
    """(code, lines, is_range) rows of the NOTES table."""
    rows = []
    for line in notes.splitlines():
        m = re.match(r"\|\s*([\d,\s–-]+?)\s*\|\s*([A-Z0-9,\s]+?)\s*\|", line)
        if not m:
            continue
        spec, codes = m.group(1), [c.strip() for c in m.group(2).split(",")]
        if "–" in spec or "-" in spec:
            a, b = (int(x) for x in re.split(r"[–-]", spec))
            lines, is_range = list(range(a, b + 1)), True
        else:
            lines, is_range = [int(x) for x in spec.split(",")], False
        for code in codes:
            rows.append((code, lines, is_range))
    return rows


def test_seed_findings_match_the_reviewer_notes(shared_dir):
    seed = shared_dir / "seed" / "000_002ee13511a64473.txt"
    rows = _expected((shared_dir / "seed" / "NOTES.md").read_text(encoding="utf-8"))
    assert len(rows) >= 15
    result = lint_file(str(seed))
    assert result.error is None
    found = {(f.code, f.position.line) for f in result.findings}
    for code, lines, is_range in rows:
        if is_range:
            assert any((code, n) in found for n in lines), f"{code} expected on lines {lines}"
        else:
            for n in lines:
                assert (code, n) in found, f"{code} expected on line {n}"
    allowed = {(code, n) for code, lines, _ in rows for n in lines}
    extra = [(f.code, f.position.line, f.message) for f in result.findings
             if f.severity.label != "info" and (f.code, f.position.line) not in allowed]
    assert extra == [], f"findings a reviewer did not list: {extra}"
