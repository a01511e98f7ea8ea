"""DUP003's common-wording table: shipped compact, with its provenance, and rebuildable."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "govlint" / "data"


def _hashes(path: Path) -> tuple[int, ...]:
    raw = path.read_bytes()
    return struct.unpack(f"<{len(raw) // 4}I", raw)


def test_table_is_small_sorted_and_matches_its_provenance():
    table = DATA / "dup003_ngrams.bin"
    meta = tomllib.loads((DATA / "dup003_ngrams.toml").read_text(encoding="utf-8"))["meta"]
    hashes = _hashes(table)
    assert table.stat().st_size < 2 * 1024 * 1024, "the issue allows the table under 2 MB"
    assert len(hashes) == meta["hashes"] > 1000
    assert list(hashes) == sorted(set(hashes)), "hashes must be sorted and distinct (searched by bisection)"
    assert "shared/corpus" in meta["source"] and meta["n"] == 4


def test_common_share_tells_generic_wording_from_project_facts():
    from govlint.rules.boilerplate import common_share
    generic, _ = common_share("坚持以人民为中心的发展思想，深入贯彻落实党中央、国务院决策部署，切实加强组织领导，"
                              "强化责任落实，确保各项工作任务落到实处。")
    facts, _ = common_share("县乡道养护队伍按路段包干，雨季前集中清理边沟和涵洞，桥梁伸缩缝更换后通车。")
    assert generic >= 0.4 > 0.15 >= facts


def test_table_rebuilds_identically_from_the_shared_corpus(shared_dir, tmp_path):
    corpus = shared_dir / "corpus"
    meta = tomllib.loads((DATA / "dup003_ngrams.toml").read_text(encoding="utf-8"))["meta"]
    subprocess.run([sys.executable, str(ROOT / "bench" / "build_dup003_table.py"), "--corpus", str(corpus),
                    "--n", str(meta["n"]), "--min-share", str(meta["min_share"]),
                    "--min-docs", str(meta["min_docs"]), "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=600)
    assert (tmp_path / "dup003_ngrams.bin").read_bytes() == (DATA / "dup003_ngrams.bin").read_bytes()
