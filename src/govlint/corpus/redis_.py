"""The Redis backend: a single Redis server or a Redis Cluster, in the compact layout.

``redis://host:port/db#name`` (a single server) or ``redis+cluster://host:port#name`` (any
node of a cluster; ``rediss+cluster://`` with TLS); ``#name`` chooses the key prefix
(default ``govlint``), ``?shards=N`` (a power of two, only when the index is created)
the number of shards: 2 on a single server, 8 on a cluster by default. Keys
(``govlint.corpus.redis_layout`` has the per-shard layout): ``P:meta`` (hash: schema
version, feature parameters, shards), ``P:lock`` (the writer's lock), and per shard the
documents, postings, frequencies and LSH bands under one hash tag.

A document is written under a fresh id first (postings, bands, its text), then becomes
visible in one script on its shard's slot that adds it to the committed set and updates
the document frequencies (retiring the id it replaces: the same path, so the same shard).
Queries ignore uncommitted ids, so an interrupted add leaves the previous index usable.
A query asks every shard; any shard failing (a node down, a timeout) is a
``CorpusError``, never a partial answer.
"""

from __future__ import annotations

import time

import numpy as np

from govlint.corpus.common import SCHEMA_VERSION, CorpusError, CorpusQueryError
from govlint.corpus import redis_layout as L
from govlint.corpus import text as T
from govlint.corpus.base import MAX_PARAS, chunks, CorpusIndex, DocRecord, pack_spans, pack_text, unpack_spans, unpack_text
from govlint.corpus.redis_connect import PING_TIMEOUT, connect as _connect, describe  # noqa: F401
from govlint.corpus.redis_lock import WriterLock

CHUNK = 2000


def _chunks(seq, n=CHUNK):
    return chunks(seq, n)


