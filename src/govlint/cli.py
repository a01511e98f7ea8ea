"""The command line: wiring only. Checking lives in engine, printing in output."""

from __future__ import annotations

import importlib
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from govlint import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="govlint：政府报告（绩效自评报告等）质量检查工具。")

# Subcommand modules; each defines ``register(app)``. Missing ones are skipped.
CLI_MODULES = [
    "govlint.commands.review",
    "govlint.commands.corpus",
    "govlint.commands.baseline",
    "govlint.commands.evaluate",
    "govlint.commands.server",
]


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Profile(str, Enum):
    auto = "auto"
    self_eval = "self-eval"
    generic = "generic"


def fail(message: str, code: int = 2):
    typer.echo(f"govlint: 错误：{message}", err=True)
    raise typer.Exit(code)


def _codes(values: Optional[List[str]]) -> Optional[tuple]:
    if not values:
        return None
    out = []
    for v in values:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    if not out:
        fail("规则列表为空（例如 --select STRUCT,STYLE001）")
    from govlint import registry
    known = list(registry.all_rules())
    for c in out:
        if c != "ALL" and not any(k.startswith(c) for k in known):
            fail(f"未知的规则代码或前缀 {c!r}（用 govlint rules 查看全部规则）")
    return tuple(out)


def build_overrides(select=None, ignore=None, extend_select=None, profile=None, fail_on=None,
                    corpus=None, baseline=None) -> dict:
    from govlint.finding import Severity
    ov: dict = {}
    if select:
        ov["select"] = _codes(select)
    if ignore:
        ov["ignore"] = _codes(ignore)
    if extend_select:
        ov["extend_select"] = _codes(extend_select)
    if profile is not None:
        ov["profile"] = profile.value if isinstance(profile, Enum) else profile
    if fail_on is not None and fail_on != "never":
        ov["fail_on"] = Severity.parse(fail_on.value if isinstance(fail_on, Enum) else fail_on)
    if corpus:
        ov["corpus"] = corpus
    if baseline:
        ov["baseline"] = baseline
    return ov


