"""Inline suppression comments (``<!-- govlint: ... -->``) and per-file-ignores from config."""

import pytest

from govlint import engine, runner
from govlint.config import Config
from govlint.document import Document

# one line with a stray space before ， (STYLE004) and a half-width comma (STYLE001)
L = "项目资金已全部到位 ，执行情况良好,群众反映较好。"
CLEAN = "全年完成培训12期，覆盖基层干部800人次。"


def found(text, kind="md", **cfg):
    doc = Document.from_text(text, f"report.{kind}", kind)
    return sorted((f.position.line, f.code) for f in engine.lint(doc, Config(**{"profile": "generic", **cfg})))


def test_the_line_has_both_problems():
    assert found(L + "\n") == [(1, "STYLE001"), (1, "STYLE004")]


@pytest.mark.parametrize("kind", ["md", "txt"])
def test_disable_next_line(kind):
    text = f"<!-- govlint: disable-next-line=STYLE001 -->\n{L}\n{L}\n"
    assert found(text, kind) == [(2, "STYLE004"), (3, "STYLE001"), (3, "STYLE004")]


def test_disable_next_line_without_codes_means_all():
    assert found(f"<!-- govlint: disable-next-line -->\n{L}\n{L}\n") == [(3, "STYLE001"), (3, "STYLE004")]


def test_disable_next_line_comments_stack_and_skip_blank_lines():
    text = ("<!-- govlint: disable-next-line=STYLE001 -->\n"
            "<!-- govlint: disable-next-line=STYLE004 -->\n"
            "\n"
            f"{L}\n{L}\n")
    assert found(text) == [(5, "STYLE001"), (5, "STYLE004")]


def test_disable_enable_range():
    text = f"{L}\n<!-- govlint: disable=STYLE001 -->\n{L}\n{L}\n<!-- govlint: enable=STYLE001 -->\n{L}\n"
    assert found(text) == [(1, "STYLE001"), (1, "STYLE004"), (3, "STYLE004"), (4, "STYLE004"),
                           (6, "STYLE001"), (6, "STYLE004")]


def test_disable_without_enable_lasts_to_the_end():
    text = f"{L}\n<!-- govlint: disable -->\n{L}\n\n{L}\n"
    assert found(text) == [(1, "STYLE001"), (1, "STYLE004")]


def test_enable_of_one_code_keeps_the_others_disabled():
    text = (f"<!-- govlint: disable=STYLE001,STYLE004 -->\n{L}\n"
            f"<!-- govlint: enable=STYLE001 -->\n{L}\n"
            f"<!-- govlint: enable -->\n{L}\n")
    assert found(text) == [(4, "STYLE001"), (6, "STYLE001"), (6, "STYLE004")]


def test_enable_by_prefix_closes_a_code_disable():
    text = f"<!-- govlint: disable=STYLE001 -->\n{L}\n<!-- govlint: enable=STYLE -->\n{L}\n"
    assert found(text) == [(2, "STYLE004"), (4, "STYLE001"), (4, "STYLE004")]


def test_disable_by_prefix_then_enable_one_code():
    text = f"<!-- govlint: disable=STYLE -->\n{L}\n<!-- govlint: enable=STYLE004 -->\n{L}\n"
    assert found(text) == [(4, "STYLE004")]


def test_disable_all_then_enable_one_code():
    text = (f"<!-- govlint: disable -->\n{L}\n<!-- govlint: enable=STYLE001 -->\n{L}\n"
            f"<!-- govlint: disable=STYLE001 -->\n{L}\n")
    assert found(text) == [(4, "STYLE001")]


def test_disable_all_keyword_and_case_and_spaces():
    text = f"<!--govlint:disable = all-->\n{L}\n<!-- govlint: enable -->\n<!--  govlint: disable=style001 , style004  -->\n{L}\n"
    assert found(text) == []


def test_disable_file():
    assert found(f"{L}\n{L}\n<!-- govlint: disable-file=STYLE004 -->\n") == [(1, "STYLE001"), (2, "STYLE001")]
    assert found(f"<!-- govlint: disable-file -->\n{L}\n") == []
    assert found(f"<!-- govlint: disable-file=ALL -->\n{L}\n") == []


def test_disable_file_reaches_document_findings_on_the_title():
    title = "某区2024年度老旧小区改造项目绩效自评报告"
    text = f"{title}\n一、项目基本情况\n{CLEAN}\n"
    assert (1, "STRUCT002") in found(text, profile="self-eval")
    assert not [c for _, c in found("<!-- govlint: disable-file=STRUCT -->\n" + text, profile="self-eval")
                if c.startswith("STRUCT")]


def test_comment_lines_are_not_report_text():
    text = "<!-- 本段由财务科核对 , 数据截至12月31日 -->\n" + CLEAN + "\n"
    doc = Document.from_text(text, "r.md", "md")
    assert [p.text for p in doc.paragraphs] == [CLEAN]
    assert found(text) == []


