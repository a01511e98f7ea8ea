"""The spaCy component: a blank Chinese pipeline (no model download) + nlp.add_pipe("govlint")."""

import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

import govlint.spacy_component  # noqa: E402,F401  (registers the factory)
from govlint.finding import Finding  # noqa: E402

L = "项目资金已全部到位 ，执行情况良好,群众反映较好。"
TITLE = "某县2024年度农村饮水安全巩固提升项目绩效自评报告"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("zh")
    assert nlp.tokenizer.segmenter == "char"
    nlp.add_pipe("govlint", config={"profile": "generic"})
    return nlp


def test_findings_on_the_doc(nlp):
    doc = nlp(L + "\n")
    got = doc._.govlint_findings
    assert [(f["code"], f["line"], f["column"]) for f in got] == [("STYLE004", 1, 10), ("STYLE001", 1, 18)]
    for f in got:
        assert f["path"] == "<spacy>" and f["message"] and f["fingerprint"]
        assert doc.text[f["start"]:f["end"]] in (" ", ",")
    # the same findings as spans (the stray space has no token of its own)
    assert [(s.label_, s.text, s.start_char) for s in doc.spans["govlint"]] == [("STYLE001", ",", 17)]


def test_clean_text_has_no_findings(nlp):
    doc = nlp("全年完成培训12期，覆盖基层干部800人次。\n")
    assert doc._.govlint_findings == [] and len(doc.spans["govlint"]) == 0


def test_path_from_user_data_selects_markdown(nlp):
    doc = nlp.make_doc("<!-- govlint: disable-next-line=STYLE001 -->\n" + L + "\n")
    doc.user_data["path"] = "reports/县水利局.md"
    doc = nlp(doc)
    assert [(f["code"], f["path"]) for f in doc._.govlint_findings] == [("STYLE004", "reports/县水利局.md")]


def test_pipe_and_other_config():
    nlp = spacy.blank("zh")
    nlp.add_pipe("govlint", config={"select": ["STRUCT"], "as_dicts": False, "spans_key": None})
    docs = list(nlp.pipe([TITLE + "\n一、项目基本情况\n" + L + "\n", L]))
    first = docs[0]._.govlint_findings
    assert first and all(isinstance(f, Finding) and f.code.startswith("STRUCT") for f in first)
    assert any(f.code == "STRUCT002" for f in first)           # auto profile found the self-evaluation title
    assert docs[1]._.govlint_findings == []
    assert "govlint" not in docs[0].spans
    assert nlp.config["components"]["govlint"]["select"] == ["STRUCT"]


def test_bad_config_is_rejected():
    nlp = spacy.blank("zh")
    with pytest.raises(Exception, match="profile"):
        nlp.add_pipe("govlint", name="g1", config={"profile": "annual"})
    pipe = nlp.add_pipe("govlint", name="g2", config={"select": ["NOPE"]})
    with pytest.raises(ValueError, match="NOPE"):
        pipe(nlp.make_doc(L))


def test_config_file(tmp_path):
    cfg = tmp_path / "govlint.toml"
    cfg.write_text('ignore = ["STYLE004"]\nprofile = "generic"\n', encoding="utf-8")
    nlp = spacy.blank("zh")
    nlp.add_pipe("govlint", config={"config": str(cfg), "profile": "generic"})
    assert [f["code"] for f in nlp(L)._.govlint_findings] == ["STYLE001"]


def test_serialises_with_the_pipeline(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("govlint", config={"ignore": ["STYLE004"], "profile": "generic"})
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    assert [f["code"] for f in again(L)._.govlint_findings] == ["STYLE001"]


def test_import_is_cheap():
    code = ("import sys, govlint.spacy_component; "
            "print(sorted(m for m in sys.modules if m == 'jieba' or m.startswith('govlint.rules')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_entry_point_when_installed():
    from importlib.metadata import entry_points
    eps = [e for e in entry_points(group="spacy_factories") if e.name == "govlint"]
    if not eps:
        pytest.skip("the spacy_factories entry point is not declared in this installation")
    assert eps[0].value == "govlint.spacy_component:make_govlint"
    assert eps[0].load() is govlint.spacy_component.make_govlint
