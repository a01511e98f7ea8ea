"""Budget classification behind FUND001: the lexicons' integrity, project and use
classification, recipients, user extensions and ``govlint explain FUND001 --on``."""

from __future__ import annotations

import pytest

from helpers import make_docx, run_cli
from govlint.rules import budget as classify
from govlint.config import Config
from govlint.document import Document
from govlint.engine import lint
from govlint.lexicon import Lexicons, load

HOUSING = ("2023年度城东棚户区改造安置房建设项目绩效自评报告\n一、项目概况\n建设安置房5栋，安置棚改户210户。\n"
           "二、资金使用情况\n")


def _doc(text: str) -> Document:
    return Document.from_text(text, path="t.txt", kind="txt")


def _uses(text: str, lex=None):
    lex = lex or load(())
    found, _ = classify.uses(_doc(text), lex["purpose"], lex["econ_class"])
    return found


def test_every_rule_row_cites_a_source_and_names_known_classes():
    lex = load(())
    items = lex["econ_class"]["items"]
    keys = {f"{i['code']}/{i['part']}" if i.get("part") else i["code"] for i in items}
    natures = set(lex["func_class"]["natures"])
    for row in lex["fund_rules"]["rules"]:
        assert row.get("source", "").strip(), f"{row['id']} has no source"
        assert row.get("name") and row.get("id")
        for e in row["econ"]:
            assert any(k == e or (("/" not in e) and k.startswith(e)) for k in keys), f"{row['id']}: {e}"
        for n in list(row.get("nature", [])) + list(row.get("except_nature", [])):
            assert n == "*" or n in natures, f"{row['id']}: unknown nature {n}"
    for c in lex["func_class"]["classes"]:
        assert c["words"] and c.get("path") and set(c["nature"]) <= natures, c["name"]
    classes = lex["econ_class"]["classes"]
    for i in items:
        assert any(i["code"].startswith(k) for k in classes), i["code"]
        assert i.get("recipient") in (None, "staff", "enterprise", "household")
    for stem in ("econ_class", "func_class", "fund_rules", "purpose"):
        assert lex[stem]["meta"]["source"].strip()


def test_project_class_comes_from_the_title_with_its_evidence():
    doc = _doc(HOUSING + "资金主要用于支付工程款。\n")
    got = classify.project_classes(doc, load(())["func_class"])
    assert [c.code for c in got] == ["2210103"]
    c = got[0]
    assert c.where == "标题" and doc.text[c.start:c.end] == c.word and "construction" in c.nature


def test_project_class_falls_back_to_the_overview_then_the_department():
    lex = load(())["func_class"]
    overview = _doc("2023年度专项资金绩效自评报告\n一、项目概况\n本项目实施高标准农田建设1.1万亩。\n")
    assert [c.where for c in classify.project_classes(overview, lex)] == ["项目概况"]
    dept = _doc("2023年度专项资金绩效自评报告\n主管部门：县林业局\n一、资金使用情况\n资金已全部支出。\n")
    got = classify.project_classes(dept, lex)
    assert [(c.code, c.where) for c in got] == [("21302", "主管部门")]
    assert classify.project_classes(_doc("2023年度专项资金绩效自评报告\n一、资金使用情况\n资金已支出。\n"), lex) == []


@pytest.mark.parametrize("clause, code, recipient", [
    ("资金主要用于给企业的补贴。", "31204", "enterprise"),
    ("资金主要用于对农户的补贴。", "303", "household"),
    ("资金主要用于机关职工的补贴。", "30102", "staff"),
    ("资金主要用于贷款贴息，贴息对象为辖区企业。", "31205", "enterprise"),
    ("资金主要用于创业担保贷款贴息。", None, None),
    ("资金主要用于企业贷款贴息。", "31205", "enterprise"),
    ("资金主要用于职工节日慰问。", "30229", "staff"),
    ("资金主要用于困难群众节日慰问。", "303", "household"),
])
def test_the_recipient_decides_an_ambiguous_word(clause, code, recipient):
    got = _uses(HOUSING + clause + "\n")
    if code is None:
        assert all(u.code != "31205" for u in got)
        return
    assert [(u.code, u.recipient) for u in got][:1] == [(code, recipient)]


def test_words_count_only_on_token_boundaries():
    # 办公室 is not 办公 (office costs); 办公楼 is an office building
    got = _uses(HOUSING + "资金主要用于项目办公室租赁。\n")
    assert all(u.key != "31001/办公用房" and u.code != "30201" for u in got), got
    assert [u.key for u in _uses(HOUSING + "资金主要用于局机关办公楼维修。\n")] == ["31001/办公用房"]


