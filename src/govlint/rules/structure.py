"""Structure rules: heading numbering, missing sections, empty sections."""

from __future__ import annotations

import re

from govlint.document import LEVEL_STYLE, Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import Option, rule

LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


def _marker_span(h):
    return h.marker_start, h.marker_core_end


@rule(code="STRUCT001", name="heading-numbering", severity=Severity.WARNING,
      bad=["一、项目概况\n（一）基本情况\n⟦（2）⟧项目预算和绩效目标\n",
           "三、资金使用情况\n四、绩效指标完成情况\n（一）产出指标\n⟦5、⟧绩效目标未完成原因和改进措施\n六、自评结果\n"],
      good=["一、项目概况\n（一）基本情况\n（二）项目预算和绩效目标\n二、项目实施情况\n1.组织管理\n2.质量管理\n"])
def heading_numbering(doc: Document, ctx):
    """A heading's number does not follow its predecessor at the same level, or uses another level's style.

    Official documents number headings 一、 / （一） / 1. / （1） (GB/T 9704-2012 §7.3.3),
    and each level counts on from its predecessor. （2） after （一）, or 5、 among 四、 and 六、,
    is read by reviewers as a careless draft. "1、" at the third level is a lesser finding:
    GB/T 15834 puts "." after an Arabic ordinal.

    Why: reviewers cite sections by number; a broken ladder makes the report hard to
    reference and shows it was assembled from pieces without checking.
    """
    for parent in doc.root.walk():
        prev_eff: dict[int, int] = {}
        prev_sec: dict = {}
        # numbers reached before a list restarted at 1: "1.职责职能 1. 2. 3. 2.机构设置" — the
        # duties are a list inside item 1's scope, and 2.机构设置 resumes the outer list
        outer: dict[int, list[int]] = {}
        for i, sec in enumerate(parent.children):
            h = sec.heading
            level = h.level
            if h.style.key == "word":     # Word numbers it; nothing written to check
                continue
            canonical = LEVEL_STYLE[level]
            expected = prev_eff.get(level, 0) + 1
            a, b = _marker_span(h)
            written = doc.text[a:b]
            if h.misstyled:
                right = canonical.render(expected)
                yield ctx.flag(a, b, f"{LEVEL_NAMES[level]}标题序号“{written}”用了{LEVEL_NAMES[h.style.level]}标题的写法，"
                                     f"此处应为“{right}”",
                               suggestion=right, fix="safe" if canonical.render(h.number) == right else "unsafe")
                prev_eff[level] = expected
                prev_sec[level] = sec
                continue
            first = level not in prev_eff
            if h.number == 1 and not first and prev_eff.get(level) and prev_sec.get(level) is not None \
                    and prev_sec[level].is_empty():
                # a list restarting right under an item with no body of its own is inside its scope
                outer.setdefault(level, []).append(prev_eff[level])
            elif h.number != expected and outer.get(level) and h.number == outer[level][-1] + 1:
                outer[level].pop()        # the outer list resumes after a nested one
                expected = h.number
            # The first sibling may start anywhere (excerpts, appendices); a new list may restart at 1;
            # and a run of bare numbered lines (a table flattened to text) is not a heading ladder.
            real = not _bare(sec) and prev_sec.get(level) is not None and not _bare(prev_sec[level])
            if (h.number == expected + 1 and real and h.style.key in ("ar-dot", "ar-fwdot")
                    and _decimal_item(doc, prev_sec[level], h, expected)):
                expected = h.number    # "2.65岁及以上…" is item 2, read as the decimal 2.65
            if h.number != expected and not first and h.number != 1 and real:
                right = h.style.render(expected) if h.style.canonical else canonical.render(expected)
                what = "重复" if h.number == prev_eff.get(level) else "不连续"
                yield ctx.flag(a, b, f"{LEVEL_NAMES[level]}标题序号{what}：“{written}”前一个同级序号是"
                                     f"{prev_eff.get(level, 0)}，此处应为“{right}”",
                               suggestion=right,
                               fix=ctx.fix(_renumbered(doc, parent.children, i, expected, canonical)
                                           if what == "不连续" else [(a, b, right)], "unsafe"))
                if what == "重复":   # count on as if it had the right number: one slip, one finding
                    prev_eff[level] = expected
                    prev_sec[level] = sec
                    continue
            elif not h.style.canonical:
                right = canonical.render(h.number)
                yield ctx.flag(a, b, f"序次语“{written}”写法不规范：阿拉伯数字序号后应使用“.”，汉字序号后应使用“、”"
                                     f"（GB/T 15834-2011）",
                               suggestion=right, severity=Severity.INFO, fix="safe")
            if h.trailing_mark:
                yield ctx.flag(a, b, f"带括号的序次语“{written}”后不应再加“{h.trailing_mark}”（GB/T 15834-2011）",
                               suggestion=written.rstrip("、.．，, "), severity=Severity.INFO, fix="safe")
            prev_eff[level] = h.number
            prev_sec[level] = sec


