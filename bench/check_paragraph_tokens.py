#!/usr/bin/env python
"""Segmenting paragraph by paragraph gives the document's tokens exactly.

IND002 segments only the paragraphs that hold a candidate claim (a report with none never
loads the segmenter). That is only sound if a paragraph segmented alone gets the same token
boundaries as the whole document segmented at once. This script checks it on every document
of ``../shared/corpus/`` and ``corpora/`` with the chosen segmenter, and exits 1 on any
difference.

Usage: python bench/check_paragraph_tokens.py [--segmenter jieba|jieba_fast_dat] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_CORPUS  # noqa: E402

SUFFIXES = {".txt", ".md", ".docx", ".pdf"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segmenter", default=None, help="jieba or jieba_fast_dat (default: govlint's choice)")
    ap.add_argument("--limit", type=int, default=None, help="at most N documents of the shared corpus")
    args = ap.parse_args()
    if args.segmenter:
        os.environ["GOVLINT_SEGMENTER"] = args.segmenter
    from govlint import nlp
    from govlint.readers import read_path

    shared = sorted(p for p in SHARED_CORPUS.rglob("*") if p.suffix in SUFFIXES) if SHARED_CORPUS.is_dir() else []
    files = shared[:args.limit] + sorted(p for p in (REPO / "corpora").rglob("*") if p.suffix in SUFFIXES)
    docs = paragraphs = differing = 0
    for f in files:
        try:
            doc = read_path(str(f))
        except Exception as exc:  # an unreadable file is not this check's business
            print(f"skip {f}: {exc}", file=sys.stderr)
            continue
        docs += 1
        toks = doc.tokens()
        starts = {a for _, a, _ in toks}
        ends = {b for _, _, b in toks}
        for p in doc.paragraphs:
            paragraphs += 1
            alone = nlp.tokenize(p.text)
            ps = {p.start + a for _, a, _ in alone}
            pe = {p.start + b for _, _, b in alone}
            if ps != {a for a in starts if p.start <= a < p.end} or pe != {b for b in ends if p.start < b <= p.end}:
                differing += 1
                if differing <= 10:
                    print(f"DIFFERENT {f}: {p.text[:60]!r}")
    print(f"segmenter {nlp.segmenter_name()}: {docs} documents, {paragraphs} paragraphs, "
          f"{differing} segmented differently alone")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
