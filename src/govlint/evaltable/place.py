"""Placing the cells of a self-evaluation table row that lost its grid (see ``recover``).

``cut_header`` cuts a header that lost its spaces into header words; ``place_row`` and
``split_cells`` place indicator cells under the header's columns, ``place_budget`` the budget
figures, each only when exactly one placement fits.
"""

from __future__ import annotations

import itertools
import re

from govlint.evaltable.grid import norm
from govlint.evaltable.values import words

TOKEN = re.compile(r"[^\s\u3000]+")
NUM = re.compile(r"-?\d+(?:\.\d+)?分?")
PCT = re.compile(r"-?\d+(?:\.\d+)?%")
DASH = frozenset(("—", "——", "-", "/", "\\"))
_FRONT = ("level1", "level2")


def fw(s: str) -> str:
    return norm(s).translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))


def cut_header(s: str) -> list[str] | None:
    """``s`` (no spaces) cut into header words, longest first, or None if anything is left over."""
    out: list[str] = []
    hw = words().header_words
    i = 0
    while i < len(s):
        w = next((w for w in hw if s.startswith(w, i)), None)
        if w is None:
            return None
        out.append(w)
        i += len(w)
    return out


def labels_from(f: list[str], k: int) -> tuple[list[str], int]:
    """Header words of the tokens ``f`` from ``k`` on (each named once), and where they end."""
    labels: list[str] = []
    n = k
    while n < len(f):
        got = cut_header(f[n])
        if got is None or set(got) & set(labels):
            break
        labels += got
        n += 1
    return labels, n


def header_prefix(s: str) -> bool:
    """``s`` is header words followed by the start of one (a header still being read)."""
    hw = words().header_words
    i = 0
    while i < len(s):
        w = next((w for w in hw if s.startswith(w, i)), None)
        if w is None:
            rest = s[i:]
            return any(h.startswith(rest) for h in hw)
        i += len(w)
    return True


def _fields(labels: list[str], specs) -> list[str | None]:
    out: list[str | None] = []
    seen: set = set()
    for lab in labels:
        name = next((n for n, rx in specs if n not in seen and rx.search(lab)), None)
        if name is not None:
            seen.add(name)
        out.append(name)
    return out


def ind_columns(labels: list[str]) -> list[str | None] | None:
    cols = _fields(labels, words().ind_fields)
    got = set(cols)
    core = {"level1", "level3", "target", "actual", "points", "score"} & got
    return cols if ("target" in got or "actual" in got) and len(core) >= 3 else None


def budget_columns(labels: list[str]) -> list[str | None] | None:
    cols = _fields(labels, words().budget_fields)
    return cols if len({"budget_initial", "budget_full", "executed", "exec_rate"} & set(cols)) >= 2 else None


# ----- placing the cells of one row ------------------------------------------------------

def _fits(field: str | None, t: str, w) -> bool:
    """Can a cell reading ``t`` (its ``fw`` form; '' = an empty cell the export kept) stand in
    ``field``? ``w`` = ``words()``."""
    if t == "":
        return field != "level1"
    if field == "level1":
        return bool(w.level1.match(t))
    if field == "level2":
        return bool(w.level2.match(t))
    if field == "level3":
        return not (NUM.fullmatch(t) or w.level2.match(t) or w.total.match(t))
    if field in ("points", "score"):
        return bool(NUM.fullmatch(t))
    if field == "note":             # a deviation note is never the name of an indicator level
        return not w.level2.match(t)
    return True


def _shapes(cols: list[str | None], first: bool, drops_empty: bool = True):
    """Column lists a row may show: merged 一级(/二级)指标 left out at the start, an empty
    last 偏差原因 left out at the end."""
    fronts = [[]]
    if not first and cols[:1] == ["level1"]:
        fronts.append([0])
        if cols[1:2] == ["level2"]:
            fronts.append([0, 1])
    backs = [[]]
    if drops_empty and cols and cols[-1] == "note":
        backs.append([len(cols) - 1])
    for f, b in itertools.product(fronts, backs):
        drop = set(f) | set(b)
        yield [c for c in range(len(cols)) if c not in drop]


