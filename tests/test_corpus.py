"""The reference corpus index (SQLite and Redis backends), DUP002 and ``govlint corpus``."""

from __future__ import annotations

import os
from pathlib import Path
import sqlite3
import uuid

import pytest
from typer.testing import CliRunner

from govlint import corpus as corpus_pkg
from govlint.config import Config
from govlint.corpus import CorpusError, open_index
from govlint.engine import lint
from govlint.readers import read_path

from helpers import unavailable

REDIS_URL = os.environ.setdefault("GOVLINT_TEST_REDIS", "redis://127.0.0.1:6390/0")

TEMPLATE = "本报告依据《项目支出绩效评价管理办法》有关规定，按照客观公正、实事求是的原则编制。"

# Four past reports written for these tests; TEMPLATE is in all of them (learned boilerplate).
PAST = {
    "2021_shiqiao_training.txt": f"""石桥镇2021年度农业技术培训项目绩效自评报告

一、项目基本情况
{TEMPLATE}
全年共组织农业技术培训36期，培训农民2150人次，发放技术资料5800份，示范推广水稻新品种4个、绿色防控技术3项，带动项目区农户亩均增收260元。

二、项目实施情况
培训采取集中授课与田间指导相结合的方式，聘请县农技推广中心高级农艺师担任主讲，围绕育秧、测土配方施肥和病虫害统防统治开展现场教学，参训农民满意度达到百分之九十六。
""",
    "2022_hekou_roads.txt": f"""河口镇2022年度农村公路养护项目绩效自评报告

一、项目基本情况
{TEMPLATE}
项目对全镇四十三公里通村公路实施日常养护，修补坑槽一千二百平方米，清理边沟二十六公里，更换破损波形护栏八百米。

二、项目实施情况
镇政府与养护公司签订年度养护合同，实行按月巡查、按季考核、年终结算，考核结果与养护经费拨付直接挂钩，全年未发生因路况原因导致的交通事故。
""",
    "2022_dongping_clinic.txt": f"""东坪乡2022年度村卫生室标准化建设项目绩效自评报告

一、项目基本情况
{TEMPLATE}
项目为全乡九个村卫生室配备心电图机、血糖仪和健康一体机，改造诊疗用房六百平方米，培训乡村医生二十一人次。

二、项目实施情况
乡卫生院安排专人驻村指导设备使用，建立设备台账和维护记录，村卫生室常见病诊疗量较上年增长百分之十八。
""",
    "2023_xishan_forest.txt": f"""西山林场2023年度森林防火项目绩效自评报告

一、项目基本情况
{TEMPLATE}
项目新建林区防火通道十五公里、瞭望塔两座，购置风力灭火机三十台，组建半专业扑火队一支共二十五人。

二、项目实施情况
林场在防火紧要期实行二十四小时值班和领导带班制度，护林员每日巡山不少于两次，全年林区未发生森林火灾。
""",
}

COPIED_SENTENCE = "培训采取集中授课与田间指导相结合的方式，聘请县农技推广中心高级农艺师担任主讲"

REPORT = f"""平安县2023年度农业技术培训项目绩效自评报告

一、项目基本情况
{TEMPLATE}
全年共组织农业技术培训42期，培训农民2630人次，发放技术资料6100份，示范推广玉米新品种5个、绿色防控技术4项，带动项目区农户亩均增收310元。

二、项目实施情况
{COPIED_SENTENCE}，重点讲解玉米密植高产和秸秆还田技术。
项目由县财政局会同农业农村局按季度开展资金使用检查，未发现挤占挪用问题。
"""

OPTS = (("DUP002", (("boilerplate_docs", 3),)),)


