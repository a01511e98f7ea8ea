"""Unit tests for govlint.quantities."""

import pytest

from govlint.quantities import (decimals, find_areas, find_counts, find_money, find_quantities,
                                find_rates, fmt, parse_number)


@pytest.mark.parametrize("s,want", [("1,250.5", 1250.5), ("712.42", 712.42), ("３００", 300),
                                    ("三百", 300), ("一千二百五十点五", 1250.5), ("十七", 17),
                                    ("abc", None), ("", None)])
def test_parse_number(s, want):
    assert parse_number(s) == want


def test_money_units_and_spans():
    text = "项目总投资1,250.5万元，其中中央补助三百万元、地方配套0.5亿元，另有自筹8000元。"
    qs = find_money(text)
    assert [q.text for q in qs] == ["1,250.5万元", "三百万元", "0.5亿元", "8000元"]
    assert [round(q.to("万元"), 4) for q in qs] == [1250.5, 300, 5000, 0.8]
    assert all(text[q.start:q.end] == q.text for q in qs)
    assert qs[1].chinese and not qs[0].chinese
    assert decimals(qs[0]) == 1


def test_money_not_words():
    assert find_money("推进城乡一元化发展，打破二元结构，单位：万元") == []


def test_rates_and_points():
    qs = find_quantities("执行率98.5%，满意度达百分之九十，较上年提高3.2个百分点，差错率5‰。")
    assert [(q.kind, q.value) for q in qs] == [("rate", 98.5), ("rate", 90), ("points", 3.2), ("rate", 0.5)]


def test_counts_with_units():
    qs = find_counts("共17栋，可安置拆迁人口448人，培训1.2万人次，其中1#、18#栋已封顶。")
    assert [(q.unit, q.value) for q in qs] == [("栋", 17), ("人", 448), ("万人次", 12000)]
    assert [q.value for q in find_counts("新建十七栋安置房、一个社区", unit="栋")] == [17]
    assert find_counts("建设一个社区", arabic_only=True) == []


def test_areas_convert():
    a, b = find_areas("共占地47000平方米（70.5亩），绿化3.2公顷")[:2]
    assert a.value == 47000 and round(b.value) == 47000
    assert round(a.to("亩"), 1) == 70.5
    assert find_areas("绿化3.2公顷")[0].value == 32000


def test_area_not_length_and_identifiers_skipped():
    qs = find_quantities("新建道路12.5公里，门面4*12米，G4高速，2021年，第3#楼")
    assert [(q.kind, q.text) for q in qs] == [("length", "12.5公里"), ("length", "12米")]
    assert [q.kind for q in find_quantities("建筑面积72932平方米")] == ["area"]


def test_full_width_digits_keep_offsets():
    text = "资金１２３万元"
    q = find_money(text)[0]
    assert q.value == 1230000 and text[q.start:q.end] == "１２３万元"


def test_fmt():
    assert fmt(1.5500) == "1.55" and fmt(70.0) == "70" and fmt(712.42) == "712.42"
    assert find_rates("无比例") == []


def test_number_after_full_width_comma():
    # a full-width comma is a clause break, not a thousands separator, unless three digits follow
    qs = find_counts("截至2022年12月底，14栋住宅楼中已有9栋封顶，10栋已开工")
    assert [q.text for q in qs] == ["14栋", "9栋", "10栋"]
    assert find_money("共１，２５０万元")[0].value == 12_500_000
    assert parse_number("1，250") == 1250


def test_user_unit_extensions_count(tmp_path):
    """A user lexicon extending ``units`` adds count units; the engine activates it for a document."""
    from govlint import quantities
    from govlint.config import Config
    from govlint.document import Document
    from govlint.engine import lint
    ext = tmp_path / "units_extra.toml"
    ext.write_text('count = ["尾"]\n\n[meta]\nextends = "units"\nsource = "test"\n', encoding="utf-8")
    assert not find_counts("放流鱼苗3000尾")
    try:
        lint(Document.from_text("放流鱼苗3000尾。"), Config(lexicons=(str(ext),), select=("STYLE001",)))
        assert [q.unit for q in find_counts("放流鱼苗3000尾")] == ["尾"]
    finally:
        quantities.use_lexicons(())
    assert not find_counts("放流鱼苗3000尾")
