"""Scale benchmark of the corpus index (DUP002): ×1, ×10, ×100 synthetic corpora.

    python bench/corpus_scale.py [--scales 1,10,100] [--backends sqlite,redis,cluster]
                                 [--redis redis://127.0.0.1:PORT/0] [--queries 40] [--structures]
                                 [--workdir DIR] [--keep] [--reuse] [--progress]

The corpus at scale ×s is ``../shared/corpus/`` minus a held-out set of host reports, plus
s − 1 perturbed versions of every indexed report (place names swapped, every figure
changed, sentences reordered inside paragraphs, ~2 % of characters replaced, ~8 % of
sentences dropped). The queries are the held-out hosts (never indexed, nor any version of
them) with planted copies at known places: a verbatim passage and a passage whose figures
were changed, each taken from an indexed report and checked to occur only once in the
real corpus (so it is no template sentence); the reports they come from get no perturbed
versions, and a plant is taken, where the source has one, among passages of the source's own
text (≥ 80 % of its fingerprints in no other real report: a sentence quoting a regulation
that other reports quote is template text once ten indexed reports hold it, and at ×100 the
perturbed versions of those others do). Recall = plants of the source's own text of which
≥ 50 % is covered by matches; ``recall_all_plants`` counts every plant. A false positive
is a match whose reported source span does not hold the passage — checked against the
source's text made again from the corpus files, never read from the index (the same
normalised text, or ≥ 60 % alike with figures collapsed). ``outside_plants`` counts the
matches outside the planted passages: the hosts are real documents sharing real text (a
quoted regulation) with others; they fall as the perturbed versions turn that text into
template text (≥ ``boilerplate_docs`` documents).

For each backend and scale one subprocess builds the index (SQLite with the buffered
writes of ``govlint corpus add``) and measures build rate and index bytes per indexed
character (SQLite file; Redis ``used_memory`` growth; per structure with
``--structures``); then one subprocess per backend times every query on every scale in
turn (``--rounds`` times), so that a busy machine slows all scales alike, and scores the
answers. ``cluster`` starts a throw-away 3-master Redis Cluster on loopback ports
7100–7199 (tests/redis_cluster.py) unless ``--cluster`` gives a running one. For ×100
(≈ 440 M characters, hours of build) keep the indexes and re-query them:
``--workdir DIR --keep --reuse``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from corpus_bench import corpus_files, replace_chars  # noqa: E402
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

HOSTS = 40            # held-out reports that carry the planted copies
OWN_SHARE = 0.8       # a planted passage: this share of its fingerprints in no other real report
NAMES = ["青川", "白鹭", "松岭", "临溪", "安和", "丰源", "长宁", "云岗", "石门", "新桥", "平湖", "栗园",
         "金沙", "柳营", "嘉禾", "汇川", "凤台", "古城", "望江", "龙泉"]
_PLACE = re.compile(r"[\u4e00-\u9fff]{2}(?=[省市县区镇乡村])")
_SENT = re.compile(r"(?<=[。；！？])")
_ENUM = re.compile(r"^\s*[（(]?[一二三四五六七八九十百\d０-９]+[)）、.．,，]|^\s*第[一二三四五六七八九十百\d]+[条章节]")


def split_hosts(files: list[Path]) -> tuple[list[Path], list[Path]]:
    rnd = random.Random(23)
    hosts = sorted(rnd.sample(files, min(HOSTS, len(files) // 10)))
    held = set(hosts)
    return [f for f in files if f not in held], hosts


def perturb(text: str, seed: int) -> str:
    """A re-use of a report: names swapped, figures changed, sentences reordered, a few edits."""
    rnd = random.Random(seed)
    names = {}

    def place(m):
        return names.setdefault(m.group(0), rnd.choice(NAMES))
    text = _PLACE.sub(place, text)
    text = re.sub(r"\d", lambda m: str(rnd.randint(0, 9)), text)
    out = []
    for para in text.split("\n"):
        sents = [s for s in _SENT.split(para) if s]
        if len(sents) > 2:
            sents = [s for s in sents if rnd.random() > 0.08] or sents[:1]
            if len(sents) > 1 and rnd.random() < 0.5:
                i = rnd.randrange(len(sents) - 1)
                sents[i], sents[i + 1] = sents[i + 1], sents[i]
        out.append("".join(sents))
    return replace_chars("\n".join(out), rnd, 0.02)


def indexed_texts(base: Path, scale: int):
    """(path, text) of every indexed report at this scale, in a fixed order.

    The reports the planted passages come from get no perturbed versions: a planted passage
    is in exactly one indexed report at every scale (with ten versions of its source, a
    passage is in ~10 reports and rightly counts as template text at ``boilerplate_docs`` 10).
    """
    files, _ = split_hosts(corpus_files(base))
    sources = plant_sources(base)
    for f in files:
        yield str(f.resolve()), f.read_text(encoding="utf-8")
    for g in range(1, scale):
        for i, f in enumerate(files):
            if f in sources:
                continue
            yield (f"/synthetic/{g}/{f.parent.name}/{f.name}",
                   perturb(f.read_text(encoding="utf-8"), seed=g * 100_003 + i))


def _passages(text: str, joined: str, sizes=(2,)):
    """Runs of ``sizes`` consecutive sentences a plant could be, in text order: 60–160
    characters with a figure, once in the real corpus, and no enumerated item (a paragraph
    opening with (一)/2．is read as a heading, whose title never counts as copied — by
    design, which is no test of the index)."""
    sents = [s.strip() for s in _SENT.split(text.replace("\n", "。")) if s.strip()]
    for n in sizes:
        for i in range(len(sents)):
            p = "".join(sents[i:i + n])
            if 60 <= len(p) <= 160 and re.search(r"\d", p) and not _ENUM.match(p) and joined.count(p) == 1:
                yield p


def _unique_passages(text: str, joined: str, rnd) -> list[str]:
    """The source's two-sentence plant candidates, shuffled."""
    cands = list(_passages(text, joined))
    rnd.shuffle(cands)
    return cands