def _redis_or_fail():
    import redis
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:   # noqa: BLE001
        unavailable(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    corpus_pkg.clear_cache()
    yield
    corpus_pkg.clear_cache()


@pytest.fixture
def past(tmp_path):
    d = tmp_path / "past"
    d.mkdir()
    for name, text in PAST.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def report(tmp_path):
    p = tmp_path / "report.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def _sqlite_spec(tmp_path):
    return str(tmp_path / "index" / "corpus.sqlite")


@pytest.fixture
def redis_spec():
    _redis_or_fail()
    spec = f"{REDIS_URL}#govlint-test-{uuid.uuid4().hex[:8]}"
    yield spec
    import redis
    r = redis.Redis.from_url(REDIS_URL)
    name = spec.split("#", 1)[1]
    keys = [k for pattern in (name + ":*", "{" + name + ":*") for k in r.scan_iter(match=pattern, count=10_000)]
    if keys:
        r.delete(*keys)
    r.close()


@pytest.fixture(params=["sqlite", "redis"])
def spec(request, tmp_path):
    if request.param == "sqlite":
        return _sqlite_spec(tmp_path)
    return request.getfixturevalue("redis_spec")


def _check(path, spec, boilerplate=(), options=OPTS):
    corpus_pkg.clear_cache()
    doc = read_path(path)
    extra: dict = {}
    try:
        found = lint(doc, Config(corpus=spec, boilerplate=tuple(boilerplate), options=options), codes={"DUP002"},
                     extra=extra)
    except CorpusError as exc:   # a corpus problem stops lint() (the command exits 2 with it)
        found, extra = [], {"_corpus_error": str(exc)}
    return doc, found, extra


def _build(spec, past):
    ix = open_index(spec, create=True)
    counts = ix.add_paths([past])
    assert counts["added"] == len(PAST)
    return ix


# ----- detection ------------------------------------------------------------------------------

def test_verbatim_copy_has_source_and_position(spec, past, report):
    _build(spec, past)
    doc, found, extra = _check(report, spec)
    start = REPORT.index(COPIED_SENTENCE)
    verbatim = [f for f in found if f.data["kind"] == "verbatim"]
    assert len(verbatim) == 1
    f = verbatim[0]
    assert (f.start, f.end) == (start, start + len(COPIED_SENTENCE) + 1)   # the run includes "，"
    assert "逐字相同" in f.message
    rel = f.related[0]
    src_path = past / "2021_shiqiao_training.txt"
    assert rel.path == str(src_path.resolve())
    src_text = PAST["2021_shiqiao_training.txt"]
    assert src_text[rel.start:rel.end] == COPIED_SENTENCE + "，"
    line = src_text[:rel.start].count("\n") + 1
    assert (rel.position.line, rel.position.column) == (line, 1)
    assert rel.excerpt == COPIED_SENTENCE + "，"
    assert extra["copy_ratio"] > 0
    assert extra["copy_sources"][0]["path"] == str(src_path.resolve())


def test_near_duplicate_with_changed_names_and_figures(spec, past, report):
    _build(spec, past)
    _, found, _ = _check(report, spec)
    para = REPORT.splitlines()[4]
    start = REPORT.index(para)
    near = [f for f in found if f.data["kind"] == "near"]
    assert len(near) == 1
    assert (near[0].start, near[0].end) == (start, start + len(para))
    assert near[0].data["similarity"] >= 0.6
    src_text = PAST["2021_shiqiao_training.txt"]
    rel = near[0].related[0]
    assert src_text[rel.start:rel.end].startswith("全年共组织农业技术培训36期")


def test_learned_boilerplate_is_not_copying(spec, past, report):
    _build(spec, past)
    _, found, _ = _check(report, spec)
    a = REPORT.index(TEMPLATE)
    assert not [f for f in found if f.start < a + len(TEMPLATE) and f.end > a]
    # with a threshold above the corpus size the template sentence counts as copied
    _, found, _ = _check(report, spec, options=(("DUP002", (("boilerplate_docs", 50),)),))
    assert [f for f in found if f.start <= a and f.end >= a + len(TEMPLATE) - 1]


def test_user_boilerplate_list(spec, past, report):
    _build(spec, past)
    _, found, _ = _check(report, spec, boilerplate=[COPIED_SENTENCE])
    assert not [f for f in found if f.data["kind"] == "verbatim"]


def test_headings_and_title_never_count(spec, past, tmp_path):
    _build(spec, past)
    p = tmp_path / "headings.txt"
    p.write_text("某县2023年度农业技术培训项目绩效自评报告\n\n一、项目基本情况\n（略）\n\n二、项目实施情况\n（略）\n",
                 encoding="utf-8")
    _, found, _ = _check(p, spec)
    assert found == []


def test_self_match_excluded(spec, past, tmp_path):
    _build(spec, past)
    own = past / "2022_hekou_roads.txt"
    _, found, extra = _check(own, spec)
    assert found == [] and extra["copy_ratio"] == 0
    # the same text submitted under another name is a copy, the plainest one of all
    twin = tmp_path / "twin.txt"
    twin.write_text(own.read_text(encoding="utf-8"), encoding="utf-8")
    _, found, extra = _check(twin, spec)
    assert found and extra["copy_ratio"] > 0.5   # headings and shared template text never count
    assert {Path(r.path).name for f in found for r in f.related} == {own.name}


def test_directory_corpus_on_the_fly(past, report):
    _, found, extra = _check(report, str(past))
    assert {f.data["kind"] for f in found} == {"verbatim", "near"}
    assert 0 < extra["copy_ratio"] < 1


def test_no_corpus_no_findings(report):
    doc = read_path(report)
    assert lint(doc, Config(), codes={"DUP002"}) == []


def test_backends_agree(tmp_path, redis_spec, past, report):
    results = []
    for spec in (_sqlite_spec(tmp_path), redis_spec):
        _build(spec, past)
        _, found, extra = _check(report, spec)
        results.append(([(f.start, f.end, f.message, tuple((r.path, r.start, r.end, r.position) for r in f.related))
                         for f in found], extra["copy_ratio"], extra["copy_sources"]))
    assert results[0] == results[1]
    assert results[0][0]


# ----- index maintenance -------------------------------------------------------------------------

def test_add_is_idempotent_and_replaces_changed_files(spec, past, report):
    ix = _build(spec, past)
    again = ix.add_paths([past])
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, len(PAST))
    src = past / "2021_shiqiao_training.txt"
    src.write_text(PAST["2021_shiqiao_training.txt"].replace(COPIED_SENTENCE, "培训内容由镇农业服务中心统一安排"),
                   encoding="utf-8")
    again = ix.add_paths([src])
    assert again["updated"] == 1
    assert ix.n_docs() == len(PAST)
    _, found, _ = _check(report, spec)
    assert not [f for f in found if f.data["kind"] == "verbatim"]
    assert [f for f in found if f.data["kind"] == "near"]     # the rest of the file is still there


