"""A Redis server restarting underneath ``corpus add`` or ``check --corpus`` is an error.

redis-py reconnects silently; a server without persistence comes back empty, so the
documents acknowledged before the restart are gone. The index compares the server's
``run_id`` (INFO server) with the one it saw when the write (or the check) began.
These tests start their own redis-server (no persistence) on a free port in 6500-6599 and
restart it between two documents. Skips without redis-server locally; fails under GOVLINT_CI=1.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from govlint.corpus import CorpusError, open_index

from helpers import unavailable
from test_corpus import _check, past, report  # noqa: F401 (the same fixtures)


def _free_port() -> int:
    for port in range(6500, 6600):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    unavailable("no free port in 6500-6599")


class Server:
    def __init__(self, workdir):
        self.dir, self.port, self.proc = workdir, _free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0#govlint-restart"

    def start(self) -> None:
        import redis
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def server(tmp_path):
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed")
    srv = Server(tmp_path)
    try:
        srv.start()
    except (RuntimeError, OSError) as exc:
        unavailable(f"cannot start redis-server: {exc}")
    yield srv
    srv.stop()


def test_restart_between_two_documents_stops_the_add(server, past):
    ix = open_index(server.url, create=True)
    seen = []

    def restart_after_first(path, status):
        seen.append(path)
        if len(seen) == 1:
            server.restart()

    with pytest.raises(CorpusError, match="Redis 服务器在 govlint corpus add 过程中重启过.*请重新运行 govlint corpus add"):
        ix.add_paths([past], progress=restart_after_first)
    assert len(seen) == 1            # stopped at the next document's commit, not at the end
    ix.close()


def test_server_gone_during_add_is_an_add_error(server, past):
    ix = open_index(server.url, create=True)

    def stop_after_first(path, status):
        server.stop()
    with pytest.raises(CorpusError) as info:
        ix.add_paths([past], progress=stop_after_first)
    msg = str(info.value)
    assert msg.startswith("无法连接 Redis") and "corpus add 未完成" in msg and "DUP002" not in msg, msg
    ix.close()


def test_add_without_restart_still_succeeds(server, past):
    ix = open_index(server.url, create=True)
    counts = ix.add_paths([past])
    assert counts["added"] == len(list(past.iterdir())) == ix.n_docs()
    ix.close()


def test_restart_during_remove_stops_it(server, past, monkeypatch):
    ix = open_index(server.url, create=True)
    ix.add_paths([past])
    from govlint.corpus.redis_ import RedisIndex
    delete = RedisIndex._delete

    def delete_then_restart(self, doc_id):
        delete(self, doc_id)
        server.restart()
    monkeypatch.setattr(RedisIndex, "_delete", delete_then_restart)
    with pytest.raises(CorpusError, match="corpus remove 过程中重启过"):
        ix.remove_paths([past])
    ix.close()


def test_restart_during_check_is_that_files_corpus_error(server, past, report, monkeypatch):
    ix = open_index(server.url, create=True)
    ix.add_paths([past])
    ix.close()
    _, found, extra = _check(report, server.url)
    assert found and "_corpus_error" not in extra           # the index works before the restart
    from govlint.corpus.redis_ import RedisIndex
    df = RedisIndex.df

    def df_then_restart(self, hashes):
        out = df(self, hashes)
        server.restart()
        return out
    monkeypatch.setattr(RedisIndex, "df", df_then_restart)
    _, found, extra = _check(report, server.url)
    assert found == [] and "检查过程中重启过" in extra["_corpus_error"]
