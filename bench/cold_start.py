#!/usr/bin/env python
"""Cold single-report latency: ``govlint check`` on one ~3,000-character report, fresh process.

Side by side in the same run (runs interleaved round-robin, median of N):

* ``python -c pass``                                  interpreter start (for reference)
* ``python -c "import jieba; jieba.initialize()"``    the floor of any jieba-based tool
* ``python -c "import jieba_fast_dat; ...initialize()"``  the floor with govlint[fast]
* AutoCorrect (``autocorrect-py``): ``lint_for(text, "txt")`` in a fresh process
* ``python -m govlint check FILE`` and the ``govlint`` console script, with the segmenter
  govlint picks by default, and with ``GOVLINT_SEGMENTER=jieba`` when jieba_fast_dat is installed
* the same with ``GOVLINT_NO_CACHE=1``: every regex compiled afresh, as on the first run after an
  install or a lexicon change (the timed runs otherwise find the compiled-pattern cache the
  warm-up left, as jieba finds its dictionary cache; each source tree, this one and every
  ``--variant``, gets its own cache directory, so no tree finds patterns another compiled)

govlint's modules are byte-compiled first, as ``pip install`` leaves them (jieba's are too).

Usage: python bench/cold_start.py [--runs 7] [--file REPORT] [--json out.json] [--instructions]
Targets (issue 7): govlint ≤ 1.2× the jieba floor; with jieba_fast_dat ≤ 4× AutoCorrect.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, console_script, fmt_s, have, machine, median, run_measured  # noqa: E402

AUTOCORRECT = ("import sys, autocorrect_py; "
               "autocorrect_py.lint_for(open(sys.argv[1], encoding='utf-8').read(), 'txt')")


def default_file() -> Path:
    """corpora/sample_report.txt when it is a ~3,000-character report, else bench/data's own."""
    sample = REPO / "corpora" / "sample_report.txt"
    if sample.exists() and 2500 <= len(sample.read_text(encoding="utf-8")) <= 4000:
        return sample
    return REPO / "bench" / "data" / "sample_report_3000.txt"


def segmenter_loaded(cmd: list[str], env: dict) -> str:
    """Which segmenter module a govlint command imported (via -X importtime), or 'none'."""
    full = dict(os.environ, **env, PYTHONPROFILEIMPORTTIME="1")
    err = subprocess.run(cmd, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True).stderr
    names = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if line.startswith("import time:")}
    found = [m for m in ("jieba_fast_dat", "jieba", "spacy") if m in names]
    return "+".join(found) or "none"


