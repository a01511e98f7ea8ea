"""Regression snapshot: per-rule hit counts over the shared corpus of real prose.

The shared corpus (../shared/corpus/**/*.txt) holds government reports, notices and
regulations that are not self-evaluation reports; most hits there are false positives, so
a count that jumps is a precision regression to look at (bench/corpus_hits.py prints the
hits). After a deliberate change, refresh the snapshot:

    GOVLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_shared_corpus.py
"""

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "shared_corpus_counts.json"


def corpus_counts(corpus: Path) -> dict:
    from govlint import registry, runner
    codes = set(registry.all_rules())
    files = sorted(str(p) for p in corpus.rglob("*.txt"))
    results = runner.check_files(files, jobs=max(1, os.cpu_count() or 1), codes=codes)
    hits = {c: 0 for c in sorted(codes)}
    hit_files = {c: set() for c in sorted(codes)}
    errors = []
    for r in results:
        if r.error:
            errors.append(os.path.relpath(r.path, corpus))
            continue
        for f in r.findings:
            hits[f.code] = hits.get(f.code, 0) + 1
            hit_files.setdefault(f.code, set()).add(r.path)
    return {"files": len(files), "unreadable": sorted(errors),
            "rules": {c: {"hits": hits[c], "files": len(hit_files.get(c, ()))} for c in sorted(hits)}}


def test_shared_corpus_counts_match_snapshot(shared_dir):
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        import pytest
        pytest.skip("../shared/corpus is not present")
    got = corpus_counts(corpus)
    if os.environ.get("GOVLINT_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                            encoding="utf-8")
        if not os.environ.get("GOVLINT_UPDATE_SNAPSHOTS"):
            import pytest
            pytest.fail(f"snapshot {SNAPSHOT.name} did not exist; written now, check it in")
        return
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    diffs = []
    if got["files"] != want.get("files"):
        diffs.append(f"files: {want.get('files')} -> {got['files']}")
    if got["unreadable"] != want.get("unreadable", []):
        diffs.append(f"unreadable: {want.get('unreadable')} -> {got['unreadable']}")
    for code in sorted(set(got["rules"]) | set(want.get("rules", {}))):
        a = want.get("rules", {}).get(code)
        b = got["rules"].get(code)
        if a != b:
            diffs.append(f"{code}: {a} -> {b}")
    assert not diffs, ("per-rule counts over the shared corpus changed (read the hits with "
                       "`python bench/corpus_hits.py --rule CODE`; refresh with "
                       "GOVLINT_UPDATE_SNAPSHOTS=1):\n  " + "\n  ".join(diffs))