def _renumbered(doc: Document, siblings, i: int, expected: int, canonical) -> list:
    """Edits renumbering heading ``i`` to ``expected`` and the run of siblings counting on from it.

    The whole ladder moves together (一、二、四、五 → 一、二、三、四), each heading keeping its
    own style; the run stops where the written numbers stop counting on.
    """
    edits = []
    first = siblings[i].heading.number
    for k, sec in enumerate(siblings[i:]):
        h = sec.heading
        if h.number != first + k or h.style.key == "word":
            break
        a, b = _marker_span(h)
        right = h.style.render(expected + k) if h.style.canonical else canonical.render(expected + k)
        edits.append((a, b, right))
    return edits


def _decimal_item(doc: Document, prev, h, missing: int) -> bool:
    """A line between ``prev`` and ``h`` starts with the missing number followed by digits ("2.65岁…")."""
    rx = re.compile(rf"\s*{missing}[.．]\d")
    lo, hi = prev.heading.paragraph.end, h.paragraph.start
    return any(lo <= p.start < hi and rx.match(p.text) for p in doc.paragraphs)


def _bare(sec) -> bool:
    """A numbered line with nothing under it and no sentence in it (a flattened table row)."""
    if not sec.is_empty():
        return False
    title = sec.heading.paragraph.doc.text[sec.heading.marker_end:sec.heading.paragraph.end]
    return len(title) <= 20 and not any(ch in title for ch in "，。；,;")


def _families(lex):
    return lex["outline"]["families"]


def _match_family(title: str, fam: dict) -> bool:
    return bool(re.search(fam["pattern"], title)) and not (fam.get("not") and re.search(fam["not"], title))


_LABEL_END = re.compile(r"[：:]")
_W = "outline"        # the word patterns of this module: lexicons/outline.toml [structure]
_TARGETS = lex_re(_W, "structure", "target_label")
_RESULTS = lex_re(_W, "structure", "result_label")


def _label(title: str) -> str:
    """The label of a labelled line ("产出目标：新建公厕12座" → "产出目标"); the title otherwise."""
    m = _LABEL_END.search(title)
    return title[:m.start()] if m and m.start() > 0 else title


def _declares_targets(title: str) -> bool:
    label = _label(title)
    return bool(_TARGETS.search(label)) and not _RESULTS.search(label)


def _under(h, fam: dict) -> bool:
    """``h`` sits inside a section whose heading belongs to the family ``fam``."""
    sec = h.paragraph.section
    parent = sec.parent if sec is not None else None
    while parent is not None and parent.heading is not None:
        if _match_family(_label(parent.heading.title), fam):
            return True
        parent = parent.parent
    return False


def _under_targets(h) -> bool:
    """A heading that states targets, or sits inside a section that does (二、绩效目标 → （一）产出目标)."""
    if _declares_targets(h.title):
        return True
    sec = h.paragraph.section
    parent = sec.parent if sec is not None else None
    while parent is not None and parent.heading is not None:
        if _declares_targets(parent.heading.title):
            return True
        parent = parent.parent
    return False


@rule(code="STRUCT002", name="missing-section", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["⟦⟦2023年度农村公路养护项目绩效自评报告⟧⟧\n一、项目概况\n（一）项目基本情况\n本项目养护农村公路126公里。\n"
           "二、绩效指标完成情况\n完成养护126公里，验收合格率100%。\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n一、项目概况\n养护农村公路126公里。\n二、项目资金使用情况\n"
            "预算300万元，执行300万元。\n三、绩效指标完成情况\n完成养护126公里。\n四、存在的问题和改进措施\n无。\n"])
