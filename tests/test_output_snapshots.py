"""Output formats against saved expected files. Refresh: GOVLINT_UPDATE_SNAPSHOTS=1 pytest ..."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import REPORT, run_cli

SNAP = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("GOVLINT_UPDATE_SNAPSHOTS") == "1"


def check_snapshot(name: str, actual: str):
    path = SNAP / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"snapshot {name} missing")
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; refresh with GOVLINT_UPDATE_SNAPSHOTS=1"


@pytest.fixture
def report_dir(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt,ext", [("text", "txt"), ("json", "json"), ("github", "txt")])
def test_format_snapshot(report_dir, fmt, ext):
    p = run_cli("check", "report.txt", "--format", fmt, "--select", "STRUCT,STYLE", "--no-color",
                cwd=report_dir)
    assert p.returncode == 1, p.stderr_text
    check_snapshot(f"report.{fmt}.{ext}", p.stdout_text)


def test_sarif_results_snapshot(report_dir):
    p = run_cli("check", "report.txt", "--format", "sarif", "--select", "STRUCT,STYLE", cwd=report_dir)
    run = json.loads(p.stdout_text)["runs"][0]
    codes = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:   # the index moves as rules are added; it must point at the rule
        assert codes[res.pop("ruleIndex")] == res["ruleId"]
    check_snapshot("report.sarif.results.json", json.dumps(run["results"], ensure_ascii=False, indent=2) + "\n")


def test_text_colour_only_when_asked(report_dir):
    plain = run_cli("check", "report.txt", "--select", "STRUCT001", cwd=report_dir).stdout_text
    coloured = run_cli("check", "report.txt", "--select", "STRUCT001", "--color", cwd=report_dir).stdout_text
    assert "\x1b[" not in plain and "\x1b[" in coloured
