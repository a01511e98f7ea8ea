"""Style rules: punctuation width, conversion leftovers and placeholders, stray whitespace."""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.document import HAN, Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import Option, rule
from govlint.rules._util import book_title_spans, inside

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_H = f"[{HAN}]"
# a half-width point between Chinese characters (a space may follow it)
POINT_BETWEEN_HAN = re.compile(f"(?<={_H})([,;:?!])(?=[ ]?[{HAN}“‘《（])")
# half-width brackets whose content or surroundings are Chinese
HALF_PARENS = re.compile(r"\(([^()\n]{1,60})\)")


@rule(code="STYLE001", name="half-width-punctuation", severity=Severity.WARNING,
      options={"collapse_after": Option(5, int, "report a document that never uses the full-width form "
                                                 "once, when it has at least this many half-width marks", min=2)},
      bad=["强化工程质量意识⟦,⟧加强施工现场管理。", "项目资金⟦(⟧中央补助资金⟦)⟧已全部到位。"],
      good=["完成率为98.5%，较上年提高1.2个百分点。", "总投资1,250万元，工期为2023年3月至10月。",
            "平台采用B/S架构(Browser/Server)部署。"])
def half_width_punctuation(doc: Document, ctx):
    """A half-width comma, colon, semicolon, question or exclamation mark, or bracket sits in Chinese text.

    Numbers (1,250), times (9:30), decimals and Latin text keep their half-width marks.

    Why: GB/T 15834-2011 asks for full-width punctuation in Chinese text; mixed widths read
    as careless and break search and counting.
    """
    text = doc.text
    hits: list[tuple[int, int, str]] = []
    for m in POINT_BETWEEN_HAN.finditer(text):
        hits.append((m.start(1), m.end(1), m.group(1)))
    for m in HALF_PARENS.finditer(text):
        # Latin or numeric content keeps half-width brackets: (Browser/Server), (2023)
        if not re.search(_H, m.group(1)):
            continue
        hits.append((m.start(), m.start() + 1, "("))
        hits.append((m.end() - 1, m.end(), ")"))
    by_mark: dict[str, list] = {}
    for a, b, ch in sorted(hits):
        by_mark.setdefault(PAIRS.get(ch, ch), []).append((a, b, ch))
    for key, group in sorted(by_mark.items(), key=lambda kv: kv[1][0][0]):
        full = FULL_WIDTH[key]
        # A document that never uses the full-width form was typed (or converted) that way
        # throughout: one finding for the whole document, not hundreds.
        if len(group) >= ctx.options["collapse_after"] and full not in text:
            a, b, ch = group[0]
            if key == "(":
                what, count, fix = "括号“（）”均写成半角“()”", f"共{len(group) // 2}对", "“()”统一替换为“（）”"
            else:
                what, count, fix = f"“{full}”均写成半角“{key}”", f"共{len(group)}处", f"“{key}”统一替换为“{full}”"
            yield ctx.flag(a, b, f"全文的{what}（{count}），可能是转换或输入法所致",
                           suggestion=f"将全文中文语句里的{fix}", data={"count": len(group)},
                           fix=ctx.fix([(x, y, FULL_WIDTH[c]) for x, y, c in group]))
            continue
        for a, b, ch in group:
            what = "括号" if ch in "()" else "标点"
            yield ctx.flag(a, b, f"中文语句中使用了半角{what}“{ch}”", suggestion=FULL_WIDTH[ch], fix="safe")


PAIRS = {")": "("}


@lru_cache(maxsize=8)
def _leftover_patterns(items: tuple) -> list:
    return [(re.compile(p), kind, msg, sugg) for p, kind, msg, sugg in items]


@rule(code="STYLE002", name="leftovers-and-placeholders", severity=Severity.ERROR,
      bad=["（三）⟦[bookmark: _GoBack]⟧项目资金实际使用情况分析", "⟦20XX⟧年度项目支出绩效自评报告",
           "⟦2022年度专项（项目）资金绩效自评报告⟧", "项目单位：⟦【此处填写单位全称】⟧"],
      good=["2022年度农村饮水安全巩固提升项目资金绩效自评报告", "单位成本为12×8米的标准间。",
            "按照《XX县农田建设管理办法》编号规则登记。"])
def leftovers(doc: Document, ctx):
    """Word or conversion residue, or a template placeholder, is left in the report.

    Residue: bookmarks such as ``[bookmark: _GoBack]``, field codes (HYPERLINK, PAGEREF,
    MERGEFORMAT), heading anchors (_Toc…). Placeholders: XX, ××, 20XX, 【此处填写…】, a
    blank date "年 月 日", and a title that still says 专项（项目） instead of the project's name.
    Outside a self-evaluation report a placeholder is only an info: regulations write ××
    for a name to fill in, published notices withhold figures as XXX, attached forms leave
    the date blank.

    Why: leftovers show the text was never proofread; a placeholder in the title means the
    report does not even say which project it evaluates.
    """
    lex = ctx.lex["leftovers"]
    items = tuple((p["pattern"], p["kind"], p["message"], p.get("suggestion")) for p in lex["patterns"])
    title_items = tuple((p["pattern"], p["kind"], p["message"], p.get("suggestion")) for p in lex["title_patterns"])
    text = doc.text
    titles = book_title_spans(text)
    spans = []
    for rx, kind, msg, sugg in _leftover_patterns(items):
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            # Placeholders inside 《》 titles of other documents are quoted, not ours.
            if kind == "placeholder" and inside(titles, m.start(), m.end()):
                continue
            spans.append((m.start(), m.end()))
            # outside a self-evaluation report ×× may be meant (a naming pattern in a regulation,
            # a figure withheld on publication, a blank form to fill in): not certain, so an info
            sev = Severity.INFO if kind == "placeholder" and ctx.profile != "self-eval" else None
            yield ctx.flag(m.start(), m.end(), msg.format(text=m.group(0)), suggestion=sugg, severity=sev)
    if doc.title is not None:
        t = doc.title
        for rx, kind, msg, sugg in _leftover_patterns(title_items):
            m = rx.search(t.text)
            if m and not any(a <= t.start + m.start() < b for a, b in spans):
                yield ctx.flag(t.start, t.end, msg.format(text=m.group(0)), suggestion=sugg)


SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S)([ \t\u3000]+)(?=[、，。；：！？）》”])")
SPACE_AFTER_PUNCT = re.compile(f"(?<=[，；：、])([ \\t\\u3000]+)(?={_H})")
# one or two spaces between characters; longer runs and ideographic-space pairs are alignment
_W = "hygiene"        # the word patterns of STYLE004: lexicons/hygiene.toml [whitespace]
# spaces between sentences, unless an article number follows (第十七条 …, joined regulation lines)
SPACE_AFTER_END = lex_re(_W, "whitespace", "space_after_end")
SPACE_BETWEEN_HAN = re.compile(f"(?<={_H})(?<!\\d日)(?<!\\d月)(?<!\\d年)( {{1,2}}|\\u3000)(?={_H})")
ARTICLE = lex_re(_W, "whitespace", "article")
# the legislative history of a regulation separates its steps with spaces
LEGIS = lex_re(_W, "whitespace", "legislative_history")
# joint issuers in a document title are separated by one space or, as often, two
ISSUERS = lex_re(_W, "whitespace", "issuers")
TAB_INSIDE = re.compile(r"(?<=\S)(\t+)(?=\S)")


@rule(code="STYLE004", name="stray-whitespace", severity=Severity.WARNING,
      options={"collapse_after": Option(10, int, "report the same kind of stray space once per document "
                                                  "when it occurs at least this many times", min=2)},
      bad=["2⟦ ⟧、进一步加强资金的使用管理。", "截至2023年12月31日，省级补助资金和县级配套资金已全部⟦ ⟧到位。", "资金到位率100%，⟦  ⟧执行率98%。"],
      good=["项目总投资2,150万元（含中央补助1,000万元）。", "2023年10月 Windows 系统升级完成。",
            "（二） 项目绩效目标"])
def stray_whitespace(doc: Document, ctx):
    """A space or tab stands inside Chinese text: before 、，。, after a Chinese point, or between characters.

    Spaces around Latin words and numbers are left alone, as is the space some templates
    put after a heading number. PDF text layers insert spaces of their own, so spaces
    between characters are not checked in PDFs.

    Why: stray spaces come from manual alignment or pasted text; they break search and
    look careless in print.
    """
    skip_between = doc.kind == "pdf"
    hits: dict[str, list[tuple[int, int]]] = {}
    # the space some templates put after a heading number is left alone
    after_marker = {h.paragraph.index: (h.marker_core_end, h.marker_end) for h in doc.headings}
    for p in doc.paragraphs:
        ptext = p.text
        gap = after_marker.get(p.index, (-1, -1))
        compact = re.sub(r"\s", "", ptext)
        seen: set[int] = set()
        checks = [(SPACE_BEFORE_PUNCT, "标点前有多余的空格"), (SPACE_AFTER_PUNCT, "标点后有多余的空格"),
                  (SPACE_AFTER_END, "句末标点后有多余的空格"),
                  (TAB_INSIDE, "行内有制表符")]
        # the space after an article number (第十六条 …) is the regulation layout
        seen.update(p.start + m.end() - 1 for m in ARTICLE.finditer(ptext))
        seen.update(p.start + m.start(1) for m in ISSUERS.finditer(ptext))
        seen.update(p.start + m.start(1) for m in LEGIS.finditer(ptext))
        if not skip_between and len(compact) > 25:
            checks.append((SPACE_BETWEEN_HAN, "汉字之间有多余的空格"))
        for rx, what in checks:
            for m in rx.finditer(ptext):
                a, b = p.start + m.start(1), p.start + m.end(1)
                if gap[0] <= a < gap[1] or a in seen:
                    continue
                seen.add(a)
                hits.setdefault(what, []).append((a, b))
    limit = ctx.options["collapse_after"]
    for what, spans in sorted(hits.items(), key=lambda kv: kv[1][0]):
        if len(spans) >= limit:
            # the same slip everywhere comes from conversion (joined paragraphs, aligned layout)
            a, b = spans[0]
            yield ctx.flag(a, b, f"{what}（全文共{len(spans)}处，可能是段落合并或排版转换所致）",
                           suggestion="统一删除中文语句中的多余空白", data={"count": len(spans)},
                           fix=ctx.fix([(x, y, "") for x, y in spans]))
            continue
        for a, b in spans:
            yield ctx.flag(a, b, what, suggestion="删除空白", fix=ctx.fix([(a, b, "")]))
