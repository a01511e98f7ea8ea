"""Recognising files govlint wrote, so it never overwrites a user's file nor lints its own output.

Every output govlint may later replace carries a mark a user's file cannot carry by accident:

- text-like outputs (``check -o`` in text/github format, the Markdown and HTML review lists) end
  with a signature line holding a SHA-256 digest of everything before it
  (``sign_text``). A file that merely *looks* like an output (a user's ``审核意见表.md``, a
  ``.txt`` whose last line starts with 共检查) has no valid signature; an output the user edited
  afterwards no longer matches its digest and is theirs now: it is not replaced either.
- Word and Excel files (review lists, annotated copies) carry ``govlint:<digest>`` in
  ``docProps/core.xml``'s ``dc:identifier``, the digest covering every other member of the zip
  (``sign_zip``).
- JSON findings carry ``"generator": "govlint"`` in their summary; SARIF carries ``tool.driver.name == "govlint"``
  (the format's own generator field).

Reading is bounded: files are opened only when they are regular files (never a FIFO or a
device: the probe must not hang), and at most ``_MAX`` bytes are hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import zipfile
from pathlib import Path

_MAX = 256 << 20          # outputs larger than this are never recognised (and never replaced)
_ZIP_MEMBERS_MAX = 512 << 20
_SIG = re.compile(rb"(?:\r?\n|^)([^\n]*govlint-signature:([0-9a-f]{64})[^\n]*)\n?$")
_ID = re.compile(rb"<dc:identifier[^>]*>govlint:([0-9a-f]{64})</dc:identifier>")
_ID_ANY = re.compile(rb"<dc:identifier[^>]*/>|<dc:identifier[^>]*>[^<]*</dc:identifier>")

# The signature line per text format: invisible where the format allows it.
_LINE = {
    "md": "<!-- 由 govlint 生成；govlint-signature:{} -->",
    "html": "<!-- 由 govlint 生成；govlint-signature:{} -->",
    "text": "（由 govlint 生成；govlint-signature:{}）",
    "github": "::debug::govlint-signature:{}",
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(b"govlint-output-v1\0" + data).hexdigest()


def sign_text(text: str, fmt: str = "text") -> str:
    """``text`` (ending with a newline) followed by govlint's signature line for it."""
    if text and not text.endswith("\n"):
        text += "\n"
    return text + _LINE.get(fmt, _LINE["text"]).format(_digest(text.encode("utf-8", "surrogateescape"))) + "\n"


def signed_text(data: bytes) -> bool:
    """Whether ``data`` ends with a valid signature line over everything before it."""
    tail = data[-400:]
    m = _SIG.search(tail)
    if not m:
        return False
    body = data[: len(data) - len(tail) + m.start(1)]
    return _digest(body).encode() == m.group(2)


def _zip_digest(z: zipfile.ZipFile) -> str | None:
    h = hashlib.sha256(b"govlint-ooxml-v1\0")
    total = 0
    for info in sorted(z.infolist(), key=lambda i: i.filename):
        if info.filename == "docProps/core.xml":
            continue
        total += info.file_size
        if total > _ZIP_MEMBERS_MAX:
            return None
        h.update(info.filename.encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(z.read(info)).digest())
    return h.hexdigest()


def sign_zip(data: bytes) -> bytes:
    """An OOXML zip with ``govlint:<digest of the other members>`` as ``dc:identifier``."""
    import io
    src = zipfile.ZipFile(io.BytesIO(data))
    digest = _zip_digest(src)
    if digest is None or "docProps/core.xml" not in src.namelist():
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "docProps/core.xml":
                blob = _ID_ANY.sub(b"", blob)
                mark = (b'<dc:identifier xmlns:dc="http://purl.org/dc/elements/1.1/">govlint:'
                        + digest.encode() + b"</dc:identifier>")
                blob = re.sub(rb"(</(?:\w+:)?coreProperties>)", lambda m: mark + m.group(1), blob, count=1)
            dst.writestr(info, blob)
    return out.getvalue()


