"""A report that contradicts itself: "问题：无" beside admitted shortfalls, a year or name that changes.

STRUCT005 reads the problems and improvement part; STRUCT006 compares the year and the project
name of the title with the identity lines of the report and the self-evaluation table. Their
words and patterns are in ``lexicons/claims.toml``; helpers are shared with ``claims``.
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import rule
from govlint.rules._measure import figures
from govlint.rules._util import SpanSet, lazy_re
from govlint.rules.claims import _ITEM, _PUNCT, _conf, _han_len, _rx, _section_spans, _trim

_W = "claims"         # the patterns of this module: lexicons/claims.toml [consistency]

# ----- STRUCT005 ----------------------------------------------------------------------------

_NIL_SHAPE = lex_re(_W, "consistency", "nil_shape")
_LEAD = lex_re(_W, "consistency", "promise_lead")


def _is_nil(body: str, ctx) -> bool:
    core = _PUNCT.sub("", _ITEM.sub("", body))
    if core in _conf(ctx)["nil"] or _NIL_SHAPE.match(core):
        return True
    # "项目运转正常，暂无问题": a claim that all went well, then 无
    m = _rx(ctx, "nil_lead").match(_ITEM.sub("", body).strip())
    if m is None:
        return False
    rest = _PUNCT.sub("", body.strip()[m.end():]) if body.strip().startswith(m.group(0)) else ""
    return bool(rest) and (rest in _conf(ctx)["nil"] or bool(_NIL_SHAPE.match(rest)))


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


def _admitted(doc: Document, ctx, skip: SpanSet):
    """(start, end, what) of the first shortfall the report admits outside ``skip``, or None."""
    from govlint.rules._shortfall import KIND_ZH, admissions
    for adm in admissions(doc, ctx.lex["shortfall"]):
        if adm.start not in skip:
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
    for m in _ADMITTED_RATE.finditer(doc.text):
        if float(m.group(2)) < 100 and m.start() not in skip:
            return m.start(), m.end(), f"{m.group(1)}为{m.group(2)}%"
    # "年初指标值为不低于180人，全年实际完成164人": a count below its target, in prose
    for m in _TARGET_VS_ACTUAL.finditer(doc.text):
        if m.group("u1") == m.group("u2") and float(m.group("actual")) < float(m.group("target")) \
                and m.start() not in skip:
            return m.start(), m.end(), f"指标值{m.group('target')}{m.group('u1')}、实际完成{m.group('actual')}{m.group('u2')}"
    return None


_TARGET_VS_ACTUAL = lex_re(_W, "consistency", "target_vs_actual")
_ADMITTED_RATE = lex_re(_W, "consistency", "admitted_rate")
_CAUSE_HEADING = lex_re(_W, "consistency", "cause_heading")
_PROBLEM_WORD = lex_re(_W, "consistency", "problem_word")
_INLINE_LABEL = lex_re(_W, "consistency", "inline_label")


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
    points deducted, a count below its target in prose (指标值不低于180人，实际完成164人);
    info when it admits none. "项目运转正常，暂无问题" is a 无 too.

    Why: reviewers do not accept 存在问题：无 — a self-evaluation is meant to find what
    can be done better, and 无 beside an execution rate of 92 % contradicts the report
    itself. "进一步加强管理" names no problem and no measure anyone could check.
    """
    head_re, not_re = _rx(ctx, "problem_heading"), _rx(ctx, "problem_heading_not")
    text = doc.text
    found: list[tuple[int, int, str]] = []
    seen = SpanSet()
    for sec in doc.sections:
        if sec.heading is None:
            continue
        title = sec.title[:40]
        if not head_re.search(title) or not_re.search(title):
            continue
        hp = sec.heading.paragraph
        if hp.start in seen:
            continue
        if _CAUSE_HEADING.search(title) and not _PROBLEM_WORD.search(title):
            continue       # 未完成原因和改进措施: 无 is right when every target was met (STRUCT004)
        spans = _section_spans(sec)
        body = "\n".join(text[a:b] for a, b in spans)
        if not body.strip():
            continue       # empty: STRUCT003
        seen.add(hp.start, sec.end)
        h = sec.heading
        a0 = h.title_end if h.has_inline_body else min(h.paragraph.end + 1, spans[0][0])
        if _is_nil(body, ctx):
            a, b = _trim(text, a0, spans[-1][1])
            found.append((a, b, "nil"))
        elif _is_promise(body, ctx):
            a, b = _trim(text, a0, spans[-1][1])
            found.append((a, b, "promise"))
    for p in doc.paragraphs:
        if p.start in seen or (p.heading is not None and p.heading.level <= 2):
            continue
        for m in _INLINE_LABEL.finditer(p.text):
            rest = re.split(r"[；;\n]|(?=\d[.．、])", p.text[m.end():], maxsplit=1)[0]
            if rest.strip() and _is_nil(rest, ctx):
                a, b = _trim(text, p.start + m.end(), p.start + m.end() + len(rest))
                found.append((a, b, "nil"))
    if not found:
        return
    skip = seen
    for a, b, _ in found:
        skip.add(a, b)
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
_TITLE_NAME = lex_re(_W, "consistency", "title_name")
_EVALUATED = lex_re(_W, "consistency", "evaluated")
_BASIS = lex_re(_W, "consistency", "evaluated_basis")
_SUBJECT = lex_re(_W, "consistency", "evaluated_subject")


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is ``full`` with characters left out (its characters appear in ``full`` in order)."""
    it = iter(full)
    return all(ch in it for ch in short)


def _name_core(name: str, ctx) -> str:
    s = re.sub(r"(?:19|20)\d{2}\s*年度?|[（(][^）)]*[）)]", "", name)
    s = _rx(ctx, "name_noise").sub("", s)
    return _PUNCT.sub("", s)


def _unit_scope(doc: Document, pos: int):
    """The sub-section (level 2 or below) a unit is named in, or None (cover, level-1 text):
    units named under two different sub-sections may belong to two projects."""
    p = doc.paragraph_at(pos)
    node = p.section if p is not None else None
    while node is not None and node.heading is not None and node.level > 2:
        node = node.parent
    return id(node) if node is not None and node.heading is not None and node.level == 2 else None


def _unit_findings(doc: Document, ctx, title):
    """The implementing unit (or the supervising department) named differently in two places."""
    from govlint.rules._identity import look_alike, same_unit, title_unit, units
    found = units(doc, ctx)
    if not found:
        return
    conf = _conf(ctx)
    suffixes = sorted(conf["unit_suffixes"], key=len, reverse=True)
    admin = ctx.lex["cover"]["admin_levels"]
    text = doc.text
    names = {_name_core(m.group(1), ctx) for m in
             re.finditer(rf"(?:{conf['name_label']})\s*[：:]\s*([^\n，,。；;|]{{2,40}})", text)}
    done: set[int] = set()
    role_zh = {"implementer": "实施单位", "supervisor": "主管部门"}
    if len(names) <= 1:        # several 项目名称 lines: a list of projects, each with its own unit
        for role in ("implementer", "supervisor"):
            strong = [u for u in found if u.role == role and u.where != "body-weak"]
            if not strong:
                continue
            first = strong[0]
            scope = _unit_scope(doc, first.start)
            others = [u for u in strong[1:] if not same_unit(u.name, first.name)
                      and (scope is None or _unit_scope(doc, u.start) in (None, scope))]
            if len({u.name for u in others}) > 1:
                continue       # three or more different units: a list, not a mismatch
            weak = [u for u in found if u.role == role and u.where == "body-weak"
                    and not same_unit(u.name, first.name) and look_alike(u.name, first.name, suffixes, admin)]
            for u in (others[:1] + weak[:1]):
                done.add(u.start)
                yield ctx.flag(u.start, u.end, f"{role_zh[role]}前后不一：此处为“{u.name}”，前文为“{first.name}”",
                               suggestion=f"核对{role_zh[role]}，全文统一为批复文件中的单位全称；"
                                          "是否套用了其他单位的报告",
                               related=[ctx.related(first.start, first.end, note=f"前文的{role_zh[role]}")])
    if title is None:
        return
    tunit = title_unit(title.text, conf)
    if tunit is None or re.search(conf["unit_evaluators"], tunit) or any(same_unit(tunit, u.name) for u in found):
        return
    for u in found:
        if u.role == "implementer" and u.start not in done and look_alike(tunit, u.name, suffixes, admin):
            yield ctx.flag(u.start, u.end, f"实施单位“{u.name}”与标题中的“{tunit}”不是同一单位",
                           suggestion="核对报告单位：标题、封面和正文应是同一个实施单位（主管部门另行注明），"
                                      "是否套用了其他单位的报告",
                           related=[ctx.related(title.start, title.end, note="标题")])
            break


@rule(code="STRUCT006", name="inconsistent-identity", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n项目名称：⟦农村公路建设项目⟧\n",
           "2023年度农村公路养护项目绩效自评报告\n一、自评工作开展情况\n根据县财政局要求，我局对⟦2022年度⟧农村公路养护项目"
           "开展了绩效自评。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n项目名称：2023年度农村公路养护项目\n"
            "全年养护里程较2022年度增加12公里。\n"])
def inconsistent_identity(doc: Document, ctx):
    """The evaluation year, the project name or the implementing unit differs between the title, the identity lines and the body.

    The title gives the year (2023年度…) and the project name (the words between the year and
    绩效自评报告). Checked against them: a 项目名称 line or the table's 项目名称 cell naming the
    same project differently (农村公路养护 in the title, 农村公路建设 in the basic
    information: similar names, neither a shortening of the other — wholly different names are
    left alone); a 评价年度 / 项目年度 line with another year; a sentence saying which year
    was evaluated (对2022年度……开展了绩效自评) with another year. A year in a comparison
    (较上年, 2022年同期, 较2022年度增加), a carry-over (2022年结转) or earlier findings
    (2022年度绩效评价发现的问题) is not the year evaluated.

    The implementing unit: two lines or table cells of the same role (实施单位 / 执行单位,
    or 主管部门) or an explicit statement (项目实施单位为…, …作为项目实施单位) naming
    different bodies — a shortened name is the same body (县农业农村局 / 某县农业农村局),
    several 项目名称 lines mean a list of projects and are left alone; a sentence 由…组织实施
    or the title's unit (县林业局2023年度…) naming a body of the same kind at the same level
    as the implementing unit (县林业局 / 县农业农村局). A supervising department, a
    subordinate centre, the same body at another level, an evaluator (财政局) and units named
    in cooperation or comparison are not compared.

    Why: a report whose year, project name or unit changes inside it was adapted from another
    report and not checked; reviewers cannot tell which project and year the figures
    belong to, and send it back.
    """
    title = doc.title
    yield from _unit_findings(doc, ctx, title)
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
            if len(core) < 3 or _abbreviates(core, tcore) or _abbreviates(tcore, core) or core in done:
                continue       # the same name, or one shortened from the other (城乡居民医保 / 城乡居民基本医疗保险)
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
    for s in doc.sentences:
        if s.paragraph.is_title:
            continue
        for m in _EVALUATED.finditer(s.text):
            y = m.group(1)
            if y == year:
                continue
            before = s.text[max(0, m.start() - 12):m.start()]
            clause = re.split(r"[，,；;：:]", before)[-1]
            if cmp_re.search(clause) or cmp_re.search(m.group(0)) or _BASIS.search(clause):
                continue
            if not _SUBJECT.search(clause):
                continue
            a = s.start + m.start(1)
            b = s.start + m.end(1) + (len(re.match(r"\s*年度?", s.text[m.end(1):]).group(0)))
            yield ctx.flag(a, b, f"正文说评价的是{y}年度，而标题为{year}年度",
                           suggestion=f"核对评价年度；评价{year}年度的，全文统一为{year}年度",
                           related=[ctx.related(title.start, title.end, note="标题")])
            break
