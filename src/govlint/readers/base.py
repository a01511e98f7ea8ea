"""What every reader shares: InputError, the registry of readers by suffix, and the bounds on reading.

Readers turn a report file into a Document; bad input raises InputError (one Chinese line).

Every read is bounded: a file (or standard input) larger than ``max-file-size`` (configuration,
MB; default ``DEFAULT_MAX_FILE_MB``) is refused, ZIP-based formats are checked member by member
before anything is decompressed (``zip_guard``), and only regular files are opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from govlint.document import Document


class InputError(Exception):
    """An input problem; ``str(exc)`` is the one-line message (the path is added by callers)."""


DEFAULT_MAX_FILE_MB = 50
# Text one input may have: ``max-text-chars`` (configuration), default DEFAULT_MAX_TEXT_CHARS, at most
# MAX_TEXT_CHARS. The default is what bench/hostile_at_limit.py measured to check in under 60 s and
# 1 GB on a shared 2-core machine in every at-limit case (docs/reliability.md); the largest real
# report of ../shared/corpus has 57,606 characters.
DEFAULT_MAX_TEXT_CHARS = 500_000
MAX_TEXT_CHARS = 10_000_000           # the ceiling of the option (about 20 MB as a Python str)
MAX_ZIP_MEMBER = 64 << 20             # one XML part of a .docx/.xlsx/.ofd, uncompressed
MAX_ZIP_TOTAL = 256 << 20             # all parts together, uncompressed
MAX_ZIP_MEMBERS = 10_000

# Files in a checked folder that are clearly not reports: skipped (and counted), not errors.
NON_REPORT_SUFFIXES = frozenset("""
.png .jpg .jpeg .gif .bmp .tif .tiff .webp .svg .ico .heic .heif .psd .emf .wmf
.zip .rar .7z .tar .gz .tgz .bz2 .xz .zst .cab .iso
.mp3 .mp4 .m4a .wav .wma .wmv .avi .mov .mkv .flv .ogg
.exe .dll .so .dylib .msi .bin .dat .db .sqlite .sqlite3 .lnk .tmp .bak .log
.toml .ini .cfg .yaml .yml .lock .pyc .py .js .css .ttf .otf .woff .woff2
""".split())
# Report formats govlint does not read, with what to do instead.
HINTS = {
    ".xls": "请另存为 .xlsx", ".et": "请另存为 .xlsx", ".ett": "请另存为 .xlsx", ".csv": "请另存为 .xlsx",
    ".ppt": "演示文稿不是报告，请提供 Word、PDF 或文本文件", ".pptx": "演示文稿不是报告，请提供 Word、PDF 或文本文件",
    ".dps": "演示文稿不是报告，请提供 Word、PDF 或文本文件",
    ".docm": "请另存为 .docx", ".dotx": "请另存为 .docx", ".dot": "请另存为 .docx", ".wpt": "请另存为 .docx",
    ".html": "请另存为 .docx 或 .pdf", ".htm": "请另存为 .docx 或 .pdf", ".mht": "请另存为 .docx 或 .pdf",
    ".rtf": "请另存为 .docx", ".ceb": "请另存为 PDF 或 OFD", ".caj": "请提供 Word、PDF 或文本文件",
}


def os_error(exc: OSError) -> "InputError":
    """An OSError as a Chinese one-line InputError."""
    import errno
    text = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
            errno.EISDIR: "这是目录，不是文件", errno.ENAMETOOLONG: "文件名过长（超过系统允许的 255 字节）",
            errno.ELOOP: "符号链接循环（链接最终指向自身）", errno.ENOTDIR: "路径中的某一级不是目录",
            errno.EIO: "读取时发生输入输出错误"}.get(exc.errno, f"无法读取文件（系统错误 {exc.errno}）")
    return InputError(text)


def path_error(exc: BaseException) -> str:
    """A one-line Chinese message for an error raised while looking at a path."""
    if isinstance(exc, OSError):
        return str(os_error(exc))
    if isinstance(exc, RuntimeError) and "loop" in str(exc).lower():
        return "符号链接循环（链接最终指向自身）"
    if isinstance(exc, (UnicodeError, ValueError)):
        return "文件名无效（含有无法处理的字符）"
    return "无法访问此路径"


def regular_file(path: Path) -> os.stat_result:
    """``stat`` of a path that must be a regular file (links followed); InputError otherwise.

    FIFOs, sockets and devices are never opened: reading a FIFO would wait forever and a device
    such as /dev/zero never ends.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise os_error(exc) from None
    except (ValueError, UnicodeError):
        raise InputError("文件名无效（含有无法处理的字符）") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("这是目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        raise InputError("不是普通文件（管道、设备或套接字），不会读取；标准输入请用 -")
    return st


def max_file_bytes(mb: float | None = None) -> int:
    """The size limit for one input in bytes: ``max-file-size`` (MB) from the configuration the
    caller found for the file, or ``DEFAULT_MAX_FILE_MB``."""
    return int((mb or DEFAULT_MAX_FILE_MB) * (1 << 20))


def size_error(limit: int) -> InputError:
    mb = limit / (1 << 20)
    shown = f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"
    return InputError(f"文件过大（超过 {shown} MB 的上限；可用配置项 max-file-size 调整）")


_current_limit: list = [None]    # the limit read_path found for the file it is reading


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """All bytes of a regular file, refusing more than ``limit`` (default: the file's configured limit)."""
    limit = limit or _current_limit[0] or max_file_bytes()
    st = regular_file(path)
    if st.st_size > limit:
        raise size_error(limit)
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise os_error(exc) from None
    if len(data) > limit:
        raise size_error(limit)
    return data


def zip_guard(path: Path, what: str):
    """Open a ZIP package after checking what it would decompress to; returns the ZipFile.

    Refuses duplicate member names, more than ``MAX_ZIP_MEMBERS`` members, a member over
    ``MAX_ZIP_MEMBER`` or a total over ``MAX_ZIP_TOTAL`` (the sizes recorded in the central
    directory bound what ``zipfile`` returns, so a lying header cannot exceed them).
    """
    import zipfile
    try:
        z = zipfile.ZipFile(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) or exc.errno in (13, 1, 21, 36, 40):
            raise os_error(exc) from None
        raise InputError(f"{what}已损坏（不是有效的 ZIP 包）") from None
    except Exception:   # BadZipFile, NotImplementedError (a mangled version field), ValueError, EOFError
        raise InputError(f"{what}已损坏（不是有效的 ZIP 包）") from None
    infos = z.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        z.close()
        raise InputError(f"{what}结构异常（包含 {len(infos)} 个部件，超过 {MAX_ZIP_MEMBERS} 个）")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        z.close()
        raise InputError(f"{what}结构异常（ZIP 包中有重名部件），文件可能已损坏或被篡改")
    total = 0
    for i in infos:
        total += i.file_size
        big = i.file_size > MAX_ZIP_MEMBER and i.filename.lower().endswith((".xml", ".rels"))
        if big or total > MAX_ZIP_TOTAL:
            z.close()
            raise InputError(f"{what}解压后过大（{'部件 ' + i.filename if big else '全部部件'}超过 "
                             f"{(MAX_ZIP_MEMBER if big else MAX_ZIP_TOTAL) >> 20} MB），不予读取")
    return z


_current_text_limit: list = [None]   # the text cap read_path/read_bytes apply to the input being read


def text_limit() -> int:
    """Characters the input being read may have (``max-text-chars``, or the default)."""
    return _current_text_limit[0] or DEFAULT_MAX_TEXT_CHARS


def text_size_error(limit: int) -> InputError:
    return InputError(f"文本超过 {limit:,} 字符，未检查（可用配置项 max-text-chars 调整，最大 {MAX_TEXT_CHARS:,}）")


def check_text_size(text: str, limit: int | None = None) -> None:
    limit = limit or text_limit()
    if len(text) > limit:
        raise text_size_error(limit)


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
    try:
        ok = zipfile.is_zipfile(path)
    except OSError as exc:
        raise os_error(exc) from None
    if not ok:
        raise InputError(f"文件已损坏或不是{kind}（{path.suffix.lower()} 应为 ZIP 格式）")
    zip_guard(path, what).close()


def reader(*suffixes: str):
    def deco(func):
        for s in suffixes:
            READERS[s] = func
        return func
    return deco