def _regular(path: Path) -> os.stat_result | None:
    """The stat of a regular file (following symlinks), or None: FIFOs and devices are never opened."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st if stat.S_ISREG(st.st_mode) else None


def _read_regular(path: Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of a regular file, opened without blocking (a FIFO swapped in races)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _tail(path: Path, n: int) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        os.lseek(fd, max(0, st.st_size - n), os.SEEK_SET)
        return os.read(fd, n)
    except OSError:
        return None
    finally:
        os.close(fd)


# the document information of a PDF review list (output.review_pdf writes it)
PDF_MARK = {"/Author": "govlint", "/Creator": "govlint", "/Title": "审核意见表"}


def _pdf_made(path: Path) -> bool:
    """A PDF review list govlint printed: its document information names govlint as author and creator."""
    head = _read_regular(path, 5) or b""
    if not head.startswith(b"%PDF"):
        return False
    try:
        from pypdf import PdfReader
        info = PdfReader(str(path)).metadata or {}
        return info.get("/Author") == PDF_MARK["/Author"] and info.get("/Creator") == PDF_MARK["/Creator"]
    except Exception:   # encrypted, broken: not ours
        return False


def govlint_made(path: Path) -> bool:
    """Whether ``path`` is a file govlint wrote (a review list, an annotated copy, findings).

    Cheap for the files a checked directory is full of: only a file whose end (or, for Word and
    Excel, whose core properties) carries govlint's mark is read whole and its digest checked."""
    try:
        path = Path(path)
        st = _regular(path)
        if st is None or st.st_size > _MAX:
            return False
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            return _pdf_made(path)
        if suffix in (".docx", ".xlsx"):
            if (_read_regular(path, 4) or b"")[:4] != b"PK\x03\x04":
                return False
            with zipfile.ZipFile(path) as z:   # reads the central directory, not the members
                if "docProps/core.xml" not in z.namelist():
                    return False
                if z.getinfo("docProps/core.xml").file_size > 1 << 20:
                    return False
                m = _ID.search(z.read("docProps/core.xml"))
                return bool(m) and _zip_digest(z) == m.group(1).decode()
        if suffix in (".json", ".sarif"):
            head = _read_regular(path, 4096) or b""
            tail = _tail(path, 4096) or b""
            if b'"generator": "govlint"' not in tail and b'"name": "govlint"' not in head:
                return False
            data = _read_regular(path, _MAX)
            if data is None or len(data) > _MAX:
                return False
            try:
                d = json.loads(data.decode("utf-8"))
            except (ValueError, RecursionError):
                return False
            if not isinstance(d, dict):
                return False
            summ = d.get("summary")
            if isinstance(summ, dict) and summ.get("generator") == "govlint" and isinstance(d.get("findings"), list):
                return True
            runs = d.get("runs")
            if not (isinstance(runs, list) and runs and isinstance(runs[0], dict)):
                return False
            driver = runs[0].get("tool", {})
            driver = driver.get("driver", {}) if isinstance(driver, dict) else {}
            return isinstance(driver, dict) and driver.get("name") == "govlint"
        tail = _tail(path, 400)
        if not tail or b"govlint-signature:" not in tail:
            return False
        data = _read_regular(path, _MAX)
        return data is not None and len(data) <= _MAX and signed_text(data)
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeError, ValueError, RuntimeError,
            NotImplementedError, EOFError, zipfile.LargeZipFile):
        return False


def check_writable(path: Path) -> str | None:
    """A reason not to write ``path`` (Chinese, one line), or None when it is safe.

    A new path, a file govlint wrote, or a character device that discards or streams output
    (``/dev/stdout``, ``/dev/null``) may be written; a FIFO may be written too (the writer
    blocks until a reader opens it, exactly as a shell redirection does). Anything else that
    exists is refused.
    """
    try:
        if path.is_dir():
            return "这是目录，请给出文件路径"
        if not path.parent.exists():
            return f"目录 {path.parent} 不存在"
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"无法访问（系统错误 {exc.errno}）"
        if _stream(path) or stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            return None
        if not stat.S_ISREG(st.st_mode):
            return "不是普通文件，不会写入"
        if not govlint_made(path):
            return "文件已存在且不是 govlint 生成的，不会覆盖（请换一个文件名）"
    except (OSError, ValueError) as exc:
        return f"无法使用此路径（{type(exc).__name__}）"
    return None


def write_output(path: Path, data: bytes) -> str | None:
    """Write ``data`` to ``path`` (already accepted by ``check_writable``); a Chinese reason on failure.

    Regular files are written to a temporary file beside the target and renamed over it, so an
    interrupted run never leaves half an output; FIFOs and character devices are written in place.
    """
    try:
        try:
            st = os.stat(path)
            special = _stream(path) or not stat.S_ISREG(st.st_mode)
        except FileNotFoundError:
            special = False
        if special:
            # O_NONBLOCK: a FIFO nobody reads is an error (ENXIO), not a hang; then blocking writes
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
            try:
                if hasattr(os, "set_blocking"):
                    os.set_blocking(fd, True)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            return None
        import tempfile
        fd, tmp = tempfile.mkstemp(prefix=".govlint-", suffix=".tmp", dir=str(path.parent) or ".")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        if exc.errno == 28:
            return "无法写入：磁盘已满（系统错误 28）"
        if exc.errno == 6:
            return "无法写入：管道没有读取端（系统错误 6）"
        return f"无法写入（系统错误 {exc.errno}）"
    return None


def _stream(path: Path) -> bool:
    """The process's own standard streams named as a path (``-o /dev/stdout``): written in place."""
    s = str(path)
    return s in ("/dev/stdout", "/dev/stderr") or s.startswith(("/dev/fd/", "/proc/self/fd/"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
