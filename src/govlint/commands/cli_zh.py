"""Chinese for the command-line framework's own words: help layout, metavars and usage errors.

typer ships its own copy of click (``typer._click``) whose texts are English literals, not
gettext calls, so they cannot be translated through a message catalogue. ``install()``
(called once by ``govlint.cli`` on import; the fast ``govlint check`` path never gets
here) adjusts the few places that produce them:

- help: ``Usage:`` / ``Arguments`` / ``Options`` / ``Commands`` headings, ``[OPTIONS]``,
  ``COMMAND [ARGS]...``, the ``--help`` option's own help, ``[required]`` / ``default:``;
- metavars: Python types (``<list[str]>``, ``<int>``, ``<path>``) become Chinese nouns
  (``<代码>``, ``<数量>``, ``<文件>``), by parameter name and then by type;
- usage errors: one Chinese line ``govlint: 错误：…（用 govlint X --help 查看用法）`` on
  stderr, exit status 2 as before, for unknown options and commands, bad values, missing
  arguments and extra arguments.

Everything here is wording; parsing and exit codes stay the framework's.
"""

from __future__ import annotations

import re
import sys

# Parameter name -> Chinese metavar (what the user types there).
METAVARS = {
    "paths": "路径", "code": "代码", "directory": "目录", "data_dir": "目录",
    "select": "代码", "ignore": "代码", "extend_select": "代码", "fixable": "代码", "unfixable": "代码",
    "output": "文件", "annotate": "文件", "baseline": "文件", "config": "文件", "index": "文件",
    "corpus": "语料", "author": "姓名", "host": "地址", "port": "端口", "token": "令牌",
    "jobs": "数量", "max_files": "数量", "tolerance": "数量", "max_upload_mb": "兆字节",
    "retention": "天数", "min_precision": "比例", "min_recall": "比例", "stdin_filename": "文件名",
    "format": "格式",
}
# Python type label -> Chinese metavar, when the name is not in METAVARS.
TYPE_METAVARS = {"str": "文本", "int": "整数", "float": "数值", "path": "路径", "Path": "路径",
                 "datetime": "日期", "bool": "是/否"}

WORDS = {   # typer.core's gettext-wrapped strings
    "Arguments": "参数", "Options": "选项", "Commands": "命令", "required": "必填",
    "default: {default}": "默认：{default}", "env var: {var}": "环境变量：{var}", "(dynamic)": "（动态）",
    "Aborted!": "已中止。", "Missing command.": "缺少命令。",
}
USAGE_PIECES = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
HELP_OPTION_HELP = "显示本帮助并退出"

# Framework messages (UsageError.message and choice errors) -> Chinese.
MESSAGES = [
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", re.S), r"多余的参数：\1"),
    (re.compile(r"^No such command '(.*?)'\.?(?:\s*Did you mean (.*)\?)?$", re.S), None),
    (re.compile(r"^Missing command\.?$"), "缺少命令"),
    (re.compile(r"^Option '(.*?)' does not take a value\.?$"), r"选项 \1 不接受取值"),
    (re.compile(r"^Option '(.*?)' requires (?:an argument|\d+ arguments)\.?$"), r"选项 \1 需要一个取值"),
    (re.compile(r"^(?:Value error, )?(.*?) is not one of (.*?)\.?$", re.S), None),
    (re.compile(r"^(?:Value error, )?(.*?) is not a valid (integer|float|number|int)\.?$"),
     r"\1 不是有效的数字"),
    (re.compile(r"^Input should be greater than or equal to (\S+?)\.?$"), r"应不小于 \1"),
    (re.compile(r"^Input should be less than or equal to (\S+?)\.?$"), r"应不大于 \1"),
    (re.compile(r"^Input should be greater than (\S+?)\.?$"), r"应大于 \1"),
    (re.compile(r"^Input should be less than (\S+?)\.?$"), r"应小于 \1"),
    (re.compile(r"^Input should be a valid integer\b.*$", re.S), "应为整数"),
    (re.compile(r"^Input should be a valid (?:number|float)\b.*$", re.S), "应为数字"),
    (re.compile(r"^(?:Value error, )?(.*?) is not in the range (.*?)\.?$"), r"\1 不在允许的范围 \2 内"),
]


def _choices(text: str) -> str:
    return "、".join(c.strip().strip("'\"") for c in text.split(","))


def translate(message: str) -> str:
    """A framework message in Chinese; unknown messages are returned as they are."""
    message = message.strip()
    for pattern, repl in MESSAGES:
        m = pattern.match(message)
        if not m:
            continue
        if repl is not None:
            return m.expand(repl)
        if pattern.pattern.startswith("^No such command"):
            out = f"没有这个命令：{m.group(1)}"
            return out + (f"（是否要用 {_choices(m.group(2))}？）" if m.group(2) else "")
        return f"{m.group(1)} 不是可选的值（可选：{_choices(m.group(2))}）"
    if re.search(r"[a-zA-Z]{4,}", message) and not re.search(r"[\u4e00-\u9fff]", message):
        # some other framework or pydantic text: keep it, under a Chinese head
        return f"参数错误（{message}）"
    return message


