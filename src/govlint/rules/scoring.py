"""Self-evaluation score rules: score and grade disagree (SCORE001), a high score the report itself contradicts (SCORE002)."""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import Option, rule
from govlint.rules._shortfall import KIND_ZH, admissions

_W = "scoring"        # the patterns of this module: lexicons/scoring.toml [score]

SCORE = lex_re(_W, "score", "score")
OVERALL_KW = lex_re(_W, "score", "overall_kw")
GRADE = lex_re(_W, "score", "grade")
_FULL_MARKS = lex_re(_W, "score", "full_marks")
_OVERALL_BEFORE = lex_re(_W, "score", "overall_before")
_REVIEW_SECTION = lex_re(_W, "score", "review_section")


def bands(lex) -> list[dict]:
    return lex["scoring"]["bands"]


def band_of(score: float, lex) -> dict | None:
    for b in bands(lex):
        if b["low"] <= score < b["high"] or (b["high"] >= 100 and score == b["high"]):
            return b
    return None


def score_statements(doc: Document, overall_only: bool = False):
    """(match, score, start, end) for each stated score out of 100 (absolute offsets)."""
    for p in doc.paragraphs:
        t = p.text
        if "满分" in t and not _FULL_MARKS.search(t):
            continue
        for m in SCORE.finditer(t):
            v = float(m.group("num"))
            if v > 100:
                continue
            if overall_only and not (OVERALL_KW.search(m.group("kw"))
                                     or _OVERALL_BEFORE.search(t[max(0, m.start() - 20):m.start()])):
                continue
            yield m, v, p.start + m.start("kw"), p.start + m.end(), p


def grade_near(p, offset: int, span: int = 40):
    """The grade word stated within ``span`` characters after ``offset`` in paragraph ``p``."""
    a = offset - p.start
    t = p.text[a:a + span]
    m = GRADE.search(t)
    if not m:
        return None
    g = m.group("g") or m.group("g2") or m.group("g3")
    gi = "g" if m.group("g") else ("g2" if m.group("g2") else "g3")
    return g, p.start + a + m.start(gi), p.start + a + m.end(gi)


@rule(code="SCORE001", name="score-grade-mismatch", severity=Severity.ERROR,
      bad=["2021年项目支出绩效自评得分为86分，等级为⟦优秀⟧。", "本项目自评总分为78.5分，评价结果为“⟦良⟧”。"],
      good=["2021年高科园项目支出绩效自评得分为91分，等级为优秀。", "自评得分86.4分，等级为良好。",
            "自评得分为59分，等级为差。"])
def score_grade_mismatch(doc: Document, ctx):
    """A stated self-evaluation score and the grade stated with it belong to different bands.

    Bands (lexicon ``scoring``): 90–100 优/优秀, 80–89 良/良好, 60–79 中/合格/一般,
    below 60 差/不合格/较差 (财预〔2020〕10号 and 财政部预算司's grading standard).

    Why: the report-quality sheets deduct for "评分与等级不符"; a reader cannot tell which
    of the two figures is the real result.
    """
    lex = ctx.lex
    for m, v, a, b, p in score_statements(doc):
        g = grade_near(p, b)
        if g is None:
            continue
        word, ga, gb = g
        band = band_of(v, lex)
        if band is None or word in band["words"]:
            continue
        right = band["words"][0]
        if not any(word in b["words"] for b in bands(lex)):
            yield ctx.flag(ga, gb, f"“{word}”不是规定的评价等级（优、良、中、差）；{m.group('num')}分对应“{right}”",
                           suggestion=right, related=[ctx.related(a, b, note="得分")],
                           data={"score": v, "grade": word, "expected": band["grade"]})
            continue
        yield ctx.flag(ga, gb, f"自评得分{m.group('num')}分对应等级应为“{right}”（{band['low']}–{band['high']}分），"
                               f"报告写为“{word}”",
                       suggestion=right, related=[ctx.related(a, b, note="得分")],
                       data={"score": v, "grade": word, "expected": band["grade"]})


DEDUCTED = lex_re(_W, "score", "deducted")


