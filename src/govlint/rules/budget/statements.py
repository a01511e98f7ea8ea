"""Statements of what the money was spent on: use clauses in prose and a table's 用途 column."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from govlint._record import Tuple
from govlint.rules._util import alternation, lazy_re

if TYPE_CHECKING:   # pragma: no cover
    from govlint.document import Document

_CLAUSE_END = lazy_re(r"[。；;！？!?\n]")


class Statement(Tuple):
    start: int         # the clause that says what the money went to
    end: int
    marker: str


def use_statements(doc: Document, purpose: dict) -> list[Statement]:
    """Clauses that say what the money was spent on: after 用于 / 主要是 / 拨付给 / 发放 …
    in a sentence with money words, not a prohibition, permission, plan or reason; and the
    cells of a table's 用途 column."""
    st = purpose["statements"]
    marker_rx = alternation(tuple(st["markers"]))
    money_rx = alternation(tuple(st["money_words"]))
    neg_rx = alternation(tuple(st["negations"]))
    skip_rx = alternation(tuple(st.get("skip_sentences", ()))) if st.get("skip_sentences") else None
    verbs = frozenset(st.get("verbs", ()))
    stop_rx = alternation(tuple(st["clause_stop"])) if st.get("clause_stop") else None
    not_after = tuple(st["not_after"])
    out: list[Statement] = []
    taken = -1
    for s in doc.sentences:
        text = s.text
        if skip_rx is not None and skip_rx.search(text):
            continue
        if not money_rx.search(text):
            continue
        for m in marker_rx.finditer(text):
            if s.start + m.start() < taken:
                continue
            head = text[:m.start()]
            cut = max(head.rfind("，"), head.rfind(","), head.rfind("："), head.rfind(":"))
            clause_head = head[cut + 1:]
            probe = clause_head[-6:] if m.group(0).startswith("主要") else clause_head
            if neg_rx.search(probe):
                continue
            rest = text[m.end():]
            if rest.startswith(not_after):
                continue
            end = _CLAUSE_END.search(rest)
            length = min(end.start() if end else len(rest), 120)
            a = s.start + (m.start() if m.group(0) in verbs else m.end())
            b = s.start + m.end() + length
            if stop_rx is not None:
                pos = a
                for part in re.split(r"([，,])", doc.text[a:b]):
                    if part not in ("，", ",") and stop_rx.search(part) and pos > a:
                        b = pos
                        break
                    pos += len(part)
            if b <= a:
                continue
            out.append(Statement(a, b, m.group(0)))
            taken = b
    out.extend(_table_uses(doc, purpose))
    return out


_TEXT_ROW = lazy_re(r"[|\t]")


def _table_uses(doc: Document, purpose: dict) -> list[Statement]:
    """Cells under a 用途 / 支出内容 header, in Word tables (cell blocks) and text tables."""
    cols = frozenset(purpose["statements"].get("use_columns", ()))
    if not cols:
        return []
    out: list[Statement] = []
    # Word: cell blocks carry (table, row, col)
    grid: dict[tuple, list[tuple[int, int, int]]] = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.kind == "cell":
            grid.setdefault((loc.table,), []).append((loc.row or 0, loc.col or 0, b.start, b.end))
    for cells in grid.values():
        header = [(r, c) for r, c, a, e in cells if doc.text[a:e].strip() in cols]
        if not header:
            continue
        hr, hc = header[0]
        for r, c, a, e in cells:
            if c == hc and r > hr and doc.text[a:e].strip():
                out.append(Statement(a, e, "用途"))
    # text tables: lines of | or tab separated cells
    col = None
    for p in doc.paragraphs:
        line = p.text
        if not _TEXT_ROW.search(line):
            col = None
            continue
        parts = re.split(r"\s*[|\t]\s*", line.strip().strip("|"))
        if col is None:
            idx = [i for i, x in enumerate(parts) if x.strip() in cols]
            col = idx[0] if idx else None
            continue
        if col < len(parts) and parts[col].strip() and not set(parts[col]) <= set("-: "):
            cell = parts[col].strip()
            a = doc.text.find(cell, p.start, p.end)
            if a >= 0:
                out.append(Statement(a, a + len(cell), "用途"))
    return out