def _glob_escape(text: str) -> str:
    """``text`` matched literally by a Redis SCAN pattern."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


class RedisIndex(CorpusIndex):
    def __init__(self, url: str, create: bool = False):
        super().__init__()
        import redis
        self.location = url
        self._redis_mod = redis
        self.r, self.cluster, self.prefix, want = _connect(url)
        self._spans: dict = {}
        self.lock = None
        self._guard(self._check_meta, create, want)
        self.tags = L.shard_tags(self.prefix, self.shards)
        s = self.r.register_script
        self._append, self._lookup, self._commit = s(L.APPEND), s(L.LOOKUP), s(L.COMMIT)
        self._counts = s(L.COUNTS)
        self._retire_s, self._purge_s = s(L.RETIRE), s(L.PURGE)
        self._op = None                                # "add" / "remove" while writing
        self._epoch = self._guard(self._run_ids)      # the servers' run ids when opened
        self.lock = WriterLock(self.r, self.k("lock"), url)

    # ----- plumbing ----------------------------------------------------------------------
    def k(self, *parts) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    def sk(self, shard: int, *parts) -> str:
        return ":".join([self.tags[shard], *map(str, parts)])

    def _guard(self, fn, *args):
        """Run ``fn``; a Redis failure is a CorpusError (while opening) or, once open, a
        CorpusQueryError: the file being checked gets an error, never a partial answer."""
        redis = self._redis_mod
        ready = getattr(self, "lock", None) is not None and not self._op    # querying, not writing
        err = CorpusQueryError if ready else CorpusError
        tail = ("；对照语料（DUP002）检查未完成，结果不可用" if ready
                else f"；govlint corpus {self._op} 未完成，请在 Redis 恢复后重新运行" if getattr(self, "_op", None) else "")
        try:
            return fn(*args)
        except redis.exceptions.RedisError as exc:
            raise err(describe(exc, self.location) + tail) from None

    def _run_ids(self) -> tuple:
        """Each data-holding server's ``run_id`` (INFO server): a new one means it restarted."""
        try:
            return tuple(sorted(str(c.info("server").get("run_id")) for c in self.node_clients()))
        except self._redis_mod.exceptions.ResponseError:     # INFO renamed or not permitted: cannot tell
            return ("unknown",)

    def verify_stable(self) -> None:
        """Raise when a server restarted since the index was opened (or the write began):
        redis-py reconnects silently, and without persistence the restart lost data."""
        if self._guard(self._run_ids) == self._epoch:
            return
        if self._op:
            raise CorpusError(f"Redis 服务器在 govlint corpus {self._op} 过程中重启过（{self.location}），"
                              f"索引可能不完整；请重新运行 govlint corpus {self._op}")
        raise CorpusQueryError(f"Redis 服务器在检查过程中重启过（{self.location}），索引可能不完整；"
                               "对照语料（DUP002）检查未完成，结果不可用")

    def _check_meta(self, create: bool, want) -> None:
        meta = {a.decode(): b.decode() for a, b in self.r.hgetall(self.k("meta")).items()}
        expected = {"schema_version": str(SCHEMA_VERSION), **{k: str(v) for k, v in T.params_meta().items()},
                    "inline": str(L.INLINE)}
        if not meta:
            self.shards = want[0] or (8 if self.cluster else 2)
            self.buckets = want[1] or L.BUCKETS
            self.bits = L.bucket_bits(self.buckets, self.shards)
            if not 4 <= self.bits <= L.MAX_BITS:
                raise CorpusError(f"Redis 地址无效：{self.location}（buckets 应为 2 的幂，每个分片 16–16777216 个）")
            if create:
                self.r.hset(self.k("meta"), mapping={**expected, "shards": str(self.shards),
                                                     "buckets": str(self.buckets), "created": str(time.time())})
            return
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise CorpusError(f"Redis 语料索引 {self.location} 的格式版本为 {meta.get('schema_version')}，"
                              f"本版本 govlint 需要 {SCHEMA_VERSION}；请清空后用 govlint corpus add 重建")
        for key, v in expected.items():
            if meta.get(key) != v:
                raise CorpusError(f"Redis 语料索引 {self.location} 的参数 {key}={meta.get(key)} 与本版本（{v}）不符；"
                                  "请清空后用 govlint corpus add 重建")
        self.shards = int(meta.get("shards", "0") or 0)
        self.buckets = int(meta.get("buckets", "0") or 0)
        self.bits = L.bucket_bits(self.buckets, max(1, self.shards))
        if self.shards < 1 or not 4 <= self.bits <= L.MAX_BITS:
            raise CorpusError(f"Redis 语料索引 {self.location} 已损坏（meta 中没有分片数）；请清空后用 govlint corpus add 重建")

    def _shard_of_id(self, doc_id: int) -> int:
        return int(doc_id) % self.shards

    def _pipe(self):
        return self.r.pipeline(transaction=False)

    def _committed(self, ids) -> set:
        by: dict = {}
        for i in set(int(i) for i in ids):
            by.setdefault(self._shard_of_id(i), []).append(i)
        out = set()
        for s, lst in by.items():
            for part in _chunks(sorted(lst)):
                flags = self.r.smismember(self.sk(s, "docs"), part)
                out.update(i for i, f in zip(part, flags) if f)
        return out

    def _lookup_all(self, family: str, keys) -> list[list]:
        """Per shard, the stored value of each key (None: absent) in bucket family ``family``."""
        packed = L.pack_keys(keys)
        out = []
        for s in range(self.shards):
            vals = self._lookup(keys=[self.sk(s, "docs")],
                                args=[self.bits, self.sk(s, family, ""), self.sk(s, family.upper(), ""), packed])
            out.append([v if v else None for v in vals])
        return out

    # ----- primitives --------------------------------------------------------------------
    def n_docs(self) -> int:
        return self._guard(lambda: sum(self.r.scard(self.sk(s, "docs")) for s in range(self.shards)))

    def lookup_path(self, path):
        def run():
            s = L.shard_of(path, self.shards)
            v = self.r.hget(self.sk(s, "paths"), path)
            if v is None:
                return None
            i = int(v)
            fh = self.r.hget(self.sk(s, "doc", i), "file_hash")
            return (i, fh.decode() if fh else "")
        return self._guard(run)

    def ids_for(self, path, text_hash=None):
        # Only the checked file itself is excluded: the same text at another path is a copy.
        def run():
            v = self.r.hget(self.sk(L.shard_of(path, self.shards), "paths"), path)
            return self._committed({int(v)}) if v is not None else set()
        return self._guard(run)

    def all_paths(self):
        return self._guard(lambda: sorted(p.decode() for s in range(self.shards)
                                          for p in self.r.hkeys(self.sk(s, "paths"))))

    def df(self, hashes):
        def run():
            hs = list(hashes)
            if not hs:
                return {}
            total = np.zeros(len(hs), dtype=np.int64)
            packed = L.pack_keys(hs)
            for s in range(self.shards):
                raw = self._counts(keys=[self.sk(s, "docs")], args=[self.bits, self.sk(s, "d", ""), packed])
                total += np.frombuffer(raw, dtype="<u4")
            return {h: int(n) for h, n in zip(hs, total.tolist()) if n > 0}
        return self._guard(run)

    def postings(self, hashes):
        def run():
            hs = list(hashes)
            if not hs:
                return {}
            raw: dict = {}
            for vals in self._lookup_all("f", hs):
                for h, v in zip(hs, vals):
                    if v:
                        raw.setdefault(h, []).append(L.unpack_postings(v))
            ok = self._committed({int(d) for arrs in raw.values() for a in arrs for d in a[:, 0]})
            out = {}
            for h, arrs in raw.items():
                lst = sorted((int(d), int(p)) for a in arrs for d, p in a.tolist() if int(d) in ok)
                if lst:
                    out[h] = lst
            return out
        return self._guard(run)

    def lsh_candidates(self, minhash):
        return self.lsh_candidates_many([minhash])[0]

    def lsh_candidates_many(self, minhashes) -> list[list[tuple]]:
        """Candidates of several paragraphs with one request per shard."""
        def run():
            keys = [k for m in minhashes for k in T.mixed_band_keys(m)]
            if not keys:
                return [[] for _ in minhashes]
            per_key: list[list] = [[] for _ in keys]
            for vals in self._lookup_all("b", keys):
                for i, v in enumerate(vals):
                    if v:
                        per_key[i].extend(L.unpack_bands(v).tolist())
            ok = self._committed({d for lst in per_key for d, _ in lst})
            spans = self._doc_spans(sorted(ok & {d for lst in per_key for d, _ in lst}))
            nb = len(keys) // len(minhashes)
            out = []
            for j in range(len(minhashes)):
                found: dict = {}
                for lst in per_key[j * nb:(j + 1) * nb]:
                    for d, p in set(lst):
                        sp = spans.get(d)
                        if d in ok and sp is not None and p < len(sp):
                            c = (d, int(sp[p][0]), int(sp[p][1]))
                            found[c] = found.get(c, 0) + 1
                out.append(sorted((*c, hits) for c, hits in found.items()))
            return out
        return self._guard(run)

    def _doc_spans(self, ids) -> dict:
        missing = [i for i in ids if i not in self._spans]
        if missing:
            pipe = self._pipe()
            for i in missing:
                pipe.hget(self.sk(self._shard_of_id(i), "doc", i), "spans")
            for i, blob in zip(missing, pipe.execute()):
                if blob is not None:
                    self._spans[i] = unpack_spans(blob)
            if len(self._spans) > 20_000:
                self._spans.clear()
        return {i: self._spans[i] for i in ids if i in self._spans}

    def _load_docs(self, ids):
        def run():
            ids_ = list(ids)
            pipe = self._pipe()
            for i in ids_:
                pipe.hmget(self.sk(self._shard_of_id(i), "doc", i), ["path", "title", "text"])
            out = {}
            for i, (path, title, blob) in zip(ids_, pipe.execute()):
                if path is not None:
                    out[i] = (path.decode(), title.decode(), unpack_text(blob))
            lost = self._committed(set(ids_) - set(out))
            if lost:      # committed but gone: the index changed under the query or lost data
                raise CorpusQueryError(f"Redis 语料索引 {self.location} 不一致（已登记的文档 {sorted(lost)[:3]} "
                                       "没有正文）；对照语料（DUP002）检查未完成，结果不可用")
            return out
        return self._guard(run)

    # ----- writing -----------------------------------------------------------------------
    def _store(self, rec: DocRecord, old_id) -> None:
        self._guard(self._store_raw, rec, old_id)

    def _write_family(self, s: int, family: str, keys, blobs) -> None:
        for part in _chunks(range(len(keys)), 4000):
            data = L.pack_entries([keys[i] for i in part], [blobs[i] for i in part])
            self._append(keys=[self.sk(s, "docs")],
                         args=[self.bits, L.INLINE, self.sk(s, family, ""), self.sk(s, family.upper(), ""), data])

    def _store_raw(self, rec: DocRecord, old_id) -> None:
        self.lock.refresh()
        s = L.shard_of(rec.path, self.shards)
        new_id = int(self.r.incr(self.sk(s, "n"))) * self.shards + s
        if new_id >= 2 ** 32:
            raise CorpusError(f"Redis 语料索引 {self.location} 的文档编号已用尽；请重建索引")
        self.r.sadd(self.sk(s, "pending"), new_id)     # until committed: cleaned by the next add if we die
        self.r.hset(self.sk(s, "doc", new_id), mapping={
            "path": rec.path, "file_hash": rec.file_hash, "text_hash": rec.text_hash, "title": rec.title,
            "chars": len(rec.text), "text": pack_text(rec.text), "spans": pack_spans(rec.paras),
            "added": time.time()})
        post = rec.postings()
        hs = list(post)
        self._write_family(s, "f", hs, [L.pack_postings(new_id, post[h]) for h in hs])
        paras = rec.paras[:MAX_PARAS]
        if paras:
            keys = [k for pf in paras for k in pf.bands]
            nb = len(keys) // len(paras)
            self._write_family(s, "b", keys, [L.pack_band(new_id, i // nb) for i in range(len(keys))])
        # commit point: the document becomes visible and the frequencies change together
        old = self._doc_features(old_id) if old_id is not None else ([], [])
        self.lock.refresh()
        args = [self.bits, new_id, rec.path, "" if old_id is None else old_id, self.sk(s, "d", ""),
                L.pack_keys(rec.distinct), L.pack_keys(old[0])]
        self._commit(keys=[self.sk(s, "docs"), self.sk(s, "pending"), self.sk(s, "paths")], args=args)
        if old_id is not None:
            self._purge(old_id, *old)
        self.verify_stable()

    def _doc_features(self, doc_id) -> tuple[list, list]:
        """(distinct fingerprints, mixed band keys) of a stored document, recomputed from its text."""
        blob, spans = self.r.hmget(self.sk(self._shard_of_id(doc_id), "doc", doc_id), ["text", "spans"])
        if blob is None:
            return [], []
        return T.stored_features(unpack_text(blob), unpack_spans(spans))

    def _purge(self, doc_id, hashes, bands) -> None:
        """Drop an uncommitted id's postings, bands and document (it is in ``pending`` until done)."""
        s = self._shard_of_id(doc_id)
        idb = int(doc_id).to_bytes(4, "little")
        for family, keys, width in (("f", hashes, 8), ("b", bands, 6)):
            for part in _chunks(list(keys), 4000):
                self._purge_s(keys=[self.sk(s, "docs")], args=[self.bits, width, idb, self.sk(s, family, ""),
                                                              self.sk(s, family.upper(), ""), L.pack_keys(part)])
        self.r.delete(self.sk(s, "doc", doc_id))
        self.r.srem(self.sk(s, "pending"), doc_id)
        self._spans.pop(int(doc_id), None)

    def _delete(self, doc_id) -> None:
        def run():
            s = self._shard_of_id(doc_id)
            hashes, bands = self._doc_features(doc_id)
            path = self.r.hget(self.sk(s, "doc", doc_id), "path")
            args = [self.bits, doc_id, path.decode() if path is not None else "", self.sk(s, "d", ""),
                    L.pack_keys(hashes)]
            self._retire_s(keys=[self.sk(s, "docs"), self.sk(s, "pending"), self.sk(s, "paths")], args=args)
            self._purge(doc_id, hashes, bands)
        self._guard(run)
        self.verify_stable()

    # ----- one writer at a time, and what a killed writer left behind -------------------------
    def clean_orphans(self) -> int:
        """Purge the ids a killed writer left uncommitted or half-retired (call with the lock held)."""
        def run():
            n = 0
            for s in range(self.shards):
                for raw in self.r.smembers(self.sk(s, "pending")):
                    i = int(raw)
                    if not self.r.sismember(self.sk(s, "docs"), i):
                        self._purge(i, *self._doc_features(i))
                        n += 1
                    self.r.srem(self.sk(s, "pending"), i)
            return n
        return self._guard(run)

    def _writing(self, op: str, fn):
        self._op, self._epoch = op, self._guard(self._run_ids)
        self._guard(self.lock.acquire)
        try:
            self.clean_orphans()
            out = fn()
            self.verify_stable()       # a restart after the last commit lost it as well
            return out
        finally:
            self._op = None
            self._guard(self.lock.release)

    def add_paths(self, paths, skip_errors: bool = False, progress=None) -> dict:
        return self._writing("add", lambda: super(RedisIndex, self).add_paths(paths, skip_errors, progress))

    def remove_paths(self, paths):
        return self._writing("remove", lambda: super(RedisIndex, self).remove_paths(paths))

    # ----- administration ----------------------------------------------------------------------
    def node_clients(self) -> list:
        """One client per server holding data (every primary of a cluster)."""
        if not self.cluster:
            return [self.r]
        return [self.r.get_redis_connection(n) for n in self.r.get_primaries()]

    def used_memory(self) -> int:
        return self._guard(lambda: sum(int(c.info("memory")["used_memory"]) for c in self.node_clients()))

    def stats(self) -> dict:
        def run():
            ids = []
            for s in range(self.shards):
                ids += [(s, int(x)) for x in self.r.smembers(self.sk(s, "docs"))]
            pipe = self._pipe()
            for s, i in ids:
                pipe.hmget(self.sk(s, "doc", i), ["chars", "spans"])
            chars = paras = 0
            for c, sp in (pipe.execute() if ids else []):
                chars += int(c or 0)
                paras += len(sp or b"") // 8
            return {"backend": "redis-cluster" if self.cluster else "redis", "location": self.location,
                    "documents": len(ids), "characters": chars, "paragraphs": paras, "shards": self.shards,
                    "redis_used_memory": self.used_memory(), "schema_version": SCHEMA_VERSION}
        self._op = "stats"          # a failure here is the stats command's, not a check's
        try:
            return self._guard(run)
        finally:
            self._op = None

    def clear(self) -> int:
        """Delete every key of this index (tests and benchmarks): its shards' keys
        (``{prefix:i}:…``, exactly its shard tags: never another index's) and its own
        ``prefix:meta`` and ``prefix:lock``."""
        tags = {t.encode("utf-8") for t in self.tags}

        def run():
            n = 0
            for c in self.node_clients():
                batch = []
                for key in c.scan_iter(match="{" + _glob_escape(self.prefix) + ":*", count=10_000):
                    if key[:key.find(b"}") + 1] in tags:
                        batch.append(key)
                    if len(batch) >= 1000:
                        n += self._delete_keys(c, batch)
                        batch = []
                n += self._delete_keys(c, batch)
            n += sum(int(self.r.delete(k)) for k in (self.k("meta"), self.k("lock")))
            self._docs.clear()
            self._spans.clear()
            return n
        return self._guard(run)

    def _delete_keys(self, client, keys) -> int:
        if not keys:
            return 0
        if not self.cluster:
            return client.delete(*keys)
        pipe = client.pipeline(transaction=False)    # one node's keys, of several slots: one by one
        for key in keys:
            pipe.delete(key)
        return sum(pipe.execute())

    def close(self) -> None:
        try:
            self.r.close()
        except Exception:  # pragma: no cover
            pass
