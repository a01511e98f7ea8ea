"""The compact Redis key layout (schema 2): shards, bucketed hashes, fixed-width binary values.

Every document lives in one *shard*, chosen from its path; a shard's keys share the hash
tag ``{P:<tag>}``, so in a Redis Cluster they sit on one slot and a document's commit is
one atomic script there. Per shard (``T`` = ``{P:<tag>}``):

- ``T:docs`` committed ids (set), ``T:pending`` ids written but not (or no longer)
  committed, ``T:paths`` (hash path → id), ``T:n`` (id counter), ``T:doc:<id>`` (hash:
  path, file_hash, text_hash, title, chars, zlib text, paragraph spans as uint32 pairs)
- ``T:f:<bucket>`` postings: field = the fingerprint's high 48 bits (6 bytes), value =
  little-endian uint32 pairs (doc id, position). A value longer than ``inline`` bytes
  (Redis converts a hash with a value over ``hash-max-listpack-value`` = 64 to its large
  encoding) moves to the string ``T:F:<fingerprint hex>`` and the field holds "".
- ``T:d:<bucket>`` document frequencies of the shard's committed documents (field as above)
- ``T:b:<bucket>`` / ``T:B:<key hex>`` LSH bands: field = the band key (band mixed in),
  value = (doc id uint32, paragraph number uint16) entries; spilled like postings.

Buckets keep every hash small (``buckets`` per structure over all shards, 65 536 by default;
at most ``hash-max-listpack-entries`` = 128 fields at the documented sizes) so Redis stores
them as listpacks: a few bytes per entry instead of ~70 bytes per key. Document ids are ``n × shards + shard``.
"""

from __future__ import annotations

import zlib

import numpy as np

BUCKETS = 65536           # default buckets per structure, over all shards (``?buckets=`` at creation)
INLINE = 64               # hash-max-listpack-value: longer values spill to their own key


def keyslot(key: str) -> int:
    from redis.crc import key_slot
    return key_slot(key.encode())


def shard_tags(prefix: str, shards: int) -> list[str]:
    """One hash tag per shard, chosen so the shards' slots spread evenly over 0–16383
    (a cluster's masters each own a contiguous range: every master gets its share)."""
    tags = []
    width = 16384 / shards
    for i in range(shards):
        lo, hi = int(i * width), int((i + 1) * width)
        n = 0
        while True:
            tag = f"{prefix}:{i}" if n == 0 else f"{prefix}:{i}.{n}"
            if lo <= keyslot("{" + tag + "}") < hi:
                break
            n += 1
        tags.append("{" + tag + "}")
    return tags


def shard_of(path: str, shards: int) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % shards


