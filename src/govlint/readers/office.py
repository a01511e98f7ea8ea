"""Old Word (.doc), WPS (.wps) and OpenDocument text (.odt) through LibreOffice in headless mode.

The file is copied into a private temporary directory and converted there to .docx (never
beside the input: LibreOffice's lock files and output stay in that directory), with a timeout
and a LibreOffice profile of this process's own (``-env:UserInstallation``), so a LibreOffice the
user has open neither blocks nor is touched. The .docx is then read like any Word document:
positions are paragraphs of the converted document, and ``Document.meta["converted_from"]``
names the original format.

``prepare(paths)`` converts all such files of a batch with one LibreOffice start (it is called
before a batch is checked); a file not prepared is converted on its own when read.
Without LibreOffice, reading such a file is a one-line Chinese error naming the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from govlint.document import Document
from govlint.readers.base import OLE_MAGIC, InputError, read_head, reader, regular_file, zip_guard

SUFFIXES = (".doc", ".wps", ".odt")
TIMEOUT = 180                 # seconds for one conversion (a batch gets this per file, at most 30 min)
_state: dict = {}             # per process: the private directory, the converted files


def soffice() -> str | None:
    """The LibreOffice program: ``GOVLINT_SOFFICE``, else ``soffice``/``libreoffice`` on PATH."""
    import shutil
    explicit = os.environ.get("GOVLINT_SOFFICE")
    if explicit:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_message(suffix: str) -> str:
    return (f"读取 {suffix} 文件需要 LibreOffice，本机未安装（Debian/Ubuntu：apt-get install "
            f"libreoffice-writer-nogui；或把文件另存为 .docx 后再检查）")


def _workdir() -> Path:
    """This process's private directory (mode 0700 parent), removed at exit.

    The parent directory is made once, by the process that converts first (the main process
    when a batch is prepared before workers are forked), and removed by it at exit; each
    process converts in a subdirectory of its own, with its own LibreOffice profile.
    """
    import shutil
    import tempfile
    pid = os.getpid()
    if "root" not in _state:
        import atexit
        root = Path(tempfile.mkdtemp(prefix="govlint-convert-"))
        _state["root"] = root
        atexit.register(shutil.rmtree, root, True)
    if _state.get("pid") != pid:          # a forked worker gets its own directory and profile
        d = _state["root"] / f"p{pid}"
        d.mkdir(exist_ok=True)
        _state.update(pid=pid, dir=d, n=0)
        _state.setdefault("done", {})     # conversions the main process prepared stay usable
    return _state["dir"]


def _ole(path: Path) -> bool:
    try:
        return read_head(path, 8) == OLE_MAGIC
    except InputError:
        return False


def _convert(sources: list[Path]) -> dict[str, Path | str]:
    """Convert files: {str(source): converted .docx, or an error message}.

    A .doc compound (OLE) file is converted with Word's binary import filter named: LibreOffice
    would otherwise import a damaged one as plain text and "convert" its bytes. Other files (.wps,
    which may be Kingsoft's Word-compatible format or Microsoft Works; an RTF or a web page saved
    as .doc; OpenDocument) are left to LibreOffice's detection.
    """
    ole = [s for s in sources if s.suffix.lower() == ".doc" and _ole(s)]
    other = [s for s in sources if s not in ole]
    result: dict[str, Path | str] = {}
    if ole:
        result.update(_run(ole, "MS Word 97"))
    if other:
        result.update(_run(other, None))
    return result


def _run(sources: list[Path], infilter: str | None) -> dict[str, Path | str]:
    """Convert files with one LibreOffice run."""
    program = soffice()
    if program is None:
        return {str(s): missing_message(s.suffix.lower()) for s in sources}
    import shutil
    import signal
    import subprocess
    work = _workdir()
    batch = work / f"batch{_state['n']}"
    _state["n"] += 1
    inbox, outbox = batch / "in", batch / "out"
    inbox.mkdir(parents=True)
    outbox.mkdir()
    names: dict[str, Path] = {}
    result: dict[str, Path | str] = {}
    for i, src in enumerate(sources):
        copy = inbox / f"f{i}{src.suffix.lower()}"
        try:
            regular_file(src)
            shutil.copyfile(src, copy)
        except InputError as exc:
            result[str(src)] = str(exc)
            continue
        except OSError as exc:
            from govlint.readers.base import os_error
            result[str(src)] = str(os_error(exc))
            continue
        names[str(src)] = copy
    if names:
        profile = (work / "profile").as_uri()
        cmd = [program, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               f"-env:UserInstallation={profile}", *([f"--infilter={infilter}"] if infilter else []),
               "--convert-to", "docx:MS Word 2007 XML",
               "--outdir", str(outbox), *[str(c) for c in names.values()]]
        env = dict(os.environ, HOME=str(work), SAL_USE_VCLPLUGIN="svp")
        timeout = min(TIMEOUT * len(names), 1800)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=str(batch), env=env, start_new_session=True)
        except OSError:
            for s in names:
                result[s] = "无法启动 LibreOffice（请检查其安装）"
            names = {}
        else:
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)   # soffice starts soffice.bin: the whole group
                except OSError:
                    pass
                proc.wait()
    for src, copy in names.items():
        out = outbox / (copy.stem + ".docx")
        if out.is_file() and out.stat().st_size > 0:
            result[src] = out
        else:
            result[src] = ("LibreOffice 无法转换此文件（文件可能已损坏、受密码保护，或转换超时）")
    return result


def prepare(paths) -> None:
    """Convert the .doc/.wps/… files among ``paths`` with one LibreOffice start."""
    todo = []
    for p in paths:
        p = Path(p)
        if p.suffix.lower() in SUFFIXES and str(p) not in _state.get("done", {}):
            try:
                regular_file(p)
            except InputError:
                continue          # reported when read
            todo.append(p)
    if not todo or soffice() is None:
        return                    # a missing LibreOffice is reported when each file is read
    _workdir()                    # made here, before workers are forked, and removed at exit
    if len(todo) > 1 and len(todo) < 400:
        _state["done"].update(_convert(todo))


@reader(*SUFFIXES)
def read_office(path: Path) -> Document:
    suffix = path.suffix.lower()
    head = read_head(path, 8)
    if suffix in (".doc", ".wps") and head.startswith(b"PK\x03\x04"):
        # a .docx renamed .doc (common): read it directly
        return _read_converted(path, path, suffix)
    if soffice() is None:
        raise InputError(missing_message(suffix))
    _workdir()
    got = _state["done"].pop(str(path), None)
    if got is None:
        got = _convert([path])[str(path)]
    if isinstance(got, str):
        raise InputError(got)
    # the converted file stays (in the private directory, removed at exit) so that code which
    # reopens the Word file — the table rules — can use ``meta["converted_docx"]``
    return _read_converted(got, path, suffix)


def _read_converted(docx_path: Path, source: Path, suffix: str) -> Document:
    from govlint.readers.word import docx_document
    zip_guard(docx_path, "转换后的文档").close()
    return docx_document(docx_path, str(source), meta={"converted_from": suffix,
                                                        "converted_docx": str(docx_path)})
