"""The province-scale benchmark (bench/corpus_scale.py) runs end to end on every backend.

CI has no ../shared/corpus, so this runs the benchmark at ×1 and ×2 on a corpus made of the
project's own samples (corpora/*.txt): the point is that the benchmark measures what it says
(every planted copy found, no match whose source lacks the passage, the same answers on every
backend, an index that grows with the corpus), not the numbers of docs/corpus.md, which come
from ``python bench/corpus_scale.py --scales 1,10,100`` on ../shared/corpus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from helpers import unavailable

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.setdefault("GOVLINT_TEST_REDIS", "redis://127.0.0.1:6390/0")


def _samples(dest: Path) -> Path:
    corpus = dest / "corpus" / "samples"
    corpus.mkdir(parents=True)
    for f in sorted((ROOT / "corpora").glob("*.txt")):
        try:
            corpus.joinpath(f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
        except UnicodeDecodeError:      # the GBK sample
            continue
    return corpus.parent


def _redis_ok() -> str | None:
    try:
        import redis
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        return f"Redis not reachable at {REDIS_URL}: {exc}"
    return None


def _bench(tmp_path, backends: str) -> list[dict]:
    env = dict(os.environ, GOVLINT_SCALE_CACHE=str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "corpus_scale.py"), "--corpus", str(_samples(tmp_path)),
                          "--scales", "1,2", "--backends", backends, "--redis", REDIS_URL, "--jobs", "1",
                          "--rounds", "1", "--workdir", str(tmp_path / "work")],
                         capture_output=True, text=True, env=env, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [(r["backend"], r["scale"]) for r in rows] == [(b, s) for b in backends.split(",") for s in (1, 2)]
    return rows


def _sound(rows: list[dict]) -> None:
    for r in rows:
        assert r["queries"] >= 2 and r["planted_all"] >= 4 and r["planted"] >= 1
        assert r["recall"] == r["recall_all_plants"] == 1.0, r["missed"]
        assert r["false_positives"] == 0, r["false_examples"]
        assert r["documents"] > 0 and r["characters"] > 0 and r["index_bytes"] > 0
        assert 0 < r["query_p50_ms"] <= r["query_p95_ms"]
    by = {(r["backend"], r["scale"]): r for r in rows}
    for b in {r["backend"] for r in rows}:
        one, two = by[(b, 1)], by[(b, 2)]
        assert two["characters"] > 1.5 * one["characters"]      # ×2: a perturbed version of each report
        assert two["index_bytes"] > one["index_bytes"]
    answers = {(r["matches"], r["outside_plants"], r["recall"]) for r in rows if r["scale"] == 1}
    assert len(answers) == 1                                    # every backend answers alike


def test_scale_bench_sqlite(tmp_path):
    _sound(_bench(tmp_path, "sqlite"))


def test_scale_bench_redis_and_cluster(tmp_path):
    why = _redis_ok()
    if why is None:
        sys.path.insert(0, str(ROOT / "tests"))
        from redis_cluster import available
        why = available()
    if why:
        unavailable(why)
    _sound(_bench(tmp_path, "sqlite,redis,cluster"))
