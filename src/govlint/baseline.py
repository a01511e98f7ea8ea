"""Baselines: record today's findings, report only new ones afterwards.

A baseline is a JSON file::

    {"govlint_baseline": 1,
     "findings": [{"path": "reports/a.txt", "code": "STYLE001", "fingerprint": "…",
                   "line": 4, "message": "…"}, …]}

Findings are matched by ``path`` (relative to the baseline file's directory, ``/``
separated) and ``fingerprint`` (``engine.fingerprint``: the rule code, the flagged text and
its sentence, numbered per duplicate), so inserting or deleting a paragraph elsewhere does
not bring recorded findings back. ``line`` and ``message`` are informational only.
Each recorded entry suppresses at most one finding.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

FORMAT_KEY = "govlint_baseline"
FORMAT_VERSION = 1


def _rel(path: str, base: Path) -> str:
    """``path`` relative to ``base`` (``..`` allowed), with forward slashes."""
    if path.startswith("<") and path.endswith(">"):      # <stdin>, <text>
        return path
    try:
        rel = os.path.relpath(Path(path).resolve(), base)
    except ValueError:                                   # another drive on Windows
        rel = str(Path(path).resolve())
    return rel.replace("\\", "/")


def _base_dir(path) -> Path:
    return Path(path).resolve().parent


def entries(results, path) -> list[dict]:
    """The baseline entries for ``results`` as they would be written to ``path``."""
    base = _base_dir(path)
    out = []
    for r in results:
        if r.error:
            continue
        rel = _rel(r.path, base)
        for f in r.findings:
            out.append({"path": rel, "code": f.code, "fingerprint": f.fingerprint,
                        "line": f.position.line if f.position else None, "message": f.message})
    out.sort(key=lambda e: (e["path"], e["line"] or 0, e["code"], e["fingerprint"] or ""))
    return out


def is_baseline(path) -> bool:
    """True when ``path`` holds a govlint baseline (used before overwriting a file)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and FORMAT_KEY in data


def write_baseline(results, path) -> int:
    """Write the findings of ``results`` (input errors skipped) to ``path``; returns the count."""
    items = entries(results, path)
    data = {FORMAT_KEY: FORMAT_VERSION,
            "comment": "govlint baseline: findings recorded here are not reported again (govlint check --baseline)",
            "findings": items}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(items)


def load(path) -> Counter:
    """(relative path, fingerprint) → count. Raises ValueError with a one-line Chinese message."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"基线文件不存在：{path}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"无法读取基线文件 {path}：{exc.strerror}") from None
    except (ValueError, RecursionError):   # RecursionError: JSON nested 100,000 deep
        raise ValueError(f"基线文件 {path} 已损坏：不是合法的 JSON（可用 govlint baseline 重新生成）") from None
    if not isinstance(data, dict) or FORMAT_KEY not in data:
        raise ValueError(f"{path} 不是 govlint 基线文件（可用 govlint baseline 生成）")
    if data[FORMAT_KEY] != FORMAT_VERSION:
        raise ValueError(f"基线文件 {path} 的格式版本 {data[FORMAT_KEY]!r} 不受支持（可用 govlint baseline 重新生成）")
    items = data.get("findings")
    if not isinstance(items, list):
        raise ValueError(f"基线文件 {path} 已损坏：缺少 findings 列表")
    known: Counter = Counter()
    for i, e in enumerate(items):
        if not (isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("fingerprint"), str)):
            raise ValueError(f"基线文件 {path} 已损坏：第 {i + 1} 条记录缺少 path 或 fingerprint")
        known[(e["path"], e["fingerprint"])] += 1
    return known


def filter_results(results, path):
    """Drop findings recorded in the baseline at ``path``; other results pass unchanged."""
    known = load(path)
    base = _base_dir(path)
    out = []
    for r in results:
        if r.error or not r.findings:
            out.append(r)
            continue
        rel = _rel(r.path, base)
        kept = []
        for f in r.findings:
            key = (rel, f.fingerprint)
            if known.get(key, 0) > 0:
                known[key] -= 1
                continue
            kept.append(f)
        hidden = len(r.findings) - len(kept)
        r = r.with_findings(kept)
        if hidden:
            r.extra = {**(r.extra or {}), "baseline_hidden": hidden}
        out.append(r)
    return out
