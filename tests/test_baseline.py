"""Baselines: ``govlint baseline`` records findings, ``check --baseline`` reports only new ones."""

import json

import pytest
from typer.testing import CliRunner

from govlint import baseline, runner
from govlint.cli import app

HEAD = "某区文化馆2024年度免费开放项目支出绩效自评报告\n\n"
OLD = "一、项目基本情况\n全年举办公益讲座36场,服务群众5200人次。\n\n"
INSERTED = "场馆全年开放312天，未发生安全责任事故。\n\n"
NEW = "群众满意度调查共回收问卷600份;满意率为96%。\n"


def run(*args):
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def codes(path, *extra):
    rc, out, err = run("check", str(path), "-f", "json", "--no-progress", "-j", "1", *extra)
    assert rc in (0, 1), err
    return rc, json.loads(out)["findings"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    report = tmp_path / "reports" / "wenhuaguan.txt"
    report.write_text(HEAD + OLD, encoding="utf-8")
    return tmp_path, report


def test_baseline_suppresses_recorded_findings(repo):
    root, report = repo
    rc, before = codes(report)
    assert rc == 1 and any(f["code"] == "STYLE001" for f in before)
    rc, out, err = run("baseline", "reports", "-o", "govlint-baseline.json", "-j", "1")
    assert rc == 0, err
    data = json.loads((root / "govlint-baseline.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in data["findings"]} == {"reports/wenhuaguan.txt"}
    assert len(data["findings"]) == len(before)
    rc, after = codes(report, "--baseline", "govlint-baseline.json")
    assert rc == 0 and after == []


def test_inserting_a_paragraph_above_does_not_resurrect(repo):
    root, report = repo
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    report.write_text(HEAD + INSERTED + OLD, encoding="utf-8")
    rc, plain = codes(report)
    comma = [f for f in plain if f["code"] == "STYLE001"]
    assert comma and comma[0]["line"] == 6          # the finding moved two lines down
    rc, after = codes(report, "--baseline", "base.json")
    assert rc == 0 and after == []


def test_new_problem_is_reported(repo):
    root, report = repo
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    report.write_text(HEAD + INSERTED + OLD + NEW, encoding="utf-8")
    rc, after = codes(report, "--baseline", "base.json")
    assert rc == 1
    assert [(f["code"], f["line"]) for f in after] == [("STYLE001", 8)]
    assert "“;”" in after[0]["message"]
    # the text format shows it too, and the exit code says "new problems"
    rc, out, err = run("check", str(report), "--baseline", "base.json", "--no-progress", "--no-color")
    assert rc == 1 and "STYLE001" in out and "满意率" in out


def test_a_repeated_sentence_is_counted(repo):
    root, report = repo
    dup = "全年举办公益讲座36场,服务群众5200人次。\n\n"
    report.write_text(HEAD + OLD + dup, encoding="utf-8")
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    report.write_text(HEAD + OLD + dup + dup, encoding="utf-8")
    rc, after = codes(report, "--baseline", "base.json")
    assert rc == 1 and [f["code"] for f in after] == ["STYLE001"]


def test_paths_are_relative_to_the_baseline_file(repo, tmp_path_factory, monkeypatch):
    root, report = repo
    rc, out, err = run("baseline", "reports", "-o", "ci/base.json")     # ci/ does not exist yet
    assert rc == 2 and "无法写入" in err
    (root / "ci").mkdir()
    assert run("baseline", "reports", "-o", "ci/base.json")[0] == 0
    data = json.loads((root / "ci" / "base.json").read_text(encoding="utf-8"))
    assert {e["path"] for e in data["findings"]} == {"../reports/wenhuaguan.txt"}
    # checked from elsewhere with an absolute path: still matched
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    rc, after = codes(report.resolve(), "--baseline", str(root / "ci" / "base.json"))
    assert rc == 0 and after == []
    # a different file with the same text is not covered
    other = root / "reports" / "copy.txt"
    other.write_text(report.read_text(encoding="utf-8"), encoding="utf-8")
    rc, after = codes(other, "--baseline", str(root / "ci" / "base.json"))
    assert rc == 1 and after


def test_missing_or_corrupt_baseline_is_a_usage_error(repo):
    root, report = repo
    rc, out, err = run("check", str(report), "--baseline", "nope.json")
    assert rc == 2 and "基线文件不存在" in err and len(err.strip().splitlines()) == 1
    (root / "broken.json").write_text("{\"govlint_baseline\": 1, \"findings\": [", encoding="utf-8")
    rc, out, err = run("check", str(report), "--baseline", "broken.json")
    assert rc == 2 and "已损坏" in err and len(err.strip().splitlines()) == 1
    (root / "other.json").write_text("{\"results\": []}", encoding="utf-8")
    rc, out, err = run("check", str(report), "--baseline", "other.json")
    assert rc == 2 and "不是 govlint 基线文件" in err
    (root / "entries.json").write_text('{"govlint_baseline": 1, "findings": [{"path": "x"}]}', encoding="utf-8")
    rc, out, err = run("check", str(report), "--baseline", "entries.json")
    assert rc == 2 and "第 1 条" in err


def test_baseline_command_refuses_to_overwrite_other_files(repo):
    root, report = repo
    rc, out, err = run("baseline", str(report), "-o", str(report))
    assert rc == 2 and "不会覆盖" in err
    assert report.read_text(encoding="utf-8") == HEAD + OLD
    # an existing baseline is regenerated in place
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    report.write_text(HEAD + OLD + NEW, encoding="utf-8")
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    assert codes(report, "--baseline", "base.json") == (0, [])


def test_baseline_command_stops_on_unreadable_input(repo):
    root, report = repo
    rc, out, err = run("baseline", str(report), "missing.txt", "-o", "base.json")
    assert rc == 2 and "missing.txt" in err
    assert not (root / "base.json").exists()


def test_sarif_fingerprints_are_the_baseline_fingerprints(repo):
    root, report = repo
    report.write_text(HEAD + OLD + NEW, encoding="utf-8")
    rc, out, err = run("check", str(report), "-f", "sarif", "--no-progress")
    sarif = json.loads(out)
    fps = sorted(r["partialFingerprints"]["govlint/v1"] for r in sarif["runs"][0]["results"])
    assert len(fps) >= 2 and all(fps)
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    data = json.loads((root / "base.json").read_text(encoding="utf-8"))
    assert sorted(e["fingerprint"] for e in data["findings"]) == fps


def test_api_round_trip(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(HEAD + OLD, encoding="utf-8")
    results = runner.check_paths([str(report)])
    assert results[0].findings
    n = baseline.write_baseline(results, tmp_path / "b.json")
    assert n == len(results[0].findings)
    filtered = baseline.filter_results(results, tmp_path / "b.json")
    assert filtered[0].findings == [] and results[0].findings        # input not mutated
    with pytest.raises(ValueError):
        baseline.filter_results(results, tmp_path / "none.json")


def test_summary_counts_what_the_baseline_hides(repo):
    root, report = repo
    assert run("baseline", str(report), "-o", "base.json")[0] == 0
    rc, out, err = run("check", str(report), "--baseline", "base.json", "--no-progress", "--no-color")
    recorded = len(json.loads((root / "base.json").read_text(encoding="utf-8"))["findings"])
    assert rc == 0 and f"未发现新问题，基线中已记录的 {recorded} 个问题未列出" in out, out
    rc, out, err = run("check", str(report), "--baseline", "base.json", "--format", "json")
    assert json.loads(out)["summary"]["baseline_hidden"] == recorded
