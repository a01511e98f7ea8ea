"""The 项目支出绩效自评表 parser and its rules on the Word/Excel samples in corpora/tables/."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from govlint import registry
from govlint.config import Config
from govlint.document import Document
from govlint.engine import Context, Shared, lint
from govlint.readers import read_path
from govlint.evaltable import parse_value, shortfall, tables

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "tables"
OWN = ("SCORE003", "SCORE004")
ATTACHED = {"IND001": "table_unmeasurable_indicator", "FUND002": "table_execution_rate",
            "SCORE001": "table_total_vs_narrative_grade", "SCORE002": "table_inflated_total",
            "NUM001": "table_vs_narrative_figures"}


def _table_findings(doc: Document):
    """SCORE003/SCORE004 through the engine, plus the table checkers attached to other codes
    (run on their own, so the owning modules' narrative checks do not interfere)."""
    import govlint.rules.table_links as mod
    registry.all_rules()
    extra: dict = {}
    found = list(lint(doc, Config(), codes=set(OWN), extra=extra))
    shared = Shared(extra)
    for code, fname in ATTACHED.items():
        spec = registry.get(code)
        if spec is None:
            continue
        ctx = Context(doc, spec, Config(), "self-eval", shared)
        found.extend(getattr(mod, fname)(doc, ctx) or ())
    return found, extra


def _expected(sample: Path):
    data = tomllib.loads(sample.with_name(sample.stem + ".expected.toml").read_text(encoding="utf-8"))
    return sorted((f["code"], f["line"]) for f in data.get("finding", [])
                  if "cell" in f and registry.get(f["code"]) is not None)


@pytest.mark.parametrize("name", ["word_clean.docx", "word_faulty.docx", "excel_clean.xlsx", "excel_faulty.xlsx"])
def test_samples_match_sidecar(name):
    doc = read_path(SAMPLES / name)
    found, extra = _table_findings(doc)
    got = sorted((f.code, doc.line_col(f.start)[0]) for f in found)
    assert got == _expected(SAMPLES / name), "\n".join(f"{f.code} {f.message}" for f in found)
    json.dumps(extra)        # the records are JSON-ready
    assert extra["tables"] and extra["tables"][0]["indicators"]


def test_xlsx_reader_positions_are_sheet_cells():
    doc = read_path(SAMPLES / "excel_faulty.xlsx")
    assert doc.kind == "xlsx"
    locs = {b.locator.cell: b for b in doc.blocks}
    b = locs["F8"]
    assert doc.text[b.start:b.end] == "效果明显"
    assert doc.text[locs["H4"].start:locs["H4"].end] == "95%"     # percent format kept
    assert "A1:J1" in doc.meta["merged"]["自评表"]


def test_xlsx_structure_merged_and_extra_columns():
    doc = read_path(SAMPLES / "excel_clean.xlsx")
    [t] = tables(doc)
    assert t.project.text == "农村公路建设项目"
    assert t.header["budget_full"].number == 1000 and t.header["exec_rate"].cell.ref == "自评表!H4"
    # extra 序号 and 指标方向 columns: columns found by header words
    assert t.columns["target"] == 5 and t.columns["level1"] == 1
    rows = t.indicators
    assert len(rows) == 8
    # 一级指标 merged B6:B10 — every row knows its level-1 name, and shares the merged cell
    assert [r.level1 for r in rows[:5]] == ["产出指标"] * 5
    assert rows[1].cell("level1") is rows[0].cell("level1")
    assert rows[0].cell("score").ref == "自评表!I6"
    assert t.total.number == 96.5 and t.total.cell.ref == "自评表!I14"


def test_docx_structure_split_table_and_repeated_header():
    doc = read_path(SAMPLES / "word_faulty.docx")
    [t] = tables(doc)                       # two Word tables, one record
    assert len(t.indicators) == 8
    assert t.indicators[4].row_label == "第2张表第2行"
    assert t.indicators[4].level1 == "产出指标"
    assert t.total.cell.ref == "第2张表第6行第7列"
    assert t.goal_expected.text.startswith("新建农村公路20公里")
    # merged 一级指标 cell: one cell object spanning the rows, with its text span
    first = t.indicators[0].cell("level1")
    assert first is t.indicators[1].cell("level1") and doc.text[first.start:first.end] == "产出指标"


def test_docx_clean_has_no_findings_and_header_block():
    doc = read_path(SAMPLES / "word_clean.docx")
    [t] = tables(doc)
    assert t.header["exec_rate"].cell.text == "100%"
    assert t.header["exec_score"].number == 10
    assert {i.target.kind for i in t.indicators} == {"number", "date", "grade"}


@pytest.mark.parametrize("text,kind,cmp,num,unit", [
    ("≥95%", "number", ">=", 95, "%"),
    ("≤300万元", "number", "<=", 300, "万元"),
    ("不低于20公里", "number", ">=", 20, "公里"),
    ("95%以上", "number", ">=", 95, "%"),
    ("2023年12月前", "date", "<=", None, ""),
    ("12月底前", "date", "<=", None, ""),
    ("100%", "number", None, 100, "%"),
    ("1500.5万元", "number", None, 1500.5, "万元"),
    ("部分达成", "grade", None, None, ""),
    ("效果明显", "text", None, None, ""),
])
def test_parse_value(text, kind, cmp, num, unit):
    v = parse_value(text)
    assert (v.kind, v.comparator, v.number, v.unit) == (kind, cmp, num, unit)


def test_shortfall_directions():
    assert shortfall(parse_value("≥20公里"), parse_value("18公里")) is True
    assert shortfall(parse_value("≤300万元"), parse_value("280万元")) is False
    assert shortfall(parse_value("≤300万元"), parse_value("3200000元")) is True
    assert shortfall(parse_value("2023年12月前"), parse_value("2023年11月")) is False
    assert shortfall(parse_value("2023年12月前"), parse_value("2024年1月")) is True
    assert shortfall(parse_value("达成"), parse_value("部分达成")) is True
    assert shortfall(parse_value("≥90%"), parse_value("达到预期")) is None


TEXT_TABLE = """2023年度农村公路建设项目绩效自评报告
经自评，项目自评得分为95分，评价等级为“优”。预算执行率为90%。
| 项目名称 | 农村公路建设 |
| 项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| | 年度资金总额 | 100 | 100 | 90 | 10 | 90% | 9 |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
|---|---|---|---|---|---|---|---|
| 产出指标 | 数量指标 | 新建村道 | ≥20公里 | 20公里 | 50 | 50 | 无 |
| 效益指标 | 社会效益指标 | 受益人数 | ≥1万人 | 1.2万人 | 30 | 30 | 无 |
| 满意度指标 | 满意度指标 | 群众满意度 | ≥90% | 95% | 10 | 10 | 无 |
| 总分 | | | | | 100 | 99 | |
"""


def test_text_table_total_and_cross_checks():
    doc = Document.from_text(TEXT_TABLE, path="t.txt")
    found, extra = _table_findings(doc)
    codes = sorted(f.code for f in found)
    # 总分 99 = 9 + 90: no SCORE003; 执行率 90% unexplained: SCORE004
    assert "SCORE003" not in codes
    assert codes.count("SCORE004") == 1
    if registry.get("NUM001") is not None:
        [f] = [f for f in found if f.code == "NUM001"]
        assert doc.text[f.start:f.end] == "95" and f.related
    tab = extra["tables"][0]
    assert tab["header"]["exec_rate"]["value"] == 90
    assert tab["indicators"][0]["target"]["comparator"] == ">="


def test_weights_reported_as_info_unless_explained():
    text = TEXT_TABLE.replace("| 50 | 50 |", "| 40 | 40 |").replace("| 30 | 30 |", "| 40 | 40 |")
    doc = Document.from_text(text, path="t.txt")
    found = [f for f in lint(doc, Config(), codes={"SCORE003"}) if f.severity.name == "INFO"]
    assert len(found) == 1 and "权重" in found[0].message
    doc = Document.from_text(text + "因项目以效益为主，经批准将效益指标权重调整为40分。\n", path="t.txt")
    assert [f for f in lint(doc, Config(), codes={"SCORE003"}) if f.severity.name == "INFO"] == []


def test_word_reader_records_the_table_layout_and_the_parser_never_reopens_the_file(tmp_path):
    """Merged cells come from Document.meta.tables: the table is found with the file gone."""
    import shutil
    src = tmp_path / "copy.docx"
    shutil.copy(SAMPLES / "word_faulty.docx", src)
    doc = read_path(src)
    src.unlink()
    assert len(doc.meta.tables) == 2
    first = doc.meta.tables[0]
    assert any(owner != (r, c) for r, row in enumerate(first) for c, owner in enumerate(row)), "no merged cell"
    [t] = tables(doc)
    assert len(t.indicators) == 8
    assert t.indicators[0].cell("level1") is t.indicators[1].cell("level1")


# ----- the 自评表 rules' words and bands are data (lexicons/scoring.toml [table]) -------------------

_TIER_ROW = ("| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
             "| 效益指标 | 长效管护机制 | 达成 | 部分达成 | 10 | 5.5 |\n")
_EXEC_ROW = ("| 项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
             "| | 年度资金总额 | 1000 | 1000 | 900 | 10 | 90% | 9 |\n"
             "| 一级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
             "| 产出指标 | 新建农村公路 | ≥20公里 | 20公里 | 90 | 90 | 剩余款项已缴库 |\n")


def _codes(text: str, code: str, ext: Path | None = None) -> list[str]:
    cfg = Config(select=(code,), lexicons=(str(ext),) if ext else ())
    return [f.code for f in lint(Document.from_text(text), cfg)]


def test_table_rules_read_their_words_from_the_scoring_lexicon(tmp_path):
    # a 部分达成 row earns 60–80 % of its points (the shipped tiers); 5.5 of 10 is outside
    assert _codes(_TIER_ROW, "SCORE003") == ["SCORE003"]
    # an indicator note about money explains a 执行率 below 100 % only with a money word
    assert _codes(_EXEC_ROW, "SCORE004") == ["SCORE004"]
    ext = tmp_path / "scoring_ext.toml"
    ext.write_text('[meta]\nextends = "scoring"\nsource = "test"\n\n'
                   '[table.tiers]\n"2" = { low = 0.5, high = 0.8 }\n\n'
                   '[table.funds_words]\npattern = "资金|缴库"\n', encoding="utf-8")
    assert _codes(_TIER_ROW, "SCORE003", ext) == []
    assert _codes(_EXEC_ROW, "SCORE004", ext) == []


def test_rules_table_holds_no_word_patterns():
    """rules/table.py compiles no pattern with Chinese words of its own: they are in the lexicon."""
    import ast
    import re as _re
    src = (Path(__file__).resolve().parent.parent / "src" / "govlint" / "rules" / "table.py").read_text(encoding="utf-8")
    han = _re.compile(r"[\u4e00-\u9fff]")
    for node in ast.walk(ast.parse(src)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            assert not han.search(node.args[0].value), node.args[0].value
    words = tomllib.loads((Path(__file__).resolve().parent.parent / "lexicons" / "scoring.toml")
                          .read_text(encoding="utf-8"))["table"]
    assert {"default_weights", "tiers", "weight_reason", "exec_reason", "funds_gap", "funds_explain",
            "funds_words"} <= set(words)
