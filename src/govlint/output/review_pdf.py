"""Review comment list (审核意见表) as PDF, for reviewers who attach it to OA mail.

Rendered by a real engine, whichever is installed: LibreOffice converts the Word list
(``review_docx``), or headless Chromium prints the HTML page (``review_html``). Neither is
a Python dependency; without both, ``PdfUnavailable`` says so in Chinese.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from govlint.guard import PDF_MARK
from govlint.output import review_model as rm

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"]


class PdfUnavailable(Exception):
    """No engine could render the PDF (one Chinese line)."""


def engines() -> list[str]:
    found = []
    if shutil.which("soffice") or shutil.which("libreoffice"):
        found.append("libreoffice")
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        found.append("chromium")
    return found


def render_bytes(review: rm.Review) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    with tempfile.TemporaryDirectory(prefix="govlint-pdf-") as tmp:
        t = Path(tmp)
        if soffice:
            from govlint.output.review_docx import render_bytes as docx_bytes
            (t / "list.docx").write_bytes(docx_bytes(review))
            subprocess.run([soffice, f"-env:UserInstallation={(t / 'profile').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(t), str(t / "list.docx")],
                           capture_output=True, timeout=300)
            if (t / "list.pdf").exists():
                return _marked((t / "list.pdf").read_bytes())
        if chromium:
            from govlint.output.review_html import render_review
            (t / "list.html").write_text(render_review(review), encoding="utf-8")
            subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={t / 'chrome'}",
                            f"--print-to-pdf={t / 'list.pdf'}", (t / "list.html").as_uri()],
                           capture_output=True, timeout=300)
            if (t / "list.pdf").exists():
                return _marked((t / "list.pdf").read_bytes())
    raise PdfUnavailable("无法生成 PDF：本机没有可用的 LibreOffice 或 Chromium（请安装其一，或输出 .docx 后另存为 PDF）")


def _marked(data: bytes) -> bytes:
    """The PDF with govlint as its author and creator, so a later run knows it may replace it."""
    import io
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata(PDF_MARK)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

