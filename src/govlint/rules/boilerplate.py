"""DUP003 generic-boilerplate: paragraphs of generic government language, and duties restated as work.

Whether wording is common is decided from data: ``govlint/data/dup003_ngrams.bin`` holds the
CRC-32 values of the character 4-grams found in a large share of public government documents
(built by ``bench/build_dup003_table.py``; provenance in ``dup003_ngrams.toml``; no text is
shipped). The table is read once per process, on the first paragraph that passes the
cheaper gates (length, no figure, no place, no word of the project's name).
"""

from __future__ import annotations

import re
import sys
import zlib
from bisect import bisect_left
from pathlib import Path

from govlint.document import Document
from govlint.finding import Severity
from govlint.patterns import lex_re
from govlint.registry import Option, rule
from govlint.rules._measure import figures, section_kind
from govlint.rules._util import blank_quotes, lazy_re

N = 4
_W = "boilerplate"    # the word patterns of this module: lexicons/boilerplate.toml [patterns]
_TABLE = None          # array('I') of sorted hashes, read on first use
_HAN_RUN = lazy_re(r"[\u4e00-\u9fff]+")
_HAN = lazy_re(r"[\u4e00-\u9fff]")
_DIGIT = lazy_re(r"[0-9０-９]")


def common_ngrams():
    """The sorted hashes of the common n-grams, read on first use, once per process.

    Kept as the packed array it is stored as (~0.1 ms to read) and searched by bisection:
    building a set of the 25 k values would cost 3–15 ms of a cold check, and only the few
    paragraphs that pass the cheaper gates are ever looked up.
    """
    global _TABLE
    if _TABLE is None:
        from array import array
        arr = array("I")
        path = Path(__file__).resolve().parent.parent / "data" / "dup003_ngrams.bin"
        try:
            arr.frombytes(path.read_bytes())
        except (OSError, ValueError):
            arr = array("I")
        if sys.byteorder != "little":
            arr.byteswap()
        _TABLE = arr
    return _TABLE


def _is_common(table, h: int) -> bool:
    i = bisect_left(table, h)
    return i < len(table) and table[i] == h


def common_share(text: str) -> tuple[float, int]:
    """(share of the Han n-grams of ``text`` that are common, number of n-grams)."""
    table = common_ngrams()
    total = hits = 0
    crc = zlib.crc32
    for m in _HAN_RUN.finditer(text):
        run = m.group(0)
        for i in range(len(run) - N + 1):
            total += 1
            if _is_common(table, crc(run[i:i + N].encode("utf-8"))):
                hits += 1
    return (hits / total if total else 0.0), total


_GENERIC_YEAR = lazy_re(r"(?:19|20)\d{2}\s*年度?(?![\s\d０-９]*月)")
_HUNDRED = lex_re(_W, "patterns", "hundred")
_TITLE_NAME = lex_re(_W, "patterns", "title_name")
_NAME_LINE = lex_re(_W, "patterns", "name_line")
_DUTIES_HEADING = lex_re(_W, "patterns", "duties_heading")


def _mask_generic_figures(text: str) -> str:
    """``text`` with the figures that say nothing of the project blanked: a year (2023年度,
    not a date 2023年5月) and a single 100 % with its clause (确保资金使用合规率达到100%). The share of such
    paragraphs that are generic is that of paragraphs with no figure at all (57 % of the
    year-only paragraphs of ../shared/corpus score ≥ 0.4, against 22 % of those with other
    figures); a second 100 % or any other figure keeps the paragraph a statement of facts."""
    if not _DIGIT.search(text) and "百分之百" not in text:
        return text
    out = _GENERIC_YEAR.sub(lambda m: " " * len(m.group(0)), text)
    hundred = list(_HUNDRED.finditer(out))
    if len(hundred) == 1:
        # the clause of the 100 % (资金使用合规率达到100%) is blanked with it: rate labels of
        # self-evaluation reports are not in the table's documents, and the claim is the figure's
        m = hundred[0]
        a = max(out.rfind(ch, 0, m.start()) for ch in "，,；;。：:\n") + 1
        ends = [i for i in (out.find(ch, m.end()) for ch in "，,；;。\n") if i >= 0]
        b = min(ends) if ends else len(out)
        out = out[:a] + " " * (b - a) + out[b:]
    return out


def _rx(ctx, key: str) -> re.Pattern:
    cache = ctx.shared.memo("dup003.rx", dict)
    got = cache.get(key)
    if got is None:
        got = cache[key] = re.compile(ctx.lex["boilerplate"][key])
    return got


