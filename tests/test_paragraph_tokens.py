"""What IND002's lazy segmentation rests on: a paragraph segmented alone has exactly the
document's token boundaries, and no claim is decided differently without jieba's HMM.

bench/check_token_edges.py checks the same on the whole shared corpus, with both segmenters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govlint import nlp
from govlint.readers import read_path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in [*(ROOT / "corpora").rglob("*"), *(ROOT / "tests" / "fixtures").rglob("*")]
               if p.suffix in (".txt", ".md", ".docx"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_paragraph_tokens_equal_document_tokens(path):
    doc = read_path(str(path))
    toks = doc.tokens()
    assert toks, "the probe must segment something"
    starts = {a for _, a, _ in toks}
    ends = {b for _, _, b in toks}
    for p in doc.paragraphs:
        alone = nlp.tokenize(p.text)
        assert {p.start + a for _, a, _ in alone} == {a for a in starts if p.start <= a < p.end}, p.text
        assert {p.start + b for _, _, b in alone} == {b for b in ends if p.start < b <= p.end}, p.text


def test_claim_edges_do_not_depend_on_the_hmm():
    from govlint import lexicon
    from govlint.rules._util import alternation
    claims = alternation(tuple(lexicon.load()["vague"]["claims"]))
    matches = 0
    for path in FILES:
        for p in read_path(str(path)).paragraphs:
            found = list(claims.finditer(p.text))
            if not found:
                continue
            with_hmm, without = nlp.tokenize(p.text), nlp.tokenize(p.text, hmm=False)
            for m in found:
                matches += 1
                aligned = [any(a == m.start() for _, a, _ in t) and any(b == m.end() for _, _, b in t)
                           for t in (with_hmm, without)]
                assert aligned[0] == aligned[1], (path.name, m.group(0), p.text)
    assert matches >= 20, "the project's reports must hold claims for this test to mean anything"
