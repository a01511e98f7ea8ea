"""Budget classification of a report: the project's functional class, and the economic class of
each use of its money (FUND001, ``govlint explain FUND001 --on REPORT``).

Three lexicons hold the data: ``func_class`` (支出功能分类 类/款/项 with the words that name
typical projects, and the nature of the money: construction, transfers to households, support
to enterprises …), ``econ_class`` (支出经济分类 类/款 with the words that name typical items,
and the recipient words that decide ambiguous ones: 补贴 to an enterprise is 对企业补助, to a
household 对个人和家庭的补助, to the unit's staff 津贴补贴) and ``fund_rules`` (which pairs the
fund-management rules forbid, one source per row). ``purpose`` says how a use is stated.

A use statement (资金主要用于…, 主要是…, 拨付给…, 发放…, 购置…, a table's 用途 column) is
segmented with jieba; the clause is split into items at list separators (、 和 及 以及 …), and
in each item the lexicon words are looked up only where they start and end on token boundaries
(办公 in 办公室 is not 办公费), the recipient is found (给/向/对/拨付给 + 企业, 农户, 职工 …),
and the item is classified. Recipients matter: 拨付给某公司 with nothing bought is a transfer
to an enterprise whatever it is called (reported as info: a platform company may be the
project's owner).
"""

from govlint.rules.budget.compat import explain_text, forbidding_rule  # noqa: F401
from govlint.rules.budget.project import (  # noqa: F401
    OVERVIEW_TITLE, ProjectClass, fallback_class, project_classes, purpose_scope)
from govlint.rules.budget.statements import Statement, use_statements  # noqa: F401
from govlint.rules.budget.uses import BY_RECIPIENT, Use, classify_statement, uses  # noqa: F401
