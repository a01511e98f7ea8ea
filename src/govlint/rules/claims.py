"""What a reviewer sends back about targets and indicators: slogan targets, misdesigned indicators.

IND006 reads the part of a self-evaluation report that states its targets (绩效目标, 总体目标,
年度目标, the table's 年度总体目标 cell); IND007 reads indicator labels in prose and the rows of
the self-evaluation table. Their words and patterns are in ``lexicons/claims.toml``, shared
with ``consistency`` (STRUCT005, STRUCT006).
"""

from __future__ import annotations

import re

from govlint.document import Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import rule
from govlint.rules._measure import figures, section_kind
from govlint.rules._util import SpanSet, alternation, blank_quotes, lazy_re

_W = "claims"         # the patterns of this module: lexicons/claims.toml [claims]; the rest via _rx
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
    cache = ctx.shared.memo("claims.rx", dict)
    got = cache.get(key)
    if got is None:
        value = _conf(ctx)[key]
        if isinstance(value, list):
            got = re.compile("|".join(f"(?:{v})" for v in value))
        else:
            got = re.compile(value)
        cache[key] = got
    return got


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
    covered = SpanSet()
    for sec in doc.sections:
        if sec.heading is None:
            continue
        title = re.split(r"[：:。]", sec.title, maxsplit=1)[0][:40]
        if not head_re.search(title) or not_re.search(title):
            continue
        if sec.heading.paragraph.start in covered:
            continue
        # "（一）项目立项目的和年度绩效目标情况" with "1.项目提出的理由 … 3.项目绩效目标": the
        # target sub-section is taken on its own
        if any(head_re.search(c.title[:40]) and not not_re.search(c.title[:40]) for c in sec.walk() if c is not sec):
            continue
        spans = _section_spans(sec, _rx(ctx, "target_child_not"))
        covered.add(sec.heading.paragraph.start, sec.end)
        if spans:
            out.append((spans, title))
    for p in doc.paragraphs:
        if p.start in covered:
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


_INLINE_TARGET = lex_re(_W, "claims", "inline_target")


def _money_only(text: str) -> bool:
    """``text`` states money and nothing else measurable (the funding before a target)."""
    from govlint.quantities import find_quantities
    qs = [q for q in find_quantities(text) if not q.chinese]
    return bool(qs) and all(q.kind == "money" for q in qs)


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
    label_re = _rx(ctx, "target_label")
    for spans, where in blocks:
        candidates: list[list[tuple[int, int]]] = []     # per span (paragraph or cell)
        any_checkable = False
        for a, b in spans:
            seg = blank_quotes(text[a:b])
            found = []
            for m in re.finditer(r"[^。；;！!\n]+", seg):
                s = m.group(0)
                base = m.start()
                tm = _INLINE_TARGET.search(s)
                if tm is not None and _money_only(s[:tm.start()]):
                    # "共计239万元，项目绩效目标是保障学校正常运转": the money is not the target
                    base += tm.end()
                    s = s[tm.end():]
                if _han_len(s) < 6:
                    continue
                if _checkable(s, ctx):
                    any_checkable = True
                    continue
                im = _ITEM.match(s)
                off = im.end() if im else 0
                lm = label_re.match(s, off)      # "总体目标：全面提升…" within a target section
                core = s[lm.end():] if lm else s[off:]
                if not slogan_re.search(core) or meta_re.search(core):
                    continue
                found.append(_trim(text, a + base + off, a + m.end())
                             + ((lm.group(0).rstrip("：:为是") if lm else where),))
            if found:
                candidates.append(found)
        for found in candidates:
            a, b, what = found[0]
            more = f"（本段另有{len(found) - 1}句同样情况）" if len(found) > 1 else ""
            sev = Severity.INFO if any_checkable else None
            yield ctx.flag(a, b, f"{what}写成了口号：没有数量、质量标准、完成时限或成本，年底无法判断是否完成{more}",
                           suggestion="改写为可衡量的目标，写明数量和单位、质量标准、完成时限或成本，"
                                      "如“年底前完成县乡道养护126公里，验收合格率100%”",
                           severity=sev)


# ----- IND007 -------------------------------------------------------------------------------

_PROSE_LABEL = lex_re(_W, "claims", "prose_label")
_OUTPUT_KINDS = lex_re(_W, "claims", "output_kinds")
_COST_MONEY = lex_re(_W, "claims", "cost_money")
_VALUE_BOUNDS = lex_re(_W, "claims", "value_bounds")


def _kind_problem(level1: str, level2: str, name: str, target_text: str, ctx) -> tuple[str, str] | None:
    """(message, suggestion) when an indicator is filed under the wrong kind, else None."""
    from govlint.quantities import find_quantities
    name_n = re.sub(r"\s", "", name)
    if not name_n:
        return None
    if _rx(ctx, "input_indicators").search(name_n) and (
            "产出" in level1 or _OUTPUT_KINDS.search(level2)):
        return (f"“{name_n}”是资金投入和过程指标，不是产出：产出指标应写项目提供的产品或服务",
                "把资金到位率、预算执行率放到“预算执行率”或过程指标中，产出指标改写为完成的工作量，"
                "如“新建村道20公里”")
    if _rx(ctx, "process_indicators").search(name_n) and ("产出" in level1 or "效益" in level1):
        kind = "产出" if "产出" in level1 else "效益"
        return (f"“{name_n}”是管理过程或合规性要求，不是{kind}：{kind}指标应写项目"
                + ("提供的产品或服务" if kind == "产出" else "带来的实际变化"),
                "合规性、程序性要求放到过程管理中说明；" + ("产出指标写完成的工作量、质量标准和时限"
                                                         if kind == "产出" else "效益指标写可衡量的变化（附数据）"))
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
        if not any(q.kind == "money" for q in qs) and not _COST_MONEY.search(name_n + target_text) \
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
    return _VALUE_BOUNDS.sub("", text or "")


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
    (质量指标：…): money or staff inputs (资金到位率, 预算执行率, 足额保障率) listed as 产出指标;
    management or compliance checks (经费支出合规性, 评审程序是否客观公正, 结余率) listed as
    产出 or 效益;
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