def test_other_comments_suppress_nothing():
    assert found(f"<!-- eslint: disable -->\n{L}\n") == [(2, "STYLE001"), (2, "STYLE004")]
    assert found(f"<!-- govlint: disable-next-line=DUP001 -->\n{L}\n") == [(2, "STYLE001"), (2, "STYLE004")]


def test_suppression_survives_through_the_files_api(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(f"<!-- govlint: disable-next-line=STYLE001 -->\n{L}\n", encoding="utf-8")
    (r,) = runner.check_paths([str(f)], {"profile": "generic"})
    assert [(x.code, x.position.line) for x in r.findings] == [("STYLE004", 2)]


# ----- per-file-ignores ------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path):
    (tmp_path / "archive").mkdir()
    (tmp_path / "current").mkdir()
    for p in ("archive/2019.txt", "current/2024.txt", "current/legacy.md"):
        (tmp_path / p).write_text(L + "\n", encoding="utf-8")
    return tmp_path


def codes_by_file(root):
    out = {}
    for r in runner.check_paths([str(root)], {"profile": "generic"}):
        assert r.error is None, r.error
        out[r.path.replace(str(root) + "/", "")] = sorted({f.code for f in r.findings})
    return out


def test_per_file_ignores(tree):
    (tree / "govlint.toml").write_text(
        '[per-file-ignores]\n"archive/*.txt" = ["STYLE001"]\n"legacy.md" = ["STYLE"]\n', encoding="utf-8")
    assert codes_by_file(tree) == {"archive/2019.txt": ["STYLE004"], "current/2024.txt": ["STYLE001", "STYLE004"],
                                   "current/legacy.md": []}


def test_per_file_ignores_all(tree):
    (tree / "govlint.toml").write_text('[per-file-ignores]\n"archive/**" = ["ALL"]\n', encoding="utf-8")
    got = codes_by_file(tree)
    assert got["archive/2019.txt"] == [] and got["current/2024.txt"] == ["STYLE001", "STYLE004"]


def test_per_file_ignores_are_relative_to_the_config(tree, monkeypatch):
    (tree / "current" / "govlint.toml").write_text('[per-file-ignores]\n"2024.txt" = ["STYLE004"]\n',
                                                   encoding="utf-8")
    monkeypatch.chdir(tree / "archive")
    got = codes_by_file(tree)
    assert got["current/2024.txt"] == ["STYLE001"] and got["archive/2019.txt"] == ["STYLE001", "STYLE004"]


def test_per_file_ignores_unknown_code_is_a_config_error(tree):
    (tree / "govlint.toml").write_text('[per-file-ignores]\n"*.txt" = ["NOPE999"]\n', encoding="utf-8")
    r = runner.lint_file(str(tree / "current" / "2024.txt"))
    assert r.error and "per-file-ignores" in r.error and "NOPE999" in r.error


# ----- GOV100: suppression comments that name no rule or hide nothing --------------------------

def _all(text, **cfg):
    doc = Document.from_text(text, "report.md", "md")
    return engine.lint(doc, Config(**{"profile": "generic", **cfg}))


def test_unused_suppression_is_a_hint_with_a_fix():
    text = f"<!-- govlint: disable-next-line=STYLE004 -->\n{CLEAN}\n{L}\n"
    gov = [f for f in _all(text) if f.code == "GOV100"]
    assert len(gov) == 1 and gov[0].severity.name == "INFO" and gov[0].position.line == 1
    from govlint import fixing
    assert fixing.apply(text, gov[0].fix.edits) == f"{CLEAN}\n{L}\n"


def test_used_suppressions_are_not_reported():
    for text in (f"<!-- govlint: disable-next-line=STYLE004 -->\n{L}\n",
                 f"<!-- govlint: disable=STYLE001 -->\n{L}\n<!-- govlint: enable -->\n",
                 f"<!-- govlint: disable-file=STYLE -->\n{L}\n"):
        assert [f for f in _all(text) if f.code == "GOV100"] == [], text


def test_suppressions_of_rules_that_did_not_run_are_not_judged():
    # DUP002 needs a corpus; STYLE001 not selected; a comment disabling everything: no verdict
    text = (f"<!-- govlint: disable-next-line=DUP002 -->\n{CLEAN}\n"
            f"<!-- govlint: disable-next-line -->\n{CLEAN}\n")
    assert [f for f in _all(text) if f.code == "GOV100"] == []
    only = f"<!-- govlint: disable-next-line=STYLE001 -->\n{CLEAN}\n"
    assert [f for f in _all(only, select=("STYLE004", "GOV100")) if f.code == "GOV100"] == []
    assert [f for f in _all(only) if f.code == "GOV100"] != []      # with STYLE001 running it is judged


def test_unknown_code_is_a_warning_and_gov100_can_be_ignored():
    text = f"<!-- govlint: disable-next-line=STYEL001 -->\n{L}\n"
    codes = sorted(f.code for f in _all(text))
    assert codes == ["GOV100", "STYLE001", "STYLE004"]
    assert [f for f in _all(text, ignore=("GOV100",)) if f.code == "GOV100"] == []
