"""IND004 / IND005: an actual figure against its target in the prose (and IND005 in the 自评表)."""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.figures import noun_after
from govlint.figures import quantities_in as find_quantities
from govlint.finding import Severity
from govlint.quantities import fmt
from govlint.registry import Option, also, rule
from govlint.rules._util import lazy_re
from govlint.rules.reconcile import _approx, _cached
from govlint.patterns import lex_re

# the words are in lexicons/number_words.toml [targets]; compiled on first use
_W = "number_words"
_TABLE_HINT = lex_re(_W, "targets", "table_hint")


# ----- IND004 / IND005 -------------------------------------------------------------------------

_TARGET_AT = lex_re(_W, "targets", "target_at")
_ACTUAL_AT = lex_re(_W, "targets", "actual_at")
_LOWER_BETTER = lex_re(_W, "targets", "lower_better")


def _target_actual_pairs(doc: Document, ctx) -> list:
    """(target sentence, target q, actual sentence, actual q, lower_is_better) in the prose: both in
    one sentence, or the target closing one sentence and the actual opening the next; found once
    per document for IND004 and IND005."""
    shared = ctx.shared
    got = shared.target_pairs
    if got is None:
        # count units that name no thing: across sentences the counted nouns must agree
        generic = frozenset(ctx.lex["figures"]["indicators"]["generic_units"])
        got = shared.target_pairs = [x for p in doc.paragraphs
                                     if _TARGET_WORD.search(p.text) and _ACTUAL_WORD.search(p.text)
                                     for x in _pairs_in(p, generic)]
    return got


_TARGET_WORD = lex_re(_W, "targets", "target_word")
_ACTUAL_WORD = lex_re(_W, "targets", "actual_word")
_STOP = lazy_re(r"[。；;]")
_OTHER_SCOPE = lex_re(_W, "targets", "other_scope")
CROSS_HEAD = 14        # the actual opens the next sentence: at most this many characters before it


def _quantities(t: str) -> list:
    return [q for q in find_quantities(t) if not q.chinese and q.kind != "points"]


def _pairs_in(p, generic: frozenset):
    ss = p.sentences
    prev = None          # (sentence, quantities) of the previous sentence with a target word
    for s in ss:
        t = s.text
        has_target = bool(_TARGET_WORD.search(t))
        if not has_target and not (prev is not None and _ACTUAL_WORD.search(t)):
            prev = None
            continue
        qs = _quantities(t)
        paired = False
        if has_target and _ACTUAL_WORD.search(t) and len(qs) >= 2:
            for i, tq in enumerate(qs):
                if not _TARGET_AT.search(t[max(0, tq.start - 14):tq.start]):
                    continue
                nxt = qs[i + 1] if i + 1 < len(qs) else None
                if nxt is None or nxt.kind != tq.kind or nxt.unit != tq.unit:
                    continue
                gap = t[tq.end:nxt.start]
                if not _ACTUAL_AT.search(t[max(0, nxt.start - 14):nxt.start]) or _STOP.search(gap) or len(gap) > 24:
                    continue
                if _approx(t, tq) or _approx(t, nxt) or _OTHER_SCOPE.search(gap):
                    continue
                paired = True
                yield s, tq, s, nxt, _lower(t, tq)
        if not paired and prev is not None and qs:
            x = _across(prev[0], prev[1], s, qs[0], generic)
            if x is not None:
                yield x
        prev = (s, qs) if has_target and qs and not paired else None


def _across(ts, tqs, s, aq, generic: frozenset):
    """The target that closes sentence ``ts`` and the actual ``aq`` that opens sentence ``s``
    (计划改造户厕500户。实际完成480户，…): the only figure of its kind and unit in the target
    sentence, the first figure of the next, named by 实际完成/完成/达到 in its first words."""
    t, at = ts.text, s.text
    if aq.start > CROSS_HEAD or not _ACTUAL_AT.search(at[:aq.start]) or _OTHER_SCOPE.search(at[:aq.start]):
        return None
    same = [q for q in tqs if q.kind == aq.kind and q.unit == aq.unit]
    if len(same) != 1:
        return None
    tq = same[0]
    if not _TARGET_AT.search(t[max(0, tq.start - 14):tq.start]) or _approx(t, tq) or _approx(at, aq):
        return None
    if aq.unit in generic or tq.kind == "rate":
        a, b = _noun(t, tq), _noun(at, aq)
        if not a or a != b:
            return None          # 计划开展培训12期。实际完成验收8期: two different things
    return ts, tq, s, aq, _lower(t, tq)


