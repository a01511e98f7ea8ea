"""Hostile input AT the configured limits (issue #19): time and peak memory of one check per case.

    PYTHONPATH=src python bench/hostile_at_limit.py [--chars N] [--mb M] [--timeout 60] [--only NAME] [--json out.json]

Each case is a file built in a private temporary directory at the text cap (``--chars``,
default: the default of ``max-text-chars``) or at the byte cap (``--mb``, default:
``max-file-size``), checked by ``python -m govlint check FILE -f json -j 1 --profile self-eval``
(every rule runs) in a fresh process. Measured per case: wall time, peak RSS of the child (``wait4``), exit code, and
whether the outcome is the expected one — ``checked`` (exit 0/1, no internal error) or
``refused`` (exit 2 with the one-line Chinese size message, no internal error). A case still
running after ``--timeout`` seconds is killed and counted as a hang.

Text is real report language: the shared corpus (``../shared/corpus``, 4.8 M characters,
read here, never stored) then the repository's sample reports, repeated when more is needed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_CORPUS, machine  # noqa: E402

REPORT = (REPO / "corpora" / "sample_report.txt").read_text(encoding="utf-8")
SAMPLES = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora").glob("*.txt")) if "gbk" not in p.name]


def real_text(n: int) -> tuple[str, str]:
    """``n`` characters of report text (distinct as far as the sources go) and where it came from."""
    parts, total = [], 0
    files = sorted(SHARED_CORPUS.glob("*/*.txt")) if SHARED_CORPUS.is_dir() else []
    source = f"shared corpus ({len(files)} files)" if files else "corpora samples only (../shared absent)"
    for p in files:
        t = p.read_text(encoding="utf-8", errors="replace")
        parts.append(t)
        total += len(t) + 2
        if total >= n:
            break
    while total < n:
        for t in SAMPLES:
            parts.append(t)
            total += len(t) + 2
    return "\n\n".join(parts)[:n], source


def fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def one_paragraph(n: int) -> str:
    body = "".join(line.strip() for line in REPORT.splitlines() if line.strip() and "|" not in line)
    return REPORT.splitlines()[0] + "\n" + fill(body, n - len(REPORT.splitlines()[0]) - 1)


def many_paragraphs(n: int) -> str:
    import re
    pieces = [s for s in re.split(r"(?<=[，。；])", "".join(SAMPLES).replace("\n", "")) if s.strip()]
    out, total, k = [], 0, 0
    while total < n:
        s = pieces[k % len(pieces)]
        out.append(s)
        total += len(s) + 1
        k += 1
    return "\n".join(out)[:n]


TABLE_HEAD = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
              "|---|---|---|---|---|---|---|---|\n")


def table_rows(n: int) -> list[tuple[str, ...]]:
    rows, total, k = [], 0, 0
    while total < n:
        k += 1
        row = ("产出指标", "数量指标", f"新建村组道路第{k}段", f"≥{k % 90 + 10}公里", f"{k % 90 + 9}公里", "10",
               "9", "受雨季影响，部分路段顺延至次年" if k % 3 else "无")
        rows.append(row)
        total += sum(map(len, row)) + 18
    return rows


def text_table(n: int) -> str:
    head = "2023年度村组道路建设项目绩效自评报告\n四、绩效指标完成情况\n" + TABLE_HEAD
    lines = ["| " + " | ".join(r) + " |" for r in table_rows(n - len(head))]
    return (head + "\n".join(lines))[:n]


def _docx_bytes(paragraphs: list[str], rows: list[tuple[str, ...]], pad_to: int = 0) -> bytes:
    """A .docx built with python-docx, then its body replaced by generated XML (fast for millions of
    characters); ``pad_to`` adds an incompressible media part so the file reaches that many bytes."""
    import docx
    from xml.sax.saxutils import escape
    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    import re
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")       # not allowed in XML 1.0

    def escape_xml(s):
        return escape(bad.sub("", s))
    body = ["<w:p><w:r><w:t xml:space=\"preserve\">" + escape_xml(t) + "</w:t></w:r></w:p>" for t in paragraphs]
    if rows:
        body.append("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>")
        for r in rows:
            body.append("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape_xml(c)}</w:t></w:r></w:p></w:tc>" for c in r)
                        + "</w:tr>")
        body.append("</w:tbl>")
    doc_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               "<w:body>" + "".join(body) + "<w:sectPr/></w:body></w:document>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = doc_xml if info.filename == "word/document.xml" else src.read(info.filename)
            z.writestr(info.filename, data)
        if pad_to:
            z.writestr(zipfile.ZipInfo("word/media/image1.jpeg"), b"")
    data = out.getvalue()
    return _pad(data, pad_to, "word/media/image1.jpeg") if pad_to else data


def _pad(data: bytes, pad_to: int, member: str) -> bytes:
    """Rewrite the package with ``member`` holding random bytes so that it is about ``pad_to`` bytes."""
    need = max(0, pad_to - len(data) - 4096)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == member:
                z.writestr(zipfile.ZipInfo(member), random.Random(19).randbytes(need), zipfile.ZIP_STORED)
            else:
                z.writestr(info, src.read(info.filename))
    return out.getvalue()


def _xlsx_bytes(rows: list[tuple[str, ...]], pad_to: int = 0) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("绩效自评表")
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if pad_to:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                z.writestr(info, src.read(info.filename))
            z.writestr(zipfile.ZipInfo("xl/media/image1.png"), b"")
        data = _pad(out.getvalue(), pad_to, "xl/media/image1.png")
    return data


class Case:
    def __init__(self, name, what, filename, make, expect, stdin=False):
        self.name, self.what, self.filename, self.make = name, what, filename, make
        self.expect, self.stdin = expect, stdin


def cases(chars: int, mb: float) -> list[Case]:
    nbytes = int(mb * (1 << 20))
    from govlint.readers.xlsx import MAX_CELLS
    cells_cap = MAX_CELLS - 8  # the workbook cell cap, less one row
    return [
        Case("txt-real", f"{chars:,} characters of real report text, .txt", "report.txt",
             lambda: real_text(chars)[0].encode(), "checked"),
        Case("txt-pasted", f"one report pasted into itself to {chars:,} characters", "report.txt",
             lambda: fill(REPORT + "\n\n", chars).encode(), "checked"),
        Case("one-paragraph", f"one run-on paragraph of {chars:,} characters (figures, no line break)",
             "report.txt", lambda: one_paragraph(chars).encode(), "checked"),
        Case("many-paragraphs", f"{chars:,} characters in clause-sized paragraphs (~15 characters each)",
             "report.txt", lambda: many_paragraphs(chars).encode(), "checked"),
        Case("text-table", f"a 自评表 in Markdown with rows to {chars:,} characters", "report.md",
             lambda: text_table(chars).encode(), "checked"),
        Case("docx-real", f".docx: {chars - 10_000:,} characters of real text + a 50-row table, padded to {mb:g} MB",
             "report.docx", lambda: _docx_bytes(real_text(chars - 10_000)[0].split("\n"), table_rows(3000), nbytes - 65536),
             "checked"),
        Case("docx-table", f".docx: one table with rows to {chars:,} characters", "report.docx",
             lambda: _docx_bytes(["2023年度村组道路建设项目绩效自评报告"], table_rows(chars)), "checked"),
        Case("xlsx-text", f".xlsx: a 自评表 with rows to {chars:,} characters, padded to {mb:g} MB", "report.xlsx",
             lambda: _xlsx_bytes(table_rows(chars - 60 * 1000)[:cells_cap // 8], nbytes - 65536), "checked"),
        Case("xlsx-cells", f".xlsx: {cells_cap:,} one-character cells (the cell cap), padded to {mb:g} MB",
             "report.xlsx", lambda: _xlsx_bytes([tuple(str(k % 10) for k in range(8))] * (cells_cap // 8 - 1),
                                                nbytes - 65536), "checked"),
        Case("txt-bytes", f".txt of {mb:g} MB (the byte cap; more characters than the text cap)", "report.txt",
             lambda: fill(REPORT, nbytes // 3 + 3).encode()[:nbytes].decode(errors="ignore").encode(), "refused"),
        Case("stdin-bytes", f"standard input of {mb:g} MB", "report.txt",
             lambda: fill(REPORT, nbytes // 3 + 3).encode()[:nbytes].decode(errors="ignore").encode(), "refused",
             stdin=True),
        Case("txt-over-chars", f"{chars + 1:,} characters (one over the text cap)", "report.txt",
             lambda: fill(REPORT + "\n\n", chars + 1).encode(), "refused"),
        Case("txt-over-bytes", f".txt one byte over {mb:g} MB", "report.txt",
             lambda: b"a" * (nbytes + 1), "refused"),
    ]


def run(cmd, cwd, stdin_file, timeout):
    """(exit code or None on timeout, stderr text, seconds, peak RSS KiB)."""
    with tempfile.TemporaryFile() as err:
        stdin = open(stdin_file, "rb") if stdin_file else subprocess.DEVNULL
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        rc = None
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                rc, rss = os.waitstatus_to_exitcode(status), ru.ru_maxrss
                break
            if time.monotonic() - t0 > timeout:
                os.killpg(p.pid, signal.SIGKILL)
                _, _, ru = os.wait4(p.pid, 0)
                rss = ru.ru_maxrss
                break
            time.sleep(0.05)
        p.returncode = rc if rc is not None else -9
        secs = time.monotonic() - t0
        if stdin_file:
            stdin.close()
        err.seek(0)
        return rc, err.read().decode("utf-8", "replace"), secs, rss


def write_case(name: str, chars: int, mb: float, path: str) -> None:
    """Build one case's input in a separate (spawned) process: the harness stays small, so the
    child's peak RSS is the checker's own and not the image of a parent holding 50 MB inputs."""
    case = next(c for c in cases(chars, mb) if c.name == name)
    Path(path).write_bytes(case.make())


def verdict(case: Case, rc, stderr: str) -> str:
    if rc is None:
        return "HANG"
    if "内部错误" in stderr or "Traceback" in stderr:
        return "INTERNAL ERROR"
    if case.expect == "checked":
        return "ok" if rc in (0, 1) else f"unexpected exit {rc}"
    if rc == 2 and ("文本超过" in stderr or "文件过大" in stderr):
        return "ok"
    return f"unexpected exit {rc}"


def main() -> int:
    from govlint.readers import DEFAULT_MAX_FILE_MB
    from govlint.readers.base import DEFAULT_MAX_TEXT_CHARS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=DEFAULT_MAX_TEXT_CHARS, help="text cap to test at")
    ap.add_argument("--mb", type=float, default=DEFAULT_MAX_FILE_MB, help="byte cap to test at (MB)")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    todo = [c for c in cases(args.chars, args.mb) if not args.only or c.name in args.only.split(",")]
    os.environ["PYTHONPATH"] = str(REPO / "src")      # this tree's govlint, in the children too
    import multiprocessing
    mp = multiprocessing.get_context("spawn")
    results = []
    print(f"# at-limit run: text cap {args.chars:,} characters, byte cap {args.mb:g} MB, timeout "
          f"{args.timeout:g} s; {machine()}; load {os.getloadavg()[0]:.1f}")
    print("| case | input | file MB | outcome | exit | seconds | peak MiB | verdict |")
    print("|---|---|---:|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="govlint-at-limit-") as tmp:
        for c in todo:
            d = Path(tmp) / c.name
            d.mkdir()
            (d / "govlint.toml").write_text(f"max-text-chars = {args.chars}\nmax-file-size = {args.mb:g}\n",
                                            encoding="utf-8")
            f = d / (("stdin-" if c.stdin else "") + c.filename)
            maker = mp.Process(target=write_case, args=(c.name, args.chars, args.mb, str(f)))
            maker.start()
            maker.join()
            size = f.stat().st_size
            if c.stdin:
                cmd = [sys.executable, "-m", "govlint", "check", "-", "--stdin-filename", c.filename]
            else:
                cmd = [sys.executable, "-m", "govlint", "check", c.filename]
            cmd += ["-f", "json", "-j", "1", "--profile", "self-eval"]     # every rule runs
            rc, err, secs, rss = run(cmd, d, f if c.stdin else None, args.timeout)
            v = verdict(c, rc, err)
            outcome = "killed" if rc is None else ("refused" if rc == 2 else "checked")
            results.append({"case": c.name, "input": c.what, "bytes": size, "exit": rc, "seconds": round(secs, 1),
                            "peak_mib": round(rss / 1024), "verdict": v, "stderr": err.strip()[-300:]})
            print(f"| {c.name} | {c.what} | {size / (1 << 20):.1f} | {outcome} | {rc} | {secs:.1f} | "
                  f"{rss / 1024:.0f} | {v} |", flush=True)
            for p in d.iterdir():
                p.unlink()
    bad = [r for r in results if r["verdict"] != "ok" or r["peak_mib"] >= 1024]
    print(f"\n{len(results)} cases, {len(bad)} failed (hang, internal error, wrong outcome or ≥ 1 GiB)")
    for r in bad:
        print(f"- {r['case']}: {r['verdict']}, {r['peak_mib']} MiB; {r['stderr'][-200:]}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
