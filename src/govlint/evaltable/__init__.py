"""The 项目支出绩效自评表 (project expenditure self-evaluation table) as structured records.

``tables(doc, shared)`` finds every self-evaluation table in a Document — Word tables,
Excel sheets or text tables — and returns ``EvalTable`` records (cached in ``shared``,
exported JSON-ready to ``shared["extra"]["tables"]``). The package never opens files: the
readers put everything it needs (blocks, merged cells) into the Document.

- ``grid``: ``Cell`` and ``Grid`` from Word tables, worksheets and text tables;
- ``values``: ``Value`` — a target or actual read as a number, date, grade or text — and
  ``comparable`` / ``shortfall`` / ``is_vague``;
- ``parse``: ``Field``, ``Indicator``, ``EvalTable`` and the header-word parser.
"""

from __future__ import annotations

from govlint.evaltable.grid import Cell, Grid, norm  # noqa: F401
from govlint.evaltable.parse import (  # noqa: F401
    EvalTable, Field, Indicator, budget_fields, find_tables, ind_fields, narrative_paragraphs,
    table_paragraph_spans, tables, today_year,
)
from govlint.evaltable.values import (  # noqa: F401
    NOTE_EMPTY, Value, comparable, is_vague, note_is_empty, number_of, parse_value, percent_of, shortfall,
    words,
)
from govlint.numerals import fmt  # noqa: F401

_norm = norm   # the name rules used before the package existed
