"""Document hygiene a proofreader catches (issue 16): STYLE005 document numbers (发文字号) and
STYLE006 malformed dates and 截止/截至 here, with the helpers the other hygiene modules share;
STYLE007–STYLE009 in ``hygiene_marks``, STRUCT007 and further STYLE002 leftovers in ``cover``.

Every suggestion here is the exact replacement for the marked span (a future autofix uses
it); where no replacement is certain the message says what to write and the suggestion is
left empty. Findings inside 《》 titles of other documents (except STYLE005 and STYLE002) and
inside code or English spans are dropped.
"""

from __future__ import annotations

import bisect
import re

from govlint.document import HAN, Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import rule
from govlint.rules._util import alternation, book_title_spans, lazy_re

_W = "hygiene"        # the word patterns of this module: lexicons/hygiene.toml [patterns]

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
    return ctx.shared.memo(("hygiene.silent", titles_too), lambda: _LazySpans(doc, ctx, titles_too))


def _titles(doc: Document, ctx) -> list[tuple[int, int]]:
    shared = ctx.shared
    if shared.book_titles is None:
        shared.book_titles = book_title_spans(doc.text)
    return shared.book_titles


_DATE = lazy_re(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_LONE_DATE = lazy_re(r"^[\s\u3000]*(?:[（(]?[^\s，。]{0,24}[）)]?[\s\u3000]*)?((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月"
                        r"(?:\s*(\d{1,2})\s*日)?[\s\u3000]*$")


def _report_date(doc: Document, ctx, labels=("评价日期", "报告日期", "填报日期", "自评日期", "报送日期", "成文日期")):
    """(year, month, day or 0) the report states as its own date, or None.

    The date line of the closing (落款) among the last six paragraphs, else a labelled cover
    date (评价日期：2024年3月15日) among the first fifteen.
    """
    return ctx.shared.memo("hygiene.report_date", lambda: _find_report_date(doc, labels))


def _find_report_date(doc: Document, labels) -> tuple[int, int, int] | None:
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
_DOCNO_BARE = lex_re(_W, "patterns", "docno_bare")


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
                       suggestion=fix, fix="safe")
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
        yield ctx.flag(a, b, f"发文字号的顺序号{what}：应写为“{fix}”", suggestion=fix, fix="safe")
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
                yield ctx.flag(a, b, f"发文字号{what}：应写为“{fix}”", suggestion=fix, fix="unsafe")


# ----- STYLE006 dates ------------------------------------------------------------------------------

# a month (and day); the year before it, if any, is read by _YEAR_BEFORE
_ANY_DATE = re.compile(r"月(?<=\d月)(?:(\d{1,2})日)?")   # a literal first: a fast scan for 月
_YEAR_BEFORE = lazy_re(r"((?:19|20)\d{2})年$")
_COMPACT_DATE = lazy_re(r"((?:19|20)\d{2})(\d{3,4})日")
# 公开时间：2022928 — a labelled date with its 年月日 left out
_LABELLED_COMPACT = lex_re(_W, "patterns", "labelled_compact")
# 2021年 3月25日: a space inside a date
_SPACED_DATE = lazy_re(r"(?:19|20)\d{2}年(?:[ \u3000]+\d{1,2}月(?:[ \u3000]*\d{1,2}日)?|\d{1,2}月[ \u3000]+\d{1,2}日)")
# 20237-8月, 202312月: the 年 left out between year and month
_COMPACT_MONTH = lazy_re(r"((?:19|20)\d{2})(1[0-2]|[1-9])((?:[-—～~至](?:1[0-2]|[1-9]))?)月")
_NOT_DATE_BEFORE = lazy_re(r"[\d.年月]|\d,")
_BLANK_DATE = lazy_re(r"((?:19|20)\d{2})年(?:[ \t\u3000]月[ \t\u3000]*日|\d{1,2}月[ \t\u3000]+日)")
_DATE_TAIL = lex_re(_W, "patterns", "date_tail")
_CUTOFF = lex_re(_W, "patterns", "cutoff")
_ACHIEVED_LEAD = lex_re(_W, "patterns", "achieved_lead")


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
        yield ctx.flag(a, b, f"日期“{m.group(0)}”中间有空格：应写为“{fix}”", suggestion=fix, fix="safe")
    for m in _COMPACT_MONTH.finditer(text):
        a, b = m.start(), m.end()
        if starts_number(a) or not free(a, b):
            continue
        taken.append((a, b))
        fix = f"{m.group(1)}年{m.group(2)}{m.group(3)}月"
        yield ctx.flag(a, b, f"日期“{m.group(0)}”缺少“年”：应写为“{fix}”", suggestion=fix, fix="unsafe")
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
    for m in _CUTOFF.finditer(text):
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
                       suggestion="截至", fix="unsafe")
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
            claim = _ACHIEVED_LEAD.match(after) is not None and done.search(after[:10]) is not None
        if not claim:
            continue
        d = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
        if d[:2] > rdate[:2] or (d[:2] == rdate[:2] and rdate[2] and d[2] > rdate[2]):
            if free(a, b):
                yield ctx.flag(a, b, f"日期“{m.group(0)}”晚于报告日期（{rdate[0]}年{rdate[1]}月"
                               f"{str(rdate[2]) + '日' if rdate[2] else ''}），却写作已经完成：应核对日期，"
                               "或改写为计划完成时间",
                               data={"report_date": list(rdate)})
