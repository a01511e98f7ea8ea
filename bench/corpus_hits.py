"""Print a sample of each rule's hits over the shared corpus of real prose, for reading.

    python bench/corpus_hits.py [--per-rule 8] [--rule STYLE003] [--corpus ../shared/corpus] [-j N] [--seed 1]

For each rule: the number of hits and of files hit, then a random sample of hits as
``file:line  message`` with the flagged text in ⟦ ⟧ inside its sentence, so a reader can
judge precision on real reports quickly. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*.txt"))


def lint_all(files: list[str], jobs: int):
    from govlint import registry, runner
    codes = set(registry.all_rules())
    return runner.check_files(files, jobs=jobs, codes=codes)


def context(doc, f, width: int = 40) -> str:
    text = doc.text
    a, b = f.start, f.end
    lo = max(0, a - width)
    hi = min(len(text), b + width)
    left = text[lo:a].split("\n")[-1]
    right = text[b:hi].split("\n")[0]
    mid = text[a:b].replace("\n", "⏎")
    if len(mid) > 60:
        mid = mid[:28] + "…" + mid[-28:]
    return f"{left}⟦{mid}⟧{right}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--per-rule", type=int, default=8, help="hits to show per rule")
    ap.add_argument("--rule", action="append", help="only these codes or prefixes (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=1, help="random seed for the sample")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    files = corpus_files(args.corpus)
    results = lint_all(files, args.jobs)
    hits = defaultdict(list)
    errors = 0
    for r in results:
        if r.error:
            errors += 1
            continue
        for f in r.findings:
            if args.rule and not any(f.code.startswith(x.upper()) for x in args.rule):
                continue
            hits[f.code].append((r, f))
    rng = random.Random(args.seed)
    print(f"{len(files)} files, {errors} unreadable, {sum(len(v) for v in hits.values())} hits\n")
    for code in sorted(hits):
        items = hits[code]
        nfiles = len({r.path for r, _ in items})
        print(f"== {code}: {len(items)} hits in {nfiles} files")
        for r, f in sorted(rng.sample(items, min(args.per_rule, len(items))),
                           key=lambda x: (x[0].path, x[1].start)):
            rel = os.path.relpath(r.path, args.corpus)
            line = f.position.line if f.position else "?"
            print(f"  {rel}:{line}  {f.message}")
            if r.document is not None:
                print(f"      {context(r.document, f)}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
