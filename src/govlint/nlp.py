"""The segmenter, loaded lazily and once per process.

jieba is the default; a faster jieba-compatible segmenter (``jieba_fast_dat``, the
``govlint[fast]`` extra) is used when installed. ``GOVLINT_SEGMENTER=jieba`` forces jieba.
The government-terms user dictionary from the lexicons is loaded on first use.
spaCy is never imported here unless ``spacy_pipeline()`` is called.

Findings must not depend on the extra, so jieba_fast_dat is made to segment like jieba
(bench/compare_segmenters.py measures it on the shared corpus; docs/performance.md):

* it ships a bigger dictionary (584k entries against jieba's 349k) that merges more
  (职业/年/金 → 年金, 万元/以上 → 万元以上); it gets jieba's own ``dict.txt`` with the user
  dictionary appended (``govlint-dict.<environment>-<content>.txt`` in the temp dir) through
  ``jieba_fast_dat.Tokenizer(path)``, which caches the compiled form there too (first use ~1 s,
  then ~15 ms: faster than its default dictionary; ``set_dictionary`` always rebuilds);
* its C++ cut splits decimals and percentages that jieba keeps whole (30/% , 0/./00);
  ``_join_numbers`` rejoins them the way jieba's ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` does.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading

_lock = threading.Lock()
_segmenter = None
_name = None
_spacy = None


def segmenter_name() -> str:
    _load()
    return _name or "jieba"


def _choice() -> str:
    want = os.environ.get("GOVLINT_SEGMENTER", "auto")
    if want in ("auto", "jieba_fast_dat"):
        try:
            import jieba_fast_dat  # type: ignore  # noqa: F401
            return "jieba_fast_dat"
        except Exception:  # pragma: no cover - optional extra
            pass
    return "jieba"


def _jieba_dict() -> str | None:
    """Path of jieba's dictionary, found without importing jieba (85 ms)."""
    import importlib.util
    try:
        spec = importlib.util.find_spec("jieba")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "dict.txt")
    return path if os.path.isfile(path) else None


def load_segmenter(name: str):
    """A fresh segmenter (``jieba`` or ``jieba_fast_dat``) with the user dictionary loaded.

    The object has jieba's API: ``tokenize``, ``cut``, ``add_word``. Normally use ``tokenize``;
    this is for tools that compare segmenters.
    """
    from govlint.lexicon import userdict_path
    upath = userdict_path()
    entries = userdict_entries(upath) if upath is not None else []
    if name == "jieba_fast_dat":
        import jieba_fast_dat  # type: ignore
        jieba_fast_dat.setLogLevel(logging.WARNING)
        path = _jieba_dict()
        seg = None
        if path is not None:
            # jieba's dictionary with the user dictionary appended, compiled once and cached:
            # add_word's first insert alone costs ~25 ms per process
            merged = _merged_dictionary(path, entries) if entries else None
            try:
                seg = jieba_fast_dat.Tokenizer(merged or path)
                seg.initialize()
                if merged:
                    entries = [e for e in entries if e[1] is None]   # no frequency: add_word
            except Exception:  # pragma: no cover - a jieba_fast_dat without Tokenizer(path)
                seg = None
        if seg is None:
            seg = jieba_fast_dat
    else:
        import jieba  # type: ignore
        jieba.setLogLevel(logging.WARNING)
        seg = jieba
    logging.getLogger("jieba").setLevel(logging.WARNING)
    # "word freq tag" lines; comment lines start with #. (jieba's load_userdict would add a
    # comment line as a word; jieba_fast_dat's wants a path and caches 17 MB per path.)
    for word, freq, tag in entries:
        seg.add_word(word, freq, tag)
    return seg


def _merged_dictionary(dict_path: str, entries) -> str | None:
    """A dictionary file = jieba's + the user entries, in the temp dir.

    Named ``govlint-dict.<environment>-<content>.txt``: the first key hashes the Python
    environment (``sys.prefix``) and the path of jieba's dictionary, so another environment on
    the machine (say a pre-commit hook's venv) keeps its own file; the second the contents. When the contents change
    (a govlint upgrade), the same environment's older files are removed with the compiled
    cache jieba_fast_dat built for them; other environments' files are left alone — removing
    them made two environments rebuild each other's dictionary (~1 s) on every run.
    """
    import hashlib
    import tempfile
    try:
        st = os.stat(dict_path)
        lines = "".join(f"{w} {f}{' ' + t if t else ''}\n" for w, f, t in entries if f is not None)
        env_key = hashlib.md5(f"{sys.prefix}|{dict_path}".encode("utf-8")).hexdigest()[:8]
        content_key = hashlib.md5(f"{st.st_size}|{st.st_mtime_ns}|{lines}".encode("utf-8")).hexdigest()[:16]
        tmp = tempfile.gettempdir()
        stem = f"govlint-dict.{env_key}-"
        target = os.path.join(tmp, f"{stem}{content_key}.txt")
        if not os.path.exists(target):
            with open(dict_path, "rb") as fh:
                base = fh.read()
            part = f"{target}.{os.getpid()}.part"
            with open(part, "wb") as fh:
                fh.write(base.rstrip(b"\n") + b"\n" + lines.encode("utf-8"))
            os.replace(part, target)
            _remove_stale_dictionaries(tmp, stem, target)
        return target
    except OSError:
        return None


