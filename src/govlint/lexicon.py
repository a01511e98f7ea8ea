"""Lexicons: word lists and tables in TOML files shipped inside the package.

Every lexicon file has a ``[meta]`` table saying where its words come from. Users can
extend them with ``lexicons = ["path/to/extra.toml"]`` in their configuration: lists are
appended, tables are merged key by key.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path


def _toml():
    """tomllib, imported when a file is parsed (the command line usually finds the parsed
    lexicons in its cache and never needs it)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


class LexiconError(Exception):
    pass


def lexicon_dir() -> Path:
    """The directory holding the shipped lexicons (inside the wheel, or the checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "lexicons"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "lexicons"
    if checkout.is_dir():
        return checkout
    raise LexiconError("找不到词库目录 lexicons/（安装不完整）")


def userdict_path() -> Path | None:
    p = lexicon_dir() / "userdict.txt"
    return p if p.exists() else None


def _read(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LexiconError(f"{path}: 词库文件不存在") from None
    except OSError as exc:
        raise LexiconError(f"{path}: 无法读取词库文件（系统错误 {exc.errno}）") from None
    return _parse(path, raw)


def _parse(path: Path, raw: bytes) -> dict:
    tomllib = _toml()
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: 词库文件不是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path}: 词库文件不是合法的 TOML：{exc}") from None


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if key == "meta":
            continue
        if key in out and isinstance(out[key], list) and isinstance(value, list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        elif key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _shipped() -> dict[str, dict]:
    """The shipped lexicons by file stem; from the command line's cache when unchanged."""
    import zlib
    from govlint import __version__, cache
    directory = lexicon_dir()
    where = str(directory)
    paths = sorted(directory.glob("*.toml"))
    raw = [p.read_bytes() for p in paths]
    # keyed by contents, not size and mtime: wheels stamp every file with one date, so an
    # upgrade that swaps a word for one of the same length would keep both
    key = (__version__, where, tuple((p.name, zlib.crc32(b)) for p, b in zip(paths, raw)))
    # one file per installation: two environments sharing the cache must not overwrite each other
    name = f"lexicons-{zlib.crc32(where.encode('utf-8')):08x}"
    data = cache.get_data(name, key)
    if isinstance(data, dict):
        return data
    data = {path.stem: _parse(path, b) for path, b in zip(paths, raw)}
    cache.put_data(name, key, data)
    return data


class Lexicons:
    """All lexicons by file stem: ``lex["vague"]["degree"]``."""

    def __init__(self, extra_paths: tuple[str, ...] = ()):
        self._data: dict[str, dict] = _shipped()
        for extra in extra_paths:
            path = Path(extra)
            data = _read(path)
            target = data.get("meta", {}).get("extends")
            if not target:
                raise LexiconError(f"{path}: 缺少 [meta] extends = \"<词库名>\"，无法确定要扩展哪个词库")
            if target not in self._data:
                raise LexiconError(f"{path}: 未知词库 {target!r}（可选：{', '.join(sorted(self._data))}）")
            self._data[target] = _merge(self._data[target], data)

    def __getitem__(self, name: str) -> dict:
        try:
            return self._data[name]
        except KeyError:
            raise LexiconError(f"未知词库 {name!r}") from None

    def get(self, name: str, key: str, default=None):
        return self._data.get(name, {}).get(key, default)

    def names(self) -> list[str]:
        return sorted(self._data)


def validate(extra_paths: tuple[str, ...]) -> None:
    """Load the lexicons with these extensions and compile every regular expression in them."""
    import re
    lex = load(extra_paths)
    for name in lex.names():
        for key, value in lex[name].items():
            items = value if isinstance(value, list) else []
            for item in items:
                pattern = item.get("pattern") if isinstance(item, dict) else None
                if isinstance(pattern, str):
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        raise LexiconError(f"词库 {name}.{key} 中的正则表达式 {pattern!r} 无效：{exc}") from None


@lru_cache(maxsize=8)
def load(extra_paths: tuple[str, ...] = ()) -> Lexicons:
    """Load (once per process and set of extra paths)."""
    return Lexicons(extra_paths)


_ACTIVE: tuple[str, ...] = ()


def activate(extra_paths: tuple[str, ...]) -> None:
    """The user extensions in force for code that has no rule context (the table parser);
    ``engine.lint`` sets them from the configuration of the document being checked."""
    global _ACTIVE
    _ACTIVE = tuple(extra_paths)


def active() -> Lexicons:
    """The lexicons with the extensions in force (see ``activate``)."""
    return load(_ACTIVE)