def test_remove_and_stats(spec, past, report):
    ix = _build(spec, past)
    st = ix.stats()
    assert st["documents"] == len(PAST)
    assert st["characters"] == sum(len(t) for t in PAST.values())
    removed, missing = ix.remove_paths([past / "2021_shiqiao_training.txt", past / "nope.txt"])
    assert (removed, missing) == (1, [str(past / "nope.txt")])
    assert ix.stats()["documents"] == len(PAST) - 1
    _, found, extra = _check(report, spec)
    assert found == [] and extra["copy_ratio"] == 0


def test_crash_mid_add_keeps_previous_index(spec, past, report, monkeypatch):
    ix = _build(spec, past)
    _, before, _ = _check(report, spec)
    new = past / "2024_new.txt"
    new.write_text(REPORT.replace("平安县", "长乐县"), encoding="utf-8")
    from govlint.corpus.redis_ import RedisIndex
    from govlint.corpus.sqlite import SqliteIndex

    def boom(*a, **kw):
        raise RuntimeError("simulated crash")
    write = RedisIndex._write_family

    def bands_boom(self, s, family, keys, blobs):
        if family == "b":
            raise RuntimeError("simulated crash")
        return write(self, s, family, keys, blobs)
    monkeypatch.setattr(SqliteIndex, "_insert_sorted", boom)      # after the document row was written
    monkeypatch.setattr(RedisIndex, "_write_family", bands_boom)  # after Redis postings were written
    with pytest.raises(RuntimeError):
        ix.add_paths([new])
    monkeypatch.undo()
    ix2 = open_index(spec)
    assert ix2.n_docs() == len(PAST)
    _, after, _ = _check(report, spec)
    assert [(f.start, f.end, f.message) for f in after] == [(f.start, f.end, f.message) for f in before]
    assert ix2.add_paths([new])["added"] == 1     # and the add can simply be repeated


# ----- errors ------------------------------------------------------------------------------------

def test_corrupt_index(tmp_path, report):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CorpusError, match="损坏"):
        open_index(str(bad))
    _, found, extra = _check(report, str(bad))
    assert found == [] and "损坏" in extra["_corpus_error"]


