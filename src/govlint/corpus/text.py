"""Text features shared by every corpus backend: normalisation, winnowed k-grams, MinHash.

Everything here is deterministic across processes and machines (no ``hash()``), so an
index built by one process answers queries from another, and the SQLite and Redis
backends see exactly the same fingerprints.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

# Winnowing parameters: k-grams of K normalised characters, one fingerprint kept per
# window of W consecutive k-grams. Any common run of at least K + W - 1 = 13 characters
# shares at least one fingerprint (Schleimer, Wilkerson & Aiken 2003).
K = 8
W = 6
GUARANTEE = K + W - 1
NUM_PERM = 64            # MinHash permutations per paragraph
LSH_THRESHOLD = 0.5      # LSH candidate threshold (verification uses the rule's own)
SHINGLE = 3              # character shingles for paragraph similarity
MIN_PARAGRAPH = 40       # normalised characters for a paragraph to get a signature
NORMALISER = 1           # bump when normalise() changes (part of the schema check)

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_BASE = np.uint64(1_000_003)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@dataclass
class Normalised:
    """Normalised text plus, for each of its characters, the offset it came from."""

    text: str
    origin: np.ndarray      # len(text) int64 entries, ascending: offset in the original text

    def span_to_original(self, a: int, b: int) -> tuple[int, int]:
        """Half-open normalised span → half-open original span."""
        return int(self.origin[a]), int(self.origin[b - 1]) + 1

    def original_to_norm(self, a: int, b: int) -> tuple[int, int]:
        i, j = np.searchsorted(self.origin, (a, b), side="left").tolist()
        return i, j


def _is_plain(ch: str) -> bool:
    o = ord(ch)
    return o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


_TABLE: dict[int, str] = {}      # code point → its form, for the characters that change
_LENGTH = np.full(0x110000, -1, dtype=np.int8)    # code point → length of its form (-1: not yet seen)
_CODE = np.zeros(0x110000, dtype=np.uint32)        # code point → its form when one character long
_EMPTY = np.zeros(0, dtype=np.int64)


def _mapped(cp: int) -> str:
    ch = chr(cp)
    if ch.isspace() or ch == "\ufeff":
        return ""
    if _is_plain(ch):
        return ch.lower() if "A" <= ch <= "Z" else ch
    return "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if not c.isspace())


def normalise(text: str) -> Normalised:
    """Width- and case-insensitive text without whitespace (NFKC per character).

    Each character maps on its own (to nothing, itself, or a few characters), so the
    mapping is vectorised (numpy over the code points; forms computed once per code point
    and process) and the offsets come from each character's index repeated by the length
    of its form: the same result as mapping character by character with ``_mapped``."""
    if not text:
        return Normalised("", _EMPTY)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = _LENGTH[codes]
    if (lengths < 0).any():
        for cp in np.unique(codes[lengths < 0]).tolist():
            m = _mapped(cp)
            if len(m) > 127:         # int8 lengths; NFKC forms are at most 18 characters
                raise ValueError(f"normal form of U+{cp:04X} too long")
            _LENGTH[cp] = len(m)
            _CODE[cp] = ord(m) if len(m) == 1 else 0
            if len(m) != 1 or ord(m) != cp:
                _TABLE[cp] = m
        lengths = _LENGTH[codes]
    several = np.flatnonzero(lengths > 1)
    if len(several):                 # forms of several characters (…… → ......, ㎡ → m2)
        widths = lengths.astype(np.int64)
        starts = np.cumsum(widths) - widths
        out = np.empty(int(widths.sum()), dtype=np.uint32)
        one = lengths == 1
        out[starts[one]] = _CODE[codes[one]]
        for i in several.tolist():
            form = _TABLE[int(codes[i])]
            out[starts[i]:starts[i] + len(form)] = [ord(c) for c in form]
        return Normalised(out.tobytes().decode("utf-32-le", "surrogatepass"),
                          np.repeat(np.arange(len(codes), dtype=np.int64), widths))
    keep = np.flatnonzero(lengths)
    out = _CODE[codes[keep]].tobytes().decode("utf-32-le", "surrogatepass")
    return Normalised(out, keep.astype(np.int64, copy=False))


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def kgram_hashes(norm: str, k: int = K) -> np.ndarray:
    """64-bit hash of every k-gram (uint64 array of len(norm) - k + 1)."""
    n = len(norm)
    if n < k:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = n - k + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + codes[j:j + m]
        return _mix(h)


def winnow(norm: str, k: int = K, w: int = W) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed fingerprints: (positions, signed 64-bit hashes), positions ascending."""
    h = kgram_hashes(norm, k)
    if len(h) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(h) <= w:
        idx = np.array([int(np.argmin(h))])
    else:
        win = np.lib.stride_tricks.sliding_window_view(h, w)
        # rightmost minimum of each window (robust winnowing)
        rev = win[:, ::-1].argmin(axis=1)
        idx = np.unique(np.arange(len(win)) + (w - 1 - rev))
    return idx.astype(np.int64), h[idx].view(np.int64)


