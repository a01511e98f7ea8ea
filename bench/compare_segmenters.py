#!/usr/bin/env python
"""Does jieba_fast_dat segment like jieba? Sentence by sentence over the shared corpus.

Both segmenters get govlint's user dictionary (lexicons/userdict.txt) and tokenize each
report's whole text, as ``Document.tokens()`` does; tokens are then grouped by sentence (the
document model's sentences) and compared. ``--mode govlint`` (default) compares what govlint
uses (``nlp.load_segmenter`` + ``nlp.tokens_with``); ``--mode raw`` jieba_fast_dat as shipped.

Prints: the share of sentences whose token sequences are identical, the share of tokens
(boundaries) the two agree on, timing, the most frequent kinds of difference and examples.

Usage: python bench/compare_segmenters.py [--mode govlint|raw] [--corpus DIR] [--limit N] [--examples 12] [--json out.json]
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED_CORPUS, have, machine  # noqa: E402


def load(name: str, mode: str):
    """(segmenter, tokenize function). mode "govlint": as govlint.nlp uses it; "raw": as shipped."""
    from govlint import nlp
    if mode == "govlint" or name == "jieba":
        seg = nlp.load_segmenter(name)
        return lambda text: nlp.tokens_with(seg, name, text)
    import jieba_fast_dat as mod
    mod.setLogLevel(logging.WARNING)
    mod.initialize()
    from govlint.lexicon import userdict_path
    if userdict_path() is not None:
        for word, freq, tag in nlp.userdict_entries(userdict_path()):
            mod.add_word(word, freq, tag)
    return lambda text: [(w, a, b) for w, a, b in mod.tokenize(text)]


def classify(a: list[str], b: list[str]) -> str:
    """A coarse label for how two segmentations of the same sentence differ."""
    ja, jb = "".join(a), "".join(b)
    if ja != jb:
        return "different text (bug)"
    num = re.compile(r"[\d.%％,，]")
    da = [t for t in a if t not in b]
    db = [t for t in b if t not in a]
    if all(num.search(t) for t in da + db):
        return "numbers / decimals / percentages"
    if any(re.search(r"[A-Za-z]", t) for t in da + db):
        return "Latin letters"
    if len(a) < len(b):
        return "jieba_fast_dat splits finer"
    if len(a) > len(b):
        return "jieba_fast_dat merges more"
    return "same count, other boundaries"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--examples", type=int, default=12)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--mode", choices=("govlint", "raw"), default="govlint",
                    help="govlint: jieba_fast_dat as govlint.nlp sets it up (jieba's dictionary, numbers "
                         "rejoined); raw: jieba_fast_dat as shipped (its own dictionary)")
    args = ap.parse_args()
    if not have("jieba_fast_dat"):
        print("skipped: jieba_fast_dat is not installed (pip install 'govlint[fast]')")
        return 0
    if not args.corpus.is_dir():
        print(f"skipped: corpus directory {args.corpus} is absent")
        return 0
    files = sorted(p for p in args.corpus.rglob("*.txt") if p.parent != args.corpus)[:args.limit]
    from govlint.document import Document

    segs = {name: load(name, args.mode) for name in ("jieba", "jieba_fast_dat")}
    timing = Counter()
    sentences = same = 0
    tok_a = tok_b = tok_common = 0
    kinds: Counter = Counter()
    word_pairs: Counter = Counter()
    examples: dict[str, list] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = Document.from_text(text, str(path))
        toks = {}
        for name, mod in segs.items():
            t0 = time.perf_counter()
            toks[name] = mod(text)
            timing[name] += time.perf_counter() - t0
        starts = {n: [t[1] for t in ts] for n, ts in toks.items()}
        for s in doc.sentences:
            seq = {}
            for n, ts in toks.items():
                i = bisect.bisect_left(starts[n], s.start)
                j = bisect.bisect_left(starts[n], s.end)
                seq[n] = ts[i:j]
            a = [w for w, _, _ in seq["jieba"]]
            b = [w for w, _, _ in seq["jieba_fast_dat"]]
            if not "".join(a).strip():
                continue
            sentences += 1
            spans_a = {(x, y) for _, x, y in seq["jieba"]}
            spans_b = {(x, y) for _, x, y in seq["jieba_fast_dat"]}
            tok_a += len(spans_a)
            tok_b += len(spans_b)
            tok_common += len(spans_a & spans_b)
            if a == b:
                same += 1
                continue
            kind = classify(a, b)
            kinds[kind] += 1
            for (w, x, y) in seq["jieba"]:
                if (x, y) not in spans_b:
                    other = "/".join(w2 for w2, x2, y2 in seq["jieba_fast_dat"] if x2 < y and y2 > x)
                    word_pairs[(w, other)] += 1
            ex = examples.setdefault(kind, [])
            if len(ex) < args.examples:
                ex.append({"file": path.name, "jieba": " / ".join(a), "jieba_fast_dat": " / ".join(b)})

    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    info = machine()
    print(f"# segmenter comparison: {len(files)} files, {chars:,} chars, {sentences:,} sentences; "
          f"commit {info['commit']}; Python {info['python']}")
    print(f"mode: {args.mode}")
    print(f"identical token sequences: {same / max(sentences, 1):.2%} of sentences ({sentences - same:,} differ)")
    print(f"token boundaries agreed: {tok_common / max(tok_a, 1):.2%} of jieba's tokens, "
          f"{tok_common / max(tok_b, 1):.2%} of jieba_fast_dat's")
    print(f"tokenize time (in-process, warm): jieba {timing['jieba']:.2f} s, "
          f"jieba_fast_dat {timing['jieba_fast_dat']:.2f} s "
          f"({timing['jieba'] / max(timing['jieba_fast_dat'], 1e-9):.1f}× faster)")
    print("\ndifferences by kind (sentences):")
    for k, v in kinds.most_common():
        print(f"- {k}: {v:,} ({v / max(sentences, 1):.2%} of sentences)")
    print("\nmost frequent jieba tokens that jieba_fast_dat segments otherwise (jieba → jieba_fast_dat):")
    for (w, other), v in word_pairs.most_common(20):
        print(f"- {w} → {other}  ×{v}")
    print("\nexamples:")
    for k, ex in examples.items():
        print(f"\n## {k}")
        for e in ex[: max(3, args.examples // 4)]:
            print(f"- {e['file']}\n  jieba:          {e['jieba']}\n  jieba_fast_dat: {e['jieba_fast_dat']}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "files": len(files), "sentences": sentences,
                                         "identical": same, "kinds": dict(kinds),
                                         "token_agreement": tok_common / max(tok_a, 1),
                                         "top_pairs": [[w, o, v] for (w, o), v in word_pairs.most_common(50)],
                                         "examples": examples}, ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
