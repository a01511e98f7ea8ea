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
  encoding) moves to the string ``T:F:<the fingerprint's 8 bytes>`` and the field holds "".
- ``T:d:<bucket>`` document frequencies of the shard's committed documents (field as above)
- ``T:b:<bucket>`` / ``T:B:<key bytes>`` LSH bands: field = the band key (band mixed in),
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


MAX_BITS = 24             # bucket bits per shard: up to 16 777 216 buckets in one shard


def bucket_bits(buckets: int, shards: int) -> int:
    """Bits of the bucket number in one shard (4–24)."""
    return (buckets // shards).bit_length() - 1


def addresses(hashes, bits: int) -> tuple[list[str], list[bytes], list[str]]:
    """(bucket suffix, 6-byte field, spill suffix) of each signed 64-bit key, as the scripts
    compute them (``_ADDR``); the bucket is taken from the top ``bits`` of the key's low 16
    bits (``bits`` ≤ 16) or of its low 24 bits (more buckets per shard: those overlap the
    field, which still identifies the key with the bucket), the field is its high 48 bits."""
    u = np.asarray(hashes, dtype=np.int64).view(np.uint64)
    if bits <= 16:
        buckets = (u & np.uint64(0xFFFF)) >> np.uint64(16 - bits)
    else:
        buckets = (u & np.uint64(0xFFFFFF)) >> np.uint64(24 - bits)
    raw = u.astype("<u8").tobytes()
    fields = [raw[i * 8 + 2:i * 8 + 8] for i in range(len(u))]
    spills = [raw[i * 8:i * 8 + 8] for i in range(len(u))]
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


def pack_keys(keys) -> bytes:
    """Signed 64-bit keys as 8 little-endian bytes each: what the scripts read."""
    return np.asarray(keys, dtype=np.int64).astype("<i8").tobytes()


def pack_entries(keys, blobs) -> bytes:
    """(key, value) records for APPEND: 8-byte key, uint32 length, value."""
    out = bytearray()
    for k, b in zip(_key_bytes(keys), blobs):
        out += k
        out += len(b).to_bytes(4, "little")
        out += b
    return bytes(out)


def _key_bytes(keys) -> list[bytes]:
    raw = pack_keys(keys)
    return [raw[i:i + 8] for i in range(0, len(raw), 8)]


# ----- server-side scripts: each touches the keys of one shard (one slot) -------------------
# Keys arrive packed (8 bytes each, little endian): a script finds a key's bucket in its low
# 16 bits (the top ``bits`` of them; of its low 24 bits past 16 bits), its field in its high 48 bits, and names its spill key
# with the 8 raw bytes; one argument per request, not several per key.

_ADDR = """
local nbits = tonumber(ARGV[1])
local wide = nbits > 16
local shift = 2 ^ ((wide and 24 or 16) - nbits)
local function addr(k)
  local lo = string.byte(k, 1) + 256 * string.byte(k, 2)
  if wide then lo = lo + 65536 * string.byte(k, 3) end
  return tostring(math.floor(lo / shift)), string.sub(k, 3, 8)
end
"""

# ARGV: bits, inline limit, bucket prefix, spill prefix, records (key 8, length 4, value)
APPEND = _ADDR + """
local lim, bp, sp, data = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local i = 1
while i <= #data do
  local k = string.sub(data, i, i + 7)
  local n = struct.unpack('<I4', data, i + 8)
  local add = string.sub(data, i + 12, i + 11 + n)
  i = i + 12 + n
  local bn, f = addr(k)
  local b = bp .. bn
  local v = redis.call('HGET', b, f)
  if v == '' then
    redis.call('APPEND', sp .. k, add)
  else
    local nv = (v or '') .. add
    if #nv <= lim then
      redis.call('HSET', b, f, nv)
    else
      redis.call('SET', sp .. k, nv)
      redis.call('HSET', b, f, '')
    end
  end
end
return 1
"""

# ARGV: bits, bucket prefix, spill prefix, keys → values (false: none)
LOOKUP = _ADDR + """
local bp, sp, keys = ARGV[2], ARGV[3], ARGV[4]
local out = {}
for i = 1, #keys, 8 do
  local k = string.sub(keys, i, i + 7)
  local bn, f = addr(k)
  local v = redis.call('HGET', bp .. bn, f)
  if v == '' then v = redis.call('GET', sp .. k) end
  out[#out + 1] = v or false
end
return out
"""

# ARGV: bits, bucket prefix, keys → the counts, packed uint32 little endian
COUNTS = _ADDR + """
local bp, keys = ARGV[2], ARGV[3]
local out = {}
for i = 1, #keys, 8 do
  local bn, f = addr(string.sub(keys, i, i + 7))
  out[#out + 1] = struct.pack('<I4', tonumber(redis.call('HGET', bp .. bn, f) or 0))
end
return table.concat(out)
"""

_DECR = """
local function decr(dp, keys)
  for i = 1, #keys, 8 do
    local bn, f = addr(string.sub(keys, i, i + 7))
    if redis.call('HINCRBY', dp .. bn, f, -1) <= 0 then redis.call('HDEL', dp .. bn, f) end
  end
end
"""

# KEYS: docs, pending, paths. ARGV: bits, new id, path, old id ('' none), df prefix,
# the new document's keys, the old one's keys
COMMIT = _ADDR + _DECR + """
local id, path, old, dp = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('SADD', KEYS[1], id)
redis.call('SREM', KEYS[2], id)
redis.call('HSET', KEYS[3], path, id)
local keys = ARGV[6]
for i = 1, #keys, 8 do
  local bn, f = addr(string.sub(keys, i, i + 7))
  redis.call('HINCRBY', dp .. bn, f, 1)
end
if old ~= '' then
  redis.call('SREM', KEYS[1], old)
  redis.call('SADD', KEYS[2], old)
  decr(dp, ARGV[7])
end
return 1
"""

# KEYS: docs, pending, paths. ARGV: bits, id, path ('' keep), df prefix, keys
RETIRE = _ADDR + _DECR + """
redis.call('SREM', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
if ARGV[3] ~= '' and redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[3], ARGV[3]) end
decr(ARGV[4], ARGV[5])
return 1
"""

# ARGV: bits, entry width, id bytes (an entry's first 4), bucket prefix, spill prefix, keys:
# the id's entries are removed from each key's value
PURGE = _ADDR + """
local w, id, bp, sp, keys = tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6]
for i = 1, #keys, 8 do
  local k = string.sub(keys, i, i + 7)
  local bn, f = addr(k)
  local b, s = bp .. bn, sp .. k
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
