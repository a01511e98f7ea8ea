"""DUP001's clause similarity in Python is rapidfuzz's, number for number.

``rules.duplication`` compares the first clauses of a process in Python (importing rapidfuzz
costs more than an ordinary report's comparisons) and hands over to rapidfuzz after a budget:
both must give the same (choice, score, index) for every query, down to the float.
"""

from __future__ import annotations

import random

import pytest

from govlint.rules import duplication as dup

rapidfuzz = pytest.importorskip("rapidfuzz")
from rapidfuzz import fuzz, process  # noqa: E402


def _reference(query, choices, cutoff):
    return process.extractOne(query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)


def _near_copy(rng, s, alphabet):
    out = list(s)
    for _ in range(rng.randint(0, max(1, len(s) // 4))):
        op = rng.random()
        i = rng.randrange(len(out) + 1)
        if op < 0.4 and out:
            out[min(i, len(out) - 1)] = rng.choice(alphabet)
        elif op < 0.7:
            out.insert(i, rng.choice(alphabet))
        elif out:
            del out[min(i, len(out) - 1)]
    return "".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_python_extract_one_is_rapidfuzz(seed):
    rng = random.Random(seed)
    alphabet = list("项目资金建设完成情况年度目标0村道路工程监理验收") if seed % 2 else list("ab0")
    cutoffs = [0.85 * 100, 85, 50, 70.5, 90, 99.99, 100, 0]
    for _ in range(300):
        base = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 70)))
        choices = [_near_copy(rng, base, alphabet) if rng.random() < 0.7 else
                   "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70)))
                   for _ in range(rng.randint(1, 12))]
        if rng.random() < 0.3:
            choices.append(choices[0])            # ties: the first one wins
        query = _near_copy(rng, base, alphabet) or base
        for cutoff in cutoffs:
            assert dup._extract_one_py(query, choices, cutoff) == _reference(query, choices, cutoff), \
                (query, choices, cutoff)


def test_ratio_matches_on_long_clauses():
    rng = random.Random(7)
    alphabet = list("资金使用情况良好群众满意度达到百分之九十以上0")
    for _ in range(50):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(60, 300)))
        b = _near_copy(rng, a, alphabet)
        masks: dict = {}
        for i, ch in enumerate(a):
            masks[ch] = masks.get(ch, 0) | (1 << i)
        for cutoff in (0, 85, 0.85 * 100):
            assert dup._ratio_py(masks, len(a), b, cutoff) == fuzz.ratio(a, b, processor=None, score_cutoff=cutoff)


def test_the_budget_hands_over_to_rapidfuzz(monkeypatch):
    calls = []
    monkeypatch.setattr(dup, "_extract_one_py", lambda *a: calls.append("py") or None)
    monkeypatch.setattr(dup, "_py_spent", 0)
    monkeypatch.setattr(dup, "_PY_BUDGET", 5)
    assert dup._extract_one("项目资金", ["项目资金拨付", "资金"], 85) is None
    assert calls == ["py"]
    assert dup._extract_one("项目资金", ["项目资金拨付"], 50) == ("项目资金拨付", pytest.approx(80.0), 0)
    assert calls == ["py"]
