"""Numbers that must agree across the whole report, read from the figure model (govlint.figures).

FUND003 low execution or arrival rate with no reason anywhere; FUND004 a total that is not the
sum of count × standard; NUM002 one fact stated with two values; NUM003 an amount whose unit
cannot be right; IND004 an indicator reported complete below its target; IND005 a target far
exceeded.
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.figures import Figure, model
from govlint.figures import quantities_in as find_quantities
from govlint.finding import Severity
from govlint.quantities import decimals, fmt
from govlint.quantities import money_wan as _money_wan
from govlint.registry import Option, rule
from govlint.rules._util import lazy_re

RATE_NAME = {"exec_rate": "执行率", "arrival_rate": "到位率"}
_TARGETISH = lazy_re(r"目标值|指标值|年度指标|绩效目标|不低于|不少于|≥|>=|达到\d|考核|评分|得分|分值|权重")


def _rx(words) -> re.Pattern:
    return re.compile("|".join(f"(?:{w})" for w in words))


_COMPILED: dict[tuple, re.Pattern] = {}


def _cached(key: str, words) -> re.Pattern:
    k = (key, tuple(words))
    rx = _COMPILED.get(k)
    if rx is None:
        rx = _COMPILED[k] = _rx(words)
    return rx


def money_wan(x) -> str:
    """A Figure, a Quantity or a value in 元, for messages in 万元."""
    return _money_wan(x.value if isinstance(x, Figure) else x)


def _around(f: Figure, before: int = 30, after: int = 12) -> str:
    """The words around a figure in its sentence (bounded: linear on run-on sentences)."""
    a = f.start - f.sentence.start
    return f.sentence.text[max(0, a - before):a + (f.end - f.start) + after]


def _tol(f: Figure) -> float:
    """Half a unit of the last written digit, in the base unit."""
    mult = f.value / f.number if f.number else 1.0
    m = re.search(r"\.(\d+)", f.text)
    places = len(m.group(1)) if m else 0
    return 0.5 * 10 ** -places * mult + 1e-9


# ----- FUND003 ---------------------------------------------------------------------------------

def _has_reason(doc: Document, lex: dict, kind: str) -> bool:
    """A causal clause about money anywhere in the report."""
    markers = _cached("reasons", [m.replace("因", "因(?![此而素地])", 1) if m == "因" else m
                                  for m in lex["reasons"]["markers"]])
    money = _cached("money_words", [re.escape(w) for w in lex["reasons"]["money_words"]])
    for s in doc.sentences:
        t = s.text
        if markers.search(t) and money.search(t):
            return True
    return False


def _low_rates(doc: Document, ctx, fm) -> list[tuple[str, float, Figure, str, list]]:
    """(kind, rate, place, how, related) of each rate below the threshold, first per kind."""
    out = []
    seen = set()
    for f in fm:
        if f.kind != "rate" or f.subject not in RATE_NAME or f.subject in seen:
            continue
        if f.qualifiers & {"time", "target", "change"} or f.paren is not None:
            continue
        if f.sentence is not None and _TARGETISH.search(_around(f)):
            continue
        if not re.search(r"率[为是达：:]?$|率约?$", f.label) and f.source == "text":
            continue
        seen.add(f.subject)
        how = f"报告写明{RATE_NAME[f.subject]}{f.text}" if f.source == "text" else \
            f"自评表中{RATE_NAME[f.subject]}为{f.text}"
        out.append((f.subject, f.value, f, how, []))
    if "exec_rate" not in seen:
        b = _one_plain(fm, "budget")
        a = _one_plain(fm, "actual")
        if b is not None and a is not None and b.value > 0 and (b.year == a.year or None in (a.year, b.year)):
            rate = a.value / b.value * 100
            out.append(("exec_rate", rate, a, f"按所列金额计算执行率为{fmt(rate)}%（实际支出{money_wan(a)}÷预算{money_wan(b)}）",
                        [ctx.related(b.start, b.end, note="预算数")]))
    return out


def _one_plain(fm, subject: str) -> Figure | None:
    """The figure when the report states exactly one plain value for the subject."""
    figs = [f for f in fm.subject(subject) if f.plain and f.source == "text"]
    vals = {round(f.value, 2) for f in figs}
    return figs[0] if len(vals) == 1 else None


@rule(code="FUND003", name="low-rate-unexplained", severity=Severity.WARNING,
      options={"threshold": Option(90.0, float, "an execution or arrival rate below this percentage needs a "
                                                "reason in the report", min=0.0, max=100.0)},
      bad=["三、资金使用情况\n项目预算资金500万元，实际支出320万元，预算执行率⟦64%⟧。\n四、绩效目标实现情况\n已完成全部建设内容。\n",
           "三、资金使用情况\n项目预算资金500万元，实际支出⟦320万元⟧。\n"],
      good=["三、资金使用情况\n项目预算资金500万元，实际支出320万元，预算执行率64%。\n"
            "五、偏差原因\n执行率偏低的主要原因是部分工程尚未完成竣工结算，剩余资金将于结算审计后支付。\n",
            "三、资金使用情况\n项目预算资金500万元，实际支出490万元，预算执行率98%。\n"])
def low_rate_unexplained(doc: Document, ctx):
    """An execution or arrival rate below the threshold, stated or computed, with no reason anywhere in the report.

    The rate is the first 执行率 / 到位率 stated in the prose (not a target such as "执行率不低于
    90%", not last year's, not a change "较上年提高"), or the 自评表's 执行率; without a stated
    执行率, the rate computed from the report's single plain budget and single plain spending
    figure. It is reported when below ``threshold`` (default 90 %) and no sentence of the report
    gives a causal clause about money (因…, 由于…, 受…影响, 主要原因是…, 结余…为…节约资金,
    尚未拨付的…将于…, 质保金, 结转下年 — lexicon ``figures`` ``[reasons]``).

    Example: "项目预算资金500万元，实际支出320万元，预算执行率64%。" with nothing said about the
    remaining 180万元 → FUND003 at "64%"; a sentence "执行率偏低的主要原因是部分工程尚未完成竣工
    结算" anywhere in the report makes it silent.

    Why: 预算执行率低且未说明原因 is one of the first things a financial reviewer asks about; an
    unexplained low rate reads as money left idle (财预〔2020〕10号: 偏差原因分析).
    """
    thr = float(ctx.options["threshold"])
    fm = model(doc, ctx)
    lex = ctx.lex["figures"]
    lows = [x for x in _low_rates(doc, ctx, fm) if x[1] < thr - 1e-9]
    if not lows or _has_reason(doc, lex, "any"):
        return
    for kind, rate, f, how, related in lows:
        name = RATE_NAME[kind]
        gap = "未执行" if kind == "exec_rate" else "未到位"
        yield ctx.flag(f.start, f.end,
                       f"{how}，低于{fmt(thr)}%，但报告中没有说明{gap}资金的原因",
                       suggestion=f"在“资金使用情况”或“偏差原因分析”中说明{name}偏低的原因及{gap}资金的去向，"
                                  f"如“因部分工程尚未完成竣工结算，剩余资金将于审计后支付”",
                       related=related, data={"rate": round(rate, 4), "threshold": thr, "kind": kind})


# ----- FUND004 ---------------------------------------------------------------------------------

_STANDARD = lazy_re(r"(?:按照?|标准为?|补助标准为?|补贴标准为?)?每(?P<per>[人户亩个所座处台套村生名家位校])"
                    r"(?:每?(?P<time>年|月|学期|季度?|周|天|日|次))?[^，,。；;\d（(]{0,8}?$")
_STANDARD_AFTER = lazy_re(r"\s*/\s*(?P<per>人|户|亩|个|所|座|处|台|套|村|生|名|家|位|校)(?:\s*[·.]\s*(?P<time>年|月|学期))?")
_OTHER_MONEY = lazy_re(r"另|此外|以及|工作经费|管理费")


def _standards(st: str, qs):
    """(money quantity, per unit, time unit) of each per-unit standard in a sentence."""
    out = []
    for q in qs:
        if q.kind != "money":
            continue
        m = _STANDARD.search(st[max(0, q.start - 16):q.start])
        if m:
            out.append((q, m.group("per"), m.group("time")))
            continue
        m = _STANDARD_AFTER.match(st, q.end)
        if m:
            out.append((q, m.group("per"), m.group("time")))
    return out


@rule(code="FUND004", name="quantity-times-standard", severity=Severity.ERROR,
      bad=["改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金⟦100万元⟧。",
           "按每人每年2000元的标准资助家庭经济困难学生1,250人，共发放资助资金⟦240万元⟧。"],
      good=["改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金96万元。",
            "按每人每月300元的标准发放生活补助，共补助82人，发放资金29.52万元。",
            "补助标准为每户4,000元，全年共补助约120户，拨付资金近50万元。"])
def quantity_times_standard(doc: Document, ctx):
    """A stated total that is not the sum of count × per-unit standard written beside it.

    In one sentence: each per-unit standard (每户补助4,000元, 按每人每年2000元, 300元/人) is paired
    with the count of the matching unit next to it (120户, 1,250人, 82名学生); the total is the
    money figure after the items labelled 共/合计/共计/总计/共拨付 (or, with one item, labelled
    发放/拨付/补助资金). A difference beyond the rounding of the written total is an error when
    every factor is stated and per head (or per head per year); a monthly or per-term standard
    needs a duration the sentence may not state and is not multiplied; 约/近/左右 figures, other
    amounts between the items and the total (另安排工作经费…), and a count that cannot be paired
    make no finding.

    Example: "改造120户、每户补助4,000元，新建60户、每户补助8,000元，共拨付补助资金100万元" —
    120×4,000 + 60×8,000 = 96万元, not 100万元.

    Why: a reviewer recomputes every subsidy total from its count and standard first; a total
    that does not follow means a wrong count, a wrong standard or money paid outside the rule.
    """
    lex = ctx.lex["figures"]["standards"]
    aliases = lex.get("unit_alias", {})
    totals = _cached("totals", [re.escape(w) for w in lex["total_markers"]])
    for p in doc.paragraphs:
        if "每" not in p.text and "/" not in p.text:
            continue
        for s in p.sentences:
            st = s.text
            if "每" not in st and "/" not in st:
                continue
            qs = [q for q in find_quantities(st) if not q.chinese]
            stds = _standards(st, qs)
            if not stds:
                continue
            yield from _check_standards(ctx, s, st, qs, stds, aliases, totals)


def _check_standards(ctx, s, st, qs, stds, aliases, totals):
    """Walk the sentence once: items (count × standard) accumulate until a total closes them."""
    std_of = {id(q): (per, t) for q, per, t in stds}
    items: list = []          # (count, standard)
    pending: list = []        # standards waiting for a count written after them
    open_counts: list = []    # counts waiting for a standard written after them
    tainted = False           # another amount, a monthly standard or an unpaired standard
    first = None
    for q in qs:
        if id(q) in std_of:
            per, t = std_of[id(q)]
            if t in ("月", "学期", "季", "季度", "周", "天", "日", "次"):
                tainted = True
            c = _pair(st, q, per, open_counts, aliases)
            if c is not None:
                open_counts.remove(c)
                items.append((c, q))
            else:
                pending.append((q, per))
            first = q.start if first is None else first
            continue
        if q.kind in ("count", "area"):
            if _approx(st, q):
                continue
            for j, (sq, per) in enumerate(pending):
                if _pair(st, sq, per, [q], aliases) is not None:
                    items.append((q, sq))
                    del pending[j]
                    break
            else:
                open_counts = [c for c in open_counts if q.start - c.end < 40] + [q]
            continue
        if q.kind != "money":
            continue
        head = st[max(0, q.start - 14):q.start]
        cut = max(head.rfind(c) for c in "，,；;")
        head = head[cut + 1:]
        is_total = bool(items) and (totals.search(head) or (
            len(items) == 1 and re.search(r"发放|拨付|兑现|补助资金|补贴资金|资助资金|支付", head)))
        if not is_total:
            if items or pending:
                tainted = True       # another amount among the items
            continue
        if not tainted and not pending and not _approx(st, q) and not _OTHER_MONEY.search(st[first:q.start]) \
                and not re.search(r"[（(][^）)]*$", st[max(0, q.start - 60):q.start]):
            yield from _report_standards(ctx, s, q, items, stds)
        items, pending, open_counts, tainted, first = [], [], [], False, None


def _pair(st, std, per, counts, aliases):
    """The nearest count (within 40 characters) whose unit a standard "每<per>" names."""
    names = aliases.get(per, [per])
    best = None
    for c in counts:
        if c.kind == "area" and (c.unit != "亩" or per != "亩"):
            continue
        unit = c.unit
        noun = st[c.end:c.end + 4]
        if not (unit in names or unit == per or (unit == "名" and per in ("生", "人"))
                or (unit in ("个", "所", "名") and any(noun.startswith(n) for n in names))):
            continue
        d = abs(c.start - std.start)
        if d <= 40 and (best is None or d < abs(best.start - std.start)):
            best = c
    return best


def _report_standards(ctx, s, total, items, stds):
    got = sum((c.number if c.kind == "area" else c.value) * q.value for c, q in items)
    places = decimals(total)
    mult = total.value / total.number if total.number else 1.0
    tol = 0.5 * 10 ** -places * mult + 1e-6
    if abs(got - total.value) <= tol:
        return
    how = " + ".join(f"{c.text}×{q.text}" for c, q in items)
    ids = {id(q) for _c, q in items}
    per_year = any(t == "年" for q, _p, t in stds if id(q) in ids)
    base = s.start
    yield ctx.flag(base + total.start, base + total.end,
                   f"合计{total.text}与所列数量×标准之和不符：{how}＝{money_wan(got)}，"
                   f"相差{money_wan(abs(got - total.value))}",
                   suggestion=f"核对数量、补助标准和合计数；按所列数量和标准，合计应为{money_wan(got)}",
                   related=[ctx.related(base + min(c.start, q.start), base + max(c.end, q.end), note="数量×标准")
                            for c, q in items],
                   severity=Severity.WARNING if per_year or (len(items) == 1 and _loose_pair(items[0])) else None,
                   data={"total": total.value, "computed": got})


def _loose_pair(item) -> bool:
    c, q = item
    return abs(c.start - q.start) > 25


_APPROX_B = lazy_re(r"(?:约|近|逾|超过|超|大约|将近)\s*$")
_APPROX_A = lazy_re(r"\s*(?:左右|余|多|以上|上下)")


def _approx(st: str, q) -> bool:
    return bool(_APPROX_B.search(st[max(0, q.start - 3):q.start]) or _APPROX_A.match(st, q.end))


# ----- NUM002 ----------------------------------------------------------------------------------

def _claims(doc: Document, ctx, fm):
    lex = ctx.lex["figures"]["claims"]
    spent = _cached("all_spent", lex["all_spent"])
    arrived = _cached("all_arrived", lex["all_arrived"])
    scope = re.compile(r"(?:中央|省级|省|市级|县级|区级|本级|自筹|配套|其中|部分|专项债|债券)[^，。；]{0,8}$")
    for kind, rx in (("exec_rate", spent), ("arrival_rate", arrived)):
        rates = [f for f in fm.subject(kind) if f.kind == "rate" and f.value < 100 - 1e-9
                 and not f.qualifiers & {"time", "target", "change", "scope"} and f.paren is None
                 and f.source == "text" and f.sentence is not None and not _TARGETISH.search(_around(f))]
        if not rates:
            continue
        for s in doc.sentences:
            m = rx.search(s.text)
            if not m or re.search(r"未|尚未|没有|不", s.text[max(0, m.start() - 3):m.start()]):
                continue
            if scope.search(s.text[:m.start()][-12:]) or re.search(r"上年|去年|以前年度", s.text):
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


def _top_section(doc: Document, offset: int):
    """The level-1 section holding the offset (一、… 三、), or None before the first heading."""
    for sec in doc.sections:
        if sec.start <= offset < sec.end:
            return sec
    return None


_SAME_FACT_MAX = 4
_PLAIN_PREFIX = lazy_re(r"^(?:实际|全年|项目|本年度|本年|年度|当年|总)+(?=..)")


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
        if re.search(r"追加|调增|调减|调整", doc.text):
            if subject == "budget":
                continue
        name = {"budget": "预算数", "arrived": "到位资金", "actual": "实际支出"}[subject]
        yield ctx.flag(f2.start, f2.end,
                       f"{name}前后不一致：此处为{f2.label}{money_wan(f2)}，前文“{f1.section_title(doc)}”中"
                       f"{f1.label}为{money_wan(f1)}，相差{money_wan(abs(f2.value - f1.value))}",
                       suggestion=f"核对后统一{name}；如口径不同（年初/调整后、某级资金），写明口径",
                       related=[ctx.related(f1.start, f1.end, note=f"前文{name}")],
                       data={"subject": subject, "values": [f1.value, f2.value]})


_FUTURE = lazy_re(r"将|预计|计划|目标|力争|争取|拟|下一?年|明年|今后|应当|之日起")
_COUNT_LABEL_BAD = lazy_re(r"之日|以内|应当|自|起|累计|新增|其中|计划|目标|预计|拟|已有|剩余|其余|每|共有|分别|以上|以下|超过|达到|不少于|不低于|"
                           r"本次|首批|第.|第一|第二|当月|季度|上半年|下半年|截至|截止|开工|在建|完工|竣工|验收|抽查|抽样|调查|问卷|"
                           r"参与|参加|涉及|覆盖|辐射|带动|惠及|受益|满意|不满意|占")


def _restated_counts(doc: Document, ctx, fm):
    """One count (实施项目18个 / 实施项目17个) stated twice with two values in different sections."""
    if ctx.profile != "self-eval":
        return          # counts are compared only in self-evaluation reports (laws repeat time limits)
    seen: dict[tuple, list[Figure]] = {}
    for f in fm:
        if f.kind != "count" or f.chinese or not f.plain or f.source != "text" or f.in_table:
            continue
        label = f.label
        if len(label) < 4 or _COUNT_LABEL_BAD.search(label) or not re.fullmatch(r"[\u4e00-\u9fff]+", label):
            continue
        st = f.sentence.text
        if _FUTURE.search(st) or re.match(r"[月日天年周]|工作日", doc.text[f.end:f.end + 3]):
            continue
        seen.setdefault((label, f.unit, f.year), []).append(f)
    for (label, unit, _y), figs in seen.items():
        vals = []
        for f in figs:
            if not any(abs(f.value - g.value) < 1e-9 for g in vals):
                vals.append(f)
        if len(vals) != 2 or len(figs) > 3:
            continue
        f1, f2 = vals
        if doc.section_at(f1.start) is doc.section_at(f2.start):
            continue
        yield ctx.flag(f2.start, f2.end,
                       f"同一数量前后不一致：此处“{label}{f2.text}”，前文“{f1.section_title(doc)}”中为"
                       f"“{label}{f1.text}”，相差{fmt(abs(f2.value - f1.value))}{unit}",
                       suggestion="核对后统一数量；如口径不同（计划/完成、不同年度），写明口径",
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
    实施项目17个) and two values in different sections. (3) "资金已全部拨付/全部到位" in the
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


_BATCH_FIRST = lazy_re(r"年初|首批|第一批|原计划")
_BATCH_LATER = lazy_re(r"年中|追加|新增|增加|调增|第二批|后续|下半年")
_TOTAL_BEFORE = lazy_re(r"(?:共|合计|共计|总计|总共)\s*$")


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
            parts = [f for f in figs[i + 1:] if f.paren is None and f.unit == tot.unit and not f.approx
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


# ----- NUM003 ----------------------------------------------------------------------------------

_BARE_STANDARD = lazy_re(r"(?:补助|补贴|奖励|资助|标准|发放|奖补)[^，,。；;\d]{0,4}?(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*/\s*"
                         r"(?P<per>人·年|人/年|生·年|人|户|亩|生|名|年|月)(?![\u4e00-\u9fff]{0,1}元)")


# money words right before a number written with 万 and no 元 ("安排资金19204.096万。")
_BARE_WAN = lazy_re(r"(?:资金|预算|经费|投资|支出|拨付|到位|补助|总额|金额)(?:数|额)?(?:为|共|合计|计|约)?\s*"
                    r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)万(?=[，,。；;、）)]|$)")


# "送戏下乡补贴4万亿；" in a list of 万元 amounts: 万亿 without 元 is a slip for 万元
_WAN_YI = lazy_re(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)万亿(?![元美])")


@rule(code="NUM003", name="amount-unit", severity=Severity.WARNING,
      bad=["为全县农户发放耕地地力保护补贴，补助标准⟦120/亩⟧。",
           "全年安排项目资金⟦1920.5万⟧，其中中央资金1400万元。",
           "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金⟦20元⟧。"],
      good=["为全县农户发放耕地地力保护补贴，补助标准120元/亩。",
            "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金20万元。",
            "其中：差旅费3,500元，办公费1.2万元。"])
def amount_unit(doc: Document, ctx):
    """An amount whose unit is missing or cannot be right in its context.

    (1) A per-unit standard with no currency (补助120/亩, 资助300/人): the reader cannot tell 元
    from 万元. (2) In a "合计 X万元，其中 …" breakdown, one part written in 元 among parts in 万元
    whose sum only matches the total when that part is read as 万元 (县级配套资金200000元 where
    20万元 makes the total right) — a unit slip, reported at the part.

    Example: "项目资金合计300万元，其中：中央资金200万元，省级资金80万元，县级配套资金200000元" —
    read as 元 the parts give 280.2万元; read as 万元 the last part would not fit either, but 200000
    元 = 20万元 shows the figure was meant as 20万元 and the sum 300万元 holds only then.

    Why: 金额单位错误或缺失 makes every derived figure wrong; reviewers check units before sums.
    """
    for p in doc.paragraphs:
        t = p.text
        if "/" in t:
            for m in _BARE_STANDARD.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end("per")
                yield ctx.flag(a, b, f"标准“{m.group('n')}/{m.group('per')}”没有金额单位，无法判断是元还是万元",
                               suggestion=f"写明单位，如“{m.group('n')}元/{m.group('per')}”")
        if "万亿" in t and "万元" in doc.text[max(0, p.start - 300):p.end + 300]:
            for m in _WAN_YI.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end()
                yield ctx.flag(a, b, f"金额“{m.group(0)}”单位有误：前后其他金额以万元计，“万亿”当为“万元”之误",
                               suggestion=f"{m.group('n')}万元")
        if "万" in t:
            for m in _BARE_WAN.finditer(t):
                a, b = p.start + m.start("n"), p.start + m.end("n") + 1
                yield ctx.flag(a, b, f"金额“{m.group('n')}万”缺少货币单位，应写作“{m.group('n')}万元”",
                               suggestion=f"{m.group('n')}万元")
        if "其中" in t and "元" in t:
            yield from _unit_slips(ctx, p)


def _unit_slips(ctx, p):
    t = p.text
    for m in re.finditer(r"其中[：:]?", t):
        before = find_quantities(t[max(0, m.start() - 40):m.start()], "money")
        if not before:
            continue
        total = before[-1]
        off = max(0, m.start() - 40)
        if total.unit != "万元" or not re.fullmatch(r"[，,：:\s]*", t[off + total.end:m.start()]):
            continue
        end = re.search(r"[。\n]", t[m.end():])
        seg = t[m.end():m.end() + (end.start() if end else len(t) - m.end())]
        if re.search(r"[（(]", seg) or re.search(r"等[^级]|以上|以下", seg):
            continue
        parts = find_quantities(seg, "money")
        if len(parts) < 2:
            continue
        wan = [q for q in parts if q.unit == "万元"]
        yuan = [q for q in parts if q.unit == "元"]
        if len(yuan) != 1 or len(wan) != len(parts) - 1:
            continue
        y = yuan[0]
        rest = sum(q.value for q in wan)
        tol = 0.5 * 10 ** -max(decimals(total), *(decimals(q) for q in wan)) * 1e4 * len(parts)
        if abs(rest + y.value - total.value) <= tol:
            continue       # right as written
        if abs(rest + y.value * 1e4 - total.value) <= tol and y.value * 1e4 < total.value:
            want = y.number
            hint = f"按万元计，{fmt(want)}万元使合计正好为{total.text}"
        elif abs(rest + y.value / 1e4 * 1e4 - total.value) <= tol:
            continue
        else:
            continue
        a = p.start + m.end() + y.start
        yield ctx.flag(a, a + len(y.text),
                       f"分项“{y.text}”以元为单位，其他分项和合计以万元为单位：按元计各分项之和为"
                       f"{money_wan(rest + y.value)}，与合计{total.text}不符；{hint}",
                       suggestion=f"核对单位，统一为万元（如“{fmt(want)}万元”）",
                       related=[ctx.related(off + p.start + total.start, off + p.start + total.end, note="合计")])


# ----- IND004 / IND005 -------------------------------------------------------------------------

_TARGET_AT = lazy_re(r"(?:计划|目标|年度目标|预期|指标值|任务|要求|应)[^，,。；;\d]{0,10}$")
_ACTUAL_AT = lazy_re(r"(?:实际完成|实际|已完成|完成|达到|实现)[^，,。；;\d]{0,10}$")
_LOWER_BETTER = lazy_re(r"不超过|不高于|控制在|以内|以下|≤|<=|低于|降低|下降|减少|压缩|发生率|投诉|事故|超标|死亡|损失|成本|费用|时间|时限|天数")


def _target_actual_pairs(doc: Document, ctx):
    """(sentence, target q, actual q, lower_is_better) in one sentence of prose."""
    for s in doc.sentences:
        t = s.text
        if not re.search(r"计划|目标|预期|指标值|任务", t) or not re.search(r"实际|完成|达到|实现", t):
            continue
        qs = [q for q in find_quantities(t) if not q.chinese and q.kind != "points"]
        if len(qs) < 2:
            continue
        for i, tq in enumerate(qs):
            if not _TARGET_AT.search(t[max(0, tq.start - 14):tq.start]):
                continue
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if nxt is None or nxt.kind != tq.kind or nxt.unit != tq.unit:
                continue
            gap = t[tq.end:nxt.start]
            if not _ACTUAL_AT.search(t[max(0, nxt.start - 14):nxt.start]) or re.search(r"[。；;]", gap) or len(gap) > 24:
                continue
            if _approx(t, tq) or _approx(t, nxt) or re.search(r"累计|其中|上年|去年|较", gap):
                continue
            lower = bool(_LOWER_BETTER.search(t[max(0, tq.start - 16):tq.end + 4]))
            yield s, tq, nxt, lower


@rule(code="IND004", name="reported-complete-below-target", severity=Severity.WARNING,
      bad=["计划改造农村户厕500户，实际完成⟦480户⟧，圆满完成年度目标任务。"],
      good=["计划改造农村户厕500户，实际完成480户，未完成部分将于次年上半年完成。",
            "计划将工程事故发生率控制在2%以内，实际为1.2%，达到预期目标。",
            "计划改造农村户厕500户，实际完成520户，圆满完成年度目标任务。"])
def reported_complete_below_target(doc: Document, ctx):
    """An indicator whose actual figure is below its target in the same sentence, yet the text says it was completed.

    In prose: a target (计划/目标/预期/指标值 X) followed in the same sentence by the actual
    (实际完成/完成/达到 Y) of the same kind and unit; when Y falls short of X — direction-aware:
    for 不超过/控制在…以内/发生率/成本 lower is better — and the sentence or the next one says
    完成/已完成/达到目标/达标/圆满完成 without 未完成/部分完成/基本完成/差距, IND004 is reported
    at Y. Rows of the 自评表 are SCORE003/SCORE004's.

    Example: "计划改造农村户厕500户，实际完成480户，圆满完成年度目标任务" → IND004 at 480户
    (480 < 500, short by 20户 = 4%).

    Why: 完成值低于目标值却表述为已完成 is a credibility finding: the self-evaluation overstates
    its results (RULEBOOK §2.2 P3).
    """
    lex = ctx.lex["figures"]["indicators"]
    done = _cached("done", [re.escape(w) + "(?!率)" for w in lex["done_claims"]])
    deny = _cached("deny", [re.escape(w) for w in lex["denials"]])
    for s, tq, aq, lower in _target_actual_pairs(doc, ctx):
        short = aq.value > tq.value + 1e-9 if lower else aq.value < tq.value - 1e-9
        if not short:
            continue
        t = s.text
        after = t[aq.end:]
        nxt = _next_sentence(s)
        if nxt is not None and find_quantities(nxt.text):
            nxt = None          # the next sentence is about another figure
        scope = after + (nxt.text if nxt is not None else "")
        head = s.paragraph.text[:s.start - s.paragraph.start]
        if not done.search(scope) or deny.search(t) or deny.search(head) or (nxt is not None and deny.search(nxt.text)):
            continue
        diff = abs(tq.value - aq.value)
        pct = diff / tq.value * 100 if tq.value else 0
        word = "高于" if lower else "低于"
        yield ctx.flag(s.start + aq.start, s.start + aq.end,
                       f"实际完成{aq.text}{word}目标{tq.text}（相差{fmt(diff / (tq.value / tq.number) if tq.number else diff)}"
                       f"{tq.unit}，{fmt(pct)}%），却表述为已完成",
                       suggestion="如实表述为“未完全完成”，并说明未完成的原因和改进措施",
                       related=[ctx.related(s.start + tq.start, s.start + tq.end, note="目标值")],
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
    for s, tq, aq, lower in _target_actual_pairs(doc, ctx):
        if lower or tq.value <= 0 or aq.value <= tq.value * ratio:
            continue
        pct = aq.value / tq.value * 100
        yield ctx.flag(s.start + aq.start, s.start + aq.end,
                       f"实际完成{aq.text}为目标{tq.text}的{fmt(pct, 0)}%（{aq.text}÷{tq.text}），远超目标",
                       suggestion="说明大幅超额的原因；如目标设定偏低，在下一年度合理调高指标值",
                       related=[ctx.related(s.start + tq.start, s.start + tq.end, note="目标值")],
                       data={"target": tq.value, "actual": aq.value})
    yield from _table_far_exceeded(doc, ctx, ratio)


def _table_far_exceeded(doc: Document, ctx, ratio: float):
    if not re.search(r"指标值|目标值|实际完成", doc.text):
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
