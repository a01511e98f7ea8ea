"""What a reviewer sends back: slogan targets, misdesigned indicators, "问题：无", a changing identity.

IND006 reads the part of a self-evaluation report that states its targets (绩效目标, 总体目标,
年度目标, the table's 年度总体目标 cell); IND007 reads indicator labels in prose and the rows of
the self-evaluation table; STRUCT005 reads the problems and improvement part; STRUCT006
compares the year and the project name of the title with the identity lines of the report.
Their words and patterns are in ``lexicons/claims.toml``.
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import rule
from govlint.rules._measure import figures, section_kind
from govlint.rules._util import alternation, lazy_re, quoted_spans

_HAN = lazy_re(r"[\u4e00-\u9fff]")
_PUNCT = lazy_re(r"[\s\u3000，,。．.；;：:！!、“”\"'‘’（）()《》【】\-—/]+")
_YEAR_ANY = lazy_re(r"(?:19|20)\d{2}\s*年|[二][〇零○][一二三四五六七八九〇零○]{2}年")
_ITEM = lazy_re(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]|[①-⑳])\s*")


def _han_len(text: str) -> int:
    return len(_HAN.findall(text))


def _conf(ctx) -> dict:
    return ctx.lex["claims"]


def _rx(ctx, key: str) -> re.Pattern:
    """A pattern of the claims lexicon, compiled once per process."""
    cache = ctx.shared.setdefault("claims.rx", {})
    got = cache.get(key)
    if got is None:
        value = _conf(ctx)[key]
        if isinstance(value, list):
            got = re.compile("|".join(f"(?:{v})" for v in value))
        else:
            got = re.compile(value)
        cache[key] = got
    return got


def _unquoted(text: str) -> str:
    """``text`` with quotations and 《》 titles blanked (same length)."""
    out = list(text)
    for a, b in quoted_spans(text):
        out[a:b] = " " * (b - a)
    return "".join(out)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\u3000":
        a += 1
    while b > a and text[b - 1] in " \t\u3000。；;，,.":
        b -= 1
    return a, b


# ----- IND006 -------------------------------------------------------------------------------

def _section_spans(sec, skip=None) -> list[tuple[int, int]]:
    """The section's prose with its sub-headings' own lines (numbered targets are often parsed
    as headings: "1.完成养护126公里。"), without its own heading title; sub-sections whose
    title matches ``skip`` are left out with everything under them."""
    out = []

    def walk(node):
        h = node.heading
        if node is sec:
            if h is not None and h.has_inline_body:
                out.append((h.title_end, h.paragraph.end))
        elif h is not None:
            if skip is not None and skip.search(node.title[:40]):
                return
            out.append((h.marker_end, h.paragraph.end))
        out.extend((p.start, p.end) for p in node.paragraphs)
        for child in node.children:
            walk(child)

    walk(sec)
    return sorted(out)


def _target_blocks(doc: Document, ctx) -> list[tuple[list[tuple[int, int]], str]]:
    """(spans, where) of the report's target statements: target sections and 总体目标：… labels."""
    head_re, not_re = _rx(ctx, "target_heading"), _rx(ctx, "target_heading_not")
    label_re = _rx(ctx, "target_label")
    out: list[tuple[list[tuple[int, int]], str]] = []
    covered: list[tuple[int, int]] = []
    for sec in doc.sections:
        if sec.heading is None:
            continue
        title = re.split(r"[：:。]", sec.title, maxsplit=1)[0][:40]
        if not head_re.search(title) or not_re.search(title):
            continue
        if any(a <= sec.heading.paragraph.start < b for a, b in covered):
            continue
        # "（一）项目立项目的和年度绩效目标情况" with "1.项目提出的理由 … 3.项目绩效目标": the
        # target sub-section is taken on its own
        if any(head_re.search(c.title[:40]) and not not_re.search(c.title[:40]) for c in sec.walk() if c is not sec):
            continue
        spans = _section_spans(sec, _rx(ctx, "target_child_not"))
        covered.append((sec.heading.paragraph.start, sec.end))
        if spans:
            out.append((spans, title))
    for p in doc.paragraphs:
        if any(a <= p.start < b for a, b in covered):
            continue
        for m in label_re.finditer(p.text):
            lead = re.split(r"[。；;！!]", p.text[:m.start()])[-1]
            if _YEAR_ANY.search(lead) or _checkable(lead, ctx):
                continue   # "到2035年，总体目标是：…": the deadline stands before the label
            a = p.start + m.end()
            nxt = label_re.search(p.text, m.end())
            b = p.start + (nxt.start() if nxt else len(p.text))
            sec = p.section
            if sec is not None and section_kind(sec, ctx.lex) in ("indicator", "satisfaction", "result") \
                    and "完成" in p.text[m.end():]:
                continue   # "年度目标：…，实际完成…": a result, checked by IND001/IND002
            out.append(([(a, b)], m.group(0).rstrip("：:为是")))
    return out


