"""``govlint eval``: precision and recall of each rule against annotated sample reports.

Every sample in the directory that has a sidecar ``<stem>.expected.toml`` is linted with all
registered rules; findings are matched to the expected ones by (file, code, line). Several
findings of one code on one line count once, as do several expectations (a reviewer marks
a line, not each bracket). A rule that is not registered is reported as "not implemented",
never as perfect; a registered rule with neither findings nor expectations has no score.

Exit codes: 0 when every floor holds, 1 when a rule falls below ``--min-precision`` or
``--min-recall``, 2 for usage errors, bad sidecars, unreadable samples or crashing rules.
"""

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer

SIDECAR_SUFFIX = ".expected.toml"

NOT_IMPLEMENTED = "not implemented"
NO_DATA = "no data"
SCORED = "scored"


class EvalError(Exception):
    pass


@dataclass
class Expectation:
    file: str
    code: str
    line: int
    note: str = ""


@dataclass
class RuleScore:
    code: str
    status: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    expected: int = 0  # expectations in the sidecars, counted whatever the status

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def as_dict(self) -> dict:
        return {"code": self.code, "status": self.status, "expected": self.expected,
                "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": _round(self.precision), "recall": _round(self.recall)}


@dataclass
class Mismatch:
    kind: str          # "FP" or "FN"
    file: str
    line: int
    code: str
    text: str          # the finding's message (FP) or the expectation's note (FN)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "file": self.file, "line": self.line, "code": self.code, "text": self.text}


@dataclass
class EvalReport:
    directory: str
    samples: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)         # code -> RuleScore
    mismatches: list = field(default_factory=list)    # Mismatch
    errors: list = field(default_factory=list)        # (file, message)

    @property
    def overall(self) -> RuleScore:
        tot = RuleScore("ALL", SCORED)
        for r in self.rules.values():
            if r.status == SCORED:
                tot.tp += r.tp
                tot.fp += r.fp
                tot.fn += r.fn
        return tot

    def below(self, min_precision: float, min_recall: float) -> list:
        """Rules under a floor: (code, "precision"|"recall", value). Only scored rules count."""
        out = []
        for r in self.rules.values():
            if r.status != SCORED:
                continue
            if r.precision is not None and r.precision < min_precision:
                out.append((r.code, "precision", r.precision))
            if r.recall is not None and r.recall < min_recall:
                out.append((r.code, "recall", r.recall))
        return out

    def as_dict(self) -> dict:
        return {"directory": self.directory, "samples": self.samples,
                "rules": [r.as_dict() for r in self.rules.values()],
                "overall": self.overall.as_dict(),
                "mismatches": [m.as_dict() for m in self.mismatches],
                "errors": [{"file": f, "message": m} for f, m in self.errors]}


def _round(x):
    return None if x is None else round(x, 4)


# ----- sidecars ---------------------------------------------------------------------------

