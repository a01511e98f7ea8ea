#!/usr/bin/env python
"""Whole-corpus throughput: characters per second and peak memory, govlint vs raw segmentation.

Over every ``.txt`` report in ``../shared/corpus/`` (beside the checkout; ``--corpus`` to
choose another directory), in one run, each in a fresh process:

* raw segmentation: read each file and ``list(seg.tokenize(text))`` (what ``Document.tokens()``
  costs), for jieba and, when installed, jieba_fast_dat;
* ``python -m govlint check`` with all rules (``--select ALL``), ``--jobs 1`` and ``--jobs 2``,
  with the default segmenter and (when jieba_fast_dat is installed) with ``GOVLINT_SEGMENTER=jieba``;
  ``--profile auto`` (the corpus is mostly not self-evaluation reports, so the self-eval rules
  skip it) and ``--profile self-eval`` (every rule on every document: a bureau's archive).

Times are wall-clock of the whole process (start-up and dictionary load included, for both
sides). Memory: the largest process (ru_maxrss) and the summed RSS of the process tree
(sampled every 20 ms). Skips with a message when the corpus is absent.

Usage: python bench/throughput.py [--corpus DIR] [--jobs 1,2] [--profiles auto,self-eval] [--limit N] [--json out.json]
Targets (issue 7): all rules ≥ 0.5× raw segmenter throughput on one process; --jobs 2 scales;
< 500 MB peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, have, machine, run_measured  # noqa: E402

RAW_SEG = r"""
import sys, time
name, listfile = sys.argv[1], sys.argv[2]
if name == "jieba_fast_dat":
    import jieba_fast_dat as seg
else:
    import jieba as seg
import logging
seg.setLogLevel(logging.WARNING)
seg.initialize()
t0 = time.perf_counter()
n = 0
for path in open(listfile, encoding="utf-8").read().splitlines():
    text = open(path, encoding="utf-8").read()
    toks = [(w, a, b) for w, a, b in seg.tokenize(text)]
    n += len(toks)