def _project_words(doc: Document, ctx) -> list[str]:
    """Two-character pieces of the project's name (from the title and the 项目名称 lines) once
    its generic words (项目, 资金, 建设 …) are cut out: 农村公路养护 → 农村, 村公, 公路, 路养, 养护.

    Character pairs rather than jieba words: a report whose other rules need no segmentation
    never loads the segmenter for this (~10 ms with jieba_fast_dat, ~0.8 s with jieba).
    """
    return ctx.shared.memo("dup003.words", lambda: _name_pieces(doc, ctx.lex["boilerplate"]))


def _name_pieces(doc: Document, conf) -> list[str]:
    names = []
    if doc.title is not None:
        t = doc.title.text
        m = _TITLE_NAME.search(t)
        names.append(m.group(1) if m else t)
    for m in _NAME_LINE.finditer(doc.text[:20000]):
        names.append(m.group(1))
    generic = sorted(conf["generic_name_words"], key=len, reverse=True)
    cut = re.compile("|".join(re.escape(w) for w in generic))
    words: list[str] = []
    for name in names:
        for run in _HAN_RUN.findall(cut.sub(" ", name)):
            for i in range(len(run) - 1):
                w = run[i:i + 2]
                if w not in words:
                    words.append(w)
    return words


def _has_place(text: str, ctx) -> bool:
    conf = ctx.lex["boilerplate"]
    rx = ctx.shared.memo("dup003.place", lambda: re.compile(
        r"([\u4e00-\u9fff]{2,3})(?:" + "|".join(sorted(conf["place_suffixes"], key=len, reverse=True))
        + ")(?!" + conf["place_after_not"] + ")"))
    bad = set(conf["place_not"])
    return any(not (set(m.group(1)) & bad) for m in rx.finditer(text))


def _is_policy_citation(p, ctx) -> bool:
    sents = [s for s in p.sentences if _HAN.search(s.text)]
    if len(sents) != 1:
        return False
    body = p.text[p.body_start - p.start:].lstrip(" \t\u3000")
    m = _rx(ctx, "policy_citation").search(body[:12])
    return m is not None and bool(_rx(ctx, "policy_object").search(body))


def _work_section(sec, kinds: dict, ctx) -> bool:
    """A section meant for this year's work or results."""
    if kinds.get(id(sec)) in ("indicator", "satisfaction", "result"):
        return True
    node = sec
    while node is not None and node.heading is not None:
        title = node.title[:40]
        if _rx(ctx, "work_heading_not").search(title):
            return False
        if _rx(ctx, "work_heading").search(title):
            return True
        node = node.parent
    return False


@rule(code="DUP003", name="generic-boilerplate", severity=Severity.INFO, profiles=("self-eval",),
      options={"threshold": Option(0.4, float, "share of a paragraph's 4-grams that must be common wording",
                                   min=0.1, max=1.0),
               "min_chars": Option(40, int, "shortest paragraph checked (Chinese characters)", min=10)},
      bad=["2023年度农村公路养护项目绩效自评报告\n二、项目实施情况\n"
           "⟦我单位高度重视，坚持以人民为中心的发展思想，深入贯彻落实党中央、国务院决策部署，切实加强组织领导，"
           "强化责任落实，确保各项工作任务落到实处。⟧\n"],
      good=["2023年度农村公路养护项目绩效自评报告\n二、项目实施情况\n"
            "全年完成县乡道养护126公里，其中桥梁维修3座，路面修补4200平方米，验收合格率100%。\n"])
