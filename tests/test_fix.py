"""Fixes: the model, round trips over every fixable fixture case, and ``govlint fix``."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from fixture_cases import all_cases
from govlint import fixing
from govlint.config import Config
from govlint.document import Document
from govlint.engine import lint
from govlint.finding import Edit, Finding, Fix, Severity
from helpers import make_docx, run_cli, unavailable

ROOT = Path(__file__).resolve().parent.parent


def _lint(text: str, kind: str = "txt", profile: str = "auto"):
    return lint(Document.from_text(text, path=f"f.{kind}", kind=kind), Config(profile=profile))


def _fixable_cases():
    out = []
    for case in all_cases():
        kind = case.settings.get("kind", "txt")
        found = _lint(case.text, kind, case.settings.get("profile", "auto"))
        if any(f.fix for f in found):
            out.append(case)
    return out


FIXABLE = _fixable_cases()


def test_fixable_rules_are_covered():
    codes = {f.code for c in FIXABLE for f in _lint(c.text, c.settings.get("kind", "txt")) if f.fix}
    assert {"STYLE001", "STYLE004", "STRUCT001", "STYLE005", "STYLE006", "STYLE007", "STYLE008", "STYLE009",
            "GOV100"} <= codes | {"GOV100"}, codes


@pytest.mark.parametrize("case", FIXABLE, ids=[c.id for c in FIXABLE])
def test_each_fix_round_trips(case):
    """Fixing one finding removes it and adds no finding anywhere."""
    kind = case.settings.get("kind", "txt")
    profile = case.settings.get("profile", "auto")
    before = _lint(case.text, kind, profile)
    for f in before:
        if not f.fix:
            continue
        fixed = fixing.apply(case.text, f.fix.edits)
        assert fixed != case.text, f"{f.code}: the fix changes nothing"
        after = _lint(fixed, kind, profile)
        counts_before = Counter(g.code for g in before)
        counts_after = Counter(g.code for g in after)
        for code, n in counts_after.items():
            assert n <= counts_before[code], f"fixing {f.code} ({f.message}) added a {code} finding: {fixed!r}"
        assert counts_after[f.code] < counts_before[f.code] or not any(
            g.message == f.message for g in after), f"{f.code} still reported after its fix: {fixed!r}"


@pytest.mark.parametrize("sample", sorted((ROOT / "corpora").glob("*.txt")) + sorted((ROOT / "corpora").glob("*.md")),
                         ids=lambda p: p.name)
def test_fixing_twice_changes_nothing(sample):
    from govlint.readers import read_path
    doc = read_path(sample)
    cfg = Config()

    def relint(text):
        return lint(Document(doc.path, text, doc.kind), cfg)

    once, _, left = fixing.fix_text(doc, relint, unsafe=True)
    twice, applied, _ = fixing.fix_text(Document(doc.path, once, doc.kind), relint, unsafe=True)
    assert twice == once and applied == 0
    assert not [f for f in left if f.fix and f.fix.safety == "safe"], "a safe fix was left unapplied"


def test_overlapping_fixes_wait_for_the_next_pass():
    def finding(a, b, text, safety="safe", code="STYLE001"):
        return Finding(code, Severity.WARNING, a, b, "m", fix=Fix((Edit(a, b, text),), safety))
    first, overlap, later, unsafe = (finding(0, 3, "x"), finding(2, 4, "y"), finding(5, 6, "z"),
                                     finding(7, 8, "w", "unsafe"))
    taken, waiting = fixing.choose([later, overlap, first, unsafe])
    assert taken == [first, later] and waiting == [overlap]
    taken, _ = fixing.choose([unsafe], unsafe=True)
    assert taken == [unsafe]
    assert fixing.apply("abcdefghij", [Edit(0, 3, "x"), Edit(5, 6, "z")]) == "xdezghij"


def test_heading_ladder_renumbered_only_when_unsafe():
    text = "一、项目概况\n内容。\n二、项目实施\n内容。\n四、资金使用\n内容。\n五、绩效指标\n内容。\n六、问题\n内容。\n"
    found = [f for f in _lint(text) if f.code == "STRUCT001"]
    assert len(found) == 1 and found[0].fix.safety == "unsafe"
    assert [e.text for e in found[0].fix.edits] == ["三、", "四、", "五、"]
    doc = Document.from_text(text, path="f.txt")
    relint = lambda t: _lint(t)  # noqa: E731
    safe_only, applied, _ = fixing.fix_text(doc, relint, unsafe=False)
    assert "四、资金使用" in safe_only
    fixed, _, left = fixing.fix_text(doc, relint, unsafe=True)
    assert "三、资金使用" in fixed and "四、绩效指标" in fixed and "五、问题" in fixed
    assert not [f for f in left if f.code == "STRUCT001"]


FAULTY = "2023年度项目绩效自评报告\n一、项目概况\n（一）基本情况\n项目资金(中央补助)已全部到位,执行率100%。\n（2）目标\n内容。\n"


def test_fix_writes_a_new_file_and_leaves_the_input(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(FAULTY, encoding="utf-8")
    before = src.read_bytes()
    p = run_cli("fix", "r.txt", cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text
    assert src.read_bytes() == before
    out = (tmp_path / "r.fixed.txt").read_text(encoding="utf-8")
    assert "项目资金（中央补助）已全部到位，执行率100%。" in out and "（二）目标" in out
    assert "已修复" in p.stderr_text
    # the fixed copy has nothing left to fix, and an identical rerun is accepted as up to date
    again = run_cli("fix", "r.fixed.txt", "--diff", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout_text == ""
    rerun = run_cli("fix", "r.txt", cwd=tmp_path)
    assert rerun.returncode == 0 and "已是最新" in rerun.stderr_text


def test_fix_never_replaces_a_file_it_did_not_write(tmp_path):
    (tmp_path / "r.txt").write_text(FAULTY, encoding="utf-8")
    mine = tmp_path / "r.fixed.txt"
    mine.write_text("我自己的文件", encoding="utf-8")
    p = run_cli("fix", "r.txt", cwd=tmp_path)
    assert p.returncode == 2 and "不会覆盖" in p.stderr_text
    assert mine.read_text(encoding="utf-8") == "我自己的文件"


def test_diff_prints_and_writes_nothing(tmp_path):
    (tmp_path / "r.txt").write_text(FAULTY, encoding="utf-8")
    p = run_cli("fix", "r.txt", "--diff", cwd=tmp_path)
    assert p.returncode == 0
    assert "-项目资金(中央补助)已全部到位,执行率100%。" in p.stdout_text
    assert "+项目资金（中央补助）已全部到位，执行率100%。" in p.stdout_text
    assert sorted(x.name for x in tmp_path.iterdir()) == ["r.txt"]


@pytest.mark.parametrize("encoding,bom,newline", [("utf-8", b"", "\n"), ("utf-8", b"\xef\xbb\xbf", "\r\n"),
                                                  ("gb18030", b"", "\r\n"), ("utf-16-le", b"\xff\xfe", "\n")])
def test_write_in_place_keeps_encoding_and_line_ends(tmp_path, encoding, bom, newline):
    src = tmp_path / "r.txt"
    src.write_bytes(bom + FAULTY.replace("\n", newline).encode(encoding))
    p = run_cli("fix", "r.txt", "--write", cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text
    data = src.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom):].decode(encoding)
    assert "执行率100%。" in text and "已全部到位，" in text
    assert text.count(newline) == FAULTY.count("\n")
    assert [x.name for x in tmp_path.iterdir()] == ["r.txt"], "no temporary file is left behind"


def test_write_refuses_when_the_file_changed_meanwhile(tmp_path, monkeypatch):
    from govlint.commands import fix as fixcmd
    src = tmp_path / "r.txt"
    src.write_text(FAULTY, encoding="utf-8")
    real = fixing.fix_text

    def meddling(doc, lint_text, unsafe=False):
        out = real(doc, lint_text, unsafe)
        src.write_text(FAULTY + "另一人刚加的一行。\n", encoding="utf-8")
        return out
    monkeypatch.setattr(fixing, "fix_text", meddling)
    with pytest.raises(fixcmd.FixError, match="已被修改"):
        fixcmd.fix_one(str(src), Config(), unsafe=False, write=True, show_diff=False, author="x")
    assert src.read_text(encoding="utf-8").endswith("另一人刚加的一行。\n")


def _docx_report(path: Path) -> Path:
    make_docx(path, ["2023年度农村公路养护项目绩效自评报告", "一、项目概况",
                     "项目资金(省级补助)已全部到位,执行率100%。", "（一）基本情况", "（2）绩效目标",
                     "完成养护里程126公里 。"],
              table=[["指标", "目标值"], ["养护里程(公里)", "126"]])
    import docx
    d = docx.Document(str(path))
    para = d.paragraphs[2]
    # the flagged commas sit in runs of their own formatting: the fix must split runs correctly
    para.text = ""
    for piece, bold in (("项目资金(省级补", False), ("助)已全部到位,执", True), ("行率100%。", False)):
        para.add_run(piece).bold = bold
    d.save(str(path))
    return path


def _accept_all(data: bytes) -> str:
    from govlint.output.tracked_changes import accepted_text
    return accepted_text(data)


def test_docx_fixes_are_tracked_changes_and_accepting_them_gives_the_diff(tmp_path):
    from govlint.readers import read_path
    src = _docx_report(tmp_path / "r.docx")
    before = src.read_bytes()
    p = run_cli("fix", "r.docx", "--unsafe", "--author", "张审核", cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text
    assert src.read_bytes() == before
    out = (tmp_path / "r.fixed.docx").read_bytes()
    xml = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:ins ") >= 3 and xml.count("<w:del ") >= 3 and 'w:author="张审核"' in xml
    assert "<w:delText xml:space=\"preserve\">(</w:delText>" in xml
    # the run split at the edit keeps its formatting: the bold "）" is inserted bold
    import re
    ins = re.search(r"<w:ins [^>]*>((?:(?!</w:ins>).)*?）(?:(?!</w:ins>).)*)</w:ins>", xml)
    assert ins and "<w:b/>" in ins.group(1)
    doc = read_path(src)
    edits = fixing.edits_of(fixing.choose(lint(doc, Config()), unsafe=True)[0])
    expected = fixing.apply(doc.text, edits)
    assert _accept_all(out) == expected
    d = run_cli("fix", "r.docx", "--unsafe", "--diff", cwd=tmp_path)
    assert d.stdout_text == fixing.diff("r.docx", doc.text, expected)
    assert "项目资金（省级补助）已全部到位，执行率100%。" in expected and "（二）绩效目标" in expected


def test_docx_tracked_changes_open_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        unavailable("LibreOffice (soffice) is not installed")
    _docx_report(tmp_path / "r.docx")
    assert run_cli("fix", "r.docx", cwd=tmp_path).returncode == 0
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "odt",
                    "--outdir", str(tmp_path / "odt"), str(tmp_path / "r.fixed.docx")],
                   capture_output=True, timeout=180, check=True)
    content = zipfile.ZipFile(tmp_path / "odt" / "r.fixed.odt").read("content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content
    assert content.count("<text:deletion>") >= 3 and content.count("<text:insertion>") >= 3
    assert "<dc:creator>govlint</dc:creator>" in content


def test_pdf_and_folders(tmp_path):
    (tmp_path / "a.txt").write_text(FAULTY, encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n")
    p = run_cli("fix", str(tmp_path))
    assert p.returncode == 0, p.stderr_text
    assert (tmp_path / "a.fixed.txt").exists() and "跳过 1 个" in p.stderr_text
    # a second run over the folder does not fix the copies it wrote
    p = run_cli("fix", str(tmp_path))
    assert p.returncode == 0 and not (tmp_path / "a.fixed.fixed.txt").exists()
    named = run_cli("fix", str(tmp_path / "b.pdf"))
    assert named.returncode == 2


def test_fixes_in_json_and_sarif(tmp_path):
    (tmp_path / "r.txt").write_text(FAULTY, encoding="utf-8")
    js = json.loads(run_cli("check", "r.txt", "--format", "json", "--select", "STYLE001", cwd=tmp_path).stdout_text)
    fixes = [f["fix"] for f in js["findings"]]
    assert fixes and all(fx["safety"] == "safe" for fx in fixes)
    assert {e["text"] for fx in fixes for e in fx["edits"]} == {"（", "）", "，"}
    sarif = json.loads(run_cli("check", "r.txt", "--format", "sarif", "--select", "STYLE001", cwd=tmp_path).stdout_text)
    results = sarif["runs"][0]["results"]
    reps = [rep for r in results for ch in r["fixes"][0]["artifactChanges"] for rep in ch["replacements"]]
    assert len(reps) == len(results)
    assert all(rep["deletedRegion"]["endColumn"] == rep["deletedRegion"]["startColumn"] + 1 for rep in reps)


def test_a_reference_to_a_renumbered_heading_is_reported(tmp_path):
    text = ("一、项目概况\n内容。\n二、项目实施\n资金使用情况详见第四部分。\n四、资金使用\n内容。\n五、绩效指标\n内容。\n")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    p = run_cli("fix", "r.txt", "--unsafe", cwd=tmp_path)
    assert p.returncode == 0, p.stderr_text
    assert "r.txt:4: 注意：此处引用的标题已重新编号" in p.stderr_text
    fixed = (tmp_path / "r.fixed.txt").read_text(encoding="utf-8")
    assert "三、资金使用" in fixed and "详见第四部分" in fixed      # reported, never rewritten
    quiet = run_cli("fix", "r.txt", "--diff", cwd=tmp_path)          # safe mode renumbers nothing
    assert "注意" not in quiet.stderr_text