def _toml_load(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise EvalError(f"{path}: cannot read sidecar: {exc}") from None


HOLDOUT = "holdout"


def find_samples(directory: Path) -> list:
    """(sample path, sidecar path) for every sidecar under ``directory``, sorted.

    A ``holdout/`` folder below ``directory`` is left out: the held-out set measures the
    rules and is never used to develop them, so it is scored only when named directly
    (``govlint eval corpora/holdout``).
    """
    from govlint.readers import supported_suffixes
    suffixes = set(supported_suffixes())
    pairs = []
    for sidecar in sorted(directory.rglob("*" + SIDECAR_SUFFIX)):
        parts = sidecar.relative_to(directory).parts[:-1]
        if any(part.startswith(".") or part == HOLDOUT for part in parts):
            continue
        data = _toml_load(sidecar)
        stem = sidecar.name[: -len(SIDECAR_SUFFIX)]
        if "sample" in data:
            sample = sidecar.parent / str(data["sample"])
            if not sample.is_file():
                raise EvalError(f"{sidecar}: sample {data['sample']!r} does not exist")
        else:
            cands = [p for p in sorted(sidecar.parent.glob(stem + ".*"))
                     if p != sidecar and p.suffix.lower() in suffixes and not p.name.endswith(SIDECAR_SUFFIX)]
            if len(cands) != 1:
                raise EvalError(f"{sidecar}: no single sample named {stem}.* next to it "
                                f"(set sample = \"<file name>\")")
            sample = cands[0]
        pairs.append((sample, sidecar))
    return pairs


def read_expectations(sidecar: Path, sample_name: str) -> list:
    data = _toml_load(sidecar)
    out = []
    for i, item in enumerate(data.get("finding", []), 1):
        code = item.get("code")
        line = item.get("line")
        if not isinstance(code, str) or not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise EvalError(f"{sidecar}: [[finding]] #{i} needs code = \"CODE\" and line = <1-based int>")
        out.append(Expectation(sample_name, code.upper(), line, str(item.get("note", ""))))
    return out


# ----- evaluation -------------------------------------------------------------------------

def evaluate(directory, tolerance: int = 0) -> EvalReport:
    """Lint every annotated sample in ``directory`` and score each rule."""
    from govlint import registry, runner

    directory = Path(directory)
    if not directory.is_dir():
        raise EvalError(f"{directory}: not a directory")
    registered = registry.all_rules()
    codes = set(registered)
    report = EvalReport(str(directory))
    expected: dict = {}   # (file, code) -> {line: note}
    found: dict = {}      # (file, code) -> {line: message}
    for sample, sidecar in find_samples(directory):
        name = str(sample.relative_to(directory)).replace("\\", "/")
        report.samples.append(name)
        for e in read_expectations(sidecar, name):
            expected.setdefault((name, e.code), {}).setdefault(e.line, e.note)
        try:
            result = runner.lint_file(str(sample), codes=codes)
        except Exception as exc:  # a crashing rule must not hide the other samples
            report.errors.append((name, f"internal error: {type(exc).__name__}: {exc}"))
            continue
        if result.error:
            report.errors.append((name, result.error))
            continue
        for f in result.findings:
            line = f.position.line if f.position is not None else 1
            found.setdefault((name, f.code), {}).setdefault(line, f.message)

    all_codes = sorted(codes | {c for _, c in expected} | {c for _, c in found})
    for code in all_codes:
        if code not in registered:
            status = NOT_IMPLEMENTED
        elif any(c == code for _, c in expected) or any(c == code for _, c in found):
            status = SCORED
        else:
            status = NO_DATA
        report.rules[code] = RuleScore(code, status)

    keys = sorted(set(expected) | set(found))
    for key in keys:
        name, code = key
        exp = dict(expected.get(key, {}))
        got = dict(found.get(key, {}))
        score = report.rules[code]
        score.expected += len(exp)
        for line in sorted(exp):
            match = next((g for g in sorted(got, key=lambda g: (abs(g - line), g))
                          if abs(g - line) <= tolerance), None)
            if match is not None:
                del got[match]
                if score.status == SCORED:
                    score.tp += 1
            else:
                if score.status == SCORED:
                    score.fn += 1
                report.mismatches.append(Mismatch("FN", name, line, code, exp[line]))
        for line in sorted(got):
            score.fp += 1
            report.mismatches.append(Mismatch("FP", name, line, code, got[line]))
    report.mismatches.sort(key=lambda m: (m.file, m.line, m.code, m.kind))
    return report


# ----- output -----------------------------------------------------------------------------

def _pct(x) -> str:
    return "-" if x is None else f"{x * 100:.1f}%"


def render_text(report: EvalReport, show_mismatches: bool = True) -> str:
    lines = [f"govlint eval: {len(report.samples)} annotated samples in {report.directory}", ""]
    lines.append(f"{'rule':<10} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}  status")
    for r in report.rules.values():
        if r.status == SCORED:
            lines.append(f"{r.code:<10} {r.tp:>4} {r.fp:>4} {r.fn:>4} {_pct(r.precision):>10} {_pct(r.recall):>8}")
        else:
            extra = f" ({r.expected} expected)" if r.expected else ""
            lines.append(f"{r.code:<10} {'':>4} {'':>4} {'':>4} {'-':>10} {'-':>8}  {r.status}{extra}")
    o = report.overall
    lines.append(f"{'overall':<10} {o.tp:>4} {o.fp:>4} {o.fn:>4} {_pct(o.precision):>10} {_pct(o.recall):>8}"
                  "  (implemented rules only)")
    if show_mismatches and report.mismatches:
        lines += ["", "Mismatches (FP = reported but not expected, FN = expected but not reported):"]
        for m in report.mismatches:
            tag = m.kind if report.rules[m.code].status == SCORED else "--"
            lines.append(f"  {tag} {m.file}:{m.line}: {m.code} {m.text}")
    if report.errors:
        lines += ["", "Errors:"]
        lines += [f"  {f}: {msg}" for f, msg in report.errors]
    return "\n".join(lines) + "\n"


def register(app):
    @app.command("eval")
    def eval_cmd(
        directory: Path = typer.Argument(Path("corpora"), help="含样本报告和 <名称>.expected.toml 的目录"),
        format: str = typer.Option("text", "--format", "-f", help="text 或 json"),
        min_precision: float = typer.Option(0.0, "--min-precision", help="每条规则的最低精确率（0–1）"),
        min_recall: float = typer.Option(0.0, "--min-recall", help="每条规则的最低召回率（0–1）"),
        tolerance: int = typer.Option(0, "--tolerance", help="允许的行号偏差（默认 0）"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不列出逐条的误报和漏报"),
    ):
        """用标注样本评估规则：逐条规则的精确率和召回率（TP/FP/FN）。"""
        if format not in ("text", "json"):
            typer.echo(f"govlint: 错误：不支持的格式 {format!r}（text 或 json）", err=True)
            raise typer.Exit(2)
        for name, v in (("--min-precision", min_precision), ("--min-recall", min_recall)):
            if not 0.0 <= v <= 1.0:
                typer.echo(f"govlint: 错误：{name} 应在 0 到 1 之间", err=True)
                raise typer.Exit(2)
        try:
            report = evaluate(directory, tolerance=max(0, tolerance))
        except EvalError as exc:
            typer.echo(f"govlint: 错误：{exc}", err=True)
            raise typer.Exit(2)
        if not report.samples:
            typer.echo(f"govlint: 错误：{directory} 中没有带 {SIDECAR_SUFFIX} 的样本", err=True)
            raise typer.Exit(2)
        failing = report.below(min_precision, min_recall)
        if format == "json":
            data = report.as_dict()
            data["floors"] = {"min_precision": min_precision, "min_recall": min_recall,
                              "failing": [{"code": c, "metric": m, "value": _round(v)} for c, m, v in failing]}
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            text = render_text(report, show_mismatches=not quiet)
            if failing:
                text += "\nBelow the floors:\n" + "".join(
                    f"  {c} {m} {_pct(v)} < {_pct(min_precision if m == 'precision' else min_recall)}\n"
                    for c, m, v in failing)
            sys.stdout.write(text)
        if report.errors:
            raise typer.Exit(2)
        raise typer.Exit(1 if failing else 0)