def _checkable(text: str, ctx) -> bool:
    return bool(figures(text, ctx.lex) or _rx(ctx, "checkable").search(text))


@rule(code="IND006", name="unmeasurable-target", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n（二）项目绩效目标\n"
           "⟦通过项目实施，全面提升农村公路服务水平，推动交通运输高质量发展⟧。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n（二）项目绩效目标\n"
            "年内完成县乡道养护126公里，优良路率达到80%以上。\n",
            "2023年度农村公路养护项目绩效自评报告\n三、绩效目标完成情况\n全面提升了农村公路服务水平。\n"])
def unmeasurable_target(doc: Document, ctx):
    """A target in the 绩效目标 part (总体目标, 年度目标, the table's target cell) is a slogan: no quantity, standard, deadline or cost.

    The target part is a section whose heading names 绩效目标 / 总体目标 / 年度目标 (not
    their 完成情况), an inline label such as "年度绩效目标：…", and the 年度总体目标 cell
    of the self-evaluation table. Each sentence there built on a slogan verb of the
    ``claims`` lexicon (全面提升, 推动, 确保, 打造 …) is checked: a figure (number with a
    unit, percentage, date), a deadline (年底前, 6月底前), a standard (合格, 达标, 国家标准)
    or a bound (≥, 不低于) makes it checkable. A warning when the whole target statement has
    nothing checkable; info for a slogan sentence beside targets that do carry figures.
    Quotations and 《》 titles are ignored.

    Why: a target is what the year is judged against; 全面提升服务水平 cannot be met or missed.
    财预〔2021〕101号 asks targets to be 指向明确、细化量化、合理可行, and reviewers return
    reports whose targets are slogans ("绩效目标不明确、不可衡量").
    """
    text = doc.text
    slogan_re = alternation(tuple(_conf(ctx)["slogans"]))
    blocks = _target_blocks(doc, ctx)
    # the self-evaluation table's 年度总体目标 cell
    from govlint.table import tables
    for t in tables(doc, ctx.shared):
        c = t.goal_expected
        if c is not None and c.has_span:
            blocks.append(([(c.start, c.end)], "年度总体目标"))
    meta_re = _rx(ctx, "target_meta")
    for spans, where in blocks:
        candidates: list[list[tuple[int, int]]] = []     # per span (paragraph or cell)
        any_checkable = False
        for a, b in spans:
            seg = _unquoted(text[a:b])
            found = []
            for m in re.finditer(r"[^。；;！!\n]+", seg):
                s = m.group(0)
                if _han_len(s) < 6:
                    continue
                if _checkable(s, ctx):
                    any_checkable = True
                    continue
                im = _ITEM.match(s)
                off = im.end() if im else 0
                if not slogan_re.search(s[off:]) or meta_re.search(s[off:]):
                    continue
                found.append(_trim(text, a + m.start() + off, a + m.end()))
            if found:
                candidates.append(found)
        for found in candidates:
            a, b = found[0]
            more = f"（本段另有{len(found) - 1}句同样情况）" if len(found) > 1 else ""
            sev = Severity.INFO if any_checkable else None
            yield ctx.flag(a, b, f"{where}写成了口号：没有数量、质量标准、完成时限或成本，年底无法判断是否完成{more}",
                           suggestion="改写为可衡量的目标，写明数量和单位、质量标准、完成时限或成本，"
                                      "如“年底前完成县乡道养护126公里，验收合格率100%”",
                           severity=sev)