def bucket_bits(buckets: int, shards: int) -> int:
    """Bits of the bucket number in one shard (at most 16: the field keeps the key's high 48 bits)."""
    return (buckets // shards).bit_length() - 1


def addresses(hashes, bits: int) -> tuple[list[str], list[bytes], list[str]]:
    """(bucket suffix, 6-byte field, spill suffix) of each signed 64-bit key; the bucket is
    taken from the top ``bits`` of the key's low 16 bits, the field is its high 48 bits."""
    u = np.asarray(hashes, dtype=np.int64).view(np.uint64)
    buckets = (u & np.uint64(0xFFFF)) >> np.uint64(16 - bits)
    raw = u.astype("<u8").tobytes()
    fields = [raw[i * 8 + 2:i * 8 + 8] for i in range(len(u))]
    spills = [format(int(x), "016x") for x in u.tolist()]
    return [str(b) for b in buckets.tolist()], fields, spills


def pack_postings(doc_id: int, positions) -> bytes:
    arr = np.empty((len(positions), 2), dtype="<u4")
    arr[:, 0] = doc_id
    arr[:, 1] = positions
    return arr.tobytes()


def unpack_postings(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").reshape(-1, 2)


BAND_DTYPE = np.dtype([("doc", "<u4"), ("para", "<u2")])


def pack_band(doc_id: int, para: int) -> bytes:
    return np.array([(doc_id, para)], dtype=BAND_DTYPE).tobytes()


def unpack_bands(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=BAND_DTYPE)


# ----- server-side scripts: each touches the keys of one shard (one slot) -------------------

# ARGV: inline limit, bucket prefix, spill prefix, then (bucket, field, spill, bytes) quads
APPEND = """
local lim = tonumber(ARGV[1])
for i = 4, #ARGV, 4 do
  local b = ARGV[2] .. ARGV[i]
  local f = ARGV[i + 1]
  local v = redis.call('HGET', b, f)
  if v == '' then
    redis.call('APPEND', ARGV[3] .. ARGV[i + 2], ARGV[i + 3])
  else
    local nv = (v or '') .. ARGV[i + 3]
    if #nv <= lim then
      redis.call('HSET', b, f, nv)
    else
      redis.call('SET', ARGV[3] .. ARGV[i + 2], nv)
      redis.call('HSET', b, f, '')
    end
  end
end
return 1
"""

# ARGV: bucket prefix, spill prefix, then (bucket, field, spill) triples → values (false: none)
LOOKUP = """
local out = {}
for i = 3, #ARGV, 3 do
  local v = redis.call('HGET', ARGV[1] .. ARGV[i], ARGV[i + 1])
  if v == '' then v = redis.call('GET', ARGV[2] .. ARGV[i + 2]) end
  out[#out + 1] = v or false
end
return out
"""

# KEYS: docs, pending, paths. ARGV: new id, path, old id ('' none), df prefix, n new, then
# n (bucket, field) pairs to increment, then (bucket, field) pairs of the old id to decrement
COMMIT = """
local id, path, old, dp, n = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
redis.call('SADD', KEYS[1], id)
redis.call('SREM', KEYS[2], id)
redis.call('HSET', KEYS[3], path, id)
for i = 6, 5 + 2 * n, 2 do
  redis.call('HINCRBY', dp .. ARGV[i], ARGV[i + 1], 1)
end
if old ~= '' then
  redis.call('SREM', KEYS[1], old)
  redis.call('SADD', KEYS[2], old)
  for i = 6 + 2 * n, #ARGV, 2 do
    local b = dp .. ARGV[i]
    if redis.call('HINCRBY', b, ARGV[i + 1], -1) <= 0 then redis.call('HDEL', b, ARGV[i + 1]) end
  end
end
return 1
"""

# KEYS: docs, pending, paths. ARGV: id, path ('' keep), df prefix, then (bucket, field) pairs
RETIRE = """
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[2] ~= '' and redis.call('HGET', KEYS[3], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[2]) end
for i = 4, #ARGV, 2 do
  local b = ARGV[3] .. ARGV[i]
  if redis.call('HINCRBY', b, ARGV[i + 1], -1) <= 0 then redis.call('HDEL', b, ARGV[i + 1]) end
end
return 1
"""

# ARGV: entry width, id bytes (first 4 bytes of an entry), bucket prefix, spill prefix,
# inline limit, then (bucket, field, spill) triples: the id's entries are removed
PURGE = """
local w, id, bp, sp, lim = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
for i = 6, #ARGV, 3 do
  local b, f, s = bp .. ARGV[i], ARGV[i + 1], sp .. ARGV[i + 2]
  local v = redis.call('HGET', b, f)
  local spilled = v == ''
  if spilled then v = redis.call('GET', s) end
  if v then
    local keep = {}
    for j = 1, #v, w do
      if string.sub(v, j, j + 3) ~= id then keep[#keep + 1] = string.sub(v, j, j + w - 1) end
    end
    local nv = table.concat(keep)
    if nv == '' then
      redis.call('HDEL', b, f)
      if spilled then redis.call('DEL', s) end
    elseif spilled then
      redis.call('SET', s, nv)
    else
      redis.call('HSET', b, f, nv)
    end
  end
end
return 1
"""
