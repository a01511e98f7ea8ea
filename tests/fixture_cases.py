"""Annotated rule fixtures: tests/fixtures/rules/<CODE>.txt.

A file holds cases separated by header lines::

    #: STYLE001                 expected findings of STYLE001 at the ⟦ ⟧ marks
    #: ok                       no finding of the file's rule
    #: DUP001 profile=self-eval option.threshold=0.8 kind=md
    #: ok min_severity=warning    findings below warning (info) are allowed

Each case is a small document (several lines allowed). ⟦ and ⟧ mark each expected span;
they are stripped before linting, so nobody counts columns by hand. Lines starting with
``##`` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
HEADER = re.compile(r"^#:\s*(.+?)\s*$")


@dataclass
class Case:
    file: str
    index: int
    line: int
    codes: list[str]
    text: str
    spans: list[tuple[int, int]]
    settings: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{Path(self.file).stem}-{self.index}-{'+'.join(self.codes) or 'ok'}"


def strip_marks(raw: str) -> tuple[str, list[tuple[int, int]]]:
    out, spans, opened = [], [], []
    pos = 0
    for ch in raw:
        if ch == "⟦":
            opened.append(pos)
        elif ch == "⟧":
            spans.append((opened.pop(), pos))
        else:
            out.append(ch)
            pos += 1
    assert not opened, "unbalanced ⟦ in fixture"
    return "".join(out), sorted(spans)


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    header = None
    body: list[str] = []
    start_line = 0

    def flush():
        if header is None:
            return
        parts = header.split()
        codes = [] if parts[0].lower() == "ok" else [c.strip().upper() for c in parts[0].split(",")]
        settings = dict(p.split("=", 1) for p in parts[1:])
        raw = "\n".join(body).strip("\n") + "\n"
        text, spans = strip_marks(raw)
        cases.append(Case(str(path), len(cases) + 1, start_line, codes, text, spans, settings))

    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = HEADER.match(line)
        if m:
            flush()
            header, body, start_line = m.group(1), [], i
        elif line.startswith("##"):
            continue
        else:
            body.append(line)
    flush()
    return cases


def all_cases() -> list[Case]:
    out = []
    for path in sorted(FIXTURES.glob("*.txt")):
        out.extend(load_cases(path))
    return out