# ----- IND007 -------------------------------------------------------------------------------

_PROSE_LABEL = lazy_re(r"(数量|质量|时效|成本|社会效益|经济效益|生态效益|可持续影响)指标(?:完成情况|完成值)?[：:]")


def _kind_problem(level1: str, level2: str, name: str, target_text: str, ctx) -> tuple[str, str] | None:
    """(message, suggestion) when an indicator is filed under the wrong kind, else None."""
    from govlint.quantities import find_quantities
    name_n = re.sub(r"\s", "", name)
    if not name_n:
        return None
    if _rx(ctx, "input_indicators").search(name_n) and (
            "产出" in level1 or re.search(r"数量|质量|时效|成本", level2)):
        return (f"“{name_n}”是资金投入和过程指标，不是产出：产出指标应写项目提供的产品或服务",
                "把资金到位率、预算执行率放到“预算执行率”或过程指标中，产出指标改写为完成的工作量，"
                "如“新建村道20公里”")
    if _rx(ctx, "satisfaction").search(name_n) and _rx(ctx, "benefit_kinds").search(level2 or level1) \
            and "满意" not in level2:
        return (f"满意度指标“{name_n}”被列为{level2 or level1}：满意度应作为单独的一级指标",
                "把满意度移到“满意度指标—服务对象满意度指标”，效益指标改写为项目带来的实际变化（附数据）")
    if not target_text:
        return None
    qs = [q for q in find_quantities(target_text) if not q.chinese]
    if "时效" in level2:
        if qs and not any(q.kind == "rate" for q in qs) and not _rx(ctx, "timely_words").search(name_n + target_text):
            return (f"时效指标“{name_n}”的指标值“{target_text}”是数量，不是时间：时效指标应写完成时限",
                    "写明完成时限，如“2023年10月底前完工”或“补助资金在收到申请后15个工作日内发放”")
    elif "成本" in level2:
        if not any(q.kind == "money" for q in qs) and not re.search(r"元", name_n + target_text) \
                and not _rx(ctx, "cost_not_money").search(name_n + level2):
            return (f"成本指标“{name_n}”的指标值“{target_text}”没有金额",
                    "写明成本金额，如“每公里养护成本≤3.5万元”或“项目总成本≤300万元”")
    elif "质量" in level2:
        if qs and all(q.kind in ("count", "length", "area") for q in qs) \
                and not _rx(ctx, "quality_count_ok").search(name_n + target_text):
            return (f"质量指标“{name_n}”的指标值“{target_text}”是数量，不是质量标准",
                    "数量放到数量指标；质量指标写合格率、达标率或验收标准，如“工程验收合格率100%”")
    return None


def _norm_value(text: str) -> str:
    return re.sub(r"[\s≥≤＞＜><=＝]|不低于|不少于|不高于|不超过|以上|以下|以内|达到", "", text or "")


@rule(code="IND007", name="indicator-misdesigned", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度村道建设项目绩效自评报告\n| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 |\n"
           "| 产出指标 | 数量指标 | ⟦资金到位率⟧ | 100% | 100% |\n"
           "| 产出指标 | 数量指标 | 新建村道 | 20公里 | 18公里 |\n",
           "2023年度职业技能培训项目绩效自评报告\n四、绩效指标完成情况\n（一）产出指标\n"
           "质量指标：⟦培训农村劳动力860人次⟧。\n"],
      good=["2023年度村道建设项目绩效自评报告\n| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 |\n"
            "| 产出指标 | 质量指标 | 工程验收合格率 | 100% | 100% |\n"
            "| 产出指标 | 时效指标 | 补助资金发放及时率 | 100% | 100% |\n"
            "| 满意度指标 | 服务对象满意度指标 | 受益群众满意度 | ≥90% | 93% |\n"])
