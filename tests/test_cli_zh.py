"""The command line's own texts are Chinese: help layout, metavars and usage errors.

typer's vendored click writes English literals (``Usage:``, ``Show this message and exit.``,
``Error: No such option``, ``<list[str]>``); govlint.commands.cli_zh rewords them.
"""

from __future__ import annotations

import re

import pytest

from helpers import run_cli

ENGLISH = ["Usage:", "Show this message", "Options:", "Arguments:", "Commands:", "[OPTIONS]", "COMMAND [ARGS]",
           "[required]", "default:", "Error:", "Try '", "No such", "Missing", "Invalid value", "Value error",
           "is not one of", "Got unexpected", "Did you mean", "Possible options", "Input should be",
           "x>=", "x<=", "<=x"]
PY_TYPES = re.compile(r"<(?:list\[|str>|int>|float>|path>|Path>|bool>)|\bTEXT\b|\bINTEGER\b|\bFLOAT\b")


def _all_command_paths():
    import typer
    from govlint.cli import app
    root = typer.main.get_command(app)
    out = [[]]

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            out.append([*path, name])
            walk(sub, [*path, name])
    walk(root, [])
    return out


def test_every_help_page_is_chinese_and_shows_no_python_types():
    from typer.testing import CliRunner
    from govlint.cli import app
    paths = _all_command_paths()
    assert ["check"] in paths and ["rules"] in paths and len(paths) > 8
    runner = CliRunner()
    for path in paths:
        res = runner.invoke(app, [*path, "--help"])
        text = res.output
        assert res.exit_code == 0, (path, text)
        assert text.startswith("用法：") and "显示本帮助并退出" in text, (path, text)
        assert "选项：" in text, (path, text)
        for word in ENGLISH:
            assert word not in text, f"govlint {' '.join(path)} --help shows {word!r}"
        assert not PY_TYPES.search(text), f"govlint {' '.join(path)} --help shows {PY_TYPES.search(text).group()}"


def test_help_from_the_console_script():
    p = run_cli("--help")
    assert p.returncode == 0 and p.stdout_text.startswith("用法：") and "命令：" in p.stdout_text
    p = run_cli("check", "--help")
    assert p.returncode == 0 and "参数：" in p.stdout_text and "路径..." in p.stdout_text
    assert "--select <代码>" in p.stdout_text and "--jobs <数量>" in p.stdout_text
    assert "<text|json|sarif|github>" in p.stdout_text     # choices are shown as the values to type
    assert "[必填]" in p.stdout_text and "[默认：text]" in p.stdout_text
    # Chinese metavars do not break the help columns: on every option line that carries its help,
    # the help starts in the same display column (CJK characters are two cells wide)
    from govlint.commands.cli_zh import cells
    columns = set()
    for line in p.stdout_text.splitlines():
        m = re.match(r"^(  -\S.*?\S)(\s{2,})(\S.*)$", line)
        if m:
            columns.add(cells(m.group(1) + m.group(2)))
    assert len(columns) == 1, columns

@pytest.mark.parametrize("args, expect", [
    (["check", "--fromat", "json", "x.txt"], "没有这个选项：--fromat（是否要用 --format？）"),
    (["rules", "--bogus"], "没有这个选项：--bogus"),
    (["check", "-f", "jsno", "x.txt"], "--format/-f 的取值无效：'jsno' 不是可选的值（可选：text、json、sarif、github）"),
    (["rules", "--format", "jsno"], "的取值无效：'jsno' 不是可选的值"),
    (["explain"], "缺少参数：代码"),
    (["check"], "缺少参数：路径"),
    (["chek", "x.txt"], "没有这个命令：chek（是否要用 check？）"),
    (["explain", "STYLE001", "extra"], "多余的参数：extra"),
    (["check", "-j", "abc", "x.txt"], "--jobs/-j 的取值无效：应为整数"),
    (["web", "--max-files", "0"], "--max-files 的取值无效：应不小于 1"),
])
def test_usage_errors_are_one_chinese_line(args, expect):
    p = run_cli(*args)
    assert p.returncode == 2, (args, p.stderr_text)
    lines = p.stderr_text.strip().splitlines()
    assert len(lines) == 1, f"{args}: {p.stderr_text}"
    line = lines[0]
    assert line.startswith("govlint: 错误：") and expect in line, line
    assert "--help 查看用法" in line
    for word in ENGLISH:
        assert word not in line, f"{args}: {word!r} in {line}"
    assert p.stdout_text == ""


def test_translate_keeps_unknown_text_visible():
    from govlint.commands.cli_zh import translate
    assert translate("'x' is not one of 'a', 'b'.") == "'x' 不是可选的值（可选：a、b）"
    assert translate("something unforeseen happened") == "参数错误（something unforeseen happened）"
    assert translate("已经是中文") == "已经是中文"
