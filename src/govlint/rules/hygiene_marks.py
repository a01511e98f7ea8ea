"""Document hygiene, marks and words (issue 16): STYLE007 unpaired marks, STYLE008 confusable
words, STYLE009 mixed units and number forms. Shared helpers live in ``hygiene``."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import Option, rule
from govlint.rules._util import alternation, lazy_re
from govlint.rules.hygiene import _Spans, _is_han, _silent, _titles


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
    in a PDF, lines joined until one ends a sentence (its text layer breaks lines anywhere), a
    table cell alone."""
    paras = doc.paragraphs
    if doc.kind == "pdf":
        i = 0
        while i < len(paras):
            a = paras[i].start
            j = i
            cell = doc.in_table(a)        # a cell of a ruled table (readers.pdf_tables) is a unit of its own
            while not cell and j + 1 < len(paras) and paras[j].text[-1:] not in "。！？；：" \
                    and paras[j + 1].heading is None and j - i < 8 and not doc.in_table(paras[j + 1].start):
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
                                       f"应改为“{_CLOSER[fam]}”", suggestion=_CLOSER[fam], fix="safe",
                                       related=[ctx.related(o1, o1 + 1, note="与之配对的前引号")])
            cl = [i for i in lone_close if _CLOSE[text[i]] == fam]
            if len(cl) >= 2 and len(cl) % 2 == 0:
                for c1, c2 in zip(cl[::2], cl[1::2]):
                    used.update((c1, c2))
                    yield ctx.flag(c1, c1 + 1, f"引号方向有误：与后面的“{text[c2]}”配对的应是“{_OPENER[fam]}”，"
                                   f"应改为“{_OPENER[fam]}”", suggestion=_OPENER[fam], fix="safe",
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
        yield ctx.flag(a, b, f"“{m.group(0)}”应写作“{right}”{why_s}", suggestion=right, severity=sev, fix="unsafe")


# ----- STYLE009 mixed units ----------------------------------------------------------------------

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
    # the same unit written as a Chinese name and as a symbol (lexicons/units.toml [forms])
    for key, form in ctx.lex["units"]["forms"].items():
        for n in form["zh"]:
            by_name[n] = (key, "zh")
        for n in form["sym"]:
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
        yield ctx.flag(a, b, f"以“万”“亿”为单位的数字不用千分撇：应写为“{plain}”", suggestion=plain, fix="safe")
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
            yield ctx.flag(a, b, f"使用了全角数字“{s}”：应改为半角“{half}”", suggestion=half, fix="safe")


