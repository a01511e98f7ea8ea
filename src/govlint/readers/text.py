"""Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030."""

from __future__ import annotations

from pathlib import Path

from govlint.document import Document
from govlint.readers.base import InputError, os_error, reader


def decode(data: bytes) -> str:
    """Decode report bytes without asking: BOMs first, then strict UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data:
        raise InputError("不是文本文件（含有二进制内容）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError("无法识别文件编码（不是 UTF-8，也不是 GBK/GB18030）") from None
    # GB18030 decodes almost any byte string; insist that the result looks like text.
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    if bad > max(2, len(text) // 100):
        raise InputError("无法识别文件编码（不是 UTF-8，也不是 GBK/GB18030）")
    return text


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        raise InputError(f"文件声明为 {enc.upper()}，但内容不是合法的 {enc.upper()} 编码") from None


@reader(".txt", ".md", ".markdown")
def read_text(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise os_error(exc) from None
    text = decode(data)
    if not text.strip():
        raise InputError("文件没有文字内容")
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Document(str(path), text, kind)
