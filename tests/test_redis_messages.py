"""Redis failures become Chinese one-liners with the server's address (redis-py's English
detail only with GOVLINT_DEBUG=1). Unit tests with the redis-py exceptions themselves."""

from __future__ import annotations

import re

import pytest
from redis import exceptions as E

from govlint.corpus.redis_connect import describe

LOC = "redis://10.0.0.5:6379/0"


@pytest.mark.parametrize("exc, start, words", [
    (E.ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused."), "无法连接 Redis", "连接被拒绝"),
    (ConnectionRefusedError(111, "Connection refused"), "无法连接 Redis", "连接被拒绝"),
    (E.TimeoutError("Timeout connecting to server"), "Redis 无应答", "没有回应"),
    (E.AuthenticationError("invalid username-password pair"), "Redis 拒绝访问", "密码"),
    (E.ResponseError("NOAUTH Authentication required."), "Redis 拒绝访问", "密码"),
    (E.AuthenticationWrongNumberOfArgsError("wrong number of arguments for 'auth' command"), "Redis 拒绝访问", "密码"),
    (E.OutOfMemoryError("command not allowed when used memory > 'maxmemory'."), "Redis 内存已满", "maxmemory"),
    (E.ResponseError("OOM command not allowed when used memory > 'maxmemory'."), "Redis 内存已满", "maxmemory"),
    (E.ClusterDownError("The cluster is down"), "Redis Cluster 不可用", "故障"),
    (E.ResponseError("CLUSTERDOWN The cluster is down"), "Redis Cluster 不可用", "故障"),
    (E.MovedError("3999 127.0.0.1:7101"), "Redis Cluster 正在迁移数据", "redis+cluster://"),
    (E.ReadOnlyError("You can't write against a read only replica."), "Redis 只读", "主节点"),
    (E.BusyLoadingError("Redis is loading the dataset in memory"), "Redis 正在启动", "载入内存"),
    (E.ConnectionError("Error -2 connecting to nohost:6379. Name or service not known."), "无法连接 Redis", "主机名"),
    (E.ConnectionError("Connection closed by server."), "无法连接 Redis", "中断"),
    (E.ConnectionError("something new"), "无法连接 Redis", "连接"),
    (E.ResponseError("ERR unknown command 'FOO'"), "Redis 出错", "拒绝"),
])
def test_each_cause_is_one_chinese_line(exc, start, words, monkeypatch):
    monkeypatch.delenv("GOVLINT_DEBUG", raising=False)
    msg = describe(exc, LOC)
    assert msg.startswith(f"{start}：{LOC}（") and words in msg, msg
    rest = re.sub(r"redis(\+cluster)?://|maxmemory|Redis|Cluster", "", msg.replace(LOC, ""))
    assert "\n" not in msg and not re.search(r"[A-Za-z]{4,}", rest), msg      # no English left


def test_debug_keeps_redis_py_detail(monkeypatch):
    monkeypatch.setenv("GOVLINT_DEBUG", "1")
    msg = describe(E.ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused."), LOC)
    assert "连接被拒绝" in msg and "Connection refused" in msg


def test_unreachable_server_message_end_to_end(monkeypatch):
    from govlint.corpus import CorpusError, open_index
    monkeypatch.delenv("GOVLINT_DEBUG", raising=False)
    with pytest.raises(CorpusError) as info:
        open_index("redis://127.0.0.1:1/0")
    assert str(info.value) == "无法连接 Redis：redis://127.0.0.1:1/0（连接被拒绝：该地址上没有运行 Redis，或端口不对）"
