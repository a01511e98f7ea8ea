"""Start-up cost: nothing is imported that the command or the selected rules do not need.

Each case runs the real command line in a fresh interpreter and inspects ``sys.modules``
afterwards (import-time side effects are what a cold ``govlint check`` pays for).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Heavy optional libraries and what one import costs on the reference machine (ms, -X importtime).
SEGMENTERS = {"jieba", "jieba_fast_dat"}                       # 85 / 14 ms, plus the dictionary load
HEAVY = {"spacy", "thinc", "torch", "numpy", "datasketch", "redis", "openpyxl", "pypdf", "pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml",
         "pygls"}                                                # spacy 480, datasketch 450, openpyxl 160 ms

PROBE = """
import json, sys
sys.argv = ["govlint", *json.loads(sys.argv[1])]
try:
    from govlint.entry import main
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
"""

REPORT = """临河县2025年度农村供水保障项目绩效自评报告

一、项目基本情况

项目年初预算资金3200万元，全年实际到位资金3200万元，资金到位率100%。截至2025年12月31日，项目实际支出3046.5万元，预算执行率95.2%。

二、绩效目标完成情况

全年新建供水厂2座，改造管网141公里，新建和改造蓄水池24座。已完工工程全部通过竣工验收，验收合格率100%。

三、存在的问题

部分效益指标只有定性表述，缺少可以核验的量化值。
"""


def modules_after(*args: str, tmp_path: Path | None = None) -> set[str]:
    p = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args))], capture_output=True,
                       text=True, encoding="utf-8", cwd=str(tmp_path or ROOT), timeout=120)
    line = [x for x in p.stderr.splitlines() if x.startswith("MODULES=")]
    assert line, f"probe failed (rc={p.returncode}):\n{p.stderr[-3000:]}"
    return set(json.loads(line[-1][len("MODULES="):]))


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "--format", "json"], ["explain", "STYLE001"]])
def test_listing_commands_load_no_segmenter_or_heavy_library(args, tmp_path):
    mods = modules_after(*args, tmp_path=tmp_path)
    assert "govlint" in mods
    assert not mods & SEGMENTERS, f"govlint {' '.join(args)} imported {sorted(mods & SEGMENTERS)}"
    assert not mods & HEAVY, f"govlint {' '.join(args)} imported {sorted(mods & HEAVY)}"


def test_rule_without_tokens_loads_no_segmenter(report, tmp_path):
    mods = modules_after("check", "--select", "STYLE001", "--no-progress", str(report), tmp_path=tmp_path)
    assert "govlint" in mods
    assert not mods & SEGMENTERS, f"STYLE001 needs no tokens, yet {sorted(mods & SEGMENTERS)} was imported"
    assert not mods & HEAVY, f"imported {sorted(mods & HEAVY)}"


def test_plain_check_of_a_text_report_loads_no_spacy_or_unused_reader(report, tmp_path):
    mods = modules_after("check", "--no-progress", str(report), tmp_path=tmp_path)
    assert "govlint" in mods
    assert "spacy" not in mods, "spaCy must only be imported when a spaCy feature is used"
    assert not mods & HEAVY, f"a plain check of a .txt report imported {sorted(mods & HEAVY)}"


def test_probe_can_see_a_segmenter_when_tokens_are_used(tmp_path):
    """The probe itself works: asking for tokens does import a segmenter."""
    code = ("import sys\nfrom govlint.document import Document\n"
            "Document.from_text('项目资金全部到位。').tokens()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'jieba', 'jieba_fast_dat'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "jieba" in out


CLAIM = REPORT.replace("三、存在的问题", "二、绩效指标完成情况（续）\n\n项目建成后群众饮水条件明显改善。\n\n三、存在的问题")


def test_a_report_without_candidate_claims_loads_no_segmenter(report, tmp_path):
    """IND002 segments only paragraphs holding a claim phrase; this report has none."""
    mods = modules_after("check", "--no-progress", str(report), tmp_path=tmp_path)
    assert not mods & SEGMENTERS, f"no paragraph needed tokens, yet {sorted(mods & SEGMENTERS)} was imported"


def test_a_report_with_a_candidate_claim_loads_the_segmenter(tmp_path):
    path = tmp_path / "claim.txt"
    path.write_text(CLAIM, encoding="utf-8")
    mods = modules_after("check", "--no-progress", str(path), tmp_path=tmp_path)
    assert mods & SEGMENTERS
    out = subprocess.run([sys.executable, "-m", "govlint", "check", "--no-progress", "--select", "IND002",
                          "-f", "json", str(path)], capture_output=True, text=True, encoding="utf-8",
                         cwd=str(tmp_path), timeout=120)
    found = json.loads(out.stdout)
    assert [f["code"] for f in found["findings"]] == ["IND002"], out.stdout


def test_a_plain_check_imports_neither_dataclasses_nor_inspect(report, tmp_path):
    """The check path uses plain classes: importing dataclasses (and with it inspect) and creating
    25 dataclasses cost ~13 ms of a ~100 ms cold check (docs/performance.md)."""
    probe = PROBE
    p = subprocess.run([sys.executable, "-c", probe, json.dumps(["check", "--no-progress", str(report)])],
                       capture_output=True, text=True, encoding="utf-8", cwd=str(tmp_path), timeout=120)
    line = [x for x in p.stderr.splitlines() if x.startswith("MODULES=")]
    assert line, p.stderr[-3000:]
    mods = set(json.loads(line[-1][len("MODULES="):]))
    assert "govlint" in mods and "typer" not in mods
    assert not mods & {"dataclasses", "inspect"}, f"a check imported {sorted(mods & {'dataclasses', 'inspect'})}"
