"""NUM002: the same fact stated twice in the report with two different values (figure model)."""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.figures import Figure, model
from govlint.finding import Severity
from govlint.quantities import fmt
from govlint.registry import rule
from govlint.rules.reconcile import RATE_NAME, _TARGETISH, _around, _cached, _tol, _top_section, money_wan
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [restated]; compiled on first use
_W = "number_words"
_CLAIM_SCOPE = lex_re(_W, "restated", "claim_scope")
_NEGATION = lex_re(_W, "restated", "negation")
_OTHER_YEAR = lex_re(_W, "restated", "other_year")
_BUDGET_ADJUSTED = lex_re(_W, "restated", "budget_adjusted")
_TIME_UNIT_AFTER = lex_re(_W, "restated", "time_unit_after")


# ----- NUM002 ----------------------------------------------------------------------------------

def _claims(doc: Document, ctx, fm):
    lex = ctx.lex["figures"]["claims"]
    spent = _cached("all_spent", lex["all_spent"])
    arrived = _cached("all_arrived", lex["all_arrived"])
    scope = _CLAIM_SCOPE
    for kind, rx in (("exec_rate", spent), ("arrival_rate", arrived)):
        rates = [f for f in fm.subject(kind) if f.kind == "rate" and f.value < 100 - 1e-9
                 and not f.qualifiers & {"time", "target", "change", "scope"} and f.paren is None
                 and f.source == "text" and f.sentence is not None and not _TARGETISH.search(_around(f))]
        if not rates:
            continue
        for s in doc.sentences:
            m = rx.search(s.text)
            if not m or _NEGATION.search(s.text[max(0, m.start() - 3):m.start()]):
                continue
            if kind == "exec_rate" and _TO_UNIT.match(s.text, m.end()):
                continue        # 全部拨付到项目单位: money passed on to a unit, not spent
            if scope.search(s.text[:m.start()][-12:]) or _OTHER_YEAR.search(s.text):
                continue
            same_p = [f for f in rates if f.paragraph is s.paragraph]
            sec = _top_section(doc, s.start)
            cands = same_p or ([f for f in rates if _top_section(doc, f.start) is sec] if sec is not None else [])
            if not cands:
                continue
            f = cands[0]
            a, b = s.start + m.start(), s.start + m.end()
            what = "已全部拨付或使用" if kind == "exec_rate" else "已全部到位"
            yield ctx.flag(a, b, f"写明“{m.group(0)}”（即{RATE_NAME[kind]}应为100%），但同一部分所述"
                                 f"{RATE_NAME[kind]}为{f.text}，相差{fmt(100 - f.value)}个百分点",
                           suggestion=f"核对资金是否确{what}；如未全部，改为实际情况并说明差额原因，"
                                      f"或改正{RATE_NAME[kind]}",
                           related=[ctx.related(f.start, f.end, note=RATE_NAME[kind])],
                           data={"claim": m.group(0), "rate": f.value})


_TO_UNIT = lex_re(_W, "restated", "to_unit")
_SAME_FACT_MAX = 4
_PLAIN_PREFIX = lex_re(_W, "restated", "plain_prefix")


def _restated_money(doc: Document, ctx, fm):
    """The report's budget / arrived / spent amount stated twice, plainly, with two values."""
    lex = ctx.lex["figures"]["subjects"]
    # a sentence that names a source or a part before the figure (县级配套资金应到位…，实际到位…)
    scope_rx = _cached("scope", [re.escape(w) for w in ctx.lex["figures"]["qualifiers"]["scope"]] + ["应到位", "应拨付"])
    for subject in ("budget", "arrived", "actual"):
        exact = set(lex.get(subject, []))
        figs = [f for f in fm.subject(subject) if f.plain and f.source == "text" and not f.in_table
                and _PLAIN_PREFIX.sub("", f.label) in exact
                and not scope_rx.search(f.sentence.text[max(0, f.start - f.sentence.start - 60):f.start - f.sentence.start])]
        if not figs or len(figs) > _SAME_FACT_MAX:
            continue
        by_year: dict = {}
        for f in figs:
            by_year.setdefault(f.year, []).append(f)
        years = {y for y in by_year if y is not None}
        if len(years) > 1:
            continue
        group = figs
        vals = []
        for f in group:
            if not any(abs(f.value - g.value) <= max(_tol(f), _tol(g)) for g in vals):
                vals.append(f)
        if len(vals) != 2:
            continue
        f1, f2 = vals
        if doc.section_at(f1.start) is doc.section_at(f2.start) and f1.paragraph is f2.paragraph:
            continue
        if _BUDGET_ADJUSTED.search(doc.text):
            if subject == "budget":
                continue
        name = {"budget": "预算数", "arrived": "到位资金", "actual": "实际支出"}[subject]
        yield ctx.flag(f2.start, f2.end,
                       f"{name}前后不一致：此处为{f2.label}{money_wan(f2)}，前文“{f1.section_title(doc)}”中"
                       f"{f1.label}为{money_wan(f1)}，相差{money_wan(abs(f2.value - f1.value))}",
                       suggestion=f"核对后统一{name}；如口径不同（年初/调整后、某级资金），写明口径",
                       related=[ctx.related(f1.start, f1.end, note=f"前文{name}")],
                       data={"subject": subject, "values": [f1.value, f2.value]})


