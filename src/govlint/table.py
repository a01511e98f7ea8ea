"""Moved: the self-evaluation table is the ``govlint.evaltable`` package (grid, values, parse).

This module re-exports its names for code written against ``govlint.table``.
"""

from govlint.evaltable import *  # noqa: F401,F403
from govlint.evaltable import _norm  # noqa: F401
