"""Connecting to a corpus URL: a single Redis server or a Redis Cluster, with creation parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

from govlint.corpus.common import CorpusError

PING_TIMEOUT = 3.0


def connect(url: str):
    """(client, cluster?, prefix, (shards, buckets) asked for) for a corpus URL; CorpusError otherwise."""
    import redis
    try:
        parts = urlsplit(url)
        parts.port            # a bad port or an unclosed [IPv6 bracket raise here
        cluster = parts.scheme.endswith("+cluster")
        scheme = parts.scheme.replace("+cluster", "")
        query = parse_qs(parts.query)
        shards = int(query.pop("shards", ["0"])[0]) or None
        if shards is not None and (shards < 1 or shards & (shards - 1) or shards > 256):
            raise ValueError("shards 应为 1–256 之间的 2 的幂")
        buckets = int(query.pop("buckets", ["0"])[0]) or None
        if buckets is not None and (buckets < 256 or buckets & (buckets - 1)
                                    or not 16 <= buckets // (shards or 8) <= 2 ** 24):
            raise ValueError("buckets 应为 2 的幂，每个分片 16–16777216 个")
        rest = "&".join(f"{k}={v[0]}" for k, v in query.items())
        clean = urlunsplit((scheme, parts.netloc, parts.path, rest, ""))
    except (ValueError, TypeError) as exc:
        raise CorpusError(f"Redis 地址无效：{url}（{reason(exc)}；应为 redis://主机:端口/库号 "
                          "或 redis+cluster://主机:端口）") from None
    prefix = parts.fragment or "govlint"
    if "{" in prefix or "}" in prefix:
        raise CorpusError(f"Redis 地址无效：{url}（键前缀不能含有花括号）")
    kw = dict(socket_connect_timeout=PING_TIMEOUT, socket_timeout=PING_TIMEOUT)
    try:
        if cluster:
            from redis.cluster import RedisCluster
            if parts.path not in ("", "/", "/0"):
                raise CorpusError(f"Redis 地址无效：{url}（Redis Cluster 只有 0 号库）")
            from redis.backoff import ExponentialBackoff
            from redis.retry import Retry
            client = RedisCluster.from_url(urlunsplit((scheme, parts.netloc, "", rest, "")), **kw,
                                           retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), 2))
            client.ping(target_nodes=RedisCluster.ALL_NODES)
        else:
            probe = redis.Redis.from_url(clean, **kw)
            try:
                probe.ping()
            finally:
                probe.close()
            # later commands (large scripts) get the longer socket timeout
            client = redis.Redis.from_url(clean, socket_connect_timeout=PING_TIMEOUT, socket_timeout=60)
    except CorpusError:
        raise
    except (redis.exceptions.RedisError, ValueError, OSError) as exc:
        raise CorpusError(describe(exc, url)) from None
    return client, cluster, prefix, (shards, buckets)


def _detail(exc) -> str:
    """redis-py's own (English) words: only with GOVLINT_DEBUG=1."""
    import os
    if not os.environ.get("GOVLINT_DEBUG"):
        return ""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"［{type(exc).__name__}: {msg[:200]}］"


def reason(exc) -> str:
    """Why an address is invalid: our own Chinese words, or a Chinese summary of urllib's."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in msg):
        return msg[:120]
    return "格式不正确" + _detail(exc)


# (exception class names, words in the server's reply, the message) — first match wins
_CAUSES = (
    (("AuthenticationError", "AuthenticationWrongNumberOfArgsError", "NoPermissionError"),
     ("NOAUTH", "WRONGPASS", "invalid password", "invalid username", "NOPERM"),
     "Redis 拒绝访问：{loc}（密码或用户名不对、未提供密码或权限不足；密码写在地址中：redis://:密码@主机:端口）"),
    (("OutOfMemoryError",), ("OOM ", "maxmemory"),
     "Redis 内存已满：{loc}（已达到 maxmemory 上限，无法再写入；请调大 maxmemory 或清理数据后重试）"),
    (("ReadOnlyError",), ("READONLY",),
     "Redis 只读：{loc}（连接的是只读副本，无法写入；请改用主节点的地址）"),
    (("ClusterDownError", "MasterDownError"), ("CLUSTERDOWN", "MASTERDOWN"),
     "Redis Cluster 不可用：{loc}（集群处于故障状态，部分数据槽没有可用节点；请待集群恢复后重试）"),
    (("MovedError", "AskError", "TryAgainError", "SlotNotCoveredError"), ("MOVED ", "ASK ", "TRYAGAIN"),
     "Redis Cluster 正在迁移数据：{loc}（键已移到其他节点或正在迁移；集群地址请用 redis+cluster://，稍后重试）"),
    (("BusyLoadingError",), ("LOADING",),
     "Redis 正在启动：{loc}（服务器仍在把数据载入内存；请稍后重试）"),
    (("TimeoutError",), ("Timeout", "timed out"),
     "Redis 无应答：{loc}（在限定时间内没有回应：服务器繁忙、网络不通，或该地址上不是 Redis 服务）"),
    (("ConnectionRefusedError",), ("Connection refused",),
     "无法连接 Redis：{loc}（连接被拒绝：该地址上没有运行 Redis，或端口不对）"),
    ((), ("Name or service not known", "nodename nor servname", "getaddrinfo", "Temporary failure in name"),
     "无法连接 Redis：{loc}（主机名无法解析，请检查地址）"),
    ((), ("Connection reset", "Connection closed", "Broken pipe", "closed by server"),
     "无法连接 Redis：{loc}（连接被服务器中断：服务器可能已停止或重启）"),
)


def describe(exc, location: str) -> str:
    """A one-line Chinese message for a redis-py (or socket) error at ``location``."""
    names = {c.__name__ for c in type(exc).__mro__}
    text = str(exc)
    for classes, words, message in _CAUSES:
        if names & set(classes) or any(w in text for w in words):
            return message.format(loc=location) + _detail(exc)
    import redis
    if isinstance(exc, (redis.exceptions.ConnectionError, OSError)):
        return f"无法连接 Redis：{location}（连接无法建立或已中断）" + _detail(exc)
    if isinstance(exc, ValueError):
        return f"Redis 地址无效：{location}（{reason(exc)}）"
    return f"Redis 出错：{location}（服务器拒绝了请求）" + _detail(exc)
