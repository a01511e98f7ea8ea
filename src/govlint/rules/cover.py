"""Document hygiene, the cover and leftovers (issue 16): STRUCT007 missing cover elements and
further STYLE002 leftovers (an ``@also`` checker). Shared helpers live in ``hygiene``."""

from __future__ import annotations

import re
from functools import lru_cache

import govlint.rules.style  # noqa: F401  (registers STYLE002, which more_leftovers extends)
from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import also, rule
from govlint.rules._util import lazy_re
from govlint.rules.hygiene import _is_han, _report_date, _silent, _titles


# ----- STRUCT007 missing cover elements ---------------------------------------------------------

# a year (20XX年 counts: the placeholder is STYLE002's)
_YEAR = lazy_re(r"(?:19|20)[\dXx]{2}\s*年")


def _has_label(labels, where: str) -> bool:
    """A labelled line: 主管部门：县交通运输局, 项目单位（盖章）: …, with a value on the same line.
    Plain string searches: a regex of every label would be compiled for one use."""
    n = len(where)
    for lb in labels:
        i = where.find(lb)
        while i >= 0:
            k = i + len(lb)
            limit = k + 8
            while k < n and k < limit and where[k] not in "：:\n":
                k += 1
            if k < n and where[k] in "：:":
                after = where[k + 1:k + 6].lstrip(" \u3000\t")
                if after and after[0] != "\n":
                    return True
            i = where.find(lb, i + 1)
    return False


def _has_unit_name(suffixes, admin, where: str) -> bool:
    """The name of a body: an administrative prefix (县, 市, 区, 省, 镇, 乡, 街道…) then a body
    ending (县住房和城乡建设局, 区民政局, 市第一人民医院); 格局/布局 in prose have no such prefix."""
    for suf in suffixes:
        i = where.find(suf)
        while i >= 0:
            k = i - 1
            while k >= 0 and i - k <= 19 and where[k].isalnum():
                if where[k] in admin or where[k:k + 2] == "街道":
                    return True
                k -= 1
            i = where.find(suf, i + 1)
    return False


@rule(code="STRUCT007", name="missing-cover-element", severity=Severity.WARNING, profiles=("self-eval",),
      bad=["⟦绩效自评报告⟧\n一、项目概况\n本项目完成道路硬化12.6公里。\n二、项目资金使用情况\n预算300万元。\n"],
      good=["青岚县2023年度农村公路提质改造项目绩效自评报告\n一、项目概况\n项目由县交通运输局组织实施。\n"
            "二、项目资金使用情况\n预算300万元。\n"])
