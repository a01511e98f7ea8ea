"""The report-wide figure model: every stated quantity once per document, with what it is about.

``model(doc, ctx)`` (cached in ``ctx.shared``) returns a ``FigureModel``: one ``Figure`` per
quantity found by ``quantities.find_quantities`` in each sentence of each paragraph (table cells
of Word and Excel documents and rows of text tables are paragraphs too, marked ``in_table``),
plus the header figures of the self-evaluation table (预算数, 执行数, 执行率).

A figure knows
- ``kind`` (money, rate, count, area, length)/``value``/``number``/``unit``/``text`` and its document span;
- ``label``: the words between the previous clause break and the figure ("实际到位资金");
  for a count written before its noun ("18个项目") the noun after it is appended;
- ``subject``: the canonical subject the label names, from the synonym table
  ``lexicons/figures.toml`` ``[subjects]`` (到位资金 = 实际到位 = 资金到位 → ``arrived``), or None;
- ``qualifiers``: which of the ``[qualifiers]`` families its label contains (scope: 中央/县级
  配套/其中; time: 年初/追加/上年/累计; target: 计划/目标/不低于; change: 较上年/结余/未);
- ``year`` (the last 20xx年 before it in its sentence), ``approx`` (约/近/左右/余);
- ``paren``: "part" or "note" when it stands in a bracket opened by 其中/含/不含/包括/另
  (a part or a note of the figure before the bracket, never a separate addend), "other" in any
  other bracket, None outside brackets; ``parent`` is the index of the figure the bracket follows.

Building is linear in the text: one pass of the quantity patterns per sentence (memoised in
quantities.py), label look-behinds bounded to 40 characters, one bracket scan per paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from govlint._record import Record
from govlint.patterns import lex_re
from govlint.quantities import Quantity, find_quantities

# the words are in lexicons/number_words.toml [figures]; compiled on first use
_W = "number_words"
_TABLE_HINT = lex_re(_W, "figures", "table_hint")

_BREAK = re.compile(r"[，,。；;：:（(）)\n、！？!?]")
_YEAR = lex_re(_W, "figures", "year")
_LEAD = lex_re(_W, "figures", "lead")
_TAIL = lex_re(_W, "figures", "tail")
_TARGET_LEAD = lex_re(_W, "figures", "target_lead")
_TARGET_SECTION = lex_re(_W, "figures", "target_section")
_RESULT_SECTION = lex_re(_W, "figures", "result_section")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_NUMBER_SPLIT = re.compile(r"\d+(?:[.,]\d+)*\S?")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{1,6}")
_NOUN_CUT = lex_re(_W, "figures", "noun_cut")
_BRACKET = re.compile(r"[（(）)]")
_HAS_NUMBER = re.compile(r"[0-9０-９%％一二三四五六七八九十百千]")
_COMPARATOR = lex_re(_W, "figures", "comparator")
_KINDS = frozenset(("money", "rate", "count", "area", "length"))     # areas and lengths have no subject
PAREN_KIND = lex_re(_W, "figures", "paren_kind")


class Figure(Record):
    """One stated quantity and what it is about."""

    __slots__ = ("index", "kind", "value", "number", "unit", "text", "start", "end", "label", "subject",
                 "qualifiers", "year", "approx", "paren", "parent", "sentence", "paragraph", "in_table",
                 "chinese", "source")
    _repr_fields = ("kind", "text", "label", "subject", "qualifiers", "paren")

    def __init__(self, index: int, q: Quantity, base: int, label: str, subject: str | None,
                 qualifiers: frozenset, year: int | None, approx: bool, paren: str | None,
                 parent: int | None, sentence, paragraph, in_table: bool, source: str = "text"):
        self.index = index
        self.kind = q.kind
        self.value = q.value
        self.number = q.number
        self.unit = q.unit
        self.text = q.text
        self.start = base + q.start
        self.end = base + q.end
        self.label = label
        self.subject = subject
        self.qualifiers = qualifiers
        self.year = year
        self.approx = approx
        self.paren = paren
        self.parent = parent
        self.sentence = sentence          # Sentence (None for table header figures)
        self.paragraph = paragraph        # Paragraph or None
        self.in_table = in_table
        self.chinese = q.chinese
        self.source = source              # "text" or "table:<field>"

    @property
    def plain(self) -> bool:
        """Not qualified (no scope, time, target or change words), not approximate, not in brackets."""
        return not self.qualifiers and not self.approx and self.paren is None

    def section_title(self, doc) -> str:
        return doc.section_at(self.start).title if self.paragraph is not None else "自评表"


class FigureModel:
    """All figures of a document, in text order, with look-ups by subject and paragraph."""

    def __init__(self, doc, figures: list[Figure]):
        self.doc = doc
        self.figures = figures
        self._by_subject: dict[str, list[Figure]] = {}
        for f in figures:
            if f.subject:
                self._by_subject.setdefault(f.subject, []).append(f)

    def subject(self, name: str) -> list[Figure]:
        return self._by_subject.get(name, [])

    def in_span(self, a: int, b: int) -> list[Figure]:
        return [f for f in self.figures if a <= f.start < b]

    def __iter__(self):
        return iter(self.figures)

    def __len__(self):
        return len(self.figures)


class Vocabulary:
    """The figures lexicon compiled once per lexicon object."""

    def __init__(self, lex: dict):
        subj = lex.get("subjects", {})
        pairs = sorted(((w, k) for k, ws in subj.items() for w in ws), key=lambda x: -len(x[0]))
        self.synonyms = pairs
        self._syn_of: dict[str, str] = {}
        for w, k in pairs:
            self._syn_of.setdefault(w, k)
        self._syn_max = max((len(w) for w, _k in pairs), default=0)
        # matched on the reversed label: the synonym nearest the end (at most four characters
        # before it) wins, the longest at the same place
        self._syn_rx = re.compile(r".{0,4}?(" + "|".join(re.escape(w[::-1]) for w, _k in pairs) + ")") if pairs \
            else re.compile(r"(?!x)x")
        q = lex.get("qualifiers", {})
        self.qual = {fam: re.compile("|".join(re.escape(w) for w in sorted(q.get(fam, []), key=len, reverse=True)))
                     for fam in ("scope", "time", "target", "change") if q.get(fam)}
        neutral = q.get("neutral", [])
        self.neutral = re.compile("|".join(re.escape(w) for w in sorted(neutral, key=len, reverse=True))) \
            if neutral else None
        self.approx_before = re.compile("(?:" + "|".join(re.escape(w) for w in q.get("approx_before", ["约"])) + r")\s*$")
        self.approx_after = re.compile(r"\s*(?:" + "|".join(re.escape(w) for w in q.get("approx_after", ["左右"])) + ")")

    def canonical(self, label: str) -> str | None:
        """The subject whose synonym ends the label (or ends within its last four characters):
        the one nearest the end, the longest at the same place. One match per label."""
        m = self._syn_rx.match(label[::-1])
        return None if m is None else self._syn_of[m.group(1)[::-1]]


_VOCAB: dict[int, tuple[dict, Vocabulary]] = {}


def vocabulary(lex: dict) -> Vocabulary:
    """The compiled vocabulary of a figures lexicon (one per lexicon object; a few at most)."""
    hit = _VOCAB.get(id(lex))
    if hit is not None and hit[0] is lex:
        return hit[1]
    if len(_VOCAB) > 8:
        _VOCAB.clear()
    v = Vocabulary(lex)
    _VOCAB[id(lex)] = (lex, v)
    return v


def label_before(text: str, pos: int, lo: int = 0, window: int = 40) -> str:
    """The words between the previous clause break (or ``lo``) and ``pos``, digits of earlier
    figures dropped, connectors at both ends stripped."""
    a = max(lo, pos - window)
    seg = text[a:pos]
    cut = 0
    for m in _BREAK.finditer(seg):
        cut = m.end()
    seg = _SPACE.sub("", seg[cut:])
    if _DIGIT.search(seg):
        seg = _NUMBER_SPLIT.split(seg)[-1]
    seg = _LEAD.sub("", seg)
    return _TAIL.sub("", seg)


def noun_after(text: str, pos: int) -> str:
    """The noun right after a count written before it: "18个项目" → "项目"."""
    m = _HAN_RUN.match(text, pos, pos + 8)
    if not m:
        return ""
    w = m.group(0)
    cut = _NOUN_CUT.search(w)
    return w[:cut.start()] if cut else w


def paren_spans(text: str) -> list[tuple[int, int, str]]:
    """(open, close, kind) of each outermost bracket; kind "part", "note" or "other"."""
    out = []
    depth = 0
    start = 0
    for m in _BRACKET.finditer(text):
        ch = m.group(0)
        if ch in "（(":
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                inner = text[start + 1:m.start()]
                k = PAREN_KIND.match(inner)
                kind = "other"
                if k:
                    kind = "note" if k.group(0).strip() in ("不含", "另", "另有") else "part"
                out.append((start, m.end(), kind))
    if depth:        # unclosed: to the end of the paragraph
        inner = text[start + 1:]
        k = PAREN_KIND.match(inner)
        out.append((start, len(text), "part" if k else "other"))
    return out


_CHUNK = 1500
_CHUNK_BREAK = re.compile(r"[，,；;。：:、\n](?![0-9０-９]{3}(?![0-9０-９]))")


def quantities_in(text: str, kinds=None) -> list[Quantity]:
    """``find_quantities`` of a long text in clause-aligned chunks of about 1,500 characters.

    One sentence of a converted table or a run-on paragraph can be hundreds of kilobytes;
    the quantity finder is quadratic in the number of quantities of the string it is given,
    so long texts are cut at clause breaks (never inside a number: a comma followed by exactly
    three digits is a thousands separator) and the offsets shifted back.
    """
    if len(text) <= _CHUNK:
        return find_quantities(text, kinds)
    found = _long_quantities(text)
    if kinds is None:
        return list(found)
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    return [q for q in found if q.kind in kinds]


@lru_cache(maxsize=32)
def _long_quantities(text: str) -> tuple[Quantity, ...]:
    """All quantities of a long text (memoised: several rules ask of the same run-on sentence)."""
    out: list[Quantity] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = min(n, pos + _CHUNK)
        if end < n:
            m = None
            for m in _CHUNK_BREAK.finditer(text, pos + _CHUNK // 2, end):
                pass
            if m is not None:
                end = m.end()
        for q in find_quantities(text[pos:end]):
            out.append(q._replace(start=q.start + pos, end=q.end + pos))
        pos = end
    return tuple(out)


def build(doc, lex: dict, shared: dict | None = None) -> FigureModel:
    vocab = vocabulary(lex)
    figures: list[Figure] = []
    table_spans = None
    if doc.kind in ("docx", "xlsx"):
        in_table = doc.in_table
    else:
        from govlint.table import table_paragraph_spans
        table_spans = table_paragraph_spans(doc) if "|" in doc.text or "\t" in doc.text else []

        cells = doc.kind == "pdf" and bool(doc.meta.tables)     # a PDF's ruled tables (cell blocks)

        def in_table(offset: int) -> bool:
            return any(a <= offset < b + 1 for a, b in table_spans) or (cells and doc.in_table(offset))
    last_sec, last_target_sec = False, False
    for p in doc.paragraphs:
        ptext = p.text
        if not _HAS_NUMBER.search(ptext):
            continue
        parens = paren_spans(ptext) if ("（" in ptext or "(" in ptext) else []
        paren_pos = [x[0] for x in parens]
        tab = in_table(p.start)
        last_outside: int | None = None
        # a paragraph that states targets (年度绩效目标为：…；…) or stands in a targets section:
        # its figures are targets even in later clauses
        sec = doc.section_at(p.start) if doc.headings else None
        if sec is not last_sec:
            last_sec = sec
            sec_title = sec.title if sec is not None else ""
            last_target_sec = bool(_TARGET_SECTION.search(sec_title)) and not _RESULT_SECTION.search(sec_title)
        target_sec = last_target_sec
        target_from = 0 if target_sec else None
        m_t = _TARGET_LEAD.search(ptext)
        if m_t and (target_from is None or m_t.start() < target_from):
            target_from = m_t.start()
        for s in p.sentences:
            qs = quantities_in(s.text)
            if not qs:
                continue
            st = s.text
            soff = s.start - p.start
            years = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(st)]
            year_pos = [y[0] for y in years]
            for q in qs:
                if q.kind == "points":
                    continue
                pos = soff + q.start
                if q.kind not in _KINDS:
                    continue
                label = label_before(st, q.start)
                if q.kind == "count" and len(label) < 2:
                    label = label + noun_after(st, q.end)
                subject = vocab.canonical(label) if label else None
                if subject in ("exec_rate", "arrival_rate") and q.kind != "rate":
                    subject = None
                if subject in ("budget", "arrived", "actual") and q.kind != "money":
                    subject = None
                if q.kind in ("rate", "area", "length") and subject not in ("exec_rate", "arrival_rate"):
                    subject = None
                qlabel = vocab.neutral.sub("", label) if vocab.neutral is not None else label
                quals = frozenset(fam for fam, rx in vocab.qual.items() if rx.search(qlabel))
                # a target comparator written just before the figure (≥95%, 不低于)
                near = st[max(0, q.start - 6):q.start]
                if _COMPARATOR.search(near):
                    quals = quals | {"target"}
                if target_from is not None and pos >= target_from:
                    quals = quals | {"target"}
                k = bisect_left(year_pos, q.start)
                year = years[k - 1][1] if k else None
                approx = bool(vocab.approx_before.search(st[max(0, q.start - 4):q.start])
                              or vocab.approx_after.match(st, q.end))
                paren, parent = None, None
                k = bisect_left(paren_pos, pos) - 1
                if k >= 0 and parens[k][0] < pos < parens[k][1]:
                    paren = parens[k][2]
                    parent = last_outside
                f = Figure(len(figures), q, s.start, label, subject, quals, year, approx, paren, parent,
                           s, p, tab)
                figures.append(f)
                if paren is None:
                    last_outside = f.index
    if shared is not None:
        _table_figures(doc, shared, figures, vocab)
    return FigureModel(doc, figures)


_HEADER_SUBJECT = {"budget_full": "budget", "executed": "actual", "exec_rate": "exec_rate"}


def _table_figures(doc, shared, figures, vocab) -> None:
    """The header fields of the self-evaluation table (全年预算数, 全年执行数, 执行率) as figures."""
    if not _TABLE_HINT.search(doc.text):
        return
    from govlint.table import tables
    ts = tables(doc, shared)
    if len(ts) != 1:
        return
    t = ts[0]
    unit = t.money_unit or "万元"
    mult = {"元": 1.0, "万元": 1e4, "亿元": 1e8}.get(unit, 1e4)
    for key, subject in _HEADER_SUBJECT.items():
        f = t.header.get(key)
        if f is None or f.number is None or not f.cell.has_span:
            continue
        if subject == "exec_rate":
            from govlint.table import percent_of
            pct = percent_of(f.cell.text)
            if pct is None:
                continue
            q = Quantity("rate", pct[0], pct[0], "%", 0, 0, f.cell.text.strip())
        else:
            q = Quantity("money", f.number * mult, f.number, unit, 0, 0, f.cell.text.strip())
        fig = Figure(len(figures), q, 0, key, subject, frozenset(), None, False, None, None, None, None, True,
                     source=f"table:{key}")
        fig.start, fig.end = f.cell.start, f.cell.end
        figures.append(fig)


def model(doc, ctx) -> FigureModel:
    """The document's figure model, built once and shared by every rule."""
    m = ctx.shared.figures
    if m is None:
        m = ctx.shared.figures = build(doc, ctx.lex["figures"], ctx.shared)
    return m
