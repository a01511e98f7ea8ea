"""DUP002: passages copied from the reference corpus of past reports."""

from __future__ import annotations

import re
from pathlib import Path

from govlint.document import Document
from govlint.finding import Related, Severity
from govlint.registry import Option, rule


@rule(code="DUP002", name="copied-from-corpus", severity=Severity.WARNING, needs=("corpus",),
      bad=["三、绩效目标完成情况\n⟦项目区新建高标准农田一万二千亩，配套建设灌排渠系十八公里⟧，当年全部通过县级验收。"],
      good=["三、绩效目标完成情况\n项目区完成老旧供水管网改造八公里，群众用水保障能力明显提升。"],
      options={
          "min_run": Option(13, int, "逐字相同的最短长度（字符，不计空白）", min=5),
          "near_threshold": Option(0.6, float, "段落近似重复的相似度阈值（0–1，数字不计差异）", min=0.0, max=1.0),
          "min_paragraph": Option(40, int, "参与近似比对的最短段落（字符）", min=1),
          "boilerplate_docs": Option(10, int, "出现在这么多篇语料中的文字视为模板套话，不算抄袭", min=2),
          "max_sources": Option(5, int, "摘要中列出的来源文档数", min=1),
          "min_report": Option(40, int, "作为问题报告的最短逐字相同文字（字符，不计空白）；较短的只在构成整句"
                                        "或至少两个完整分句时报告，但都计入抄袭比例", min=5),
          "common_phrases": Option(True, bool, "把政府公文中的常见语句（随附的频率表）视为模板套话"),
      })
def copied_from_corpus(doc: Document, ctx):
    """A passage repeats a report in the reference corpus, verbatim or with only names and figures changed.

    Runs only when a corpus is configured (``govlint check --corpus`` or ``corpus = "..."``):
    an index file built with ``govlint corpus add``, a ``redis://`` URL, or a directory of
    reports. Verbatim runs of at least ``min_run`` characters are found through winnowed
    fingerprints; paragraphs whose names or figures were changed through MinHash. Text that
    many corpus documents share (standard headings, template sentences), phrases common
    across government documents (a shipped table of k-gram hashes, built by
    ``tools/build_boilerplate.py`` from the project's corpus of 807 government documents;
    ``common_phrases``), and the strings in the ``boilerplate`` configuration list do not
    count. The checked file itself is never a source. Every verbatim run counts toward the
    copy ratio in the summary; as findings, the runs of one paragraph are merged into one,
    and a passage is reported when it has at least ``min_report`` characters or makes up a
    whole sentence or two whole clauses (at least 20 characters), so a dozen characters of
    standard phrasing (资金实行专户管理、专款专用) is not a finding. The summary gives the share of
    characters covered and the main sources.

    Why: a self-evaluation copied from last year's or another unit's report describes
    someone else's project; reviewers need to see which passages were not written for it.
    """
    spec = ctx.config.corpus
    if not spec:
        return
    from govlint.corpus import open_for_check
    from govlint.corpus.match import Options, query
    # a corpus problem (unreachable Redis, corrupt or wrong-version index, empty corpus)
    # raises CorpusError out of lint(): ``govlint check`` stops with exit 2 and its message;
    # the index failing during this file's query (CorpusQueryError) is this file's error
    index = open_for_check(spec)
    opts = Options(min_run=int(ctx.options["min_run"]), near_threshold=float(ctx.options["near_threshold"]),
                   min_paragraph=int(ctx.options["min_paragraph"]),
                   boilerplate_docs=int(ctx.options["boilerplate_docs"]),
                   boilerplate=tuple(ctx.config.boilerplate), max_sources=int(ctx.options["max_sources"]),
                   common_phrases=bool(ctx.options["common_phrases"]))
    report = query(index, doc, opts)
    index.verify_stable()      # a Redis restart during the query: this file's error, not a partial answer
    extra = ctx.shared.extra
    extra["copy_ratio"] = report.copy_ratio      # every run counts here, however short
    extra["copy_sources"] = report.sources
    for m in _reportable(doc, report.matches, int(ctx.options["min_report"])):
        first = m.sources[0]
        name = Path(first.path).name
        line = first.position.line
        if m.kind in ("verbatim", "edited") and m.runs > 1:
            msg = (f"本段有{m.runs}处文字与对照语料“{name}”第{line}行等处逐字相同（共{m.chars}字"
                   f"{f'，其中{m.edits}处改动了个别字词' if m.edits else ''}）")
            sugg = "按本项目实际情况重写；确需引用的，注明出处"
        elif m.kind == "verbatim":
            msg = f"与对照语料“{name}”第{line}行的内容逐字相同（{m.chars}字）"
            sugg = "按本项目实际情况重写；确需引用的，注明出处"
        elif m.kind == "edited":
            msg = (f"与对照语料“{name}”第{line}行的内容基本相同（{m.chars}字中仅{m.edits}处改动了个别字词，"
                   f"相同部分占{m.similarity:.0%}）")
            sugg = "按本项目实际情况重写，不要只替换名称和数字"
        else:
            msg = f"本段与对照语料“{name}”第{line}行的段落高度相似（相似度{m.similarity:.0%}），仅个别名称或数字不同"
            sugg = "按本项目的实际做法和数据重写本段"
        related = []
        for i, s in enumerate(m.sources):
            note = "来源" if i == 0 else "另见"
            related.append(Related(s.start, s.end, path=s.path, note=f"{note}：{s.title or Path(s.path).name}",
                                   position=s.position, excerpt=s.excerpt))
        yield ctx.flag(m.start, m.end, msg, suggestion=sugg, related=related,
                       data={"kind": m.kind, "chars": m.chars, "similarity": m.similarity,
                             "source": first.path})