_FUTURE = lex_re(_W, "restated", "future")
_COUNT_LABEL_BAD = lex_re(_W, "restated", "count_label_bad")


_PLANNED = lex_re(_W, "restated", "planned")
_MEASURE_LABEL_BAD = lex_re(_W, "restated", "measure_label_bad")
# per kind: (label words that make two figures different facts, how far apart two values may be
# and still be one value written twice)
_KIND_RULES = {"count": (_COUNT_LABEL_BAD, False), "rate": (_MEASURE_LABEL_BAD, True),
               "area": (_MEASURE_LABEL_BAD, True), "length": (_MEASURE_LABEL_BAD, True)}


def _restated_counts(doc: Document, ctx, fm):
    """One count (实施项目18个 / 实施项目17个), rate (群众满意度96% / 95%), area or length
    (新建机耕路52公里 / 50公里) stated twice with two values in different sections."""
    if ctx.profile != "self-eval":
        return          # compared only in self-evaluation reports (laws repeat time limits)
    seen: dict[tuple, list[Figure]] = {}
    for f in fm:
        rules = _KIND_RULES.get(f.kind)
        if rules is None or f.chinese or not f.plain or f.source != "text" or f.in_table:
            continue
        label = f.label
        if len(label) < 4 or rules[0].search(label) or not re.fullmatch(r"[\u4e00-\u9fff]+", label):
            continue
        if f.kind == "rate" and label[-1] not in "率度":
            continue        # a rate named by its label (执行率, 满意度), not 完成了96%
        st = f.sentence.text
        if (_FUTURE if f.kind == "count" else _PLANNED).search(st) or _TIME_UNIT_AFTER.match(doc.text[f.end:f.end + 3]):
            continue
        seen.setdefault((f.kind, label, f.unit, f.year), []).append(f)
    for (kind, label, unit, _y), figs in seen.items():
        rounding = _KIND_RULES[kind][1]
        vals = []
        for f in figs:
            if not any(abs(f.value - g.value) <= (max(_tol(f), _tol(g)) if rounding else 1e-9) for g in vals):
                vals.append(f)
        if len(vals) != 2 or len(figs) > 3:
            continue
        f1, f2 = vals
        if doc.section_at(f1.start) is doc.section_at(f2.start):
            continue
        if kind == "count":
            what, diff, scope = "数量", f"{fmt(abs(f2.value - f1.value))}{unit}", "计划/完成、不同年度"
        else:
            what, scope = "数值", "计划/完成、不同年度、不同范围"
            diff = f"{fmt(abs(f2.number - f1.number))}个百分点" if kind == "rate" else \
                f"{fmt(abs(f2.value - f1.value) / (f2.value / f2.number if f2.number else 1))}{unit}"
        yield ctx.flag(f2.start, f2.end,
                       f"同一{what}前后不一致：此处“{label}{f2.text}”，前文“{f1.section_title(doc)}”中为"
                       f"“{label}{f1.text}”，相差{diff}",
                       suggestion=f"核对后统一{what}；如口径不同（{scope}），写明口径",
                       related=[ctx.related(f1.start, f1.end, note="前文所述")],
                       data={"label": label, "values": [f1.value, f2.value]})


@rule(code="NUM002", name="one-fact-two-values", severity=Severity.WARNING,
      bad=["一、项目概况\n2023年项目预算资金1,200万元。\n三、资金使用情况\n2023年项目预算资金⟦1,150万元⟧，实际支出1,100万元。\n",
           "三、资金使用情况\n⟦资金已全部拨付⟧，预算执行率92%。\n"],
      good=["一、项目概况\n2023年项目预算资金1,200万元。\n三、资金使用情况\n2023年项目预算资金1,200万元，实际支出1,100万元。\n",
            "一、项目概况\n2022年项目预算资金1,000万元。\n2023年项目预算资金1,200万元。\n",
            "三、资金使用情况\n中央资金已全部到位，资金到位率92%。\n"])
