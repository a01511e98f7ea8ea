"""`govlint eval`: matching logic on small made-up samples, and the per-rule floors CI holds.

The floors are what the rules reached on corpora/ when they were set, rounded down; raise
them when a rule improves, never lower them to make a change pass. A rule without a floor
entry is held to DEFAULT_FLOOR; rules that are not implemented are skipped by the eval.
"""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlint.cli import app
from govlint.commands.evaluate import NO_DATA, NOT_IMPLEMENTED, SCORED, EvalError, evaluate

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"

DEFAULT_FLOOR = (0.5, 0.5)       # (precision, recall) for a rule not listed below
FLOORS = {
    # code: (min precision, min recall) on corpora/, set from the values reached when the
    # eval was introduced (in brackets), rounded down by about one finding
    "DUP001": (0.9, 0.9),       # (1.00, 1.00)
    "FUND001": (0.9, 0.9),      # (1.00, 1.00) was (0.9, 0.5) at (1.00, 0.50)
    "FUND002": (0.8, 0.5),      # (1.00, 0.56)
    "IND001": (0.8, 0.9),       # (1.00, 1.00)
    "IND002": (0.75, 0.85),     # (0.88, 1.00)
    "IND003": (0.45, 0.9),      # (0.50, 1.00) FPs are in tables/
    "NUM001": (0.9, 0.8),       # (1.00, 1.00) was (0.9, 0.15) at (1.00, 0.17)
    "SCORE001": (0.9, 0.6),     # (1.00, 0.67)
    "SCORE002": (0.9, 0.8),     # (1.00, 1.00) was (0.9, 0.75) at (1.00, 0.80)
    "SCORE003": (0.9, 0.9),     # (1.00, 1.00) tables/ only
    "SCORE004": (0.9, 0.9),     # (1.00, 1.00) tables/ only
    "STRUCT001": (0.9, 0.8),    # (1.00, 1.00)
    "STRUCT002": (0.9, 0.9),    # (1.00, 1.00) was (0.15, 0.9) at (0.20, 1.00), before labelled target lines and outline D were read (#13)
    "STRUCT003": (0.9, 0.9),    # (1.00, 1.00)
    "STRUCT004": (0.9, 0.9),    # (1.00, 1.00) was (0.9, 0.5) at (1.00, 0.50)
    "STYLE001": (0.9, 0.8),     # (1.00, 1.00)
    "STYLE002": (0.9, 0.8),     # (1.00, 1.00)
    "STYLE003": (0.9, 0.7),     # (1.00, 1.00)
    "STYLE004": (0.9, 0.5),     # (1.00, 0.50)
    "STRUCT007": (0.9, 0.9),    # (1.00, 1.00) village_toilets_hygiene only
    "STYLE005": (0.9, 0.9),     # (1.00, 1.00) village_toilets_hygiene only
    "STYLE006": (0.9, 0.9),     # (1.00, 1.00)
    "STYLE007": (0.9, 0.9),     # (1.00, 1.00)
    "STYLE008": (0.9, 0.9),     # (1.00, 1.00)
    "STYLE009": (0.9, 0.9),     # (1.00, 1.00)
}

REPORT = """\
2023年度测试项目绩效自评报告
一、项目概况
（一）基本情况
本项目实施内容为20XX年的道路维修。
（2）项目资金使用情况
全年支出100万元。
"""


def _write(tmp_path: Path, sidecar: str, name: str = "a.txt", text: str = REPORT) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / (name.rsplit(".", 1)[0] + ".expected.toml")).write_text(sidecar, encoding="utf-8")
    return tmp_path


def test_tp_fp_fn_by_code_and_line(tmp_path):
    # STYLE002 expected at line 4 (hit), STRUCT001 expected at the wrong line (FN + FP)
    d = _write(tmp_path, '[[finding]]\ncode = "STYLE002"\nline = 4\n\n'
                         '[[finding]]\ncode = "STRUCT001"\nline = 6\nnote = "wrong line on purpose"\n')
    rep = evaluate(d)
    s2 = rep.rules["STYLE002"]
    assert (s2.status, s2.tp, s2.fp, s2.fn) == (SCORED, 1, 0, 0)
    s1 = rep.rules["STRUCT001"]
    assert (s1.tp, s1.fp, s1.fn) == (0, 1, 1)
    assert s1.precision == 0.0 and s1.recall == 0.0
    kinds = {(m.kind, m.code, m.line) for m in rep.mismatches}
    assert ("FN", "STRUCT001", 6) in kinds and ("FP", "STRUCT001", 5) in kinds
    assert ("STRUCT001", "precision", 0.0) in rep.below(0.5, 0.5)


