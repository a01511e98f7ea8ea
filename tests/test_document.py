"""The document model on real report layouts."""

from govlint.document import Document, cn_to_int, int_to_cn


def headings(text, kind="txt"):
    d = Document.from_text(text, kind=kind)
    return d, [(h.paragraph.line, h.style.key, h.number, h.level, h.misstyled) for h in d.headings]


def test_chinese_numerals_round_trip():
    for n in (1, 9, 10, 11, 19, 20, 35, 99):
        assert cn_to_int(int_to_cn(n)) == n
    assert cn_to_int("十二") == 12 and cn_to_int("二十") == 20 and cn_to_int("甲") is None


def test_heading_ladder_variants():
    text = ("一、项目概况\n(一)基本情况\n内容。\n（二） 绩效目标。\n1．数量指标\n2、质量指标\n3. 时效指标\n"
            "（1）完成及时率\n①首批\n二．资金情况\n")
    _, hs = headings(text)
    assert [(h[1], h[2], h[3]) for h in hs] == [
        ("cn-dun", 1, 1), ("cn-paren", 1, 2), ("cn-paren", 2, 2), ("ar-fwdot", 1, 3), ("ar-dun", 2, 3),
        ("ar-dot", 3, 3), ("ar-paren", 1, 4), ("circled", 1, 5), ("cn-dot", 2, 1)]


def test_misstyled_headings_keep_their_place():
    text = ("一、项目概况\n（一）单位情况\n内容。\n（2） 预算情况\n内容。\n二、绩效情况\n（一）产出\n内容。\n"
            "3、 原因和改进措施\n内容。\n")
    d, hs = headings(text)
    assert (4, "ar-paren", 2, 2, True) in hs
    assert (9, "ar-dun", 3, 1, True) in hs
    assert [s.title for s in d.root.children] == ["项目概况", "绩效情况", "原因和改进措施"]


def test_sub_list_under_second_level_is_not_misstyled():
    d, hs = headings("一、概况\n（一）单位情况\n（1）人员\n（2）资产\n（二）目标\n")
    assert [(h[1], h[3], h[4]) for h in hs] == [("cn-dun", 1, False), ("cn-paren", 2, False),
                                               ("ar-paren", 4, False), ("ar-paren", 4, False),
                                               ("cn-paren", 2, False)]


def test_inline_heading_body_and_sentences():
    d = Document.from_text("二、实施情况\n1.组织管理。成立了领导小组。每周调度一次！\n")
    h = d.headings[1]
    assert h.title == "组织管理" and h.has_inline_body
    p = h.paragraph
    assert [s.text for s in p.sentences] == ["1.组织管理。", "成立了领导小组。", "每周调度一次！"]
    assert d.text[p.body_start:p.end] == "成立了领导小组。每周调度一次！"


def test_offsets_lines_and_columns_crlf_and_full_width():
    text = "标题报告\r\n一、概况\r\n资金１２万元,已到位。\r\n"
    d = Document.from_text(text)
    i = text.index(",")
    assert d.line_col(i) == (3, 7)
    assert d.paragraphs[2].text == "资金１２万元,已到位。"   # no trailing \r
    assert d.position(i, i + 1).end_column == 8


def test_figures_are_not_headings():
    _, hs = headings("1.5万元已到位。\n2023年完成。\n12%的农户受益。\n")
    assert hs == []


def test_markdown_headings_and_comment_lines():
    d = Document.from_text("# 2023年度项目绩效自评报告\n\n## 一、项目概况\n<!-- govlint: disable=STYLE003 -->\n内容。\n",
                           kind="md")
    assert [h.title for h in d.headings] == ["项目概况"]
    assert d.comment_lines and all("<!--" not in p.text for p in d.paragraphs)


def test_title_and_section_paths():
    d = Document.from_text("附件1：\n2023年度学生资助资金绩效自评报告\n一、项目概况\n（一）基本情况\n资助学生2,450人次。\n")
    assert d.title_text == "2023年度学生资助资金绩效自评报告"
    off = d.text.index("资助学生")
    assert d.section_at(off).path == ["一、项目概况", "（一）基本情况"]


def test_numeral_runs_are_not_headings():
    d = Document.from_text("二、项目实施情况\n一、二级公路养护里程126公里。\n三、资金使用情况\n内容。\n")
    assert [h.number for h in d.headings] == [2, 3]


def test_form_feed_before_a_heading():
    d = Document.from_text("一、概况\n内容。\n\f二、资金情况\n内容。\n")
    assert [h.number for h in d.headings] == [1, 2]


def test_markdown_front_matter_and_code_are_not_report_text():
    d = Document.from_text("---\ntitle: x\nauthor: 张三,李四\n---\n# 2023年度项目绩效自评报告\n\n## 一、项目概况\n"
                           "```\n3. 不是标题\n```\n内容。\n", kind="md")
    assert [p.text for p in d.paragraphs] == ["# 2023年度项目绩效自评报告", "## 一、项目概况", "内容。"]
    assert [h.number for h in d.headings] == [1]
