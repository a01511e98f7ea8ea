"""The Redis backend: redis-py for documents and postings, datasketch MinHashLSH for paragraphs.

``redis://host:port/db`` (optionally ``#name`` to choose the key prefix, default
``govlint``). Keys under the prefix ``P``:

- ``P:meta`` (hash: schema version and feature parameters), ``P:nextid`` (counter)
- ``P:docs`` (set of committed document ids), ``P:paths`` (hash path → id),
  ``P:th:<sha256>`` (set of ids with that text), ``P:doc:<id>`` (hash: path, hashes,
  title, zlib text)
- ``P:fp:<hash>`` (string of packed little-endian uint32 pairs: doc id, position)
- ``P:df`` (hash fingerprint → number of committed documents containing it)
- ``P:para`` (hash ``<id>:<n>`` → "start,end") and the datasketch LSH tables under
  ``P:lsh`` (``storage_config`` type redis), keyed by ``<id>:<n>``.

A document is written under a fresh id first; it becomes visible in one MULTI/EXEC that
adds it to ``P:docs`` and updates the document frequencies (and retires the id it
replaces). Entries of ids that never got committed are ignored by every query, so an
interrupted add leaves the previous index fully usable.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from govlint.corpus.common import SCHEMA_VERSION, CorpusError
from govlint.corpus import text as T
from govlint.corpus.base import chunks, CorpusIndex, DocRecord, pack_text, unpack_text

CHUNK = 2000
PING_TIMEOUT = 3.0
LOCK_WAIT = 30.0          # seconds an add waits for another writer before giving up


def _lock_ttl() -> float:
    """How long a writer's lock outlives a writer that was killed (refreshed on every document)."""
    import os
    try:
        return max(0.5, float(os.environ.get("GOVLINT_REDIS_LOCK_TTL", "15")))
    except ValueError:
        return 15.0


def _chunks(seq):
    return chunks(seq, CHUNK)


