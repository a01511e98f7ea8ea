"""``govlint check`` without typer: options, parsing and the run itself.

The console script (``govlint.entry``) comes here first: a plain ``govlint check`` is parsed with
argparse from ``CHECK_OPTIONS`` and never imports typer or click (~45 ms per run, measured);
``--help``, anything argparse rejects and every other command go to the typer app in
``govlint.cli``, whose ``check`` command is generated from the same table.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

from govlint._record import Tuple


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


class Opt(Tuple):
    """One option of ``govlint check``: the single definition typer and argparse are built from."""

    name: str
    decls: tuple
    type: object              # str, int, Path, bool, an Enum, or list (repeatable str)
    default: object
    help: str


PATHS_HELP = "报告文件或目录（.txt .md .docx .doc .wps .pdf .ofd .xlsx）；- 表示标准输入"
CHECK_OPTIONS = (
    Opt("format", ("--format", "-f"), Format, Format.text, "输出格式"),
    Opt("output", ("--output", "-o"), Path, None, "写入文件而不是标准输出"),
    Opt("select", ("--select",), list, None, "只检查这些规则（代码或前缀，逗号分隔）"),
    Opt("ignore", ("--ignore",), list, None, "不检查这些规则"),
    Opt("extend_select", ("--extend-select",), list, None, "在配置之外再启用这些规则"),
    Opt("fail_on", ("--fail-on",), Level, None, "达到该级别的问题时退出码为 1（默认 warning；never 表示不因问题失败）"),
    Opt("profile", ("--profile",), Profile, None, "报告类型：auto（按标题识别）、self-eval、generic"),
    Opt("stdin_filename", ("--stdin-filename",), str, None, "从标准输入读取时使用的文件名"),
    Opt("config", ("--config",), str, None, "使用此配置文件（不再向上查找）"),
    Opt("corpus", ("--corpus",), str, None, "对照语料：索引文件、redis:// 或 redis+cluster:// URL、报告目录"),
    Opt("baseline", ("--baseline",), Path, None, "只报告基线文件中没有的新问题"),
    Opt("jobs", ("--jobs", "-j"), int, None, "并行进程数（默认：CPU 核数，最多 4）"),
    Opt("no_progress", ("--no-progress",), bool, False, "不显示进度条"),
    Opt("no_source", ("--no-source",), bool, False, "文本输出中不显示原文摘录"),
    Opt("statistics", ("--statistics",), bool, False, "只输出各规则、各文件的问题数统计（文本格式）"),
    Opt("force_exclude", ("--force-exclude",), bool, False, "命令行直接给出的文件也按 exclude 配置排除（用于 pre-commit）"),
    Opt("color", ("--color/--no-color",), bool, None, "彩色输出（默认：终端上彩色）"),
)


def parse_check_args(argv: List[str]) -> Optional[dict]:
    """Keyword arguments for ``check_command``, or None to let typer handle the command line."""
    import argparse

    if any(a in ("--help", "-h") for a in argv):
        return None

    class Reject(Exception):
        pass

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise Reject(message)

    parser = Parser(add_help=False, allow_abbrev=False, prog="govlint check")
    parser.add_argument("paths", nargs="+")
    for o in CHECK_OPTIONS:
        if "/" in o.decls[0]:
            on, off = o.decls[0].split("/")
            parser.add_argument(on, dest=o.name, action="store_const", const=True, default=o.default)
            parser.add_argument(off, dest=o.name, action="store_const", const=False)
        elif o.type is bool:
            parser.add_argument(*o.decls, dest=o.name, action="store_true", default=o.default)
        elif o.type is list:
            parser.add_argument(*o.decls, dest=o.name, action="append", default=None)
        elif isinstance(o.type, type) and issubclass(o.type, Enum):
            parser.add_argument(*o.decls, dest=o.name, default=o.default, choices=[m.value for m in o.type])
        else:
            parser.add_argument(*o.decls, dest=o.name, default=o.default)
    try:
        ns = vars(parser.parse_args(argv))
    except Reject:
        return None
    for o in CHECK_OPTIONS:
        value = ns.get(o.name)
        if value is None or o.type in (bool, list, str):
            continue
        try:
            ns[o.name] = o.type(value)
        except ValueError:
            return None   # typer words the error
    return ns


def fail(message: str, code: int = 2):
    """One Chinese line on stderr and the exit code (2: usage, configuration or input error)."""
    sys.stderr.write(f"govlint: 错误：{message}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _codes(values: Optional[List[str]]) -> Optional[tuple]:
    if not values:
        return None
    from govlint import registry
    try:
        out = registry.parse_codes(values)
    except registry.UnknownCode as exc:
        fail(f"未知的规则代码或前缀 {exc.code!r}（用 govlint rules 查看全部规则）")
    if not out:
        fail("规则列表为空（例如 --select STRUCT,STYLE001）")
    return out


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


def settings_for(overrides: dict, config: Optional[str] = None):
    """The run's one ``config.Settings`` (command-line overrides + ``--config``); errors exit 2."""
    from govlint.config import ConfigError, Settings
    try:
        return Settings.make(overrides, config)
    except ConfigError as exc:
        fail(str(exc))


