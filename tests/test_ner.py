"""The spaCy path of the NLP layer: with a Chinese pipeline that labels entities, DUP001
masks organisation and place names, so a paragraph copied with the names changed is caught.

zh_core_web_sm cannot be downloaded here, so the pipeline is built in the test: a blank
Chinese pipeline with an entity ruler standing in for the statistical NER.
"""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from govlint import ner  # noqa: E402
from govlint.config import Config  # noqa: E402
from govlint.document import Document  # noqa: E402
from govlint.engine import lint  # noqa: E402

TEXT = """2023年度乡村道路硬化项目绩效自评报告
一、项目概况
本项目由青石镇人民政府组织实施。
二、项目组织实施情况
（一）项目管理情况
青石镇人民政府会同县住房和城乡建设局，对施工队伍实行周调度、月通报，由青石镇建设办公室负责现场质量巡查，并邀请县住房和城乡建设局质监站参与隐蔽工程验收。
三、项目绩效指标完成情况
（一）效益指标完成情况
红旗乡人民政府会同县交通运输局，对施工队伍实行周调度、月通报，由红旗乡农业综合服务中心负责现场质量巡查，并邀请县交通运输局公路管理所参与隐蔽工程验收。
"""
ORGS = ["青石镇人民政府", "县住房和城乡建设局", "青石镇建设办公室", "县住房和城乡建设局质监站",
        "红旗乡人民政府", "县交通运输局", "红旗乡农业综合服务中心", "县交通运输局公路管理所"]


@pytest.fixture
def chinese_pipeline():
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": p} for p in ORGS])
    ner.set_pipeline(nlp)
    yield nlp
    ner.set_pipeline(None)


def _dup_lines():
    doc = Document.from_text(TEXT)
    return [doc.line_col(f.start)[0] for f in lint(doc, Config(), codes={"DUP001"})]


def test_entities_from_the_pipeline(chinese_pipeline):
    ents = ner.entities(TEXT)
    assert ("ORG", "县住房和城乡建设局质监站") in {(label, TEXT[a:b]) for a, b, label in ents}


def test_copy_with_changed_names_needs_entities(chinese_pipeline):
    assert _dup_lines() == [9]


def test_without_a_pipeline_names_count_as_text(monkeypatch):
    monkeypatch.setattr(ner, "_pipeline", False)
    assert ner.entities(TEXT) == []
    assert _dup_lines() == []