@rule(code="SCORE002", name="inflated-score", severity=Severity.WARNING, profiles=("self-eval",),
      options={"threshold": Option(90.0, float, "从该分数起检查报告自述的未完成事项", min=0, max=100),
               "near_full": Option(98.0, float, "满分或接近满分：从该分数起，任何未完成目标都提示", min=0, max=100),
               "materiality": Option(0.1, float, "未完成部分占目标的比例超过该值即视为重大（0–1）",
                                     min=0.0, max=1.0)},
      bad=["2022年度通村道路建设项目绩效自评报告\n一、绩效目标完成情况\n计划新建通村道路12公里，实际完成9公里，未完成年度目标。\n"
           "二、自评结论\n⟦自评得分为95分⟧，等级为优秀。\n",
           "2021年度专项资金绩效自评报告\n一、自评结论\n⟦自评得分为91分⟧，等级为优秀。\n二、存在的问题\n"
           "部分绩效指标及目标值有待进一步细化和量化。\n"],
      good=["2022年度通村道路建设项目绩效自评报告\n一、绩效目标完成情况\n计划新建通村道路12公里，实际完成12公里。\n"
            "二、自评结论\n自评得分为95分，等级为优秀。\n",
            "2022年度通村道路建设项目绩效自评报告\n一、绩效目标完成情况\n完成道路9公里，未完成年度目标。\n"
            "二、自评结论\n自评得分为82分，等级为良好。\n"])
def inflated_score(doc: Document, ctx):
    """A self-evaluation score of 90 or more while the report itself admits material or unexplained shortfalls.

    Admissions (lexicon ``shortfall``): unmet targets (未完成, 尚未完工, 滞后, or only in figures:
    an actual below the target stated beside it, 奖补企业58家，目标值60家), indicators never
    quantified (有待进一步细化和量化), unfinished work (准备启动, 加快剩余…建设). Headings such
    as 绩效目标未完成原因 and denials (均已完成, 不存在…) do not count. The admissions are
    given as related places.

    Calibrated as reviewers do: a warning for full or near-full marks (``near_full``, 98)
    with any unmet target, or for a score from ``threshold`` (90) with a shortfall that is
    unexplained (no cause in its paragraph or in the reasons section) or material (more
    than ``materiality``, 10 %, of the target missed, when the figures say). A minor,
    explained shortfall (1 of 30 vehicles late, with the cause and a delivery date) is
    only an info, and nothing when the report states the points it deducted (扣1分).

    Why: the Ministry of Finance forbids "刻意抬高分数"; reviewers mark 自评结果偏高 when
    a top grade sits next to admitted shortfalls (RULEBOOK §2.2 P3).
    """
    lex = ctx.lex
    sl = lex["shortfall"]
    threshold = float(ctx.options["threshold"])
    near_full = float(ctx.options["near_full"])
    materiality = float(ctx.options["materiality"])
    found = admissions(doc, sl)
    if not found:
        return
    causal = re.compile("|".join(f"(?:{p})" for p in sl["causal_markers"]))
    from govlint.rules.reasons import reason_sections, section_paragraphs
    reason_rx = re.compile("|".join(f"(?:{p})" for p in sl["reason_markers"]))
    reasons_given = any(reason_rx.search(p.text) for sec in reason_sections(doc, sl)
                        for p in section_paragraphs(doc, sec))

    def explained(ad) -> bool:
        if reasons_given:
            return True
        p = doc.paragraph_at(ad.start)
        return p is not None and bool(causal.search(p.text))

    def minor(ad) -> bool:
        if ad.kind == "unquantified" or not explained(ad):
            return False
        return ad.share is None or ad.share <= materiality + 1e-9

    for m, v, a, b, p in score_statements(doc, overall_only=True):
        if v < threshold:
            continue
        unmet = [ad for ad in found if ad.kind == "unmet"]
        serious = [ad for ad in found if not minor(ad)]
        if v >= near_full and unmet:
            shown, severity = unmet, None
        elif serious:
            shown, severity = serious, None
        elif DEDUCTED.search(doc.text):
            return     # minor, explained, and the report says what it deducted: nothing to add
        else:
            shown, severity = found, Severity.INFO
        # admissions in the problems / reasons / measures sections first, one per sentence
        def priority(ad):
            sec = doc.section_at(ad.start)
            in_review = any(_REVIEW_SECTION.search(t) for t in sec.path)
            return (not in_review, ad.start)

        seen, related = set(), []
        for ad in sorted(shown, key=priority):
            if ad.start in seen:
                continue
            seen.add(ad.start)
            related.append(ctx.related(ad.start, ad.end, note=f"{KIND_ZH[ad.kind]}：{ad.text}"))
        related = sorted(related[:6], key=lambda r: r.start)
        kinds = "、".join(dict.fromkeys(KIND_ZH[x.kind] for x in shown))
        if severity is None:
            msg = f"自评得分{m.group('num')}分（优），但报告自述{kinds}，得分可能偏高"
            sugg = "按未完成的指标和存在的问题如实扣分，或说明各项指标均已完成的依据"
        else:
            msg = f"自评得分{m.group('num')}分（优），报告自述的{kinds}已说明原因且影响较小，请确认扣分是否充分"
            sugg = "在评分说明中写明对未完成部分的扣分；确已足额扣分的可不作修改"
        yield ctx.flag(a, b, msg, suggestion=sugg, related=related, severity=severity,
                       data={"score": v, "admissions": len(found), "serious": len(serious)})
        return
