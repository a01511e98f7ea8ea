"""Shared test helpers: sample report text written for these tests, file builders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = """2023年度城区老旧小区改造项目资金绩效自评报告
一、项目概况
（一）项目单位基本情况
县住房和城乡建设局负责全县老旧小区改造工作。
（2） 项目预算和绩效目标情况
年初预算安排改造资金1,860万元，计划改造小区6个。
二、项目资金使用及管理情况
全年实际支出资金1,860万元，执行率100%。
三、项目绩效指标完成情况
完成6个小区的管网、屋面和外立面改造,受益居民1,420户。
四、绩效目标未完成原因和下一步改进措施
绩效目标均已完成。
五、其他需说明的问题
"""

CLEAN = """2023年度农村公路养护项目资金绩效自评报告
一、项目概况
县交通运输局负责全县农村公路养护，养护里程126公里。
二、项目资金使用及管理情况
预算资金320万元，实际支出320万元，执行率100%。
三、项目绩效指标完成情况
完成农村公路养护126公里，路面优良率达到82%。
四、绩效目标未完成原因和下一步改进措施
绩效目标均已完成。
"""


def run_cli(*args, input: bytes | None = None, cwd=None, env=None):
    """Run ``python -m govlint`` in a subprocess; returns CompletedProcess (text decoded)."""
    import os
    e = dict(os.environ)
    e.pop("GOVLINT_CONFIG", None)
    e.update(env or {})
    p = subprocess.run([sys.executable, "-m", "govlint", *args], input=input, capture_output=True,
                       cwd=cwd, env=e, timeout=300)
    p.stdout_text = p.stdout.decode("utf-8", "replace")
    p.stderr_text = p.stderr.decode("utf-8", "replace")
    return p


def make_docx(path: Path, paragraphs, table=None):
    import docx
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, val in enumerate(row):
                t.cell(r, c).text = val
    d.save(str(path))
    return path


def unavailable(reason: str):
    """Skip a test whose service or tool is missing here; under ``.ci/run`` (GOVLINT_CI=1, or a CI
    that sets CI=true), where the setup scripts provide it, fail instead."""
    if os.environ.get("GOVLINT_CI") == "1" or os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (.ci/setup.d/ must provide it)")
    pytest.skip(reason)