def _progress_bar(total: int, enabled: bool):
    """A rich progress bar on stderr for batches on a terminal; a no-op otherwise."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.console import Console
    prog = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    TextColumn("{task.fields[name]}"), console=Console(stderr=True), transient=True)
    task = prog.add_task("check", total=total, name="")

    def advance(r):
        prog.update(task, advance=1, name=Path(r.path).name[:40])
    return prog, advance


def run_check(paths: List[str], overrides: dict, stdin_filename: Optional[str], jobs: int,
              progress: bool, isolated_config: Optional[str] = None, skip: Optional[List[Path]] = None):
    """Lint paths (or stdin) and return the results, config errors raised as exit 2."""
    from govlint import config as cfgmod
    from govlint import engine
    from govlint.config import ConfigError
    from govlint.readers import InputError, read_bytes

    if isolated_config:
        cfg_path = Path(isolated_config)
        try:
            if cfgmod.load_file(cfg_path) is None:
                fail(f"{isolated_config}: 没有 [tool.govlint] 配置")
        except ConfigError as exc:
            fail(str(exc))
        os.environ["GOVLINT_CONFIG"] = str(cfg_path.resolve())   # inherited by worker processes
        cfgmod.find_for_dir.cache_clear()
    if paths == ["-"]:
        name = stdin_filename or "<stdin>"
        try:
            cfg = cfgmod.for_path(str(Path(name).resolve())).override(**overrides)
        except ConfigError as exc:
            fail(str(exc))
        try:
            doc = read_bytes(sys.stdin.buffer.read(), name)
        except InputError as exc:
            return [engine.FileResult(name, error=str(exc))]
        return [engine.lint_document_result(doc, cfg)]
    # validate configuration up front so a bad file is a usage error, not a per-file one
    try:
        for p in paths:
            cfgmod.for_path(p)
    except ConfigError as exc:
        fail(str(exc))
    files, errors = engine.collect(list(dict.fromkeys(paths)), tuple(overrides.get("exclude") or ()))
    # the same file named twice (a.txt and ./a.txt, a directory and a file in it) is checked once;
    # a file govlint writes in this run (-o inside a checked directory) is not a report
    skipped = {p.resolve() for p in (skip or [])}
    seen: set = set()
    unique = []
    for f in files:
        key = Path(f).resolve()
        if key in seen or key in skipped:
            continue
        seen.add(key)
        unique.append(f)
    files = unique
    prog, advance = _progress_bar(len(files), progress)
    if prog is not None:
        with prog:
            results = engine.check_files(files, overrides, jobs, advance)
    else:
        results = engine.check_files(files, overrides, jobs)
    return errors + results


def default_jobs() -> int:
    """All cores, at most 4: each worker holds its own segmenter (~150 MB with jieba)."""
    return max(1, min(4, os.cpu_count() or 1))


def configured_jobs(paths: List[str]) -> int:
    """``jobs`` from the configuration found for the first path, else all cores."""
    from govlint import config as cfgmod
    from govlint.config import ConfigError
    try:
        jobs = cfgmod.for_path(paths[0]).jobs if paths and paths != ["-"] else None
    except ConfigError:
        jobs = None          # reported when the configuration is validated
    return jobs or default_jobs()


def guard_output(output: Path, paths: List[str]) -> None:
    """An output file must be a new path: never one of the inputs (govlint never overwrites a report)."""
    target = output.resolve()
    for p in paths:
        if p == "-":
            continue
        src = Path(p).resolve()
        if target == src:
            fail(f"{output}: 输出文件不能是被检查的文件本身")
    if target.is_dir():
        fail(f"{output}: 是目录，请给出文件路径")


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="报告文件或目录（.txt .md .docx .pdf .xlsx）；- 表示标准输入"),
    format: Format = typer.Option(Format.text, "--format", "-f", help="输出格式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="只检查这些规则（代码或前缀，逗号分隔）"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="不检查这些规则"),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="在配置之外再启用这些规则"),
    fail_on: Level = typer.Option(None, "--fail-on", help="达到该级别的问题时退出码为 1（默认 warning；never 表示不因问题失败）"),
    profile: Profile = typer.Option(None, "--profile", help="报告类型：auto（按标题识别）、self-eval、generic"),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="从标准输入读取时使用的文件名"),
    config: Optional[str] = typer.Option(None, "--config", help="使用此配置文件（不再向上查找）"),
    corpus: Optional[str] = typer.Option(None, "--corpus", help="对照语料：索引文件、redis:// URL 或报告目录"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="只报告基线文件中没有的新问题"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="并行进程数（默认：CPU 核数，最多 4）"),
    no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条"),
    no_source: bool = typer.Option(False, "--no-source", help="文本输出中不显示原文摘录"),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="彩色输出（默认：终端上彩色）"),
):
    """检查报告，按位置列出问题。"""
    overrides = build_overrides(select, ignore, extend_select, profile, fail_on, corpus,
                                str(baseline) if baseline else None)
    if output is not None:
        guard_output(output, paths)
    results = run_check(paths, overrides, stdin_filename, jobs or configured_jobs(paths), not no_progress,
                        config, skip=[output] if output is not None else [])
    # DUP002 records corpus problems (unreachable Redis, corrupt/wrong-version index, empty
    # corpus) instead of raising: they are usage errors, exit 2 with the one-line message.
    corpus_errors = [r.extra.pop("_corpus_error") for r in results if r.extra.get("_corpus_error")]
    if corpus_errors:
        fail(corpus_errors[0])
    results = apply_post(results, overrides, paths)
    from govlint import output as out
    use_color = color if color is not None else (output is None and sys.stdout.isatty()
                                                 and not os.environ.get("NO_COLOR"))
    text = out.render(format.value, results, color=use_color, show_source=not no_source)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: 无法写入（系统错误 {exc.errno}）")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    raise typer.Exit(exit_code(results, overrides, fail_on))


def apply_post(results, overrides: dict, paths: Optional[List[str]] = None):
    """Hooks that act on a whole run (baselines); each optional module filters results."""
    if not overrides.get("baseline") and paths:
        from govlint import config as cfgmod
        from govlint.config import ConfigError
        try:   # ``baseline = "..."`` in the configuration found for the first path
            configured = cfgmod.for_path(paths[0] if paths != ["-"] else str(Path.cwd() / "x")).baseline
        except ConfigError:
            configured = None
        if configured:
            overrides = {**overrides, "baseline": configured}
    if overrides.get("baseline"):
        try:
            from govlint.baseline import filter_results
        except ModuleNotFoundError:
            fail("此版本不支持 --baseline")
        try:
            return filter_results(results, overrides["baseline"])
        except ValueError as exc:
            fail(str(exc))
    return results


def exit_code(results, overrides: dict, fail_on) -> int:
    from govlint.finding import Severity
    if any(r.error for r in results):
        for r in results:
            if r.error:
                typer.echo(f"govlint: 错误：{r.path}: {r.error}", err=True)
        return 2
    if fail_on is not None and (fail_on.value if isinstance(fail_on, Enum) else fail_on) == "never":
        return 0
    from govlint import config as cfgmod
    threshold = overrides.get("fail_on")
    for r in results:
        t = threshold or (cfgmod.for_path(r.path).fail_on if r.path != "<stdin>" else Severity.WARNING)
        if t is not None and any(f.severity >= t for f in r.findings):
            return 1
    return 0


@app.command("rules")
def rules_cmd(format: Format = typer.Option(Format.text, "--format", "-f", help="text 或 json")):
    """列出全部规则：代码、名称、默认级别、说明。"""
    from govlint import registry
    rules = registry.all_rules()
    if format == Format.json:
        import json
        typer.echo(json.dumps([{"code": s.code, "name": s.name, "severity": s.severity.label,
                                "summary": s.summary, "family": s.family,
                                "enabled_by_default": s.enabled_by_default} for s in rules.values()],
                              ensure_ascii=False, indent=2))
        return
    for s in rules.values():
        flag = "" if s.enabled_by_default else "  (默认关闭)"
        typer.echo(f"{s.code:<10} {s.name:<32} {s.severity.label:<8} {s.summary}{flag}")


@app.command()
def explain(code: str = typer.Argument(..., help="规则代码，例如 STRUCT001")):
    """显示一条规则的说明、选项和正反示例。"""
    from govlint.docs import rule_markdown
    from govlint import registry
    spec = registry.get(code)
    if spec is None:
        fail(f"未知的规则代码 {code!r}（用 govlint rules 查看全部规则）")
    typer.echo(rule_markdown(spec))


def version_callback(value: bool):
    if value:
        typer.echo(f"govlint {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="显示版本")):
    """govlint：政府报告（绩效自评报告等）质量检查工具。"""


def _register_extensions():
    for mod in CLI_MODULES:
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        m.register(app)


_register_extensions()


def _fast_check(argv: List[str]):
    """``govlint check`` without click/typer parsing (which imports pydantic: ~50 ms per run).

    The argparse parser is built from ``check``'s own typer parameters, so options added there
    appear here too. Returns None (let typer handle it) for --help and anything argparse rejects.
    """
    import argparse
    import inspect
    import typing

    if any(a in ("--help", "-h") for a in argv):
        return None

    class _Reject(Exception):
        pass

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise _Reject(message)

    parser = Parser(add_help=False, allow_abbrev=False, prog="govlint check")
    hints = typing.get_type_hints(check)
    convert = {}
    for name, param in inspect.signature(check).parameters.items():
        info = param.default
        ann = hints.get(name)
        args = typing.get_args(ann)
        base = next((a for a in args if a is not type(None)), ann) if args else ann
        if isinstance(info, typer.models.ArgumentInfo):
            parser.add_argument(name, nargs="+")
            continue
        decls = [d for d in info.param_decls]
        if len(decls) == 1 and "/" in decls[0]:
            on, off = decls[0].split("/")
            parser.add_argument(on, dest=name, action="store_const", const=True, default=info.default)
            parser.add_argument(off, dest=name, action="store_const", const=False)
        elif base is bool:
            parser.add_argument(*decls, dest=name, action="store_true", default=bool(info.default))
        elif typing.get_origin(base) in (list, List):
            parser.add_argument(*decls, dest=name, action="append", default=None)
        else:
            kw = {}
            if isinstance(base, type) and issubclass(base, Enum):
                kw["choices"] = [m.value for m in base]
                convert[name] = base
            elif base in (int, Path):
                convert[name] = base
            parser.add_argument(*decls, dest=name, default=info.default, **kw)
    try:
        ns = vars(parser.parse_args(argv))
    except _Reject:
        return None
    for name, typ in convert.items():
        if ns.get(name) is not None and not isinstance(ns[name], typ):
            try:
                ns[name] = typ(ns[name])
            except ValueError:
                return None
    try:
        check(**ns)
    except typer.Exit as exc:
        return exc.exit_code
    return 0


def main():
    if sys.argv[1:2] == ["check"]:
        try:
            code = _fast_check(sys.argv[2:])
        except KeyboardInterrupt:  # pragma: no cover
            typer.echo("govlint: 已中断", err=True)
            sys.exit(130)
        except Exception as exc:
            if os.environ.get("GOVLINT_DEBUG"):
                raise
            typer.echo(f"govlint: 内部错误：{type(exc).__name__}: {exc}（设置 GOVLINT_DEBUG=1 查看详细信息）", err=True)
            sys.exit(2)
        if code is not None:
            sys.exit(code)
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        typer.echo("govlint: 已中断", err=True)
        sys.exit(130)
    except Exception as exc:  # an internal error: one line, the traceback on request
        if os.environ.get("GOVLINT_DEBUG"):
            raise
        typer.echo(f"govlint: 内部错误：{type(exc).__name__}: {exc}（设置 GOVLINT_DEBUG=1 查看详细信息）", err=True)
        sys.exit(2)