def missing_section(doc: Document, ctx):
    """A performance self-evaluation report lacks a section of the standard outline, or has them out of order.

    The outlines in use (财预〔2020〕10号 and the provincial templates) all cover the
    project overview, the funds, the indicator results, and the reasons for shortfalls
    with the measures to take. Headings are matched by their wording, so the common
    variants (项目概况 / 基本情况, 绩效指标完成情况 / 绩效实现情况, ...) are accepted.

    Why: a missing part is the first thing a reviewer deducts for ("未按编写提纲撰写,
    每缺失一项内容扣1分").
    """
    fams = _families(ctx.lex)
    heads = [h for h in doc.headings if h.level <= 2]
    if not any(h.level == 1 for h in heads):
        return  # no narrative outline (a self-evaluation table on its own, a short note)
    anchor = doc.title or (doc.paragraphs[0] if doc.paragraphs else None)
    if anchor is None:
        return
    # a part may sit deeper in some outlines ("一、自评结论 … 1.执行率情况"): presence counts
    # headings of every level, the order check only the first two
    first: dict[str, object] = {}
    present: set[str] = set()
    conclusion = fams.get("conclusion")
    for h in doc.headings:
        label = _label(h.title)
        # "二、绩效目标 （一）产出目标：…" states targets; "一、自评结论 （二）预算执行情况" summarises
        # the report before its body (outline D): neither places the part in the outline's order
        declared = _under_targets(h) or (conclusion is not None and _under(h, conclusion))
        for key, fam in fams.items():
            if _match_family(label, fam):
                present.add(key)
                if h.level <= 2 and key not in first and not declared:
                    first[key] = h
    for key, fam in fams.items():
        if not fam.get("required"):
            continue
        if key in present:
            continue
        if any(alt in present for alt in fam.get("unless", [])):
            continue
        if fam.get("also_text") and fam["also_text"] in doc.text:
            continue  # the self-evaluation table's column covers it
        yield ctx.flag(anchor.start, anchor.end, f"绩效自评报告缺少“{fam['name']}”部分",
                       suggestion=f"增加一节“{fam['example']}”，{fam['hint']}")
    order = [k for k in ctx.lex["outline"]["order"] if k in first]
    for earlier, later in zip(order, order[1:]):
        he, hl = first[earlier], first[later]
        # "三、项目绩效实现情况" may hold "（一）项目资金情况": a part nested in a later one is in order
        if hl.paragraph.section.start <= he.paragraph.start < hl.paragraph.section.end:
            continue
        if hl.paragraph.start < he.paragraph.start:
            a, b = hl.paragraph.start, hl.paragraph.end
            yield ctx.flag(a, b, f"章节顺序不当：“{fams[later]['name']}”出现在“{fams[earlier]['name']}”之前",
                           suggestion=f"按标准提纲把“{fams[earlier]['name']}”放在“{fams[later]['name']}”之前",
                           related=[ctx.related(he.paragraph.start, he.paragraph.end,
                                                note=fams[earlier]["name"])])


@rule(code="STRUCT003", name="empty-section", severity=Severity.WARNING,
      options={"levels": Option(2, int, "check headings down to this level (1 = 一、 only)", min=1, max=5)},
      bad=["七、绩效自评工作的经验、问题和建议\n部分指标有待细化。\n⟦八、其他需说明的问题⟧\n"],
      good=["七、绩效自评工作的经验、问题和建议\n部分指标有待细化。\n八、其他需说明的问题\n无。\n"])
def empty_section(doc: Document, ctx):
    """A heading has no body before the next heading or the end of the document.

    "无。" counts as content: it is the answer the templates ask for when there is nothing
    to report. A heading followed only by its own sub-headings is not empty.

    Why: an empty section looks unfinished; reviewers send the report back to fill it in.
    """
    max_level = ctx.options["levels"]
    for sec in doc.sections:
        if sec.level > max_level or not sec.is_empty():
            continue
        title = doc.text[sec.heading.marker_end:sec.heading.paragraph.end].strip()
        # list items ("（三）保藏方案合理；") carry their content in the line itself
        if len(title) > 30 or not title or title[-1:] in "；;，,：:" or "，" in title or "," in title:
            continue
        # a heading names a part of the report; a clause ("可以免购国家重点建设债券。") does not
        if not re.search(f"(?:{'|'.join(ctx.lex['outline']['heading_nouns'])})[。.]?$", title):
            continue
        siblings = [s for s in (sec.parent.children if sec.parent else []) if s.level == sec.level]
        if sum(1 for s in siblings if not s.is_empty()) * 2 < len(siblings):
            continue  # a run of bare numbered lines is a list or a flattened table, not sections
        p = sec.heading.paragraph
        yield ctx.flag(p.start, p.end, f"“{p.text.strip()}”下没有内容",
                       suggestion="填写本节内容；确实没有需要说明的，写“无。”")
