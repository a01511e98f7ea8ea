"""Readers turn a report file into a Document; bad input raises InputError (one Chinese line)."""

from __future__ import annotations

from pathlib import Path

from govlint.document import Document
from govlint.readers.base import (  # noqa: F401  (the readers' shared parts, re-exported)
    OLE_MAGIC, READERS, InputError, check_ooxml, os_error, read_head, reader,
)


def supported_suffixes() -> tuple[str, ...]:
    _ensure()
    return tuple(sorted(READERS))


def _ensure():
    if not READERS:
        from govlint.readers import pdf, text, word, xlsx  # noqa: F401  (each registers its suffixes)


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
