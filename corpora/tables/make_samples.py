"""Build the sample 项目支出绩效自评表 files in this folder (Word and Excel, clean and faulty).

    python corpora/tables/make_samples.py

Each sample gets a sidecar ``<name>.expected.toml`` in the corpora format (``sample`` and
``[[finding]]`` with ``code``, ``line``, ``note``; here also ``cell``). The expected findings
are written by hand below, per cell; only the cell's line number (one line per paragraph or
cell in govlint's reading) is looked up from the file, so the truth does not come from the
linter.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]

CLEAN_ROWS = [
    ["产出指标", "数量指标", "新建农村公路", "≥20公里", "20.5公里", "15", "15", "无"],
    ["产出指标", "数量指标", "改造危桥", "≥4座", "3座", "10", "7.5", "1座危桥因汛期推迟开工，已列入2024年一季度计划"],
    ["产出指标", "质量指标", "工程验收合格率", "100%", "100%", "10", "10", "无"],
    ["产出指标", "时效指标", "项目完工时间", "2023年12月前", "2023年11月", "5", "5", "无"],
    ["产出指标", "成本指标", "每公里建设成本", "≤300万元", "285万元", "10", "10", "无"],
    ["效益指标", "社会效益指标", "受益群众人数", "≥1.2万人", "1.3万人", "15", "15", "无"],
    ["效益指标", "可持续影响指标", "长效管护机制", "达成", "达成", "15", "14", "无"],
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "96%", "10", "10", "无"],
]
FAULTY_ROWS = [
    ["产出指标", "数量指标", "新建农村公路", "≥20公里", "18公里", "15", "15", "无"],          # SCORE003, SCORE004
    ["产出指标", "数量指标", "改造危桥", "≥4座", "4座", "10", "12", "无"],                    # SCORE003 (得分>分值)
    ["产出指标", "质量指标", "工程质量", "效果明显", "达到预期", "10", "10", "无"],             # IND001 ×2
    ["产出指标", "时效指标", "项目完工时间", "2023年12月前", "2024年3月", "5", "5", "暂无"],    # SCORE004
    ["产出指标", "成本指标", "每公里建设成本", "≤300万元", "330万元", "10", "10", ""],          # SCORE003, SCORE004
    ["效益指标", "社会效益指标", "受益群众人数", "≥1.2万人", "1.3万人", "15", "15", "无"],
    ["效益指标", "可持续影响指标", "长效管护机制", "达成", "部分达成", "15", "14", "/"],        # SCORE003 band, SCORE004
    ["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%", "96%", "10", "10", "无"],
]


def _total(rows, exec_score):
    return exec_score + sum(float(r[6]) for r in rows)


NARRATIVE_CLEAN = [
    "2023年度农村公路建设项目绩效自评报告",
    "一、项目基本情况",
    "项目全年预算数为1000万元，全年执行数为1000万元，预算执行率为100%。",
    "二、绩效自评结论",
    "经自评，项目自评得分为96.5分，评价等级为“优”。自评表见下。",
]
NARRATIVE_FAULTY = [
    "2023年度农村公路建设项目绩效自评报告",
    "一、项目基本情况",
    "项目全年预算数为1000万元，全年执行数为950万元，预算执行率为98%。",
    "二、绩效自评结论",
    "经自评，项目自评得分为98分，评价等级为“优”。自评表见下。",
]


# ----- Word --------------------------------------------------------------------------------

def _mark_header(row):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _docx(path: Path, narrative, rows, budget, split_at=None):
    """A report with the table; ``split_at`` splits the indicator rows into a second table
    that repeats the header row (a table continued on the next page)."""
    import docx
    d = docx.Document()
    for line in narrative:
        d.add_paragraph(line)
    ncol = 8
    first_rows = rows if split_at is None else rows[:split_at]
    t = d.add_table(rows=0, cols=ncol)
    t.style = "Table Grid"

    def add(values):
        cells = t.add_row().cells
        for i, v in enumerate(values):
            if v is not None:
                cells[i].text = v
        return cells

    c = add(["项目名称", "农村公路建设项目", None, None, None, None, None, None])
    c[1].merge(c[7])
    c = add(["主管部门", "县交通运输局", None, None, "实施单位", "县公路管理所", None, None])
    c[1].merge(c[3]); c[5].merge(c[7])
    lab = add(["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    val = add([None, "年度资金总额", *budget])
    sub = add([None, "其中：当年财政拨款", budget[0], budget[1], budget[2], "—", "—", "—"])
    lab[0].merge(sub[0]).text = "项目资金（万元）"
    g1 = add(["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None])
    g2 = add([None, "新建农村公路20公里，改造危桥4座，改善沿线1.2万群众出行条件。", None, None,
              "新建农村公路及危桥改造按计划推进，沿线群众出行条件改善。", None, None, None])
    g1[1].merge(g1[3]); g1[4].merge(g1[7]); g2[1].merge(g2[3]); g2[4].merge(g2[7])
    g1[0].merge(g2[0])
    head = add(HEADER)
    _mark_header(t.rows[-1])

    def add_rows(table_add, items):
        start = None
        prev = None
        cells_l1 = []
        for r in items:
            cells = table_add(r)
            cells_l1.append((r[0], cells[0]))
        # merge runs of the same 一级指标 vertically (text kept once)
        i = 0
        while i < len(cells_l1):
            j = i
            while j + 1 < len(cells_l1) and cells_l1[j + 1][0] == cells_l1[i][0]:
                j += 1
            if j > i:
                top = cells_l1[i][1]
                for k in range(i + 1, j + 1):
                    cells_l1[k][1].text = ""
                merged = top.merge(cells_l1[j][1])
                merged.text = cells_l1[i][0]
            i = j + 1

    add_rows(add, first_rows)
    if split_at is not None:
        d.add_paragraph("")
        t = d.add_table(rows=0, cols=ncol)
        t.style = "Table Grid"
        add(HEADER)
        _mark_header(t.rows[-1])
        add_rows(add, rows[split_at:])
    tot = add(["总分", None, None, None, None, "100", f"{_total(rows, float(budget[5])):g}", None])
    tot[0].merge(tot[4])
    d.save(str(path))


# ----- Excel -------------------------------------------------------------------------------

def _xlsx(path: Path, rows, budget, total=None, note_cell=None):
    """A workbook with an extra 序号 column (A) and an extra 指标方向 column before 年度指标值."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["项目支出绩效自评表（2023年度）"])
    ws.merge_cells("A1:J1")
    ws.append(["项目名称", None, "农村公路建设项目"])
    ws.merge_cells("A2:B2"); ws.merge_cells("C2:J2")
    ws.append(["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.append([None, "年度资金总额", None, *[_num(x) for x in budget]])
    ws["H4"].number_format = "0%"
    ws.merge_cells("A3:A4"); ws.merge_cells("B3:C3"); ws.merge_cells("B4:C4")
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "指标方向", "年度指标值", "实际完成值", "分值", "得分",
               "偏差原因分析及改进措施"])
    first = ws.max_row + 1
    for i, r in enumerate(rows, 1):
        direction = "反向" if r[3].startswith("≤") else "正向"
        ws.append([i, r[0], r[1], r[2], direction, r[3], r[4], _num(r[5]), _num(r[6]), r[7] or None])
    # 一级指标 merged vertically
    cur = first
    while cur < first + len(rows):
        end = cur
        while end + 1 < first + len(rows) and ws.cell(end + 1, 2).value == ws.cell(cur, 2).value:
            end += 1
        for k in range(cur + 1, end + 1):
            ws.cell(k, 2).value = None
        if end > cur:
            ws.merge_cells(f"B{cur}:B{end}")
        cur = end + 1
    t = total if total is not None else _total(rows, float(budget[5]))
    ws.append(["总分", None, None, None, None, None, None, 100, t])
    ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
    wb.save(str(path))