sys.stderr.write(f"segment-only {time.perf_counter() - t0:.3f}\n")
"""


BUSY = "import sys\nn = 0\nfor i in range(int(sys.argv[1])):\n    n += i * i\n"


def machine_parallelism(jobs: int, loops: int = 15_000_000) -> float:
    """Speed-up the machine gives right now to ``jobs`` CPU-bound processes (other tenants count)."""
    import subprocess
    import time
    def run(n):
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", BUSY, str(loops)]) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - t0
    one = run(1)
    return jobs * one / run(jobs)


def corpus_files(root: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in root.rglob("*.txt") if p.parent != root)   # reports live in subfolders
    return files[:limit] if limit else files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N files (quick runs)")
    ap.add_argument("--select", default="ALL", help="rules to run (default ALL)")
    ap.add_argument("--profiles", default="auto,self-eval",
                    help="comma-separated --profile values (default auto,self-eval: self-eval runs the "
                         "self-eval-only rules, IND002's segmentation included, on every document)")
    ap.add_argument("--segmenters", default=None,
                    help="comma-separated: jieba,jieba_fast_dat (default: those installed)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each configuration N times (interleaved) and keep the fastest: on a shared "
                         "machine the other tenants only ever make a run slower")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus directory {args.corpus} is absent (it lives in ../shared/ beside the checkout)")
        return 0
    files = corpus_files(args.corpus, args.limit)
    if not files:
        print(f"skipped: no .txt reports under {args.corpus}")
        return 0
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    py = sys.executable
    segs = args.segmenters.split(",") if args.segmenters else (
        ["jieba_fast_dat", "jieba"] if have("jieba_fast_dat") else ["jieba"])
    jobs = [int(j) for j in args.jobs.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="govlint-bench-"))
    listfile = tmp / "files.txt"
    listfile.write_text("\n".join(str(p) for p in files), encoding="utf-8")

    probe = {j: machine_parallelism(j) for j in jobs if j > 1}
    rows = []
    findings: dict[str, Counter] = {}
    def best(results):
        fastest = min(results, key=lambda r: r["wall"])
        return {**fastest, "walls": [r["wall"] for r in results],
                "max_process_mb": max(r["max_process_mb"] for r in results),
                "tree_peak_mb": max(r["tree_peak_mb"] for r in results)}

    for seg in segs:
        runs = [run_measured([py, "-c", RAW_SEG, seg, str(listfile)], sample_memory=True, ok_codes=(0,))
                for _ in range(args.repeat)]
        rows.append({"what": f"raw {seg} segmentation", "segmenter": seg, "jobs": 1, **best(runs)})
        for prof in args.profiles.split(","):
            got: dict[int, list] = {j: [] for j in jobs}
            for _ in range(args.repeat):
                for j in jobs:
                    out = tmp / f"out-{seg}-{prof}-{j}.json"
                    cmd = [py, "-m", "govlint", "check", "--no-progress", "--fail-on", "never", "--select",
                           args.select, "--profile", prof, "--format", "json", "-o", str(out), "--jobs", str(j),
                           *map(str, files)]
                    got[j].append(run_measured(cmd, env={"GOVLINT_SEGMENTER": seg}, sample_memory=True))
            for j in jobs:
                rows.append({"what": f"govlint check --profile {prof} --jobs {j}", "segmenter": seg, "jobs": j,
                             "profile": prof, **best(got[j])})
            if prof not in findings:
                findings[prof] = Counter()
                try:
                    data = json.loads((tmp / f"out-{seg}-{prof}-{jobs[0]}.json").read_text(encoding="utf-8"))
                    for f in data.get("findings", []):
                        findings[prof][f.get("code", "?")] += 1
                except (ValueError, OSError, AttributeError):
                    pass

    info = machine()
    print(f"# throughput: {len(files)} files, {chars:,} chars from {args.corpus}; "
          f"fastest of {args.repeat} run(s) per configuration")
    print(f"# commit {info['commit']}; {info['nproc']} CPU × {info['cpu']}; Python {info['python']}; rules: {args.select}")
    for j, x in probe.items():
        print(f"# machine check before the runs: {j} busy-loop processes got a {x:.2f}× speed-up over 1 "
              f"(ideal {j}×; less means other tenants hold CPUs)")
    print(f"# load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (wall times include other tenants)")
    print()
    print("| run | segmenter | wall | chars/s (wall) | CPU (all processes) | largest process | process tree peak |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        r["chars_per_s"] = chars / r["wall"]
        print(f"| {r['what']} | {r['segmenter']} | {r['wall']:.2f} s | {r['chars_per_s'] / 1000:,.0f} k "
              f"| {r['cpu']:.2f} s | {r['max_process_mb']:.0f} MB | {r['tree_peak_mb']:.0f} MB |")
    print()
    ratios = {}
    for seg in segs:
        raw = next(r for r in rows if r["segmenter"] == seg and r["what"].startswith("raw"))
        for prof in args.profiles.split(","):
            by_jobs = {r["jobs"]: r for r in rows if r["segmenter"] == seg and r.get("profile") == prof}
            tag = f"{seg}, --profile {prof}"
            if 1 in by_jobs:
                x = by_jobs[1]["chars_per_s"] / raw["chars_per_s"]
                xc = raw["cpu"] / by_jobs[1]["cpu"]
                ratios[f"{tag}: govlint --jobs 1 / raw segmentation"] = {"wall": x, "cpu": xc}
                print(f"{tag}: govlint --jobs 1 / raw segmentation throughput = {x:.2f}× wall [{xc:.2f}× CPU]"
                      f" (target ≥ 0.5×)  {'meets' if x >= 0.5 else 'MISSES'}")
            for j in sorted(by_jobs):
                if j > 1 and 1 in by_jobs:
                    sp = by_jobs[1]["wall"] / by_jobs[j]["wall"]
                    eff = by_jobs[j]["cpu"] / by_jobs[j]["wall"]
                    ratios[f"{tag}: speed-up --jobs {j}"] = sp
                    print(f"{tag}: speed-up --jobs {j} vs --jobs 1 = {sp:.2f}× "
                          f"(CPUs busy on average: {eff:.2f} of {j})")
            peak = max((r["tree_peak_mb"] for r in by_jobs.values()), default=0)
            print(f"{tag}: peak memory (process tree) = {peak:.0f} MB (target < 500 MB)"
                  f"  {'meets' if peak < 500 else 'MISSES'}")
    for prof, counts in findings.items():
        print(f"\nfindings per rule (--profile {prof}):", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "files": len(files), "chars": chars, "rows": rows,
                                         "ratios": ratios, "machine_parallelism": probe, "findings": {k: dict(v) for k, v in findings.items()}},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    for p in tmp.iterdir():
        p.unlink()
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
