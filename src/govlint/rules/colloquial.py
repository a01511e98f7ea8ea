"""STYLE003: colloquial expressions in a formal report."""

from __future__ import annotations

import re
from functools import lru_cache

from govlint.document import Document
from govlint.finding import Severity
from govlint.registry import rule
from govlint.rules._util import book_title_spans, inside


@lru_cache(maxsize=8)
def _compiled(phrases: tuple, patterns: tuple) -> list[tuple[re.Pattern, str]]:
    out = [(re.compile(p), s) for p, s in patterns]
    for text, sugg in sorted(phrases, key=lambda x: len(x[0]), reverse=True):
        out.append((re.compile(re.escape(text)), sugg))
    return out


@rule(code="STYLE003", name="colloquial-expression", severity=Severity.INFO,
      bad=["指挥部做到⟦有求必应⟧，让安置户⟦吃下了定心丸⟧。", "为让群众感到村委会就是“⟦娘家人⟧”，我们上门服务。",
           "前期征地工作一度⟦乱成一团⟧。"],
      good=["及时回应群众诉求，消除了安置户的顾虑。", "工程验收合格率100%，群众反映良好。",
            "强化兜底保障，坚决防止“一刀切”。"])
def colloquial_expression(doc: Document, ctx):
    """A colloquial or figurative phrase (娘家人, 有求必应, 乱成一团, 吃下了定心丸, ...) stands in the report.

    Phrases come from the ``colloquial`` lexicon, each with a formal wording to suggest.
    Phrases inside quotation marks are still reported (quoting a colloquialism does not
    make it formal), but not inside 《》 titles of other documents. Official terms that
    look colloquial (兜底, 一刀切, 硬骨头) are not in the lexicon.

    Why: 《党政机关公文处理工作条例》 asks for 用语准确、文字精炼; a performance report is read
    as evidence, and figurative speech says how things felt rather than what was done.
    """
    lex = ctx.lex["colloquial"]
    phrases = tuple((p["text"], p.get("suggest", "")) for p in lex.get("phrases", []))
    patterns = tuple((p["pattern"], p.get("suggest", "")) for p in lex.get("patterns", []))
    text = doc.text
    titles = book_title_spans(text)
    taken = bytearray(len(text) + 1)      # characters already covered by a finding
    for rx, sugg in _compiled(phrases, patterns):
        for m in rx.finditer(text):
            a, b = m.start(), m.end()
            if any(taken[a:b]) or inside(titles, a, b):
                continue
            taken[a:b] = b"\x01" * (b - a)
            yield ctx.flag(a, b, f"口语化表达“{m.group(0)}”不宜用于正式报告",
                           suggestion=sugg or None)