def exact_hash(text: str, k: int = K) -> int:
    """The signed hash of one k-gram, as winnow() stores it."""
    return int(kgram_hashes(text[:k], k).view(np.int64)[0])


# ----- paragraphs -----------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")


def fuzzy(norm: str) -> str:
    """Figures collapse to one placeholder so changed numbers do not change shingles."""
    return _NUMBER.sub("0", norm)


def shingles(norm: str, n: int = SHINGLE) -> set[str]:
    f = fuzzy(norm)
    return {f[i:i + n] for i in range(max(0, len(f) - n + 1))}


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _crc(s) -> int:
    return zlib.crc32(s.encode("utf-8") if isinstance(s, str) else s)


def minhash(sh: set[str]):
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=_crc)
    m.update_batch(sorted(sh))
    return m


_LSH_PARAMS: tuple[int, int] | None = None


def lsh_params() -> tuple[int, int]:
    """(bands, rows) datasketch chooses for LSH_THRESHOLD and NUM_PERM; both backends use them."""
    global _LSH_PARAMS
    if _LSH_PARAMS is None:
        from datasketch import MinHashLSH
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        _LSH_PARAMS = (lsh.b, lsh.r)
    return _LSH_PARAMS


def band_keys(m) -> list[int]:
    """One signed 64-bit key per LSH band (the bytes datasketch buckets on, hashed)."""
    b, r = lsh_params()
    hv = m.hashvalues
    out = []
    for i in range(b):
        raw = bytes(hv[i * r:(i + 1) * r].byteswap().data)
        out.append(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little", signed=True))
    return out


_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)


def mixed_band_keys(m) -> list[int]:
    """One signed 64-bit key per band with the band number mixed in, so one table (or one
    bucket) holds every band and keys of different bands never meet."""
    k = np.array(band_keys(m), dtype=np.int64).view(np.uint64)
    with np.errstate(over="ignore"):
        return (k + _BAND_MIX * np.arange(len(k), dtype=np.uint64)).view(np.int64).tolist()


def stored_features(text: str, spans) -> tuple[list[int], list[int]]:
    """(distinct fingerprints, distinct mixed band keys) of a stored document, recomputed
    from its text and paragraph spans: an index needs not keep signatures to delete it."""
    hashes = sorted(set(winnow(normalise(text).text)[1].tolist()))
    bands: set = set()
    for a, b in spans:
        bands.update(mixed_band_keys(minhash(shingles(normalise(text[a:b]).text))))
    return hashes, sorted(bands)


@dataclass
class ParaFeature:
    index: int          # position among the document's indexed paragraphs
    start: int          # original offsets
    end: int
    bands: list         # its LSH band keys (``mixed_band_keys`` of its MinHash): all an index stores


def paragraph_features(doc) -> list[ParaFeature]:
    """Signatures of the paragraphs long enough to compare (headings excluded)."""
    out = []
    for p in doc.paragraphs:
        if p.heading is not None and not p.heading.has_inline_body:
            continue
        n = normalise(p.text).text
        if len(n) < MIN_PARAGRAPH:
            continue
        out.append(ParaFeature(len(out), p.start, p.end, mixed_band_keys(minhash(shingles(n)))))
    return out


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def params_meta() -> dict:
    b, r = lsh_params()
    return {"k": K, "w": W, "num_perm": NUM_PERM, "lsh_threshold": LSH_THRESHOLD, "bands": b,
            "rows": r, "shingle": SHINGLE, "min_paragraph": MIN_PARAGRAPH, "normaliser": NORMALISER}
