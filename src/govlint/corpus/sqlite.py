"""The embedded backend: one SQLite file (stdlib sqlite3).

Tables: ``meta`` (schema version and feature parameters), ``docs`` (path, hashes, title,
compressed text, paragraph spans as packed uint32 pairs), ``postings`` (fingerprint → doc,
position; clustered on the hash), ``df`` (fingerprint → number of documents containing it, for fingerprints of two or more
documents only: one of a single document is known by its postings)
and ``bands`` (LSH band key with the band mixed in → doc × 65536 + paragraph number,
clustered on the key). Signatures are not stored: deleting a document recomputes its band
keys from its text and spans (schema 2; schema 1 kept a 256-byte signature per paragraph).

A bulk add stores its documents in buffers (``store_batch_docs``), one transaction each
(WAL journal), the rows of a buffer written in key order: an interrupted ``add`` rolls back
the buffer it was writing and leaves the documents of the buffers before it.
"""

from __future__ import annotations

import sqlite3
import time

import numpy as np
from pathlib import Path

from govlint.corpus.common import SCHEMA_VERSION, CorpusError
from govlint.corpus import text as T
from govlint.corpus.base import (MAX_PARAS, chunks, CorpusIndex, DocRecord, pack_spans, pack_text, unpack_spans,
                                 unpack_text)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, file_hash TEXT NOT NULL,
  text_hash TEXT NOT NULL, title TEXT NOT NULL, chars INTEGER NOT NULL,
  text BLOB NOT NULL, spans BLOB NOT NULL, added REAL NOT NULL);
CREATE TABLE postings (hash INTEGER NOT NULL, doc INTEGER NOT NULL, pos INTEGER NOT NULL,
  PRIMARY KEY (hash, doc, pos)) WITHOUT ROWID;