def one_fact_two_values(doc: Document, ctx):
    """The same fact stated twice in the report with two different values.

    Three checks over the figure model. (1) The report's budget (预算资金, 预算数 …), arrived
    money (到位资金, 实际到位 …) or spending (实际支出, 执行数 …), named by the synonym table
    ``figures`` ``[subjects]`` and written plainly (no 中央/县级配套/年初/追加/累计/其中, no 约, not in
    brackets, the same year), with exactly two values in different places; budgets are left alone
    when the report mentions 追加/调整. (2) A count with the same full label (实施项目18个 /
    实施项目17个), or a rate (受益群众满意度96% / 93%), area or length (新建机耕路52公里 / 48公里)
    with the same full label, in the same year, with two values in different sections of a
    self-evaluation report (rates, areas and lengths: beyond the rounding of the written
    figures, so 4万亩 and 4.02万亩 agree; not averages, targets, changes or plans). (3) "资金已全部拨付/全部到位" in the
    paragraph or section of an execution / arrival rate below 100 % (a claim about one source,
    中央资金已全部到位, is not a claim about the whole). (4) An overall execution rate of 100 % in
    the section of a component's (县级配套资金执行率) 0 %. (5) "共N个" in a sentence whose batches
    (年初a个…、年中追加b个…) add up to another number.

    Example: 一、"2023年项目预算资金1,200万元" and 三、"2023年项目预算资金1,150万元" → NUM002 at
    the second, related to the first, difference 50万元.

    Why: 数据前后不一致 is the most frequent reviewer comment on self-evaluation reports; the
    reader cannot tell which figure is true (RULEBOOK §2.2 P8).
    """
    fm = model(doc, ctx)
    yield from _restated_money(doc, ctx, fm)
    yield from _restated_counts(doc, ctx, fm)
    yield from _claims(doc, ctx, fm)
    yield from _overall_vs_component(doc, ctx, fm)
    yield from _count_total_vs_batches(doc, ctx, fm)


def _overall_vs_component(doc: Document, ctx, fm):
    """An overall execution rate of 100 % beside a component (中央资金/县级配套…) at 0 %."""
    rates = [f for f in fm.subject("exec_rate") if f.kind == "rate" and f.source == "text" and f.paren is None
             and not f.qualifiers & {"time", "target", "change"}]
    full = [f for f in rates if abs(f.value - 100) < 1e-9 and "scope" not in f.qualifiers]
    zero = [f for f in rates if f.value == 0 and "scope" in f.qualifiers]
    for z in zero:
        sec = _top_section(doc, z.start)
        near = [f for f in full if f.paragraph is z.paragraph or (sec is not None and _top_section(doc, f.start) is sec)]
        if not near:
            continue
        f = near[0]
        yield ctx.flag(z.start, z.end,
                       f"“{z.label}”为{z.text}，而同一部分所述总体执行率为{f.text}：有分项未执行时总体执行率不可能为100%"
                       f"（除非该分项预算为0）",
                       suggestion="核对总体执行率与各分项执行率，改正其中错误的一项；如该分项预算为0，写明",
                       related=[ctx.related(f.start, f.end, note="总体执行率")])
        break


_BATCH_FIRST = lex_re(_W, "restated", "batch_first")
_BATCH_LATER = lex_re(_W, "restated", "batch_later")
_TOTAL_BEFORE = lex_re(_W, "restated", "total_before")


BATCH_LOOKAHEAD = 12     # figures after a 共N个 that may be its batches


def _count_total_vs_batches(doc: Document, ctx, fm):
    """共N个 in a sentence whose batches (年初a个、年中追加b个) give another number."""
    by_sentence: dict[int, list[Figure]] = {}
    for f in fm:
        if f.kind == "count" and f.sentence is not None and not f.chinese and f.source == "text":
            by_sentence.setdefault(id(f.sentence), []).append(f)
    for figs in by_sentence.values():
        if len(figs) < 3:
            continue
        st = figs[0].sentence.text
        s0 = figs[0].sentence.start
        for i, tot in enumerate(figs):
            if tot.paren is not None or not _TOTAL_BEFORE.search(st[max(0, tot.start - s0 - 3):tot.start - s0]):
                continue
            noun = _noun(st, tot, s0)
            # the batches follow the total within a clause or two: a bounded look-ahead keeps a
            # run-on sentence with thousands of counts linear
            parts = [f for f in figs[i + 1:i + 1 + BATCH_LOOKAHEAD] if f.paren is None and f.unit == tot.unit and not f.approx
                     and _noun(st, f, s0) == noun and (_BATCH_FIRST.search(f.label) or _BATCH_LATER.search(f.label))]
            if not noun or not any(_BATCH_FIRST.search(f.label) for f in parts) \
                    or not any(_BATCH_LATER.search(f.label) for f in parts):
                continue
            got = sum(f.value for f in parts)
            if abs(got - tot.value) < 1e-9:
                continue
            how = " + ".join(f.text for f in parts)
            yield ctx.flag(tot.start, tot.end,
                           f"写明共{tot.text}{noun}，但同句所列各批次{how}＝{fmt(got)}{tot.unit}，相差{fmt(abs(got - tot.value))}{tot.unit}",
                           suggestion="核对总数与各批次数量；如有取消或合并的项目，写明",
                           related=[ctx.related(f.start, f.end, note="批次") for f in parts],
                           data={"total": tot.value, "sum": got})
            break


def _noun(st: str, f: Figure, s0: int) -> str:
    """The noun a count counts: the word after its unit (15个项目), else the end of its label (实施项目15个)."""
    from govlint.figures import noun_after
    after = noun_after(st, f.end - s0)
    if after:
        return after[:2]
    m = re.search(r"[\u4e00-\u9fff]{2}$", f.label)
    return m.group(0) if m else ""
