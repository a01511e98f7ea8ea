"""Cost and effect of reading PDF tables as table blocks (#18).

Exports to PDF with LibreOffice the project's sample reports (corpora/*.txt|md, no ruled tables)
and the Word table samples (corpora/tables/word_*.docx), then reads every PDF with the PDF reader
with table blocks (default) and without (``GOVLINT_PDF_TABLES=0``, the reader before #18),
alternating rounds, in this process. Prints ms per file (median of the rounds) and, per table
sample, the table findings of the .docx, of the PDF before and of the PDF now.

    python bench/pdf_tables.py [--rounds 5] [--keep DIR]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TABLE_CODES = {"SCORE001", "SCORE002", "SCORE003", "SCORE004", "FUND002", "IND001", "NUM001"}


def _export(work: Path) -> tuple[list[Path], list[Path]]:
    import docx
    from govlint.readers import read_path
    plain = []
    for s in sorted(p for p in (ROOT / "corpora").glob("*") if p.suffix in (".txt", ".md")):
        d = docx.Document()
        for line in read_path(s).text.split("\n"):
            d.add_paragraph(line)
        d.save(str(work / (s.stem + ".docx")))
        plain.append(work / (s.stem + ".docx"))
    tables = sorted((ROOT / "corpora" / "tables").glob("word_*.docx"))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(work), *map(str, plain + tables)],
                   check=True, capture_output=True, timeout=600)
    return [work / (p.stem + ".pdf") for p in plain], [work / (p.stem + ".pdf") for p in tables]


def _time(paths: list[Path], tables: bool) -> float:
    from govlint.readers import read_path
    os.environ["GOVLINT_PDF_TABLES"] = "1" if tables else "0"
    t = time.perf_counter()
    for p in paths:
        read_path(p)
    return (time.perf_counter() - t) / len(paths) * 1000


def _findings(path: Path, tables: bool) -> int:
    from govlint import runner
    os.environ["GOVLINT_PDF_TABLES"] = "1" if tables else "0"
    r = runner.check_paths([str(path)], jobs=1)[0]
    return sum(f.code in TABLE_CODES for f in r.findings)


def main() -> None:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    work = keep or Path(tempfile.mkdtemp(prefix="govlint-pdftab-"))
    work.mkdir(parents=True, exist_ok=True)
    plain, tabled = _export(work)
    _time(plain[:1] + tabled[:1], True)             # imports (pdfplumber, pypdf, lxml) out of the way
    _time(plain[:1] + tabled[:1], False)
    res = {(kind, on): [] for kind in ("plain", "tables") for on in (False, True)}
    for _ in range(rounds):
        for on in (False, True):
            res[("plain", on)].append(_time(plain, on))
            res[("tables", on)].append(_time(tabled, on))
    print(f"{len(plain)} PDFs without ruled tables, {len(tabled)} with; median of {rounds} rounds, ms per file\n")
    print("| PDFs | before (text only) | with table blocks |")
    print("|---|---:|---:|")
    for kind, n in (("plain", len(plain)), ("tables", len(tabled))):
        print(f"| {kind} ({n}) | {statistics.median(res[(kind, False)]):.0f} | "
              f"{statistics.median(res[(kind, True)]):.0f} |")
    print("\n| sample | table findings .docx | PDF before | PDF now |")
    print("|---|---:|---:|---:|")
    for pdf in tabled:
        src = ROOT / "corpora" / "tables" / (pdf.stem + ".docx")
        print(f"| {pdf.stem} | {_findings(src, True)} | {_findings(pdf, False)} | {_findings(pdf, True)} |")


if __name__ == "__main__":
    main()
