#!/usr/bin/env python
"""Where the time goes on the corpus, in one process: per rule, per phase, per function.

Runs every selected rule over the reports in ``../shared/corpus/`` (or ``--corpus``) and
prints (1) the time of each phase: reading/parsing, segmentation, each rule (its main checker
and ``@also`` checkers), the engine's post-processing (positions, fingerprints), and output
rendering; (2) with ``--cprofile``, the top functions by own time under each rule module,
as ``file:line:function``.

Usage: python bench/profile_rules.py [--corpus DIR] [--select ALL] [--profile self-eval] [--limit N] [--cprofile] [--top 8]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, machine  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    ap.add_argument("--select", default="ALL")
    ap.add_argument("--profile", default=None, help="auto, self-eval or generic (default: configuration)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cprofile", action="store_true", help="also profile functions (slower)")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("files", nargs="*", type=Path, help="profile these files instead of the corpus "
                    "(one file = the cold single-report case: lazy imports are charged to the rule)")
    args = ap.parse_args()
    if args.files:
        files = args.files
    elif not args.corpus.is_dir():
        print(f"skipped: corpus directory {args.corpus} is absent")
        return 0
    else:
        files = sorted(p for p in args.corpus.rglob("*.txt") if p.parent != args.corpus)[:args.limit]

    t_import = time.perf_counter()
    import govlint.cli  # noqa: F401  (what the command line imports before checking)
    from govlint import config as cfgmod, engine, nlp, registry, runner
    from govlint.readers import read_path
    rules = registry.all_rules()
    t_import = time.perf_counter() - t_import

    spent: dict[str, float] = defaultdict(float)

    def timed(label, func, consume=True):
        def wrapper(*a, **kw):   # rules are generators: consume them inside the timer
            t0 = time.perf_counter()
            try:
                out = func(*a, **kw)
                return list(out or ()) if consume else out
            finally:
                spent[label] += time.perf_counter() - t0
        return wrapper

    # segmentation is charged to "segmenter" (and, nested, also to the rule that asked first)
    t0 = time.perf_counter()
    nlp._load()
    spent["segmenter load"] = time.perf_counter() - t0
    nlp.tokenize = timed("segmentation (Document.tokens)", nlp.tokenize, consume=False)
    for code, spec in rules.items():
        spec.func = timed(f"{code} {spec.func.__module__}:{spec.func.__name__}", spec.func)
        spec.extra_checks = [timed(f"{code} @also {f.__module__}:{f.__name__}", f)
                             for f in spec.extra_checks]
    lint_total = [0.0]
    orig_lint = engine.lint

    def lint(*a, **kw):
        t0 = time.perf_counter()
        try:
            return orig_lint(*a, **kw)
        finally:
            lint_total[0] += time.perf_counter() - t0
    engine.lint = lint

    cfg = cfgmod.for_path(str(files[0])).override(select=tuple(args.select.split(",")))
    if args.profile:
        cfg = cfg.override(profile=args.profile)
    prof = None
    if args.cprofile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    results = []
    chars = 0
    t_all = time.perf_counter()
    for f in files:
        t0 = time.perf_counter()
        doc = read_path(str(f))
        spent["read + parse (Document)"] += time.perf_counter() - t0
        chars += len(doc.text)
        results.append(runner.lint_document_result(doc, cfg))
    t_lint = time.perf_counter() - t_all
    t0 = time.perf_counter()
    from govlint import output
    output.render("json", results, color=False, show_source=False)
    spent["render json"] = time.perf_counter() - t0
    if prof is not None:
        prof.disable()

    rule_time = sum(v for k, v in spent.items() if k[:1].isupper() and " " in k and k.split()[0][-3:].isdigit())
    seg = spent.get("segmentation (Document.tokens)", 0.0)
    spent["engine post-processing (positions, fingerprints, suppression)"] = lint_total[0] - rule_time
    info = machine()
    print(f"# profile: {len(files)} files, {chars:,} chars; commit {info['commit']}; Python {info['python']}")
    print(f"# imports + registry {t_import:.2f} s; read+lint loop {t_lint:.2f} s"
          f"{' (under cProfile: inflated)' if prof else ''}")
    print("# segmentation time is also included in the time of the first rule that asks for tokens")
    print()
    print("| phase / rule | seconds | share of loop |")
    print("|---|---:|---:|")
    for k, v in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {v:.3f} | {100 * v / max(t_lint, 1e-9):.1f}% |")
    if seg:
        print(f"\nrules excluding segmentation: {rule_time - seg:.3f} s")

    if prof is not None:
        import pstats
        st = pstats.Stats(prof)
        by_module: dict[str, list] = defaultdict(list)
        for (fname, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
            if "/govlint/" in fname:
                mod = fname.split("/govlint/", 1)[1]
                by_module[mod].append((tt, ct, nc, f"{mod}:{line}:{func}"))
        print("\n## top functions by own time (cProfile), per govlint module")
        for mod, rows in sorted(by_module.items(), key=lambda kv: -sum(r[0] for r in kv[1])):
            total = sum(r[0] for r in rows)
            if total < 0.01:
                continue
            print(f"\n### {mod}  (own time {total:.2f} s)")
            for tt, ct, nc, name in sorted(rows, reverse=True)[:args.top]:
                print(f"- {name}: own {tt:.3f} s, cumulative {ct:.3f} s, {nc} calls")
        print("\n## top functions overall by own time")
        st.sort_stats("tottime").print_stats(args.top * 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
