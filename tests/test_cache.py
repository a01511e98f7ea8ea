"""The command line's cache (govlint.cache): same behaviour as ``re``, robust to bad files."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
import uuid

import pytest

from govlint import cache as gcache
from helpers import REPORT, run_cli

pytestmark = pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's re only")

# the kinds of pattern govlint's rules use, each with text it should and should not match
PATTERNS = [
    (r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])([,;:?!])(?=[ ]?[\u4e00-\u9fff“‘《（])", 0,
     "项目已完成,资金已拨付;群众满意. ok, fine"),
    (r"(?P<key>[\u4e00-\u9fff]{2})(?:率|比例|满意度)(?:为|达到)?\s*(?P<val>\d+(?:\.\d+)?)%", 0,
     "预算执行率为98.5%，群众满意度达到95%，合格率 100%"),
    (r"^（[一二三四五六七八九十]+）|^\([0-9]+\)", re.MULTILINE,
     "（一）项目概况\n（2）资金情况\n(3) 其他"),
    (r"保障性住房|安置房|棚户区改造|安置", 0, "安置房建设与棚户区改造、安置补助"),
    (r"fund(?:s|ing)?", re.IGNORECASE, "FUNDS and Funding, fund"),
    (r"""(?x) (?P<num> \d{1,3} (?:,\d{3})+ | \d+ ) \s* 万元  # amounts""", 0,
     "年初预算1,860万元，实际支出1860 万元"),
]


def _unique(pattern: str) -> str:
    """The same pattern with a comment that keeps it out of ``re``'s in-process cache."""
    return f"{pattern}(?#{uuid.uuid4().hex})"


def _behaviour(rx: re.Pattern, text: str):
    return (rx.groups, dict(rx.groupindex), rx.flags,
            [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)],
            rx.sub("□", text), rx.split(text))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("GOVLINT_NO_CACHE", raising=False)
    gcache.uninstall()
    yield tmp_path
    gcache.uninstall()


def _cache_file(d):
    files = [p for p in d.iterdir() if p.name.startswith("re-") and p.suffix == ".marshal"]
    assert len(files) == 1, list(d.iterdir())
    return files[0]


# patterns compiled from a module named govlint.* are cached; others (libraries) are not
_AS_GOVLINT = {"__name__": "govlint._test_probe", "re": re}
exec("def compile_(pattern, flags=0):\n    return re.compile(pattern, flags)\n", _AS_GOVLINT)
gov_compile = _AS_GOVLINT["compile_"]
_AS_LIBRARY = {"__name__": "somelibrary.patterns", "re": re}
exec("def compile_(pattern, flags=0):\n    return re.compile(pattern, flags)\n", _AS_LIBRARY)
library_compile = _AS_LIBRARY["compile_"]


