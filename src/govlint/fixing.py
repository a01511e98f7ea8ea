"""Applying the fixes findings carry (``govlint fix``).

A fix is a set of edits on ``Document.text`` that resolves one finding (``finding.Fix``).
Fixes are applied together only when none of their edits overlap an edit already taken;
the rest wait for the next pass, which re-checks the fixed text. A pass that takes nothing
ends the loop, so fixing twice changes nothing the second time.
"""

from __future__ import annotations

import bisect
import difflib
import re

from govlint.finding import Edit, Finding

MAX_PASSES = 5


def wanted(finding: Finding, unsafe: bool) -> bool:
    """Whether this finding's fix is applied in this mode (safe fixes always, unsafe on request)."""
    fix = finding.fix
    return fix is not None and bool(fix.edits) and (unsafe or fix.safety == "safe")


def choose(findings, unsafe: bool = False) -> tuple[list[Finding], list[Finding]]:
    """(findings whose fixes are applied now, fixable findings left for a later pass).

    Findings are taken in document order; one whose edits overlap an edit already taken
    (or insert at the same point) waits.
    """
    taken: list[Finding] = []
    later: list[Finding] = []
    starts: list[int] = []
    ends: list[int] = []
    for f in sorted((f for f in findings if wanted(f, unsafe)), key=lambda f: (f.fix.span, f.code)):
        if any(_overlaps(starts, ends, e) for e in f.fix.edits) or _self_overlap(f.fix.edits):
            later.append(f)
            continue
        taken.append(f)
        for e in f.fix.edits:
            i = bisect.bisect_left(starts, e.start)
            starts.insert(i, e.start)
            ends.insert(i, e.end)
    return taken, later


def _overlaps(starts: list[int], ends: list[int], e: Edit) -> bool:
    i = bisect.bisect_left(starts, e.start)
    for j in (i - 1, i):
        if 0 <= j < len(starts):
            a, b = starts[j], ends[j]
            if (a < e.end and e.start < b) or a == e.start or (e.start == e.end and a <= e.start <= b) \
                    or (a == b and e.start <= a <= e.end):
                return True
    return False


def _self_overlap(edits) -> bool:
    return any(x.end > y.start for x, y in zip(edits, edits[1:]))


def edits_of(findings) -> list[Edit]:
    return sorted((e for f in findings for e in f.fix.edits), key=lambda e: (e.start, e.end))


def apply(text: str, edits) -> str:
    """``text`` with the (non-overlapping) edits applied."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def diff(path: str, old: str, new: str) -> str:
    """A unified diff of the fixed text against the original (empty when nothing changed)."""
    if old == new:
        return ""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def fix_text(doc, lint_text, unsafe: bool = False) -> tuple[str, int, list[Finding]]:
    """Fix ``doc`` repeatedly; returns (fixed text, fixes applied, findings that remain).

    ``lint_text(text)`` re-checks a text and returns its findings (same configuration).
    """
    text = doc.text
    findings = lint_text(text)
    applied = 0
    for _ in range(MAX_PASSES):
        taken, _later = choose(findings, unsafe)
        if not taken:
            break
        new = apply(text, edits_of(taken))
        if new == text:
            break
        applied += len(taken)
        text = new
        findings = lint_text(text)
    return text, applied, findings


_CUE = re.compile(r"(?:详见|参见|见|如|按|依照|根据|本报告)(?:本报告)?(?:第)?")


def stale_references(text: str, findings) -> list[tuple[int, str]]:
    """Places that cite a heading by the number a renumbering fix changed: (line, excerpt).

    A fix that renumbers headings (STRUCT001, ``--unsafe``) leaves 见（三） / 详见第四部分 in the
    text pointing at the old numbers; they are reported for the author, never rewritten.
    """
    old = {}
    for f in findings:
        if f.code != "STRUCT001" or not f.fix or len(f.fix.edits) < 2:
            continue
        for e in f.fix.edits:
            core = text[e.start:e.end].rstrip("、.．， ")
            if core and core != e.text.rstrip("、.．， "):
                old[core.strip("（）()")] = e.start
    if not old:
        return []
    out = []
    for m in _CUE.finditer(text):
        rest = text[m.end():m.end() + 8]
        for core, at in old.items():
            if rest.lstrip("（(“").startswith(core) and m.end() != at:
                line = text.count("\n", 0, m.start()) + 1
                ls = text.rfind("\n", 0, m.start()) + 1
                le = text.find("\n", m.start())
                out.append((line, text[ls:le if le >= 0 else len(text)].strip()[:60]))
                break
    return out