_LEGACY_DICT = re.compile(r"govlint-dict\.[0-9a-f]{16}\.txt(?:\.\d+\.part)?$")


def _remove_stale_dictionaries(tmp: str, stem: str, keep: str) -> None:
    """This environment's earlier merged dictionaries, their compiled caches, and parts
    left by an interrupted write more than an hour ago; also the files of govlint versions
    before 2026-11-27, whose names said nothing of the environment (``govlint-dict.<16 hex>``)."""
    import time
    try:
        from jieba_fast_dat.utils import CacheManager  # type: ignore
    except Exception:  # pragma: no cover - another jieba_fast_dat layout
        CacheManager = None
    for name in os.listdir(tmp):
        path = os.path.join(tmp, name)
        legacy = _LEGACY_DICT.match(name) is not None
        if not (name.startswith(stem) or legacy) or path == keep:
            continue
        try:
            if name.endswith(".part"):
                if time.time() - os.stat(path).st_mtime > 3600:
                    os.unlink(path)
                continue
            if not name.endswith(".txt"):
                continue
            os.unlink(path)
            if CacheManager is not None:
                compiled = CacheManager.get_cache_path(path, prefix="jieba_fast_dat.u")
                if os.path.exists(compiled):
                    os.unlink(compiled)
        except (OSError, TypeError, AttributeError):
            pass


def userdict_entries(path) -> list[tuple[str, int | None, str | None]]:
    """(word, freq, tag) of a jieba user dictionary; blank lines and ``#`` comments skipped."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for ln in fh:
            parts = ln.lstrip("\ufeff").split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            out.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return out


def _load():
    global _segmenter, _name
    if _segmenter is not None:
        return _segmenter
    with _lock:
        if _segmenter is not None:
            return _segmenter
        name = _choice()
        seg = load_segmenter(name)
        _name = name
        _segmenter = seg
        return seg


_ALNUM = re.compile(r"[A-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


def _join_numbers(toks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Rejoin ``12`` ``.`` ``5`` ``%`` into ``12.5%`` as jieba does (jieba_fast_dat splits them)."""
    marks = [k for k, t in enumerate(toks) if t[0] == "." or t[0] == "%"]
    if not marks:
        return toks
    n = len(toks)
    out: list[tuple[str, int, int]] = []
    last = 0   # toks[last:] not yet copied
    for k in marks:
        i = k - 1
        if i < last:
            continue
        w, a, b = toks[i]
        if toks[k][1] != b or not _ALNUM.fullmatch(w):
            continue
        j = k
        if toks[j][0] == ".":
            if j + 1 < n and toks[j + 1][1] == toks[j][2] and _DIGITS.fullmatch(toks[j + 1][0]):
                b = toks[j + 1][2]
                j += 2
            else:
                continue
        if j < n and toks[j][0] == "%" and toks[j][1] == b:
            b = toks[j][2]
            j += 1
        out.extend(toks[last:i])
        out.append(("".join(t[0] for t in toks[i:j]), a, b))
        last = j
    out.extend(toks[last:])
    return out


def tokens_with(seg, name: str, text: str, hmm: bool = True) -> list[tuple[str, int, int]]:
    """``tokenize`` with a given segmenter from ``load_segmenter``."""
    toks = [(w, a, b) for w, a, b in seg.tokenize(text, HMM=hmm)]
    if name == "jieba_fast_dat":
        toks = _join_numbers(toks)
    return toks


def tokenize(text: str, hmm: bool = True) -> list[tuple[str, int, int]]:
    """(word, start, end) for every token of ``text``; offsets are character offsets.

    ``hmm=False`` segments by the dictionaries alone: jieba's HMM only regroups runs of
    single characters that no dictionary knows (new names), and jieba_fast_dat loads its HMM
    model (~10 ms) on the first call that asks for it."""
    seg = _load()
    return tokens_with(seg, _name, text, hmm)


def cut(text: str) -> list[str]:
    return [w for w, _, _ in tokenize(text)]


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