def generic_boilerplate(doc: Document, ctx):
    """A paragraph is generic government language that states nothing about this project, or restates the unit's duties as work done.

    A paragraph of 40 Chinese characters or more with no figure, no place name and no word of
    the project's name (taken from the title and the 项目名称 line) is scored by the share of
    its character 4-grams that are common in public government documents — a table built
    from data (``bench/build_dup003_table.py``), not a hand list. At 40 % or more it is
    generic (info); when such paragraphs make up most of a section, a warning. Quotations,
    《》 titles and a one-sentence citation of a policy (根据《…》要求…) are not boilerplate.
    A year (2023年度, not a date) and a single 100 % with its clause do not count as figures:
    on ../shared/corpus paragraphs whose only figure is a year are generic as often as those
    with none. Also: a list of the unit's duties (主要职责：…, 负责…工作 three times) in a
    section meant for this year's work or results (info), and a numbered list (1.完成…工作
    2.做好… / （一）负责…) of three or more figure-free duty-shaped items there: a warning
    when the items repeat the report's own statement of duties (负责 turned into 完成/做好),
    info when they are duty-shaped only.

    Why: reviewers read past language that fits every report ("高度重视、精心组织、确保落到
    实处") and send back reports that describe duties or policies instead of what this
    project did this year: a performance statement must rest on the project's own facts.
    """
    threshold = ctx.options["threshold"]
    min_chars = ctx.options["min_chars"]
    lex = ctx.lex
    text = doc.text
    kinds = ctx.shared.section_kinds
    if kinds is None:
        kinds = ctx.shared.section_kinds = {id(s): section_kind(s, lex) for s in doc.sections}
    duty_intro = _rx(ctx, "duties_intro")
    duty_item = ctx.lex["boilerplate"]["duty_item"]
    by_section: dict[int, list] = {}
    duty_hits: set[int] = set()
    for p in doc.paragraphs:
        sec = p.section
        if p.is_title or sec is None or doc.in_table(p.start):
            continue
        a0 = p.body_start
        if p.heading is not None and not p.heading.has_inline_body:
            # a numbered paragraph of one long sentence ("2、认真按照上级的统一部署，……") is
            # parsed as a heading; it is prose all the same
            if p.heading.level < 2 or len(_HAN.findall(text[p.heading.marker_end:p.end])) < min_chars:
                continue
            a0 = p.heading.marker_end
        body = text[a0:p.end]
        # duties restated as this year's work
        if _work_section(sec, kinds, ctx) and (duty_intro.search(body) or body.count(duty_item) >= 3):
            a, b = a0, p.end
            while b > a and text[b - 1] in " \t\u3000":
                b -= 1
            duty_hits.add(p.index)
            yield ctx.flag(a, b, "此段照录单位职责（“负责……工作”），不是本年度项目实际开展的工作和取得的结果",
                           suggestion="删去职责表述，写明本年度围绕本项目实际做了什么、做了多少、"
                                      "何时完成、取得了什么可衡量的结果")
            continue
        han = len(_HAN.findall(body))
        if han < min_chars:
            continue
        # the gates are independent filters: the cheapest first
        unquoted = blank_quotes(body)
        masked = _mask_generic_figures(unquoted)
        if _DIGIT.search(masked):
            continue
        plain = masked       # quotations blanked, generic figures masked
        words = _project_words(doc, ctx)
        if any(w in plain for w in words):
            continue
        if figures(plain, lex) or _is_policy_citation(p, ctx) or _has_place(plain, ctx):
            continue
        share, total = common_share(plain)
        if total < 10 or share < threshold:
            continue
        by_section.setdefault(id(sec), []).append((p, a0, han, share, masked != unquoted))
    yield from duty_lists(doc, ctx, kinds, duty_hits)
    for sec in doc.sections:
        hits = by_section.get(id(sec))
        if not hits:
            continue
        sec_han = sum(len(_HAN.findall(text[q.body_start:q.end])) for q in sec.paragraphs
                      if not (q.heading is not None and not q.heading.has_inline_body))
        generic_han = sum(h[2] for h in hits)
        most = sec_han >= 80 and generic_han * 2 > sec_han
        for p, a0, han, share, had_figure in hits:
            a, b = a0, p.end
            while b > a and text[b - 1] in " \t\u3000":
                b -= 1
            what = "只有年份或“100%”这类不说明本项目情况的数字，没有地点或本项目的具体对象" if had_figure \
                else "没有数字、地点或本项目的具体对象"
            msg = (f"此段是通用的公文套话（{share:.0%}的措辞在大量政府文件中常见），{what}"
                   + ("，且这类段落占了本节大部分篇幅" if most else ""))
            yield ctx.flag(a, b, msg, severity=Severity.WARNING if most else None,
                           suggestion="改写为本项目本年度的事实：做了什么、在哪里、做了多少、取得了什么结果（附数据）")


# ----- duties restated as a numbered list ---------------------------------------------------

_ITEM_MARK = lazy_re(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}\s*[.．、]|[①-⑳])\s*")
_INLINE_MARK = lazy_re(r"(?:^|(?<=[。；;\s]))(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[.．、](?!\d)|[①-⑳])")
_YEARISH = lazy_re(r"(?:19|20)\d{2}\s*年度?")


def _items(doc: Document):
    """Runs of numbered list items: (container section, [(start, end, text), ...]).

    An item is a numbered heading that is nothing but its one line (1.完成…工作。), a
    paragraph opening with an item number, or one of three or more numbered items inside a
    paragraph (1.完成…。2.做好…。3.…). A paragraph that is not an item ends the run."""
    text = doc.text
    runs: list[tuple[object, list]] = []
    cur, container = [], None

    def close():
        nonlocal cur
        if len(cur) >= 3:
            runs.append((container, cur))
        cur = []

    for p in doc.paragraphs:
        h = p.heading
        m = _ITEM_MARK.match(p.text) if h is None else None
        if (h is None and m is None) or p.is_title or doc.in_table(p.start):
            close()
            continue
        marks = list(_INLINE_MARK.finditer(p.text))
        if len(marks) >= 3 and marks[0].start() == 0 and (h is None or h.level >= 2):
            close()
            container = p.section.parent if h is not None and p.section is not None else p.section
            for i, mk in enumerate(marks):
                b = marks[i + 1].start() if i + 1 < len(marks) else len(p.text)
                cur.append((p.start + mk.end(), p.start + b, p.text[mk.end():b]))
            close()
            continue
        if h is not None:
            sec = p.section
            if h.level < 2 or sec is None or sec.children or any(q is not p for q in sec.paragraphs) \
                    or h.has_inline_body:
                close()
                continue
            box = sec.parent
            got = [(h.marker_end, p.end, text[h.marker_end:p.end])]
        else:
            box = p.section
            got = [(p.start + m.end(), p.end, p.text[m.end():])]
        if box is not container:
            close()
            container = box
        cur.extend(got)
    close()
    return runs


