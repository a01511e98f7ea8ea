"""Finding report files: files named as they are, directories walked in sorted order.

A directory yields the files with a supported suffix, minus hidden files, Office lock files
(``~$``), ``exclude`` patterns (command line and configuration) and govlint's own outputs.
Used by the check runner and by ``govlint corpus add``.
"""

from __future__ import annotations

import os
from pathlib import Path

from govlint.config import ConfigError, Settings


def find_reports(paths: list[str], exclude: tuple[str, ...] = (), settings: Settings | None = None,
                 skipped: list | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and directories into report files → (files, [(path, one-line error)]).

    Nothing in a folder is ignored silently (``readers.walk``): a file govlint cannot read is an
    error; only clearly non-report files, excluded ones and govlint's own outputs are skipped,
    and appended to ``skipped`` so the summary can say how many.
    """
    from govlint.readers import path_error, supported_suffixes, walk
    settings = settings or Settings()
    suffixes = set(supported_suffixes())
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        try:
            is_dir = p.is_dir()
        except (OSError, RuntimeError, ValueError) as exc:   # a name too long, a link loop
            errors.append((raw, path_error(exc)))
            continue
        if is_dir:
            found, bad, passed = walk(p, lambda fp: _excluded(fp, exclude) or _config_excludes(fp, settings)
                                      or govlint_made(fp))
            errors.extend(bad)
            if skipped is not None:
                skipped.extend(passed)
            if not found:
                errors.append((raw, f"目录中没有可检查的报告（支持：{'、'.join(sorted(suffixes))}）"))
            files.extend(found)
        elif settings.get("force_exclude") and (_excluded(p, exclude) or _config_excludes(p, settings)):
            continue     # --force-exclude: a named file is excluded too (pre-commit names every file)
        else:
            files.append(raw)
    return files, errors


def govlint_made(path: Path) -> bool:
    """govlint's own outputs (review lists, findings) found in a directory are not reports."""
    from govlint.guard import govlint_made as made
    return made(path)


def _config_excludes(path: Path, settings: Settings) -> bool:
    """``exclude`` of the configuration found for the file (files named explicitly are always checked)."""
    try:
        return settings.file_config(str(path)).excludes(path)
    except (ConfigError, OSError, RuntimeError, ValueError):
        return False   # reported when the file is linted


def _excluded(path: Path, patterns) -> bool:
    import fnmatch
    s = str(path).replace("\\", "/")
    return any(fnmatch.fnmatch(s, pat) or fnmatch.fnmatch(path.name, pat) or fnmatch.fnmatch(s, f"*/{pat}")
               for pat in patterns)
