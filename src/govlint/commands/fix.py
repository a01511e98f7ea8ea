"""``govlint fix``: apply the fixes findings carry.

- ``.txt`` / ``.md``: the fixed text goes to ``NAME.fixed.EXT`` beside the input, or over the
  input with ``--write`` (a temporary file renamed into place, refused when the file changed
  since it was read); the encoding, byte-order mark and line endings are kept.
- ``.docx``: a new document ``NAME.fixed.docx`` in which every fix is a Word tracked change
  (``--author``); the input is never written.
- ``--diff`` prints a unified diff of the text and writes nothing.

Safe fixes only, unless ``--unsafe``. After fixing, the result is checked again and what
remains is counted. Exit codes: 0 when every file was handled, 2 for usage and input errors.
"""


import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

import typer

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
FIXED = ".fixed"


class FixError(Exception):
    """A file that cannot be fixed (one Chinese line)."""


def fixed_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{FIXED}{path.suffix}")


def encoding_of(data: bytes) -> tuple[str, bytes]:
    """(codec, byte-order mark) the text reader used for ``data``, to write the fixed text back alike."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", b"\xef\xbb\xbf"
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le", b"\xff\xfe"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be", b"\xfe\xff"
    try:
        data.decode("utf-8")
        return "utf-8", b""
    except UnicodeDecodeError:
        return "gb18030", b""


def write_atomic(path: Path, data: bytes, original: bytes) -> None:
    """Replace ``path`` with ``data`` unless its bytes are no longer ``original``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".govlint-fix", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        if path.read_bytes() != original:
            raise FixError("文件在读取后已被修改，未写入（请重新运行 govlint fix）")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_new(target: Path, data: bytes) -> str:
    """Write a new output file; an existing one is replaced only when it already holds ``data``."""
    if target.exists():
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if same:
            return "（已是最新）"
        raise FixError(f"{target} 已存在，不会覆盖（请先删除，或用 --write 直接修改原文件）")
    try:
        with open(target, "xb") as fh:
            fh.write(data)
    except OSError as exc:
        raise FixError(f"{target}: 无法写入（系统错误 {exc.errno}）") from None
    return ""


def fix_one(path: str, cfg, *, unsafe: bool, write: bool, show_diff: bool, author: str) -> str:
    """Fix one file; returns the line to report. Raises FixError or InputError."""
    from govlint import engine, fixing
    from govlint.document import Document
    from govlint.readers import read_path

    p = Path(path)
    suffix = p.suffix.lower()
    doc = read_path(p)
    if suffix in TEXT_SUFFIXES:
        original = p.read_bytes()

        def lint_text(text):
            return engine.lint(Document(doc.path, text, doc.kind), cfg)

        first = lint_text(doc.text)
        text, applied, remaining = fixing.fix_text(doc, lint_text, unsafe)
        stale = fixing.stale_references(doc.text, first) if unsafe else []
        for line, excerpt in stale:
            sys.stderr.write(f"{path}:{line}: 注意：此处引用的标题已重新编号，请核对引用：{excerpt}\n")
        if show_diff:
            sys.stdout.write(fixing.diff(path, doc.text, text))
            return ""
        codec, bom = encoding_of(original)
        try:
            data = bom + text.encode(codec)
        except UnicodeEncodeError:
            data = b"\xef\xbb\xbf" + text.encode("utf-8")
        if not applied:
            return f"{path}：没有可自动修复的问题{_left(remaining)}"
        if write:
            write_atomic(p, data, original)
            return f"{path}：已修复 {applied} 处{_left(remaining)}"
        target = fixed_path(p)
        note = _write_new(target, data)
        return f"{path} → {target}：已修复 {applied} 处{note}{_left(remaining)}"
    if suffix == ".docx":
        if write:
            raise FixError("Word 文档不会被直接修改：修复写入新文件 NAME.fixed.docx，以修订（跟踪更改）形式呈现")
        from govlint.output.tracked_changes import accepted_text, tracked_bytes
        findings = engine.lint(doc, cfg)
        taken, _ = fixing.choose(findings, unsafe)
        edits = fixing.edits_of(taken)
        if show_diff:
            sys.stdout.write(fixing.diff(path, doc.text, fixing.apply(doc.text, edits)))
            return ""
        if not edits:
            return f"{path}：没有可自动修复的问题{_left(findings)}"
        date = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        data, applied, skipped = tracked_bytes(doc, str(p), edits, author=author, date=date)
        target = fixed_path(p)
        note = _write_new(target, data)
        remaining = engine.lint(Document(doc.path, accepted_text(data), "docx"), cfg)
        extra = f"（{len(skipped)} 处跨段落或无法定位，未修改）" if skipped else ""
        return f"{path} → {target}：写入 {applied} 处修订{extra}{note}{_left(remaining)}"
    raise FixError(f"不支持修复 {suffix} 文件（可修复 .txt .md .docx；PDF、Excel 请修改原始文档）")