def missing_cover_element(doc: Document, ctx):
    """The title or opening block of a self-evaluation report does not name the project, the evaluation year or the responsible unit.

    The opening block is the title with the lines before it and the first three paragraphs
    after it (a cover's 项目名称：…, 主管部门：… lines, or a first paragraph saying
    项目由县交通运输局组织实施). The project name is what is left of the title without its
    generic words (年度, 项目, 绩效自评报告, ...); a unit is a labelled line or the name of a
    body (…局, …委员会, …中心, …学校). What each report type requires — project
    (项目支出), fund (专项资金) and department (部门整体支出, where the unit is the subject and
    no project name is needed) — is set in the ``cover`` lexicon and can be changed per type
    with a configuration lexicon (``[meta] extends = "cover"``, ``[types.project] date = true``
    also requires an evaluation date on the cover or in the closing 落款).

    Why: the cover elements are a scoring item of their own (项目名称、项目单位、主管部门、评价日期,
    each missing one deducted); a report that does not say what, when and who cannot be filed.
    """
    if doc.title is None:
        return
    if not any(h.level == 1 for h in doc.headings):
        return      # a table or note on its own
    lex = ctx.lex["cover"]
    title = doc.title
    tt = doc.title_text
    ttype = "project"
    for name in lex.get("order", ()):
        spec = lex["types"].get(name, {})
        if spec.get("title") and re.search(spec["title"], tt):
            ttype = name
            break
    need = lex["types"].get(ttype, {})
    paras = doc.paragraphs
    ti = title.index
    after = [p for p in paras[ti + 1:ti + 8] if p.heading is None][:3]
    # a self-evaluation table's cells (项目名称 | 农村公路建设项目) count as the cover
    cells = [p.text for p in paras[:60] if p.index > ti + 3 and doc.in_table(p.start)]
    opening = [p.text for p in paras[:ti]] + [tt] + [p.text for p in after] + cells
    # a year or name inside a cited title (《关于下达2023年…的通知》) is not the report's own
    block = re.sub(r"《[^》\n]*》", "", "\n".join(opening))
    closing = "\n".join(p.text for p in paras[-4:])

    def labelled(labels, where):
        return _has_label(labels, where) or any(t.strip() in labels for t in cells)

    missing = []
    # a title set on two lines (昌都市卡若区2022年度…项目 / 绩效评价报告): the line before counts
    full_title = tt
    if ti > 0 and paras[ti - 1].heading is None and len(paras[ti - 1].text) <= 50 \
            and not re.search("[：:。]", paras[ti - 1].text):
        full_title = paras[ti - 1].text + tt
    if need.get("name") and not any(re.search(t["pattern"], tt) for t in ctx.lex["leftovers"]["title_patterns"]):
        rest = full_title
        for w in sorted(lex["generic_title_words"], key=len, reverse=True):
            rest = rest.replace(w, "")
        rest = "".join(ch for ch in rest if _is_han(ch) and ch not in "年月日")
        if len(rest) < 2 and not labelled(lex["name_labels"], block):
            missing.append(("项目名称", "在标题中写明项目全称，如“青岚县2023年度农村公路提质改造项目绩效自评报告”"))
    if need.get("year") and not _YEAR.search(block):
        missing.append(("评价年度", "在标题中写明评价年度，如“2023年度”"))
    if need.get("unit"):
        if not labelled(lex["unit_labels"], block + "\n" + closing) and \
                not _has_unit_name(lex["unit_suffixes"], lex["admin_levels"], block + "\n" + closing):
            missing.append(("责任单位", "在标题、封面或开头写明项目实施单位或主管部门，如“项目由县交通运输局组织实施”"))
    if need.get("date"):
        has = labelled(lex["date_labels"], block) or _report_date(doc, ctx) is not None
        if not has:
            last = paras[-1]
            yield ctx.flag(last.start, last.end, "报告缺少评价日期：应在封面写明“评价日期：2024年3月15日”，"
                           "或在文末落款处写明单位和成文日期")
    if missing:
        whats = "、".join(w for w, _ in missing)
        hows = "；".join(h for _, h in missing)
        yield ctx.flag(title.start, title.end, f"报告标题或开头没有写明{whats}：应{hows}",
                       data={"missing": [w for w, _ in missing]})


def alternation_src(words) -> str:
    from govlint.patterns import alternation_source
    return alternation_source(tuple(words))


# ----- STYLE002 additions ------------------------------------------------------------------------

_PLACEHOLDER_IN_TITLE = lazy_re(r"[×✕Ｘ]{2,}")


@lru_cache(maxsize=4)
def _extra_leftovers(items: tuple) -> list:
    return [(lazy_re(p), kind, msg, lazy_re(nb) if nb else None, eb, bh, rq) for p, kind, msg, nb, eb, bh, rq in items]


@also("STYLE002")
def more_leftovers(doc: Document, ctx):
    """Further leftovers: half-width Word error texts, fill-in lines, 此处插入…, review comments, ×× in a 《》 title."""
    lex = ctx.lex["hygiene"]
    items = tuple((p["pattern"], p["kind"], p["message"], p.get("not_before", ""), p.get("extend_back", ""),
                   bool(p.get("between_han")), tuple(p.get("requires", ()))) for p in lex.get("leftovers", ()))
    text = doc.text
    code = _silent(doc, ctx, titles_too=False)
    for rx, kind, msg, not_before, extend_back, between_han, requires in _extra_leftovers(items):
        if requires and not any(r in text for r in requires):
            continue        # and the pattern is never compiled
        for m in rx.finditer(text):
            a, b = m.start(), m.end()
            if between_han and not (a > 0 and b < len(text) and _is_han(text[a - 1]) and _is_han(text[b])):
                continue
            if not_before is not None and a > 0 and not_before.match(text, a - 1):
                continue
            if extend_back and a > 0 and text[a - 1] in extend_back:
                a -= 1
            if code.covers(a, b):
                continue
            p = doc.paragraph_at(a)
            if p is not None and kind == "placeholder" and p.text.strip("_＿ \t\u3000-") == "":
                continue    # a rule line of underscores
            yield ctx.flag(a, b, msg.format(text=text[a:b]))
    # a placeholder inside a 《》 title is a placeholder too (XX in a title may be a quoted
    # template's name; ×× is not)
    for ta, tb in _titles(doc, ctx):
        for m in _PLACEHOLDER_IN_TITLE.finditer(text, ta, tb):
            yield ctx.flag(m.start(), m.end(), f"标题引用中的占位符“{m.group(0)}”未替换：应填写所引文件的实际名称")
