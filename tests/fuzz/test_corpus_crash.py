"""Crash safety of the corpus index (issue #19): ``corpus add`` killed with SIGKILL during the
first add and during later adds, and concurrent adds, against SQLite and Redis. After each
crash the next ``corpus add`` must succeed and leave exactly the files given, with no orphans;
a file that is not a govlint index is never modified."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pytest

from helpers import REPORT, unavailable

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("GOVLINT_TEST_REDIS", "redis://127.0.0.1:6390/0")
N_FILES = 24


def _env(**extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("GOVLINT_CONFIG", None)
    env.update(extra)
    return env


def _govlint(*args, env=None, timeout=300):
    p = subprocess.run([sys.executable, "-m", "govlint", *args], capture_output=True, env=env or _env(),
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def _start(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "govlint", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env or _env())


@pytest.fixture
def reports(tmp_path):
    d = tmp_path / "past"
    d.mkdir()
    for i in range(N_FILES):
        text = REPORT.replace("平安县", f"第{i}县") + ("全年开展培训%d期，覆盖基层干部%d人次。\n" % (i + 3, 100 + i)) * (1 + i % 5)
        (d / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    return d


def _documents(index) -> int:
    rc, out, err = _govlint("corpus", "stats", "--index", index, "--json")
    assert rc == 0, err
    return json.loads(out)["documents"]


@pytest.fixture(params=["sqlite", "redis"])
def index(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "idx" / "corpus.sqlite")
        return
    try:
        import redis
        r = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        r.ping()
    except Exception as exc:  # noqa: BLE001
        unavailable(f"Redis not reachable at {REDIS_URL}: {exc}")
    prefix = f"govlint-crash-{uuid.uuid4().hex[:8]}"
    yield f"{REDIS_URL}#{prefix}"
    keys = list(r.scan_iter(match=f"{prefix}:*", count=10_000))
    if keys:
        r.delete(*keys)
    r.close()


def _assert_no_orphans(index):
    if not index.startswith("redis://"):
        return
    from govlint.corpus import open_index
    ix = open_index(index)
    for s in range(ix.shards):
        docs = {int(x) for x in ix.r.smembers(ix.sk(s, "docs"))}
        assert ix.r.scard(ix.sk(s, "pending")) == 0
        pattern = ix.sk(s, "doc", "*").replace("{", "\\{").replace("}", "\\}")
        ids = {int(k.decode().rsplit(":", 1)[1]) for k in ix.r.scan_iter(match=pattern, count=10_000)}
        assert ids == docs, f"orphan documents {sorted(ids - docs)}"
        postings = set()
        for key in ix.r.scan_iter(match=ix.sk(s, "f", "*").replace("{", "\\{").replace("}", "\\}"), count=10_000):
            for v in ix.r.hvals(key):
                if v:
                    postings.update(int(d) for d in np.frombuffer(v, dtype="<u4")[0::2])
        assert postings <= docs, f"orphan postings of {sorted(postings - docs)}"
    ix.close()


def _kill_after(proc, delay):
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.parametrize("delay", [0.4, 1.2, 2.5])
def test_sigkill_during_the_first_add(index, reports, delay):
    env = _env(GOVLINT_REDIS_LOCK_TTL="1")
    _kill_after(_start("corpus", "add", str(reports), "--index", index, env=env), delay)
    if not index.startswith("redis://"):
        p = Path(index)
        if p.exists():   # either no index or a complete one: never a broken 4 KiB file
            con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
            assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            con.close()
    rc, out, err = _govlint("corpus", "add", str(reports), "--index", index, env=env)
    assert rc == 0, err
    assert _documents(index) == N_FILES
    _assert_no_orphans(index)


@pytest.mark.parametrize("delay", [1.5, 3.0])
def test_sigkill_during_a_later_add(index, reports, tmp_path, delay):
    env = _env(GOVLINT_REDIS_LOCK_TTL="1")
    first = sorted(reports.iterdir())[:4]
    assert _govlint("corpus", "add", *map(str, first), "--index", index, env=env)[0] == 0
    for f in first[:2]:       # changed files: the killed add replaces documents too
        f.write_text(f.read_text(encoding="utf-8") + "新增一段说明文字，用于测试替换。\n", encoding="utf-8")
    _kill_after(_start("corpus", "add", str(reports), "--index", index, env=env), delay)
    assert _documents(index) >= 4               # the earlier documents are all still there
    rc, out, err = _govlint("corpus", "add", str(reports), "--index", index, env=env)
    assert rc == 0, err
    assert _documents(index) == N_FILES
    _assert_no_orphans(index)


def test_concurrent_adds_into_a_new_index(index, reports):
    files = sorted(reports.iterdir())
    a = _start("corpus", "add", *map(str, files[:16]), "--index", index)
    b = _start("corpus", "add", *map(str, files[8:]), "--index", index)     # 8 files overlap
    outs = [p.communicate(timeout=300) for p in (a, b)]
    for p, (out, err) in zip((a, b), outs):
        text = err.decode("utf-8", "replace")
        assert p.returncode == 0, text
        assert "UNIQUE" not in text and "内部错误" not in text
    assert _documents(index) == N_FILES
    _assert_no_orphans(index)


# ----- files that are not a govlint index are never modified ---------------------------------

def _snapshot(p: Path):
    return p.read_bytes(), sorted(x.name for x in p.parent.iterdir())


@pytest.mark.parametrize("command", [["corpus", "stats"], ["corpus", "add"], ["corpus", "remove"],
                                     ["check", "--corpus"]])
def test_a_foreign_sqlite_database_is_never_touched(tmp_path, reports, command):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    before = _snapshot(other)
    f = str(next(reports.iterdir()))
    if command[0] == "check":
        args = ["check", f, "--corpus", str(other), "--select", "DUP002", "-j", "1"]
    elif command[1] == "stats":
        args = [*command, "--index", str(other)]
    else:
        args = [*command, f, "--index", str(other)]
    rc, out, err = _govlint(*args)
    assert rc == 2 and "govlint 语料索引" in err and "内部错误" not in err
    assert _snapshot(other) == before
    con = sqlite3.connect(f"{other.resolve().as_uri()}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    con.close()


@pytest.mark.parametrize("content", [b"", b"# notes\n", b"SQLite format 3\x00" + b"\x00" * 100])
def test_corpus_add_refuses_a_file_that_is_not_an_index(tmp_path, reports, content):
    target = tmp_path / "empty.md"
    target.write_bytes(content)
    rc, out, err = _govlint("corpus", "add", str(reports), "--index", str(target))
    assert rc == 2 and "内部错误" not in err
    assert target.read_bytes() == content


def test_corpus_add_skips_a_fifo_and_keeps_going(tmp_path, reports):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = reports / "zz.txt"
    os.mkfifo(fifo)
    index = str(tmp_path / "i.sqlite")
    rc, out, err = _govlint("corpus", "add", str(reports), "--index", index, timeout=120)
    assert rc == 0, err
    assert "zz.txt" in err
    assert _documents(index) == N_FILES


def test_bad_redis_urls_and_silent_listeners_are_chinese_errors(tmp_path):
    import socket
    rc, out, err = _govlint("corpus", "stats", "--index", "redis://[::1/0")
    assert rc == 2 and "Redis 地址无效" in err and "Traceback" not in err
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)       # accepts connections (the kernel does), never answers
    port = srv.getsockname()[1]
    try:
        rc, out, err = _govlint("corpus", "stats", "--index", f"redis://127.0.0.1:{port}/0", timeout=60)
    finally:
        srv.close()
    assert rc == 2 and "Redis 无应答" in err