def test_tolerance_allows_nearby_lines(tmp_path):
    d = _write(tmp_path, '[[finding]]\ncode = "STRUCT001"\nline = 6\n')
    assert evaluate(d).rules["STRUCT001"].tp == 0
    assert evaluate(d, tolerance=1).rules["STRUCT001"].tp == 1


def test_unregistered_rule_is_not_implemented_not_perfect(tmp_path):
    d = _write(tmp_path, '[[finding]]\ncode = "ZZZ999"\nline = 2\n')
    rep = evaluate(d)
    z = rep.rules["ZZZ999"]
    assert z.status == NOT_IMPLEMENTED and z.expected == 1
    assert z.precision is None and z.recall is None
    assert all(c != "ZZZ999" for c, _, _ in rep.below(1.0, 1.0))
    # a registered rule with neither findings nor expectations has no score either
    assert rep.rules["DUP001"].status == NO_DATA
    assert rep.overall.fn == 0   # unimplemented expectations do not count against the rest


def test_bad_sidecar_is_an_error(tmp_path):
    d = _write(tmp_path, '[[finding]]\ncode = "STYLE002"\n')
    with pytest.raises(EvalError):
        evaluate(d)


def test_cli_json_and_floors(tmp_path):
    d = _write(tmp_path, '[[finding]]\ncode = "STYLE002"\nline = 4\n\n'
                         '[[finding]]\ncode = "STRUCT001"\nline = 6\n')
    runner = CliRunner()
    res = runner.invoke(app, ["eval", str(d), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    rules = {r["code"]: r for r in data["rules"]}
    assert rules["STYLE002"]["tp"] == 1 and rules["STRUCT001"]["fn"] == 1
    assert data["samples"] == ["a.txt"]
    res = runner.invoke(app, ["eval", str(d), "--min-precision", "0.9", "--min-recall", "0.9"])
    assert res.exit_code == 1
    assert "FN a.txt:6: STRUCT001" in res.output
    res = runner.invoke(app, ["eval", str(tmp_path / "missing")])
    assert res.exit_code == 2


@pytest.fixture(scope="module")
def corpora_report():
    return evaluate(CORPORA)


def test_every_sample_has_a_sidecar_and_is_read(corpora_report):
    assert not corpora_report.errors, corpora_report.errors
    samples = {p.name for p in CORPORA.iterdir()
               if p.suffix in (".txt", ".md") and p.name != "README.md" and not p.name.startswith(".")}
    assert {"sample_clean.txt", "sample_report.txt"} <= samples
    assert samples <= set(corpora_report.samples)


@pytest.mark.parametrize("code", sorted(FLOORS))
def test_rule_meets_its_floor_on_corpora(corpora_report, code):
    r = corpora_report.rules.get(code)
    if r is None or r.status != SCORED:
        pytest.skip(f"{code}: {r.status if r else 'not implemented'}")
    p_min, r_min = FLOORS[code]
    if r.precision is not None:
        assert r.precision >= p_min, f"{code} precision {r.precision:.2f} < {p_min} (TP {r.tp}, FP {r.fp})"
    if r.recall is not None:
        assert r.recall >= r_min, f"{code} recall {r.recall:.2f} < {r_min} (TP {r.tp}, FN {r.fn})"


def test_unlisted_rules_meet_the_default_floor(corpora_report):
    low = [(c, m, round(v, 2)) for c, m, v in corpora_report.below(*DEFAULT_FLOOR) if c not in FLOORS]
    assert not low, f"rules below the default floor {DEFAULT_FLOOR}: {low}"


def test_clean_samples_have_no_expected_findings():
    for name in ("sample_clean", "farmland_clean", "elderly_care_clean"):
        text = (CORPORA / f"{name}.expected.toml").read_text(encoding="utf-8")
        assert "[[finding]]" not in text, name


def test_holdout_is_left_out_by_default_and_scored_when_named():
    """corpora/holdout measures the rules and is never used to tune them (corpora/README.md).

    It is not part of the default run; named directly it is scored, and the overall figures
    must not fall below what was measured (80.4 % precision, 72.5 % recall at the first run).
    """
    import json
    from helpers import run_cli
    root = Path(__file__).resolve().parent.parent / "corpora"
    default = json.loads(run_cli("eval", str(root), "--format", "json").stdout_text)
    text = json.dumps(default, ensure_ascii=False)
    assert "holdout" not in text
    p = run_cli("eval", str(root / "holdout"), "--format", "json")
    data = json.loads(p.stdout_text)
    overall = data["overall"]
    assert overall["precision"] >= 0.80 and overall["recall"] >= 0.70, overall
