"""--jobs: parallel checking gives the same results, documents included, in input order."""

from __future__ import annotations

from govlint import registry, runner

REPORT = """{name}2025年度项目绩效自评报告

一、项目基本情况

项目年初预算资金300万元，全年实际支出285万元，预算执行率为98%。

（2）资金使用情况

资金全部用于项目建设,未发现挪用情况。

三、存在的问题

部分指标没有量化。
"""


def _files(tmp_path, n=5):
    out = []
    for i in range(n):
        p = tmp_path / f"r{i}.txt"
        p.write_text(REPORT.format(name=f"第{i}县"), encoding="utf-8")
        out.append(str(p))
    return out


def _summary(results):
    return [(r.path, r.error, [(f.code, f.start, f.end, f.message, f.fingerprint) for f in r.findings],
             r.title, len(r.document.paragraphs) if r.document else None,
             [h.title for h in r.document.headings] if r.document else None)
            for r in results]


def test_parallel_results_equal_serial_results(tmp_path):
    files = _files(tmp_path)
    serial = runner.check_files(files, {}, jobs=1)
    seen = []
    parallel = runner.check_files(files, {}, jobs=2, progress=lambda r: seen.append(r.path))
    assert _summary(parallel) == _summary(serial)
    assert [r.path for r in parallel] == files and seen == files
    assert any(r.findings for r in serial), "the fixture should produce findings"


def test_parallel_documents_are_full_documents(tmp_path):
    files = _files(tmp_path, 3)
    for r in runner.check_files(files, {}, jobs=2):
        doc = r.document
        assert doc.title_text.endswith("绩效自评报告")
        assert doc.sections and doc.paragraph_at(doc.paragraphs[-1].start) is doc.paragraphs[-1]


def test_segmenter_is_loaded_before_forking_only_when_a_selected_rule_needs_tokens(tmp_path):
    import multiprocessing
    if multiprocessing.get_start_method() != "fork":
        return
    files = _files(tmp_path, 2)
    needs = [c for c, s in registry.all_rules().items() if "tokens" in s.needs]
    assert not runner._segmenter_wanted(files, {"select": ("STYLE001",)}, None)
    if needs:
        assert runner._segmenter_wanted(files, {"select": tuple(needs)}, None)
        profiles = {p for c in needs for p in registry.all_rules()[c].profiles}
        if profiles and "generic" not in profiles:
            assert not runner._segmenter_wanted(files, {"select": tuple(needs), "profile": "generic"}, None)


def test_batches_do_not_keep_token_lists(tmp_path):
    """Token lists cost ~80 bytes a character: a batch drops them after each file (jobs 1 and N)."""
    files = _files(tmp_path, 2)
    for jobs in (1, 2):
        for r in runner.check_files(files, {"profile": "self-eval"}, jobs=jobs):
            assert r.document is not None and r.document._tokens is None
            assert r.document.tokens()    # still available on demand