def indicator_misdesigned(doc: Document, ctx):
    """An indicator is filed under the wrong kind, or the targets were evidently written after the fact.

    On the rows of the self-evaluation table and on labelled indicators in prose
    (质量指标：…): money or staff inputs (资金到位率, 预算执行率) listed as 产出指标;
    satisfaction listed as a 社会/经济/生态效益 indicator; a 时效指标 whose value is a count
    and names no time; a 成本指标 whose value has no amount of money; a 质量指标 whose value
    is a plain count (人次, 公里) with no rate or standard. An indicator whose value has no
    figure at all is IND001's. In the table, every indicator's 实际完成值 equal to its
    年度指标值 (five rows or more, with figures other than 100 %) means the targets were
    copied from the results.

    Why: the indicator framework of 财预〔2020〕10号 and 财预〔2021〕101号 gives each kind its
    meaning — 产出 what the project delivers, 效益 the change it brings, 满意度 what the
    people served say, 时效 a time limit, 成本 an amount. An indicator of the wrong kind
    measures nothing of what its row claims; reviewers deduct for 指标设置不合理.
    """
    text = doc.text
    from govlint.table import tables
    # 1. rows of the self-evaluation table
    for t in tables(doc, ctx.shared):
        rows = t.indicators
        for ind in rows:
            got = _kind_problem(ind.level1, ind.level2, ind.level3, ind.target.text.strip(), ctx)
            if got is None:
                continue
            c = ind.cell("level3") or ind.cell("target")
            if c is None or not c.has_span:
                continue
            msg, sug = got
            yield ctx.flag(c.start, c.end, f"{c.ref}：{msg}", suggestion=sug)
        paired = [ind for ind in rows if ind.target.text.strip() and ind.actual.text.strip()]
        numeric = [i for i in paired if i.target.kind == "number"]
        if len(paired) >= 5 and len(numeric) >= 3 \
                and all(_norm_value(i.target.text) == _norm_value(i.actual.text) for i in paired) \
                and sum(1 for i in numeric if i.target.qkind != "rate" or i.target.number != 100) >= 2:
            c = numeric[0].cell("target")
            if c is not None and c.has_span:
                yield ctx.flag(c.start, c.end, f"{c.ref}：全部{len(paired)}项指标的实际完成值都与年度指标值完全相同，"
                                               "指标值像是按完成情况倒填的",
                               suggestion="年度指标值应取年初批复的绩效目标；如实填写实际完成值，有偏差的在偏差原因栏说明")
    # 2. labelled indicators in prose
    from govlint.table import narrative_paragraphs
    for p in narrative_paragraphs(doc):
        sec = p.section
        if sec is None:
            continue
        marks = list(_PROSE_LABEL.finditer(p.text))
        if not marks:
            continue
        level1 = " ".join(sec.path)
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(p.text)
            value = p.text[m.end():end]
            cut = re.search(r"[；;。\n]", value)
            value = value[:cut.start()] if cut else value
            if not figures(value, ctx.lex) and not _rx(ctx, "input_indicators").search(value):
                continue     # no figure at all: IND001
            kind = m.group(1)
            name = value
            got = _kind_problem("产出" if kind in "数量质量时效成本" else "效益", kind, name, value, ctx)
            if got is None and kind not in "数量质量时效成本" and _rx(ctx, "satisfaction").search(value):
                got = _kind_problem(level1, kind, value, value, ctx)
            if got is None:
                continue
            va, vb = _trim(text, p.start + m.end(), p.start + m.end() + len(value))
            if vb <= va:
                continue
            msg, sug = got
            yield ctx.flag(va, vb, msg.replace(f"“{re.sub(chr(92) + 's', '', name)}”的指标值", "的指标值"),
                           suggestion=sug)


# ----- STRUCT005 ----------------------------------------------------------------------------

_NIL_SHAPE = lazy_re(
    r"^(?:经(?:自查|核查|检查|自评|认真自查|评价)|通过自评|自评发现)?"
    r"(?:本(?:项目|单位|部门|年度)|该项目|项目)?(?:在)?(?:项目)?(?:实施|执行|运行)?(?:过程)?(?:中)?"
    r"(?:暂|均|目前|尚)?(?:无|没有|未发现|不存在|未见)(?:明显|重大|突出|需要说明|需说明|其他)?(?:的)?"
    r"(?:问题|偏差|不足|改进措施|建议|整改事项|需要整改的问题)?$")
_LEAD = lazy_re(r"^(?:下一步|今后|我们将|我单位将|我局将|将|在今后的工作中)")