def run_check(paths: List[str], overrides, stdin_filename: Optional[str], jobs: int,
              progress: bool, isolated_config: Optional[str] = None, skip: Optional[List[Path]] = None,
              skipped: Optional[list] = None):
    """Lint paths (or stdin) and return the results; configuration and corpus errors exit 2.

    ``overrides`` is a ``config.Settings`` or a dict of command-line overrides (then
    ``isolated_config`` is the ``--config`` file).
    """
    from govlint.config import ConfigError, Settings
    settings = overrides if isinstance(overrides, Settings) else settings_for(overrides, isolated_config)
    try:
        return _run(paths, settings, stdin_filename, jobs, progress, skip, skipped)
    except ConfigError as exc:
        fail(str(exc))
    except Exception as exc:
        from govlint.corpus import CorpusError
        # DUP002's corpus (unreachable Redis, corrupt or wrong-version index, empty corpus)
        if isinstance(exc, CorpusError):
            fail(str(exc))
        raise


def _run(paths, settings, stdin_filename, jobs, progress, skip, skipped=None):
    from govlint import runner
    from govlint.readers import InputError, max_file_bytes, read_stream

    if paths == ["-"]:
        name = stdin_filename or "<stdin>"
        try:
            cfg = settings.for_path(str(Path(name).resolve()))
        except (OSError, RuntimeError, ValueError):   # the name is only a label: a name too long
            cfg = settings.for_path(str(Path.cwd() / "x"))
        try:
            stdin = sys.stdin.buffer if sys.stdin is not None else None
            if stdin is None:
                raise InputError("没有标准输入")
            doc = read_stream(stdin, name, max_file_bytes(cfg.max_file_size), cfg.max_text_chars)
        except InputError as exc:
            return [runner.FileResult(name, error=str(exc))]
        result = runner.lint_document_result(doc, cfg)
        from govlint.cache import release_collector
        release_collector()
        return [result]
    # validate configuration up front so a bad file is a usage error, not a per-file one
    for p in paths:
        try:
            settings.file_config(p)
        except (OSError, RuntimeError, ValueError):
            pass     # an unreadable path: its own error result (the folder walk reports it)
    files, errors = runner.collect(list(dict.fromkeys(paths)), tuple(settings.get("exclude") or ()), settings,
                                   skipped)
    # the same file named twice (a.txt and ./a.txt, a directory and a file in it) is checked once;
    # a file govlint writes in this run (-o inside a checked directory) is not a report
    skip_set = {p.resolve() for p in (skip or [])}
    seen: set = set()
    unique = []
    for f in files:
        try:
            key = Path(f).resolve()
        except (OSError, RuntimeError, ValueError):   # a link loop: read_path reports it
            key = Path(f).absolute()
        if key in seen or key in skip_set:
            continue
        seen.add(key)
        unique.append(f)
    files = unique
    prog, advance = _progress_bar(len(files), progress)
    if prog is not None:
        with prog:
            results = runner.check_files(files, settings, jobs, advance)
    else:
        results = runner.check_files(files, settings, jobs)
    return errors + results


