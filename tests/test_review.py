"""``govlint review``: the review comment list in every format, Word annotation, batches, exits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govlint.finding import Finding, Related, Severity

from helpers import unavailable

SELECT = "STRUCT001,STYLE001,STYLE002"

# Written for these tests: a short self-evaluation report with three known problems
# (a half-width comma, a skipped heading number, an unfilled placeholder) and a
# heading with <angle brackets> & an ampersand to check escaping.
REPORT = """2023年度城区供水管网改造项目绩效自评报告
一、项目基本情况
（一）项目概况
县水务局负责实施城区供水管网改造,全年计划改造老旧管网18.5公里。
（三）项目资金情况
项目预算安排资金960万元，其中市级补助600万元，县级配套360万元。
二、绩效目标完成情况
全年完成管网改造18.5公里，惠及居民XX户，管网漏损率下降至9.6%。
三、存在的问题及改进措施
部分片区施工协调难度大，<应急抢修>机制 & 台账管理仍需完善。
"""

REPORT2 = """2023年度农村厕所改造项目绩效自评报告
一、项目基本情况
全年计划改造农户卫生厕所1200户，由县农业农村局组织实施。
二、绩效目标完成情况
完成改造1200户，群众满意度达到95%。
"""

REPORT3 = """2023年度中小学校舍维修项目绩效自评报告
一、项目基本情况
项目由县教育局实施,维修校舍XX平方米,涉及学校XX所。
二、绩效目标完成情况
维修工程全部通过验收。
"""


def run(*args, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1")
    env.pop("GOVLINT_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "govlint", *args], capture_output=True, cwd=cwd, env=env,
                          text=True, encoding="utf-8")


@pytest.fixture
def report(tmp_path):
    p = tmp_path / "供水管网自评.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def _review_of(text: str, path="r.txt", extra_findings=(), extra=None):
    """A review built in-process, optionally with a synthetic copied-text finding."""
    from govlint import runner
    from govlint.config import Config
    from govlint.document import Document
    from govlint.output import review_model as rm
    doc = Document.from_text(text, path)
    r = runner.lint_document_result(doc, Config(), set(SELECT.split(",")))
    for f in extra_findings:
        r.findings.append(f(doc))
    r.extra.update(extra or {})
    return rm.build([r]), r


def _copied(doc):
    """DUP-style finding: line 10 repeats line 4 (a related location in the same document)."""
    src_start = doc.text.index("县水务局")
    src_end = doc.text.index("。", src_start) + 1
    start = doc.text.index("部分片区")
    end = doc.text.index("。", start) + 1
    rel = Related(src_start, src_end, doc.path, "重复段落", doc.position(src_start, src_end),
                  doc.text[src_start:src_end])
    return Finding("DUP001", Severity.WARNING, start, end, "与本报告第4行内容雷同", "改写为本部分的实际情况",
                   (rel,), doc.path, doc.position(start, end), doc.text[start:end], "fp-dup")


# ----- model ------------------------------------------------------------------------------

def test_model_orders_comments_and_marks_spans():
    review, r = _review_of(REPORT)
    d = review.documents[0]
    assert [c.number for c in d.comments] == list(range(1, len(d.comments) + 1))
    assert [c.start for c in d.comments] == sorted(c.start for c in d.comments)
    codes = [c.code for c in d.comments]
    assert codes == ["STYLE001", "STRUCT001", "STYLE002"]
    comma, heading, placeholder = d.comments
    assert comma.marked == "县水务局负责实施城区供水管网改造【,】全年计划改造老旧管网18.5公里。"
    assert comma.section == ["一、项目基本情况", "（一）项目概况"]
    assert comma.unit == "第4行"
    assert heading.section == ["一、项目基本情况", "（三）项目资金情况"]
    assert placeholder.span == "XX" and placeholder.severity is Severity.ERROR
    assert d.by_severity == {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 0}
    assert [(fam, n) for fam, _, n in d.by_family] == [("STRUCT", 1), ("STYLE", 2)]


def test_model_related_source_and_copy_ratio():
    review, _ = _review_of(REPORT, extra_findings=[_copied], extra={"copy_ratio": 0.25})
    d = review.documents[0]
    dup = [c for c in d.comments if c.code == "DUP001"][0]
    assert dup.family_name == "雷同与抄袭"
    (src,) = dup.sources
    assert src.same_document and src.where == "第4行"
    assert src.excerpt.startswith("县水务局负责实施")
    assert d.copy_ratio_text() == "25.0%"
    assert ("雷同比例", "25.0%") in __import__("govlint.output.review_model", fromlist=["x"]).summary_rows(d)


# ----- Markdown -----------------------------------------------------------------------------

def test_markdown_numbered_comments(report, tmp_path):
    out = tmp_path / "意见.md"
    p = run("review", str(report), "--select", SELECT, "-o", str(out))
    assert p.returncode == 0, p.stderr
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# 审核意见表\n")
    assert "## 2023年度城区供水管网改造项目绩效自评报告" in md
    assert f"- 文件：`{report}`" in md
    assert "| 错误 | 1 |" in md and "| 警告 | 2 |" in md and "| 结构（STRUCT） | 1 |" in md
    assert "1. **【警告】STYLE001**" in md
    assert "2. **【警告】STRUCT001**" in md
    assert "3. **【错误】STYLE002**" in md
    assert "   - 位置：一、项目基本情况 › （一）项目概况；第4行" in md
    assert "【**,**】全年计划" in md
    assert "【**XX**】户" in md
    assert "   - 修改建议：（二）" in md
    assert "   - 严重程度：错误" in md


def test_markdown_shows_copied_source():
    from govlint.output.review_md import render_review
    review, _ = _review_of(REPORT, extra_findings=[_copied], extra={"copy_ratio": 0.25})
    md = render_review(review)
    assert "- 重复来源：第4行（重复段落）：县水务局负责实施城区供水管网改造" in md
    assert "| 雷同比例 | 25.0% |" in md
    assert "\\<应急抢修\\>" in md       # escaped, not raw HTML


# ----- Excel -------------------------------------------------------------------------------

def test_xlsx_workbook(report, tmp_path):
    import openpyxl
    out = tmp_path / "意见.xlsx"
    p = run("review", str(report), "--select", SELECT, "--output", str(out))
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "审核意见"]
    ws = wb["审核意见"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["序号", "位置", "原文", "问题", "修改建议", "严重程度", "规则"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I4"
    assert ws.column_dimensions["C"].width >= 40
    assert ws["C2"].alignment.wrap_text
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert [r[6] for r in rows] == ["STYLE001", "STRUCT001", "STYLE002"]
    assert rows[2][2] == "全年完成管网改造18.5公里，惠及居民【XX】户，管网漏损率下降至9.6%。"
    assert rows[2][5] == "错误"
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows(min_row=2) if r[0].value}
    assert summary["文件"] == str(report)
    assert summary["错误"] == 1 and summary["警告"] == 2 and summary["问题总数"] == 3


def test_xlsx_same_findings_as_check(report, tmp_path):
    import openpyxl
    out = tmp_path / "a.xlsx"
    assert run("review", str(report), "--select", SELECT, "-o", str(out)).returncode == 0
    check = json.loads(run("check", str(report), "--select", SELECT, "-f", "json").stdout)
    ws = openpyxl.load_workbook(out)["审核意见"]
    got = [(r[6].value, r[3].value) for r in ws.iter_rows(min_row=2)]
    want = [(f["code"], f["message"]) for f in sorted(check["findings"], key=lambda f: (f["start"], f["end"], f["code"]))]
    assert got == want


# ----- Word review document --------------------------------------------------------------------

def test_docx_review_document(report, tmp_path):
    import docx
    out = tmp_path / "意见.docx"
    p = run("review", str(report), "--select", SELECT, "-o", str(out))
    assert p.returncode == 0, p.stderr
    d = docx.Document(str(out))
    assert d.paragraphs[0].text == "审核意见表"
    texts = [p.text for p in d.paragraphs]
    assert "2023年度城区供水管网改造项目绩效自评报告" in texts
    info, summary, comments, conclusion = d.tables
    assert [c.text for c in conclusion.rows[0].cells] == ["审核人", "审核日期", "审核结论"]
    assert [c.text for c in info.rows[1].cells] == ["文件", str(report)]
    assert ["错误", "1"] in [[c.text for c in r.cells] for r in summary.rows]
    assert [c.text for c in comments.rows[0].cells] == ["序号", "位置", "原文", "问题", "修改建议", "严重程度", "规则"]
    last = [c.text for c in comments.rows[3].cells]
    assert last[0] == "3" and last[5] == "错误" and last[6].split("\n") == ["STYLE002", "残留代码或模板占位符"]
    assert last[1] == "二、绩效目标完成情况；第8行"
    runs = comments.rows[3].cells[2].paragraphs[0].runs
    marked = [r for r in runs if r.bold]
    assert [r.text for r in marked] == ["XX"]
    assert marked[0].font.highlight_color is not None


# ----- HTML --------------------------------------------------------------------------------------

def test_html_self_contained_and_escaped():
    from govlint.output.review_html import render_review
    review, _ = _review_of(REPORT, extra_findings=[_copied], extra={"copy_ratio": 0.25})
    html = render_review(review)
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and " src=" not in html
    assert "&lt;应急抢修&gt;机制 &amp; 台账" in html
    assert "<应急抢修>" not in html
    # every comment has a side-list item and a span anchor, linked both ways
    for n in range(1, 5):
        assert f'id="d1-i{n}"' in html and f'href="#d1-c{n}"' in html
        assert f'id="d1-c{n}"' in html and f'href="#d1-i{n}"' in html
    # the copied passage links to its source span, which is marked in the text
    assert 'href="#d1-s' in html and 'class="src"' in html
    import re
    src_ids = re.findall(r'href="#(d1-s\d+-\d+)"', html)
    assert src_ids and all(f'id="{i}"' in html for i in src_ids)
    assert "<svg" in html and "雷同与抄袭" in html


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_html_in_headless_browser(report, tmp_path):
    browser = _chromium()
    if browser is None:
        unavailable("chromium is not installed (apt-get install chromium; see .ci/setup.d/20-chromium.sh)")
    out = tmp_path / "意见.html"
    assert run("review", str(report), "--select", SELECT, "-o", str(out)).returncode == 0
    p = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--no-first-run", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", out.as_uri()],
                       capture_output=True, text=True, encoding="utf-8", timeout=120)
    dom = p.stdout
    assert "<title>审核意见表" in dom, p.stderr[-2000:]
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.marks, self.items, self.stack, self.mark_text = [], [], [], {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "mark" and a.get("class", "").startswith("sev-"):
                self.marks.append(a)
                self.stack.append(a.get("data-comments"))
            elif tag == "mark":
                self.stack.append(None)
            if tag == "li" and a.get("id", "").startswith("d1-i"):
                self.items.append(a["id"])

        def handle_endtag(self, tag):
            if tag == "mark" and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if self.stack and self.stack[-1]:
                self.mark_text[self.stack[-1]] = self.mark_text.get(self.stack[-1], "") + data

    c = Collect()
    c.feed(dom)
    assert c.items == ["d1-i1", "d1-i2", "d1-i3"]
    assert [m["class"] for m in c.marks] == ["sev-2", "sev-2", "sev-3"]
    assert c.mark_text == {"1": ",", "2": "（三）", "3": "XX"}


# ----- Word annotation ------------------------------------------------------------------------

def _make_report_docx(path: Path):
    """Spans: a comma inside one bold run, XX split over two runs, XX in a table cell."""
    import docx
    d = docx.Document()
    d.add_paragraph("2023年度城区供水管网改造项目绩效自评报告")
    d.add_paragraph("一、项目基本情况")
    p = d.add_paragraph()
    r = p.add_run("县水务局负责实施城区供水管网改造,全年计划改造老旧管网18.5公里。")
    r.bold = True
    p = d.add_paragraph()
    p.add_run("项目预算安排资金X")
    r = p.add_run("X万元，已全部拨付到位。")
    r.italic = True
    d.add_paragraph("二、绩效目标完成情况")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "指标"
    t.cell(0, 1).text = "完成情况"
    t.cell(1, 0).text = "管网改造长度"
    t.cell(1, 1).text = "完成XX公里，达到年度目标"
    d.add_paragraph("三、存在的问题及改进措施")
    d.add_paragraph("部分片区施工协调难度大，需加强与街道的沟通。")
    d.save(str(path))


def _covered(d, cid: int) -> str:
    from docx.oxml.ns import qn
    out, on = [], False
    for el in d.element.body.iter():
        if el.tag == qn("w:commentRangeStart") and el.get(qn("w:id")) == str(cid):
            on = True
        elif el.tag == qn("w:commentRangeEnd") and el.get(qn("w:id")) == str(cid):
            on = False
        elif on and el.tag == qn("w:t"):
            out.append(el.text or "")
    return "".join(out)


def test_annotate_word_comments(tmp_path):
    import docx
    src = tmp_path / "供水自评.docx"
    _make_report_docx(src)
    before = src.read_bytes()
    before_text = [p.text for p in docx.Document(str(src)).paragraphs]
    out = tmp_path / "供水自评-批注.docx"
    p = run("review", str(src), "--select", "STYLE001,STYLE002", "--annotate", str(out))
    assert p.returncode == 0, p.stderr
    assert src.read_bytes() == before
    d = docx.Document(str(out))
    comments = list(d.comments)
    assert len(comments) == 3
    assert all(c.author == "govlint" and c.initials == "GL" for c in comments)
    covered = {c.comment_id: _covered(d, c.comment_id) for c in comments}
    texts = {c.comment_id: c.text for c in comments}
    by_span = sorted((covered[i], texts[i]) for i in covered)
    assert [s for s, _ in by_span] == [",", "XX", "XX"]
    assert any(t.startswith("1. 【警告】中文语句中使用了半角标点") and "修改建议：，" in t for _, t in by_span)
    # text unchanged, formatting kept on the split pieces
    assert [p.text for p in d.paragraphs] == before_text
    assert d.tables[0].cell(1, 1).text == "完成XX公里，达到年度目标"
    bold = d.paragraphs[2]
    assert all(r.bold for r in bold.runs if r.text)
    assert "".join(r.text for r in bold.runs if r.bold) == bold.text
    mixed = d.paragraphs[3]
    assert [(r.text, bool(r.italic)) for r in mixed.runs if r.text] == [
        ("项目预算安排资金", False), ("X", False), ("X", True), ("万元，已全部拨付到位。", True)]
    # the table-cell comment is anchored inside that cell
    cell_xml = d.tables[0].cell(1, 1)._tc.xml
    assert "commentRangeStart" in cell_xml and "commentRangeEnd" in cell_xml


def test_annotate_refuses_to_overwrite_input(tmp_path):
    src = tmp_path / "r.docx"
    _make_report_docx(src)
    before = src.read_bytes()
    p = run("review", str(src), "--annotate", str(src))
    assert p.returncode == 2 and "不会覆盖" in p.stderr
    p = run("review", str(src), "--annotate", str(tmp_path / "sub" / ".." / "r.docx"))
    assert p.returncode == 2
    assert src.read_bytes() == before


def test_annotate_needs_one_docx(report, tmp_path):
    p = run("review", str(report), "--annotate", str(tmp_path / "x.docx"))
    assert p.returncode == 2 and "docx" in p.stderr
    assert not (tmp_path / "x.docx").exists()


# ----- determinism --------------------------------------------------------------------------------

def test_two_runs_identical(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(REPORT, encoding="utf-8")
    _make_report_docx(src / "b.docx")
    outs = {}
    for n in (1, 2):
        files = [tmp_path / f"o{n}.{ext}" for ext in ("md", "xlsx", "docx", "html")]
        args = ["review", str(src), "--select", SELECT, "-j", "2"]
        for f in files:
            args += ["-o", str(f)]
        assert run(*args).returncode == 0
        ann = tmp_path / f"ann{n}.docx"
        assert run("review", str(src / "b.docx"), "--select", SELECT, "--annotate", str(ann)).returncode == 0
        outs[n] = [f.read_bytes() for f in files] + [ann.read_bytes()]
    assert outs[1] == outs[2]


# ----- batches ----------------------------------------------------------------------------------

def test_batch_overview_ranks_submissions(tmp_path):
    import docx
    import openpyxl
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a-供水.txt").write_text(REPORT, encoding="utf-8")
    (d / "b-改厕.txt").write_text(REPORT2, encoding="utf-8")
    (d / "c-校舍.txt").write_text(REPORT3, encoding="utf-8")
    x, m, w, h = (tmp_path / f"batch.{e}" for e in ("xlsx", "md", "docx", "html"))
    p = run("review", str(d), "--select", SELECT, "-o", str(x), "-o", str(m), "-o", str(w), "-o", str(h))
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames[:2] == ["汇总", "总览"] and len(wb.sheetnames) == 5
    ov = wb["总览"]
    assert ov.freeze_panes == "A2" and ov.auto_filter.ref
    rows = [[c.value for c in r] for r in ov.iter_rows(min_row=2)]
    # c: 2 errors (XX twice) + 2 warnings; a: 1 error + 2 warnings; b: clean
    assert [Path(r[1]).name for r in rows] == ["c-校舍.txt", "a-供水.txt", "b-改厕.txt"]
    assert [r[3] for r in rows] == [2, 1, 0]
    md = m.read_text(encoding="utf-8")
    assert "## 总览" in md and "## 1. 2023年度城区供水管网改造项目绩效自评报告" in md
    assert md.index("c-校舍.txt |") < md.index("a-供水.txt |")
    tables = docx.Document(str(w)).tables
    assert [c.text for c in tables[0].rows[0].cells][:4] == ["排名", "文件", "标题", "错误"]
    html = h.read_text(encoding="utf-8")
    assert 'id="overview"' in html and 'href="#d3"' in html and 'id="d3-i1"' in html


# ----- errors ------------------------------------------------------------------------------------

def test_usage_errors(report, tmp_path):
    assert run("review", str(report)).returncode == 2                                   # no output
    p = run("review", str(report), "-o", str(tmp_path / "x.odt"))
    assert p.returncode == 2 and "不支持的输出格式" in p.stderr
    md_in = tmp_path / "自评.md"
    md_in.write_text(REPORT, encoding="utf-8")
    before = md_in.read_bytes()
    p = run("review", str(md_in), "-o", str(md_in))
    assert p.returncode == 2 and "不会覆盖" in p.stderr
    assert md_in.read_bytes() == before
    p = run("review", str(report), "-o", str(tmp_path / "a.md"), "-o", str(tmp_path / "a.md"))
    assert p.returncode == 2
    p = run("review", str(report), "--select", "NOPE999", "-o", str(tmp_path / "b.md"))
    assert p.returncode == 2 and not (tmp_path / "b.md").exists()


def test_output_inside_reviewed_directory_is_refused(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    _make_report_docx(d / "b.docx")
    before = (d / "b.docx").read_bytes()
    p = run("review", str(d), "-o", str(d / "b.docx"))
    assert p.returncode == 2
    assert (d / "b.docx").read_bytes() == before


def test_bad_input(tmp_path, report):
    out = tmp_path / "o.md"
    p = run("review", str(tmp_path / "missing.txt"), "-o", str(out))
    assert p.returncode == 2 and "文件不存在" in p.stderr
    assert not out.exists()
    # one unreadable input among good ones: the list is written, exit 2, the error listed
    p = run("review", str(report), str(tmp_path / "missing.txt"), "--select", SELECT, "-o", str(out))
    assert p.returncode == 2
    md = out.read_text(encoding="utf-8")
    assert "无法读取的文件" in md and "missing.txt" in md


def test_review_lists_in_the_reviewed_directory_can_be_rewritten(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_text(REPORT, encoding="utf-8")
    outs = [d / "审核意见表.md", d / "审核意见表.docx", d / "审核意见表.xlsx"]
    args = ["review", str(d)] + [x for o in outs for x in ("-o", str(o))]
    first = run(*args)
    assert first.returncode == 0, first.stderr
    snap = [o.read_bytes() for o in outs]
    second = run(*args)
    assert second.returncode == 0, second.stderr
    assert [o.read_bytes() for o in outs] == snap      # the lists were not reviewed as reports
    from helpers import run_cli
    p = run_cli("check", str(d), "--format", "json")
    import json
    assert json.loads(p.stdout_text)["summary"]["checked"] == 1


def test_markdown_list_items_stay_lists_past_nine(tmp_path):
    from govlint.output import review_md
    text = "\n".join(f"第{i}段[bookmark: _Ref{i}]内容有误。" for i in range(1, 13))
    f = tmp_path / "r.txt"
    f.write_text("2023年度项目绩效自评报告\n" + text + "\n", encoding="utf-8")
    out = tmp_path / "r.md"
    assert run("review", str(f), "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("10. "))
    assert lines[i + 1].startswith("    - 位置")
    assert review_md is not None


def test_html_overlapping_findings_each_reachable_from_the_text(tmp_path):
    """Several findings on one span: every comment has a link in the text, not only the first."""
    import re as _re
    f = tmp_path / "r.txt"
    f.write_text("2023年度项目绩效自评报告\n一、项目概况\n（一）基本情况\n内容。\n（2） 目标\n内容。\n八、其他需说明的问题\n",
                 encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("review", str(f), "-o", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    text_part = html[html.index('<div class="text">'):]
    n = len(_re.findall(r'<li[^>]*id="d1-i\d+"', html)) or html.count('id="d1-i')
    linked = set(_re.findall(r'href="#d1-i(\d+)"', text_part))
    assert n >= 2 and len(linked) == n, (n, linked)


def test_review_list_says_the_file_was_converted():
    """A .doc/.wps report is read after LibreOffice converted it: every review format's summary
    says so (positions are paragraphs of the converted document); a file read as is does not."""
    from govlint import runner
    from govlint.config import Config
    from govlint.document import Document
    from govlint.output import review_model as rm
    doc = Document.from_text(REPORT, "r.doc")
    doc.meta.converted_from = ".doc"
    r = runner.lint_document_result(doc, Config(), set(SELECT.split(",")))
    rows = dict(rm.summary_rows(rm.build([r]).documents[0]))
    assert ".doc" in rows["文件转换"] and "LibreOffice" in rows["文件转换"]
    plain, _ = _review_of(REPORT)
    assert "文件转换" not in dict(rm.summary_rows(plain.documents[0]))
    from govlint.output.review_md import render_review
    assert "文件转换" in render_review(rm.build([r]))