_CLAUSE_MARK = re.compile(r"[，,；;：:。！？!?\n]")
_SENTENCE_MARK = re.compile(r"[。！？!?\n]")
MIN_CLAUSES_CHARS = 20
MIN_CLAUSE = 6


class _Passage:
    """Verbatim runs of one paragraph merged into one finding (near duplicates pass through)."""

    __slots__ = ("start", "end", "kind", "chars", "similarity", "sources", "edits", "runs", "parts")

    def __init__(self, m):
        self.start, self.end, self.kind = m.start, m.end, m.kind
        self.chars, self.similarity, self.sources, self.edits = m.chars, m.similarity, list(m.sources), m.edits
        self.runs = 1
        self.parts = [m]

    def add(self, m, max_sources: int = 4) -> None:
        self.end = max(self.end, m.end)
        self.chars += m.chars
        self.edits += m.edits
        self.runs += 1
        self.parts.append(m)
        if m.kind == "edited":
            self.kind = "edited"
        have = {s.path for s in self.sources}
        for src in m.sources:
            if src.path not in have and len(self.sources) < max_sources:
                self.sources.append(src)
                have.add(src.path)


def _whole_clauses(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    """The run [a, b) covers a whole sentence, or at least two whole clauses, of the text [lo, hi)."""
    marks = [lo - 1] + [m.start() for m in _CLAUSE_MARK.finditer(text, lo, hi)] + [hi]
    whole = 0
    for x, y in zip(marks, marks[1:]):
        cs, ce = x + 1, y
        while cs < ce and text[cs].isspace():
            cs += 1
        if ce <= cs:
            continue
        if y < hi and text[y] in "：:" or ce - cs < MIN_CLAUSE:
            continue           # a label (时效指标：) or a scrap of a clause is no clause of prose
        if a <= cs and ce <= b:
            whole += 1
            sentence_start = x < lo or _SENTENCE_MARK.match(text, x) is not None
            sentence_end = y >= hi or _SENTENCE_MARK.match(text, y) is not None
            if sentence_start and sentence_end:
                return True
    return whole >= 2


def _reportable(doc: Document, matches, min_report: int):
    """The passages worth a finding: runs of one paragraph merged, short ones only as whole sentences.

    Short verbatim runs of standard phrasing (资金实行专户管理、专款专用) still count toward
    the copy ratio; as findings, a passage is reported when it has at least ``min_report``
    characters, or when it makes up a whole sentence or two whole clauses (and at least
    20 characters).
    """
    merged: list[_Passage] = []
    last_para = None
    for m in matches:
        p = doc.paragraph_at(m.start)
        key = p.index if p is not None else None
        if (m.kind != "near" and merged and key is not None and key == last_para
                and merged[-1].kind != "near"):
            merged[-1].add(m)
        else:
            merged.append(_Passage(m))
        last_para = key
    out = []
    text = doc.text
    for g in merged:
        if g.kind == "near" or g.chars >= min_report:
            out.append(g)
            continue
        p = doc.paragraph_at(g.start)
        lo, hi = (p.body_start, p.end) if p is not None else (0, len(text))
        if any(x.chars >= MIN_CLAUSES_CHARS and _whole_clauses(text, x.start, x.end, lo, hi) for x in g.parts):
            out.append(g)
    return out
