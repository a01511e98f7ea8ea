"""The reference corpus: an index of past reports that DUP002 compares a report with.

``open_index(spec)`` opens a stored index (an SQLite file, or a ``redis://`` URL);
``open_for_check(spec)`` also accepts a plain directory of reports, indexed on the fly
into memory once per process. Every problem opening or reading an index raises
``CorpusError`` with a one-line Chinese message.
"""

from __future__ import annotations

from govlint.corpus.common import (DEFAULT_INDEX, SCHEMA_VERSION, CorpusError, CorpusQueryError,  # noqa: F401
                                   is_redis)


def open_index(spec: str, create: bool = False):
    """Open the index at ``spec``; ``create`` makes a new one when none exists yet."""
    if is_redis(spec):
        from govlint.corpus.redis_ import RedisIndex
        return RedisIndex(spec, create=create)
    from govlint.corpus.sqlite import SqliteIndex
    return SqliteIndex(spec, create=create)


_OPEN: dict = {}


def open_for_check(spec: str):
    """The index DUP002 queries: cached per process; a directory is indexed in memory."""
    from pathlib import Path
    key = spec if is_redis(spec) else str(Path(spec).resolve())
    cached = _OPEN.get(key)
    if isinstance(cached, CorpusError):
        raise cached
    if cached is not None:
        return cached
    try:
        if not is_redis(spec) and Path(spec).is_dir():
            from govlint.corpus.sqlite import SqliteIndex
            index = SqliteIndex(":memory:", create=True)
            from govlint.cache import release_collector
            release_collector()   # indexing a directory is long work: not with the collector held
            index.add_paths([spec], skip_errors=True)
            if index.n_docs() == 0:
                raise CorpusError(f"对照语料为空：目录 {spec} 中没有可读取的报告")
        else:
            if not is_redis(spec) and not Path(spec).exists():
                raise CorpusError(f"对照语料不存在：{spec}（应为索引文件、redis:// URL 或报告目录）")
            index = open_index(spec)
            index.require_nonempty()
    except CorpusError as exc:
        _OPEN[key] = exc
        raise
    _OPEN[key] = index
    return index


def clear_cache() -> None:
    for v in _OPEN.values():
        if not isinstance(v, CorpusError):
            try:
                v.close()
            except Exception:  # pragma: no cover - closing is best effort
                pass
    _OPEN.clear()
