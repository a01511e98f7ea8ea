"""``govlint web``: the reviewer's workbench in the browser (see ``govlint.web.app``)."""

import os
from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    from govlint import cli

    @app.command("web")
    def web(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只在本机可访问；其他地址必须设置访问令牌）"),
        port: int = typer.Option(8765, "--port", help="端口"),
        open_browser: bool = typer.Option(False, "--open", help="启动后在浏览器中打开"),
        token: Optional[List[str]] = typer.Option(
            None, "--token", help="访问令牌（可重复，每个令牌只能看到自己的批次；也可用环境变量 GOVLINT_WEB_TOKEN，逗号分隔）"),
        data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="数据目录（上传文件和审核记录；默认 ~/.local/share/govlint/web）"),
        retention: Optional[float] = typer.Option(None, "--retention", help="删除多少天以前的批次（启动时和每天执行）", min=0.01),
        max_upload_mb: float = typer.Option(200, "--max-upload-mb", help="一次上传的总大小上限（MB）", min=1),
        max_files: int = typer.Option(500, "--max-files", help="一次上传的文件数上限", min=1),
        corpus: Optional[List[str]] = typer.Option(None, "--corpus", help="页面上可选的对照语料索引（可重复）"),
        jobs: Optional[int] = cli.check_option("jobs"),
    ):
        """启动审核工作台（浏览器界面）：上传、检查、逐条采纳或不采纳、下载审核意见表。"""
        try:
            import uvicorn  # noqa: F401
            import starlette  # noqa: F401
        except ImportError:
            cli.fail("审核工作台需要额外的依赖：pip install 'govlint[web]'")
        from govlint.web.app import Settings, StartError, create_app
        tokens = list(token or []) + [t.strip() for t in os.environ.get("GOVLINT_WEB_TOKEN", "").split(",") if t.strip()]
        settings = Settings(host=host, tokens=tuple(tokens), data_dir=data_dir, max_upload_mb=max_upload_mb,
                            max_files=max_files, retention_days=retention, jobs=jobs or cli.default_jobs(),
                            corpora=tuple(corpus or ()))
        try:
            application = create_app(settings)
        except StartError as exc:
            cli.fail(str(exc))
        except OSError as exc:
            cli.fail(f"无法使用数据目录 {settings.data_dir}（系统错误 {exc.errno}）")
        url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        typer.echo(f"govlint 审核工作台：{url}（按 Ctrl+C 停止）", err=True)
        if open_browser:
            import threading
            import webbrowser
            threading.Timer(1.0, lambda: webbrowser.open(url)).start()
        import uvicorn
        uvicorn.run(application, host=host, port=port, log_level="warning")
