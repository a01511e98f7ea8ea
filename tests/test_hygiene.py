"""Document-hygiene rules (issue 16): suggestions are plain replacements, the confusables lexicon
is extensible from configuration, the cover elements are configurable per report type."""

from __future__ import annotations

from govlint.config import Config
from govlint.document import Document
from govlint.engine import lint

HYGIENE = {"STYLE005", "STYLE006", "STYLE007", "STYLE008", "STYLE009", "STRUCT007"}


def _apply(text: str, findings) -> str:
    """Apply every suggestion as a replacement of its span (what an autofix would do)."""
    out = text
    for f in sorted((f for f in findings if f.suggestion is not None), key=lambda f: f.start, reverse=True):
        out = out[:f.start] + f.suggestion + out[f.end:]
    return out


def test_suggestions_are_exact_replacements():
    text = ("按照县财政局《关于开展绩效自评工作的通知》（县财绩（2024）3号）和湘财绩〔20207号要求，"
            "截止2023年底，资金已全部拔付到位，按照县委布署实施，于2024315日完成自评。\n")
    doc = Document.from_text(text)
    got = _apply(text, lint(doc, Config(), codes=HYGIENE))
    assert got == ("按照县财政局《关于开展绩效自评工作的通知》（县财绩〔2024〕3号）和湘财绩〔2020〕7号要求，"
                   "截至2023年底，资金已全部拨付到位，按照县委部署实施，于2024年3月15日完成自评。\n")


def test_confusables_extended_from_configuration(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text('[meta]\nextends = "confusables"\nsource = "our style guide"\n\n'
                     '[[pairs]]\nwrong = "砼"\nright = "混凝土"\nwhy = "本单位报告不用“砼”"\n', encoding="utf-8")
    doc = Document.from_text("浇筑砼路面12.6公里，按照县委布署实施。\n")
    plain = lint(doc, Config(), codes={"STYLE008"})
    extended = lint(doc, Config(lexicons=(str(extra),)), codes={"STYLE008"})
    assert [f.suggestion for f in plain] == ["部署"]
    assert sorted(f.suggestion for f in extended) == ["混凝土", "部署"]


def test_cover_elements_configurable_per_report_type(tmp_path):
    report = ("青岚县2023年度农村公路提质改造项目绩效自评报告\n一、项目概况\n项目由县交通运输局组织实施。\n"
              "二、项目资金使用情况\n预算300万元，执行300万元。\n")
    doc = Document.from_text(report)
    assert lint(doc, Config(profile="self-eval"), codes={"STRUCT007"}) == []
    extra = tmp_path / "cover.toml"
    extra.write_text('[meta]\nextends = "cover"\n\n[types.project]\ndate = true\n', encoding="utf-8")
    got = lint(doc, Config(profile="self-eval", lexicons=(str(extra),)), codes={"STRUCT007"})
    assert len(got) == 1 and "评价日期" in got[0].message
    dated = Document.from_text(report + "青岚县交通运输局\n2024年3月15日\n")
    assert lint(dated, Config(profile="self-eval", lexicons=(str(extra),)), codes={"STRUCT007"}) == []


def test_related_points_at_the_opening_mark():
    text = "根据《关于加强专项资金管理的通知）要求执行。\n"
    (f,) = lint(Document.from_text(text), Config(), codes={"STYLE007"})
    assert text[f.start:f.end] == "）" and f.suggestion == "》"
    assert [text[r.start:r.end] for r in f.related] == ["《"]


def test_no_hygiene_finding_inside_a_cited_title_except_document_numbers():
    text = "依据《关于截止2023年底拔付资金（试行的通知》（财农（2023）36号）执行。\n"
    got = lint(Document.from_text(text), Config(), codes=HYGIENE)
    assert [f.code for f in got] == ["STYLE005"]


def test_a_bad_guard_in_a_configured_confusables_file_is_reported(tmp_path):
    import pytest

    from govlint.lexicon import LexiconError, validate
    extra = tmp_path / "extra.toml"
    extra.write_text('[meta]\nextends = "confusables"\n\n[[pairs]]\nwrong = "砼"\nright = "混凝土"\n'
                     'why = "公文中用规范名称"\nnot_after = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="unclosed"):
        validate((str(extra),))
