"""Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030.

The detector is strict: anything else (UTF-32, UTF-16 without BOM, Shift-JIS, Latin-1, a file
of control bytes) is an error naming the file, never text checked after a wrong guess.
"""

from __future__ import annotations

from pathlib import Path

from govlint.document import Document
from govlint.readers.base import InputError, check_text_size, read_limited, reader

_UNKNOWN = "无法识别文件编码（支持 UTF-8、GBK/GB18030 和带 BOM 的 UTF-16；请另存为 UTF-8）"


def decode(data: bytes) -> str:
    """Decode report bytes without asking: BOMs first, then strict UTF-8, then GB18030."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError("不支持 UTF-32 编码（请另存为 UTF-8）")
    if data.startswith(b"\xef\xbb\xbf"):
        return _plausible(_strict(data[3:], "utf-8"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _plausible(_strict(data, "utf-16"))
    if b"\x00" in data:
        raise InputError("不是文本文件（含有二进制内容，或是不带 BOM 的 UTF-16/UTF-32）")
    try:
        return _plausible(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(_UNKNOWN) from None
    # GB18030 decodes almost any byte string: Shift-JIS or Latin-1 bytes become rare characters.
    # Chinese text written in GBK is almost all in GB2312 (the 6,763 common hanzi and symbols).
    n_wide = len(text) - len(text.encode("ascii", "ignore"))
    if n_wide:
        rare = text.encode("gb2312", "replace").count(b"?") - text.count("?")
        if rare > 0.1 * n_wide:
            raise InputError(_UNKNOWN)
    return _plausible(text)


_CONTROL = None


def _plausible(text: str) -> str:
    """Text a person wrote has few control characters and private-use code points."""
    global _CONTROL
    if _CONTROL is None:
        import re
        _CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffe\uffff]")
    bad = len(_CONTROL.findall(text))
    if bad > max(2, len(text) // 100):
        raise InputError("不是文本文件（含有大量控制字符或无效字符）")
    return text


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        raise InputError(f"文件声明为 {enc.upper()}，但内容不是合法的 {enc.upper()} 编码") from None


@reader(".txt", ".md", ".markdown")
def read_text(path: Path) -> Document:
    text = decode(read_limited(path))
    check_text_size(text)      # before the Document is parsed
    if not text.strip():
        raise InputError("文件没有文字内容")
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Document(str(path), text, kind)
