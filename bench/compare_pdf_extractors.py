"""Compare PDF text extractors on PDFs LibreOffice exports from the project's sample reports.

Each sample (corpora/*.txt|md, decoded by govlint) is written to a .docx (one paragraph per
line), exported to PDF by LibreOffice, and read back by each extractor. Measured per extractor:
character accuracy (difflib ratio between the source and the extracted text, whitespace
removed), misplaced full-width quotes (a “ or ” not followed/preceded by the character it
encloses in the source: counted as source quote pairs that do not survive intact), and seconds
per file. Needs LibreOffice (soffice) and poppler-utils (pdftotext).

    python bench/compare_pdf_extractors.py [--keep DIR]
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _pypdf(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _poppler(*flags):
    def run(path: Path) -> str:
        return subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True).stdout.decode("utf-8")
    return run


EXTRACTORS = {"pypdf": _pypdf, "pdftotext": _poppler(), "pdftotext -layout": _poppler("-layout"),
              "pdftotext -raw": _poppler("-raw")}


def main() -> None:
    import docx
    from govlint.readers import read_path
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    work = keep or Path(tempfile.mkdtemp(prefix="govlint-pdfbench-"))
    work.mkdir(parents=True, exist_ok=True)
    samples = sorted(p for p in (ROOT / "corpora").glob("*") if p.suffix in (".txt", ".md"))
    sources = {}
    for s in samples:
        text = read_path(s).text.replace("\r\n", "\n")
        d = docx.Document()
        for line in text.split("\n"):
            d.add_paragraph(line)
        out = work / (s.stem + ".docx")
        d.save(str(out))
        sources[s.stem] = text
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), *[str(work / (k + ".docx")) for k in sources]],
                   check=True, capture_output=True, timeout=600)
    quote = re.compile(r"“[^”\n]{1,40}”")
    print(f"{len(sources)} PDFs exported by LibreOffice from corpora/ samples\n")
    print("| extractor | character accuracy | quoted phrases intact | ms per file |")
    print("|---|---:|---:|---:|")
    for name, fn in EXTRACTORS.items():
        ratios, intact, total, secs = [], 0, 0, 0.0
        for stem, src in sources.items():
            pdf = work / (stem + ".pdf")
            t = time.perf_counter()
            got = fn(pdf)
            secs += time.perf_counter() - t
            a, b = re.sub(r"\s", "", src), re.sub(r"\s", "", got)
            ratios.append(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())
            for m in quote.finditer(src):
                total += 1
                intact += re.sub(r"\s", "", m.group(0)) in b
        acc = sum(ratios) / len(ratios)
        print(f"| {name} | {acc * 100:.2f} % | {intact}/{total} | {secs / len(sources) * 1000:.0f} |")
    # what govlint reports: STYLE004/STYLE001 findings on the PDFs that the source text does not have
    import os
    from collections import Counter
    from govlint import engine
    print("\n| govlint's PDF reader | STYLE004 on PDFs | STYLE001 on PDFs | same codes on the sources |")
    print("|---|---:|---:|---:|")
    base = Counter()
    for s in samples:
        base.update(f.code for f in engine.lint_file(str(s)).findings if f.code in ("STYLE004", "STYLE001"))
    for reader in ("pypdf", "pdftotext"):
        os.environ["GOVLINT_PDF_READER"] = reader
        got = Counter()
        for stem in sources:
            r = engine.lint_file(str(work / (stem + ".pdf")))
            got.update(f.code for f in r.findings if f.code in ("STYLE004", "STYLE001"))
        print(f"| {reader} | {got['STYLE004']} | {got['STYLE001']} | {base['STYLE004']} / {base['STYLE001']} |")


if __name__ == "__main__":
    main()