def _is_nil(body: str, ctx) -> bool:
    core = _PUNCT.sub("", _ITEM.sub("", body))
    return core in _conf(ctx)["nil"] or bool(_NIL_SHAPE.match(core))


def _is_promise(body: str, ctx) -> bool:
    """Only generic promises: short clauses of a promise verb and a generic object, nothing else."""
    if _han_len(body) > 80 or figures(body, ctx.lex):
        return False
    clauses = [c for c in re.split(r"[，,。；;！!\n]", body) if _han_len(c) >= 2]
    if not clauses:
        return False
    verb, obj = _rx(ctx, "promise"), _rx(ctx, "promise_objects")
    for c in clauses:
        c = _LEAD.sub("", _ITEM.sub("", c.strip()))
        if _han_len(c) > 14 or not verb.search(c) or not obj.search(c):
            return False
    return True


def _admitted(doc: Document, ctx, skip: list[tuple[int, int]]):
    """(start, end, what) of the first shortfall the report admits outside ``skip``, or None."""
    from govlint.rules._shortfall import KIND_ZH, admissions
    for adm in admissions(doc, ctx.lex["shortfall"]):
        if not any(a <= adm.start < b for a, b in skip):
            return adm.start, adm.end, f"{KIND_ZH[adm.kind]}（“{adm.text}”）"
    from govlint.table import shortfall, tables
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            c = ind.cell("actual") or ind.cell("level3")
            if c is None or not c.has_span:
                continue
            if shortfall(ind.target, ind.actual):
                return c.start, c.end, f"自评表中“{ind.level3 or ind.level2}”未达到年度指标值"
            if ind.points is not None and ind.score is not None and ind.score < ind.points - 1e-9:
                return c.start, c.end, f"自评表中“{ind.level3 or ind.level2}”扣了分"
    for m in re.finditer(r"(执行率|完成率|到位率)[^，,。；;\d]{0,6}?(\d+(?:\.\d+)?)\s*[%％]", doc.text):
        if float(m.group(2)) < 100 and not any(a <= m.start() < b for a, b in skip):
            return m.start(), m.end(), f"{m.group(1)}为{m.group(2)}%"
    return None


@rule(code="STRUCT005", name="nothing-to-report", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度农村公路养护项目绩效自评报告\n二、资金使用情况\n预算300万元，实际支出276万元，执行率92%。\n"
           "三、存在的问题\n⟦无⟧。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n二、资金使用情况\n预算300万元，实际支出276万元，执行率92%。\n"
            "三、存在的问题\n部分路段因雨季停工，24万元养护资金未能在年内支付。\n"])