_HAN_TAIL = lazy_re(r"[\u4e00-\u9fff]{2}$")


def _noun(t: str, q) -> str:
    """What a count counts: the word after it (12期培训), else the two characters before it (培训12期)."""
    after = noun_after(t, q.end)
    if after:
        return after[:2]
    m = _HAN_TAIL.search(t[max(0, q.start - 6):q.start])
    return m.group(0) if m else ""


def _lower(t: str, tq) -> bool:
    return bool(_LOWER_BETTER.search(t[max(0, tq.start - 16):tq.end + 4]))


@rule(code="IND004", name="reported-complete-below-target", severity=Severity.WARNING,
      bad=["计划改造农村户厕500户，实际完成⟦480户⟧，圆满完成年度目标任务。"],
      good=["计划改造农村户厕500户，实际完成480户，未完成部分将于次年上半年完成。",
            "计划将工程事故发生率控制在2%以内，实际为1.2%，达到预期目标。",
            "计划改造农村户厕500户，实际完成520户，圆满完成年度目标任务。"])
def reported_complete_below_target(doc: Document, ctx):
    """An indicator whose actual figure is below its target, yet the text says it was completed.

    In prose: a target (计划/目标/预期/指标值 X) followed in the same sentence by the actual
    (实际完成/完成/达到 Y) of the same kind and unit, or a target closing one sentence and the
    actual opening the next (the only target of that kind and unit in its sentence; generic
    units such as 个/项/期 need the same counted noun); when Y falls short of X — direction-aware:
    for 不超过/控制在…以内/发生率/成本 lower is better — and the sentence or the next one says
    完成/已完成/达到目标/达标/圆满完成 without 未完成/部分完成/基本完成/差距, IND004 is reported
    at Y. Rows of the 自评表 are SCORE003/SCORE004's, except one case they cannot see: a table
    target lower than the target the prose 绩效目标 states for the same indicator (at least four
    characters of name in common, same kind and unit, the only such pair) with an actual that
    meets only the lowered one — reported at the table's target cell.

    Example: "计划改造农村户厕500户，实际完成480户，圆满完成年度目标任务" → IND004 at 480户
    (480 < 500, short by 20户 = 4%).

    Why: 完成值低于目标值却表述为已完成 is a credibility finding: the self-evaluation overstates
    its results (RULEBOOK §2.2 P3).
    """
    lex = ctx.lex["figures"]["indicators"]
    # "已完成年度任务的96%" states a share, not completion
    done = _cached("done", [re.escape(w) + r"(?!率)(?![^，,。；;]{0,8}[\d%％])" for w in lex["done_claims"]])
    deny = _cached("deny", [re.escape(w) for w in lex["denials"]])
    for ts, tq, s, aq, lower in _target_actual_pairs(doc, ctx):
        short = aq.value > tq.value + 1e-9 if lower else aq.value < tq.value - 1e-9
        if not short:
            continue
        t = s.text
        after = t[aq.end:]
        nxt = _next_sentence(s)
        if nxt is not None and find_quantities(nxt.text):
            nxt = None          # the next sentence is about another figure
        scope = after + (nxt.text if nxt is not None else "")
        head = ts.paragraph.text[:ts.start - ts.paragraph.start]
        if not done.search(scope) or deny.search(t) or deny.search(head) or (nxt is not None and deny.search(nxt.text)) \
                or (ts is not s and deny.search(ts.text)):
            continue
        diff = abs(tq.value - aq.value)
        pct = diff / tq.value * 100 if tq.value else 0
        word = "高于" if lower else "低于"
        yield ctx.flag(s.start + aq.start, s.start + aq.end,
                       f"实际完成{aq.text}{word}目标{tq.text}（相差{fmt(diff / (tq.value / tq.number) if tq.number else diff)}"
                       f"{tq.unit}，{fmt(pct)}%），却表述为已完成",
                       suggestion="如实表述为“未完全完成”，并说明未完成的原因和改进措施",
                       related=[ctx.related(ts.start + tq.start, ts.start + tq.end, note="目标值")],
                       data={"target": tq.value, "actual": aq.value})


