"""One writer at a time on a Redis index: a lock key with an expiry, refreshed per document."""

from __future__ import annotations

import os
import time

from govlint.corpus.common import CorpusError

LOCK_WAIT = 30.0          # seconds an add waits for another writer before giving up

_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _lock_ttl() -> float:
    """How long a writer's lock outlives a writer that was killed (refreshed on every document)."""
    try:
        return max(0.5, float(os.environ.get("GOVLINT_REDIS_LOCK_TTL", "15")))
    except ValueError:
        return 15.0


class WriterLock:
    def __init__(self, r, key: str, location: str):
        self.r, self.key, self.location = r, key, location
        self.token = None

    def acquire(self) -> None:
        import uuid
        self.token = f"{os.getpid()}:{uuid.uuid4().hex}"
        deadline = time.monotonic() + LOCK_WAIT
        ttl = int(_lock_ttl() * 1000)
        while not self.r.set(self.key, self.token, nx=True, px=ttl):
            if time.monotonic() > deadline:
                self.token = None
                raise CorpusError(f"另一个进程正在写入语料索引 {self.location}，请稍后重试")
            time.sleep(0.1)

    def refresh(self) -> None:
        if self.token and self.r.get(self.key) == self.token.encode():
            self.r.pexpire(self.key, int(_lock_ttl() * 1000))

    def release(self) -> None:
        token, self.token = self.token, None
        if token:
            try:
                self.r.eval(_RELEASE, 1, self.key, token)
            except Exception:   # pragma: no cover - the lock expires anyway
                pass
