"""The typer-free `govlint check` fast path behaves exactly like the typer command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from govlint import cli
from helpers import REPORT, run_cli

CASES = [
    [],
    ["--select", "STRUCT,STYLE"],
    ["--select", "STYLE001", "--select", "STRUCT001"],
    ["-f", "json"],
    ["--format=sarif"],
    ["--fail-on", "error"],
    ["--fail-on=never", "--no-source", "--no-color"],
    ["--profile", "self-eval", "--ignore", "STYLE"],
    ["-j", "1", "--extend-select", "STRUCT"],
]


@pytest.mark.parametrize("extra", CASES)
def test_fast_path_output_and_exit_code_match_typer(tmp_path, extra):
    p = tmp_path / "report.txt"
    p.write_text(REPORT, encoding="utf-8")
    args = ["check", "--no-progress", *extra, str(p)]
    fast = run_cli(*args)                        # main(): the fast path
    slow = CliRunner().invoke(cli.app, args)     # typer itself
    assert fast.returncode == slow.exit_code, (fast.stderr_text, slow.output)
    assert fast.stdout_text == slow.stdout


@pytest.mark.parametrize("args", [["check", "--bogus", "x.txt"], ["check", "--format", "xml", "x.txt"],
                                  ["check", "--help"], ["check"]])
def test_anything_unusual_falls_back_to_typer(args):
    p = run_cli(*args)
    slow = CliRunner().invoke(cli.app, args)
    assert p.returncode == slow.exit_code


def test_fast_path_imports_neither_typer_nor_click(tmp_path):
    p = tmp_path / "report.txt"
    p.write_text(REPORT, encoding="utf-8")
    code = ("import sys, json\nsys.argv=['govlint','check','--select','STYLE001','--no-progress',%r]\n"
            "from govlint.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'pydantic'))))"
            % str(p))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


def test_typer_check_is_built_from_the_option_table():
    """One definition: every option of the table is a parameter of the typer command, same flags."""
    from govlint.commands.check import CHECK_OPTIONS
    cmd = typer.main.get_command(cli.app).commands["check"]
    params = {p.name: p for p in cmd.params}
    assert set(params) == {"paths", *(o.name for o in CHECK_OPTIONS)}
    for o in CHECK_OPTIONS:
        flags = set(params[o.name].opts) | set(params[o.name].secondary_opts)
        assert flags == set(d for decl in o.decls for d in decl.split("/")), o.name
        assert params[o.name].help == o.help