def _num(x):
    if isinstance(x, str) and x.endswith("%"):
        return float(x[:-1]) / 100
    try:
        f = float(x)
        return int(f) if f.is_integer() else f
    except (TypeError, ValueError):
        return x


# ----- expected findings -------------------------------------------------------------------

def _line_of(path: Path, match) -> int:
    """1-based line of the first Block whose locator satisfies ``match``."""
    from govlint.readers import read_path
    doc = read_path(path)
    for b in doc.blocks:
        if match(b.locator):
            return doc.line_col(b.start)[0]
    raise LookupError(f"{path.name}: no block for the expected cell")


def _line_of_text(path: Path, text: str, nth: int = 0) -> int:
    from govlint.readers import read_path
    doc = read_path(path)
    pos = -1
    for _ in range(nth + 1):
        pos = doc.text.index(text, pos + 1)
    return doc.line_col(pos)[0]


def _write_expected(path: Path, items, comment: str):
    lines = [f"# Expected findings for {path.name} ({comment}).",
             "# Written by hand per cell; line = the cell's line in govlint's reading of the file.",
             f'sample = "{path.name}"', ""]
    for code, line, cell, note in items:
        lines += ["[[finding]]", f'code = "{code}"', f"line = {line}"]
        lines += [f'cell = "{cell}"'] if cell else []       # no cell: a finding of a narrative rule
        lines += [f'note = "{note}"', ""]
    path.with_name(path.stem + ".expected.toml").write_text("\n".join(lines), encoding="utf-8")


