"""DUP002 reporting: which copied runs become findings (issue #13). Matching itself: test_corpus.py."""

from govlint.rules.corpus_copy import _whole_clauses


def _span(text: str, part: str) -> tuple[int, int]:
    a = text.index(part)
    return a, a + len(part)


def test_a_whole_sentence_counts():
    t = "项目资金已全部到位。工程于10月底全部完工并通过验收。下一步加强管护。"
    assert _whole_clauses(t, *_span(t, "工程于10月底全部完工并通过验收。"), 0, len(t))


def test_two_whole_clauses_count_one_does_not():
    t = "经县水利局复验，工程质量全部合格，群众用水保障能力明显提升。"
    assert _whole_clauses(t, *_span(t, "工程质量全部合格，群众用水保障能力明显提升"), 0, len(t))
    assert not _whole_clauses(t, *_span(t, "复验，工程质量全部合格，群众"), 0, len(t))


def test_a_label_is_no_clause():
    # "…验收，合格率100%。时效指标：" covers one clause of prose and a label
    t = "质量指标：工程经质量监督站验收，合格率100%。时效指标：11月18日试通水。"
    assert not _whole_clauses(t, *_span(t, "质量监督站验收，合格率100%。时效指标："), 0, len(t))
