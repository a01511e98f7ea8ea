"""STRUCT004: the section for reasons of unmet targets gives no reason."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from govlint.document import Document, Section
from govlint.finding import Severity
from govlint.registry import rule
from govlint.rules._shortfall import admissions


def reason_sections(doc: Document, lex: dict) -> list[Section]:
    """Sections whose heading asks for reasons of unmet targets (…未完成原因…, …偏差原因…)."""
    out = []
    for sec in doc.sections:
        t = sec.title
        if lex["reason_heading"] in t and any(w in t for w in lex["reason_heading_with"]):
            if out and sec.start >= out[-1].start and sec.end <= out[-1].end:
                continue  # a subsection of one already taken (sections come in document order)
            out.append(sec)
    return out


def section_paragraphs(doc: Document, sec: Section):
    """Paragraphs after the heading line, to the end of the section (sub-headings included)."""
    hp, ps = sec.heading.paragraph, doc.paragraphs
    return ps[bisect_right(ps, hp.start, key=_start):bisect_left(ps, sec.end, key=_start)]


def _start(p) -> int:
    return p.start


@rule(code="STRUCT004", name="reasons-without-reasons", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2021年度安置小区建设项目绩效自评报告\n三、项目实施情况\n19#栋准备启动桩基招标工作。\n"
           "⟦四、绩效目标未完成原因和下一步改进措施\n1.加快房建主体施工和桩基础施工。\n2.加快小区内道路配套建设。⟧\n"],
      good=["2021年度安置小区建设项目绩效自评报告\n三、项目实施情况\n19#栋准备启动桩基招标工作。\n"
            "四、绩效目标未完成原因和下一步改进措施\n由于征地拆迁进度滞后，19#栋未能按期开工。下一步加快桩基招标。\n",
            "2021年度学生资助项目绩效自评报告\n四、绩效目标未完成原因和下一步改进措施\n本年度绩效目标均已完成。\n"])
def reasons_without_reasons(doc: Document, ctx):
    """The section for reasons of unmet targets lists measures only, although targets were missed.

    The section is found by its heading (原因 with 未完成 / 偏差 / 偏离 / 差距). It is fine when
    it answers 无 / 目标均已完成, or when it gives a reason (由于, 受…影响, 原因是, 导致 …,
    lexicon ``shortfall``). It is reported when it gives neither and the report shows
    unfinished work or unmet targets somewhere (including the measures themselves:
    加快剩余…建设, 启动…招标, and figures alone: 完成7.4亿元，目标值8亿元).

    Why: the self-evaluation table asks to "说明偏离目标、不能完成的原因及拟采取的措施";
    measures without a cause are the classic 原因分析不到位 finding (RULEBOOK §2.2 P4).
    """
    lex = ctx.lex["shortfall"]
    secs = reason_sections(doc, lex)
    if not secs:
        return
    found = admissions(doc, lex)
    if not found:
        return
    reason_rx = re.compile("|".join(f"(?:{p})" for p in lex["reason_markers"]))
    all_met = re.compile("|".join(re.escape(w) for w in lex["all_met"]))
    nil = set(lex["nil_answers"])
    for sec in secs:
        paras = section_paragraphs(doc, sec)
        h = sec.heading
        inline = doc.text[h.title_end:h.paragraph.end].strip()
        texts = ([inline] if inline else []) + [p.text for p in paras]
        if not texts:
            continue  # an empty section is STRUCT003's business
        body = "\n".join(texts)
        if body.strip() in nil or all_met.search(body) or reason_rx.search(body):
            continue
        end = paras[-1].end if paras else h.paragraph.end
        yield ctx.flag(h.paragraph.start, end,
                       "“未完成原因”部分只列改进措施，没有说明未完成或偏离目标的原因",
                       suggestion="逐项说明未完成指标的原因（如“由于……，导致……”），再写改进措施；"
                                  "目标均已完成的，写明“绩效目标均已完成”",
                       related=[ctx.related(ad.start, ad.end, note=f"未完成事项：{ad.text}")
                                for ad in found if not (h.paragraph.start <= ad.start < end)][:3])