CREATE TABLE df (hash INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE bands (key INTEGER NOT NULL, ref INTEGER NOT NULL, PRIMARY KEY (key, ref)) WITHOUT ROWID;
"""

CHUNK = 900


def _chunks(seq):
    return chunks(seq, CHUNK)


_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30.0       # seconds a writer waits for another process's transaction
BUSY_MESSAGE = "另一个进程正在写入语料索引 {}，请稍后重试"


def _probe(path: Path) -> str | None:
    """Why ``path`` is not an existing govlint index (Chinese), checked without changing it:
    only a regular file with SQLite's header and a govlint ``meta`` table is ever opened for writing."""
    import os
    import stat
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"无法访问（系统错误 {exc.errno}）"
    if stat.S_ISDIR(st.st_mode):
        return "是目录，不是语料索引文件"
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件，不是语料索引"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            head = os.read(fd, 16)
        finally:
            os.close(fd)
    except OSError as exc:
        return f"无法读取（系统错误 {exc.errno}）"
    if head != _MAGIC:
        return "已损坏或不是 govlint 语料索引（不是 SQLite 数据库），不会写入此文件"
    try:   # read-only: a foreign database is never switched to WAL or otherwise touched
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            names = {r[0] for r in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "meta" not in names:
                return "已损坏或不是 govlint 语料索引（缺少 meta 表），不会写入此文件"
            if ro.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is None:
                return "已损坏或不是 govlint 语料索引（meta 表中没有格式版本），不会写入此文件"
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        return f"已损坏或不是 govlint 索引（{exc}）；请删除后用 govlint corpus add 重建"
    return None


class SqliteIndex(CorpusIndex):
    store_batch_docs = 1000
    store_batch_chars = 8_000_000

    def __init__(self, path: str, create: bool = False):
        super().__init__()
        self.location = path
        memory = path == ":memory:"
        p = Path(path)
        try:
            exists = not memory and (p.exists() or p.is_symlink())
        except OSError:
            exists = True      # probed below, which words the error
        if not memory and not exists and not create:
            raise CorpusError(f"语料索引不存在：{path}（先运行 govlint corpus add）")
        if not memory and exists:
            reason = _probe(p)
            if reason:
                raise CorpusError(f"{path} {reason}")
        if not memory and not exists:
            exists = self._create_file(p)
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                      timeout=BUSY_TIMEOUT)
            if not memory:
                # WAL: a commit needs no fsync of the main file; an interrupted add still rolls
                # back. The -wal/-shm side files disappear when the last connection closes.
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-32768")    # 32 MB: random B-tree inserts of a large index
            if memory:
                self._create()
            else:
                self._check()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CorpusError(BUSY_MESSAGE.format(path)) from None
            raise CorpusError(f"语料索引已损坏或不是 govlint 索引：{path}（{exc}）；请删除后用 govlint corpus add 重建") from None
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"语料索引已损坏或不是 govlint 索引：{path}（{exc}）；请删除后用 govlint corpus add 重建") from None

    def _create_file(self, p: Path) -> bool:
        """A new index made whole in a temporary file beside ``p``, then linked into place
        (never over an existing file): a crash leaves either no index or a complete empty one,
        and of two processes creating it at once one wins and the other opens the winner's."""
        import os
        import tempfile
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            for stale in p.parent.glob(f".{p.name}.*.tmp"):   # left by a creator killed mid-way
                try:
                    if time.time() - stale.stat().st_mtime > 600:
                        stale.unlink()
                except OSError:
                    pass
            fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
            os.close(fd)
        except OSError as exc:
            raise CorpusError(f"无法创建语料索引 {p}（系统错误 {exc.errno}）") from None
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                self.db = db
                self._create()
            finally:
                db.close()
            try:
                os.link(tmp, p)         # atomic and never replaces: the loser sees FileExistsError
            except FileExistsError:
                pass
            except OSError:             # a filesystem without hard links
                if not p.exists():
                    os.replace(tmp, p)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise CorpusError(f"无法创建语料索引 {p}（{exc}）") from None
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        reason = _probe(p)
        if reason:
            raise CorpusError(f"{p} {reason}")
        return True

    # ----- schema ------------------------------------------------------------------------
    def _create(self) -> None:
        with self._tx():
            for stmt in SCHEMA.strip().split(";"):
                if stmt.strip():
                    self.db.execute(stmt)
            meta = {"schema_version": SCHEMA_VERSION, "created": time.time(), **T.params_meta()}
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])

    def _check(self) -> None:
        try:
            rows = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.OperationalError:
            raise CorpusError(f"{self.location} 不是 govlint 语料索引（缺少 meta 表）") from None
        version = rows.get("schema_version")
        if version != str(SCHEMA_VERSION):
            raise CorpusError(f"语料索引 {self.location} 的格式版本为 {version}，本版本 govlint 需要 "
                              f"{SCHEMA_VERSION}；请删除后用 govlint corpus add 重建")
        expected = {k: str(v) for k, v in T.params_meta().items()}
        for k, v in expected.items():
            if rows.get(k) != v:
                raise CorpusError(f"语料索引 {self.location} 的参数 {k}={rows.get(k)} 与本版本（{v}）不符；"
                                  "请删除后用 govlint corpus add 重建")

    def _tx(self):
        db = self.db

        class Tx:
            def __enter__(self_):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self_, et, ev, tb):
                if et is None:
                    db.execute("COMMIT")
                else:
                    db.execute("ROLLBACK")
                return False
        return Tx()

    def _q(self, sql, args=()):
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"语料索引已损坏：{self.location}（{exc}）；请删除后用 govlint corpus add 重建") from None

    # ----- primitives --------------------------------------------------------------------
    def n_docs(self) -> int:
        return self._q("SELECT COUNT(*) FROM docs")[0][0]

    def lookup_path(self, path):
        rows = self._q("SELECT id, file_hash FROM docs WHERE path = ?", (path,))
        return (rows[0][0], rows[0][1]) if rows else None

    def ids_for(self, path, text_hash=None):
        # Only the checked file itself is excluded: the same text at another path is a copy.
        return {r[0] for r in self._q("SELECT id FROM docs WHERE path = ?", (path,))}

    def all_paths(self):
        return [r[0] for r in self._q("SELECT path FROM docs ORDER BY path")]

    def df(self, hashes):
        # ``df`` holds only fingerprints of two or more documents; one found in no row there
        # has 1 document if it has postings at all (most fingerprints: a row saved for each)
        out = {}
        for part in _chunks(list(hashes)):
            q = f"SELECT hash, n FROM df WHERE hash IN ({','.join('?' * len(part))})"
            out.update(self._q(q, part))
        rest = [h for h in hashes if h not in out]
        for part in _chunks(rest):
            q = f"SELECT DISTINCT hash FROM postings WHERE hash IN ({','.join('?' * len(part))})"
            out.update((r[0], 1) for r in self._q(q, part))
        return out

    def postings(self, hashes):
        out: dict = {}
        for part in _chunks(list(hashes)):
            q = f"SELECT hash, doc, pos FROM postings WHERE hash IN ({','.join('?' * len(part))})"
            for h, d, p in self._q(q, part):
                out.setdefault(h, []).append((d, p))
        return out

    def lsh_candidates(self, minhash):
        keys = T.mixed_band_keys(minhash)
        refs = self._q(f"SELECT ref, COUNT(*) FROM bands WHERE key IN ({','.join('?' * len(keys))}) GROUP BY ref",
                       keys)
        spans = self._spans_of(sorted({r >> 16 for r, _ in refs}))
        out = set()
        for r, hits in refs:
            sp = spans.get(r >> 16)
            if sp is not None and (r & 0xFFFF) < len(sp):
                out.add((r >> 16, *sp[r & 0xFFFF], hits))
        return sorted(out)

    def _spans_of(self, ids) -> dict:
        out = {}
        for part in _chunks(list(ids)):
            q = f"SELECT id, spans FROM docs WHERE id IN ({','.join('?' * len(part))})"
            for i, blob in self._q(q, part):
                out[i] = unpack_spans(blob)
        return out

    def _load_docs(self, ids):
        out = {}
        for part in _chunks(list(ids)):
            q = f"SELECT id, path, title, text FROM docs WHERE id IN ({','.join('?' * len(part))})"
            for i, path, title, blob in self._q(q, part):
                out[i] = (path, title, unpack_text(blob))
        return out

    def _store(self, rec: DocRecord, old_id):
        return self._store_many([rec])[0]

    def _store_many(self, recs: list) -> list[str]:
        """All records in one write transaction, their rows written in key order: a bulk add
        writes each B-tree page once per buffer instead of once per document (and each
        fingerprint's frequency once). The path of each is looked up again inside it (another
        process may have added or replaced it since)."""
        try:
            with self._tx():
                out, new = [], []
                for rec in recs:
                    if any(r.path == rec.path for _, r in new):    # the same path twice: in order
                        self._count_in_many(new)
                        self._insert_sorted(new)
                        new = []
                    row = self.db.execute("SELECT id, file_hash FROM docs WHERE path = ?", (rec.path,)).fetchone()
                    if row is not None and row[1] == rec.file_hash:
                        out.append(("unchanged", None))
                        continue
                    old_id = row[0] if row is not None else None
                    if old_id is not None:
                        self._delete_rows(old_id)
                    new.append((self._insert_doc(rec), rec))
                    out.append(("updated" if old_id is not None else "added", old_id))
                if new:
                    self._count_in_many(new)
                    self._insert_sorted(new)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CorpusError(BUSY_MESSAGE.format(self.location)) from None
            raise CorpusError(f"写入语料索引失败：{self.location}（{exc}）") from None
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"写入语料索引失败：{self.location}（{exc}）") from None
        for status, old_id in out:
            if old_id is not None:
                self._forget(old_id)
        return [status for status, _ in out]

    def _insert_doc(self, rec: DocRecord) -> int:
        cur = self.db.execute(
            "INSERT INTO docs (path, file_hash, text_hash, title, chars, text, spans, added) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (rec.path, rec.file_hash, rec.text_hash, rec.title, len(rec.text), pack_text(rec.text),
             pack_spans(rec.paras), time.time()))
        return cur.lastrowid

    def _count_in_many(self, new: list) -> None:
        """Document frequencies after adding the buffer's documents (their postings not yet
        written): a fingerprint's count is its row's (or 1 when only postings hold it, 0 when
        nothing does) plus the number of new documents holding it; rows only from 2 up."""
        per_doc = [np.unique(rec.hashes) for _, rec in new]
        hs, added = np.unique(np.concatenate(per_doc), return_counts=True)
        hs, added = hs.tolist(), added.tolist()
        had: dict = {}
        for part in _chunks(hs):
            had.update(self.db.execute(f"SELECT hash, n FROM df WHERE hash IN ({','.join('?' * len(part))})", part))
        rest = [h for h in hs if h not in had]
        seen: set = set()
        for part in _chunks(rest):
            seen.update(r[0] for r in self.db.execute(
                f"SELECT DISTINCT hash FROM postings WHERE hash IN ({','.join('?' * len(part))})", part))
        self.db.executemany("UPDATE df SET n = n + ? WHERE hash = ?",
                            ((a, h) for h, a in zip(hs, added) if h in had))
        self.db.executemany("INSERT INTO df VALUES (?, ?)",
                            ((h, a + (h in seen)) for h, a in zip(hs, added)
                             if h not in had and a + (h in seen) >= 2))

    def _insert_sorted(self, new: list) -> None:
        hashes = np.concatenate([rec.hashes for _, rec in new]).astype(np.int64)
        docs = np.concatenate([np.full(len(rec.hashes), d, dtype=np.int64) for d, rec in new])
        pos = np.concatenate([rec.positions for _, rec in new]).astype(np.int64)
        order = np.lexsort((pos, docs, hashes))
        hashes, docs, pos = hashes[order], docs[order], pos[order]
        step = 65536          # rows made Python objects a slice at a time (a buffer has millions)
        for i in range(0, len(order), step):
            self.db.executemany("INSERT OR IGNORE INTO postings VALUES (?,?,?)",
                                zip(hashes[i:i + step].tolist(), docs[i:i + step].tolist(), pos[i:i + step].tolist()))
        bands = sorted({(k, (d << 16) | i) for d, rec in new for i, pf in enumerate(rec.paras[:MAX_PARAS])
                        for k in pf.bands})
        self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?,?)", bands)

    def _delete_rows(self, doc_id) -> None:
        row = self.db.execute("SELECT text, spans FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return
        distinct, bands = T.stored_features(unpack_text(row[0]), unpack_spans(row[1]))
        self.db.executemany("DELETE FROM postings WHERE hash = ? AND doc = ?", ((h, doc_id) for h in distinct))
        self.db.executemany("UPDATE df SET n = n - 1 WHERE hash = ?", ((h,) for h in distinct))
        for part in _chunks(distinct):     # one document left: no row (see df())
            self.db.execute(f"DELETE FROM df WHERE n <= 1 AND hash IN ({','.join('?' * len(part))})", part)
        self.db.executemany("DELETE FROM bands WHERE key = ? AND ref >= ? AND ref < ?",
                            ((k, doc_id << 16, (doc_id + 1) << 16) for k in bands))
        self.db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))

    def _delete(self, doc_id) -> None:
        try:
            with self._tx():
                self._delete_rows(doc_id)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CorpusError(BUSY_MESSAGE.format(self.location)) from None
            raise CorpusError(f"写入语料索引失败：{self.location}（{exc}）") from None
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"写入语料索引失败：{self.location}（{exc}）") from None

    def stats(self) -> dict:
        n, chars = self._q("SELECT COUNT(*), COALESCE(SUM(chars), 0) FROM docs")[0]
        size = Path(self.location).stat().st_size if self.location != ":memory:" else 0
        return {"backend": "sqlite", "location": self.location, "documents": n, "characters": chars,
                "fingerprints": self._q("SELECT COUNT(*) FROM postings")[0][0],
                "distinct_fingerprints": self._q("SELECT COUNT(DISTINCT hash) FROM postings")[0][0],
                "paragraphs": self._q("SELECT COALESCE(SUM(LENGTH(spans)), 0) / 8 FROM docs")[0][0],
                "bytes": size, "schema_version": SCHEMA_VERSION}

    def close(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:  # pragma: no cover
            pass
