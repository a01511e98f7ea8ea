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
                                    or not 16 <= buckets // (shards or 8) <= 65536):
            raise ValueError("buckets 应为 2 的幂，每个分片 16–65536 个")
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
    except redis.exceptions.TimeoutError:
        raise CorpusError(f"Redis 无应答：{url}（{PING_TIMEOUT:g} 秒内没有回应，可能不是 Redis 服务）") from None
    except (redis.exceptions.ConnectionError, ValueError, OSError) as exc:
        raise CorpusError(f"无法连接 Redis：{url}（{reason(exc)}）") from None
    except redis.exceptions.RedisError as exc:
        raise CorpusError(f"Redis 出错：{url}（{reason(exc)}）") from None
    return client, cluster, prefix, (shards, buckets)


def reason(exc) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]
