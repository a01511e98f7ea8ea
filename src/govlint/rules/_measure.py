"""Measurable figures and section kinds, shared by the indicator and duplication rules.

A *figure* is what makes a statement checkable: a number with a unit from the ``units``
lexicon (12公里, 三座, 1.5万元), a percentage (98.5%, 百分之九十), a change in points
(提高2个百分点) or a date finer than a year (2023年10月, 10月底). A bare year (2021年) is
not a figure: every report names its year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.patterns import alternation_source, lex_re

CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = rf"(?:\d+(?:[.,，]\d{{3}})*(?:\.\d+)?|[{CN_NUM}]+(?:点[{CN_NUM}]+)?)"

_W = "vague"          # the word patterns of this module: lexicons/vague.toml [measure]
QUAL_VERDICTS = lex_re(_W, "measure", "qual_verdicts")


@lru_cache(maxsize=8)
def _figure_re(units: tuple[str, ...], date: str, approx: str) -> re.Pattern:
    """Figures: percentages, dates (words of ``date`` from the lexicon), years, numbers with a unit
    (approximation words ``approx``), bare numbers."""
    alt = alternation_source(units)
    return re.compile(
        rf"(?P<pct>(?:\d+(?:\.\d+)?\s*[%％‰])|百分之[{CN_NUM}点]+)"
        rf"|(?P<date>{date})"
        rf"|(?P<year>(?:19|20)\d{{2}}\s*年度?)"
        rf"|(?P<num>{_NUMBER}\s*{approx}\s*(?:{alt}))"
        rf"|(?P<bare>\d+(?:\.\d+)?)"
    )


_UNITS_CACHE: dict[int, tuple] = {}


def unit_list(lex) -> tuple[str, ...]:
    """Every unit of the ``units`` lexicon (computed once per loaded lexicon set)."""
    key = id(lex)
    hit = _UNITS_CACHE.get(key)
    if hit is not None and hit[0] is lex:
        return hit[1]
    units = lex["units"]
    out: list[str] = []
    for k, value in units.items():
        if k != "meta" and isinstance(value, list):
            out.extend(value)
    result = tuple(out)
    _UNITS_CACHE[key] = (lex, result)
    return result


def figures(text: str, lex, bare_numbers: bool = False) -> list[tuple[int, int]]:
    """Spans of measurable figures in ``text`` (bare years never; bare numbers if asked)."""
    out = []
    words = lex["vague"]["measure"]
    for m in _figure_re(unit_list(lex), words["figure_date"], words["approx"]).finditer(text):
        kind = m.lastgroup
        if kind == "year":
            continue
        if kind == "bare" and not bare_numbers:
            continue
        if kind == "num":
            s = m.group(0)
            # 三个村 is a figure; 万元 / 百分 alone, 十分 (very), 一批 / 一次 (idiom) are not
            if s[:1] in "万亿千百" or s.startswith(("十分", "一度")) or re.match(r"一[^一-龥]?[^零〇二两三四五六七八九十百千万亿\d]", s) and not s[1:2].isdigit():
                continue
        out.append((m.start(), m.end()))
    return out


def has_figure(text: str, lex) -> bool:
    return bool(figures(text, lex))


# ----- section kinds ------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _section_res(include: str, exclude: str, satisfaction: str, result: str):
    return re.compile(include), re.compile(exclude), re.compile(satisfaction), re.compile(result)


def section_kind(section, lex) -> str | None:
    """'indicator', 'satisfaction', 'result', 'other' or None (no classifying heading).

    The nearest heading whose title matches decides (the section itself first, then its
    ancestors); an exclusion (background, funds, reasons, measures) wins over an inclusion
    in the same title.
    """
    conf = lex["perf_sections"]
    inc, exc, sat, res = _section_res(conf["include"], conf["exclude"], conf["satisfaction"],
                                      conf.get("result", "(?!)"))
    node = section
    while node is not None and node.heading is not None:
        title = re.split(r"[：:。]", node.title, maxsplit=1)[0][:40]
        if exc.search(title):
            return "other"
        if inc.search(title):
            return "satisfaction" if sat.search(title) else "indicator"
        if res.search(title):
            return "result"
        node = node.parent
    return None


def body_spans(section) -> list[tuple[int, int]]:
    """(start, end) of the section's own prose: an inline body after the heading title and
    its direct paragraphs (not its subsections)."""
    out = []
    h = section.heading
    if h is not None and h.has_inline_body:
        p = h.paragraph
        a = h.title_end
        text = p.doc.text
        while a < p.end and text[a] in " \t\u3000":
            a += 1
        out.append((a, p.end))
    out.extend((p.start, p.end) for p in section.paragraphs)
    return out


def subtree_spans(section) -> list[tuple[int, int]]:
    out = []
    for node in section.walk():
        out.extend(body_spans(node))
    return out
