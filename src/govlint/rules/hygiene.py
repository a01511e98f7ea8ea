"""Document hygiene a proofreader catches (issue 16).

STYLE005 document numbers (发文字号), STYLE006 malformed dates and 截止/截至, STYLE007 unpaired
marks, STYLE008 confusable words, STYLE009 mixed units and number forms, STRUCT007 missing
cover elements, and further STYLE002 leftovers (an ``@also`` checker).

Every suggestion here is the exact replacement for the marked span (a future autofix uses
it); where no replacement is certain the message says what to write and the suggestion is
left empty. Findings inside 《》 titles of other documents (except STYLE005 and STYLE002) and
inside code or English spans are dropped.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import govlint.rules.style  # noqa: F401  (registers STYLE002, which more_leftovers extends)
from govlint.document import HAN, Document
from govlint.finding import Severity
from govlint.registry import Option, also, rule
from govlint.rules._util import alternation, book_title_spans, lazy_re

_H = f"[{HAN}]"


def _is_han(ch: str) -> bool:
    """Whether ch is a Chinese character (the ranges of document.HAN, without a regex)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


# ----- shared: spans where these rules stay silent, the report's own date -------------------

class _Spans:
    """Sorted, possibly overlapping spans with a fast "is [a, b) inside one of them"."""

    __slots__ = ("starts", "spans", "reach")

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        reach, best = [], -1
        for _, b in self.spans:
            best = max(best, b)
            reach.append(best)
        self.reach = reach      # the furthest end among spans starting at or before i

    def covers(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a) - 1
        return i >= 0 and self.reach[i] >= b


# inline code and web addresses; each alternative starts with its own literal, so the scan is
# a fast search for ` h w rather than a try at every position
_CODE = lazy_re(r"`[^`\n]+`|https?://[^\s，。；、）】》”]+|www\.[^\s，。；、）】》”]+")


class _LazySpans:
    """The silent spans of a document, found on the first question (most documents never ask)."""

    __slots__ = ("_doc", "_ctx", "_titles_too", "_spans")

    def __init__(self, doc, ctx, titles_too):
        self._doc, self._ctx, self._titles_too, self._spans = doc, ctx, titles_too, None

    def covers(self, a: int, b: int) -> bool:
        if self._spans is None:
            text = self._doc.text
            spans = [(m.start(), m.end()) for m in _CODE.finditer(text)] if "`" in text or "://" in text \
                or "www." in text else []
            if self._titles_too:
                spans += _titles(self._doc, self._ctx)
            self._spans = _Spans(spans)
        return self._spans.covers(a, b)


def _silent(doc: Document, ctx, titles_too: bool = True) -> _LazySpans:
    """Spans where hygiene findings are dropped: inline code and web addresses (and 《》 titles).
    Chinese words, dates and marks do not occur inside English words, so English text needs
    no span of its own (apostrophes are handled by STYLE007)."""
    key = ("hygiene.silent", titles_too)
    got = ctx.shared.get(key)
    if got is None:
        got = ctx.shared[key] = _LazySpans(doc, ctx, titles_too)
    return got


def _titles(doc: Document, ctx) -> list[tuple[int, int]]:
    got = ctx.shared.get("hygiene.titles")
    if got is None:
        got = ctx.shared["hygiene.titles"] = book_title_spans(doc.text)
    return got


