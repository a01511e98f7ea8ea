"""One file's failure never costs the batch: rule crashes and dying workers become that file's error."""

from __future__ import annotations

import os

import pytest

from govlint import registry, runner
from helpers import CLEAN, REPORT

CRASH = "触发内部错误的报告\n"
DIE = "让检查进程退出的报告\n"


@pytest.fixture
def faulty_rule(monkeypatch):
    spec = registry.all_rules()["STYLE001"]
    real = spec.func

    def func(doc, ctx):
        if CRASH.strip() in doc.text:
            raise ZeroDivisionError("division by zero")
        if DIE.strip() in doc.text:
            os._exit(3)                      # a worker killed mid-file
        return real(doc, ctx)
    monkeypatch.setattr(spec, "func", func)
    monkeypatch.delenv("GOVLINT_DEBUG", raising=False)


@pytest.fixture
def batch(tmp_path):
    files = []
    for name, text in (("a.txt", REPORT), ("b.txt", CRASH + REPORT), ("c.txt", CLEAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    return tmp_path, files


def test_a_rule_crash_is_that_files_error(faulty_rule, batch):
    _, files = batch
    results = runner.check_files(files, None, 1)
    assert [r.path for r in results] == files
    a, b, c = results
    assert a.error is None and any(f.code == "STYLE001" for f in a.findings)
    assert b.error and "内部错误" in b.error and "ZeroDivisionError" in b.error and "其余文件照常检查" in b.error
    assert c.error is None


def test_a_dying_worker_loses_only_its_file(faulty_rule, batch):
    import multiprocessing
    if multiprocessing.get_start_method(allow_none=False) != "fork":
        pytest.skip("the monkeypatched rule reaches workers only when they are forked")
    tmp, files = batch
    (tmp / "d.txt").write_text(DIE + REPORT, encoding="utf-8")
    files = files + [str(tmp / "d.txt"), str(tmp / "a.txt")]
    results = runner.check_files(files, None, 2)
    assert [r.path for r in results] == files
    by = {r.path: r for r in results}
    assert "意外退出" in by[str(tmp / "d.txt")].error
    assert by[files[0]].error is None and by[files[0]].findings
    assert "内部错误" in by[files[1]].error
    assert by[files[2]].error is None


def test_debug_shows_the_real_exception(faulty_rule, batch, monkeypatch):
    _, files = batch
    monkeypatch.setenv("GOVLINT_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        runner.check_files(files[1:2], None, 1)


@pytest.mark.parametrize("text", ["铺设管网共0公里，其中主管网48公里、支管网12公里。\n",
                                  "项目资金" + "九" * 320 + "万元已到位。\n"])
def test_inputs_that_once_crashed_a_rule(tmp_path, text):
    f = tmp_path / "r.txt"
    f.write_text(text, encoding="utf-8")
    r = runner.lint_file(str(f))
    assert r.error is None, r.error
