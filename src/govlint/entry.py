"""The console script: ``govlint check`` runs without importing typer; the rest goes to the app."""

from __future__ import annotations

import os
import sys


def _internal_error(exc: BaseException) -> None:
    if os.environ.get("GOVLINT_DEBUG"):
        raise exc
    sys.stderr.write(f"govlint: 内部错误：{type(exc).__name__}: {exc}（设置 GOVLINT_DEBUG=1 查看详细信息）\n")
    sys.exit(2)


def main() -> None:
    # the console script's own process: compiled regexes come from (and go to) the cache
    from govlint.cache import hold_collector, install
    from govlint.console import prepare_streams
    prepare_streams()
    install()
    if sys.argv[1:2] == ["check"]:
        # released after the first report (runner.check_files); not for long-running commands
        hold_collector()
        try:
            from govlint.commands.check import check_command, parse_check_args
            kwargs = parse_check_args(sys.argv[2:])
            if kwargs is not None:
                sys.exit(check_command(**kwargs))
        except KeyboardInterrupt:  # pragma: no cover
            sys.stderr.write("govlint: 已中断\n")
            sys.exit(130)
        except SystemExit:
            raise
        except Exception as exc:
            _internal_error(exc)
    from govlint.cli import run_app
    run_app()


if __name__ == "__main__":  # pragma: no cover
    main()