def _stamp(path):
    """Changes whenever the file is written (a rewrite replaces it: new inode, new mtime)."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, path.read_bytes()


def test_cached_patterns_behave_exactly_like_re(cache_dir):
    tagged = [(_unique(p), f, text) for p, f, text in PATTERNS]
    expected = [_behaviour(re.compile(p, f), text) for p, f, text in tagged]
    re.purge()

    first = gcache.install()
    assert first is not None
    got = [_behaviour(gov_compile(p, f), text) for p, f, text in tagged]
    assert got == expected
    assert first.misses >= len(tagged) and first.hits == 0
    gcache.uninstall()                       # writes the file
    re.purge()

    second = gcache.install()
    got = [_behaviour(gov_compile(p, f), text) for p, f, text in tagged]
    assert got == expected
    assert second.hits == len(tagged) and second.misses == 0


def test_a_corrupt_cache_file_is_ignored_and_rewritten(cache_dir):
    pattern = _unique(r"[\u4e00-\u9fff]+")
    cache = gcache.install()
    gov_compile(pattern)
    gcache.uninstall()
    path = _cache_file(cache_dir)
    path.write_bytes(b"\x00not marshal data")
    re.purge()

    cache = gcache.install()
    assert gov_compile(pattern).findall("资金ab拨付") == ["资金", "拨付"]
    assert cache.hits == 0 and cache.misses == 1
    gcache.uninstall()
    fmt, generation, table = marshal.loads(path.read_bytes())
    assert fmt == 2 and (pattern, 0) in table


def test_an_entry_sre_rejects_is_dropped_and_compiled_afresh(cache_dir):
    pattern = _unique(r"(?P<amount>\d+)万元")
    gcache.install()
    gov_compile(pattern)
    gcache.uninstall()
    path = _cache_file(cache_dir)
    fmt, generation, table = marshal.loads(path.read_bytes())
    used, (flags, code, groups, gi, ig) = table[(pattern, 0)]
    table[(pattern, 0)] = (used, (flags, b"\xff\xff\xff\x7f" * 3, groups, gi, ig))   # not SRE code
    path.write_bytes(marshal.dumps((fmt, generation, table)))
    re.purge()

    cache = gcache.install()
    m = gov_compile(pattern).search("支出320万元")
    assert m is not None and m.group("amount") == "320"
    assert cache.hits == 0 and cache.misses == 1


@pytest.mark.parametrize("env", [{"GOVLINT_NO_CACHE": "1"}, {"GOVLINT_CACHE_DIR": ""}])
def test_the_cache_can_be_turned_off(cache_dir, monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert gcache.cache_dir() is None
    assert gcache.install() is None
    re.compile(_unique("资金"))
    assert list(cache_dir.iterdir()) == []


def test_an_unwritable_cache_location_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("GOVLINT_CACHE_DIR", str(blocker / "cache"))
    gcache.uninstall()
    try:
        cache = gcache.install()
        assert gov_compile(_unique("执行率")).search("预算执行率") is not None
        assert cache.new
        gcache.save()                         # must not raise
    finally:
        gcache.uninstall()
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_alternations_are_the_same_text_in_every_process():
    code = ("from govlint.patterns import alternation_source as a\n"
            "print(a({'安置', '安置房', '公租房', '廉租房', '棚改', '回迁房', '保障性住房'}))")
    outs = set()
    for seed in ("1", "2", "3", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True).stdout.strip())
    assert len(outs) == 1
    alts = outs.pop().split("|")
    assert alts[0] == "保障性住房" and alts[-1] == "棚改"    # longest first, then by text
    assert alts.index("安置房") < alts.index("安置")


def test_importing_govlint_as_a_library_leaves_re_alone():
    code = ("import re\nfrom re import _compiler as c\nbefore = c.compile\n"
            "from govlint.document import Document\nfrom govlint.engine import lint\n"
            "lint(Document.from_text('一、项目概况\\n资金已拨付。\\n', 'x.txt'))\n"
            "print(c.compile is before)")
    if sys.version_info < (3, 11):
        code = code.replace("from re import _compiler as c", "import sre_compile as c")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_command_line_results_are_the_same_with_a_cold_and_a_warm_cache(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"GOVLINT_CACHE_DIR": str(cache)}
    args = ("check", "--no-progress", "--no-color", "-f", "json", str(report))
    off = run_cli(*args, env={"GOVLINT_NO_CACHE": "1"})
    cold = run_cli(*args, env=env)
    path = _cache_file(cache)
    written = _stamp(path)
    warm = run_cli(*args, env=env)
    assert off.returncode == cold.returncode == warm.returncode == 1
    assert off.stdout_text == cold.stdout_text == warm.stdout_text
    assert '"STRUCT' in warm.stdout_text
    # the warm run found every pattern it needed, so it wrote nothing
    assert _stamp(path) == written


@pytest.mark.skipif(sys.platform == "win32", reason="workers are forked on Linux/macOS only")
def test_parallel_workers_add_what_they_compiled(tmp_path):
    import multiprocessing
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers do not inherit the cache under the spawn start method")
    for i in range(2):
        (tmp_path / f"r{i}.txt").write_text(REPORT, encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"GOVLINT_CACHE_DIR": str(cache)}
    files = [str(tmp_path / "r0.txt"), str(tmp_path / "r1.txt")]
    both = run_cli("check", "--no-progress", "-j", "2", *files, env=env)
    assert both.returncode == 1, both.stderr_text
    path = _cache_file(cache)
    written = _stamp(path)
    # a single-process run of one report needs nothing the parallel run did not store
    one = run_cli("check", "--no-progress", files[0], env=env)
    assert one.returncode == 1, one.stderr_text
    assert _stamp(path) == written


def test_parsed_lexicons_come_from_the_cache_until_a_file_changes(cache_dir, tmp_path, monkeypatch):
    from govlint import lexicon
    shipped = lexicon.lexicon_dir()
    copy = tmp_path / "lexicons"
    copy.mkdir()
    for p in shipped.glob("*.toml"):
        (copy / p.name).write_bytes(p.read_bytes())
    monkeypatch.setattr(lexicon, "lexicon_dir", lambda: copy)
    parsed = []
    real_parse = lexicon._parse
    monkeypatch.setattr(lexicon, "_parse", lambda path, raw: parsed.append(path.name) or real_parse(path, raw))

    gcache.install()
    first = lexicon.Lexicons()
    assert len(parsed) == len(list(copy.glob("*.toml")))
    parsed.clear()
    second = lexicon.Lexicons()
    assert parsed == []                                  # all from the cache
    assert {n: second[n] for n in second.names()} == {n: first[n] for n in first.names()}

    # an edit that keeps the size and the modification time (a wheel stamps every file alike)
    vague = copy / "vague.toml"
    before = vague.stat()
    text = vague.read_text(encoding="utf-8")
    assert "效果较好" in text
    vague.write_text(text.replace("效果较好", "效果尚可", 1), encoding="utf-8")
    os.utime(vague, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert vague.stat().st_size == before.st_size
    third = lexicon.Lexicons()
    assert len(parsed) == len(list(copy.glob("*.toml")))   # a changed file: parsed afresh
    assert "效果尚可" in str(third["vague"]) and "效果较好" in str(first["vague"])


def test_without_the_command_line_cache_lexicons_are_parsed_and_nothing_is_written(cache_dir, monkeypatch):
    from govlint import lexicon
    parsed = []
    real_parse = lexicon._parse
    monkeypatch.setattr(lexicon, "_parse", lambda path, raw: parsed.append(path.name) or real_parse(path, raw))
    lexicon.Lexicons()
    lexicon.Lexicons()
    assert len(parsed) == 2 * len(list(lexicon.lexicon_dir().glob("*.toml")))
    assert list(cache_dir.iterdir()) == []


def test_a_pyproject_of_another_tool_is_not_parsed(tmp_path):
    from govlint import config
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = "unterminated\n',
                                             encoding="utf-8")
    assert config.load_file(tmp_path / "pyproject.toml") is None
    (tmp_path / "pyproject.toml").write_text('[tool.govlint]\nselect = ["STRUCT"\n', encoding="utf-8")
    with pytest.raises(config.ConfigError, match="不是合法的 TOML"):
        config.load_file(tmp_path / "pyproject.toml")


def test_the_collector_is_held_during_start_up_and_released_after_the_first_report(tmp_path):
    import gc
    from govlint.runner import check_files
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    try:
        check_files([str(report)])                    # a library call: the collector is left alone
        assert gc.isenabled() and gc.get_freeze_count() == frozen_before
        gcache.hold_collector()
        assert not gc.isenabled()
        check_files([str(report), str(report)])
        assert gc.isenabled(), "released after the first report"
        assert gc.get_freeze_count() > frozen_before, "start-up objects moved to the permanent generation"
    finally:
        gcache.release_collector()
        gc.enable()
        gc.unfreeze()


@pytest.mark.parametrize("args, enabled", [(["rules"], True), (["check", "--no-progress", "REPORT"], True)])
def test_the_command_line_leaves_the_collector_on_after_start_up(tmp_path, args, enabled):
    """Only `check` holds the collector, and releases it after the first report; a long-running
    command (the language server) never runs with it held."""
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    argv = [str(report) if a == "REPORT" else a for a in args]
    code = ("import gc, sys, io, contextlib\nsys.argv = ['govlint', *sys.argv[1:]]\n"
            "from govlint.entry import main\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()):\n        main()\n"
            "except SystemExit:\n    pass\nprint('ENABLED', gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         encoding="utf-8", cwd=str(tmp_path), timeout=120)
    assert f"ENABLED {enabled}" in out.stdout, out.stdout + out.stderr


def test_two_installations_keep_their_own_parsed_lexicons(cache_dir, tmp_path, monkeypatch):
    """A pre-commit hook's environment and the user's own install share ~/.cache/govlint."""
    from govlint import lexicon
    shipped = lexicon.lexicon_dir()
    copies = []
    for name in ("env-a", "env-b"):
        d = tmp_path / name / "lexicons"
        d.mkdir(parents=True)
        for p in shipped.glob("*.toml"):
            (d / p.name).write_bytes(p.read_bytes())
        copies.append(d)
    parsed = []
    real_parse = lexicon._parse
    monkeypatch.setattr(lexicon, "_parse", lambda path, raw: parsed.append(path) or real_parse(path, raw))
    gcache.install()
    for d in copies:                                   # each parses once ...
        monkeypatch.setattr(lexicon, "lexicon_dir", lambda d=d: d)
        lexicon.Lexicons()
    n = len(parsed)
    assert n == 2 * len(list(shipped.glob("*.toml")))
    for d in copies:                                   # ... and then both come from the cache
        monkeypatch.setattr(lexicon, "lexicon_dir", lambda d=d: d)
        lexicon.Lexicons()
    assert len(parsed) == n


def test_patterns_a_library_compiles_are_not_kept(cache_dir):
    """A library may build a different pattern in every process (cn2an's dependency proces
    does: 108 KB each); keeping those would grow the file on every run."""
    mine, theirs = _unique("预算执行率"), _unique("行政区划")
    cache = gcache.install()
    assert library_compile(theirs).search("行政区划") and gov_compile(mine).search("预算执行率")
    assert (mine, 0) in cache.new and (theirs, 0) not in cache.new


def test_a_pattern_no_run_uses_is_dropped_after_50_saves(cache_dir):
    old, kept = _unique("旧词库"), _unique("新词库")
    gcache.install()
    gov_compile(old)
    gov_compile(kept)
    gcache.uninstall()
    path = _cache_file(cache_dir)
    for i in range(51):                      # later runs that use `kept` and add something new
        re.purge()
        gcache.install()
        gov_compile(kept)
        gov_compile(_unique(f"新增{i}"))
        gcache.uninstall()
    fmt, generation, table = marshal.loads(path.read_bytes())
    assert (kept, 0) in table and (old, 0) not in table
    assert generation >= 52 and len(table) <= 51


def test_past_the_size_cap_only_what_the_run_used_is_kept(cache_dir, monkeypatch):
    first, second = _unique("第一"), _unique("第二")
    gcache.install()
    gov_compile(first)
    gcache.uninstall()
    re.purge()
    monkeypatch.setattr(gcache, "_MAX_BYTES", 10)
    gcache.install()
    gov_compile(second)
    gcache.uninstall()
    fmt, generation, table = marshal.loads(_cache_file(cache_dir).read_bytes())
    assert (second, 0) in table and (first, 0) not in table


def test_a_str_subclass_pattern_is_compiled_but_not_kept(cache_dir):
    class S(str):
        pass
    cache = gcache.install()
    assert gov_compile(S(_unique("ab+c"))).search("abbbc")
    assert not cache.new
    gcache.save()                            # nothing marshal cannot write


def test_without_a_home_directory_there_is_no_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("GOVLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)     # what it returns with no HOME
    monkeypatch.chdir(tmp_path)
    assert gcache.cache_dir() is None
    assert gcache.install() is None
    assert list(tmp_path.iterdir()) == []


def test_indexing_a_corpus_directory_and_reading_stdin_release_the_collector(tmp_path):
    """Long or unbounded work before the first report is done must not run with it held."""
    import gc
    from govlint.corpus import open_for_check
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "past.txt").write_text(REPORT, encoding="utf-8")
    try:
        gcache.hold_collector()
        assert not gc.isenabled()
        open_for_check(str(corpus))
        assert gc.isenabled()
    finally:
        gcache.release_collector()
        gc.enable()
        gc.unfreeze()
    code = ("import gc, sys, io, contextlib\nsys.argv = ['govlint', 'check', '--no-progress', '-']\n"
            "from govlint.entry import main\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()):\n        main()\n"
            "except SystemExit:\n    pass\nprint('ENABLED', gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", code], input=REPORT, capture_output=True, text=True,
                         encoding="utf-8", cwd=str(tmp_path), timeout=120)
    assert "ENABLED True" in out.stdout, out.stdout + out.stderr
