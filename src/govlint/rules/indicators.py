"""Indicator rules: results stated without figures, vague claims, satisfaction without a survey.

All three look only at the indicator-result part of a self-evaluation report: sections
whose heading (or an ancestor's) names 产出/效益/满意度/绩效指标/绩效目标完成 ..., as
classified by ``_measure.section_kind`` with the ``perf_sections`` lexicon. Background,
funds, reasons, measures and publication sections are never checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.document import Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import rule
from govlint.rules._measure import (QUAL_VERDICTS, body_spans, figures, section_kind,
                                    subtree_spans)
from govlint.rules._util import alternation, inside, quoted_spans, lazy_re

_HAN = lazy_re(r"[\u4e00-\u9fff]")

# Patterns of words: lexicons/vague.toml [indicators] (IND001, IND002), lexicons/survey.toml
# [indicators] (IND003).
# "数量指标：…" labels inside an indicator paragraph (satisfaction labels are IND003's)
_LABEL = lex_re("vague", "indicators", "result_label")
_DIRECTIVE = lex_re("vague", "indicators", "directive")
_VERB_END = lex_re("vague", "indicators", "verb_end")
_HAN_AFTER = lex_re("vague", "indicators", "han_after")
# a claim framed as the project's result ("项目实施后，…", "通过项目实施…", "…将…")
_RESULT_FRAME = lex_re("vague", "indicators", "result_frame")
_FUTURE = lex_re("survey", "indicators", "future")
_DETAIL_FOLLOWS = lex_re("vague", "indicators", "detail_follows")


def _han_len(text: str) -> int:
    return len(_HAN.findall(text))


def _kinds(doc: Document, ctx) -> dict:
    """Section → kind, computed once per document and shared between the IND rules."""
    shared = ctx.shared
    if shared.section_kinds is None:
        shared.section_kinds = {id(s): section_kind(s, ctx.lex) for s in doc.sections}
    return shared.section_kinds


def _sentences_in(doc: Document, a: int, b: int):
    p = doc.paragraph_at(a)
    if p is None:
        return []
    return [s for s in p.sentences if s.end > a and s.start < b]


# ----- IND001 -------------------------------------------------------------------------------

@rule(code="IND001", name="indicator-without-figure", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度农村公路养护项目绩效自评报告\n四、绩效指标完成情况\n（一）产出指标\n完成县乡道养护126公里，"
           "验收合格率100%。\n（二）效益指标\n⟦项目实施后，农村群众出行条件得到改善，为乡村振兴提供了有力支撑。⟧\n",
           "2023年度学生资助项目绩效自评报告\n三、绩效指标完成情况\n1.数量指标：资助家庭经济困难学生1260人次。\n"
           "2.时效指标：⟦资助资金按时足额发放到位⟧。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n四、绩效指标完成情况\n（一）产出指标\n完成县乡道养护126公里。\n"
            "（二）效益指标\n沿线12个行政村通行时间平均缩短15分钟，货运成本下降约8%。\n",
            "2023年度农村公路养护项目绩效自评报告\n一、项目概况\n项目实施后将改善群众出行条件。\n"])
def indicator_without_figure(doc: Document, ctx):
    """An indicator-result section, or a labelled indicator (质量指标：…), states no measurable figure.

    A figure is a number with a unit of the ``units`` lexicon, a percentage, a change in
    percentage points or a date finer than a year; for quality indicators a verdict such as
    验收合格 or 达标 also counts. Satisfaction sections are left to IND003. One finding per
    section: the section body when it has no figure at all, otherwise each labelled
    indicator whose value is only words.

    Why: 财预〔2021〕101号 asks for indicators that are 量化易评, and reviewers deduct for
    a performance statement without data ("绩效陈述须有…充足数据或例证支撑，每处陈述不清扣1分").
    A benefit section that only describes work done shows nothing was measured.
    """
    kinds = _kinds(doc, ctx)
    text = doc.text
    lex = ctx.lex
    for sec in doc.sections:
        if kinds.get(id(sec)) != "indicator":
            continue
        spans = body_spans(sec)
        body = "\n".join(text[a:b] for a, b in spans)
        limit = 80 if sec.children else 15
        # a heading whose title carries the value ("1.数量指标：完成12公里。") is its own body
        title_text = text[sec.heading.marker_end:sec.heading.title_end]
        if _han_len(body) >= limit and not figures(body, lex) and not figures(title_text, lex):
            a, b = spans[0][0], spans[-1][1]
            yield ctx.flag(a, b, f"“{sec.title[:20]}”部分没有任何可衡量的数据（数量、比率、金额或时间）",
                           suggestion="逐项写明指标的目标值和实际完成值（含计量单位），如“完成12公里，完成率100%”")
            continue
        # labelled indicators in the heading line and the body
        labelled = [(sec.heading.paragraph.start, sec.heading.paragraph.end)] + spans
        flagged: list[tuple[int, int]] = []
        for a, b in labelled:
            seg = text[a:b]
            marks = list(_LABEL.finditer(seg))
            for i, m in enumerate(marks):
                end = marks[i + 1].start() if i + 1 < len(marks) else len(seg)
                value = seg[m.end():end]
                cut = re.search(r"[；;。\n]", value)
                value = value[:cut.start()] if cut else value
                core = value.strip(" \t\u3000，,。；;")
                if _han_len(core) < 4 or figures(core, lex) or QUAL_VERDICTS.search(core):
                    continue
                va = a + m.end() + (len(value) - len(value.lstrip(" \t\u3000")))
                vb = va + len(value.strip(" \t\u3000").rstrip("，,。；;"))
                label = m.group(0).rstrip("：:")
                flagged.append((va, vb))
                yield ctx.flag(va, vb, f"{label}只有文字描述，没有可衡量的完成值",
                               suggestion="写明实际完成值和计量单位（时效指标写明完成日期）")
        # completion stated without a figure ("……工作按要求开展"): the first such sentence
        comp_re = alternation(tuple(lex["vague"]["completion"]))
        vague_sents = []
        for a, b in spans:
            for s in _sentences_in(doc, a, b):
                if s.end <= a or any(x < s.end and s.start < y for x, y in flagged):
                    continue
                m = comp_re.search(s.text)
                if m and not figures(s.text, lex) and not QUAL_VERDICTS.search(s.text):
                    vague_sents.append((s, m))
        if vague_sents:
            s, m = vague_sents[0]
            a, b = max(s.start, spans[0][0]), s.end
            while b > a and text[b - 1] in "。；;":
                b -= 1
            more = f"（本部分另有{len(vague_sents) - 1}句同样情况）" if len(vague_sents) > 1 else ""
            yield ctx.flag(a, b, f"“{m.group(0)}”没有给出完成值，无法判断指标是否完成{more}",
                           suggestion="写明该指标的目标值和实际完成值（数量、比率或完成日期）")


# ----- IND002 -------------------------------------------------------------------------------

def _token_edges(p, ctx) -> tuple[frozenset, frozenset]:
    """Where tokens start and end in paragraph ``p`` (document offsets), segmented on first use.

    jieba cuts at every character that cannot be inside a word, and paragraphs are separated by
    line breaks, so a paragraph segmented alone gives exactly the document's tokens there
    (checked on all 855 documents of the shared corpus, corpora/ and tests/fixtures/ with both
    segmenters: bench/check_token_edges.py). Only paragraphs holding a candidate claim are
    segmented, and a report with none never loads the segmenter.

    The edges come from the dictionaries alone (no HMM): claims are dictionary phrases, and the
    HMM only glues runs of single characters no dictionary joins — which can hide a claim
    (效果较好且群众满意: 好且 becomes one token), so without it such claims are found. Over the
    806 claim matches in those documents, not one was decided differently, and skipping the HMM
    spares jieba_fast_dat loading its model (~10 ms of a cold run).
    """
    edges = ctx.shared.token_edges
    if edges is None:
        edges = ctx.shared.token_edges = {}
    got = edges.get(p.index)
    if got is None:
        from govlint import nlp
        toks = nlp.tokenize(p.text, hmm=False)
        got = edges[p.index] = (frozenset(p.start + a for _, a, _ in toks),
                                frozenset(p.start + b for _, _, b in toks))
    return got


@rule(code="IND002", name="vague-claim", severity=Severity.WARNING, profiles=("self-eval",), needs=("tokens",),
      bad=["2023年度农田建设项目绩效自评报告\n四、绩效指标完成情况\n（二）效益指标\n新建高标准农田3200亩。"
           "项目区农业生产条件⟦明显改善⟧。农民种粮积极性⟦显著提高⟧，比较好的做法得到推广。\n"],
      good=["2023年度农田建设项目绩效自评报告\n四、绩效指标完成情况\n（二）效益指标\n项目区粮食亩产提高42公斤，"
            "较上年明显改善。\n",
            "2023年度农田建设项目绩效自评报告\n五、自评结果\n自评得分85分，等级为良好。\n",
            "2023年度农田建设项目绩效自评报告\n五、下一步改进措施\n力争使农业生产条件明显改善。\n"])
def vague_claim(doc: Document, ctx):
    """An evaluative claim (显著提高, 明显改善, 取得了良好的社会效益, ...) stands in an indicator or result section with no figure.

    Claims come from the ``vague`` lexicon and match only on word boundaries (比较好的 is
    not 较好). A claim is supported when its sentence holds a figure, or when it is a heading
    title and the body right after it holds one. Grade words (等级为良好, 自评结果为“良好”),
    quotations and 《》 titles are skipped, and so are background, funds, reasons and
    improvement-plan sections.

    Why: reviewers ask every performance statement to rest on data; "效果明显" without the
    number it refers to cannot be verified and reads as self-praise (财预〔2021〕101号 量化易评;
    评价报告质量考核: "陈述不清扣1分").
    """
    kinds = _kinds(doc, ctx)
    lex = ctx.lex
    conf = lex["vague"]
    claim_re = alternation(tuple(conf["claims"]))
    grade_re = alternation(tuple(conf["grade_before"]))
    intent_re = alternation(tuple(conf["intent"]))
    text = doc.text
    for p in doc.paragraphs:
        sec = p.section
        if sec is None or kinds.get(id(sec)) not in ("indicator", "satisfaction", "result"):
            continue
        if doc.in_table(p.start):
            continue  # the self-evaluation table has checkers of its own (govlint.rules.table)
        quotes = [(p.start + a, p.start + b) for a, b in quoted_spans(p.text)]
        sents = p.sentences
        for i, s in enumerate(sents):
            for m in claim_re.finditer(s.text):
                a, b = s.start + m.start(), s.start + m.end()
                if inside(quotes, a, b):
                    continue
                starts, ends = _token_edges(p, ctx)
                if a not in starts or b not in ends:
                    continue
                clause = re.split(r"[，,；;：:]", s.text[:m.start()])[-1]
                if intent_re.search(clause) or _DIRECTIVE.match(clause) or _DIRECTIVE.match(s.text):
                    continue
                # "全面提高职工素质": a degree verb taking an object with no 了 is a directive
                if _VERB_END.search(m.group(0)) and _HAN_AFTER.match(s.text, m.end()) \
                        and not _RESULT_FRAME.search(s.text[:m.start()]):
                    continue
                if grade_re.search(text[max(p.start, a - 8):a]):
                    continue
                if figures(s.text, lex):
                    break
                h = p.heading
                if h is not None and s.start < h.title_end and figures(text[h.title_end:p.end], lex):
                    break
                if i + 1 < len(sents) and _DETAIL_FOLLOWS.match(sents[i + 1].text) and figures(sents[i + 1].text, lex):
                    break
                yield ctx.flag(a, b, f"“{m.group(0)}”没有数据支撑：本句未给出可衡量的数值",
                               suggestion="写明对比数据，如“较上年提高X个百分点（由A%提高到B%）”")
                break  # one claim per sentence


# ----- IND003 -------------------------------------------------------------------------------

def _evidence_re(words) -> re.Pattern:
    return alternation(tuple(words))


def _strong_evidence_in_doc(doc: Document, ctx) -> bool:
    """A survey named anywhere in the report (not in a plan for next year)."""
    key = "ind.strong_evidence"
    if key not in ctx.shared:
        rx = _evidence_re(ctx.lex["survey"]["strong"])
        kinds = _kinds(doc, ctx)
        found = False
        for s in doc.sentences:
            if not rx.search(s.text) or _FUTURE.search(s.text):
                continue
            sec = s.paragraph.section
            # a plan or a target declaration is not evidence
            if sec is not None and kinds.get(id(sec)) == "other" and _PLAN_SECTION.search(" ".join(sec.path)):
                continue
            found = True
            break
        ctx.shared[key] = found
    return ctx.shared[key]


def _has_evidence(text: str, ctx) -> bool:
    conf = ctx.lex["survey"]
    return bool(_evidence_re(conf["strong"] + conf["weak"]).search(text))


def _top_satisfaction(sec, kinds):
    node = sec
    while node.parent is not None and kinds.get(id(node.parent)) == "satisfaction":
        node = node.parent
    return node


@lru_cache(maxsize=8)
def _claim_res(patterns: tuple[str, ...]):
    return [re.compile(p) for p in patterns]


_HUNDRED = lex_re("survey", "indicators", "hundred")
_SAMPLE = lex_re("survey", "indicators", "sample")
_PLAN_SECTION = lex_re("survey", "indicators", "plan_section")
_TARGET_BOUND = lex_re("survey", "indicators", "target_bound")
_TARGET_WORD = lex_re("survey", "indicators", "target_word")


@rule(code="IND003", name="satisfaction-without-evidence", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度乡镇卫生院能力提升项目绩效自评报告\n四、绩效指标完成情况\n（三）满意度指标\n"
           "⟦通过项目实施，群众就医环境得到改善，看病难问题得到缓解。⟧\n",
           "2023年度农村饮水安全项目绩效自评报告\n四、绩效指标完成情况\n（二）效益指标\n新增供水人口3600人。"
           "⟦受益群众满意度达到100%⟧。\n"],
      good=["2023年度乡镇卫生院能力提升项目绩效自评报告\n四、绩效指标完成情况\n（三）满意度指标\n"
            "我院随机抽取就诊群众发放问卷200份，收回有效问卷192份，满意度为93.8%。\n",
            "2023年度农村饮水安全项目绩效自评报告\n一、项目概况\n年度目标：受益群众满意度≥90%。\n"])
def satisfaction_without_evidence(doc: Document, ctx):
    """A satisfaction section or claim (满意度, 群众满意) rests on no survey, or a 100% rate gives no sample.

    Evidence is a survey word of the ``survey`` lexicon: a strong one (问卷, 抽样, 样本,
    电话回访, ...) anywhere in the report outside next year's plans, or a weak one (调查,
    份, 人次, ...) in the same satisfaction section. A satisfaction section with no evidence
    is reported once at its body; elsewhere in the indicator part each sentence claiming
    satisfaction is reported. A rate of exactly 100% with survey words but no sample size
    is a lesser finding (info).

    Why: 服务对象满意度 = 回答满意人数 / 有效调查人数; a satisfaction figure without the
    survey behind it cannot be checked, and reviewers list "满意度无调查依据" and a
    blanket 100% among the signs of an inflated self-evaluation.
    """
    kinds = _kinds(doc, ctx)
    text = doc.text
    strong_doc = _strong_evidence_in_doc(doc, ctx)
    claim_res = _claim_res(tuple(ctx.lex["survey"]["claim_patterns"]))
    flagged_sections = set()
    # 1. satisfaction sections as a whole
    for sec in doc.sections:
        if kinds.get(id(sec)) != "satisfaction" or _top_satisfaction(sec, kinds) is not sec:
            continue
        spans = subtree_spans(sec)
        body = "\n".join(text[a:b] for a, b in spans)
        if _han_len(body) < 8:
            continue  # empty: STRUCT003's business
        if strong_doc or _has_evidence(body, ctx) or _has_evidence(sec.title, ctx):
            continue
        flagged_sections.update(id(s) for s in sec.walk())
        a, b = spans[0]
        hundred = _HUNDRED.search(body)
        what = "满意度为100%，" if hundred else ""
        yield ctx.flag(a, b, f"满意度指标{what}未说明调查依据（调查方式、样本数量、有效问卷数）",
                       suggestion="写明满意度调查的方式、时间、发放与收回的有效问卷数，以及满意人数和满意率")
    # 2. satisfaction claims elsewhere in the indicator part
    evidence: dict[int, tuple[bool, bool]] = {}   # per scope: (survey evidence, sample size), read once
    for p in doc.paragraphs:
        sec = p.section
        if sec is None or id(sec) in flagged_sections or doc.in_table(p.start):
            continue
        kind = kinds.get(id(sec))
        if kind not in ("indicator", "satisfaction", "result"):
            continue
        scope = _top_satisfaction(sec, kinds) if kind == "satisfaction" else sec
        quotes = [(p.start + a, p.start + b) for a, b in quoted_spans(p.text)]
        for s in p.sentences:
            if _FUTURE.search(s.text):
                continue
            m = next((m for rx in claim_res for m in [rx.search(s.text)] if m), None)
            if m is None:
                continue
            a, b = s.start + m.start(), s.start + m.end()
            if inside(quotes, a, b) or _TARGET_BOUND.search(s.text[m.start():m.end() + 4]) and \
                    _TARGET_WORD.search(s.text):
                continue
            a, b = s.start, s.end
            while b > a and text[b - 1] in "。；;！!":
                b -= 1
            ev = evidence.get(id(scope))
            if ev is None:
                scope_text = "\n".join(text[a:b] for a, b in subtree_spans(scope)) + scope.title
                ev = evidence[id(scope)] = (_has_evidence(scope_text, ctx), bool(_SAMPLE.search(scope_text)))
            if not (strong_doc or ev[0]):
                hundred = _HUNDRED.search(s.text)
                yield ctx.flag(a, b, ("满意度为100%，且" if hundred else "") + "满意度结论没有调查依据"
                                     "（未见问卷、抽样或样本数量）",
                               suggestion="写明满意度调查的方式、样本数量和满意率的计算依据")
            elif _HUNDRED.search(s.text) and not ev[1]:
                yield ctx.flag(a, b, "满意度为100%，但未说明调查样本数量", severity=Severity.INFO,
                               suggestion="写明有效问卷数和满意人数，说明100%的依据")
