"""Recognising files govlint wrote, so it never overwrites a user's file nor lints its own output.

govlint writes to a new path, or over a file it wrote itself (a review list from the last run,
a findings file): those carry a mark — ``govlint`` as author/creator of a Word or Excel file,
``<meta name="generator" content="govlint">`` in HTML, the 审核意见表 heading in Markdown,
the JSON/SARIF shape, or the summary line of the text format.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

_TEXT_SUMMARY = re.compile(r"共检查 \d+ 个文件")
_HEAD = 1 << 20
_JSON_MAX = 256 << 20   # findings of a very large batch are parsed whole to be recognised


# the document information of a PDF review list (output.review_pdf writes it)
PDF_MARK = {"/Author": "govlint", "/Creator": "govlint", "/Title": "审核意见表"}


def _pdf_made(path: Path) -> bool:
    try:
        from pypdf import PdfReader
        info = PdfReader(str(path)).metadata or {}
        return info.get("/Author") == PDF_MARK["/Author"] and info.get("/Creator") == PDF_MARK["/Creator"]
    except Exception:   # not a PDF, encrypted, broken: not ours
        return False


def govlint_made(path: Path) -> bool:
    """Whether ``path`` is a file govlint wrote (a review list, an annotated copy, findings)."""
    try:
        suffix = path.suffix.lower()
        if suffix in (".docx", ".xlsx"):
            if not zipfile.is_zipfile(path):
                return False
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                core = z.read("docProps/core.xml").decode("utf-8", "replace") if "docProps/core.xml" in names else ""
                if re.search(r"<dc:creator[^>]*>govlint</dc:creator>", core):
                    return True
                comments = z.read("word/comments.xml").decode("utf-8", "replace") \
                    if "word/comments.xml" in names else ""
                return 'w:author="govlint"' in comments      # an annotated copy (--annotate)
        if suffix == ".pdf":
            return _pdf_made(path)
        with open(path, "rb") as fh:
            data = fh.read(_HEAD)
        text = data.decode("utf-8", "replace")
        if suffix == ".html":
            return 'name="generator" content="govlint"' in text[:4096]
        if suffix == ".md" and text.startswith("# 审核意见表"):
            return True
        if suffix in (".json", ".sarif"):
            if len(data) == _HEAD:   # the findings of a large batch: their summary is at the end
                if path.stat().st_size > _JSON_MAX:
                    return False
                text = path.read_bytes().decode("utf-8", "replace")
            try:
                d = json.loads(text)
            except ValueError:
                return False
            if isinstance(d, dict) and {"findings", "summary"} <= set(d):
                return True
            runs = d.get("runs") if isinstance(d, dict) else None
            if not (isinstance(runs, list) and runs and isinstance(runs[0], dict)):
                return False
            driver = runs[0].get("tool", {})
            driver = driver.get("driver", {}) if isinstance(driver, dict) else {}
            return isinstance(driver, dict) and driver.get("name") == "govlint"
        if len(data) == _HEAD:   # a long text report: its summary line is the last one
            with open(path, "rb") as fh:
                fh.seek(max(0, path.stat().st_size - 4096))
                text_end = fh.read().decode("utf-8", "replace")
        else:
            text_end = text
        tail = text_end.rstrip().rsplit("\n", 1)[-1]
        return bool(_TEXT_SUMMARY.match(tail)) or (text.startswith("::") and "title=" in text[:400])
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeError):
        return False


def check_writable(path: Path) -> str | None:
    """A reason not to write ``path`` (Chinese, one line), or None when it is safe."""
    if path.is_dir():
        return "这是目录，请给出文件路径"
    if not path.parent.exists():
        return f"目录 {path.parent} 不存在"
    if path.exists() and not govlint_made(path):
        return "文件已存在且不是 govlint 生成的，不会覆盖（请换一个文件名）"
    return None
