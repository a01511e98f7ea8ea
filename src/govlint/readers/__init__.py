"""Readers turn a report file into a Document; bad input raises InputError (one Chinese line)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from govlint.document import Document


class InputError(Exception):
    """An input problem; ``str(exc)`` is the one-line message (the path is added by callers)."""


def os_error(exc: OSError) -> "InputError":
    """An OSError as a Chinese one-line InputError."""
    import errno
    text = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
            errno.EISDIR: "这是目录，不是文件", errno.ENAMETOOLONG: "文件名过长",
            errno.EIO: "读取时发生输入输出错误"}.get(exc.errno, f"无法读取文件（系统错误 {exc.errno}）")
    return InputError(text)


READERS: dict[str, Callable[[Path], Document]] = {}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # a compound file: encrypted OOXML or old .doc/.xls


def read_head(path: Path, n: int = 8) -> bytes:
    """The first bytes of a file (to tell formats apart), OSError as InputError."""
    try:
        with path.open("rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise os_error(exc) from None


def check_ooxml(path: Path, what: str, kind: str, old_suffix: str) -> None:
    """An Office Open XML package (.docx, .xlsx) must be an unencrypted ZIP file.

    ``what`` names the file in messages (文档, 工作簿), ``kind`` its type (Word 文档).
    """
    import zipfile
    if read_head(path) == OLE_MAGIC:
        raise InputError(f"{what}受密码保护，或是旧版 {old_suffix} 格式（请另存为未加密的 {path.suffix.lower()}）")
    if not zipfile.is_zipfile(path):
        raise InputError(f"文件已损坏或不是{kind}（{path.suffix.lower()} 应为 ZIP 格式）")


def reader(*suffixes: str):
    def deco(func):
        for s in suffixes:
            READERS[s] = func
        return func
    return deco


def supported_suffixes() -> tuple[str, ...]:
    _ensure()
    return tuple(sorted(READERS))


def _ensure():
    if not READERS:
        from govlint.readers import text, word, pdf  # noqa: F401
        import importlib
        try:
            importlib.import_module("govlint.readers.xlsx")
        except ModuleNotFoundError as exc:  # the workbook reader is optional in this layout
            if exc.name != "govlint.readers.xlsx":
                raise


def read_path(path: str | Path) -> Document:
    """Read one report. Raises InputError with a Chinese message on bad input."""
    _ensure()
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在")
    if p.is_dir():
        raise InputError("这是目录，不是文件")
    func = READERS.get(p.suffix.lower())
    if func is None:
        raise InputError(f"不支持的文件类型 {p.suffix or '（无扩展名）'}（支持：{'、'.join(supported_suffixes())}）")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise os_error(exc) from None
    if size == 0:
        raise InputError("文件为空")
    return func(p)


def read_bytes(data: bytes, name: str) -> Document:
    """Read text from memory (standard input); ``name`` decides the kind (.md or text)."""
    from govlint.readers.text import decode
    if not data.strip():
        raise InputError("输入为空")
    text = decode(data)
    kind = "md" if name.lower().endswith(".md") else "txt"
    return Document(name, text, kind)