def test_a_transfer_to_a_company_with_nothing_bought_is_an_enterprise_subsidy_reported_as_info():
    text = HOUSING + "资金主要用于安置房主体工程，另拨付给某商贸有限公司20万元。\n"
    found = lint(_doc(text), Config(), codes={"FUND001"})
    assert [(text[f.start:f.end], f.severity.label) for f in found] == [("拨付给某商贸有限公司", "info")]
    # the same transfer to the contractor is the price of the works
    text = HOUSING + "资金主要用于安置房主体工程，另拨付给某建设工程有限公司20万元。\n"
    assert lint(_doc(text), Config(), codes={"FUND001"}) == []


def test_finding_names_use_classes_rule_and_the_purpose_evidence():
    text = HOUSING + "全年支出资金860万元，主要是给企业的补贴。\n"
    (f,) = lint(_doc(text), Config(), codes={"FUND001"})
    assert "31204" in f.message and "棚户区改造" in f.message and "R05" in f.message
    assert f.suggestion.startswith("说明该支出的依据，或调整至相应资金渠道")
    assert f.data["rule"] == "R05" and f.data["func"] == ["2210103"] and f.data["source"]
    (rel,) = f.related
    assert text[rel.start:rel.end] == "棚户区改造"


def test_users_extend_the_classification_and_the_table_from_config(tmp_path):
    text = ("2023年度城东棚户区改造安置房建设项目绩效自评报告\n一、项目概况\n建设安置房5栋。\n"
            "二、资金使用情况\n资金主要用于主体工程和样板间软装展示。\n")
    assert lint(_doc(text), Config(), codes={"FUND001"}) == []
    econ = tmp_path / "econ.toml"
    econ.write_text('[meta]\nextends = "econ_class"\nsource = "test"\n\n'
                    '[[items]]\ncode = "30299"\nname = "营销展示费"\nwords = ["样板间软装展示"]\n',
                    encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text('[meta]\nextends = "fund_rules"\nsource = "test"\n\n'
                     '[[rules]]\nid = "U01"\nname = "安置房不做营销展示"\necon = ["30299"]\n'
                     'nature = ["construction"]\nsource = "本单位资金管理办法"\n', encoding="utf-8")
    cfg = Config(lexicons=(str(econ), str(rules)))
    (f,) = lint(_doc(text), cfg, codes={"FUND001"})
    assert text[f.start:f.end] == "样板间软装展示" and f.data["rule"] == "U01"
    assert Lexicons((str(econ),))["econ_class"]["items"][-1]["code"] == "30299"


def test_explain_on_a_report_shows_its_classification(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(HOUSING + "资金主要用于安置房建安工程款和给企业的补贴。\n", encoding="utf-8")
    p = run_cli("explain", "FUND001", "--on", str(path))
    assert p.returncode == 0, p.stderr_text
    out = p.stdout_text
    assert "2210103" in out and "依据：标题" in out
    assert "31005 基础设施建设" in out and "与项目分类相容" in out
    assert "31204" in out and "不相容：R05" in out
    plain = run_cli("explain", "FUND001")
    assert plain.returncode == 0 and "FUND001" in plain.stdout_text and "项目功能分类：" not in plain.stdout_text
    other = run_cli("explain", "STYLE001", "--on", str(path))
    assert other.returncode != 0 and "--on" in other.stderr_text


def test_a_word_tables_use_column_is_read_as_use_statements(tmp_path):
    from govlint.readers import read_path
    path = make_docx(tmp_path / "r.docx",
                     ["2023年度城东棚户区改造安置房建设项目绩效自评报告", "一、项目概况", "建设安置房5栋。",
                      "二、资金使用情况", "资金支出明细如下表。"],
                     table=[["支出内容", "金额（万元）"], ["安置房建安工程款", "800"], ["招商企业奖补", "60"]])
    doc = read_path(str(path))
    found = lint(doc, Config(), codes={"FUND001"})
    assert [doc.text[f.start:f.end] for f in found] == ["招商企业奖补"]


def test_a_project_of_no_known_class_gets_the_general_rows_as_info_only():
    text = ("2023年度政务信息化专项资金绩效自评报告\n一、项目概况\n建设政务数据共享平台一期。\n"
            "二、资金使用情况\n资金主要用于平台开发，另有6万元用于发放中心职工年终奖。\n")
    (f,) = lint(_doc(text), Config(), codes={"FUND001"})
    assert f.severity.label == "info" and f.data["rule"] == "R03" and text[f.start:f.end] == "中心职工年终奖"
    # not a self-evaluation report, or no project word in the title: nothing to judge against
    assert lint(_doc(text.replace("绩效自评报告", "工作总结")), Config(), codes={"FUND001"}) == []
    assert lint(_doc(text.replace("专项资金", "工作")), Config(), codes={"FUND001"}) == []


def test_a_department_name_with_he_inside_does_not_split_the_use_list():
    text = HOUSING + "资金主要用于安置房工程款和区住房和城乡建设局办公楼维修。\n"
    (f,) = lint(_doc(text), Config(), codes={"FUND001"})
    assert text[f.start:f.end] == "区住房和城乡建设局办公楼维修"
