"""The segmenter, loaded lazily and once per process.

jieba is the default; a faster jieba-compatible segmenter (``jieba_fast_dat``) is used when
installed. The government-terms user dictionary from the lexicons is loaded on first use.
spaCy is never imported here unless ``spacy_pipeline()`` is called.
"""

from __future__ import annotations

import logging
import os
import threading

_lock = threading.Lock()
_segmenter = None
_name = None
_spacy = None


def segmenter_name() -> str:
    _load()
    return _name or "jieba"


def _load():
    global _segmenter, _name
    if _segmenter is not None:
        return _segmenter
    with _lock:
        if _segmenter is not None:
            return _segmenter
        mod = None
        if os.environ.get("GOVLINT_SEGMENTER", "auto") in ("auto", "jieba_fast_dat"):
            try:
                import jieba_fast_dat as mod  # type: ignore
                _name = "jieba_fast_dat"
            except Exception:  # pragma: no cover - optional extra
                mod = None
        if mod is None:
            import jieba as mod  # type: ignore
            _name = "jieba"
        if hasattr(mod, "setLogLevel"):
            mod.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        from govlint.lexicon import userdict_path
        path = userdict_path()
        if path is not None:
            # "word freq tag" lines; comment lines start with #. add_word works for
            # jieba and jieba_fast_dat alike (the latter's load_userdict wants a path).
            for ln in path.read_text(encoding="utf-8").splitlines():
                parts = ln.split()
                if not parts or parts[0].startswith("#"):
                    continue
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                mod.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
        _segmenter = mod
        return mod


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every token of ``text``; offsets are character offsets."""
    seg = _load()
    return [(w, a, b) for w, a, b in seg.tokenize(text)]


def cut(text: str) -> list[str]:
    return list(_load().cut(text))


def spacy_pipeline():
    """A Chinese spaCy pipeline: ``zh_core_web_sm`` when installed, else None (cached)."""
    global _spacy
    if _spacy is None:
        try:
            import spacy  # noqa: F401
            _spacy = spacy.load("zh_core_web_sm")
        except Exception:
            _spacy = False
    return _spacy or None