_DATE = lazy_re(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_LONE_DATE = lazy_re(r"^[\s\u3000]*(?:[（(]?[^\s，。]{0,24}[）)]?[\s\u3000]*)?((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月"
                        r"(?:\s*(\d{1,2})\s*日)?[\s\u3000]*$")


def _report_date(doc: Document, ctx, labels=("评价日期", "报告日期", "填报日期", "自评日期", "报送日期", "成文日期")):
    """(year, month, day or 0) the report states as its own date, or None.

    The date line of the closing (落款) among the last six paragraphs, else a labelled cover
    date (评价日期：2024年3月15日) among the first fifteen.
    """
    key = "hygiene.report_date"
    if key in ctx.shared:
        return ctx.shared[key]
    found = None
    paras = doc.paragraphs
    for p in reversed(paras[-6:]):
        m = _LONE_DATE.match(p.text)
        if m and len(p.text) <= 40:
            found = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
            break
    if found is None:
        for p in paras[:15]:
            t = p.text
            if any(t.startswith(lb) or f"{lb}：" in t or f"{lb}:" in t for lb in labels):
                m = _DATE.search(t)
                if m:
                    found = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
                    break
    if found is not None and not (1 <= found[1] <= 12):
        found = None
    ctx.shared[key] = found
    return found


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


# ----- STYLE005 document numbers ----------------------------------------------------------------

_HAO = re.compile("号")
_NUM_TAIL = r"\s*(第)?\s*(0*)(\d{1,5})\s*号"
# an issuer's abbreviation (财预, 国办发, 湘财绩) stands right before the year (checked in code:
# a class of all Chinese characters costs ~1 ms to compile, per pattern)
_DOCNO_WRONG = lazy_re(r"([（(\[【［<〈﹝])\s*((?:19|20)\d{2})\s*([）)\]】］>〉﹞])" + _NUM_TAIL)
_DOCNO_SIX = lazy_re(r"〔(\s*)((?:19|20)\d{2})(\s*)〕" + _NUM_TAIL)
_DOCNO_SMALL = lazy_re(r"﹝([^﹞\n\d]{1,6})﹞(\s*第?\s*\d{1,5}\s*号)")
_DOCNO_NOYEAR = lazy_re(r"[〔﹝]\s*[〕﹞]\s*第?\s*\d{1,5}\s*号")
_DOCNO_SHORTYEAR = lazy_re(r"[〔（(\[【［]\s*(\d{2,3})\s*[〕）)\]】］]\s*第?\s*\d{1,5}\s*号")
_DOCNO_NOCLOSE = lazy_re(r"〔((?:19|20)\d{2})(\d{1,4})\s*号")
_DOCNO_NOOPEN = lazy_re(r"((?:19|20)\d{2})〕\s*(\d{1,4})\s*号")
_DOCNO_NONUMBER = lazy_re(r"〔\s*((?:19|20)\d{2})\s*〕\s*号")
# 藏民函202117号: no brackets at all, after an issuer code ending in 发/函/字/办
_DOCNO_BARE = lazy_re(r"(?<=[发函字办])((?:19|20)\d{2})(\d{1,4})号")


@rule(code="STYLE005", name="document-number", severity=Severity.WARNING,
      bad=["根据《关于下达2023年农业相关转移支付资金的通知》（财农⟦（2023）12号⟧）安排资金。",
           "按照财预⟦〔20235号⟧要求开展自评。", "依据湘财绩⟦〔〕8号⟧文件开展评价。"],
      good=["根据《财政部关于印发〈项目支出绩效评价管理办法〉的通知》（财预〔2020〕10号）开展自评。",
            "经会计师事务所审计（上会审字(2023)第0112号），资金使用合规。",
            "项目位于城关镇解放路（2023）12号楼。"])
def document_number(doc: Document, ctx):
    """A 发文字号 is malformed: wrong brackets around the year, year missing or not four digits, number missing, or a year after the report's own date.

    GB/T 9704-2012 writes a document number as 机关代字 + year in 六角括号 + 顺序号 + 号:
    财预〔2020〕10号 — the year in full, no 第 and no leading zeros before the number. Numbers
    in （）, [ ], 【】 are reported with the corrected number as the suggestion, in 《》
    citations as well as in prose. Auditors' report numbers (上会审字(2023)第0112号), house
    numbers (12号楼) and court case numbers keep their own forms.

    Why: a 文号 is how a reader finds the cited document; a malformed one reads as careless
    and may point at nothing (财预〔20235号 — year 2023 number 5, or 2023 and 35?).
    """
    lex = ctx.lex["hygiene"]
    text = doc.text
    silent = _silent(doc, ctx, titles_too=False)
    not_after = alternation(tuple(lex["not_docnumber_after"]))
    reporters = tuple(lex["report_number_issuer"])
    taken: list[tuple[int, int]] = []
    rdate = _report_date(doc, ctx)

    def ok_context(a: int, b: int) -> bool:
        if a == 0 or not _is_han(text[a - 1]):
            return False
        if silent.covers(a, b) or any(x < b and a < y for x, y in taken):
            return False
        if not_after.match(text, b):
            return False
        head = text[max(0, a - 4):a]
        return not head.endswith(reporters)

    def canon(year: str, num: str) -> str:
        return f"〔{year}〕{int(num)}号"

    # every pattern ends with 号: look only at the stretch before each 号 (a literal search),
    # not at every position of the text
    ends = [m.end() for m in _HAO.finditer(text)
            if any(ch.isdigit() for ch in text[max(0, m.start() - 8):m.start()])]

    def found(rx):
        for e in ends:
            m = rx.search(text, max(0, e - 26), e)
            if m is not None and m.end() == e:
                yield m

    for m in found(_DOCNO_WRONG):
        a, b = m.start(1), m.end()
        if not ok_context(a, b):
            continue
        taken.append((a, b))
        fix = canon(m.group(2), m.group(6))
        yield ctx.flag(a, b, f"发文字号的年份应使用六角括号“〔〕”，不用“{m.group(1)}{m.group(3)}”：应写为“{fix}”",
                       suggestion=fix)
    for m in found(_DOCNO_SIX):
        a, b = m.start(), m.end()
        di, zeros = m.group(4), m.group(5)
        spaced = m.group(1) or m.group(3) or " " in m.group(0) or "\u3000" in m.group(0)
        if not (di or zeros or spaced) or not ok_context(a, b):
            if not (di or zeros or spaced) and rdate and int(m.group(2)) > rdate[0] and ok_context(a, b):
                taken.append((a, b))
                yield ctx.flag(a, b, f"发文字号的年份{m.group(2)}晚于报告日期（{rdate[0]}年）：应核对文号年份",
                               data={"year": int(m.group(2)), "report_year": rdate[0]})
            continue
        taken.append((a, b))
        fix = canon(m.group(2), m.group(6))
        what = "不加“第”" if di else ("不编虚位（不加前导0）" if zeros else "中间不留空格")
        yield ctx.flag(a, b, f"发文字号的顺序号{what}：应写为“{fix}”", suggestion=fix)
    for m in found(_DOCNO_SMALL):
        a, b = m.start(), m.end()
        if ok_context(a, b):
            taken.append((a, b))
            fix = f"〔{m.group(1)}〕{m.group(2).strip()}"
            yield ctx.flag(a, b, f"发文字号的年份应使用六角括号“〔〕”，不用“﹝﹞”：应写为“{fix}”，并填写实际年份",
                           suggestion=fix)
    for rx, msg in ((_DOCNO_NOYEAR, "发文字号缺少年份：应在“〔〕”内填写4位年份，如“〔2023〕12号”"),
                    (_DOCNO_SHORTYEAR, "发文字号的年份应写全4位并使用六角括号，如“〔2023〕12号”"),
                    (_DOCNO_NONUMBER, "发文字号缺少顺序号：应在“〕”与“号”之间填写顺序号，如“〔2023〕12号”")):
        for m in found(rx):
            a, b = m.start(), m.end()
            if ok_context(a, b):
                taken.append((a, b))
                yield ctx.flag(a, b, msg)
    for rx in (_DOCNO_NOCLOSE, _DOCNO_NOOPEN, _DOCNO_BARE):
        for m in found(rx):
            a, b = m.start(), m.end()
            if ok_context(a, b):
                taken.append((a, b))
                fix = canon(m.group(1), m.group(2))
                what = "缺少六角括号" if rx is _DOCNO_BARE else "的六角括号不完整"
                yield ctx.flag(a, b, f"发文字号{what}：应写为“{fix}”", suggestion=fix)


# ----- STYLE006 dates ------------------------------------------------------------------------------

# a month (and day); the year before it, if any, is read by _YEAR_BEFORE
_ANY_DATE = re.compile(r"月(?<=\d月)(?:(\d{1,2})日)?")   # a literal first: a fast scan for 月
_YEAR_BEFORE = lazy_re(r"((?:19|20)\d{2})年$")
_COMPACT_DATE = lazy_re(r"((?:19|20)\d{2})(\d{3,4})日")
# 公开时间：2022928 — a labelled date with its 年月日 left out
_LABELLED_COMPACT = lazy_re(r"(?:时间|日期)[:：][ \u3000]*((?:19|20)\d{2})(\d{3,4})(?![\d年.])")
# 2021年 3月25日: a space inside a date
_SPACED_DATE = lazy_re(r"(?:19|20)\d{2}年(?:[ \u3000]+\d{1,2}月(?:[ \u3000]*\d{1,2}日)?|\d{1,2}月[ \u3000]+\d{1,2}日)")
# 20237-8月, 202312月: the 年 left out between year and month
_COMPACT_MONTH = lazy_re(r"((?:19|20)\d{2})(1[0-2]|[1-9])((?:[-—～~至](?:1[0-2]|[1-9]))?)月")
_NOT_DATE_BEFORE = lazy_re(r"[\d.年月]|\d,")
_BLANK_DATE = lazy_re(r"((?:19|20)\d{2})年(?:[ \t\u3000]月[ \t\u3000]*日|\d{1,2}月[ \t\u3000]+日)")
_DATE_TAIL = lazy_re(r"[ \u3000]?(?:(?:19|20)\d{2}年度?)?(?:\d{1,2}月(?:份)?)?(?:\d{1,2}日)?(?:底|末|初)?")


def _compact_fixes(year: str, rest: str) -> list[str]:
    out = []
    for cut in (1, 2):
        mo, day = rest[:cut], rest[cut:]
        if not day or len(day) > 2 or mo.startswith("0") and cut == 1:
            continue
        mi, di = int(mo), int(day)
        if 1 <= mi <= 12 and 1 <= di <= _days_in(int(year), mi):
            out.append(f"{year}年{mi}月{di}日")
    return out


@rule(code="STYLE006", name="malformed-date", severity=Severity.WARNING,
      bad=["⟦截止⟧2023年底，项目资金已全部拨付到位。", "项目于⟦2022年2月30日⟧通过竣工验收。",
           "自评工作于⟦2024315日⟧完成。", "报告日期：⟦2024年 月 日⟧"],
      good=["截至2023年12月31日，累计完成投资1860万元。", "申报截止日期为2023年5月31日。",
            "督促施工单位于2024年3月31日前完成面层施工。", "项目于2024年2月29日通过竣工验收。"])
def malformed_date(doc: Document, ctx):
    """A date is impossible or incomplete, a blank date is left, 截止 stands where 截至 belongs, or a date after the report is stated as achieved.

    Reported: a month or day that does not exist (2022年13月, 2022年2月30日); digits run
    together (2024315日 → 2024年3月15日); a year with its month or day left blank, also with a
    single space (2024年 月 日; STYLE002 reports the wider blanks); 截止 right before a point in
    time (截止2023年底 → 截至2023年底 — 截止 means "end at a deadline", 截至 "up to a time";
    a deadline such as 截止2023年12月31日前 is left alone); and "已于2024年6月完成" when the
    report itself is dated earlier (from its closing date line or a labelled cover date).

    Why: GB/T 15835-2011 writes dates in full; a wrong date in an evidence document
    undermines every figure dated with it.
    """
    lex = ctx.lex["hygiene"]
    text = doc.text
    silent = _silent(doc, ctx)
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return not silent.covers(a, b) and not any(x < b and a < y for x, y in taken)

    # blank and spaced dates need a space after 年 or 月; most reports have none
    spaced = any(x in text for x in ("年 ", "年\u3000", "年\t", "月 ", "月\u3000", "月\t"))

    def starts_number(a):
        """Whether a digit, point or 年/月 (or a digit and comma) runs on into position a."""
        return a > 0 and _NOT_DATE_BEFORE.match(text, a - 1) is not None or \
            (a > 1 and text[a - 1] == "," and text[a - 2].isdigit())

    for m in _COMPACT_DATE.finditer(text):
        a, b = m.start(), m.end()
        if starts_number(a) or not free(a, b):
            continue
        fixes = _compact_fixes(m.group(1), m.group(2))
        taken.append((a, b))
        if len(fixes) == 1:
            yield ctx.flag(a, b, f"日期“{m.group(0)}”缺少“年”“月”：应写为“{fixes[0]}”", suggestion=fixes[0])
        else:
            yield ctx.flag(a, b, f"日期“{m.group(0)}”缺少“年”“月”：应写成“2024年3月15日”的完整形式")
    labelled = any(x in text for x in ("时间：", "时间:", "日期：", "日期:"))
    for m in (_LABELLED_COMPACT.finditer(text) if labelled else ()):
        a, b = m.start(1), m.end(2)
        if not free(a, b):
            continue
        fixes = _compact_fixes(m.group(1), m.group(2))
        taken.append((a, b))
        if len(fixes) == 1:
            yield ctx.flag(a, b, f"日期“{text[a:b]}”缺少“年”“月”“日”：应写为“{fixes[0]}”", suggestion=fixes[0])
        else:
            yield ctx.flag(a, b, f"日期“{text[a:b]}”缺少“年”“月”“日”：应写成“2024年3月15日”的完整形式")
    for m in (_SPACED_DATE.finditer(text) if spaced else ()):
        a, b = m.start(), m.end()
        if (a > 0 and text[a - 1].isdigit()) or not free(a, b):
            continue
        taken.append((a, b))
        fix = re.sub(r"[ \u3000]", "", m.group(0))
        yield ctx.flag(a, b, f"日期“{m.group(0)}”中间有空格：应写为“{fix}”", suggestion=fix)
    for m in _COMPACT_MONTH.finditer(text):
        a, b = m.start(), m.end()
        if starts_number(a) or not free(a, b):
            continue
        taken.append((a, b))
        fix = f"{m.group(1)}年{m.group(2)}{m.group(3)}月"
        yield ctx.flag(a, b, f"日期“{m.group(0)}”缺少“年”：应写为“{fix}”", suggestion=fix)
    for m in _ANY_DATE.finditer(text):
        a, b = m.start(), m.end()
        a -= 2 if a > 1 and text[a - 2].isdigit() else 1      # the month's one or two digits
        mo = int(text[a:m.start()])
        day = int(m.group(1)) if m.group(1) else None
        if 1 <= mo <= 12 and (day is None or day <= 28) and day != 0:
            continue        # the common case, decided without looking back
        if a > 0 and (text[a - 1].isdigit() or text[a - 1] == "."):
            continue
        y = _YEAR_BEFORE.search(text, max(0, a - 5), a)
        if y is not None:
            a = y.start()
        year = int(y.group(1)) if y else 2000     # a leap year: 2月29日 without a year is fine
        if 1 <= mo <= 12 and (day is None or 1 <= day <= _days_in(year, mo)):
            continue
        if y is None and day is None:
            continue        # "13月" alone may be a count of months
        if not free(a, b):
            continue
        taken.append((a, b))
        if not 1 <= mo <= 12:
            yield ctx.flag(a, b, f"日期“{m.group(0)}”中的月份不存在：应核对并改为1至12月之间的实际月份")
        else:
            yield ctx.flag(a, b, f"日期“{m.group(0)}”不存在（{mo}月只有{_days_in(year, mo)}天）：应核对实际日期")
    for m in (_BLANK_DATE.finditer(text) if spaced else ()):
        a, b = m.start(), m.end()
        if not (a > 0 and text[a - 1].isdigit()) and free(a, b):
            taken.append((a, b))
            yield ctx.flag(a, b, f"日期“{m.group(0)}”未填写完整：应填写完整日期，如“{m.group(1)}年3月15日”")
    # 截止 before a point in time
    times = alternation(tuple(lex["point_in_time"]))
    for m in re.finditer("截止", text):
        a, b = m.start(), m.end()
        t = _DATE_TAIL.match(text, b)
        tail_end = t.end() if t else b
        if tail_end - b <= 1 and not times.match(text, b + (1 if text[b:b + 1] in " \u3000" else 0)):
            continue
        nxt = text[tail_end:tail_end + 2]
        if nxt[:1] in ("前", "止") or nxt.startswith("以前") or nxt.startswith("之前"):
            continue        # a deadline: 截止2023年12月31日前
        if not free(a, b):
            continue
        yield ctx.flag(a, b, "表示截到某一时间点应用“截至”（“截止”指到期停止，用在时间之后）：应改为“截至”",
                       suggestion="截至")
    # a date after the report's own date stated as achieved
    rdate = _report_date(doc, ctx)
    if rdate is None:
        return
    done = alternation(tuple(lex["achieved"]))
    for m in _DATE.finditer(text):
        a, b = m.start(), m.end()
        if a > 0 and (text[a - 1].isdigit() or text[a - 1] == "."):
            continue
        before = text[max(0, a - 3):a]
        after = text[b:b + 12]
        if before.endswith("已于"):
            claim = done.search(after[:10]) is not None
        else:
            claim = re.match(r"(?:前)?已(?:经)?(?:全部)?", after) is not None and done.search(after[:10]) is not None
        if not claim:
            continue
        d = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
        if d[:2] > rdate[:2] or (d[:2] == rdate[:2] and rdate[2] and d[2] > rdate[2]):
            if free(a, b):
                yield ctx.flag(a, b, f"日期“{m.group(0)}”晚于报告日期（{rdate[0]}年{rdate[1]}月"
                               f"{str(rdate[2]) + '日' if rdate[2] else ''}），却写作已经完成：应核对日期，"
                               "或改写为计划完成时间",
                               data={"report_date": list(rdate)})


# ----- STYLE007 unpaired marks -------------------------------------------------------------------

_OPEN = {"（": "paren", "(": "paren", "《": "book", "〔": "hex", "【": "lent", "“": "dq", "‘": "sq"}
_CLOSE = {"）": "paren", ")": "paren", "》": "book", "〕": "hex", "】": "lent", "”": "dq", "’": "sq"}
_CLOSER = {"paren": "）", "book": "》", "hex": "〕", "lent": "】", "dq": "”", "sq": "’"}
_OPENER = {"paren": "（", "book": "《", "hex": "〔", "lent": "【", "dq": "“", "sq": "‘"}
_MARKS = re.compile("[（()）《》〔〕【】“”‘’]")
# a list item numbered 1） a） 一） ①）: its closing bracket has no opening one by design
_LIST_ITEM = lazy_re(r"^[\s\u3000]*(?:[（(]?)(?:\d{1,3}|[A-Za-z]|[一二三四五六七八九十]{1,3}|[①-⑳])[）)]")
_LATIN = lazy_re(r"[A-Za-z]")
_APOS_NEXT = lazy_re(r"[A-Za-z0-9]")
# 1） a) 一）: an enumerator before a closing bracket (what stands before it is checked in code)
_ENUM_BEFORE = lazy_re(r"(?:\d{1,2}|[A-Za-z]|[一二三四五六七八九十]{1,2}|[①-⑳])$")
_WRAP_LINES = 10
_BROKEN_OPEN = lazy_re(r"〔(?:19|20)\d{3,6}\s*号")
_BROKEN_CLOSE = lazy_re(r"(?:19|20)\d{2}〕$")        # a mark may close this many lines further on (hard-wrapped text)


def _enumerator_before(text: str, ua: int, i: int) -> bool:
    """Whether an enumerator (1, a, 一, ①) that starts a list item ends at i."""
    m = _ENUM_BEFORE.search(text, max(ua, i - 3), i)
    if m is None:
        return False
    a = m.start()
    if a > 0 and (text[a - 1].isascii() and text[a - 1].isalnum() or _is_han(text[a - 1])):
        return False
    return True


def _units(doc: Document):
    """(start, end) of the stretches marks must pair within: paragraphs, Markdown table cells;
    in a PDF, lines joined until one ends a sentence (its text layer breaks lines anywhere)."""
    paras = doc.paragraphs
    if doc.kind == "pdf":
        i = 0
        while i < len(paras):
            a = paras[i].start
            j = i
            while j + 1 < len(paras) and paras[j].text[-1:] not in "。！？；：" and paras[j + 1].heading is None \
                    and j - i < 8:
                j += 1
            yield a, paras[j].end
            i = j + 1
        return
    for p in paras:
        t = p.text
        if doc.kind == "md" and t.startswith("|"):
            pos = p.start
            for cell in t.split("|"):
                yield pos, pos + len(cell)
                pos += len(cell) + 1
        else:
            yield p.start, p.end


@rule(code="STYLE007", name="unpaired-marks", severity=Severity.WARNING,
      bad=["项目资金⟦（⟧含中央补助资金860万元已全部到位。", "坚持“资金跟着项目走⟦“⟧的原则。",
           "根据《关于加强专项资金管理的通知⟦）⟧要求执行。"],
      good=["项目资金（含中央补助资金860万元）已全部到位。", "1）完成道路硬化12.6公里；",
            "平台采用B/S架构(Browser/Server)部署。"])
def unpaired_marks(doc: Document, ctx):
    """A bracket, book-title mark or quotation mark （ ） 《 》 〔 〕 【 】 “ ” ‘ ’ has no partner within its paragraph or table cell.

    The finding marks the odd mark; when the fault is a mark of the wrong kind or direction
    (“…“, 《…）) the partner it should close is given as the related position and the
    suggestion is the right mark. Half-width brackets pair with full-width ones here (their
    width is STYLE001's business); list numbers such as 1） are not counted. A paragraph
    broken over several lines (a wrapped aside, the revision history of a regulation) may
    close a mark on one of the next few lines.

    Why: GB/T 15834-2011 uses these marks in pairs; an unclosed bracket or quotation makes
    the reader guess where an aside or a quoted phrase ends.
    """
    text = doc.text
    silent = _silent(doc, ctx, titles_too=False)
    titles = _Spans(_titles(doc, ctx))
    # pass 1: pair within each unit; keep what is left. One scan of the whole text for the
    # marks, bucketed into units: most paragraphs have none and cost nothing.
    units = list(_units(doc))
    starts = [u[0] for u in units]
    left: dict[int, tuple[list, list]] = {}     # unit index: (unmatched openings (pos, fam), lone closings)
    k = -1
    ua = ub = -1
    stacks: dict[str, list[int]] = {}
    lone_close: list[int] = []

    def close_unit():
        if k >= 0 and (lone_close or any(stacks.values())):
            left[k] = (sorted((i, fam) for fam, st in stacks.items() for i in st), lone_close)

    for m in _MARKS.finditer(text):
        i = m.start()
        if not ua <= i < ub:
            close_unit()
            k = bisect.bisect_right(starts, i) - 1
            if k < 0 or i >= units[k][1]:
                k, ua, ub = -1, -1, -1       # between units (a Markdown cell border, a blank line)
                continue
            ua, ub = units[k]
            stacks, lone_close = {}, []
        ch = text[i]
        if silent.covers(i, i + 1):
            continue
        if ch in "‘’" and (_LATIN.match(text, i - 1 if i else 0) or _APOS_NEXT.match(text, i + 1)):
            continue        # an apostrophe: World Bank’s, ’99
        fam = _OPEN.get(ch)
        if fam is not None:
            stacks.setdefault(fam, []).append(i)
            continue
        fam = _CLOSE[ch]
        st = stacks.get(fam)
        if st:
            st.pop()
        elif ch in "）)" and (_enumerator_before(text, ua, i) or
                             ((lm := _LIST_ITEM.match(text, ua, ub)) is not None and i < lm.end())):
            continue        # 1） a) 一） numbering a list, also inside a line (包括：1）道路；2）桥梁)
        else:
            lone_close.append(i)
    close_unit()
    # pass 2: a mark left open may close on one of the next few lines (wrapped text)
    pending: list[tuple[int, str, int]] = []     # (pos, fam, unit)
    for k in sorted(left):
        opens, closes = left[k]
        pending = [x for x in pending if x[2] >= k - _WRAP_LINES]
        for c in list(closes):
            fam = _CLOSE[text[c]]
            for j in range(len(pending) - 1, -1, -1):
                if pending[j][1] == fam:
                    o = pending.pop(j)
                    left[o[2]][0].remove((o[0], o[1]))
                    closes.remove(c)
                    break
        pending.extend((i, fam, k) for i, fam in opens)
    # the half bracket of a broken 文号 (财预〔20235号) is STYLE005's finding
    for opens, lone_close in left.values():
        opens[:] = [(o, f) for o, f in opens if not (f == "hex" and _BROKEN_OPEN.match(text, o))]
        lone_close[:] = [c for c in lone_close
                         if not (text[c] == "〕" and _BROKEN_CLOSE.search(text, max(0, c - 4), c + 1))]
    # pass 3: report what is still unpaired, unit by unit
    for k in sorted(left):
        opens, lone_close = left[k]
        if not opens and not lone_close:
            continue
        used: set[int] = set()
        # “…“ and ”…”: the same quotation mark twice, the second (first) in the wrong direction
        for fam in ("dq", "sq"):
            st = [i for i, f in opens if f == fam]
            if len(st) >= 2 and len(st) % 2 == 0:
                for o1, o2 in zip(st[::2], st[1::2]):
                    if not titles.covers(o2, o2 + 1):
                        used.update((o1, o2))
                        yield ctx.flag(o2, o2 + 1, f"引号方向有误：与前面的“{text[o1]}”配对的应是“{_CLOSER[fam]}”，"
                                       f"应改为“{_CLOSER[fam]}”", suggestion=_CLOSER[fam],
                                       related=[ctx.related(o1, o1 + 1, note="与之配对的前引号")])
            cl = [i for i in lone_close if _CLOSE[text[i]] == fam]
            if len(cl) >= 2 and len(cl) % 2 == 0:
                for c1, c2 in zip(cl[::2], cl[1::2]):
                    used.update((c1, c2))
                    yield ctx.flag(c1, c1 + 1, f"引号方向有误：与后面的“{text[c2]}”配对的应是“{_OPENER[fam]}”，"
                                   f"应改为“{_OPENER[fam]}”", suggestion=_OPENER[fam],
                                   related=[ctx.related(c2, c2 + 1, note="与之配对的后引号")])
        # a closing mark of another kind: 《…）
        for c in lone_close:
            if c in used:
                continue
            fam = _CLOSE[text[c]]
            cands = [(i, f) for i, f in opens if i < c and i not in used and f != fam]
            if cands:
                o, ofam = cands[-1]
                used.update((o, c))
                if text[o] == "(" or text[c] == ")" or titles.covers(c, c + 1):
                    continue
                yield ctx.flag(c, c + 1, f"“{text[c]}”与前面的“{text[o]}”不成对：应改为“{_CLOSER[ofam]}”",
                               suggestion=_CLOSER[ofam], related=[ctx.related(o, o + 1, note="未闭合的前一半")])
        for c in lone_close:
            if c in used or titles.covers(c, c + 1):
                continue
            if text[c] == ")" and not (c > 0 and _is_han(text[c - 1])):
                continue        # a half-width bracket is only counted in Chinese text
            fam = _CLOSE[text[c]]
            yield ctx.flag(c, c + 1, f"“{text[c]}”在本段没有对应的“{_OPENER[fam]}”：应在括注或引文开始处补上"
                           f"“{_OPENER[fam]}”，或删去多余的“{text[c]}”")
        for o, fam in opens:
            if o in used or titles.covers(o, o + 1):
                continue
            if text[o] == "(" and not (o + 1 < len(text) and _is_han(text[o + 1])):
                continue
            yield ctx.flag(o, o + 1, f"“{text[o]}”在本段没有对应的“{_CLOSER[fam]}”：应在括注或引文结束处补上"
                           f"“{_CLOSER[fam]}”，或删去多余的“{text[o]}”")


# ----- STYLE008 confusable words -------------------------------------------------------------------

@lru_cache(maxsize=8)
def _confusables(pairs: tuple) -> tuple:
    """(one regex for every wrong form, {wrong: (right, after, not_after, not_before, not_later, severity, why)})."""
    table = {}
    for wrong, right, after, not_after, not_before, not_later, severity, why in pairs:
        # guards compile on first use: most documents contain none of the wrong forms, and
        # each Chinese character class costs ~0.3–1 ms to compile
        table[wrong] = (right,
                        lazy_re(after) if after else None,
                        lazy_re(not_after) if not_after else None,
                        lazy_re(f"(?:{not_before})$") if not_before else None,
                        lazy_re(not_later) if not_later else None,
                        Severity.INFO if severity == "info" else None,
                        why)
    return alternation(tuple(table)), table


_CLAUSE_END = lazy_re(r"[。；！？\n]")


@rule(code="STYLE008", name="confusable-words", severity=Severity.WARNING,
      bad=["按照县委⟦布署⟧，项目于2023年3月开工。", "资金已全部⟦拔付⟧到项目实施单位。",
           "县政府⟦做出⟧决定，将项目纳入民生实事。", "项目资金实行⟦专帐⟧核算。"],
      good=["按排名先后确定补助对象。", "既使用中央资金，又统筹县级配套资金。", "为了了解群众需求，开展问卷调查。",
            "项目目的的实现程度较高。"])
def confusable_words(doc: Document, ctx):
    """A misspelling or confusable word common in official documents (布署, 拔付, 既使, 帐户, 做出决定, 的的), with its correction.

    Pairs come from the ``confusables`` lexicon, each with its correction and, where the
    wrong form is also the start or end of a legitimate phrase, a context guard (按排名 is
    按 + 排名; 为了了解 is 为了 + 了解; 既使用…又… is 既…又…). Variants that are dated rather
    than wrong (其它, 惟一, 部份) are reported at info level. Add pairs in your configuration:
    a TOML file with ``[meta] extends = "confusables"`` and ``[[pairs]]`` entries
    (wrong, right, optional after / not_after / not_before / not_later guards), listed in
    ``lexicons = [...]``.

    Why: a reviewer deducts for every misspelling (错别字每处扣0.5分 in provincial scoring
    sheets), and 公文 proofreaders flag exactly these pairs.
    """
    lex = ctx.lex["confusables"]
    pairs = tuple((p["wrong"], p["right"], p.get("after", ""), p.get("not_after", ""), p.get("not_before", ""),
                   p.get("not_later", ""), p.get("severity", ""), p.get("why", "")) for p in lex.get("pairs", ())
                  if p.get("wrong") and "right" in p)
    if not pairs:
        return
    rx, table = _confusables(pairs)
    text = doc.text
    silent = _silent(doc, ctx)
    for m in rx.finditer(text):
        a, b = m.start(), m.end()
        right, after, not_after, not_before, not_later, sev, why = table[m.group(0)]
        if after is not None and not after.match(text, b):
            continue
        if not_after is not None and not_after.match(text, b):
            continue
        if not_before is not None and not_before.search(text, max(0, a - 4), a):
            continue
        if not_later is not None:
            e = _CLAUSE_END.search(text, b, b + 60)
            if not_later.search(text, b, e.start() if e else min(len(text), b + 60)):
                continue
        if silent.covers(a, b):
            continue
        why_s = f"（{why}）" if why else ""
        yield ctx.flag(a, b, f"“{m.group(0)}”应写作“{right}”{why_s}", suggestion=right, severity=sev)


# ----- STYLE009 mixed units ----------------------------------------------------------------------

# the same unit written as a Chinese name and as a symbol; symbols must follow a number
_UNIT_GROUPS = (
    ("平方米", ("平方米",), ("㎡", "m²", "m2")),
    ("立方米", ("立方米",), ("m³", "m3")),
    ("公里", ("公里", "千米"), ("km", "KM", "Km")),
    ("米", ("米",), ("m",)),
    ("千克", ("千克", "公斤"), ("kg", "KG", "Kg")),
    ("公顷", ("公顷",), ("hm²", "hm2")),
)
_FULL_DIGITS = lazy_re("[０-９][０-９．，]*")
# found from its first comma (a literal, so a fast scan); the leading digits are read back
_SEP_WAN = lazy_re(r",\d{3}(?:,\d{3})*(?:\.\d+)?(?=\s*[万亿])")
_LEAD_DIGITS = lazy_re(r"(?<![\d.,])\d{1,3}$")
_CN_DIGIT = lazy_re("[一二三四五六七八九〇零○]")
_FULL_TO_HALF = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _unit_uses(text: str, names) -> list[tuple[int, int, str]]:
    """(start, end, name) of each unit name written right after a number (1200平方米, 3.5 km),
    longest names first so 平方米 is not also counted as 米; str.find, no regex to compile."""
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for name in sorted(names, key=len, reverse=True):
        i = text.find(name)
        while i >= 0:
            e = i + len(name)
            d = i - 1 if i > 0 and text[i - 1] == " " else i
            if d > 0 and text[d - 1].isdigit() and i not in taken and \
                    not (name.isascii() and e < len(text) and (text[e].isascii() and text[e].isalnum() or text[e] in "²³")):
                out.append((i, e, name))
                taken.update(range(i, e))
            i = text.find(name, e)
    return sorted(out)


@rule(code="STYLE009", name="mixed-units", severity=Severity.INFO,
      options={"collapse_after": Option(5, int, "report full-width digits once per document when they occur "
                                                 "at least this many times", min=2)},
      bad=["新建文化广场1200平方米，绿化800平方米。\n改造活动室360⟦㎡⟧。", "项目总投资⟦1,234.5⟧万元。",
           "完成培训⟦３２０⟧人次。"],
      good=["新建文化广场1200平方米，改造活动室360平方米。", "项目总投资12345万元，其中中央资金1,200元/人。",
            "道路全长12.6km，设计时速30km/h。"])
def mixed_units(doc: Document, ctx):
    """One document writes the same unit two ways (平方米 and ㎡, 公里 and km, 米 and m), groups digits with commas before 万/亿, or uses full-width digits.

    The less used form of a unit is reported once, at its first use, with the form the
    document mostly uses as the suggestion (the related position is that form's first use).
    A thousands separator before 万 or 亿 (1,234.5万元) mixes two ways of grouping digits;
    full-width digits (２０２３) break search and sums.

    Why: GB 3100-1993 and GB/T 15835-2011 ask for one form of a unit and of a number
    throughout a document; mixed forms look like pasted text and get questioned.
    """
    text = doc.text
    silent = _silent(doc, ctx)
    by_name = {}
    for key, zh, sym in _UNIT_GROUPS:
        for n in zh:
            by_name[n] = (key, "zh")
        for n in sym:
            by_name[n] = (key, "sym")
    seen: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
    for a, b, name in _unit_uses(text, tuple(by_name)):
        key, form = by_name[name]
        if silent.covers(a, b) and form == "zh":
            continue
        seen.setdefault(key, {}).setdefault(form, []).append((a, b, name))
    for key, forms in seen.items():
        if len(forms) < 2:
            continue
        zh, sym = forms["zh"], forms["sym"]
        minor, major = (sym, zh) if len(sym) <= len(zh) else (zh, sym)
        a, b, name = minor[0]
        target = major[0][2]
        yield ctx.flag(a, b, f"同一单位写法不一致：本文多处写作“{target}”，此处（共{len(minor)}处）写作“{name}”，"
                       f"应统一为“{target}”", suggestion=target,
                       related=[ctx.related(major[0][0], major[0][1], note=f"“{target}”的写法")],
                       data={"count": len(minor)})
    for m in _SEP_WAN.finditer(text):
        lead = _LEAD_DIGITS.search(text, max(0, m.start() - 4), m.start())
        if lead is None:
            continue
        a, b = lead.start(), m.end()
        if silent.covers(a, b) or doc.in_table(a):
            continue
        plain = text[a:b].replace(",", "")
        yield ctx.flag(a, b, f"以“万”“亿”为单位的数字不用千分撇：应写为“{plain}”", suggestion=plain)
    full = [(m.start(), m.end(), m.group(0)) for m in _FULL_DIGITS.finditer(text)
            if not silent.covers(m.start(), m.end())]
    if len(full) >= ctx.options["collapse_after"]:
        a, b, s = full[0]
        yield ctx.flag(a, b, f"全文有{len(full)}处使用全角数字（如“{s}”）：应统一改为半角阿拉伯数字",
                       suggestion=s.translate(_FULL_TO_HALF), data={"count": len(full)})
    else:
        for a, b, s in full:
            half = s.translate(_FULL_TO_HALF)
            if set(s) == {"０"} and (_CN_DIGIT.match(text, a - 1 if a else 0) or _CN_DIGIT.match(text, b)):
                half = "〇" * len(s)      # 二００一年: a zero among Chinese numerals is 〇
            yield ctx.flag(a, b, f"使用了全角数字“{s}”：应改为半角“{half}”", suggestion=half)


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


_ADMIN = "省市县区州盟旗镇乡"


def _has_unit_name(suffixes, where: str) -> bool:
    """The name of a body: an administrative prefix (县, 市, 区, 省, 镇, 乡, 街道…) then a body
    ending (县住房和城乡建设局, 区民政局, 市第一人民医院); 格局/布局 in prose have no such prefix."""
    for suf in suffixes:
        i = where.find(suf)
        while i >= 0:
            k = i - 1
            while k >= 0 and i - k <= 19 and where[k].isalnum():
                if where[k] in _ADMIN or where[k:k + 2] == "街道":
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
                not _has_unit_name(lex["unit_suffixes"], block + "\n" + closing):
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
