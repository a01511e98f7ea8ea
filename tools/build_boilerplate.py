"""Build the boilerplate table DUP002 ships: k-gram hashes common across government documents.

    python tools/build_boilerplate.py [--corpus ../shared/corpus] [--min-docs 8] [--out src/govlint/corpus/boilerplate.npz]

Every document of the corpus (``*.txt``) is normalised as the corpus index normalises it
(``govlint.corpus.text.normalise``); the 64-bit hashes of all its K-character grams are
counted once per document, and the hashes found in at least ``--min-docs`` documents are
written, sorted, to an ``.npz`` with the parameters and the source. Only hashes are
shipped, never the texts: a phrase cannot be read back from the table, only recognised.

DUP002 treats a fingerprint in this table as template text (like one found in
``boilerplate_docs`` documents of the user's own corpus), so phrases common across
government documents (资金实行专户管理、专款专用 …) are boilerplate even when the user's
corpus holds a handful of reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_OUT = ROOT / "src" / "govlint" / "corpus" / "boilerplate.npz"


def build(corpus: Path, min_docs: int) -> tuple[np.ndarray, int]:
    from govlint.corpus import text as T
    files = sorted(corpus.rglob("*.txt"))
    per_doc = []
    for f in files:
        norm = T.normalise(f.read_text(encoding="utf-8", errors="replace")).text
        h = T.kgram_hashes(norm, T.K)
        if len(h):
            per_doc.append(np.unique(h.view(np.int64)))
    allh = np.concatenate(per_doc)
    uniq, counts = np.unique(allh, return_counts=True)
    return np.sort(uniq[counts >= min_docs]), len(files)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--min-docs", type=int, default=8)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    a = ap.parse_args(argv)
    from govlint.corpus import text as T
    hashes, n = build(a.corpus, a.min_docs)
    source = (f"k-gram hashes (K={T.K}, normaliser {T.NORMALISER}) found in at least {a.min_docs} of the {n} "
              f"government documents of the project's shared corpus (../shared/corpus: budget and final "
              f"accounts, government work reports, normative notices, NPC resolutions, party congress "
              f"reports, State Council documents, regulations; listed in its SOURCES.md); built by "
              f"tools/build_boilerplate.py. Hashes only: no text is shipped.")
    np.savez_compressed(a.out, hashes=hashes, k=np.int64(T.K), normaliser=np.int64(T.NORMALISER),
                        min_docs=np.int64(a.min_docs), documents=np.int64(n), source=np.array(source))
    print(f"{len(hashes):,} hashes from {n} documents -> {a.out} ({a.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
