#!/usr/bin/env python
"""Build DUP003's table of common government wording: hashed character n-grams, no text.

Input: the public government documents of ``../shared/corpus/`` (work reports, State Council
documents, regulations, resolutions, budget accounts). For every run of Han characters, each
character n-gram (``--n``, default 4) is counted once per document. Categories differ a lot in
size (649 regulations, 56 work reports, ...), so an n-gram's frequency is the mean over
categories of the share of that category's documents holding it; an n-gram is *common* when
that mean reaches ``--min-share`` and it occurs in at least ``--min-docs`` documents.

Output (shipped in the wheel): ``src/govlint/data/dup003_ngrams.bin`` — the sorted, distinct
CRC-32 values of the common n-grams as little-endian uint32, and ``dup003_ngrams.toml`` —
its provenance (input, parameters, counts, a digest of the input file list). The documents'
text is never written anywhere; a 32-bit hash cannot be turned back into the n-gram.

Usage: python bench/build_dup003_table.py [--corpus DIR] [--n 4] [--min-share 0.02] [--min-docs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import struct
import sys
import zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "govlint" / "data"
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def doc_ngrams(text: str, n: int) -> set[str]:
    out: set[str] = set()
    for m in HAN_RUN.finditer(text):
        run = m.group(0)
        for i in range(len(run) - n + 1):
            out.add(run[i:i + n])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--min-share", type=float, default=0.02)
    ap.add_argument("--min-docs", type=int, default=5)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    files = sorted(p for p in corpus.rglob("*.txt") if p.name != "stats.txt")
    if not files:
        print(f"no documents under {corpus}", file=sys.stderr)
        return 1
    by_cat: dict[str, list[Path]] = {}
    for p in files:
        by_cat.setdefault(p.relative_to(corpus).parts[0], []).append(p)
    share: Counter = Counter()
    docs: Counter = Counter()
    for cat, paths in by_cat.items():
        c: Counter = Counter()
        for p in paths:
            c.update(doc_ngrams(p.read_text(encoding="utf-8", errors="replace"), args.n))
        for g, k in c.items():
            share[g] += k / len(paths) / len(by_cat)
            docs[g] += k
    common = [g for g, s in share.items() if s >= args.min_share and docs[g] >= args.min_docs]
    hashes = sorted({zlib.crc32(g.encode("utf-8")) for g in common})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "dup003_ngrams.bin").write_bytes(struct.pack(f"<{len(hashes)}I", *hashes))
    listing = hashlib.sha256("\n".join(str(p.relative_to(corpus)) for p in files).encode()).hexdigest()[:16]
    cats = ", ".join(f"{k} {len(v)}" for k, v in sorted(by_cat.items()))
    (out / "dup003_ngrams.toml").write_text(
        "# Provenance of dup003_ngrams.bin (DUP003 generic-boilerplate). Written by\n"
        "# bench/build_dup003_table.py; do not edit by hand.\n"
        "[meta]\n"
        f'source = "../shared/corpus/ ({len(files)} public Chinese government documents: {cats}); '
        f'file list sha256 {listing}. Only hashes of n-grams are shipped, no text."\n'
        f'build = "python bench/build_dup003_table.py --n {args.n} --min-share {args.min_share} '
        f'--min-docs {args.min_docs}"\n'
        f"n = {args.n}\n"
        f"min_share = {args.min_share}\n"
        f"min_docs = {args.min_docs}\n"
        f"ngrams_seen = {len(share)}\n"
        f"common = {len(common)}\n"
        f"hashes = {len(hashes)}\n"
        'hash = "zlib.crc32 of the UTF-8 n-gram, sorted little-endian uint32"\n',
        encoding="utf-8")
    print(f"{len(files)} documents, {len(share)} distinct {args.n}-grams, {len(common)} common, "
          f"{len(hashes) * 4 / 1024:.0f} KiB → {out / 'dup003_ngrams.bin'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
