"""What every part of the corpus package shares: the error, the schema version, the spec kinds."""

from __future__ import annotations

DEFAULT_INDEX = ".govlint/corpus.sqlite"
SCHEMA_VERSION = 2      # 2: compact Redis layout (shards, bucketed hashes), SQLite without signatures


class CorpusError(Exception):
    """A corpus problem (unreachable server, corrupt or wrong-version index, empty corpus)."""


class CorpusQueryError(CorpusError):
    """The index failed while one file was being checked (a node stopped, a timeout, an
    inconsistent answer): that file's DUP002 did not complete, which is that file's error,
    never an empty result."""


def is_redis(spec: str) -> bool:
    return spec.startswith(("redis://", "rediss://", "unix://", "redis+cluster://", "rediss+cluster://"))
