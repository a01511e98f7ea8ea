"""``govlint review``: the review comment list (审核意见表) and annotated Word copies.

Findings come from ``cli.run_check`` with the same options as ``govlint check``, so the
comments are exactly the findings ``check`` reports. Exit codes: 0 when everything was
written, 2 for usage errors and unreadable inputs (the outputs are still written for the
readable ones).
"""



from pathlib import Path
from typing import List, Optional

import typer

FORMATS = {".md": "md", ".markdown": "md", ".xlsx": "xlsx", ".docx": "docx", ".html": "html", ".htm": "html",
           ".pdf": "pdf"}


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def render_list(fmt: str, review) -> bytes:
    """The review list in one of FORMATS' formats, as bytes (also used by the web workbench)."""
    if fmt == "md":
        from govlint.output.review_md import render_review
        return render_review(review).encode("utf-8")
    if fmt == "html":
        from govlint.output.review_html import render_review
        return render_review(review).encode("utf-8")
    if fmt == "xlsx":
        from govlint.output.review_xlsx import render_bytes
        return render_bytes(review)
    if fmt == "pdf":
        from govlint.output.review_pdf import render_bytes
        return render_bytes(review)
    from govlint.output.review_docx import render_bytes
    return render_bytes(review)


def _write(path: Path, data: bytes, fail) -> None:
    from govlint.guard import write_output
    reason = write_output(path, data)
    if reason:
        fail(f"{path}: {reason}")


def register(app: typer.Typer) -> None:
    from govlint import cli

    @app.command("review")
    def review(
        paths: List[str] = typer.Argument(..., help="报告文件或目录（.txt .md .docx .pdf）"),
        output: Optional[List[Path]] = typer.Option(
            None, "--output", "-o", help="审核意见表文件，扩展名决定格式：.md .xlsx .docx .html .pdf（可重复）"),
        annotate: Optional[Path] = typer.Option(
            None, "--annotate", help="把问题作为批注写入 Word 报告的副本（只适用于单个 .docx 输入）"),
        select: Optional[List[str]] = cli.check_option("select"),
        ignore: Optional[List[str]] = cli.check_option("ignore"),
        extend_select: Optional[List[str]] = cli.check_option("extend_select"),
        profile: cli.Profile = cli.check_option("profile"),
        config: Optional[str] = cli.check_option("config"),
        corpus: Optional[str] = cli.check_option("corpus"),
        jobs: Optional[int] = cli.check_option("jobs"),
        no_progress: bool = cli.check_option("no_progress"),
        author: str = typer.Option("govlint", "--author", help="批注副本中批注的作者名（默认 govlint）"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不报告写出的文件"),
    ):
        """生成审核意见表（Markdown、Excel、Word、HTML），或在 Word 报告副本中添加批注。"""
        fail = cli.fail
        outputs = list(output or [])
        if not outputs and annotate is None:
            fail("请用 --output 指定审核意见表文件（.md .xlsx .docx .html .pdf），或用 --annotate 指定批注副本")
        if "-" in paths:
            fail("review 不支持从标准输入读取，请给出报告文件")
        for out in outputs:
            if out.is_dir():
                fail(f"{out}: 这是目录，请给出输出文件名")
            if out.suffix.lower() not in FORMATS:
                fail(f"{out}: 不支持的输出格式 {out.suffix or '（无扩展名）'}（支持：.md .xlsx .docx .html .pdf）")
            if FORMATS[out.suffix.lower()] == "pdf":
                from govlint.output.review_pdf import engines
                if not engines():
                    fail(f"{out}: 无法生成 PDF：本机没有 LibreOffice 或 Chromium（请安装其一，或输出 .docx 后另存为 PDF）")
        targets = outputs + ([annotate] if annotate is not None else [])
        for i, t in enumerate(targets):
            if t.is_dir():
                fail(f"{t}: 这是目录，请给出输出文件名")
            if any(_same(t, u) for u in targets[:i]):
                fail(f"{t}: 输出文件重复")
        from govlint.guard import check_writable
        from govlint.walk import find_reports
        files, _ = find_reports(paths)
        # a report is never overwritten; a list this command wrote last time may be (it is
        # recognised by its mark, and never reviewed as a report: the folder walk skips it)
        for t in targets:
            for src in list(paths) + files:
                if Path(src).is_file() and _same(t, Path(src)):
                    fail(f"{t}: 输出文件与输入文件相同，不会覆盖原文件")
            reason = check_writable(t)
            if reason:
                fail(f"{t}: {reason}")
        if annotate is not None:
            if len(files) != 1 or Path(files[0]).suffix.lower() != ".docx" or Path(paths[0]).is_dir():
                fail("--annotate 只适用于单个 .docx 报告")
            if annotate.suffix.lower() != ".docx":
                fail(f"{annotate}: 批注副本应为 .docx 文件")

        overrides = cli.build_overrides(select, ignore, extend_select, profile, None, corpus)
        results = cli.run_check(paths, overrides, None, jobs or cli.default_jobs(), not no_progress, config,
                                skip=targets)
        bad = [r for r in results if r.error]
        for r in bad:
            typer.echo(f"govlint: 错误：{r.path}: {r.error}", err=True)
        if len(bad) == len(results):
            raise typer.Exit(2)

        from govlint.output import review_model
        review_data = review_model.build(results)
        from govlint.output.review_pdf import PdfUnavailable
        for out in outputs:
            try:
                data = render_list(FORMATS[out.suffix.lower()], review_data)
            except PdfUnavailable as exc:
                fail(f"{out}: {exc}")
            _write(out, data, fail)
            if not quiet:
                typer.echo(f"已写入审核意见表：{out}", err=True)
        if annotate is not None:
            from govlint.output.review_annotate import AnnotateError, annotate_bytes
            result = next(r for r in results if not r.error)
            try:
                data, added, skipped = annotate_bytes(result, result.path, author=author)
            except AnnotateError as exc:
                fail(f"{result.path}: {exc}")
            _write(annotate, data, fail)
            if not quiet:
                extra = f"（{skipped} 条无法定位）" if skipped else ""
                typer.echo(f"已写入批注副本：{annotate}，共 {added} 条批注{extra}", err=True)
        raise typer.Exit(2 if bad else 0)