def _duty_text(doc: Document, ctx, runs) -> set[str]:
    """Character pairs of the report's own statement of duties (主要职责：…, a 职能 section)."""
    intro = _rx(ctx, "duties_intro")
    not_work = _rx(ctx, "work_heading_not")
    inside = [(a, b) for _, items in runs for a, b, _ in items]
    pairs: set[str] = set()
    for p in doc.paragraphs:
        if any(a <= p.start < b for a, b in inside):
            continue
        sec = p.section
        in_duties = sec is not None and sec.heading is not None and _DUTIES_HEADING.search(sec.title[:30]) \
            and not_work.search(sec.title[:30])
        if in_duties or intro.search(p.text) or p.text.count("负责") >= 2:
            for run in _HAN_RUN.findall(p.text):
                pairs.update(run[i:i + 2] for i in range(len(run) - 1))
    return pairs


def duty_lists(doc: Document, ctx, kinds: dict, skip: set[int]):
    """Findings for numbered lists of duties written as this year's work."""
    if not any(w in doc.text for w in ("工作", "职责", "负责")):
        return
    label = _rx(ctx, "work_label")
    runs = []
    for box, items in _items(doc):
        before = doc.paragraph_at(items[0][0]).index - 1
        lead = doc.paragraphs[before].text.strip() if before >= 0 else ""
        # "年度主要工作内容" on its own line (a table's label cell) opens the list
        if box is not None and (_work_section(box, kinds, ctx) or (len(lead) <= 16 and label.search(lead))):
            runs.append((box, items))
    if not runs:
        return
    conf = ctx.lex["boilerplate"]
    verb = re.compile(rf"^(?:{conf['duty_list_verbs']})")
    strong = re.compile(rf"^(?:{conf['duty_list_strong']})")
    end = re.compile(conf["duty_list_end"])
    duties = None
    text = doc.text
    for box, items in runs:
        if doc.paragraph_at(items[0][0]).index in skip:
            continue
        shaped, copied, strong_n, ends = 0, 0, 0, 0
        for a, b, t in items:
            t = t.strip().rstrip("。；;，, \t\u3000")
            plain = _YEARISH.sub("", t)
            han = len(_HAN.findall(plain))
            if han < 6 or han > 60 or _DIGIT.search(plain) or figures(plain, ctx.lex) or re.search(r"[。！!]", plain) \
                    or not verb.search(plain):
                continue
            shaped += 1
            strong_n += bool(strong.search(plain))
            ends += bool(end.search(plain))
            if duties is None:
                duties = _duty_text(doc, ctx, runs)
            core = verb.sub("", plain)
            grams = [r[i:i + 2] for r in _HAN_RUN.findall(core) for i in range(len(r) - 1)]
            if duties and grams and sum(g in duties for g in grams) >= 0.7 * len(grams):
                copied += 1
        n = len(items)
        if shaped < max(3, n - 1):
            continue
        a, b = items[0][0], items[-1][1]
        while b > a and text[b - 1] in " \t\u3000":
            b -= 1
        a = doc.paragraph_at(items[0][0]).start if doc.paragraph_at(items[0][0]).heading else a
        if copied >= 2:
            yield ctx.flag(a, b, f"这{n}项“工作”照抄了前文的单位职责，只是把“负责”换成了“完成、做好”，"
                                 "不是本年度实际开展的工作和取得的结果", severity=Severity.WARNING,
                           suggestion="逐项写明本年度实际做了什么、做了多少、何时完成、取得了什么可衡量的结果（附数据）")
        elif shaped == n and (strong_n >= 2 or ends >= n - 1):
            yield ctx.flag(a, b, f"这{n}项“工作”是职责式表述（“负责／完成／做好……工作”），没有数量、时间和结果",
                           suggestion="逐项写明本年度实际做了什么、做了多少、何时完成、取得了什么可衡量的结果（附数据）")
