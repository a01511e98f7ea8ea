"""The corpus index on a real Redis Cluster (3 masters on loopback ports 7100–7199, started here).

Skips without redis-server locally; under GOVLINT_CI=1 it fails instead (.ci/setup.d/10-redis.sh
installs redis-server).
"""

from __future__ import annotations

import uuid

import pytest

from govlint import corpus as corpus_pkg
from govlint.corpus import CorpusError, open_index

from helpers import unavailable
from redis_cluster import LocalCluster, available
from test_corpus import PAST, _build, _check, _sqlite_spec, past, report  # noqa: F401 (the same fixtures)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    why = available()
    if why:
        unavailable(f"no Redis Cluster: {why}")
    c = LocalCluster(tmp_path_factory.mktemp("cluster"))
    try:
        c.start()
    except RuntimeError as exc:
        unavailable(f"no Redis Cluster: {exc}")
    yield c
    c.stop()


@pytest.fixture
def cspec(cluster):
    spec = f"{cluster.url}#govlint-ct-{uuid.uuid4().hex[:8]}"
    yield spec
    corpus_pkg.clear_cache()
    try:
        ix = open_index(spec)
        ix.clear()
        ix.close()
    except CorpusError:
        pass


@pytest.fixture(autouse=True)
def _fresh_cache():
    corpus_pkg.clear_cache()
    yield
    corpus_pkg.clear_cache()


def _findings(found, extra):
    return ([(f.start, f.end, f.message, tuple((r.path, r.start, r.end, r.position) for r in f.related))
             for f in found], extra["copy_ratio"], extra["copy_sources"])


def test_cluster_agrees_with_sqlite(tmp_path, cspec, past, report):
    results = []
    for spec in (_sqlite_spec(tmp_path), cspec):
        _build(spec, past)
        _, found, extra = _check(report, spec)
        results.append(_findings(found, extra))
    assert results[0] == results[1]
    assert results[0][0]


def test_each_document_on_one_slot_and_shards_on_every_master(cluster, cspec, past):
    ix = _build(cspec, past)
    assert ix.shards == 8 and ix.n_docs() == len(PAST)
    slots = {ix.r.keyslot(ix.sk(s, "docs")) for s in range(ix.shards)}
    owners = {ix.r.get_node_from_key(ix.sk(s, "docs")).port for s in range(ix.shards)}
    assert len(slots) == ix.shards and owners == set(cluster.ports)
    seen = 0
    for s in range(ix.shards):
        slot = ix.r.keyslot(ix.sk(s, "docs"))
        node = ix.r.get_redis_connection(ix.r.get_node_from_key(ix.sk(s, "docs")))
        pattern = ix.sk(s, "*").replace("{", "\\{").replace("}", "\\}")
        for key in node.scan_iter(match=pattern, count=1000):
            assert ix.r.keyslot(key) == slot
            seen += 1
    assert seen > len(PAST) * 3     # documents, postings, frequencies and bands all under the tags


def test_update_and_remove_on_cluster(cspec, past, report):
    ix = _build(cspec, past)
    again = ix.add_paths([past])
    assert again["unchanged"] == len(PAST)
    removed, _ = ix.remove_paths([past / "2021_shiqiao_training.txt"])
    assert removed == 1 and ix.n_docs() == len(PAST) - 1
    _, found, extra = _check(report, cspec)
    assert found == [] and extra["copy_ratio"] == 0


def test_a_node_stopped_mid_query_is_an_error_not_an_empty_result(tmp_path, cluster, cspec, past, report,
                                                                  monkeypatch):
    from govlint import runner
    from govlint.corpus.redis_ import RedisIndex
    _build(cspec, past)
    real = RedisIndex._lookup_all
    calls = []

    def stop_a_node_then_look_up(self, family, keys):
        if not calls:     # the first lookup of the check: one master goes away
            cluster.stop_node(cluster.ports[-1])
        calls.append(family)
        return real(self, family, keys)
    monkeypatch.setattr(RedisIndex, "_lookup_all", stop_a_node_then_look_up)
    corpus_pkg.clear_cache()
    res = runner.lint_file(str(report), {"corpus": cspec, "options": {"DUP002": {"boilerplate_docs": 3}}},
                           codes={"DUP002"})
    assert calls, "the query never reached the index"
    assert res.error and ("无法连接 Redis" in res.error or "Redis 出错" in res.error), res.error
    assert "检查未完成" in res.error
    assert not res.findings
    with pytest.raises(CorpusError):      # a new check: opening or querying fails, never an empty answer
        corpus_pkg.clear_cache()
        from govlint.corpus.match import Options, query
        from govlint.readers import read_path
        query(open_index(cspec), read_path(report), Options())


def test_a_master_restarted_during_add_stops_the_add(tmp_path, past):
    """A master that restarts between two documents has lost the shard written to it: the
    add stops with the Chinese restart message at the next document (its run_id changed),
    never reporting the documents as added."""
    c = LocalCluster(tmp_path / "own")
    try:
        c.start()
    except RuntimeError as exc:
        unavailable(f"no Redis Cluster: {exc}")
    try:
        ix = open_index(f"{c.url}#govlint-ct-restart", create=True)
        seen = []

        def restart_after_first(path, status):
            seen.append(path)
            if len(seen) == 1:
                c.restart_node(c.ports[1])
        with pytest.raises(CorpusError, match="重启过.*请重新运行 govlint corpus add"):
            ix.add_paths([past], progress=restart_after_first)
        assert len(seen) == 1
        ix.close()
    finally:
        c.stop()