def test_wrong_version_index(tmp_path, past):
    spec = _sqlite_spec(tmp_path)
    _build(spec, past).close()
    db = sqlite3.connect(spec)
    db.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(CorpusError, match="格式版本为 999"):
        open_index(spec)


def test_wrong_version_redis(redis_spec):
    ix = open_index(redis_spec, create=True)
    ix.r.hset(ix.k("meta"), "schema_version", "999")
    with pytest.raises(CorpusError, match="格式版本为 999"):
        open_index(redis_spec)


def test_unreachable_redis(report):
    with pytest.raises(CorpusError, match="无法连接 Redis"):
        open_index("redis://127.0.0.1:1/0")
    _, found, extra = _check(report, "redis://127.0.0.1:1/0")
    assert found == [] and "无法连接 Redis" in extra["_corpus_error"]


def test_empty_corpus(tmp_path, report):
    spec = _sqlite_spec(tmp_path)
    open_index(spec, create=True).close()
    _, found, extra = _check(report, spec)
    assert "对照语料为空" in extra["_corpus_error"]
    empty = tmp_path / "emptydir"
    empty.mkdir()
    _, found, extra = _check(report, str(empty))
    assert "对照语料为空" in extra["_corpus_error"]


# ----- command line ------------------------------------------------------------------------------

def test_cli_add_stats_remove_and_check(tmp_path, past, report, monkeypatch):
    from govlint.cli import app
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["corpus", "add", str(past)])
    assert r.exit_code == 0, r.output
    assert f"新增 {len(PAST)} 篇" in r.output
    assert (tmp_path / ".govlint" / "corpus.sqlite").is_file()
    r = runner.invoke(app, ["corpus", "add", str(past)])
    assert f"未变 {len(PAST)} 篇" in r.output
    r = runner.invoke(app, ["corpus", "stats", "--json"])
    assert r.exit_code == 0 and f'"documents": {len(PAST)}' in r.output
    r = runner.invoke(app, ["check", str(report), "--corpus", ".govlint/corpus.sqlite", "--select", "DUP002",
                            "--no-progress", "-j", "1", "-f", "json"])
    assert r.exit_code == 1, r.output
    assert "DUP002" in r.output and "copy_ratio" in r.output
    r = runner.invoke(app, ["corpus", "remove", str(past)])
    assert r.exit_code == 0 and f"移除 {len(PAST)} 篇" in r.output


@pytest.mark.parametrize("corpus_arg", ["redis://127.0.0.1:1/0", "bad.sqlite", "emptydir", "missing.sqlite"])
def test_cli_check_bad_corpus_exits_2(tmp_path, report, monkeypatch, corpus_arg):
    from govlint.cli import app
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.sqlite").write_bytes(b"garbage" * 50)
    (tmp_path / "emptydir").mkdir()
    r = CliRunner().invoke(app, ["check", str(report), "--corpus", corpus_arg, "--no-progress", "-j", "1"])
    assert r.exit_code == 2, r.output