def _next_sentence(s):
    ss = s.paragraph.sentences
    for i, x in enumerate(ss):
        if x is s and i + 1 < len(ss):
            return ss[i + 1]
    return None


@rule(code="IND005", name="target-far-exceeded", severity=Severity.INFO,
      options={"ratio": Option(1.5, float, "an actual above this multiple of a ≥ target is reported",
                               min=1.0, max=100.0)},
      bad=["计划开展农业技术培训20期，实际完成⟦46期⟧。"],
      good=["计划开展农业技术培训20期，实际完成24期。",
            "计划将投诉率控制在5%以内，实际为1%。"])
def target_far_exceeded(doc: Document, ctx):
    """An actual figure far above its ≥ target (default more than 150 %): the target was probably set too low.

    Prose: a target (计划/目标/预期 X) and its actual (实际完成 Y) in one sentence, same kind and
    unit; the 自评表: an indicator row whose target is a number with ≥ or no comparator and
    whose actual is comparable. Lower-is-better targets (不超过, 控制在…以内, 发生率) are left
    alone. Info only: a reviewer asks why the target was so low.

    Example: "计划开展农业技术培训20期，实际完成46期" → 230 % of the target.

    Why: 绩效目标设置偏低 (指标值明显低于实际完成) is a standard comment of 绩效目标审核; the
    target does not measure the project's ambition.
    """
    ratio = float(ctx.options["ratio"])
    for ts, tq, s, aq, lower in _target_actual_pairs(doc, ctx):
        if lower or tq.value <= 0 or aq.value <= tq.value * ratio:
            continue
        pct = aq.value / tq.value * 100
        yield ctx.flag(s.start + aq.start, s.start + aq.end,
                       f"实际完成{aq.text}为目标{tq.text}的{fmt(pct, 0)}%（{aq.text}÷{tq.text}），远超目标",
                       suggestion="说明大幅超额的原因；如目标设定偏低，在下一年度合理调高指标值",
                       related=[ctx.related(ts.start + tq.start, ts.start + tq.end, note="目标值")],
                       data={"target": tq.value, "actual": aq.value})
    yield from _table_far_exceeded(doc, ctx, ratio)


def _table_far_exceeded(doc: Document, ctx, ratio: float):
    if not _TABLE_HINT.search(doc.text):
        return
    from govlint.table import comparable, tables
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            tv, av = ind.target, ind.actual
            if tv.comparator not in (None, ">=", ">") or not comparable(tv, av):
                continue
            if tv.qkind == "rate" or av.qkind == "rate" or tv.unit in ("%", "分"):
                continue
            tn, an = (tv.number, av.number) if "number" in (tv.qkind, av.qkind) else (tv.value, av.value)
            if not tn or tn <= 1 or an <= tn * ratio:
                continue
            c = ind.cell("actual")
            if c is None or not c.has_span:
                continue
            rel = ind.cell("target")
            pct = an / tn * 100
            yield ctx.flag(c.start, c.end,
                           f"{c.ref}：“{ind.level3 or ind.row_label}”实际完成值{av.text.strip()}为指标值"
                           f"{tv.text.strip()}的{fmt(pct, 0)}%，远超目标",
                           suggestion="说明大幅超额的原因；如目标设定偏低，在下一年度合理调高指标值",
                           related=[ctx.related(rel.start, rel.end, note="指标值")] if rel is not None and rel.has_span else [],
                           data={"target": tn, "actual": an})


# ----- IND004: the 自评表 target lowered below the 绩效目标 stated in the prose ------------------