def place_row(texts: list[str], cols: list[str | None], first: bool = False) -> list[int | None] | None:
    """For each column, the index of the cell of ``texts`` standing in it (None: left out),
    or None when no placement or more than one fits."""
    found = []
    n = len(cols)
    w = words()
    texts = [fw(t) for t in texts]
    for shape in _shapes(cols, first):
        if len(shape) == len(texts):
            if all(_fits(cols[c], t, w) for c, t in zip(shape, texts)):
                found.append(shape)
        elif len(texts) > len(shape) and shape and shape[-1] == n - 1 and cols[-1] == "note":
            k = len(shape) - 1      # the note ran over several tokens: it takes the rest
            if all(_fits(cols[c], t, w) for c, t in zip(shape[:k], texts[:k])):
                found.append(shape + [None])
        if len(found) > 1:
            return None
    if len(found) != 1:
        return None
    shape = found[0]
    out: list[int | None] = [None] * n
    for i, c in enumerate(shape):
        if c is not None:
            out[c] = i
    return out


def place_budget(texts: list[str], cols: list[str | None]) -> list[int | None] | None:
    """The budget figures of a row with fewer cells than the header: one placement must fit
    the figures' kinds and agree with 执行率 = 执行数 / 预算数 and 得分 = 执行率 × 分值."""
    n = len(cols)
    if len(texts) == n:
        return list(range(n))
    if len(texts) > n or not texts:
        return None
    vals = [fw(t) for t in texts]
    found = []
    for keep in itertools.combinations(range(n), len(texts)):
        got = dict(zip((cols[c] for c in keep), vals))
        if not _budget_consistent(got):
            continue
        found.append(keep)
        if len(found) > 1:
            return None
    if len(found) != 1:
        return None
    out: list[int | None] = [None] * n
    for i, c in enumerate(found[0]):
        out[c] = i
    return out


def _budget_consistent(got: dict) -> bool:
    def num(k):
        v = got.get(k)
        return float(v) if v is not None and re.fullmatch(r"-?\d+(?:\.\d+)?", v) else None
    for k, v in got.items():
        if k == "exec_rate" and not PCT.fullmatch(v):
            return False
        if k != "exec_rate" and not re.fullmatch(r"-?\d+(?:\.\d+)?", v):
            return False
    rate = float(got["exec_rate"][:-1]) if "exec_rate" in got else None
    full, done, pts, score = num("budget_full"), num("executed"), num("exec_points"), num("exec_score")
    if rate is None or full is None or done is None or not full:
        return False
    if abs(done / full * 100 - rate) > 0.6:
        return False
    if pts is not None and score is not None and abs(min(rate, 100) / 100 * pts - score) > max(0.06, 0.01 * pts):
        return False
    return True



def split_cells(texts: list[str], cols, first: bool, drops_empty: bool = True):
    """The one way to cut ``texts`` into rows of the table's shapes, or None (none or several).
    ``drops_empty`` False: the text keeps empty cells (a line of spaces), so an empty 偏差原因
    is written, never left out."""
    n = len(texts)
    if n == 0:
        return []
    w = words()
    texts = [fw(t) for t in texts]
    shapes_first = list(_shapes(cols, True, drops_empty))
    shapes_rest = list(_shapes(cols, False, drops_empty))
    ways = [0] * (n + 1)
    ways[n] = 1
    for i in range(n - 1, -1, -1):
        total = 0
        for shape in (shapes_first if (first and i == 0) else shapes_rest):
            m = len(shape)
            if i + m <= n and ways[i + m] and all(_fits(cols[c], t, w) for c, t in zip(shape, texts[i:i + m])):
                total += ways[i + m]
                if total > 1:
                    break
        ways[i] = min(total, 2)
    if ways[0] != 1:
        return None
    out, i = [], 0
    while i < n:
        for shape in (shapes_first if (first and i == 0) else shapes_rest):
            m = len(shape)
            if i + m <= n and ways[i + m] and all(_fits(cols[c], t, w) for c, t in zip(shape, texts[i:i + m])):
                out.append(shape)
                i += m
                break
    return out