def test_cli_corpus_errors_exit_2(tmp_path):
    from govlint.cli import app
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 50)
    runner = CliRunner()
    for args in (["corpus", "stats", "--index", str(bad)], ["corpus", "stats", "--index", "redis://127.0.0.1:1/0"],
                 ["corpus", "remove", "x.txt", "--index", str(tmp_path / "none.sqlite")]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2, (args, r.output)


# ----- schema 2: an index of the previous layout is refused with a rebuild hint -----------------

def test_schema_1_sqlite_index_asks_for_a_rebuild(tmp_path, report):
    spec = tmp_path / "old.sqlite"
    db = sqlite3.connect(spec)
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE docs (id INTEGER PRIMARY KEY, path TEXT);
        CREATE TABLE postings (hash INTEGER, doc INTEGER, pos INTEGER);
        CREATE TABLE df (hash INTEGER PRIMARY KEY, n INTEGER);
        CREATE TABLE paras (id INTEGER PRIMARY KEY, sig BLOB);
        CREATE TABLE bands (band INTEGER, key INTEGER, para INTEGER);
        INSERT INTO meta VALUES ('schema_version', '1');""")
    db.close()
    with pytest.raises(CorpusError, match="格式版本为 1.*需要 2.*重建"):
        open_index(str(spec))
    _, found, extra = _check(report, str(spec))
    assert found == [] and "重建" in extra["_corpus_error"]


def test_schema_1_redis_index_asks_for_a_rebuild(redis_spec):
    import redis
    url, prefix = redis_spec.split("#", 1)
    r = redis.Redis.from_url(url)
    r.hset(f"{prefix}:meta", mapping={"schema_version": "1", "k": "8"})   # as schema 1 wrote it
    r.append(f"{prefix}:fp:123", b"\x01\x00\x00\x00\x05\x00\x00\x00")
    with pytest.raises(CorpusError, match="格式版本为 1.*需要 2.*重建"):
        open_index(redis_spec)
    r.close()


def test_redis_buckets_stay_compact(redis_spec, past):
    """Postings, frequencies and bands live in bucketed hashes small enough for listpacks."""
    from govlint.corpus import redis_layout as L
    from govlint.corpus import text as T
    from govlint.corpus.base import make_record
    ix = _build(redis_spec, past)
    encodings = {}
    for f in sorted(past.iterdir()):
        rec = make_record(str(f.resolve()), "x", read_path(f))
        s = L.shard_of(rec.path, ix.shards)
        bands = [k for pf in rec.paras for k in pf.bands]
        for fam, keys in (("f", rec.distinct), ("d", rec.distinct), ("b", bands)):
            for bucket in set(L.addresses(keys, ix.bits)[0]):
                encodings.setdefault(fam, set()).add(ix.r.object("encoding", ix.sk(s, fam, bucket)))
    assert set(encodings) == {"f", "d", "b"}
    assert all(enc == {b"listpack"} for enc in encodings.values()), encodings
    assert not ix.r.exists(f"{redis_spec.split('#', 1)[1]}:df")     # no schema-1 keys


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6390/0?shards=3#x", "redis+cluster://127.0.0.1:7100/2#x",
                                 "redis://127.0.0.1:6390/0?buckets=1000#x", "redis://127.0.0.1:6390/0?shards=4&buckets=32#x",
                                 "redis://127.0.0.1:6390/0#a{b}"])
def test_bad_redis_corpus_urls(url):
    with pytest.raises(CorpusError, match="Redis 地址无效"):
        open_index(url)


def test_document_frequencies_stay_exact_through_updates(spec, past, report):
    """Compact frequencies (SQLite keeps rows only from two documents up; Redis per shard)
    equal the number of committed documents holding each fingerprint after adds, a
    replacement and a removal."""
    from govlint.corpus import text as T

    def truth(ix):
        counts = {}
        for path in ix.all_paths():
            for h in set(T.winnow(T.normalise(Path(path).read_text(encoding="utf-8")).text)[1].tolist()):
                counts[h] = counts.get(h, 0) + 1
        return counts
    ix = _build(spec, past)
    extra = past / "2024_copy.txt"
    extra.write_text(PAST["2022_hekou_roads.txt"].replace("河口镇", "沙洲镇"), encoding="utf-8")
    ix.add_paths([extra])
    probe = sorted(set(truth(ix)) | {12345})
    assert ix.df(probe) == truth(ix)
    extra.write_text(PAST["2022_dongping_clinic.txt"], encoding="utf-8")     # now a copy of another one
    assert ix.add_paths([extra])["updated"] == 1
    assert ix.df(probe) == truth(ix)
    ix.remove_paths([past / "2022_dongping_clinic.txt"])
    assert ix.df(probe) == truth(ix)


def test_redis_creation_parameters_are_kept(redis_spec, past, report, tmp_path):
    url, prefix = redis_spec.split("#", 1)
    created = f"{url}?shards=4&buckets=1024#{prefix}"
    ix = _build(created, past)
    assert (ix.shards, ix.buckets, ix.bits) == (4, 1024, 8)
    again = open_index(redis_spec)          # later opens need no parameters (they are in meta)
    assert (again.shards, again.buckets) == (4, 1024)
    _build(_sqlite_spec(tmp_path), past)
    _, found, extra = _check(report, redis_spec)
    _, found_sqlite, extra_sqlite = _check(report, _sqlite_spec(tmp_path))
    assert [(f.start, f.end, f.message) for f in found] == [(f.start, f.end, f.message) for f in found_sqlite]
    assert found and extra["copy_ratio"] == extra_sqlite["copy_ratio"]


# ----- buffered bulk adds (SQLite: one write transaction per buffer) ----------------------------

def _dump(spec):
    db = sqlite3.connect(spec)
    try:
        return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("postings", "df", "bands")} | {
            "docs": db.execute("SELECT id, path, file_hash, text_hash, title, chars, text, spans FROM docs "
                               "ORDER BY id").fetchall()}
    finally:
        db.close()


def test_buffered_add_writes_the_same_index_as_one_document_at_a_time(tmp_path, past, report, monkeypatch):
    """A bulk add stores its documents in buffers (here of 3): the index is row for row the one
    written a document at a time, its frequencies included, and DUP002 finds the same."""
    from govlint.corpus.sqlite import SqliteIndex
    extra = past / "2024_copy.txt"            # a fifth document sharing most of its text
    extra.write_text(PAST["2022_hekou_roads.txt"].replace("河口镇", "沙洲镇"), encoding="utf-8")
    one = str(tmp_path / "one" / "corpus.sqlite")
    ix = open_index(one, create=True)
    for f in sorted(past.iterdir()):
        assert ix.add_file(f) == "added"
    ix.close()
    monkeypatch.setattr(SqliteIndex, "store_batch_docs", 3)
    calls = []
    store = SqliteIndex._store_many

    def counting(self, recs):
        calls.append(len(recs))
        return store(self, recs)
    monkeypatch.setattr(SqliteIndex, "_store_many", counting)
    bulk = str(tmp_path / "bulk" / "corpus.sqlite")
    counts = open_index(bulk, create=True).add_paths([past])
    assert (counts["added"], calls) == (5, [3, 2])
    assert _dump(bulk) == _dump(one)
    from govlint.corpus import text as T
    truth: dict = {}
    for f in past.iterdir():
        for h in set(T.winnow(T.normalise(f.read_text(encoding="utf-8")).text)[1].tolist()):
            truth[h] = truth.get(h, 0) + 1
    assert open_index(bulk).df(sorted(truth)) == truth
    assert max(truth.values()) >= 5          # the template sentence: counted across buffers
    assert _check(report, bulk)[1] and [f.message for f in _check(report, bulk)[1]] == \
        [f.message for f in _check(report, one)[1]]


def test_failed_buffer_is_rolled_back_whole_and_the_add_can_be_repeated(tmp_path, past, monkeypatch):
    from govlint.corpus.sqlite import SqliteIndex
    monkeypatch.setattr(SqliteIndex, "store_batch_docs", 2)
    spec = _sqlite_spec(tmp_path)
    rows = SqliteIndex._insert_doc
    seen = []

    def fail_third(self, rec):
        seen.append(rec.path)
        if len(seen) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return rows(self, rec)
    monkeypatch.setattr(SqliteIndex, "_insert_doc", fail_third)
    ix = open_index(spec, create=True)
    with pytest.raises(CorpusError, match="写入语料索引失败"):
        ix.add_paths([past])
    monkeypatch.setattr(SqliteIndex, "_insert_doc", rows)
    assert ix.n_docs() == 2                     # the first buffer committed, the second not at all
    assert sorted(ix.all_paths()) == sorted(seen[:2])
    counts = ix.add_paths([past])
    assert (counts["added"], counts["unchanged"]) == (len(PAST) - 2, 2)


def test_one_path_twice_in_a_buffer_keeps_the_later_text(tmp_path, past):
    from govlint.corpus.base import make_record
    from govlint.corpus import text as T
    f = past / "2021_shiqiao_training.txt"
    first = make_record(str(f), "a", read_path(f))
    other = past / "2022_hekou_roads.txt"
    second = make_record(str(f), "b", read_path(other))     # the file replaced by another text
    ix = open_index(_sqlite_spec(tmp_path), create=True)
    assert ix.store_records([first, second]) == {"added": 1, "updated": 1, "unchanged": 0}
    assert ix.n_docs() == 1
    want = {h: 1 for h in T.winnow(T.normalise(other.read_text(encoding="utf-8")).text)[1].tolist()}
    assert ix.df(sorted(want)) == want
    gone = set(T.winnow(T.normalise(f.read_text(encoding="utf-8")).text)[1].tolist()) - set(want)
    assert gone and ix.df(sorted(gone)) == {}


def test_template_paragraph_check_stops_at_the_limit():
    """A paragraph alike in ``limit`` documents is template text: the check reads documents
    ``limit`` at a time and stops there instead of reading every candidate (hundreds in a
    province corpus); below the limit every alike candidate is returned."""
    from govlint.corpus import text as T
    from govlint.corpus.base import SourceDoc
    from govlint.corpus.match import _verify_near
    para = "项目资金严格按照专项资金管理办法的规定使用，实行专账核算、专款专用，未发现挤占挪用情况。"

    class Fake:
        def __init__(self, n_alike, n_other):
            texts = [para] * n_alike + ["本年度共完成培训三十六期，参训人员满意度较高，达到预期目标。" * 2] * n_other
            self.texts = dict(enumerate(texts))
            self.loaded = []

        def docs(self, ids):
            self.loaded += list(ids)
            return {i: SourceDoc(i, f"/p/{i}.txt", "", self.texts[i], T.normalise(self.texts[i])) for i in ids}
    sh = T.shingles(T.normalise(para).text)
    many = Fake(300, 0)
    assert _verify_near(many, sh, [(i, 0, len(para), 3) for i in range(300)], 0.6, 10) == []
    assert len(many.loaded) == 10
    few = Fake(9, 50)
    cands = [(i, 0, len(few.texts[i]), 2) for i in range(59)]
    got = _verify_near(few, sh, cands, 0.6, 10)
    assert sorted(v[1] for v in got) == list(range(9)) and len(few.loaded) == 59


def test_clear_removes_every_key_of_the_index_and_no_other(redis_spec, past):
    """``clear()`` (tests, benchmarks) deletes the shards' ``{name:i}:…`` keys as well as
    ``name:meta``, and leaves an index whose name extends this one's alone."""
    import redis
    r = redis.Redis.from_url(REDIS_URL)
    name = redis_spec.split("#", 1)[1]
    other = open_index(f"{redis_spec}:b", create=True)      # name "…:b": its tags start "{name:b:"
    other.add_paths([past])
    mine = open_index(redis_spec, create=True)
    mine.add_paths([past])

    def keys(n):
        return {k for pattern in (n + ":*", "{" + n + ":*") for k in r.scan_iter(match=pattern, count=10_000)
                if k.startswith(("{" + n + ":").encode()) and not k.startswith(("{" + n + ":b").encode())
                or k.startswith((n + ":").encode()) and not k.startswith((n + ":b").encode())}
    before_other = {k for k in r.scan_iter(match="*" + name + ":b*", count=10_000)}
    assert len(keys(name)) > 10 and before_other
    mine.clear()
    assert keys(name) == set()
    assert {k for k in r.scan_iter(match="*" + name + ":b*", count=10_000)} == before_other
    assert open_index(f"{redis_spec}:b").n_docs() == len(PAST)
    other.clear()
    r.close()


def test_a_paragraph_normalised_alone_is_the_slice_of_the_whole():
    """The near-duplicate check normalises only candidate paragraphs; normalisation is per
    character, so that equals the slice of the whole document's normalised text."""
    from govlint.corpus.base import SourceDoc
    text = "一、项目概况\n  本项目（ＡＢＣ）总投资１２０万元，建成面积３５０㎡。\n\tTwo Words　全角空格\ufeff结束。"
    whole = SourceDoc(1, "/p.txt", "", text)
    assert whole._norm is None and whole.norm.text      # normalised on first use
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            alone = SourceDoc(1, "/p.txt", "", text)
            na, nb = whole.norm.original_to_norm(a, b)
            assert alone.norm_slice(a, b) == whole.norm.text[na:nb] == whole.norm_slice(a, b)
            assert alone._norm is None


def test_fast_normalisation_equals_the_character_by_character_definition():
    """``normalise`` maps with numpy code-point tables and offsets; it must give exactly
    what mapping each character on its own gives (text and offsets), whitespace of every
    kind, full-width forms, compatibility characters (㎡ → m2), BOM and lone surrogates."""
    import random
    from govlint.corpus import text as T
    pool = [chr(c) for c in [*range(0, 0x250), *range(0x2000, 0x2070), *range(0x3000, 0x3100), *range(0xFF00, 0xFFF0),
                             0x4E00, 0x9FA5, 0x3400, 0x1F600, 0xD800, 0xFEFF, 0x2028, 0x85, 0x2160, 0x33A1, 0xFB01, 0xFDFA]]
    rnd = random.Random(7)
    texts = ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 40))) for _ in range(3000)]
    texts += [REPORT, *PAST.values(), "面积３５０㎡，ＡＢＣ\u3000（一）\r\n\tx"]

    def one_by_one(text):            # the definition: each character mapped on its own
        forms = [T._mapped(ord(ch)) for ch in text]
        return T.Normalised("".join(forms), [i for i, f in enumerate(forms) for _ in f])
    for t in texts:
        fast, slow = T.normalise(t), one_by_one(t)
        assert (fast.text, fast.origin.tolist()) == (slow.text, slow.origin), repr(t)
    assert T.normalise("３５０㎡ Ａ").text == "350m2a"