_PROSE_LOWER = lex_re(_W, "targets", "prose_lower")
_PROSE_APPROX = lex_re(_W, "targets", "prose_approx")
_PROSE_APPROX_AFTER = lex_re(_W, "targets", "prose_approx_after")
_HAN = lazy_re(r"[\u4e00-\u9fff]+")
MIN_SHARED = 4        # characters an indicator name and a prose label must share to be one indicator


def _shared_run(a: str, b: str) -> int:
    """The length of the longest run of characters common to ``a`` and ``b`` (both short)."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _prose_targets(doc: Document, ctx) -> list:
    """(figure, lower_is_better) of each target stated in the prose (绩效目标 sections, 目标为：…)."""
    from govlint.figures import model
    out = []
    for f in model(doc, ctx):
        if f.source != "text" or f.in_table or f.kind not in ("count", "area", "length", "rate") \
                or "target" not in f.qualifiers or f.paren is not None or f.chinese:
            continue
        st, a = f.sentence.text, f.start - f.sentence.start
        if _PROSE_APPROX.search(st[max(0, a - 3):a]) or _PROSE_APPROX_AFTER.match(st, a + len(f.text)):
            continue
        around = st[max(0, a - 6):a] + "|" + st[a + len(f.text):a + len(f.text) + 3]
        lower = bool(_PROSE_LOWER.search(st[a + len(f.text):a + len(f.text) + 3])
                     or _PROSE_LOWER.search(st[max(0, a - 6):a])) or bool(_LOWER_BETTER.search(around))
        out.append((f, lower))
    return out


@also("IND004")
def table_target_below_prose(doc: Document, ctx):
    """An indicator of the 自评表 whose target is lower than the target the prose states for it
    (绩效目标: 建成高标准农田4万亩; 自评表: ≥3.8万亩) and whose actual meets only the lower one:
    reported as complete against a lowered target. The indicator and the prose figure must share
    kind, unit and at least four characters of name, and be the only such pair."""
    if "指标" not in doc.text:
        return
    from govlint.table import comparable, tables
    ts = tables(doc, ctx.shared)
    if not ts:
        return
    prose = _prose_targets(doc, ctx)
    if not prose:
        return
    for t in ts:
        for ind in t.indicators:
            tv, av = ind.target, ind.actual
            if tv.kind != "number" or not comparable(tv, av) or tv.unit != av.unit or not tv.unit:
                continue
            name = "".join(_HAN.findall(ind.level3 or ind.row_label or ""))
            if len(name) < MIN_SHARED:
                continue
            hits = [(f, low) for f, low in prose if f.unit == tv.unit and f.kind == tv.qkind
                    and _shared_run(name, "".join(_HAN.findall(f.label))) >= MIN_SHARED]
            if len({(round(f.value, 6), low) for f, low in hits}) != 1:
                continue         # none, or two different targets could be this indicator
            f, low = hits[0]
            if (tv.comparator in ("<=", "<")) != low:
                continue         # the two do not even agree on the direction: unsure
            pv, tval, aval = f.value, tv.value, av.value
            lowered = tval > pv + 1e-9 if low else tval < pv - 1e-9
            short = aval > pv + 1e-9 if low else aval < pv - 1e-9
            meets = aval <= tval + 1e-9 if low else aval >= tval - 1e-9
            if not (lowered and short and meets):
                continue
            c = ind.cell("target")
            if c is None or not c.has_span:
                continue
            word = "高于" if low else "低于"
            yield ctx.flag(c.start, c.end,
                           f"{c.ref}：“{ind.level3 or ind.row_label}”指标值{tv.text.strip()}{word}报告所述绩效目标"
                           f"{f.text}；实际完成{av.text.strip()}按绩效目标未完成，却按调整后的指标值计为完成",
                           suggestion="自评表指标值应与批复的绩效目标一致；如目标经批准调整，写明调整依据，"
                                      "否则按原目标如实评价完成情况",
                           related=[ctx.related(f.start, f.end, note="绩效目标")],
                           data={"target": tval, "prose_target": pv, "actual": aval})
