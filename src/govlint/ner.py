"""Named entities from spaCy's Chinese pipeline, used where they add value.

``zh_core_web_sm`` is used when it is installed (it cannot be downloaded on every machine,
so everything works without it). spaCy is imported only when the model is present or a
pipeline was set explicitly with ``set_pipeline`` (tests, or teams with their own Chinese
pipeline). Entities strengthen DUP001: names of organisations, places and people are
masked before paragraphs are compared, so a paragraph copied from another unit's report
with the names changed is still recognised.
"""

from __future__ import annotations

import importlib.util

MASKED_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "PERSON", "NORP"})
_pipeline = None      # None: not looked up yet; False: none available


def set_pipeline(nlp) -> None:
    """Use this spaCy ``Language`` for entities (``None`` to look up ``zh_core_web_sm`` again)."""
    global _pipeline
    _pipeline = nlp if nlp is not None else None


def pipeline():
    global _pipeline
    if _pipeline is None:
        _pipeline = False
        if importlib.util.find_spec("zh_core_web_sm") is not None:
            try:
                import spacy
                _pipeline = spacy.load("zh_core_web_sm", exclude=["parser", "lemmatizer"])
            except Exception:  # a broken model install must not break linting
                _pipeline = False
    return _pipeline or None


def entities(text: str, labels=MASKED_LABELS) -> list[tuple[int, int, str]]:
    """(start, end, label) character spans of named entities, or [] without a pipeline."""
    nlp = pipeline()
    if nlp is None:
        return []
    out = []
    pos = 0
    for line in text.split("\n"):        # line by line keeps memory flat on long reports
        if line.strip():
            doc = nlp(line)
            out.extend((pos + e.start_char, pos + e.end_char, e.label_) for e in doc.ents if e.label_ in labels)
        pos += len(line) + 1
    return out