def test_a_paragraph_with_thousands_of_candidates_reads_those_sharing_most_bands():
    """Past NEAR_CANDIDATES × boilerplate_docs candidate documents, the ones sharing the
    most LSH bands are read: the copies (many bands) among 2,000 loosely similar paragraphs
    (one band each) are found after reading 100 documents, not 2,000."""
    from govlint.corpus import text as T
    from govlint.corpus.base import SourceDoc
    from govlint.corpus.match import NEAR_CANDIDATES, _verify_near
    para = "项目资金严格按照专项资金管理办法的规定使用，实行专账核算、专款专用，未发现挤占挪用情况。"
    other = "本年度共完成培训三十六期，参训人员满意度较高，达到预期目标，群众反映良好。"
    copies = {1500, 1700, 1999}

    class Fake:
        loaded: list = []

        def docs(self, ids):
            self.loaded += list(ids)
            return {i: SourceDoc(i, f"/p/{i}.txt", "", para if i in copies else other) for i in ids}
    ix = Fake()
    cands = [(i, 0, len(para) if i in copies else len(other), 12 if i in copies else 1) for i in range(2000)]
    got = _verify_near(ix, T.shingles(T.normalise(para).text), cands, 0.6, 10)
    assert sorted(v[1] for v in got) == sorted(copies)
    assert len(ix.loaded) == NEAR_CANDIDATES * 10


