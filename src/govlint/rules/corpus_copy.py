"""DUP002: passages copied from the reference corpus of past reports."""

from __future__ import annotations

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
      })
def copied_from_corpus(doc: Document, ctx):
    """A passage repeats a report in the reference corpus, verbatim or with only names and figures changed.

    Runs only when a corpus is configured (``govlint check --corpus`` or ``corpus = "..."``):
    an index file built with ``govlint corpus add``, a ``redis://`` URL, or a directory of
    reports. Verbatim runs of at least ``min_run`` characters are found through winnowed
    fingerprints; paragraphs whose names or figures were changed through MinHash. Text that
    many corpus documents share (standard headings, template sentences) and the strings in
    the ``boilerplate`` configuration list do not count. The checked file itself is never a
    source. The summary gives the share of characters covered and the main sources.

    Why: a self-evaluation copied from last year's or another unit's report describes
    someone else's project; reviewers need to see which passages were not written for it.
    """
    spec = ctx.config.corpus
    if not spec:
        return
    from govlint.corpus import open_for_check
    from govlint.corpus.match import Options, query
    # a corpus problem (unreachable Redis, corrupt or wrong-version index, empty corpus)
    # raises CorpusError out of lint(): ``govlint check`` stops with exit 2 and its message
    index = open_for_check(spec)
    opts = Options(min_run=int(ctx.options["min_run"]), near_threshold=float(ctx.options["near_threshold"]),
                   min_paragraph=int(ctx.options["min_paragraph"]),
                   boilerplate_docs=int(ctx.options["boilerplate_docs"]),
                   boilerplate=tuple(ctx.config.boilerplate), max_sources=int(ctx.options["max_sources"]))
    report = query(index, doc, opts)
    extra = ctx.shared["extra"]
    extra["copy_ratio"] = report.copy_ratio
    extra["copy_sources"] = report.sources
    for m in report.matches:
        first = m.sources[0]
        name = Path(first.path).name
        line = first.position.line
        if m.kind == "verbatim":
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