def nothing_to_report(doc: Document, ctx):
    """The problems or improvement part says 无 / 暂无 / 未发现问题, or only makes a generic promise (进一步加强管理).

    The part is a section whose heading names 存在的问题, 不足, 改进措施, 整改 or 下一步
    (not 其他需说明的问题, where 无 is the right answer), or an inline label such as
    "存在问题：无". A warning when the report elsewhere admits a shortfall: a target not met,
    work unfinished, a 执行率 or 完成率 below 100 %, a table row below its target or with
    points deducted; info when it admits none.

    Why: reviewers do not accept 存在问题：无 — a self-evaluation is meant to find what
    can be done better, and 无 beside an execution rate of 92 % contradicts the report
    itself. "进一步加强管理" names no problem and no measure anyone could check.
    """
    head_re, not_re = _rx(ctx, "problem_heading"), _rx(ctx, "problem_heading_not")
    text = doc.text
    found: list[tuple[int, int, str]] = []
    seen: list[tuple[int, int]] = []
    for sec in doc.sections:
        if sec.heading is None:
            continue
        title = sec.title[:40]
        if not head_re.search(title) or not_re.search(title):
            continue
        hp = sec.heading.paragraph
        if any(a <= hp.start < b for a, b in seen):
            continue
        if re.search(r"原因", title) and not re.search(r"问题|不足", title):
            continue       # 未完成原因和改进措施: 无 is right when every target was met (STRUCT004)
        spans = _section_spans(sec)
        body = "\n".join(text[a:b] for a, b in spans)
        if not body.strip():
            continue       # empty: STRUCT003
        seen.append((hp.start, sec.end))
        h = sec.heading
        a0 = h.title_end if h.has_inline_body else min(h.paragraph.end + 1, spans[0][0])
        if _is_nil(body, ctx):
            a, b = _trim(text, a0, spans[-1][1])
            found.append((a, b, "nil"))
        elif _is_promise(body, ctx):
            a, b = _trim(text, a0, spans[-1][1])
            found.append((a, b, "promise"))
    label = re.compile(r"(?:存在(?:的)?(?:主要)?问题|问题及(?:原因|改进措施)|改进措施)[：:]\s*")
    for p in doc.paragraphs:
        if any(a <= p.start < b for a, b in seen) or (p.heading is not None and p.heading.level <= 2):
            continue
        for m in label.finditer(p.text):
            rest = re.split(r"[；;\n]|(?=\d[.．、])", p.text[m.end():], maxsplit=1)[0]
            if rest.strip() and _is_nil(rest, ctx):
                a, b = _trim(text, p.start + m.end(), p.start + m.end() + len(rest))
                found.append((a, b, "nil"))
    if not found:
        return
    skip = seen + [(a, b) for a, b, _ in found]
    adm = _admitted(doc, ctx, skip)
    for a, b, kind in found:
        what = "写的是“无”" if kind == "nil" else "只有“进一步加强管理”一类的笼统表态"
        if adm is not None:
            yield ctx.flag(a, b, f"存在问题部分{what}，但报告其他地方承认了{adm[2]}",
                           suggestion="如实写明未完成或有偏差的事项、原因，以及有时限、有责任人的改进措施",
                           related=[ctx.related(adm[0], adm[1], note="报告承认的问题")])
        else:
            yield ctx.flag(a, b, f"存在问题部分{what}，自评没有找出任何可改进之处", severity=Severity.INFO,
                           suggestion="写明项目实施中发现的具体不足（管理、进度、指标设置、资金使用等）"
                                      "和有时限的改进措施")


# ----- STRUCT006 ----------------------------------------------------------------------------

_YEAR = lazy_re(r"((?:19|20)\d{2})\s*年")
_TITLE_NAME = lazy_re(r"(?:19|20)\d{2}\s*年度?(.+?)(?:绩效自评报告|自评报告|绩效评价报告|评价报告|绩效自评)")


def _name_core(name: str, ctx) -> str:
    s = re.sub(r"(?:19|20)\d{2}\s*年度?|[（(][^）)]*[）)]", "", name)
    s = _rx(ctx, "name_noise").sub("", s)
    return _PUNCT.sub("", s)


@rule(code="STRUCT006", name="inconsistent-identity", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n项目名称：⟦农村公路建设项目⟧\n",
           "2023年度农村公路养护项目绩效自评报告\n一、自评工作开展情况\n根据县财政局要求，我局对⟦2022年度⟧农村公路养护项目"
           "开展了绩效自评。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n项目名称：2023年度农村公路养护项目\n"
            "全年养护里程较2022年度增加12公里。\n"])
