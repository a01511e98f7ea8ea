"""What every reader shares: InputError, the registry of readers by suffix, OOXML checks."""

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