def plant_sources(base: Path) -> set:
    return {src for _, _, _, srcs in _plants(base) for src in srcs}


def queries(base: Path) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(path, text, planted spans) for each held-out host; the same at every scale."""
    return [q[:3] for q in _plants(base)]


_PLANTS: dict = {}


def _plants(base: Path):
    if base in _PLANTS:
        return _PLANTS[base]
    from govlint.corpus import text as T
    from govlint.corpus.match import common_phrase_hashes
    files, hosts = split_hosts(corpus_files(base))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    joined = "\x00".join(texts.values())
    common = common_phrase_hashes()
    seen_in: dict = {}               # fingerprint → number of real reports holding it
    for t in texts.values():
        for x in set(T.winnow(T.normalise(t).text)[1].tolist()):
            seen_in[x] = seen_in.get(x, 0) + 1

    def own_share(passage: str) -> float:
        fps = T.winnow(T.normalise(passage).text)[1].tolist()
        return sum(seen_in.get(x, 0) <= 1 for x in fps) / max(1, len(fps))
    rnd = random.Random(5)
    out = []
    for h in hosts:
        host = h.read_text(encoding="utf-8")
        paras = host.split("\n")
        planted, srcs = [], []
        for kind in ("verbatim", "figures"):
            for _ in range(50):
                src = rnd.choice(files)
                cands = _unique_passages(texts[src], joined, rnd)
                cands = [c for c in cands if sum(x in common for x in T.winnow(T.normalise(c).text)[1].tolist())
                         <= 0.2 * len(T.winnow(T.normalise(c).text)[1])]
                if cands:
                    break
            else:
                continue
            # the first passage of the source's own text: ≥ 80 % of its fingerprints in no
            # other real report (a passage quoting a regulation that other reports quote
            # too is template text once the corpus holds ten of them — at ×100 it does)
            # (searched among runs of one to three sentences when no two-sentence one is)
            p = next((c for c in cands if own_share(c) >= OWN_SHARE), None) or \
                next((c for c in _passages(texts[src], joined, (2, 3, 1)) if own_share(c) >= OWN_SHARE), cands[0])
            own = own_share(p) >= OWN_SHARE
            if kind == "figures":     # the amount changed, the rest copied
                p = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), p, count=1)
            planted.append((kind, p, own))
            srcs.append(src)
        # plant each passage as a paragraph of its own, at a known place
        pos = sorted(rnd.sample(range(1, max(2, len(paras))), min(len(planted), max(1, len(paras) - 1))))
        for (kind, p, _), at in sorted(zip(planted, pos), key=lambda x: -x[1]):
            paras.insert(at, p)
        text = "\n".join(paras)
        spans = []
        for kind, p, own in planted:
            i = text.find(p)
            spans.append((i, i + len(p), kind, own))
        out.append((f"/query/{h.parent.name}/{h.name}", text, spans, srcs))
    _PLANTS[base] = out
    return out


# ----- features, computed once per scale and shared by every backend --------------------------

def _record(item):
    from govlint.corpus.base import make_record
    from govlint.corpus import text as T
    from govlint.document import Document
    path, text = item
    t = time.process_time()
    rec = make_record(path, T.text_hash(text), Document.from_text(text, path=path))
    return rec, time.process_time() - t


def corpus_key(corpus: Path) -> str:
    """A short digest of the corpus (its path, file names and sizes): caches of two corpora
    never mix."""
    import hashlib
    h = hashlib.sha1(str(Path(corpus).resolve()).encode())
    for f in corpus_files(Path(corpus)):
        h.update(f"{f.relative_to(corpus)}\0{f.stat().st_size}\0".encode())
    return h.hexdigest()[:10]


def feature_cache(corpus: Path, scale: int, jobs: int) -> tuple[Path, dict]:
    """Pickled DocRecords of the scale's corpus (in /tmp, never in the repository), and the
    time spent computing them: feature extraction is the same work for every backend."""
    import multiprocessing
    import pickle
    path = Path(os.environ.get("GOVLINT_SCALE_CACHE") or tempfile.gettempdir()) / \
        f"govlint-scale-features-v3-{corpus_key(corpus)}-x{scale}.pkl"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, json.loads(info_path.read_text())
    tmp = path.with_suffix(".part")
    t0 = time.perf_counter()
    chars = n = 0
    cpu = 0.0
    with open(tmp, "wb") as fh, multiprocessing.Pool(jobs) as pool:
        for rec, spent in pool.imap(_record, indexed_texts(corpus, scale), chunksize=8):
            pickle.dump(rec, fh, protocol=pickle.HIGHEST_PROTOCOL)
            chars += len(rec.text)
            cpu += spent
            n += 1
    wall = time.perf_counter() - t0
    tmp.rename(path)
    info = {"documents": n, "characters": chars, "features_wall_s": round(wall, 1), "jobs": jobs,
            "features_cpu_s": round(cpu, 1), "features_chars_per_cpu_s": round(chars / cpu)}
    info_path.write_text(json.dumps(info))
    return path, info


def records(path: Path):
    import pickle
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


# ----- structure sizes ------------------------------------------------------------------------

def sqlite_structures(path: str) -> dict:
    import sqlite3
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        db.close()
    groups = {"postings": ("postings", "fp"), "df": ("df",), "paragraphs": ("paras", "paras_doc"),
              "lsh_bands": ("bands",), "texts": ("docs", "docs_text_hash", "sqlite_autoindex_docs_1")}
    out = {}
    for name, size in rows:
        g = next((k for k, v in groups.items() if name in v), "other")
        out[g] = out.get(g, 0) + size
    return out


_REDIS_CLASSES = [   # (class, pattern on the key after the prefix and shard tag) for both layouts
    ("postings", re.compile(r"^(fp:|[fF]:)")),
    ("df", re.compile(r"^(df$|d:)")),
    ("paragraphs", re.compile(r"^para$")),
    ("lsh_bands", re.compile(r"^(lsh|[bB]:)")),
    ("texts", re.compile(r"^doc:")),
]


def _key_class(key: bytes, prefix: str) -> str:
    k = key.decode("utf-8", "replace")
    if k.startswith("{"):                     # schema 2: {prefix:shard}:family:...
        k = k[k.index("}") + 2:]
    else:                                     # schema 1: prefix:family...
        k = k[len(prefix) + 1:]
    return next((c for c, rx in _REDIS_CLASSES if rx.search(k)), "other")


def redis_structures(clients, prefix: str, sample: float = 0.05) -> dict:
    """Bytes per structure: MEMORY USAGE of every key of a small class, of a sample of a large one."""
    rnd = random.Random(1)
    totals: dict = {}
    for r in clients:
        keys: dict = {}
        for pattern in (f"{prefix}:*", "{" + prefix + ":*"):
            for key in r.scan_iter(match=pattern.replace("{", "\\{"), count=20_000):
                keys.setdefault(_key_class(key, prefix), []).append(key)
        for cls, ks in keys.items():
            pick = ks if len(ks) <= 2000 else rnd.sample(ks, max(2000, int(len(ks) * sample)))
            pipe = r.pipeline(transaction=False)
            for k in pick:
                pipe.memory_usage(k, samples=0)
            used = sum(v or 0 for v in pipe.execute())
            totals[cls] = totals.get(cls, 0) + int(used * len(ks) / len(pick))
            totals[cls + "_keys"] = totals.get(cls + "_keys", 0) + len(ks)
    return totals


# ----- one phase ------------------------------------------------------------------------------

def _used_memory(ix) -> int:
    if hasattr(ix, "used_memory"):
        return ix.used_memory()
    return int(ix.r.info("memory")["used_memory"])


def _clients(ix):
    if hasattr(ix, "node_clients"):
        return ix.node_clients()
    return [ix.r]


def _backend(spec: str) -> str:
    if not spec.startswith(("redis", "rediss")):
        return "sqlite"
    return "cluster" if spec.startswith("redis+cluster") else "redis"


SIZING = [   # docs/corpus.md "Deployment": (characters up to, buckets, cluster shards) at creation
    (30_000_000, None, None), (120_000_000, 262_144, 8), (500_000_000, 1_048_576, 16),
    (2_000_000_000, 4_194_304, 32)]


def sized(spec: str, chars: int) -> str:
    """A Redis spec with the creation parameters docs/corpus.md gives for this many characters
    (one server: always 2 shards — a query asks every shard in turn)."""
    for limit, buckets, shards in SIZING:
        if chars <= limit:
            break
    if buckets is None:
        return spec
    if not spec.startswith("redis+cluster"):
        shards = 2
    url, _, name = spec.partition("#")
    return f"{url}{'&' if '?' in url else '?'}buckets={buckets}&shards={shards}#{name}"


def phase(args) -> dict:
    """Build one backend's index at one scale (kept for the query step) and measure it."""
    from govlint.corpus import CorpusError, open_index
    spec = args.spec
    backend = _backend(spec)
    cache, info = feature_cache(Path(args.corpus), args.scale, args.jobs)
    out = {"backend": backend, "scale": args.scale}
    if backend != "sqlite":
        spec = sized(spec, info["characters"])
        out["created_as"] = spec
    if args.reuse:
        try:
            ix = open_index(spec)
            if ix.n_docs() == info["documents"]:
                out.update({"documents": info["documents"], "characters": info["characters"], "reused": True})
                ix.close()
                return out
            ix.close()
        except CorpusError:      # no index yet (or not a usable one): build it
            pass
    ix = open_index(spec, create=True)
    if hasattr(ix, "clear"):
        ix.clear()
        ix.close()
        ix = open_index(spec, create=True)
    before = _used_memory(ix) if backend != "sqlite" else 0
    chars = n = 0
    t0 = time.perf_counter()

    def counted(recs):
        nonlocal chars, n
        for rec in recs:
            chars += len(rec.text)
            n += 1
            if args.progress and n % 1000 == 0:
                print(f"  {backend} ×{args.scale}: {n} documents, {time.perf_counter() - t0:.0f} s",
                      file=sys.stderr, flush=True)
            yield rec
    ix.store_records(counted(records(cache)))    # as `govlint corpus add` stores: buffered
    store = time.perf_counter() - t0
    # one process extracting features (CPU time, robust to a busy machine) then storing
    feat = info["features_cpu_s"]
    out.update({"documents": n, "characters": chars,
                "store_s": round(store, 1), "store_chars_per_s": round(chars / store),
                "features_chars_per_s_1cpu": round(chars / feat),
                "build_chars_per_s": round(chars / (store + feat))})
    if backend == "sqlite":
        ix.close()
        size = Path(spec).stat().st_size
        out["index_bytes"] = size
        if args.structures:
            out["structures"] = sqlite_structures(spec)
    else:
        size = _used_memory(ix) - before
        out["index_bytes"] = size
        if args.structures:
            prefix = spec.split("#", 1)[1] if "#" in spec else "govlint"
            out["structures"] = redis_structures(_clients(ix), prefix)
        ix.close()
    out["bytes_per_char"] = round(size / chars, 2)
    if "structures" in out:
        out["structures_per_char"] = {k: round(v / chars, 2) for k, v in out["structures"].items()
                                      if not k.endswith("_keys")}
    out["peak_rss_build_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


class SourceTexts:
    """The text of an indexed path, made again from the corpus files (never read from the
    index): what a match's source span is checked against."""

    def __init__(self, corpus: Path):
        files, _ = split_hosts(corpus_files(corpus))
        self.index = {(f.parent.name, f.name): (i, f) for i, f in enumerate(files)}

    def __call__(self, path: str) -> str:
        if path.startswith("/synthetic/"):
            _, _, g, parent, name = path.split("/", 4)
            i, f = self.index[(parent, name)]
            return perturb(f.read_text(encoding="utf-8"), seed=int(g) * 100_003 + i)
        return Path(path).read_text(encoding="utf-8")


def _resembles(a: str, b: str) -> bool:
    """The reported source span holds the checked passage: the same normalised text (a
    verbatim run), or ≥ 60 % alike (an edited run or a near-duplicate paragraph)."""
    from rapidfuzz import fuzz
    from govlint.corpus import text as T
    na, nb = (re.sub(r"\d", "0", T.normalise(x).text) for x in (a, b))
    return na == nb or fuzz.ratio(na, nb) >= 60


def compare_queries(args) -> list[dict]:
    """Query the indexes of every scale of one backend, interleaved (each query on ×1, then on
    ×10 …, so a busy machine slows every scale alike), and score each scale's answers."""
    from govlint import corpus
    from govlint.corpus import open_index
    from govlint.corpus.match import Options, query
    from govlint.document import Document
    specs = json.loads(args.specs)           # {scale: spec}
    indexes = {int(k): open_index(v) for k, v in specs.items()}
    texts = SourceTexts(Path(args.corpus))
    qs = queries(Path(args.corpus))[:args.queries]
    stats = {s: {"times": [], "found": 0, "planted": 0, "found_all": 0, "planted_all": 0, "outside": 0, "false": 0,
                 "matches": 0, "missed": [],
                 "false_examples": []} for s in indexes}
    for rnd in range(args.rounds):
        for path, text, spans in qs:
            doc = Document.from_text(text, path=path)
            for scale, ix in indexes.items():
                st = stats[scale]
                t = time.perf_counter()
                rep = query(ix, doc, Options())
                st["times"].append(time.perf_counter() - t)
                if rnd:
                    continue
                st["matches"] += len(rep.matches)
                for a, b, kind, own in spans:
                    cov = sum(max(0, min(b, m.end) - max(a, m.start)) for m in rep.matches)
                    st["planted_all"] += 1
                    st["found_all"] += cov >= 0.5 * (b - a)
                    st["planted"] += own
                    st["found"] += own and cov >= 0.5 * (b - a)
                    if cov < 0.5 * (b - a):
                        st["missed"].append((path, kind, own, round(cov / (b - a), 2), text[a:b][:40]))
                for m in rep.matches:
                    st["outside"] += not any(m.start < b and a < m.end for a, b, _, _ in spans)
                    src = m.sources[0]
                    if not _resembles(text[m.start:m.end], texts(src.path)[src.start:src.end]):
                        st["false"] += 1
                        st["false_examples"].append((path, m.start, m.end, src.path, src.start, src.end))
    rows = []
    for scale, ix in indexes.items():
        st = stats[scale]
        times = sorted(st["times"])
        rows.append({"scale": scale, "queries": len(times),
                     "query_p50_ms": round(1000 * statistics.median(times), 1),
                     "query_p95_ms": round(1000 * times[math.ceil(0.95 * len(times)) - 1], 1),   # nearest rank
                     "planted": st["planted"], "recall": round(st["found"] / st["planted"], 4) if st["planted"] else None,
                     "planted_all": st["planted_all"],
                     "recall_all_plants": round(st["found_all"] / st["planted_all"], 4) if st["planted_all"] else None,
                     "false_positives": st["false"], "outside_plants": st["outside"], "matches": st["matches"],
                     "missed": st["missed"], "false_examples": st["false_examples"][:10]})
        corpus.clear_cache()
        _done(ix, args.keep)
    return rows


def _done(ix, keep: bool) -> None:
    """Drop a Redis index's keys (unless kept) and close it."""
    if not keep and hasattr(ix, "clear"):
        ix.clear()
    ix.close()


def _run(cmd: list) -> list[dict] | None:
    res = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    if res.returncode != 0:
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--backends", default="sqlite,redis,cluster")
    ap.add_argument("--queries", type=int, default=HOSTS)
    ap.add_argument("--rounds", type=int, default=2, help="times each query is timed on each scale")
    ap.add_argument("--redis", default=os.environ.get("GOVLINT_TEST_REDIS", "redis://127.0.0.1:6390/0"))
    ap.add_argument("--cluster", default=None, help="a running cluster: redis+cluster://host:port/0")
    ap.add_argument("--workdir", default=None, help="where SQLite indexes are written (default: a temporary "
                                                     "directory, removed at the end)")
    ap.add_argument("--structures", action="store_true", help="per-structure bytes (slower)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (Redis keys) after the run")
    ap.add_argument("--reuse", action="store_true", help="query a kept index of the right size instead of "
                                                          "building it again")
    ap.add_argument("--progress", action="store_true")
    ap.add_argument("--jobs", type=int, default=2, help="processes extracting features (cached per scale)")
    ap.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--query-phase", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--spec", help=argparse.SUPPRESS)
    ap.add_argument("--specs", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args), ensure_ascii=False))
        return
    if args.query_phase:
        print(json.dumps(compare_queries(args), ensure_ascii=False))
        return
    rows = []
    cluster = None
    common = ["--corpus", args.corpus, "--queries", str(args.queries), "--jobs", str(args.jobs),
              "--rounds", str(args.rounds)]
    flags = [f for f, on in (("--structures", args.structures), ("--keep", args.keep),
                             ("--progress", args.progress), ("--reuse", args.reuse)) if on]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        try:
            for backend in args.backends.split(","):
                specs, built = {}, []
                for scale in (int(s) for s in args.scales.split(",")):
                    if backend == "sqlite":
                        spec = str(work / f"corpus-{scale}.sqlite")
                    elif backend == "redis":
                        spec = f"{args.redis}#govlint-scale-{scale}"
                    else:
                        if args.cluster is None and cluster is None:
                            sys.path.insert(0, str(ROOT / "tests"))
                            from redis_cluster import LocalCluster
                            cluster = LocalCluster(Path(tmp) / "cluster").start()
                        url = args.cluster or cluster.url
                        spec = f"{url}#govlint-scale-{scale}"
                    print(f"== {backend} ×{scale}: build", file=sys.stderr, flush=True)
                    row = _run([sys.executable, __file__, "--phase", "--spec", spec, "--scale", str(scale)]
                               + common + flags)
                    if row is not None:
                        specs[scale] = spec
                        built.append(row)
                print(f"== {backend}: queries", file=sys.stderr, flush=True)
                answers = _run([sys.executable, __file__, "--query-phase", "--specs", json.dumps(specs)]
                               + common + flags) if specs else None
                by_scale = {a["scale"]: a for a in answers or []}
                for row in built:
                    row.update(by_scale.get(row["scale"], {}))
                    print(json.dumps(row, ensure_ascii=False), flush=True)
                    rows.append(row)
        finally:
            if cluster is not None:
                cluster.stop()
    keys = ["documents", "characters", "store_chars_per_s", "build_chars_per_s", "index_bytes", "bytes_per_char",
            "query_p50_ms", "query_p95_ms", "recall", "recall_all_plants", "false_positives", "outside_plants", "matches"]
    if rows:
        cols = [f"{r['backend']} ×{r['scale']}" for r in rows]
        print("\n| metric | " + " | ".join(cols) + " |")
        print("|---|" + "---:|" * len(cols))
        for k in keys:
            print(f"| {k} | " + " | ".join(str(r.get(k)) for r in rows) + " |")


if __name__ == "__main__":
    main()
