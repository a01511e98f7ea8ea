"""The typer app: wiring only. ``check`` lives in commands/check.py, printing in output.

The console script is ``govlint.entry:main``; it hands every command line that is not a
plain ``govlint check`` to ``run_app`` here.
"""

from __future__ import annotations

import importlib
from enum import Enum
import inspect
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from govlint import __version__
from govlint.commands import cli_zh
from govlint.commands.check import (  # noqa: F401  (re-exported for subcommand modules)
    CHECK_OPTIONS, PATHS_HELP, Format, Level, Profile, apply_post, build_overrides, check_command,
    configured_jobs, default_jobs, exit_code, fail, guard_output, run_check, settings_for,
)

cli_zh.install()     # Chinese help layout, metavars and usage errors (typer's own texts are English)

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="govlint：政府报告（绩效自评报告等）质量检查工具。")

# Subcommand modules; each defines ``register(app)``.
CLI_MODULES = [
    "govlint.commands.review",
    "govlint.commands.fix",
    "govlint.commands.corpus",
    "govlint.commands.baseline",
    "govlint.commands.evaluate",
    "govlint.commands.server",
    "govlint.commands.web",
]


def _typer_check(**kw):
    """检查报告，按位置列出问题。"""
    raise typer.Exit(check_command(**kw))


def _check_signature():
    """typer's view of ``check``, generated from the one option table in ``govlint.commands.check``."""
    params = [inspect.Parameter("paths", inspect.Parameter.KEYWORD_ONLY,
                                default=typer.Argument(..., help=PATHS_HELP), annotation=List[str])]
    annotations = {"paths": List[str]}
    for o in CHECK_OPTIONS:
        ann = {list: Optional[List[str]], bool: bool if o.default is not None else Optional[bool]}.get(
            o.type, o.type if o.default is not None else Optional[o.type])
        params.append(inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY,
                                        default=typer.Option(o.default, *o.decls, help=o.help), annotation=ann))
        annotations[o.name] = ann
    _typer_check.__signature__ = inspect.Signature(params)
    _typer_check.__annotations__ = annotations


_check_signature()
app.command("check")(_typer_check)

_CHECK_OPTIONS = {o.name: o for o in CHECK_OPTIONS}


def check_option(name: str, help: str | None = None):
    """A ``check`` option for another command that runs the same check (``review``,
    ``baseline``): the flags, default and help of ``CHECK_OPTIONS``, the help reworded if given."""
    o = _CHECK_OPTIONS[name]
    return typer.Option(o.default, *o.decls, help=help or o.help)


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


@app.command("rules")
def rules_cmd(format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f", help="text、json 或 sarif")):
    """列出全部规则：代码、名称、默认级别、说明。"""
    from govlint import registry
    rules = registry.all_rules()
    if format == RulesFormat.sarif:   # the rule metadata a SARIF consumer loads, with no results
        from govlint.output.sarif import render
        typer.echo(render([]), nl=False)
        return
    if format == RulesFormat.json:
        import json
        typer.echo(json.dumps([{"code": s.code, "name": s.name, "title": s.title_zh, "severity": s.severity.label,
                                "summary": s.summary, "summary_en": s.summary_en, "family": s.family,
                                "enabled_by_default": s.enabled_by_default} for s in rules.values()],
                              ensure_ascii=False, indent=2))
        return
    from govlint.output.text import cells
    for s in rules.values():
        flag = "" if s.enabled_by_default else "（默认关闭）"
        title = s.title_zh + " " * max(0, 26 - cells(s.title_zh))
        typer.echo(f"{s.code:<10} {title} {s.name:<30} {s.severity.zh}  {s.summary}{flag}")


@app.command()
def explain(code: str = typer.Argument(..., help="规则代码，例如 STRUCT001"),
            on: Optional[Path] = typer.Option(None, "--on", help="显示该规则对这份报告的判断依据"
                                               "（例如 FUND001 的项目分类和每项资金用途的分类）"),
            config: Optional[Path] = typer.Option(None, "--config", help="配置文件（用其中的扩展词库）")):
    """显示一条规则的说明、选项和正反示例；加 --on 报告 显示该规则对这份报告的判断依据。"""
    from govlint.docs import rule_markdown
    from govlint import registry
    spec = registry.get(code)
    if spec is None:
        fail(f"未知的规则代码 {code!r}（用 govlint rules 查看全部规则）")
    if on is None:
        typer.echo(rule_markdown(spec))
        return
    explain_on = getattr(importlib.import_module(spec.func.__module__), "explain_document", None)
    if explain_on is None:
        fail(f"规则 {spec.code} 不提供对单份报告的判断说明（去掉 --on 查看规则说明）")
    from govlint import config as configmod
    from govlint.lexicon import LexiconError, load
    from govlint.readers import InputError, read_path
    try:
        cfg = (configmod.load_file(config) or configmod.Config()) if config else configmod.for_path(str(on))
        lex = load(tuple(cfg.lexicons))
        doc = read_path(str(on))
    except (InputError, LexiconError, configmod.ConfigError) as exc:
        fail(str(exc))
    typer.echo(explain_on(doc, lex))


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
        importlib.import_module(mod).register(app)


_register_extensions()


def run_app():
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
