#!/usr/bin/env python
"""The two facts IND002's lazy segmentation rests on, checked on every document.

IND002 flags a claim from the ``vague`` lexicon only when it starts and ends on token edges
(比较好的 is not 较好). To keep a cold run cheap it (1) segments only the paragraphs that hold a
candidate claim, each on its own, and (2) segments them by the dictionaries alone, without
jieba's HMM. That is sound if

1. a paragraph segmented alone has exactly the token boundaries the whole document segmented
   at once has there, and
2. no claim match is decided differently (aligned or not) with the HMM as without it.

This script checks both on every document of ``../shared/corpus/``, ``corpora/`` and
``tests/fixtures/`` with the chosen segmenter, and exits 1 on any difference.

Usage: python bench/check_token_edges.py [--corpus DIR] [--segmenter jieba|jieba_fast_dat] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_CORPUS  # noqa: E402

SUFFIXES = {".txt", ".md", ".docx", ".pdf"}


def edges(toks, base=0):
    return {base + a for _, a, _ in toks}, {base + b for _, _, b in toks}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segmenter", default=None, help="jieba or jieba_fast_dat (default: govlint's choice)")
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS, help="default: ../shared/corpus/")
    ap.add_argument("--limit", type=int, default=None, help="at most N documents of the corpus")
    args = ap.parse_args()
    if args.segmenter:
        os.environ["GOVLINT_SEGMENTER"] = args.segmenter
    from govlint import lexicon, nlp
    from govlint.readers import read_path
    from govlint.rules._util import alternation

    claims = alternation(tuple(lexicon.load()["vague"]["claims"]))
    shared = sorted(p for p in args.corpus.rglob("*") if p.suffix in SUFFIXES) if args.corpus.is_dir() else []
    own = sorted(p for d in ("corpora", "tests/fixtures") for p in (REPO / d).rglob("*") if p.suffix in SUFFIXES)
    docs = paragraphs = split_differently = matches = decided_differently = 0
    for f in shared[:args.limit] + own:
        try:
            doc = read_path(str(f))
        except Exception as exc:  # an unreadable file is not this check's business
            print(f"skip {f}: {exc}", file=sys.stderr)
            continue
        docs += 1
        starts, ends = edges(doc.tokens())
        for p in doc.paragraphs:
            paragraphs += 1
            ps, pe = edges(nlp.tokenize(p.text), p.start)
            if ps != {a for a in starts if p.start <= a < p.end} or pe != {b for b in ends if p.start < b <= p.end}:
                split_differently += 1
                if split_differently <= 10:
                    print(f"SEGMENTED DIFFERENTLY ALONE {f}: {p.text[:60]!r}")
            found = list(claims.finditer(p.text))
            if not found:
                continue
            ns, ne = edges(nlp.tokenize(p.text, hmm=False))
            for m in found:
                matches += 1
                with_hmm = (p.start + m.start()) in ps and (p.start + m.end()) in pe
                without = m.start() in ns and m.end() in ne
                if with_hmm != without:
                    decided_differently += 1
                    if decided_differently <= 10:
                        print(f"HMM DECIDES {f}: {m.group(0)!r} in {p.text[max(0, m.start() - 10):m.end() + 10]!r}")
    print(f"segmenter {nlp.segmenter_name()}: {docs} documents, {paragraphs} paragraphs, "
          f"{split_differently} segmented differently alone; {matches} claim matches, "
          f"{decided_differently} decided differently without the HMM")
    return 1 if split_differently or decided_differently else 0


if __name__ == "__main__":
    sys.exit(main())
