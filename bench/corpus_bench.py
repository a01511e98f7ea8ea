"""Benchmark the corpus index (DUP002): build throughput, query time and peak memory.

    python bench/corpus_bench.py [--corpus ../shared/corpus] [--growth 10] [--queries 30]
                                 [--redis redis://127.0.0.1:6390/0] [--backends sqlite,redis]

For each backend and each size (the corpus as is, and ``growth``× with perturbed copies:
figures changed, a share of characters replaced, sentences dropped) one subprocess
builds the index and then queries sample reports, so every phase has its own peak RSS.
Prints one table with the two sizes side by side and their ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def corpus_files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*.txt") if p.is_file())


def perturb(text: str, seed: int) -> str:
    """A plausible re-use of a report: figures changed, ~3% of characters replaced, sentences dropped."""
    rnd = random.Random(seed)
    text = re.sub(r"\d", lambda m: str(rnd.randint(0, 9)), text)
    parts = re.split(r"(?<=[。；！？])", text)
    parts = [p for p in parts if rnd.random() > 0.1 or "\n" in p]
    return replace_chars("".join(parts), rnd, 0.03)


def replace_chars(text: str, rnd, share: float) -> str:
    """Replace about ``share`` of the Chinese characters with random ones."""
    chars = list(text)
    for i in range(len(chars)):
        if "\u4e00" <= chars[i] <= "\u9fff" and rnd.random() < share:
            chars[i] = chr(rnd.randint(0x4E00, 0x9FA5))
    return "".join(chars)


def documents(base: Path, growth: int):
    from govlint.document import Document
    files = corpus_files(base)
    for f in files:
        yield Document.from_text(f.read_text(encoding="utf-8"), path=str(f.resolve()))
    for g in range(1, growth):
        for i, f in enumerate(files):
            text = perturb(f.read_text(encoding="utf-8"), seed=g * 100_003 + i)
            yield Document.from_text(text, path=f"/synthetic/{g}/{f.parent.name}/{f.name}")


def phase(args) -> dict:
    """Build one index and query it (runs in its own process)."""
    from govlint import corpus
    from govlint.corpus import open_index
    from govlint.corpus.match import Options, query
    from govlint.document import Document
    spec = args.spec
    ix = open_index(spec, create=True)
    if hasattr(ix, "clear"):
        ix.clear()
        ix = open_index(spec, create=True)
    chars = 0
    n = 0
    t0 = time.perf_counter()
    for doc in documents(Path(args.corpus), args.scale):
        ix.add_document(doc, doc.path)
        chars += len(doc.text)
        n += 1
    build = time.perf_counter() - t0
    rss_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    st = ix.stats()
    ix.close()
    corpus.clear_cache()
    ix = open_index(spec)
    files = corpus_files(Path(args.corpus))
    rnd = random.Random(42)
    sample = rnd.sample(files, min(args.queries, len(files)))
    times, ratios, findings = [], [], 0
    for k, f in enumerate(sample):
        text = f.read_text(encoding="utf-8")
        if k % 3 == 2:      # a third: a perturbed re-use not in the index
            doc = Document.from_text(perturb(text, seed=999_999 + k), path=f"/query/{f.name}")
        else:               # the rest: an indexed report checked against the others
            doc = Document.from_text(text, path=str(f.resolve()))
        t = time.perf_counter()
        rep = query(ix, doc, Options())
        times.append(time.perf_counter() - t)
        ratios.append(rep.copy_ratio)
        findings += len(rep.matches)
    qchars = sum(len(f.read_text(encoding="utf-8")) for f in sample)
    out = {"backend": st["backend"], "scale": args.scale, "documents": n, "characters": chars,
           "build_s": round(build, 2), "build_chars_per_s": round(chars / build),
           "query_mean_ms": round(1000 * statistics.mean(times), 1),
           "query_median_ms": round(1000 * statistics.median(times), 1),
           "query_p95_ms": round(1000 * sorted(times)[int(0.95 * (len(times) - 1))], 1),
           "query_chars_per_s": round(qchars / sum(times)),
           "mean_copy_ratio": round(statistics.mean(ratios), 3), "findings": findings,
           "peak_rss_mb": round(max(rss_build, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024, 1),
           "index_bytes": st.get("bytes"), "redis_used_memory": st.get("redis_used_memory")}
    if hasattr(ix, "clear") and not args.keep:
        ix.clear()
    ix.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--growth", type=int, default=10)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--redis", default=os.environ.get("GOVLINT_TEST_REDIS", "redis://127.0.0.1:6390/0"))
    ap.add_argument("--backends", default="sqlite,redis")
    ap.add_argument("--keep", action="store_true", help="keep the Redis keys after the run")
    ap.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            for scale in (1, args.growth):
                spec = (str(Path(tmp) / f"corpus-{scale}.sqlite") if backend == "sqlite"
                        else f"{args.redis}#govlint-bench-{scale}")
                cmd = [sys.executable, __file__, "--phase", "--spec", spec, "--scale", str(scale),
                       "--corpus", args.corpus, "--queries", str(args.queries)] + (["--keep"] if args.keep else [])
                print(f"== {backend} ×{scale}", file=sys.stderr, flush=True)
                res = subprocess.run(cmd, capture_output=True, text=True)
                if res.returncode != 0:
                    print(res.stderr, file=sys.stderr)
                    continue
                row = json.loads(res.stdout.strip().splitlines()[-1])
                print(json.dumps(row), file=sys.stderr, flush=True)
                rows.append(row)
    keys = ["documents", "characters", "build_s", "build_chars_per_s", "query_mean_ms", "query_median_ms",
            "query_p95_ms", "query_chars_per_s", "peak_rss_mb", "index_bytes", "redis_used_memory",
            "mean_copy_ratio", "findings"]
    for backend in args.backends.split(","):
        pair = [r for r in rows if r["backend"] == backend]
        if len(pair) != 2:
            continue
        a, b = sorted(pair, key=lambda r: r["scale"])
        print(f"\n{backend}: ×1 vs ×{b['scale']}")
        print(f"{'metric':<20} {'×1':>14} {'×' + str(b['scale']):>14} {'ratio':>8}")
        for k in keys:
            va, vb = a.get(k), b.get(k)
            if va is None or vb is None:
                continue
            ratio = f"{vb / va:.2f}" if va else "-"
            print(f"{k:<20} {va:>14} {vb:>14} {ratio:>8}")


if __name__ == "__main__":
    main()
