"""Finding report files: files named as they are, directories walked in sorted order.

A directory yields the files with a supported suffix, minus hidden files, Office lock files
(``~$``), ``exclude`` patterns (command line and configuration) and govlint's own outputs.
Used by the check runner and by ``govlint corpus add``.
"""

from __future__ import annotations

import os
from pathlib import Path

from govlint.config import ConfigError, Settings


def find_reports(paths: list[str], exclude: tuple[str, ...] = (),
                 settings: Settings | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and directories into report files → (files, [(path, one-line error)])."""
    from govlint.readers import supported_suffixes
    settings = settings or Settings()
    suffixes = set(supported_suffixes())
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules"))
                for name in sorted(names):
                    if name.startswith((".", "~$")):
                        continue
                    fp = Path(root) / name
                    if fp.suffix.lower() in suffixes and not _excluded(fp, exclude) \
                            and not _config_excludes(fp, settings) and not govlint_made(fp):
                        found.append(str(fp))
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
    except ConfigError:
        return False   # reported when the file is linted


def _excluded(path: Path, patterns) -> bool:
    import fnmatch
    s = str(path).replace("\\", "/")
    return any(fnmatch.fnmatch(s, pat) or fnmatch.fnmatch(path.name, pat) or fnmatch.fnmatch(s, f"*/{pat}")
               for pat in patterns)
