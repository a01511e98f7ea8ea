"""Find the passages of a report that come from the corpus.

1. Verbatim runs: the report's winnowed fingerprints are looked up in the postings; each
   hit is verified on the two normalised texts and extended to the maximal common run.
   Fingerprints found in ``boilerplate_docs`` documents or more are template text: they
   are not looked up, and runs made of them are dropped (learned boilerplate).
2. Near duplicates: each long paragraph's MinHash is looked up in the LSH bands; the
   candidates are verified by the exact Jaccard similarity of their shingles (figures
   collapsed, so changed numbers and a few changed names still match).
3. Overlaps are resolved (longest first), the user's boilerplate strings are masked, and
   a copy ratio (share of the report's characters covered) is computed per source.

The cost of a query depends on the report's length and on the postings of its rare
fingerprints (each fewer than ``boilerplate_docs`` documents), not on the corpus size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govlint.corpus import text as T


@dataclass
class Options:
    min_run: int = T.GUARANTEE
    near_threshold: float = 0.6
    min_paragraph: int = T.MIN_PARAGRAPH
    boilerplate_docs: int = 10
    boilerplate: tuple = ()
    common_phrases: bool = True     # the shipped table of phrases common across government documents
    max_related: int = 3
    max_sources: int = 5


@dataclass
class SourceSpan:
    path: str
    title: str
    start: int          # original offsets in the source text
    end: int
    position: object    # finding.Position
    excerpt: str


@dataclass
class Match:
    start: int          # original offsets in the checked text
    end: int
    kind: str           # "verbatim", "edited" (verbatim but for short edits) or "near"
    chars: int          # normalised characters
    similarity: float
    sources: list = field(default_factory=list)
    edits: int = 0      # short edits inside an "edited" run


@dataclass
class Report:
    matches: list
    copy_ratio: float
    sources: list       # [{"path", "ratio", "chars"}]
    total_chars: int


@dataclass
class _Piece:
    qa: int
    qb: int
    doc: object
    sa: int
    path: str

    @property
    def length(self) -> int:
        return self.qb - self.qa


def _subtract(a: int, b: int, mask: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    cur = a
    for x, y in mask:
        if y <= cur or x >= b:
            continue
        if x > cur:
            out.append((cur, x))
        cur = max(cur, y)
        if cur >= b:
            break
    if cur < b:
        out.append((cur, b))
    return out


def _merge(intervals) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _covered(intervals) -> int:
    return sum(b - a for a, b in _merge(intervals))


def _common_right(q: str, s: str, i: int, j: int) -> int:
    """Length of the common prefix of q[i:] and s[j:]."""
    n = 0
    step = 64
    while i + n + step <= len(q) and j + n + step <= len(s) and q[i + n:i + n + step] == s[j + n:j + n + step]:
        n += step
    while i + n < len(q) and j + n < len(s) and q[i + n] == s[j + n]:
        n += 1
    return n


def _common_left(q: str, s: str, i: int, j: int) -> int:
    n = 0
    while i - n > 0 and j - n > 0 and q[i - n - 1] == s[j - n - 1]:
        n += 1
    return n


MAX_EDIT_GAP = 10


def _join_edits(chosen: list[dict], index, sources: dict) -> list[dict]:
    """Join verbatim runs from one source separated by a short edit (a changed name or figure)."""
    chosen = sorted(chosen, key=lambda c: (c["qa"], c["qb"]))
    out: list[dict] = []
    for c in chosen:
        prev = out[-1] if out else None
        if (prev is not None and c["kind"] == "verbatim" and prev["kind"] in ("verbatim", "edited")
                and prev["sources"][0][0] == c["sources"][0][0]):
            qgap = c["qa"] - prev["qb"]
            sgap = c["sources"][0][1] - prev["sources"][0][2]
            if 0 <= qgap <= MAX_EDIT_GAP and 0 <= sgap <= MAX_EDIT_GAP:
                d, s0, _, coords = prev["sources"][0]
                prev["sources"] = [(d, s0, c["sources"][0][2], coords)]
                prev["same"] = prev.get("same", prev["qb"] - prev["qa"]) + (c["qb"] - c["qa"])
                prev["edits"] = prev.get("edits", 0) + 1
                prev["qb"] = c["qb"]
                prev["kind"] = "edited"
                prev["sim"] = prev["same"] / (prev["qb"] - prev["qa"])
                continue
        out.append(c)
    return out


_COMMON: frozenset | None = None


def common_phrase_hashes() -> frozenset:
    """K-gram hashes of phrases common across government documents (shipped ``boilerplate.npz``).

    Built by ``tools/build_boilerplate.py`` from the project's shared corpus of government
    documents; hashes only. Loaded once, when a corpus check first needs it.
    """
    global _COMMON
    if _COMMON is None:
        import numpy as np
        path = Path(__file__).with_name("boilerplate.npz")
        try:
            with np.load(path) as data:
                if int(data["k"]) != T.K or int(data["normaliser"]) != T.NORMALISER:
                    _COMMON = frozenset()
                else:
                    _COMMON = frozenset(data["hashes"].tolist())
        except (OSError, KeyError, ValueError):
            _COMMON = frozenset()
    return _COMMON


NEAR_CANDIDATES = 10     # × boilerplate_docs: candidate documents read for one paragraph


def _verify_near(index, sh, cands, threshold: float, limit: int) -> list:
    """The candidates (doc, start, end, bands in common) whose paragraph is alike (Jaccard ≥
    threshold) → [(jaccard, doc, start, end, path)]; [] when ``limit`` documents or more
    are alike (a template paragraph). Documents are loaded ``limit`` at a time and the check
    stops at the ``limit``-th alike one. A paragraph sharing LSH bands with more than
    ``NEAR_CANDIDATES × limit`` documents (thousands in a province corpus, nearly all of
    them below the threshold) is checked against that many, those sharing the most bands
    first: a copy shares most of its 14 bands, a loosely similar paragraph one or two."""
    by_doc: dict = {}
    hits: dict = {}
    for d, s0, s1, n in cands:
        by_doc.setdefault(d, []).append((s0, s1))
        hits[d] = max(hits.get(d, 0), n)
    ids = sorted(by_doc, key=str)
    if len(ids) > NEAR_CANDIDATES * limit:
        ids = sorted(sorted(ids, key=lambda d: -hits[d])[:NEAR_CANDIDATES * limit], key=str)
    verified, alike = [], set()
    for i in range(0, len(ids), limit):
        part = ids[i:i + limit]
        docs = index.docs(part)
        for d in part:
            src = docs.get(d)
            if src is None:
                continue
            for s0, s1 in by_doc[d]:
                j = T.jaccard(sh, T.shingles(src.norm_slice(s0, s1)))
                if j >= threshold:
                    verified.append((j, d, s0, s1, src.path))
                    alike.add(d)
            if len(alike) >= limit:
                return []
    return verified


def query(index, doc, opts: Options) -> Report:
    qn = T.normalise(doc.text)
    q = qn.text
    total = len(q)
    if total == 0:
        return Report([], 0.0, [], 0)
    min_run = max(1, opts.min_run)
    positions, hashes = T.winnow(q)
    positions, hashes = positions.tolist(), hashes.tolist()
    try:
        me = str(Path(doc.path).resolve())
    except (OSError, ValueError):
        me = doc.path
    self_ids = index.ids_for(me, T.text_hash(doc.text))

    # ----- document frequencies (minus the checked document's own entry) -----------------
    uniq = sorted(set(hashes))
    df = index.df(uniq)
    if self_ids:
        for sd in index.docs(self_ids).values():
            for h in set(T.winnow(sd.norm.text)[1].tolist()):
                if h in df:
                    df[h] -= 1
    limit = max(1, opts.boilerplate_docs)
    common = common_phrase_hashes() if opts.common_phrases else frozenset()
    # template text: shared by many corpus documents, or common across government documents
    high = {h for h in uniq if df.get(h, 0) >= limit or h in common}
    rare = [h for h in uniq if 0 < df.get(h, 0) < limit and h not in common]

    # ----- boilerplate mask ----------------------------------------------------------------
    mask: list[tuple[int, int]] = []
    seg = None
    for p, h in zip(positions, hashes):
        if h in high:
            seg = [p, p + T.K] if seg is None or p > seg[1] + T.W else [seg[0], p + T.K]
        else:
            if seg is not None and seg[1] - seg[0] >= min_run:
                mask.append(tuple(seg))
            seg = None
    if seg is not None and seg[1] - seg[0] >= min_run:
        mask.append(tuple(seg))
    for b in opts.boilerplate:
        nb = T.normalise(b).text
        if len(nb) < 2:
            continue
        i = q.find(nb)
        while i >= 0:
            mask.append((i, i + len(nb)))
            i = q.find(nb, i + 1)
    # standard headings and the title are never counted as copied text
    for para in doc.paragraphs:
        if para.is_title:
            mask.append(qn.original_to_norm(para.start, para.end))
        elif para.heading is not None:
            mask.append(qn.original_to_norm(para.start, para.heading.title_end))
    mask = _merge(mask)

    # ----- verbatim runs ---------------------------------------------------------------------
    post = index.postings(rare) if rare else {}
    seeds: dict = {}
    for p, h in zip(positions, hashes):
        for d, sp in post.get(h, ()):
            if d in self_ids:
                continue
            seeds.setdefault(d, []).append((p, sp))
    sources = index.docs(list(seeds))
    pieces: list[_Piece] = []
    fp_at = dict(zip(positions, hashes))
    for d, lst in seeds.items():
        src = sources.get(d)
        if src is None:
            continue
        s = src.norm.text
        runs: dict[int, list[tuple[int, int]]] = {}
        for qp, sp in sorted(lst):
            diag = sp - qp
            if any(a <= qp < b for a, b in runs.get(diag, ())):
                continue
            if q[qp:qp + T.K] != s[sp:sp + T.K]:
                continue       # hash collision
            left = _common_left(q, s, qp, sp)
            right = _common_right(q, s, qp, sp)
            qa, qb = qp - left, qp + right
            runs.setdefault(diag, []).append((qa, qb))
            if qb - qa < min_run:
                continue
            inner = [fp_at[x] for x in range(qa, qb - T.K + 1) if x in fp_at]
            if inner and sum(1 for h in inner if h in high) >= 0.8 * len(inner):
                continue       # a template passage shared by many reports
            for a, b in _subtract(qa, qb, mask):
                if b - a >= min_run:
                    pieces.append(_Piece(a, b, d, sp + (a - qp), src.path))

    # ----- near-duplicate paragraphs -------------------------------------------------------------
    near: list[tuple[int, int, list]] = []     # (qa, qb, [(jaccard, doc, start, end)])
    min_para = max(opts.min_paragraph, T.MIN_PARAGRAPH)
    todo = []
    for para in doc.paragraphs:
        if para.heading is not None and not para.heading.has_inline_body:
            continue
        a, b = qn.original_to_norm(para.start, para.end)
        if b - a < min_para:
            continue
        if _covered([(max(x, a), min(y, b)) for x, y in mask if x < b and y > a]) >= 0.5 * (b - a):
            continue
        sh = T.shingles(q[a:b])
        todo.append((a, b, sh, T.minhash(sh)))
    many = getattr(index, "lsh_candidates_many", None)    # one request for all paragraphs
    found = many([t[3] for t in todo]) if many and todo else [index.lsh_candidates(t[3]) for t in todo]
    for (a, b, sh, _), cands in zip(todo, found):
        cands = [c for c in cands if c[0] not in self_ids]
        if not cands:
            continue
        verified = _verify_near(index, sh, cands, opts.near_threshold, limit)
        if not verified:
            continue           # no candidate alike, or a template paragraph
        verified.sort(key=lambda v: (-v[0], v[4], v[2]))
        near.append((a, b, verified))

    # ----- resolve overlaps ---------------------------------------------------------------------
    per_source: dict[str, list[tuple[int, int]]] = {}
    for pc in pieces:
        per_source.setdefault(pc.path, []).append((pc.qa, pc.qb))
    chosen: list[dict] = []
    near_spans = []
    for a, b, verified in near:
        cov = _covered([(max(pc.qa, a), min(pc.qb, b)) for pc in pieces if pc.qa < b and pc.qb > a])
        if cov >= 0.8 * (b - a):
            continue
        near_spans.append((a, b))
        best = verified[0][0]
        srcs, seen = [], set()
        for j, d, s0, s1, path in verified:
            if path in seen:
                continue
            seen.add(path)
            srcs.append((d, s0, s1, None))
            per_source.setdefault(path, []).append((a, b))
        chosen.append({"qa": a, "qb": b, "kind": "near", "sim": best, "sources": srcs[:1 + opts.max_related]})
    pieces = [pc for pc in pieces if not any(a <= pc.qa and pc.qb <= b for a, b in near_spans)]
    pieces.sort(key=lambda pc: (-pc.length, pc.path, pc.qa))
    for pc in pieces:
        overlaps = [(min(c["qb"], pc.qb) - max(c["qa"], pc.qa), i) for i, c in enumerate(chosen)
                    if c["qa"] < pc.qb and pc.qa < c["qb"]]
        total_overlap = sum(o for o, _ in overlaps)
        if overlaps and total_overlap >= 0.5 * pc.length:
            c = chosen[max(overlaps)[1]]
            if c["kind"] == "verbatim" and len(c["sources"]) < 1 + opts.max_related and \
                    all(sources[x[0]].path != pc.path for x in c["sources"] if x[0] in sources):
                off = max(c["qa"], pc.qa) - pc.qa
                span = min(c["qb"], pc.qb) - max(c["qa"], pc.qa)
                c["sources"].append((pc.doc, pc.sa + off, pc.sa + off + span, "norm"))
            continue
        for a, b in _subtract(pc.qa, pc.qb, _merge((c["qa"], c["qb"]) for c in chosen)):
            if b - a >= min_run:
                sa = pc.sa + (a - pc.qa)
                chosen.append({"qa": a, "qb": b, "kind": "verbatim", "sim": 1.0,
                               "sources": [(pc.doc, sa, sa + (b - a), "norm")]})

    chosen = _join_edits(chosen, index, sources)

    # ----- build the report -----------------------------------------------------------------------
    alldocs = dict(sources)
    alldocs.update(index.docs({x[0] for c in chosen for x in c["sources"] if x[0] not in alldocs}))
    matches = []
    for c in sorted(chosen, key=lambda c: (c["qa"], c["qb"])):
        start, end = qn.span_to_original(c["qa"], c["qb"])
        spans = []
        for d, s0, s1, coords in c["sources"]:
            src = alldocs[d]
            if coords == "norm":
                s0, s1 = src.norm.span_to_original(s0, s1)
            ex = src.text[s0:s1]
            if len(ex) > 200:
                ex = ex[:200] + "…"
            spans.append(SourceSpan(src.path, src.title, s0, s1, src.position(s0, s1), ex))
        matches.append(Match(start, end, c["kind"], c["qb"] - c["qa"], round(c["sim"], 4), spans,
                             c.get("edits", 0)))
    covered = _covered((c["qa"], c["qb"]) for c in chosen)
    ranked = sorted(((path, _covered(iv)) for path, iv in per_source.items()), key=lambda x: (-x[1], x[0]))
    top = [{"path": p, "ratio": round(n / total, 4), "chars": n} for p, n in ranked[:opts.max_sources] if n]
    return Report(matches, round(covered / total, 4), top, total)
