"""Consoles that are not UTF-8, ambiguous-width characters, and excerpts cut to the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from govlint.console import cells
from govlint.document import Document
from govlint.engine import lint
from govlint.config import Config
from govlint.output import text as textfmt
from govlint.runner import FileResult
from helpers import REPORT, run_cli


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "cp936", "big5"])
def test_explain_and_check_on_a_legacy_console(tmp_path, encoding):
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    env = {"PYTHONIOENCODING": encoding}
    for args in (("explain", "STYLE001"), ("rules",), ("check", "r.txt", "--no-color")):
        p = run_cli(*args, cwd=tmp_path, env=env)
        assert p.returncode in (0, 1), p.stderr.decode(encoding, "replace")
        out = p.stdout.decode(encoding)            # valid in the console's own encoding
        assert "内部错误" not in p.stderr.decode(encoding, "replace")
        assert "STYLE001" in out
        if encoding != "big5" and args[0] == "check":
            assert "半角" in out and "共检查 1 个文件" in out
    if encoding == "gbk":
        p = run_cli("explain", "STYLE001", env=env)
        assert "【" in p.stdout.decode("gbk")      # ⟦ ⟧ in the examples shown as 【 】


def test_ambiguous_width_counts_two_cells_on_a_chinese_console():
    assert cells("“资金”") == 6 and cells("“资金”", wide_ambiguous=True) == 8
    doc = Document.from_text("项目“一次调度会”已经召开,执行率100%。\n", "r.txt")
    result = FileResult("r.txt", lint(doc, Config(select=("STYLE001",))), None, doc, {})
    for wide in (False, True):
        out = textfmt.render([result], wide_ambiguous=wide)
        line, carets = out.splitlines()[1:3]
        text_line = line.split("| ", 1)[1]
        caret_at = cells(carets.split("| ", 1)[1].split("^")[0], wide)
        assert cells(text_line[:text_line.index(",")], wide) == caret_at


def test_excerpt_fits_the_terminal_width():
    long = "项目建设内容包括" + "道路硬化、路灯安装、绿化提升、" * 12 + "资金已拨付,执行率100%" + "。其余工作" * 20 + "\n"
    doc = Document.from_text(long, "r.txt")
    result = FileResult("r.txt", lint(doc, Config(select=("STYLE001",))), None, doc, {})
    for width in (60, 80, 120):
        out = textfmt.render([result], width=width)
        excerpt, carets = out.splitlines()[1:3]
        assert cells(excerpt) <= width and cells(carets) <= width
        assert excerpt.split("| ", 1)[1][cells(carets.split("| ", 1)[1].split("^")[0]) // 2:].startswith(",") or \
            "," in excerpt
    wide = textfmt.render([result], width=0).splitlines()[1]
    assert cells(wide) > 80                                   # not a terminal: the usual ±40 characters