def inconsistent_identity(doc: Document, ctx):
    """The evaluation year or the project name differs between the title, the 项目名称 / 评价年度 lines and the body.

    The title gives the year (2023年度…) and the project name (the words between the year and
    绩效自评报告). Checked against them: a 项目名称 line or the table's 项目名称 cell naming the
    same project differently (农村公路养护 in the title, 农村公路建设 in the basic
    information: similar names, neither containing the other — wholly different names are
    left alone); a 评价年度 / 项目年度 line with another year; a sentence saying which year
    was evaluated (对2022年度……开展了绩效自评) with another year. A year in a comparison
    (较上年, 2022年同期, 较2022年度增加), a carry-over (2022年结转) or earlier findings
    (2022年度绩效评价发现的问题) is not the year evaluated.

    Why: a report whose year or project name changes inside it was adapted from another
    report and not checked; reviewers cannot tell which project and year the figures
    belong to, and send it back.
    """
    title = doc.title
    if title is None:
        return
    ttext = title.text
    ym = _YEAR.search(ttext)
    year = ym.group(1) if ym else None
    nm = _TITLE_NAME.search(ttext)
    tname = nm.group(1) if nm else ""
    tcore = _name_core(tname, ctx)
    text = doc.text
    cmp_re = _rx(ctx, "comparison")
    # 1. project-name lines and the table's project cell
    names: list[tuple[int, int, str]] = []
    for m in re.finditer(rf"(?:{_conf(ctx)['name_label']})\s*[：:]\s*([^\n，,。；;|]{{2,40}})", text):
        names.append((m.start(1), m.end(1), m.group(1)))
    from govlint.table import tables
    for t in tables(doc, ctx.shared):
        c = t.project
        if c is not None and c.has_span and c.text.strip():
            names.append((c.start, c.end, c.text))
    if len(tcore) >= 3:
        done = set()
        for a, b, raw in names:
            core = _name_core(raw, ctx)
            if len(core) < 3 or core in tcore or tcore in core or core in done:
                continue
            from difflib import SequenceMatcher
            ratio = SequenceMatcher(None, tcore, core).ratio()
            if ratio < 0.5:
                continue
            done.add(core)
            a, b = _trim(text, a, b)
            yield ctx.flag(a, b, f"项目名称“{raw.strip()}”与标题中的“{tname.strip()}”不一致",
                           suggestion=f"全文统一使用批复的项目名称（标题为“{tname.strip()}”），核对是否套用了其他项目的报告",
                           related=[ctx.related(title.start, title.end, note="标题")])
    if year is None:
        return
    # 2. year lines
    label = _conf(ctx)["year_label"]
    for m in re.finditer(rf"(?:{label})\s*[：:]\s*((?:19|20)\d{{2}})", text):
        if m.group(1) != year:
            yield ctx.flag(m.start(1), m.end(1), f"评价年度写为{m.group(1)}年，与标题中的{year}年度不一致",
                           suggestion=f"核对评价年度，统一为{year}年度",
                           related=[ctx.related(title.start, title.end, note="标题")])
    # 3. a time limit of the table set in an earlier year (2021年11月30日前 in a 2022 table)
    for t in tables(doc, ctx.shared):
        for ind in t.indicators:
            if "时效" not in ind.level2 and "时效" not in ind.level1:
                continue
            for name in ("level3", "target"):
                c = ind.cell(name)
                if c is None or not c.has_span:
                    continue
                m = re.search(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月", c.text)
                if m and int(m.group(1)) < int(year):
                    a = c.start + m.start(1) if c.text == text[c.start:c.end] else c.start
                    b = a + 4 if c.text == text[c.start:c.end] else c.end
                    yield ctx.flag(a, b, f"{c.ref}：时效指标的完成时限在{m.group(1)}年，早于评价年度{year}年，"
                                         "像是沿用了上一年度的指标",
                                   suggestion=f"按{year}年度批复的绩效目标填写完成时限",
                                   related=[ctx.related(title.start, title.end, note="标题")])
                    break
    # 4. sentences naming the year evaluated
    evaluated = re.compile(r"((?:19|20)\d{2})\s*年度?[^，,。；;\n]{0,30}?(?:开展|进行|组织)?了?(?:项目支出)?"
                           r"(?:绩效自评|绩效自我评价|绩效评价)(?!结果|发现|报告中|中发现|指出|提出|反馈|整改)")
    for s in doc.sentences:
        if s.paragraph.is_title:
            continue
        for m in evaluated.finditer(s.text):
            y = m.group(1)
            if y == year:
                continue
            before = s.text[max(0, m.start() - 12):m.start()]
            clause = re.split(r"[，,；;：:]", before)[-1]
            if cmp_re.search(clause) or cmp_re.search(m.group(0)) or re.search(r"根据|按照|依据|针对|落实", clause):
                continue
            if not re.search(r"对|本次|此次|本单位|我单位|我局|我委|我院|我校|^", clause):
                continue
            a = s.start + m.start(1)
            b = s.start + m.end(1) + (len(re.match(r"\s*年度?", s.text[m.end(1):]).group(0)))
            yield ctx.flag(a, b, f"正文说评价的是{y}年度，而标题为{year}年度",
                           suggestion=f"核对评价年度；评价{year}年度的，全文统一为{year}年度",
                           related=[ctx.related(title.start, title.end, note="标题")])
            break