def _wide(redis_spec: str) -> str:
    """The same index name with 2^20 buckets per shard (past the 16 bits of the low key bytes)."""
    url, _, name = redis_spec.partition("#")
    return f"{url}?buckets=2097152&shards=2#{name}"


def test_wide_buckets_agree_with_sqlite_and_stay_where_python_puts_them(tmp_path, redis_spec, past, report):
    """More than 65,536 buckets in a shard (a province on one server, without 16 shards to fan
    out to): the scripts and ``addresses`` put every key in the same bucket (the document's
    postings, frequencies and bands are found where Python computes them), and DUP002
    answers as on SQLite."""
    from govlint.corpus import redis_layout as L
    from govlint.corpus import text as T
    from govlint.corpus.base import make_record
    spec = _wide(redis_spec)
    ix = _build(spec, past)
    assert (ix.shards, ix.bits) == (2, 20)
    for f in sorted(past.iterdir()):
        rec = make_record(str(f.resolve()), "x", read_path(f))
        s = L.shard_of(rec.path, ix.shards)
        buckets, fields, _ = L.addresses(rec.distinct, ix.bits)
        assert max(int(b) for b in buckets) >= 2 ** 16          # the wide part is used
        for b, fld in zip(buckets, fields):
            assert ix.r.hexists(ix.sk(s, "d", b), fld) or ix.r.hexists(ix.sk(s, "f", b), fld)
    results = []
    for sp in (_sqlite_spec(tmp_path), spec):
        if sp != spec:
            _build(sp, past)
        _, found, extra = _check(report, sp)
        results.append(([(f.start, f.end, f.message) for f in found], extra["copy_ratio"], extra["copy_sources"]))
    assert results[0] == results[1] and results[0][0]
    probe = sorted({h for f in past.iterdir() for h in T.winnow(T.normalise(f.read_text(encoding="utf-8")).text)[1].tolist()})
    assert ix.df(probe) == open_index(_sqlite_spec(tmp_path)).df(probe)