def instructions(cmd: list[str], env: dict) -> int | None:
    """Instructions the command executes, counted by callgrind (None without valgrind)."""
    import re
    import shutil
    if not shutil.which("valgrind"):
        return None
    full = dict(os.environ, **env)
    err = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=full,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    m = re.search(r"Collected\s*:\s*(\d+)", err)
    return int(m.group(1)) if m else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=SRC",
                    help="also time govlint from another source tree (PYTHONPATH=SRC), e.g. a checkout "
                         "with a proposed change: proposals=/tmp/wt/src")
    ap.add_argument("--instructions", action="store_true",
                    help="also count each command's instructions once under valgrind's callgrind "
                         "(deterministic, unlike times on a shared machine; ~50x slower)")
    args = ap.parse_args()
    path = (args.file or default_file()).resolve()
    text = path.read_text(encoding="utf-8")
    py = sys.executable
    gl_args = ["check", "--no-progress", "--no-color", "--fail-on", "never", str(path)]
    fast = have("jieba_fast_dat")

    cases: dict[str, tuple[list[str], dict]] = {
        "python -c pass": ([py, "-c", "pass"], {}),
        "jieba floor": ([py, "-c", "import jieba; jieba.initialize()"], {}),
    }
    if fast:
        cases["jieba_fast_dat floor"] = ([py, "-c", "import jieba_fast_dat as j; j.initialize()"], {})
    if have("autocorrect_py"):
        cases["autocorrect-py lint_for"] = ([py, "-c", AUTOCORRECT, str(path)], {})
    else:
        print("note: autocorrect-py not installed (pip install autocorrect-py); skipping it", file=sys.stderr)
    default_seg = "jieba_fast_dat" if fast else "jieba"
    cases[f"python -m govlint check [{default_seg}]"] = ([py, "-m", "govlint", *gl_args], {})
    script = console_script()
    if script:
        cases[f"govlint check (console script) [{default_seg}]"] = ([script, *gl_args], {})
    cases["python -m govlint check --select STYLE001 (no NLP)"] = (
        [py, "-m", "govlint", "check", "--select", "STYLE001", *gl_args[1:]], {})
    if fast:
        cases["python -m govlint check [jieba]"] = ([py, "-m", "govlint", *gl_args], {"GOVLINT_SEGMENTER": "jieba"})
        if script:
            cases["govlint check (console script) [jieba]"] = ([script, *gl_args], {"GOVLINT_SEGMENTER": "jieba"})
    # the first run after an install or a lexicon change compiles every pattern itself
    cases[f"python -m govlint check [{default_seg}], no pattern cache"] = (
        [py, "-m", "govlint", *gl_args], {"GOVLINT_NO_CACHE": "1"})
    if fast:
        cases["python -m govlint check [jieba], no pattern cache"] = (
            [py, "-m", "govlint", *gl_args], {"GOVLINT_NO_CACHE": "1", "GOVLINT_SEGMENTER": "jieba"})

    for spec in args.variant:
        vname, _, src = spec.partition("=")
        venv = {"PYTHONPATH": str(Path(src).resolve())}
        cases[f"python -m govlint check [{default_seg}] ({vname})"] = ([py, "-m", "govlint", *gl_args], venv)
        if script:
            cases[f"govlint check (console script) [{default_seg}] ({vname})"] = ([script, *gl_args], venv)
        if fast:
            cases[f"python -m govlint check [jieba] ({vname})"] = (
                [py, "-m", "govlint", *gl_args], {**venv, "GOVLINT_SEGMENTER": "jieba"})

    # one pattern cache per source tree, filled by the warm-up: trees sharing ~/.cache/govlint
    # would each find the other's entries (a pattern only one of them compiles would be free
    # for both), and other runs on the machine would grow the file every tree loads
    import tempfile
    cache_root = Path(tempfile.mkdtemp(prefix="govlint-bench-cache-"))
    for name, (cmd, env) in cases.items():
        if "govlint" in name and "GOVLINT_NO_CACHE" not in env:
            tree = next((s.partition("=")[0] for s in args.variant if f"({s.partition('=')[0]})" in name), "main")
            env["GOVLINT_CACHE_DIR"] = str(cache_root / tree)

    # bytecode as `pip install` leaves it (an editable checkout under PYTHONDONTWRITEBYTECODE=1
    # would otherwise recompile govlint's sources in every timed run, and jieba's are compiled)
    srcs = [Path(spec.partition("=")[2]).resolve() / "govlint" for spec in args.variant]
    srcs.append(Path(importlib.util.find_spec("govlint").origin).parent)
    for src in srcs:
        compileall.compile_dir(str(src), quiet=1)

    # warm-up, not timed: builds jieba's dictionary cache in the temp dir and govlint's
    # compiled-pattern cache (~/.cache/govlint), as any earlier run on the machine would
    # govlint runs with --fail-on never, so anything but exit 0 (a missing package exits 1,
    # like a report with findings would) is a broken measurement, not a fast one
    ok = {name: ((0,) if "govlint" in name else (0, 1)) for name in cases}
    for name, (cmd, env) in cases.items():
        run_measured(cmd, env, ok_codes=ok[name])
    times: dict[str, list[float]] = {k: [] for k in cases}
    cpus: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, (cmd, env) in cases.items():
            r = run_measured(cmd, env, ok_codes=ok[name])
            times[name].append(r["wall"])
            cpus[name].append(r["cpu"])
    med = {k: median(v) for k, v in times.items()}
    med_cpu = {k: median(v) for k, v in cpus.items()}

    loaded = {k: segmenter_loaded(cmd, env) for k, (cmd, env) in cases.items() if "govlint" in k}
    instr = {k: instructions(cmd, env) for k, (cmd, env) in cases.items()} if args.instructions else {}

    info = machine()
    print(f"# cold start: {path.name} ({len(text)} chars), median of {args.runs} fresh processes")
    print(f"# commit {info['commit']}; {info['nproc']} CPU × {info['cpu']}; Python {info['python']}")
    print(f"# load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(wall times include other tenants; CPU times do not)")
    print()
    print(f"| {'command':<48} | wall median | wall min | CPU median | segmenter loaded |")
    print(f"|{'-' * 50}|------------:|---------:|-----------:|---|")
    for k in cases:
        print(f"| {k:<48} | {fmt_s(med[k])} | {fmt_s(min(times[k]))} | {fmt_s(med_cpu[k])} "
              f"| {loaded.get(k, '')} |")
    print()
    print(f"{'ratio (wall median; CPU median in brackets)':<60}")

    ratios = {}

    def ratio(label, num, den, target=None):
        if num in med and den in med:
            r = med[num] / med[den]
            rc = med_cpu[num] / med_cpu[den]
            ratios[label] = {"wall": r, "cpu": rc}
            verdict = "" if target is None else ("  meets target" if r <= target else "  MISSES target")
            tgt = "" if target is None else f" (target ≤ {target}×)"
            print(f"{label:<60} {r:5.2f}× [{rc:4.2f}×]{tgt}{verdict}")

    jieba_gl = "python -m govlint check [jieba]" if fast else "python -m govlint check [jieba]"
    if not fast:
        jieba_gl = f"python -m govlint check [{default_seg}]"
    ratio("govlint -m [jieba] / jieba floor", jieba_gl, "jieba floor", 1.2)
    js = "govlint check (console script) [jieba]"
    if js in med:
        ratio("govlint script [jieba] / jieba floor", js, "jieba floor", 1.2)
    elif not fast:
        ratio("govlint script [jieba] / jieba floor", f"govlint check (console script) [{default_seg}]", "jieba floor", 1.2)
    if fast:
        ratio("govlint -m [jieba_fast_dat] / jieba_fast_dat floor",
              "python -m govlint check [jieba_fast_dat]", "jieba_fast_dat floor")
        ratio("govlint -m [jieba_fast_dat] / autocorrect", "python -m govlint check [jieba_fast_dat]",
              "autocorrect-py lint_for", 4.0)
        ratio("govlint script [jieba_fast_dat] / autocorrect",
              "govlint check (console script) [jieba_fast_dat]", "autocorrect-py lint_for", 4.0)
    ratio("govlint -m [jieba] / autocorrect", jieba_gl, "autocorrect-py lint_for")
    nc = "python -m govlint check [jieba], no pattern cache"
    if not fast:
        nc = f"python -m govlint check [{default_seg}], no pattern cache"
    ratio("govlint -m [jieba], no pattern cache / jieba floor", nc, "jieba floor")
    if fast:
        ratio("govlint -m [jieba_fast_dat], no pattern cache / autocorrect",
              "python -m govlint check [jieba_fast_dat], no pattern cache", "autocorrect-py lint_for")
    for spec in args.variant:
        vname = spec.partition("=")[0]
        ratio(f"({vname}) govlint -m [jieba] / jieba floor", f"python -m govlint check [jieba] ({vname})",
              "jieba floor", 1.2)
        if fast:
            ratio(f"({vname}) govlint -m [jieba_fast_dat] / autocorrect",
                  f"python -m govlint check [jieba_fast_dat] ({vname})", "autocorrect-py lint_for", 4.0)
            ratio(f"({vname}) govlint script [jieba_fast_dat] / autocorrect",
                  f"govlint check (console script) [jieba_fast_dat] ({vname})", "autocorrect-py lint_for", 4.0)
    if not any("jieba" in v for v in loaded.values()):
        print("\nnote: no selected rule asked for tokens, so govlint did not load a segmenter")
    if instr:
        print("\ninstructions (callgrind, one run each; the same count on a busy or an idle machine)")
        for k in cases:
            print(f"  {k:<60} {instr[k] / 1e6:8.1f} M")
        for label, num, den in (("govlint -m [jieba] / jieba floor", jieba_gl, "jieba floor"),
                                ("govlint -m [jieba_fast_dat] / autocorrect",
                                 "python -m govlint check [jieba_fast_dat]", "autocorrect-py lint_for")):
            if instr.get(num) and instr.get(den):
                ratios.setdefault(label, {})["instructions"] = instr[num] / instr[den]
                print(f"  {label:<60} {instr[num] / instr[den]:5.2f}×")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "file": str(path), "chars": len(text),
                                         "runs": args.runs, "median_s": med,
                                         "median_cpu_s": med_cpu, "all_s": times, "all_cpu_s": cpus, "modules": loaded, "ratios": ratios,
                                         "instructions": instr},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    import shutil
    shutil.rmtree(cache_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
