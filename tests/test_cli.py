"""The command line: exit codes, bad input, formats, configuration, stdin."""

from __future__ import annotations

import json

import pytest

from helpers import CLEAN, REPORT, make_docx, run_cli, unavailable


@pytest.fixture
def reports(tmp_path):
    (tmp_path / "bad.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_findings_exit_1_with_positions(reports):
    p = run_cli("check", str(reports / "bad.txt"), "--select", "STRUCT,STYLE", "--no-color")
    assert p.returncode == 1, p.stderr_text
    out = p.stdout_text
    assert f"{reports / 'bad.txt'}:5:1: STRUCT001" in out
    assert "建议：（二）" in out
    assert "STRUCT003" in out and "五、其他需说明的问题" in out
    assert "STYLE001" in out and "^" in out
    assert "共检查 1 个文件" in out


def test_clean_report_exit_0(reports):
    p = run_cli("check", str(reports / "clean.txt"), "--select", "STRUCT,STYLE")
    assert p.returncode == 0, p.stdout_text
    assert "未发现问题" in p.stdout_text


def test_fail_on_controls_exit_code(reports):
    assert run_cli("check", str(reports / "bad.txt"), "--select", "STRUCT001", "--fail-on", "error").returncode == 0
    assert run_cli("check", str(reports / "bad.txt"), "--select", "STRUCT001", "--fail-on", "never").returncode == 0
    assert run_cli("check", str(reports / "bad.txt"), "--select", "STRUCT001").returncode == 1


def test_json_schema(reports):
    p = run_cli("check", str(reports), "--format", "json", "--select", "STRUCT,STYLE")
    data = json.loads(p.stdout_text)
    assert set(data) == {"findings", "summary"}
    f = next(f for f in data["findings"] if f["code"] == "STRUCT001")
    for key in ("path", "code", "severity", "line", "column", "end_line", "end_column", "message",
                "suggestion", "related"):
        assert key in f
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (5, 1, 5, 4)
    assert f["suggestion"] == "（二）"
    assert data["summary"]["checked"] == 2
    assert data["summary"]["warning"] >= 1
    related = [r for f in data["findings"] for r in f["related"]]
    for r in related:
        assert {"path", "line", "column", "end_line", "end_column"} <= set(r)


def test_github_format(reports):
    p = run_cli("check", str(reports / "bad.txt"), "--format", "github", "--select", "STRUCT001")
    assert p.stdout_text.startswith("::warning file=")
    assert ",line=5,col=1,endLine=5,endColumn=4,title=STRUCT001::" in p.stdout_text


def test_sarif_format(reports):
    p = run_cli("check", str(reports / "bad.txt"), "--format", "sarif")
    sarif = json.loads(p.stdout_text)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "STRUCT001" in ids and ids == sorted(ids)
    res = next(r for r in run["results"] if r["ruleId"] == "STRUCT001")
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert ids[res["ruleIndex"]] == "STRUCT001"
    assert res["partialFingerprints"]["govlint/v1"]


def test_stdin_with_filename(reports):
    p = run_cli("check", "-", "--stdin-filename", "报告.txt", "--select", "STRUCT001", "--format", "json",
                input=REPORT.encode("gb18030"))
    data = json.loads(p.stdout_text)
    assert data["findings"] and all(f["path"] == "报告.txt" for f in data["findings"])
    assert p.returncode == 1


def _w(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("setup,needle", [
    (lambda d: d / "missing.txt", "文件不存在"),
    (lambda d: _w(d / "empty.txt", b""), "文件为空"),
    (lambda d: _w(d / "bin.txt", b"\x00\x01\x02\x03binary"), "二进制"),
    (lambda d: _w(d / "broken.docx", b"PK\x03\x04not really a zip"), "损坏"),
    (lambda d: _w(d / "enc.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
     "密码保护"),
    (lambda d: _w(d / "report.rtf", b"x"), "不支持的文件类型"),
    (lambda d: _w(d / "latin.txt", bytes(range(0x80, 0x100)) * 20), "编码"),
    (lambda d: _w(d / "broken.pdf", b"%PDF-1.4 garbage"), "PDF"),
])
def test_bad_input_is_one_line_error_and_others_still_checked(reports, setup, needle):
    bad = setup(reports)
    p = run_cli("check", str(bad), str(reports / "bad.txt"), "--select", "STRUCT001", "--no-source")
    assert p.returncode == 2
    errors = [line for line in p.stderr_text.splitlines() if line.strip()]
    assert len(errors) == 1 and str(bad) in errors[0] and needle in errors[0], p.stderr_text
    assert "Traceback" not in p.stderr_text
    assert "STRUCT001" in p.stdout_text      # the good file was still checked


def test_directory_without_reports_is_an_error(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    p = run_cli("check", str(tmp_path))
    assert p.returncode == 2 and "没有可检查的报告" in p.stderr_text


def test_directory_recursion_and_docx_paragraph_lines(tmp_path):
    sub = tmp_path / "2023"
    sub.mkdir()
    make_docx(sub / "r.docx", ["2023年度项目绩效自评报告", "一、项目概况", "（一）基本情况", "内容。", "（2） 目标"],
              table=[["指标", "完成值"], ["完成率", "100%"]])
    p = run_cli("check", str(tmp_path), "--select", "STRUCT001", "--format", "json")
    data = json.loads(p.stdout_text)
    assert [(f["line"], f["column"]) for f in data["findings"]] == [(5, 1)]


def test_unknown_rule_code_is_usage_error(reports):
    p = run_cli("check", str(reports / "bad.txt"), "--select", "NOPE999")
    assert p.returncode == 2 and "未知的规则代码" in p.stderr_text


def test_usage_error_exit_2():
    assert run_cli("check").returncode == 2
    assert run_cli("check", "x.txt", "--format", "yaml").returncode == 2


def test_config_file_select_severity_and_cli_override(reports):
    (reports / "govlint.toml").write_text(
        'select = ["STRUCT"]\nignore = ["STRUCT003"]\n[severity]\nSTRUCT001 = "error"\n', encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"), "--format", "json")
    codes = {f["code"] for f in json.loads(p.stdout_text)["findings"]}
    sev = {f["severity"] for f in json.loads(p.stdout_text)["findings"] if f["code"] == "STRUCT001"}
    assert codes == {"STRUCT001"} and sev == {"error"}
    p = run_cli("check", str(reports / "bad.txt"), "--format", "json", "--select", "STYLE001")
    assert {f["code"] for f in json.loads(p.stdout_text)["findings"]} == {"STYLE001"}


def test_pyproject_config_and_per_file_ignores(reports):
    (reports / "pyproject.toml").write_text(
        '[tool.govlint]\nselect = ["STRUCT", "STYLE"]\n[tool.govlint.per-file-ignores]\n"bad.txt" = ["STYLE"]\n',
        encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"), "--format", "json")
    codes = {f["code"] for f in json.loads(p.stdout_text)["findings"]}
    assert codes and not any(c.startswith("STYLE") for c in codes)


@pytest.mark.parametrize("body,needle", [
    ('selcet = ["STRUCT"]\n', "selcet"),
    ('select = ["NOPE"]\n', "NOPE"),
    ('[severity]\nSTRUCT001 = "loud"\n', "severity.STRUCT001"),
    ('[options.STRUCT003]\nlevelz = 1\n', "options.STRUCT003.levelz"),
    ('[options.STRUCT003]\nlevels = "two"\n', "options.STRUCT003.levels"),
    ('fail-on = "sometimes"\n', "fail-on"),
    ('select = [\n', "TOML"),
])
def test_bad_config_is_exit_2_naming_the_key(reports, body, needle):
    (reports / "govlint.toml").write_text(body, encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"))
    assert p.returncode == 2, p.stdout_text
    assert needle in p.stderr_text and "govlint.toml" in p.stderr_text
    assert "Traceback" not in p.stderr_text


def test_explicit_config_option(reports, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text('select = ["STYLE001"]\n', encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"), "--config", str(other), "--format", "json")
    assert {f["code"] for f in json.loads(p.stdout_text)["findings"]} == {"STYLE001"}


def test_rules_and_explain():
    p = run_cli("rules")
    assert p.returncode == 0 and "STRUCT001" in p.stdout_text and "heading-numbering" in p.stdout_text
    assert "标题序号错误" in p.stdout_text      # the Chinese title beside the code and the slug
    p = run_cli("explain", "struct001")
    assert p.returncode == 0 and "为什么重要" in p.stdout_text and "⟦" in p.stdout_text
    assert "Why:" not in p.stdout_text and "Official documents" not in p.stdout_text   # prose in Chinese
    assert run_cli("explain", "XYZ001").returncode == 2


def test_output_file_is_new_path(reports):
    out = reports / "out.json"
    p = run_cli("check", str(reports / "bad.txt"), "--format", "json", "-o", str(out))
    assert p.stdout_text == "" and json.loads(out.read_text(encoding="utf-8"))["findings"]


def test_version():
    p = run_cli("--version")
    assert p.returncode == 0 and p.stdout_text.startswith("govlint ")


def test_progress_bar_on_a_terminal_only(reports, tmp_path):
    import shutil
    import subprocess
    import sys
    piped = run_cli("check", str(reports), "--select", "STRUCT001")
    assert "检查中" not in piped.stderr_text
    if shutil.which("script") is None:
        unavailable("util-linux script(1) is needed to give govlint a terminal")
    log = tmp_path / "tty.log"
    cmd = f"{sys.executable} -m govlint check {reports} --select STRUCT001 --jobs 1"
    subprocess.run(["script", "-qec", cmd, str(log)], capture_output=True, timeout=300)
    assert "检查中" in log.read_text(encoding="utf-8", errors="replace")


def test_output_may_not_be_an_input(reports):
    target = reports / "bad.txt"
    before = target.read_bytes()
    p = run_cli("check", str(target), "-o", str(target))
    assert p.returncode == 2 and "不能是被检查的文件" in p.stderr_text
    assert target.read_bytes() == before


def test_output_inside_a_checked_directory_is_not_linted(reports):
    out = reports / "findings.txt"
    for _ in range(2):     # the second run overwrites govlint's own file and does not lint it
        p = run_cli("check", str(reports), "--select", "STRUCT001", "--no-source", "-o", str(out))
        assert p.returncode == 1, p.stderr_text
        assert "共检查 2 个文件" in out.read_text(encoding="utf-8")


def test_existing_user_file_is_never_overwritten(reports):
    notes = reports / "notes.md"
    notes.write_text("我的笔记", encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"), "-o", str(notes))
    assert p.returncode == 2 and "不会覆盖" in p.stderr_text
    assert notes.read_text(encoding="utf-8") == "我的笔记"


def test_same_file_named_twice_is_checked_once(reports):
    p = run_cli("check", str(reports / "bad.txt"), str(reports), "--select", "STRUCT001", "--format", "json")
    assert json.loads(p.stdout_text)["summary"]["checked"] == 2


def test_config_exclude_and_cli_ignore_extends(reports):
    (reports / "archive").mkdir()
    (reports / "archive" / "old.txt").write_text(REPORT, encoding="utf-8")
    (reports / "govlint.toml").write_text('exclude = ["archive"]\nignore = ["STYLE003"]\n', encoding="utf-8")
    p = run_cli("check", str(reports), "--format", "json", "--ignore", "STYLE004")
    data = json.loads(p.stdout_text)
    assert data["summary"]["checked"] == 2
    assert not {"STYLE003", "STYLE004"} & {f["code"] for f in data["findings"]}
    # a file named explicitly is checked even when excluded
    p = run_cli("check", str(reports / "archive" / "old.txt"), "--format", "json")
    assert json.loads(p.stdout_text)["summary"]["checked"] == 1


def test_ignore_all_and_empty_select(reports):
    p = run_cli("check", str(reports / "bad.txt"), "--ignore", "ALL")
    assert p.returncode == 0 and "未发现问题" in p.stdout_text
    p = run_cli("check", str(reports / "bad.txt"), "--select", "ALL", "--ignore", "ALL", "--extend-select", "STRUCT001")
    assert p.returncode == 1
    assert run_cli("check", str(reports / "bad.txt"), "--select", "").returncode == 2


@pytest.mark.parametrize("lexicon,needle", [
    ('[meta]\nsource = "x"\n', "extends"),
    ('[meta]\nextends = "nope"\n', "nope"),
    ('[meta]\nextends = "leftovers"\n[[patterns]]\nkind = "residue"\npattern = "(unclosed"\nmessage = "x"\n',
     "正则表达式"),
])
def test_bad_lexicon_extension_is_a_config_error(reports, lexicon, needle):
    (reports / "extra.toml").write_text(lexicon, encoding="utf-8")
    (reports / "govlint.toml").write_text('lexicons = ["extra.toml"]\n', encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"))
    assert p.returncode == 2 and needle in p.stderr_text and "lexicons" in p.stderr_text
    assert "内部错误" not in p.stderr_text


def test_option_out_of_range_and_fail_on_never_in_config(reports):
    (reports / "govlint.toml").write_text('[options.STYLE001]\ncollapse_after = 0\n', encoding="utf-8")
    assert run_cli("check", str(reports / "bad.txt")).returncode == 2
    (reports / "govlint.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    p = run_cli("check", str(reports / "bad.txt"))
    assert p.returncode == 0 and "STRUCT001" in p.stdout_text


def test_sarif_uri_is_percent_encoded(tmp_path):
    (tmp_path / "名字 有空格.txt").write_text(REPORT, encoding="utf-8")
    p = run_cli("check", "名字 有空格.txt", "--format", "sarif", "--select", "STRUCT001", cwd=tmp_path)
    res = json.loads(p.stdout_text)["runs"][0]["results"][0]
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    from urllib.parse import unquote
    assert " " not in uri and unquote(uri) == "名字 有空格.txt"


def test_readme_configuration_example_is_valid(tmp_path):
    """The [tool.govlint] example in the README parses without errors."""
    import re as _re
    from pathlib import Path
    from govlint import config
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in _re.findall(r"```toml\n(.*?)```", readme, _re.S) if "[tool.govlint]" in b)
    (tmp_path / "pyproject.toml").write_text(block, encoding="utf-8")
    (tmp_path / "govlint-lexicons").mkdir()
    (tmp_path / "govlint-lexicons" / "extra-vague.toml").write_text(
        '[meta]\nextends = "vague"\nsource = "test"\n', encoding="utf-8")
    cfg = config.load_file(tmp_path / "pyproject.toml")
    assert cfg.select and cfg.ignore == ("STYLE004",) and cfg.jobs == 2
    assert cfg.options_for("DUP001") == {"threshold": 0.9}


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_a_large_findings_file_govlint_wrote_is_recognised_as_its_own(tmp_path, fmt):
    """Over 1 MB of findings (a bureau's archive): still govlint's own output, so the next run
    may replace it; the same bytes with the end cut off are not."""
    from govlint.engine import lint
    from govlint.guard import govlint_made
    from govlint.output import render
    from govlint.readers import read_path
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    one = read_path(str(path))
    findings = lint(one)
    assert findings
    from govlint.runner import FileResult
    results = [FileResult(f"reports/{i:05d}.txt", findings, document=one) for i in range(2000)]
    out = tmp_path / f"findings.{fmt}"
    out.write_text(render(fmt, results, show_source=True, signed=True), encoding="utf-8")  # as -o writes
    assert out.stat().st_size > 1 << 20
    assert govlint_made(out)
    cut = tmp_path / f"cut.{fmt}"
    cut.write_bytes(out.read_bytes()[: out.stat().st_size - 200])
    assert not govlint_made(cut)


@pytest.mark.parametrize("content", ['{"runs": [1]}', '{"runs": [{"tool": "x"}]}', '{"runs": "x"}', "[1, 2]"])
def test_a_json_file_of_another_shape_is_not_mistaken_for_findings(tmp_path, content):
    from govlint.guard import govlint_made
    path = tmp_path / "other.sarif"
    path.write_text(content, encoding="utf-8")
    assert govlint_made(path) is False


def test_statistics_counts_per_rule_and_per_file(reports):
    p = run_cli("check", str(reports), "--statistics", "--select", "STRUCT,STYLE", "--no-color")
    assert p.returncode == 1, p.stderr_text
    out = p.stdout_text
    full = run_cli("check", str(reports / "bad.txt"), "--format", "json", "--select", "STRUCT,STYLE")
    by_code = json.loads(full.stdout_text)["summary"]["by_code"]
    assert by_code
    for code, n in by_code.items():
        assert any(line.split()[:2] == [str(n), code] for line in out.splitlines()), (code, n, out)
    assert f"{reports / 'bad.txt'}：错误" in out and "clean.txt：" not in out   # files with findings only
    assert "^" not in out and "建议：" not in out                               # counts, not findings
    assert "共检查 2 个文件" in out


def test_rules_in_each_format():
    sarif = json.loads(run_cli("rules", "--format", "sarif").stdout_text)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"STRUCT001", "GOV100"} and sarif["runs"][0]["results"] == []
    assert json.loads(run_cli("rules", "--format", "json").stdout_text)
    bad = run_cli("rules", "--format", "github")
    assert bad.returncode == 2


def test_force_exclude_applies_exclude_to_named_files(reports):
    (reports / "drafts").mkdir()
    (reports / "drafts" / "d.txt").write_text(REPORT, encoding="utf-8")
    (reports / "govlint.toml").write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    named = run_cli("check", "drafts/d.txt", "--select", "STRUCT", cwd=reports)
    assert named.returncode == 1                                   # named files are checked by default
    forced = run_cli("check", "drafts/d.txt", "bad.txt", "--select", "STRUCT", "--force-exclude", cwd=reports)
    assert forced.returncode == 1 and "drafts/d.txt" not in forced.stdout_text and "bad.txt" in forced.stdout_text
    alone = run_cli("check", "drafts/d.txt", "--force-exclude", cwd=reports)
    assert alone.returncode == 0 and "共检查 0 个文件" in alone.stdout_text
