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
from govlint.registry import Option, rule
from govlint.rules._measure import figures, section_kind
from govlint.rules._util import lazy_re, quoted_spans

N = 4
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


def _blank_quotes(text: str) -> str:
    out = list(text)
    for a, b in quoted_spans(text):
        out[a:b] = " " * (b - a)
    return "".join(out)


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
        m = re.search(r"(?:19|20)\d{2}\s*年度?(.+?)(?:绩效自评报告|自评报告|绩效评价报告|评价报告|绩效自评|$)", t)
        names.append(m.group(1) if m else t)
    for m in re.finditer(r"项目名称\s*[：:]\s*([^\n，,。；;|]{2,40})", doc.text[:20000]):
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
        r"([\u4e00-\u9fff]{2,3})(?:" + "|".join(sorted(conf["place_suffixes"], key=len, reverse=True)) + ")"))
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
    Also: a list of the unit's duties (主要职责：…, 负责…工作 three times) in a section meant
    for this year's work or results (warning).

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
        if p.heading is not None and not p.heading.has_inline_body:
            continue
        a0 = p.body_start
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
        plain = _blank_quotes(body)
        if _DIGIT.search(plain):
            continue
        words = _project_words(doc, ctx)
        if any(w in plain for w in words):
            continue
        if figures(plain, lex) or _is_policy_citation(p, ctx) or _has_place(plain, ctx):
            continue
        share, total = common_share(plain)
        if total < 10 or share < threshold:
            continue
        by_section.setdefault(id(sec), []).append((p, a0, han, share))
    for sec in doc.sections:
        hits = by_section.get(id(sec))
        if not hits:
            continue
        sec_han = sum(len(_HAN.findall(text[q.body_start:q.end])) for q in sec.paragraphs
                      if not (q.heading is not None and not q.heading.has_inline_body))
        generic_han = sum(h for _, _, h, _ in hits)
        most = sec_han >= 80 and generic_han * 2 > sec_han
        for p, a0, han, share in hits:
            a, b = a0, p.end
            while b > a and text[b - 1] in " \t\u3000":
                b -= 1
            msg = (f"此段是通用的公文套话（{share:.0%}的措辞在大量政府文件中常见），没有数字、地点或本项目的具体对象"
                   + ("，且这类段落占了本节大部分篇幅" if most else ""))
            yield ctx.flag(a, b, msg, severity=Severity.WARNING if most else None,
                           suggestion="改写为本项目本年度的事实：做了什么、在哪里、做了多少、取得了什么结果（附数据）")