def _docx_cell(t, r, c):
    return lambda loc: loc.get("kind") == "cell" and (loc["table"], loc["row"], loc["col"]) == (t, r, c)


def _xcell(ref):
    return lambda loc: loc.get("kind") == "xcell" and loc["cell"] == ref


def main():
    budget_ok = ["1000", "1000", "1000", "10", "100%", "10"]
    budget_bad = ["1000", "1000", "950", "10", "98%", "9.8"]

    p = HERE / "word_clean.docx"
    _docx(p, NARRATIVE_CLEAN, CLEAN_ROWS, budget_ok)
    _write_expected(p, [], "a clean table: merged cells, ≥/≤/date targets, a qualitative row")

    p = HERE / "word_faulty.docx"
    _docx(p, NARRATIVE_FAULTY, FAULTY_ROWS, budget_bad, split_at=4)
    # table 0: rows 0-6 header block, 7 = indicator header, rows 8-11 = FAULTY_ROWS[:4];
    # table 1 (continued on the next page): row 0 repeated header, rows 1-4 = FAULTY_ROWS[4:], 5 = 总分
    items = [
        ("FUND002", _line_of(p, _docx_cell(0, 3, 6)), "第1张表第4行第7列", "执行率98% but 950/1000 = 95%"),
        ("SCORE004", _line_of(p, _docx_cell(0, 3, 6)), "第1张表第4行第7列", "执行率below 100%, no reason in table or text"),
        ("SCORE003", _line_of(p, _docx_cell(0, 8, 6)), "第1张表第9行第7列", "18/20 × 15 = 13.5, table says 15"),
        ("SCORE004", _line_of(p, _docx_cell(0, 8, 7)), "第1张表第9行第8列", "18公里 below ≥20公里, reason 无"),
        ("SCORE003", _line_of(p, _docx_cell(0, 9, 6)), "第1张表第10行第7列", "得分12 above 分值10"),
        ("IND001", _line_of(p, _docx_cell(0, 10, 3)), "第1张表第11行第4列", "target 效果明显"),
        ("IND001", _line_of(p, _docx_cell(0, 10, 4)), "第1张表第11行第5列", "actual 达到预期"),
        ("SCORE004", _line_of(p, _docx_cell(0, 11, 7)), "第1张表第12行第8列", "2024年3月 later than 2023年12月前, reason 暂无"),
        ("SCORE003", _line_of(p, _docx_cell(1, 1, 6)), "第2张表第2行第7列", "300/330 × 10 = 9.09, table says 10"),
        ("SCORE004", _line_of(p, _docx_cell(1, 1, 4)), "第2张表第2行第5列", "330万元 above ≤300万元, reason cell blank"),
        ("SCORE003", _line_of(p, _docx_cell(1, 3, 6)), "第2张表第4行第7列", "部分达成 allows 9–12 of 15, table says 14"),
        ("SCORE004", _line_of(p, _docx_cell(1, 3, 7)), "第2张表第4行第8列", "部分达成 with reason /"),
        ("FUND002", _line_of_text(p, "98%"), None, "narrative 执行率98% but 950/1000 = 95% (narrative rule)"),
        ("NUM001", _line_of_text(p, "98分"), "正文", "narrative 98分 vs table 总分 100.8"),
        ("SCORE002", _line_of(p, _docx_cell(1, 5, 6)), "第2张表第6行第7列", "总分100.8 with four unmet targets"),
        ("SCORE003", _line_of(p, _docx_cell(1, 5, 6)), "第2张表第6行第7列", "总分100.8 above the full 100 points"),
    ]
    _write_expected(p, items, "faulty: table split across two Word tables with the header row repeated")

    p = HERE / "excel_clean.xlsx"
    _xlsx(p, CLEAN_ROWS, budget_ok)
    _write_expected(p, [], "clean workbook: extra 序号 and 指标方向 columns, merged cells, percent cells")

    p = HERE / "excel_faulty.xlsx"
    _xlsx(p, FAULTY_ROWS, ["1000", "1000", "950", "10", "95%", "9"], total=95)
    # rows: 1 title, 2 项目名称, 3-4 budget, 5 indicator header, 6..13 indicators, 14 总分
    items = [
        ("FUND002", _line_of(p, _xcell("I4")), "自评表!I4", "执行率95% × 10 = 9.5, table says 9"),
        ("SCORE003", _line_of(p, _xcell("I6")), "自评表!I6", "18/20 × 15 = 13.5, table says 15"),
        ("SCORE004", _line_of(p, _xcell("J6")), "自评表!J6", "shortfall, reason 无"),
        ("SCORE003", _line_of(p, _xcell("I7")), "自评表!I7", "得分12 above 分值10"),
        ("IND001", _line_of(p, _xcell("F8")), "自评表!F8", "target 效果明显"),
        ("IND001", _line_of(p, _xcell("G8")), "自评表!G8", "actual 达到预期"),
        ("SCORE004", _line_of(p, _xcell("J9")), "自评表!J9", "late, reason 暂无"),
        ("SCORE003", _line_of(p, _xcell("I10")), "自评表!I10", "300/330 × 10 = 9.09"),
        ("SCORE004", _line_of(p, _xcell("G10")), "自评表!G10", "330万元 above ≤300万元, reason cell empty (J10)"),
        ("SCORE003", _line_of(p, _xcell("I12")), "自评表!I12", "部分达成 band 9–12 of 15, table says 14"),
        ("SCORE004", _line_of(p, _xcell("J12")), "自评表!J12", "部分达成, reason /"),
        ("SCORE003", _line_of(p, _xcell("I14")), "自评表!I14", "总分95 but 9 + 91 = 100"),
        ("SCORE004", _line_of(p, _xcell("H4")), "自评表!H4", "执行率95% below 100%, no reason anywhere"),
        ("SCORE002", _line_of(p, _xcell("I14")), "自评表!I14", "总分95 with four unmet targets"),
    ]
    _write_expected(p, items, "faulty workbook")


if __name__ == "__main__":
    main()
