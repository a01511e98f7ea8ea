"""A paragraph segmented alone has exactly the document's token boundaries (IND002 relies on it).

bench/check_paragraph_tokens.py checks the same on the whole shared corpus, with both segmenters.
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