def default_jobs() -> int:
    """All cores, at most 4: each worker holds its own segmenter (~150 MB with jieba)."""
    return max(1, min(4, os.cpu_count() or 1))


def configured_jobs(paths: List[str], settings=None) -> int:
    """``jobs`` from the configuration found for the first path, else all cores."""
    from govlint.config import ConfigError, Settings
    settings = settings or Settings()
    try:
        jobs = settings.file_config(paths[0]).jobs if paths and paths != ["-"] else None
    except ConfigError:
        jobs = None          # reported when the configuration is validated
    return jobs or default_jobs()


def guard_output(output: Path, paths: List[str]) -> None:
    """An output file is a new path or one govlint wrote before: never an input, never a user's file."""
    from govlint.guard import check_writable
    target = output.resolve()
    for p in paths:
        if p == "-":
            continue
        src = Path(p).resolve()
        if target == src:
            fail(f"{output}: 输出文件不能是被检查的文件本身")
    reason = check_writable(output)
    if reason:
        fail(f"{output}: {reason}")


def apply_post(results, overrides, paths: Optional[List[str]] = None):
    """Hooks that act on a whole run (baselines) filter the results."""
    from govlint.config import ConfigError, Settings
    settings = Settings.make(overrides)
    baseline = settings.get("baseline")
    if not baseline and paths:
        try:   # ``baseline = "..."`` in the configuration found for the first path
            baseline = settings.file_config(paths[0] if paths != ["-"] else str(Path.cwd() / "x")).baseline
        except ConfigError:
            baseline = None
    if baseline:
        from govlint.baseline import filter_results
        try:
            return filter_results(results, baseline)
        except ValueError as exc:
            fail(str(exc))
    return results


def exit_code(results, overrides, fail_on) -> int:
    from govlint.config import Settings
    from govlint.finding import Severity
    if any(r.error for r in results):
        for r in results:
            if r.error:
                sys.stderr.write(f"govlint: 错误：{r.path}: {r.error}\n")
        return 2
    if fail_on is not None and (fail_on.value if isinstance(fail_on, Enum) else fail_on) == "never":
        return 0
    settings = Settings.make(overrides)
    threshold = settings.get("fail_on")
    for r in results:
        t = threshold or (settings.file_config(r.path).fail_on if r.path != "<stdin>" else Severity.WARNING)
        if t is not None and any(f.severity >= t for f in r.findings):
            return 1
    return 0


def check_command(paths: List[str], format=Format.text, output: Optional[Path] = None, select=None,
                  ignore=None, extend_select=None, fail_on=None, profile=None, stdin_filename=None,
                  config=None, corpus=None, baseline: Optional[Path] = None, jobs: Optional[int] = None,
                  no_progress: bool = False, no_source: bool = False, statistics: bool = False,
                  force_exclude: bool = False, color: Optional[bool] = None) -> int:
    """Run ``govlint check``; returns the exit code (usage errors raise SystemExit(2))."""
    overrides = build_overrides(select, ignore, extend_select, profile, fail_on, corpus,
                                str(baseline) if baseline else None)
    if force_exclude:
        overrides["force_exclude"] = True
    if output is not None:
        guard_output(output, paths)
    settings = settings_for(overrides, config)     # resolved once, passed down
    passed_over: list = []
    results = run_check(paths, settings, stdin_filename, jobs or configured_jobs(paths, settings),
                        not no_progress, skip=[output] if output is not None else [], skipped=passed_over)
    results = apply_post(results, settings, paths)
    from govlint import output as out
    use_color = color if color is not None else (output is None and sys.stdout.isatty()
                                                 and not os.environ.get("NO_COLOR"))
    from govlint.console import ambiguous_wide, terminal_width
    on_terminal = output is None and terminal_width() > 0
    text = out.render(Format(format).value, results, color=use_color, show_source=not no_source,
                      statistics=statistics, width=terminal_width() if on_terminal else 0,
                      wide_ambiguous=on_terminal and ambiguous_wide(), signed=output is not None,
                      skipped=len(passed_over))
    if output is not None:
        from govlint.guard import write_output
        reason = write_output(output, text.encode("utf-8"))
        if reason:
            fail(f"{output}: {reason}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return exit_code(results, settings, fail_on)


