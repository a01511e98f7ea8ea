"""Huge inputs (issue #19, at the size limits): the bounded structures give the same answers as
the scans they replaced, and a finding in a run-on paragraph does not carry the whole paragraph.

Times are measured by bench/hostile_at_limit.py, not here (no timed tests).
"""

from __future__ import annotations

import random

import pytest

from govlint import engine
from govlint.config import Config
from govlint.document import Document
from govlint.evaltable.parse import narrative_paragraphs, table_paragraph_spans
from govlint.rules._util import SpanSet
from govlint.rules.reasons import section_paragraphs
from govlint.rules.reconcile import _top_section
from helpers import REPORT


def test_spanset_answers_like_the_scan_it_replaced():
    rng = random.Random(19)
    for _ in range(2000):
        spans = [(rng.randint(0, 60), rng.randint(0, 70)) for _ in range(rng.randint(0, 10))]
        s = SpanSet()
        for k, (a, b) in enumerate(spans):
            s.add(a, b)
            for pos in range(-1, 72):
                assert (pos in s) == any(x <= pos < y for x, y in spans[:k + 1]), (spans[:k + 1], pos)
    assert 5 in SpanSet([(1, 3), (4, 9)]) and 3 not in SpanSet([(1, 3), (4, 9)])


TABLE = ("| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
         "| 产出指标 | 新建村道 | ≥20公里 | 18公里 | 10 | 9 | 无 |\n"
         "| 效益指标 | 群众满意度 | ≥90% | 93% | 10 | 10 | 无 |\n")


@pytest.fixture
def pasted():
    """A report with its 自评表 pasted into itself a few times: many sections, tables, paragraphs."""
    return Document.from_text("\n".join([REPORT, TABLE, "前言：本报告按要求编制。"] * 4), kind="md")


def test_bisections_find_what_the_scans_found(pasted):
    doc = pasted
    for sec in doc.sections:
        hp = sec.heading.paragraph
        assert section_paragraphs(doc, sec) == [p for p in doc.paragraphs if hp.start < p.start < sec.end]
    for off in range(0, len(doc.text), 7):
        assert _top_section(doc, off) is next((s for s in doc.sections if s.start <= off < s.end), None)
    spans = table_paragraph_spans(doc)
    assert len(spans) == 4 and spans == sorted(spans)
    assert list(narrative_paragraphs(doc)) == [p for p in doc.paragraphs
                                               if not any(a <= p.start and p.end <= b + 1 for a, b in spans)]


def test_a_finding_in_a_run_on_paragraph_carries_a_bounded_excerpt():
    body = "项目资金已全部拨付到位，支出进度符合要求。" * 2000 + "全年召开调度会3次,完成验收。" + "各项工作有序推进。" * 2000
    doc = Document.from_text("2023年度项目绩效自评报告\n一、项目概况\n" + body + "\n")
    findings = engine.lint(doc, Config(), {"STYLE001"})
    assert findings, "the half-width comma must be found"
    for f in findings:
        assert len(f.excerpt) <= engine.MAX_EXCERPT
        a = doc.text.index(f.excerpt)
        assert a <= f.start and f.end <= a + len(f.excerpt)
    short = Document.from_text("2023年度项目绩效自评报告\n一、项目概况\n全年召开调度会3次,完成验收。\n")
    f = engine.lint(short, Config(), {"STYLE001"})[0]
    assert f.excerpt == "全年召开调度会3次,完成验收。"     # a normal paragraph is given whole, as before
