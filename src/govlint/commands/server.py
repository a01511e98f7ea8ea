"""``govlint server``: a Language Server over stdio for editors (needs pygls: govlint[lsp])."""

import typer


def register(app: typer.Typer) -> None:
    from govlint import cli

    @app.command("server")
    def server_cmd(
        stdio: bool = typer.Option(True, "--stdio", help="通过标准输入输出通信（默认，兼容编辑器的 --stdio 参数）"),
    ):
        """启动语言服务器（LSP），在编辑器中实时显示问题。"""
        try:
            import lsprotocol  # noqa: F401
            from pygls.lsp.server import LanguageServer  # noqa: F401  (pygls 2.x)
        except ImportError:
            cli.fail("语言服务器需要 pygls 2.x：请运行 pip install 'govlint[lsp]'（或 pip install -U pygls）")
        from govlint.lsp import serve
        serve()