class RedisIndex(CorpusIndex):
    def __init__(self, url: str, create: bool = False):
        super().__init__()
        import redis
        self.location = url
        try:
            parts = urlsplit(url)
            parts.port            # a bad port or an unclosed [IPv6 bracket raise here
            clean = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
            redis.connection.parse_url(clean) if hasattr(redis.connection, "parse_url") else None
        except (ValueError, TypeError) as exc:
            raise CorpusError(f"Redis 地址无效：{url}（{_reason(exc)}；应为 redis://主机:端口/库号）") from None
        self.prefix = parts.fragment or "govlint"
        self._redis_mod = redis
        try:
            # a server that accepts the connection but never answers is found within PING_TIMEOUT
            # seconds; later commands (large pipelines) get the longer socket timeout
            probe = redis.Redis.from_url(clean, socket_connect_timeout=PING_TIMEOUT, socket_timeout=PING_TIMEOUT)
            try:
                probe.ping()
            finally:
                probe.close()
            self.r = redis.Redis.from_url(clean, socket_connect_timeout=PING_TIMEOUT, socket_timeout=60)
        except redis.exceptions.TimeoutError:
            raise CorpusError(f"Redis 无应答：{url}（{PING_TIMEOUT:g} 秒内没有回应，可能不是 Redis 服务）") from None
        except (redis.exceptions.ConnectionError, ValueError, OSError) as exc:
            raise CorpusError(f"无法连接 Redis：{url}（{_reason(exc)}）") from None
        except redis.exceptions.RedisError as exc:
            raise CorpusError(f"Redis 出错：{url}（{_reason(exc)}）") from None
        kw = self.r.connection_pool.connection_kwargs
        conf = {k: kw[k] for k in ("host", "port", "db", "password", "username", "path") if kw.get(k) is not None}
        self.storage_config = {"type": "redis", "redis": conf, "basename": f"{self.prefix}:lsh".encode()}
        self._lsh = None
        self._guard(self._check_meta, create)

    # ----- plumbing ----------------------------------------------------------------------
    def k(self, *parts) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    def _guard(self, fn, *args):
        redis = self._redis_mod
        try:
            return fn(*args)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise CorpusError(f"无法连接 Redis：{self.location}（{_reason(exc)}）") from None
        except redis.exceptions.RedisError as exc:
            raise CorpusError(f"Redis 出错：{self.location}（{exc}）") from None

    def _check_meta(self, create: bool) -> None:
        meta = {a.decode(): b.decode() for a, b in self.r.hgetall(self.k("meta")).items()}
        expected = {"schema_version": str(SCHEMA_VERSION), **{k: str(v) for k, v in T.params_meta().items()}}
        if not meta:
            if create:
                self.r.hset(self.k("meta"), mapping={**expected, "created": str(time.time())})
            return
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise CorpusError(f"Redis 语料索引 {self.location} 的格式版本为 {meta.get('schema_version')}，"
                              f"本版本 govlint 需要 {SCHEMA_VERSION}；请清空后用 govlint corpus add 重建")
        for key, v in expected.items():
            if meta.get(key) != v:
                raise CorpusError(f"Redis 语料索引 {self.location} 的参数 {key}={meta.get(key)} 与本版本（{v}）不符；"
                                  "请清空后用 govlint corpus add 重建")

    @property
    def lsh(self):
        if self._lsh is None:
            from datasketch import MinHashLSH
            self._lsh = MinHashLSH(threshold=T.LSH_THRESHOLD, num_perm=T.NUM_PERM,
                                   storage_config=self.storage_config)
        return self._lsh

    def _committed(self, ids) -> set:
        ids = sorted(set(int(i) for i in ids))
        if not ids:
            return set()
        out = set()
        for part in _chunks(ids):
            flags = self.r.smismember(self.k("docs"), part)
            out.update(i for i, f in zip(part, flags) if f)
        return out

    # ----- primitives --------------------------------------------------------------------
    def n_docs(self) -> int:
        return self._guard(self.r.scard, self.k("docs"))

    def lookup_path(self, path):
        def run():
            v = self.r.hget(self.k("paths"), path)
            if v is None:
                return None
            i = int(v)
            fh = self.r.hget(self.k("doc", i), "file_hash")
            return (i, fh.decode() if fh else "")
        return self._guard(run)

    def ids_for(self, path, text_hash=None):
        # Only the checked file itself is excluded: the same text at another path is a copy.
        def run():
            ids = set()
            v = self.r.hget(self.k("paths"), path)
            if v is not None:
                ids.add(int(v))
            return self._committed(ids)
        return self._guard(run)

    def all_paths(self):
        return sorted(p.decode() for p in self._guard(self.r.hkeys, self.k("paths")))

    def df(self, hashes):
        def run():
            out = {}
            hs = list(hashes)
            for part in _chunks(hs):
                for h, v in zip(part, self.r.hmget(self.k("df"), [str(h) for h in part])):
                    if v is not None and int(v) > 0:
                        out[h] = int(v)
            return out
        return self._guard(run)

    def postings(self, hashes):
        def run():
            raw = {}
            for part in _chunks(list(hashes)):
                pipe = self.r.pipeline(transaction=False)
                for h in part:
                    pipe.get(self.k("fp", h))
                for h, v in zip(part, pipe.execute()):
                    if v:
                        raw[h] = np.frombuffer(v, dtype="<u4").reshape(-1, 2)
            ok = self._committed({int(d) for arr in raw.values() for d in arr[:, 0]})
            out = {}
            for h, arr in raw.items():
                lst = [(int(d), int(p)) for d, p in arr if int(d) in ok]
                if lst:
                    out[h] = lst
            return out
        return self._guard(run)

    def lsh_candidates(self, minhash):
        def run():
            keys = [k.decode() if isinstance(k, bytes) else k for k in self.lsh.query(minhash)]
            if not keys:
                return []
            ok = self._committed(int(k.split(":")[0]) for k in keys)
            keys = [k for k in keys if int(k.split(":")[0]) in ok]
            out = []
            for k, v in zip(keys, self.r.hmget(self.k("para"), keys) if keys else []):
                if v is not None:
                    a, b = v.decode().split(",")
                    out.append((int(k.split(":")[0]), int(a), int(b)))
            return sorted(set(out))
        return self._guard(run)

    def _load_docs(self, ids):
        def run():
            ids_ = list(ids)
            pipe = self.r.pipeline(transaction=False)
            for i in ids_:
                pipe.hmget(self.k("doc", i), ["path", "title", "text"])
            out = {}
            for i, (path, title, blob) in zip(ids_, pipe.execute()):
                if path is not None:
                    out[i] = (path.decode(), title.decode(), unpack_text(blob))
            return out
        return self._guard(run)

    def _store(self, rec: DocRecord, old_id) -> None:
        self._guard(self._store_raw, rec, old_id)

    def _store_raw(self, rec: DocRecord, old_id) -> None:
        self._refresh_lock()
        new_id = int(self.r.incr(self.k("nextid")))
        pipe = self.r.pipeline(transaction=True)
        pipe.sadd(self.k("pending"), new_id)    # until committed: cleaned by the next add if we die
        pipe.hset(self.k("doc", new_id), mapping={
            "path": rec.path, "file_hash": rec.file_hash, "text_hash": rec.text_hash, "title": rec.title,
            "chars": len(rec.text), "text": pack_text(rec.text), "added": time.time()})
        for h, poss in rec.postings().items():
            arr = np.empty((len(poss), 2), dtype="<u4")
            arr[:, 0] = new_id
            arr[:, 1] = poss
            pipe.append(self.k("fp", h), arr.tobytes())
        if rec.paras:
            pipe.hset(self.k("para"), mapping={f"{new_id}:{pf.index}": f"{pf.start},{pf.end}" for pf in rec.paras})
        pipe.execute()
        if rec.paras:
            with self.lsh.insertion_session(buffer_size=5000) as session:
                for pf in rec.paras:
                    session.insert(f"{new_id}:{pf.index}", pf.minhash, check_duplication=False)
        # commit point: the document becomes visible and the frequencies change together
        old_hashes = self._doc_hashes(old_id) if old_id is not None else []
        self._refresh_lock()
        pipe = self.r.pipeline(transaction=True)
        pipe.sadd(self.k("docs"), new_id)
        pipe.srem(self.k("pending"), new_id)
        pipe.hset(self.k("paths"), rec.path, new_id)
        pipe.sadd(self.k("th", rec.text_hash), new_id)
        for h in rec.distinct:
            pipe.hincrby(self.k("df"), str(h), 1)
        if old_id is not None:
            self._retire(pipe, old_id, old_hashes)
        pipe.execute()
        if old_id is not None:
            self._purge(old_id, old_hashes)
            self.r.srem(self.k("pending"), old_id)

    def _doc_hashes(self, doc_id) -> list[int]:
        blob = self.r.hget(self.k("doc", doc_id), "text")
        if blob is None:
            return []
        return sorted(set(T.winnow(T.normalise(unpack_text(blob)).text)[1].tolist()))

    def _retire(self, pipe, doc_id, hashes) -> None:
        th = self.r.hget(self.k("doc", doc_id), "text_hash")
        pipe.srem(self.k("docs"), doc_id)
        pipe.sadd(self.k("pending"), doc_id)    # retired: purged next, or by the next add if we die
        if th:
            pipe.srem(self.k("th", th.decode()), doc_id)
        for h in hashes:
            pipe.hincrby(self.k("df"), str(h), -1)

    def _purge(self, doc_id, hashes) -> None:
        """Drop an uncommitted id's postings, paragraphs and LSH entries (best effort)."""
        for part in _chunks(hashes):
            pipe = self.r.pipeline(transaction=False)
            for h in part:
                pipe.get(self.k("fp", h))
            vals = pipe.execute()
            pipe = self.r.pipeline(transaction=False)
            for h, v in zip(part, vals):
                if not v:
                    continue
                arr = np.frombuffer(v, dtype="<u4").reshape(-1, 2)
                keep = arr[arr[:, 0] != doc_id]
                if len(keep):
                    pipe.set(self.k("fp", h), keep.tobytes())
                else:
                    pipe.delete(self.k("fp", h))
            dfs = self.r.hmget(self.k("df"), [str(h) for h in part])
            zero = [str(h) for h, v in zip(part, dfs) if v is not None and int(v) <= 0]
            if zero:
                pipe.hdel(self.k("df"), *zero)
            pipe.execute()
        prefix = f"{doc_id}:"
        keys = [k.decode() for k in self.r.hkeys(self.k("para")) if k.decode().startswith(prefix)] \
            if self.r.hlen(self.k("para")) < 200_000 else \
            [k.decode() for k, _ in self.r.hscan_iter(self.k("para"), match=f"{prefix}*", count=10_000)]
        if keys:
            with self.lsh.deletion_session() as session:
                for key in keys:
                    try:
                        session.remove(key)
                    except ValueError:
                        pass
            self.r.hdel(self.k("para"), *keys)
        self.r.delete(self.k("doc", doc_id))

    def _delete(self, doc_id) -> None:
        def run():
            hashes = self._doc_hashes(doc_id)
            path = self.r.hget(self.k("doc", doc_id), "path")
            pipe = self.r.pipeline(transaction=True)
            self._retire(pipe, doc_id, hashes)
            if path is not None:
                pipe.hdel(self.k("paths"), path.decode())
            pipe.execute()
            self._purge(doc_id, hashes)
            self.r.srem(self.k("pending"), doc_id)
        self._guard(run)

    # ----- one writer at a time, and what a killed writer left behind -------------------------
    def _acquire(self) -> None:
        import os
        import uuid
        self._token = f"{os.getpid()}:{uuid.uuid4().hex}"
        deadline = time.monotonic() + LOCK_WAIT
        ttl = int(_lock_ttl() * 1000)
        while not self.r.set(self.k("lock"), self._token, nx=True, px=ttl):
            if time.monotonic() > deadline:
                self._token = None
                raise CorpusError(f"另一个进程正在写入语料索引 {self.location}，请稍后重试")
            time.sleep(0.1)

    def _refresh_lock(self) -> None:
        token = getattr(self, "_token", None)
        if token and self.r.get(self.k("lock")) == token.encode():
            self.r.pexpire(self.k("lock"), int(_lock_ttl() * 1000))

    def _release(self) -> None:
        token = getattr(self, "_token", None)
        self._token = None
        if token:
            try:
                self.r.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end "
                            "return 0", 1, self.k("lock"), token)
            except self._redis_mod.exceptions.RedisError:   # pragma: no cover - expires anyway
                pass

    def clean_orphans(self) -> int:
        """Purge the ids a killed writer left uncommitted or half-retired (call with the lock held)."""
        def run():
            n = 0
            for raw in self.r.smembers(self.k("pending")):
                i = int(raw)
                if not self.r.sismember(self.k("docs"), i):
                    self._purge(i, self._doc_hashes(i))
                    n += 1
                self.r.srem(self.k("pending"), i)
            return n
        return self._guard(run)

    def _writing(self, fn):
        self._guard(self._acquire)
        try:
            self.clean_orphans()
            return fn()
        finally:
            self._guard(self._release)

    def add_paths(self, paths, skip_errors: bool = False, progress=None) -> dict:
        return self._writing(lambda: super(RedisIndex, self).add_paths(paths, skip_errors, progress))

    def remove_paths(self, paths):
        return self._writing(lambda: super(RedisIndex, self).remove_paths(paths))

    def stats(self) -> dict:
        def run():
            n = self.r.scard(self.k("docs"))
            pipe = self.r.pipeline(transaction=False)
            ids = [int(x) for x in self.r.smembers(self.k("docs"))]
            for i in ids:
                pipe.hget(self.k("doc", i), "chars")
            chars = sum(int(c or 0) for c in pipe.execute()) if ids else 0
            info = self.r.info("memory")
            return {"backend": "redis", "location": self.location, "documents": n, "characters": chars,
                    "distinct_fingerprints": self.r.hlen(self.k("df")), "paragraphs": self.r.hlen(self.k("para")),
                    "redis_used_memory": info.get("used_memory"), "schema_version": SCHEMA_VERSION}
        return self._guard(run)

    def clear(self) -> int:
        """Delete every key under the prefix (tests and benchmarks)."""
        def run():
            n = 0
            for pattern in (f"{self.prefix}:*",):
                batch = []
                for key in self.r.scan_iter(match=pattern, count=10_000):
                    batch.append(key)
                    if len(batch) >= 5000:
                        n += self.r.delete(*batch)
                        batch = []
                if batch:
                    n += self.r.delete(*batch)
            self._lsh = None
            self._docs.clear()
            return n
        return self._guard(run)

    def close(self) -> None:
        try:
            self.r.close()
        except Exception:  # pragma: no cover
            pass


def _reason(exc) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]
