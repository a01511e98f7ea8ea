"""``govlint baseline PATH... -o FILE``: record current findings so later runs report only new ones."""

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    from govlint import cli

    @app.command("baseline")
    def baseline_cmd(
        paths: List[str] = typer.Argument(..., help="报告文件或目录（.txt .md .docx .pdf）"),
        output: Path = typer.Option(Path("govlint-baseline.json"), "--output", "-o",
                                    help="基线文件（默认 govlint-baseline.json）"),
        select: Optional[List[str]] = cli.check_option("select", "只记录这些规则（代码或前缀，逗号分隔）"),
        ignore: Optional[List[str]] = cli.check_option("ignore", "不记录这些规则"),
        extend_select: Optional[List[str]] = cli.check_option("extend_select"),
        profile: cli.Profile = cli.check_option("profile"),
        config: Optional[str] = cli.check_option("config"),
        corpus: Optional[str] = cli.check_option("corpus"),
        jobs: Optional[int] = cli.check_option("jobs"),
        no_progress: bool = cli.check_option("no_progress"),
    ):
        """记录当前的全部问题为基线；之后 govlint check --baseline FILE 只报告新问题。"""
        from govlint import baseline as bl
        if paths == ["-"]:
            cli.fail("基线需要报告文件或目录，不能从标准输入读取")
        if output.exists() and not bl.is_baseline(output):
            cli.fail(f"{output} 已存在且不是 govlint 基线文件，不会覆盖它（请换一个文件名）")
        overrides = cli.build_overrides(select, ignore, extend_select, profile, None, corpus)
        results = cli.run_check(paths, overrides, None, jobs or cli.default_jobs(), not no_progress, config)
        bad = [r for r in results if r.error]
        if bad:
            for r in bad:
                typer.echo(f"govlint: 错误：{r.path}: {r.error}", err=True)
            cli.fail("有文件无法检查，未写入基线")
        try:
            n = bl.write_baseline(results, output)
        except OSError as exc:
            cli.fail(f"{output}: 无法写入：{exc.strerror}")
        files = sum(1 for r in results if r.findings)
        typer.echo(f"已将 {len(results)} 个文件中的 {n} 个问题（涉及 {files} 个文件）写入基线 {output}", err=True)