def _metavar(param, label: str) -> str:
    inner = re.sub(r"^list\[(.*)\]$", r"\1", label)
    if "|" in inner:             # choices: the values themselves are what one types
        return f"<{inner}>"
    name = METAVARS.get(param.name or "")
    if name is None:
        name = TYPE_METAVARS.get(inner.split()[0] if inner else inner, "值")
    return f"<{name}>"


def cells(s: str) -> int:
    """Display width in terminal cells (CJK characters are two cells), ANSI escapes ignored."""
    import unicodedata
    s = re.sub(r"\x1b\[[0-9;]*m", "", s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def describe_range(min, max) -> str | None:
    """A parameter's allowed range in help: 取值 ≥1, 取值 ≤5, 取值 1–5."""
    if min is None and max is None:
        return None
    if min is None:
        return f"取值 ≤{max}"
    if max is None:
        return f"取值 ≥{min}"
    return f"取值 {min}–{max}"


def _hint(param) -> str:
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return METAVARS.get(param.name or "", param.name or "")
    return "/".join(param.opts) or (param.name or "")


def _format_error(exc) -> str:
    from typer._click import exceptions as ex
    param = getattr(exc, "param", None)
    if isinstance(exc, ex.NoSuchOption):
        msg = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            msg += f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）"
        return msg
    if isinstance(exc, ex.MissingParameter):
        kind = {"argument": "参数", "option": "选项"}.get(exc.param_type or getattr(param, "param_type_name", ""), "参数")
        msg = f"缺少{kind}：{_hint(param)}" if param is not None else f"缺少{kind}"
        desc = getattr(param, "type_descriptor", None)
        if desc is not None and desc.is_choice and desc.choices:
            msg += f"（可选：{'、'.join(str(getattr(c, 'value', c)) for c in desc.choices)}）"
        return msg
    if isinstance(exc, ex.BadParameter):
        hint = _hint(param) if param is not None else ""
        if exc.param_hint is not None and not hint:
            hint = exc.param_hint if isinstance(exc.param_hint, str) else "/".join(exc.param_hint)
        body = translate(exc.message)
        return f"{hint} 的取值无效：{body}" if hint else f"取值无效：{body}"
    if isinstance(exc, ex.FileError):
        return f"无法打开文件 {exc.ui_filename}：{exc.message}"
    return translate(exc.format_message() if not isinstance(exc, ex.UsageError) else exc.message)


def _show_usage_error(self, file=None) -> None:
    """One Chinese line on stderr, with where to find the usage."""
    where = ""
    if self.ctx is not None:
        where = f"（用 {self.ctx.command_path} --help 查看用法）"
    (file or sys.stderr).write(f"govlint: 错误：{_format_error(self)}{where}\n")


def _show_click_exception(self, file=None) -> None:
    (file or sys.stderr).write(f"govlint: 错误：{_format_error(self)}\n")


def install() -> None:
    """Translate typer's (vendored click's) help and error texts. Idempotent."""
    import typer.core as tcore
    from typer._click import core as ccore
    from typer._click import exceptions as ex
    from typer._click import formatting

    if getattr(tcore, "_govlint_zh", False):
        return
    tcore._govlint_zh = True

    tcore._ = lambda s: WORDS.get(s, s)
    tcore.describe_number_range = describe_range

    formatting.term_len = cells      # column alignment with Chinese metavars and help
    formatting.HelpFormatter.write_heading = lambda self, heading: self.write(
        f"{'':>{self.current_indent}}{heading}：\n")

    write_usage = formatting.HelpFormatter.write_usage

    def zh_write_usage(self, prog, args="", prefix=None):
        write_usage(self, prog, args, "用法：" if prefix is None else prefix)
    formatting.HelpFormatter.write_usage = zh_write_usage

    for cls in (ccore.Command, tcore.TyperGroup):
        original = cls.collect_usage_pieces

        def pieces(self, ctx, _original=original):
            return [USAGE_PIECES.get(p, p) for p in _original(self, ctx)]
        cls.collect_usage_pieces = pieces

    get_help_option = ccore.Command.get_help_option

    def zh_help_option(self, ctx):
        opt = get_help_option(self, ctx)
        if opt is not None:
            opt.help = HELP_OPTION_HELP
        return opt
    ccore.Command.get_help_option = zh_help_option

    display_type = tcore._TyperParameter.display_type

    def zh_display_type(self, ctx):
        label = display_type(self, ctx)
        return _metavar(self, label[1:-1] if label.startswith("<") and label.endswith(">") else label)
    tcore._TyperParameter.display_type = zh_display_type

    def zh_arg_name(self):
        return METAVARS.get(self.name or "", self.name or "") if self.metavar is None else self.metavar

    def zh_rich_display_name(self):
        return zh_arg_name(self) + ("..." if self.metavar is None and self.nargs != 1 else "")

    def zh_usage_display_name(self):
        name = zh_arg_name(self)
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")
    tcore.TyperArgument._rich_display_name = zh_rich_display_name
    tcore.TyperArgument.display_type_rich = lambda self, ctx: None   # the Chinese name says it
    tcore.TyperArgument._usage_display_name = zh_usage_display_name

    ex.UsageError.show = _show_usage_error
    ex.ClickException.show = _show_click_exception
