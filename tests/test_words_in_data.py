"""Words in data (issue #12): the word patterns of the rule modules are read from lexicons/.

Every ``lex_re(stem, table, key)`` in the package names a lexicon entry that exists and
compiles; the modules whose words were moved compile no pattern with Chinese words of their
own (dates, document numbers and numerals are structure and stay in code); and a moved
pattern really is read from the lexicon: emptying it or extending it in a user lexicon
changes what the rule finds.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from govlint.config import Config
from govlint.document import Document
from govlint.engine import lint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "govlint"

# modules whose word patterns were moved to lexicons (issue #12)
MOVED = ["rules/consistency.py", "rules/indicators.py", "rules/_identity.py", "rules/boilerplate.py",
         "rules/scoring.py", "rules/claims.py", "rules/hygiene.py", "rules/table_links.py",
         "rules/duplication.py", "rules/_shortfall.py", "rules/style.py", "rules/_measure.py",
         "rules/budget/project.py", "rules/budget/uses.py", "rules/structure.py"]
# characters a structural pattern may hold: dates and date ranges (2023年度3月5日, 7至8月), document
# numbers (〔2021〕10号), article numbers and Chinese numerals (百分之九十五点五)
_STRUCTURAL = set("年度月日号至第一二三四五六七八九十百千万亿两零〇○点分之龥")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_RE_FUNCS = {"compile", "search", "finditer", "match", "fullmatch", "findall", "sub", "subn", "split", "lazy_re"}


def _lexicon(stem: str) -> dict:
    return tomllib.loads((ROOT / "lexicons" / f"{stem}.toml").read_text(encoding="utf-8"))


def _lex_re_calls(path: Path):
    """(line, stem, table, key) of each ``lex_re`` call of a module; ``_W`` resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts = {n.targets[0].id: n.value.value for n in tree.body
              if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
              and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lex_re":
            args = [consts[a.id] if isinstance(a, ast.Name) else a.value for a in node.args]
            yield (node.lineno, *args)


def test_every_lex_re_names_a_lexicon_pattern_that_compiles():
    seen = 0
    for path in sorted(SRC.rglob("*.py")):
        for line, stem, table, key in _lex_re_calls(path):
            where = f"{path.relative_to(SRC)}:{line}"
            value = _lexicon(stem).get(table, {}).get(key)
            assert isinstance(value, str) and value, f"{where}: lexicons/{stem}.toml [{table}] {key} missing"
            re.compile(value)
            seen += 1
    assert seen >= 150      # the figure rules' and the moved modules' patterns


@pytest.mark.parametrize("module", MOVED)
def test_moved_module_compiles_no_word_pattern_of_its_own(module):
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        arg = node.args[0]
        if name not in _RE_FUNCS or not isinstance(arg, (ast.Constant, ast.JoinedStr)):
            continue
        text = arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)
        if not isinstance(text, str):
            continue
        words = {ch for ch in _HAN.findall(text)} - _STRUCTURAL
        assert not words, f"{module}:{node.lineno}: pattern with words {sorted(words)}: {text[:60]!r}"


# STRUCT005: "经自查，本项目暂无明显问题" is a 无 by the lexicon's nil_shape pattern alone
# (the sentence is not one of the listed nil answers); "未见异常" is not
_NIL = ("2023年度农村公路养护项目绩效自评报告\n二、资金使用情况\n预算300万元，实际支出276万元，执行率92%。\n"
        "三、存在的问题\n{body}\n")


def _codes(text: str, code: str, ext: Path | None = None) -> list[str]:
    cfg = Config(select=(code,), lexicons=(str(ext),) if ext else ())
    return [f.code for f in lint(Document.from_text(text), cfg)]


def test_struct005_reads_its_nil_shape_from_the_claims_lexicon(tmp_path):
    shipped = _lexicon("claims")["consistency"]["nil_shape"]
    assert re.match(shipped, "经自查本项目暂无明显问题")
    said_nil = _NIL.format(body="经自查，本项目暂无明显问题。")
    other = _NIL.format(body="未见异常。")
    assert _codes(said_nil, "STRUCT005") == ["STRUCT005"]
    assert _codes(other, "STRUCT005") == []
    # emptied (a pattern that matches nothing): the shaped answer is no longer a 无
    empty = tmp_path / "claims_empty.toml"
    empty.write_text('[meta]\nextends = "claims"\nsource = "test"\n\n'
                     "[consistency]\nnil_shape = '(?!)'\n", encoding="utf-8")
    assert _codes(said_nil, "STRUCT005", empty) == []
    # extended by a user: the new answer counts
    ext = tmp_path / "claims_ext.toml"
    ext.write_text('[meta]\nextends = "claims"\nsource = "test"\n\n'
                   "[consistency]\nnil_shape = '" + shipped + "|^未见异常$'\n", encoding="utf-8")
    assert _codes(other, "STRUCT005", ext) == ["STRUCT005"]
    assert _codes(said_nil, "STRUCT005", ext) == ["STRUCT005"]


def test_every_moved_table_is_read_by_code():
    """No orphan entries: each key of the tables the moved modules read is used by a lex_re call."""
    used: dict[tuple[str, str], set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for _, stem, table, key in _lex_re_calls(path):
            used.setdefault((stem, table), set()).add(key)
    tables = [("claims", "consistency"), ("claims", "claims"), ("claims", "identity"), ("vague", "indicators"),
              ("vague", "measure"), ("survey", "indicators"), ("boilerplate", "patterns"),
              ("boilerplate", "duplication"), ("scoring", "score"), ("scoring", "table_links"),
              ("hygiene", "patterns"), ("hygiene", "whitespace"), ("shortfall", "patterns"),
              ("outline", "structure"), ("purpose", "project"), ("econ_class", "uses")]
    read_otherwise = {("claims", "identity"): {"seal", "statement_roles"},   # read through ctx.lex
                      ("vague", "measure"): {"figure_date", "approx"},
                      ("econ_class", "uses"): {"separators", "leading"}}
    for stem, table in tables:
        keys = {k for k, v in _lexicon(stem)[table].items()}
        assert keys, (stem, table)
        assert keys - used.get((stem, table), set()) <= read_otherwise.get((stem, table), set()), (stem, table)


def test_style009_reads_its_unit_forms_from_the_units_lexicon(tmp_path):
    """A table moved out of code (rules/hygiene_marks.py): a user's extension adds a unit's two forms."""
    text = "本项目采购水泥20吨，钢材5t，新建道路1.2公里。\n"
    assert _codes("新建道路1.2公里，改造支线800m，其余路段3km。\n", "STYLE009") == ["STYLE009"]
    assert _codes(text, "STYLE009") == []
    ext = tmp_path / "units_ext.toml"
    ext.write_text('[meta]\nextends = "units"\nsource = "test"\n\n'
                   '[forms."吨"]\nzh = ["吨"]\nsym = ["t"]\n', encoding="utf-8")
    assert _codes(text, "STYLE009", ext) == ["STYLE009"]
