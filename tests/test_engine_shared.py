"""``ctx.shared``: the typed record the rules of one document share (engine.Shared)."""

from __future__ import annotations

from govlint import registry
from govlint.config import Config
from govlint.document import Document
from govlint.engine import Context, Shared, lint


def test_named_slots_memo_and_the_old_keys():
    extra: dict = {}
    s = Shared(extra)
    assert s.extra is extra and s.figures is None and s.section_kinds is None
    assert "ind.kinds" not in s and s.get("_figures") is None
    s.section_kinds = {1: "indicator"}
    assert s["ind.kinds"] == {1: "indicator"} and "ind.kinds" in s
    s["_figures"] = "model"                  # the old key fills the named slot
    assert s.figures == "model"
    made = []
    assert s.memo("rule.key", lambda: made.append(1) or 42) == 42
    assert s.memo("rule.key", lambda: made.append(1) or 43) == 42 and made == [1]
    assert s["rule.key"] == 42 and s.setdefault("other", []) == [] and "other" in s
    assert s.memo(("rule.none", True), lambda: None) is None and ("rule.none", True) in s


def test_every_rule_of_a_document_sees_the_same_shared_record():
    registry.all_rules()
    seen = []
    spec = registry.get("STYLE001")
    func = spec.func
    try:
        spec.func = lambda doc, ctx: seen.append(ctx.shared) or func(doc, ctx)
        extra: dict = {}
        lint(Document.from_text("一、项目概况\n本项目完成道路硬化3公里。\n"), Config(select=("STYLE001",)), extra=extra)
    finally:
        spec.func = func
    assert len(seen) == 1 and isinstance(seen[0], Shared) and seen[0].extra is extra


def test_a_dict_passed_by_older_callers_becomes_a_shared_record():
    registry.all_rules()
    extra = {"x": 1}
    ctx = Context(Document.from_text("正文。"), registry.get("STYLE001"), Config(), "generic", {"extra": extra})
    assert isinstance(ctx.shared, Shared) and ctx.shared.extra is extra