def _left(findings) -> str:
    return f"，剩余 {len(findings)} 个问题（用 govlint check 查看）" if findings else "，未发现其他问题"


def register(app: typer.Typer) -> None:
    from govlint import cli

    @app.command("fix")
    def fix(
        paths: List[str] = typer.Argument(..., help="报告文件或目录（.txt .md .docx）"),
        unsafe: bool = typer.Option(False, "--unsafe", help="同时应用可能改变措辞或编号的修复（如重排标题序号）"),
        write: bool = typer.Option(False, "--write", help="直接改写 .txt/.md 原文件（默认写入 NAME.fixed.EXT）"),
        show_diff: bool = typer.Option(False, "--diff", help="只显示修改前后的差异（unified diff），不写任何文件"),
        author: str = typer.Option("govlint", "--author", help="Word 修订的作者名"),
        select: Optional[List[str]] = cli.check_option("select"),
        ignore: Optional[List[str]] = cli.check_option("ignore"),
        extend_select: Optional[List[str]] = cli.check_option("extend_select"),
        profile: cli.Profile = cli.check_option("profile"),
        config: Optional[str] = cli.check_option("config"),
        force_exclude: bool = cli.check_option("force_exclude"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不逐个报告修复结果"),
    ):
        """自动修复可安全修复的问题：.txt/.md 写入新文件（或 --write 原地改写），.docx 以 Word 修订形式写入新文件。"""
        from govlint.config import ConfigError
        from govlint.readers import InputError
        from govlint.walk import find_reports
        if "-" in paths:
            cli.fail("fix 不支持从标准输入读取，请给出报告文件")
        if write and show_diff:
            cli.fail("--write 与 --diff 不能同时使用")
        overrides = cli.build_overrides(select, ignore, extend_select, profile, None, None)
        if force_exclude:
            overrides["force_exclude"] = True
        settings = cli.settings_for(overrides, config)
        files, errors = find_reports(list(dict.fromkeys(paths)), settings=settings)
        bad = [f"{path}: {error}" for path, error in errors]
        skipped = 0
        named = {str(Path(x)) for x in paths}
        for f in files:
            p = Path(f)
            in_folder = str(p) not in named
            # in a folder, only what can be fixed, and not the copies an earlier run wrote
            if in_folder and (p.suffix.lower() not in TEXT_SUFFIXES + (".docx",) or p.stem.endswith(FIXED)):
                skipped += 1
                continue
            try:
                cfg = settings.for_path(f)
                line = fix_one(f, cfg, unsafe=unsafe, write=write, show_diff=show_diff, author=author)
            except (FixError, InputError, ConfigError) as exc:
                bad.append(f"{f}: {exc}")
                continue
            if line and not quiet:
                typer.echo(line, err=True)
        if skipped and not quiet:
            typer.echo(f"跳过 {skipped} 个不能自动修复的文件（PDF、Excel 或此前生成的 .fixed 副本）", err=True)
        for line in bad:
            typer.echo(f"govlint: 错误：{line}", err=True)
        raise typer.Exit(2 if bad else 0)
