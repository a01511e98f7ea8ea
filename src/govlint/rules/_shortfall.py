"""What a report admits about missed targets and unfinished work (shared by SCORE002 and STRUCT004)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govlint.document import Document

KIND_ZH = {"unmet": "目标未完成", "unquantified": "指标未细化量化", "unfinished": "工作尚未完成"}


@dataclass(frozen=True)
class Admission:
    kind: str        # unmet, unquantified, unfinished
    start: int       # the sentence that says it
    end: int
    text: str        # the matched words


@lru_cache(maxsize=8)
def _compiled(items: tuple) -> list[tuple[str, re.Pattern]]:
    return [(kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in items]


def _skip_spans(doc: Document) -> list[tuple[int, int]]:
    """Heading titles at levels 1–2 (绩效目标未完成原因 is a heading, not an admission)."""
    return [(h.marker_start, h.title_end) for h in doc.headings if h.level <= 2]


def admissions(doc: Document, lex: dict) -> list[Admission]:
    """Every sentence admitting an unmet target, unquantified indicators or unfinished work."""
    pats = _compiled(tuple((k, tuple(lex[k])) for k in ("unmet", "unquantified", "unfinished")))
    denial = re.compile("|".join(re.escape(w) for w in lex["denials"]))
    skip = _skip_spans(doc)
    out: list[Admission] = []
    for s in doc.sentences:
        if denial.search(s.text):
            continue
        for kind, rx in pats:
            for m in rx.finditer(s.text):
                a = s.start + m.start()
                if any(x <= a < y for x, y in skip):
                    continue
                out.append(Admission(kind, s.start, s.end, m.group(0)))
                break
            else:
                continue
            break
    return out
