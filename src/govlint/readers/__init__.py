"""Readers turn a report file into a Document; bad input raises InputError (one Chinese line).

Every read is bounded: a file (or standard input) larger than ``max-file-size`` (configuration,
MB; default ``DEFAULT_MAX_FILE_MB``; the caller passes the configured limit) is refused,
ZIP-based formats are checked member by member before anything is decompressed
(``zip_guard``), and only regular files are opened. The shared parts live in ``readers.base``
(the format modules import from there, so the package and its modules import no cycle).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from govlint.document import Document
from govlint.readers.base import (  # noqa: F401  (the readers' shared parts, re-exported)
    DEFAULT_MAX_FILE_MB, DEFAULT_MAX_TEXT_CHARS, HINTS, MAX_TEXT_CHARS, MAX_ZIP_MEMBER, MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL, NON_REPORT_SUFFIXES, OLE_MAGIC, READERS, InputError, _current_limit, _current_text_limit,
    check_ooxml, check_text_size, max_file_bytes, os_error, path_error, read_head, read_limited, reader,
    regular_file, size_error, text_limit, zip_guard,
)


def supported_suffixes() -> tuple[str, ...]:
    _ensure()
    return tuple(sorted(READERS))


_LOADED: list = []


def _lazy(module: str, name: str):
    """A reader imported when first called (its module's ``@reader`` then replaces this entry)."""
    def read(path: Path) -> Document:
        import importlib
        return getattr(importlib.import_module(module), name)(path)
    return read


def _ensure():
    if not _LOADED:
        _LOADED.append(True)
        from govlint.readers import text, word, pdf  # noqa: F401
        # formats a plain-text check never needs: imported on first use
        for suffix in (".doc", ".wps", ".odt"):
            READERS.setdefault(suffix, _lazy("govlint.readers.office", "read_office"))
        READERS.setdefault(".ofd", _lazy("govlint.readers.ofd", "read_ofd"))
        import importlib
        try:
            importlib.import_module("govlint.readers.xlsx")
        except ModuleNotFoundError as exc:  # the workbook reader is optional in this layout
            if exc.name != "govlint.readers.xlsx":
                raise


def classify(path: Path) -> str | None:
    """What a folder walk does with a file: ``"read"``, ``"skip"`` (clearly not a report) or
    None (a file govlint cannot read: an input error, never skipped silently)."""
    suffix = path.suffix.lower()
    if suffix in supported_suffixes():
        return "read"
    if suffix in NON_REPORT_SUFFIXES or path.name.lower() in ("thumbs.db", "desktop.ini"):
        return "skip"
    return None


def unsupported(path: Path) -> str:
    """The message for a file govlint cannot read."""
    suffix = path.suffix.lower()
    hint = HINTS.get(suffix)
    known = "、".join(supported_suffixes())
    shown = path.suffix or "（无扩展名）"
    return f"不支持的文件类型 {shown}（{hint}；支持：{known}）" if hint else f"不支持的文件类型 {shown}（支持：{known}）"


def read_path(path: str | Path, max_bytes: int | None = None, max_chars: int | None = None) -> Document:
    """Read one report. Raises InputError with a Chinese message on bad input.

    ``max_bytes`` defaults to ``max-file-size`` of the configuration found for the file,
    ``max_chars`` (the text cap) to ``max-text-chars``'s default.
    """
    _ensure()
    p = Path(path)
    try:
        if len(os.fsencode(p.name)) > 255:
            raise InputError("文件名过长（超过系统允许的 255 字节）")
    except (ValueError, UnicodeError):
        raise InputError("文件名无效（含有无法处理的字符）") from None
    st = regular_file(p)
    func = READERS.get(p.suffix.lower())
    if func is None:
        raise InputError(unsupported(p))
    if st.st_size == 0:
        raise InputError("文件为空")
    limit = max_bytes or max_file_bytes()
    if st.st_size > limit:
        raise size_error(limit)
    _current_limit[0] = limit
    outer_chars = _current_text_limit[0]          # read_bytes → read_path keeps the caller's cap
    _current_text_limit[0] = max_chars or outer_chars
    try:
        doc = func(p)
        check_text_size(doc.text)       # every reader (.pdf, .ofd, converted .doc too), under this cap
    except InputError:
        raise
    except MemoryError:
        raise InputError("文件内容过大，内存不足，无法读取") from None
    except RecursionError:
        raise InputError("文件结构嵌套过深，无法读取") from None
    finally:
        _current_limit[0] = None
        _current_text_limit[0] = outer_chars
    return doc


def prepare(paths) -> None:
    """Before a batch is checked: convert the files that need LibreOffice with one start."""
    if any(str(p).lower().endswith((".doc", ".wps", ".odt")) for p in paths):
        from govlint.readers import office
        office.prepare(paths)


def read_stream(stream, name: str, max_bytes: int | None = None, max_chars: int | None = None) -> Document:
    """Read a report from a binary stream (standard input), at most ``max_bytes`` and ``max_chars``."""
    limit = max_bytes or max_file_bytes()
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise os_error(exc) from None
    except ValueError:      # closed
        raise InputError("标准输入已关闭") from None
    if data is None:
        data = b""
    if len(data) > limit:
        raise size_error(limit)
    return read_bytes(data, name, max_chars)


def read_bytes(data: bytes, name: str, max_chars: int | None = None) -> Document:
    """Read a report from memory (standard input); ``name``'s extension decides the kind.

    Text (.txt, .md, no or an unknown extension) is decoded here; another supported format
    (a .docx piped in with ``--stdin-filename 报告.docx``) is written to a private temporary
    directory and read from there, never beside ``name``.
    """
    _ensure()
    suffix = Path(name).suffix.lower() if name not in ("<stdin>", "-") else ""
    if suffix and suffix in READERS and suffix not in (".txt", ".md", ".markdown"):
        if not data:
            raise InputError("输入为空")
        import tempfile
        with tempfile.TemporaryDirectory(prefix="govlint-stdin-") as tmp:
            f = Path(tmp) / ("input" + suffix)
            f.write_bytes(data)
            doc = read_path(f, max_bytes=len(data) + 1, max_chars=max_chars)
        doc.path = name
        return doc
    from govlint.readers.text import decode
    if not data.strip():
        raise InputError("输入为空")
    text = decode(data)
    check_text_size(text, max_chars)
    kind = "md" if suffix in (".md", ".markdown") else "txt"
    return Document(name, text, kind)


def walk(top: Path, skip=None):
    """The files of a checked folder: ``(reports, errors, skipped)``.

    ``reports`` are paths to read; ``errors`` are ``(path, message)`` for files that cannot be
    read (an unsupported extension, a FIFO or device, a symlink loop, an unreadable subfolder);
    ``skipped`` are paths of clearly non-report files (images, archives, …) and of files for
    which ``skip(path)`` is true (``exclude``, govlint's own outputs). Hidden files and folders,
    Office lock files (``~$``) and ``__pycache__``/``node_modules`` are not looked at.
    A non-regular file is never opened (``skip`` is only asked about regular files).
    """
    reports: list[str] = []
    errors: list[tuple[str, str]] = []
    skipped: list[str] = []

    def onerror(exc: OSError):
        errors.append((getattr(exc, "filename", None) or str(top), "无法读取此目录：" + str(os_error(exc))))

    for root, dirs, names in os.walk(top, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules"))
        for name in sorted(names):
            if name.startswith((".", "~$")):
                continue
            fp = Path(root) / name
            try:
                kind = classify(fp)
                if kind == "skip":
                    skipped.append(str(fp))
                    continue
                st = os.stat(fp)
            except OSError as exc:
                errors.append((str(fp), str(os_error(exc))))
                continue
            except Exception as exc:    # a name the file system gave but Python cannot handle
                errors.append((str(fp), path_error(exc)))
                continue
            if stat.S_ISDIR(st.st_mode):   # a link to a folder: not followed (loops), not a report
                skipped.append(str(fp))
                continue
            if not stat.S_ISREG(st.st_mode):
                errors.append((str(fp), "不是普通文件（管道、设备或套接字），不会读取"))
                continue
            try:
                if skip is not None and skip(fp):
                    skipped.append(str(fp))
                    continue
            except Exception:
                pass
            if kind == "read":
                reports.append(str(fp))
            else:
                errors.append((str(fp), unsupported(fp)))
    return reports, errors, skipped
