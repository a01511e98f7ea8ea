"""Every rule has a Chinese title and documentation (src/govlint/rule_docs_zh.toml), and what a
user reads about rules — rules, explain, SARIF descriptors, review lists — is that Chinese text."""

from __future__ import annotations

import json
import re

from govlint import registry

CJK = re.compile(r"[\u4e00-\u9fff]")


def _entries() -> dict:
    return registry.zh_docs()


def test_every_registered_rule_has_a_chinese_entry():
    entries = _entries()
    missing = [code for code in registry.all_rules() if code not in entries]
    assert not missing, f"rules without an entry in rule_docs_zh.toml: {missing}"
    for code in registry.all_rules():
        e = entries[code]
        for key in ("title", "doc", "why"):
            assert isinstance(e.get(key), str) and CJK.search(e[key]), f"{code}.{key} missing or not Chinese"
        assert len(e["title"]) <= 16 and "\n" not in e["title"], f"{code}: the title is a short name"
        # the first line says what the rule detects: a Chinese sentence of its own
        first = e["doc"].strip().splitlines()[0]
        assert CJK.search(first) and first.endswith("。"), f"{code}: doc's first line is one sentence"


def test_entries_are_keyed_by_rule_codes_only():
    # entries for rules still on other branches are allowed; a misspelt key is not
    for code, e in _entries().items():
        assert registry.CODE_RE.match(code), f"rule_docs_zh.toml: {code!r} is not a rule code"
        assert set(e) <= {"title", "doc", "why", "options"}, f"{code}: unknown keys {set(e) - {'title', 'doc', 'why', 'options'}}"


def test_option_entries_are_chinese():
    # option names are not checked against the registry: options of other branches are allowed
    for code, e in _entries().items():
        for name, text in e.get("options", {}).items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), f"{code}.options: {name!r} is not an option name"
            assert isinstance(text, str) and CJK.search(text), f"{code}.options.{name} is not Chinese"


def test_every_option_help_a_user_reads_is_chinese():
    for spec in registry.all_rules().values():
        for name in spec.options:
            text = spec.option_help(name)
            assert CJK.search(text) and not re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", text), \
                f"{spec.code}.{name}: add its Chinese help to rule_docs_zh.toml ({text})"


def test_spec_exposes_chinese_and_keeps_english():
    spec = registry.get("STRUCT001")
    assert spec.title_zh == "标题序号错误" and spec.name == "heading-numbering"
    assert CJK.search(spec.summary) and spec.summary_en.startswith("A heading's number")
    assert CJK.search(spec.doc_zh) and CJK.search(spec.why_zh)
    assert "Why:" in spec.doc and spec.why.startswith("reviewers cite")   # the docstring stays developer docs


def test_sarif_descriptors_are_chinese():
    from govlint.output.sarif import render
    run = json.loads(render([]))["runs"][0]
    for d in run["tool"]["driver"]["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert CJK.search(d[key]["text"]), f"{d['id']}.{key} is not Chinese"
        assert not re.search(r"\bWhy:|\bthe\b", d["help"]["text"] + d["fullDescription"]["text"]), d["id"]
        assert registry.get(d["id"]).title_zh in d["help"]["markdown"]
        assert "helpUri" not in d       # no stable public URL; help carries the text


def test_rules_markdown_is_chinese():
    from govlint.docs import rule_markdown
    for spec in registry.all_rules().values():
        md = rule_markdown(spec)
        assert md.startswith(f"## {spec.code} {spec.title_zh}")
        assert "Why:" not in md and "### Options" not in md and spec.summary_en not in md


def test_review_lists_show_the_chinese_title():
    from govlint import runner
    from govlint.config import Config
    from govlint.document import Document
    from govlint.output import review_model as rm
    from govlint.output.review_md import render as render_md
    doc = Document.from_text("一、项目概况\n（一）基本情况\n（3）项目预算\n本项目资金100万元。\n", "r.txt")
    results = [runner.lint_document_result(doc, Config(), {"STRUCT001"})]
    review = rm.build(results)
    comments = [c for d in review.documents for c in d.comments]
    assert comments and all(c.code == "STRUCT001" and c.rule_name == "标题序号错误" for c in comments)
    md = render_md(results)
    assert "标题序号错误" in md and "heading-numbering" not in md


CHECK_PROBE = """
import json, sys
sys.argv = ["govlint", *json.loads(sys.argv[1])]
try:
    from govlint.entry import main
    main()
except SystemExit:
    pass
from govlint import registry
sys.stderr.write("\\nZH_LOADED=" + str(registry._ZH_DOCS is not None) + "\\n")
"""


def _zh_loaded(args, cwd) -> bool:
    import subprocess
    import sys
    p = subprocess.run([sys.executable, "-c", CHECK_PROBE, json.dumps(args)], capture_output=True, text=True,
                       encoding="utf-8", cwd=str(cwd), timeout=120)
    line = [x for x in p.stderr.splitlines() if x.startswith("ZH_LOADED=")]
    assert line, p.stderr[-2000:]
    return line[-1] == "ZH_LOADED=True"


def test_the_check_path_never_loads_the_chinese_docs(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("一、项目概况\n（一）基本情况\n（3）项目预算\n项目资金100万元,已全部到位。\n", encoding="utf-8")
    for fmt in ("text", "json"):
        assert not _zh_loaded(["check", "--no-progress", "-f", fmt, str(report)], tmp_path), fmt
    # the probe can see a load: explain shows the docs
    assert _zh_loaded(["explain", "STYLE001"], tmp_path)
