"""What every backend shares: turning a file into a record, add/remove bookkeeping, caches.

A backend implements the storage primitives (``_store``, ``_delete``, ``df``, ``postings``,
``lsh_candidates`` …); the matching itself lives in ``govlint.corpus.match`` and only
uses these primitives, so both backends return the same findings on the same corpus.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govlint.corpus.common import CorpusError
from govlint.corpus import text as T


def chunks(seq, n: int):
    """Consecutive slices of ``seq`` of at most ``n`` items (batched queries)."""
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


@dataclass
class DocRecord:
    path: str               # resolved path: the document's identity in the index
    file_hash: str          # sha256 of the file bytes (unchanged file → nothing to do)
    text_hash: str          # sha256 of the text
    title: str
    text: str
    positions: np.ndarray   # winnowed fingerprint positions (normalised offsets)
    hashes: np.ndarray      # their signed 64-bit hashes
    paras: list             # [ParaFeature]

    @property
    def distinct(self) -> list[int]:
        return sorted(set(int(h) for h in self.hashes))

    def postings(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for p, h in zip(self.positions.tolist(), self.hashes.tolist()):
            out.setdefault(h, []).append(p)
        return out


@dataclass
class SourceDoc:
    id: object
    path: str
    title: str
    text: str
    _norm: T.Normalised | None = None     # normalised on first use (see ``norm``)
    _line_starts: list | None = None

    @property
    def norm(self) -> T.Normalised:
        """The whole text normalised (verbatim runs need it; computed once, on first use)."""
        if self._norm is None:
            self._norm = T.normalise(self.text)
        return self._norm

    def norm_slice(self, start: int, end: int) -> str:
        """The normalised text of original ``[start, end)`` — equal to the slice of ``norm``
        (normalisation is per character), without normalising the whole document: a
        near-duplicate check reads hundreds of candidate paragraphs in a large corpus."""
        if self._norm is not None:
            a, b = self._norm.original_to_norm(start, end)
            return self._norm.text[a:b]
        return T.normalise(self.text[start:end]).text

    def position(self, start: int, end: int):
        import bisect
        from govlint.finding import Position
        if self._line_starts is None:
            self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        ls = self._line_starts

        def lc(o):
            i = bisect.bisect_right(ls, o) - 1
            return i + 1, o - ls[i] + 1
        a, b = lc(start), lc(end)
        return Position(a[0], a[1], b[0], b[1])


def file_sha(path: Path) -> str:
    """sha256 of a regular file's bytes; InputError (Chinese) for anything else: a FIFO or a
    device is never opened for reading (it could block forever or never end)."""
    import os
    import stat
    from govlint.readers import InputError
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"无法读取文件（系统错误 {exc.errno}）") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("不是普通文件（管道、设备等），已跳过")
        h = hashlib.sha256()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError as exc:
        raise InputError(f"无法读取文件（系统错误 {exc.errno}）") from None
    finally:
        os.close(fd)


def make_record(path: str, file_hash: str, doc) -> DocRecord:
    norm = T.normalise(doc.text)
    pos, hs = T.winnow(norm.text)
    title = doc.title_text or (doc.paragraphs[0].text[:60] if doc.paragraphs else "")
    return DocRecord(path, file_hash, T.text_hash(doc.text), title, doc.text, pos, hs,
                     T.paragraph_features(doc))


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 9)


MAX_PARAS = 65535         # paragraphs with a signature per document (a band entry numbers them in 16 bits)


def pack_spans(paras) -> bytes:
    """Paragraph spans (original offsets) as little-endian uint32 pairs."""
    return np.array([(p.start, p.end) for p in paras[:MAX_PARAS]], dtype="<u4").reshape(-1, 2).tobytes()


def unpack_spans(blob) -> list[tuple[int, int]]:
    return [tuple(x) for x in np.frombuffer(blob or b"", dtype="<u4").reshape(-1, 2).tolist()]


def unpack_text(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


class CorpusIndex:
    """Base class: file handling and caches on top of a backend's primitives."""

    location: str = ""
    # records a bulk add hands ``_store_many`` at once: documents, or characters, whichever is
    # reached first (SQLite: one write transaction per buffer; Redis commits each document)
    store_batch_docs: int = 1
    store_batch_chars: int = 2_000_000

    def __init__(self):
        self._docs: OrderedDict = OrderedDict()   # id → SourceDoc (LRU)

    # ----- backend primitives (overridden) -------------------------------------------------
    def n_docs(self) -> int: raise NotImplementedError
    def lookup_path(self, path: str): raise NotImplementedError          # → (id, file_hash) | None
    def ids_for(self, path: str, text_hash: str) -> set: raise NotImplementedError
    def df(self, hashes: list[int]) -> dict[int, int]: raise NotImplementedError
    def postings(self, hashes: list[int]) -> dict[int, list[tuple]]: raise NotImplementedError
    # (doc id, start, end, number of the paragraph's LSH bands in common), sorted
    def lsh_candidates(self, minhash) -> list[tuple]: raise NotImplementedError
    def _load_docs(self, ids: list) -> dict: raise NotImplementedError   # id → (path, title, text)
    def _store(self, rec: DocRecord, old_id) -> None: raise NotImplementedError
    def _delete(self, doc_id) -> None: raise NotImplementedError
    def stats(self) -> dict: raise NotImplementedError
    def close(self) -> None: pass
    def verify_stable(self) -> None: pass   # Redis: raise when the server restarted since opening

    # ----- shared ----------------------------------------------------------------------------
    def require_nonempty(self) -> None:
        if self.n_docs() == 0:
            raise CorpusError(f"对照语料为空：索引 {self.location} 中还没有报告（先运行 govlint corpus add）")

    def docs(self, ids) -> dict:
        """id → SourceDoc for the ids still in the index (cached; normalised when first needed)."""
        out = {}
        missing = []
        for i in ids:
            d = self._docs.get(i)
            if d is None:
                missing.append(i)
            else:
                self._docs.move_to_end(i)
                out[i] = d
        if missing:
            for i, (path, title, text) in self._load_docs(missing).items():
                d = SourceDoc(i, path, title, text)
                self._docs[i] = out[i] = d
            while len(self._docs) > 512:
                self._docs.popitem(last=False)
        return out

    def _forget(self, doc_id) -> None:
        self._docs.pop(doc_id, None)

    def add_document(self, doc, path: str, file_hash: str | None = None) -> str:
        """Add or replace one parsed document: 'added', 'updated' or 'unchanged'."""
        file_hash = file_hash or T.text_hash(doc.text)
        old = self.lookup_path(path)
        if old is not None and old[1] == file_hash:
            return "unchanged"
        # a backend decides again under its write lock (another process added the path meanwhile)
        return self._store_many([make_record(path, file_hash, doc)])[0]

    def _file_record(self, path):
        """(key, DocRecord) of a file to store, or (key, None) when it is indexed unchanged."""
        from govlint.readers import read_path
        try:
            p = Path(path).resolve()
        except (OSError, RuntimeError):    # a symlink loop
            from govlint.readers import InputError
            raise InputError("无法解析路径（符号链接循环或路径过长）") from None
        key = str(p)
        fh = file_sha(p)
        old = self.lookup_path(key)
        if old is not None and old[1] == fh:
            return key, None
        return key, make_record(key, fh, read_path(p))

    def add_file(self, path) -> str:
        _, rec = self._file_record(path)
        if rec is None:
            return "unchanged"
        return self._store_many([rec])[0]

    def _store_many(self, recs: list) -> list[str]:
        """Store records (new or replacing their path's entry) → a status for each. A backend
        may write them in one transaction (SQLite); by default one store each."""
        out = []
        for rec in recs:
            old = self.lookup_path(rec.path)
            if old is not None and old[1] == rec.file_hash:
                out.append("unchanged")
                continue
            status = self._store(rec, old[0] if old else None)
            if old:
                self._forget(old[0])
            out.append(status or ("updated" if old else "added"))
        return out

    def store_records(self, recs, progress=None) -> dict:
        """Store an iterable of records in buffers of ``store_batch_docs`` documents or
        ``store_batch_chars`` characters (what a bulk add and the scale benchmark use) → counts."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        buf: list = []
        size = 0

        def flush():
            for rec, status in zip(buf, self._store_many(buf)):
                counts[status] += 1
                if progress:
                    progress(rec.path, status)
            buf.clear()
        for rec in recs:
            buf.append(rec)
            size += len(rec.text)
            if len(buf) >= self.store_batch_docs or size >= self.store_batch_chars:
                flush()
                size = 0
        if buf:
            flush()
        return counts

    def add_paths(self, paths, skip_errors: bool = False, progress=None) -> dict:
        """Add files and directories; returns counts by status plus 'errors': [(path, msg)].

        ``progress(path, status)`` is called for each file once its status is known (path
        resolved). Files are parsed outside any write transaction and stored in buffers
        (``store_records``): on SQLite one transaction per buffer, so an interrupted add loses
        at most the last buffer's documents, which the next add stores (unchanged files are
        skipped by their hash)."""
        from govlint.readers import InputError
        from govlint.walk import find_reports
        files, bad = find_reports([str(p) for p in paths])
        errors = list(bad)
        unchanged: list = []

        def records():
            for f in files:
                try:
                    key, rec = self._file_record(f)
                except InputError as exc:
                    errors.append((f, str(exc)))
                    continue
                except OSError as exc:   # one unreadable file never ends the batch
                    errors.append((f, f"无法读取（{type(exc).__name__}）"))
                    continue
                if rec is None:
                    unchanged.append(f)
                    if progress:          # like a stored one: by its resolved path
                        progress(key, "unchanged")
                    continue
                yield rec
        counts = self.store_records(records(), progress)
        counts["unchanged"] += len(unchanged)
        counts["errors"] = errors
        return counts

    def remove_path(self, path) -> bool:
        key = str(Path(path).resolve())
        old = self.lookup_path(key)
        if old is None:
            return False
        self._delete(old[0])
        self._forget(old[0])
        return True

    def remove_paths(self, paths) -> tuple[int, list[str]]:
        """Remove files, or every indexed file under a directory. → (removed, not found)."""
        removed, missing = 0, []
        for raw in paths:
            p = Path(raw).resolve()
            targets = [str(p)]
            if p.is_dir() or not p.exists():
                under = self.paths_under(str(p))
                if under:
                    targets = under
            hit = False
            for t in targets:
                if self.remove_path(t):
                    removed += 1
                    hit = True
            if not hit:
                missing.append(str(raw))
        return removed, missing

    def paths_under(self, prefix: str) -> list[str]:
        return [p for p in self.all_paths() if p == prefix or p.startswith(prefix.rstrip("/") + "/")]

    def all_paths(self) -> list[str]: raise NotImplementedError
