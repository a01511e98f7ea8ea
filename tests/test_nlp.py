"""The segmenter: offsets, the user dictionary, and jieba_fast_dat segmenting like jieba."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from govlint import nlp

TEXT = ("临河县2025年度绩效自评报告显示，项目预算执行率95.2%，结余0.00万元；"
        "合同金额在50万元以上的项目须经批准，机关事业单位职业年金缴费增长6.5%，XX%待填。")

HAS_FAST = importlib.util.find_spec("jieba_fast_dat") is not None


def test_tokens_cover_the_text_with_character_offsets():
    toks = nlp.tokenize(TEXT)
    assert "".join(w for w, _, _ in toks) == TEXT
    pos = 0
    for w, a, b in toks:
        assert a == pos and b == a + len(w) and TEXT[a:b] == w
        pos = b


def test_user_dictionary_terms_are_single_tokens():
    words = [w for w, _, _ in nlp.tokenize(TEXT)]
    assert "绩效自评报告" in words


def test_user_dictionary_comments_are_skipped(tmp_path):
    p = tmp_path / "userdict.txt"
    p.write_text("# a comment line (word freq tag)\n\n绩效自评 2000 n\n预算执行率 10\n乡村振兴\n", encoding="utf-8")
    assert nlp.userdict_entries(p) == [("绩效自评", 2000, "n"), ("预算执行率", 10, None), ("乡村振兴", None, None)]


@pytest.mark.parametrize("pieces, joined", [
    (["12", ".", "5", "%"], ["12.5%"]),
    (["30", "%"], ["30%"]),
    (["0", ".", "00", "万元"], ["0.00", "万元"]),
    (["XX", "%"], ["XX%"]),
    (["1", ".", "2", ".", "3"], ["1.2", ".", "3"]),
    (["。", "%", "."], ["。", "%", "."]),
    (["增长", ".", "5"], ["增长", ".", "5"]),
])
def test_join_numbers_like_jieba(pieces, joined):
    toks, pos = [], 0
    for w in pieces:
        toks.append((w, pos, pos + len(w)))
        pos += len(w)
    out = nlp._join_numbers(toks)
    assert [w for w, _, _ in out] == joined
    assert out[0][1] == 0 and out[-1][2] == pos
    assert all(b == a2 for (_, _, b), (_, a2, _) in zip(out, out[1:]))


@pytest.mark.skipif(not HAS_FAST, reason="jieba_fast_dat (govlint[fast]) not installed")
def test_fast_segmenter_segments_like_jieba():
    fast = nlp.load_segmenter("jieba_fast_dat")
    slow = nlp.load_segmenter("jieba")
    a = nlp.tokens_with(slow, "jieba", TEXT)
    b = nlp.tokens_with(fast, "jieba_fast_dat", TEXT)
    assert [w for w, _, _ in b] == [w for w, _, _ in a]
    words = [w for w, _, _ in b]
    assert "95.2%" in words and "0.00" in words and "6.5%" in words   # not 95 / . / 2 / %
    assert "年金" not in words and "万元以上" not in words              # jieba's dictionary, not the bigger one


def test_segmenter_can_be_forced_to_jieba():
    code = "from govlint import nlp; nlp.tokenize('绩效'); print(nlp.segmenter_name())"
    env = dict(os.environ, GOVLINT_SEGMENTER="jieba")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "jieba", out.stderr
    if HAS_FAST:
        env["GOVLINT_SEGMENTER"] = "auto"
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == "jieba_fast_dat", out.stderr


def test_merged_dictionaries_of_two_environments_do_not_remove_each_other(tmp_path, monkeypatch):
    """A pre-commit hook's venv and the user's own install share the temp dir: each keeps its
    merged dictionary; only the same environment's outdated one (and its compiled cache) goes."""
    import tempfile
    from pathlib import Path
    from govlint import nlp
    CacheManager = pytest.importorskip("jieba_fast_dat.utils").CacheManager
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setattr(CacheManager, "TMP_DIR", Path(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    envs = []
    for name in ("venv-a", "venv-b"):
        d = tmp_path / name
        d.mkdir()
        (d / "dict.txt").write_text("项目 100 n\n资金 100 n\n", encoding="utf-8")
        envs.append(str(d / "dict.txt"))
    words = [("绩效自评", 50, "n")]
    a1 = nlp._merged_dictionary(envs[0], words)
    b1 = nlp._merged_dictionary(envs[1], words)
    assert a1 and b1 and a1 != b1
    assert nlp._merged_dictionary(envs[0], words) == a1          # unchanged contents: same file
    assert os.path.exists(a1) and os.path.exists(b1)
    assert open(a1, encoding="utf-8").read().endswith("绩效自评 50 n\n")

    compiled = CacheManager.get_cache_path(a1, prefix="jieba_fast_dat.u")
    compiled.write_bytes(b"compiled")                              # what jieba_fast_dat would build
    a2 = nlp._merged_dictionary(envs[0], words + [("预算执行率", 50, "n")])
    assert a2 != a1 and os.path.exists(a2)
    assert not os.path.exists(a1) and not compiled.exists()        # A's outdated files are gone
    assert os.path.exists(b1)                                      # B's are not


def test_files_of_the_old_naming_and_old_parts_are_removed(tmp_path, monkeypatch):
    import tempfile
    import time
    from pathlib import Path
    from govlint import nlp
    CacheManager = pytest.importorskip("jieba_fast_dat.utils").CacheManager
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(CacheManager, "TMP_DIR", Path(tmp))
    legacy = tmp / "govlint-dict.0123456789abcdef.txt"
    legacy.write_text("旧 1\n", encoding="utf-8")
    legacy_compiled = CacheManager.get_cache_path(str(legacy), prefix="jieba_fast_dat.u")
    legacy_compiled.write_bytes(b"compiled")
    old_part = tmp / "govlint-dict.0123456789abcdef.txt.4242.part"
    old_part.write_text("半", encoding="utf-8")
    hour_ago = time.time() - 7200
    os.utime(old_part, (hour_ago, hour_ago))
    fresh_part = tmp / "govlint-dict.fedcba9876543210.txt.4343.part"   # maybe being written now
    fresh_part.write_text("半", encoding="utf-8")
    other = tmp / "unrelated.txt"
    other.write_text("x", encoding="utf-8")
    d = tmp_path / "dict.txt"
    d.write_text("项目 100 n\n", encoding="utf-8")
    made = nlp._merged_dictionary(str(d), [("绩效自评", 50, "n")])
    assert made and os.path.exists(made)
    assert not legacy.exists() and not legacy_compiled.exists() and not old_part.exists()
    assert fresh_part.exists() and other.exists()
