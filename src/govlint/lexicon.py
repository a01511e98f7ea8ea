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
    except RecursionError:
        raise LexiconError(f"{path}: 词库文件嵌套层数过多") from None


_OPTIONAL = {"suggestion", "suggest", "not", "also_text", "unless", "hint", "example", "required",
             "except_nature", "except_func", "not_after", "not_before", "not_later", "after"}   # read with .get
_META_KEYS = {"extends", "source", "description"}
_KIND = {str: "字符串", int: "数字", float: "数字", bool: "true 或 false", list: "列表", dict: "表"}


def _kind(v) -> str:
    for t, name in _KIND.items():
        if type(v) is t:
            return name
    return type(v).__name__


def _same_kind(base, ext) -> bool:
    if isinstance(base, bool) or isinstance(ext, bool):
        return isinstance(base, bool) and isinstance(ext, bool)
    if isinstance(base, (int, float)):
        return isinstance(ext, (int, float))
    return isinstance(ext, type(base)) if isinstance(base, (str, list, dict)) else True


def _records(where: str, base_items: list, item: dict) -> None:
    """``item`` (a table in a list or a new entry of a table of tables) against the shipped ones."""
    keys = set().union(*(set(b) for b in base_items))
    # a key every shipped entry gives a value is required; one some leave empty ([], "") is optional
    required = {k for k in set.intersection(*(set(b) for b in base_items)) - _OPTIONAL
                if all(b[k] not in ([], "", {}) for b in base_items)}
    for key in sorted(set(item) - keys):
        raise LexiconError(f"{where}: 未知的键 {key!r}（可用：{'、'.join(sorted(keys))}）")
    for key in sorted(required - set(item)):
        raise LexiconError(f"{where}: 缺少键 {key!r}")
    for key, value in item.items():
        _conform(f"{where}.{key}", next(b[key] for b in base_items if key in b), value)


def _conform(where: str, base, ext) -> None:
    """Raise LexiconError unless ``ext`` has the shape of the shipped value ``base``."""
    if not _same_kind(base, ext):
        raise LexiconError(f"{where}: 应为{_kind(base)}，不是{_kind(ext)} {str(ext)[:40]!r}")
    if isinstance(base, list) and base:
        if all(isinstance(b, dict) for b in base):
            for i, item in enumerate(ext):
                if not isinstance(item, dict):
                    raise LexiconError(f"{where}[{i}]: 应为表，不是{_kind(item)} {str(item)[:40]!r}")
                _records(f"{where}[{i}]", base, item)
        else:
            for i, item in enumerate(ext):
                _conform(f"{where}[{i}]", base[0], item)
    elif isinstance(base, dict):
        values = list(base.values())
        for key, value in ext.items():
            if key in base:
                _conform(f"{where}.{key}", base[key], value)
            elif values and all(isinstance(v, dict) for v in values):
                if not isinstance(value, dict):
                    raise LexiconError(f"{where}.{key}: 应为表，不是{_kind(value)} {str(value)[:40]!r}")
                _records(f"{where}.{key}", values, value)
            elif values and all(_same_kind(values[0], v) for v in values):
                _conform(f"{where}.{key}", values[0], value)
            else:
                raise LexiconError(f"{where}: 未知的键 {key!r}（可用：{'、'.join(sorted(base))}）")


def _user_patterns(node, key: str = ""):
    """Regular expressions in an extension: values of ``pattern``/``not`` and items of ``*patterns`` lists."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("pattern", "not") and isinstance(v, str):
                yield v
            else:
                yield from _user_patterns(v, k)
    elif isinstance(node, list):
        for v in node:
            if key.endswith("patterns") and isinstance(v, str):
                yield v
            else:
                yield from _user_patterns(v, key)


def check_extension(path: Path, target: str, base: dict, data: dict) -> None:
    """An extension's values have the shapes of the lexicon it extends, and its regular
    expressions compile and cannot backtrack catastrophically (``patterns.unsafe_reason``)."""
    import re
    from govlint.safe_regex import unsafe_reason
    for key, value in data.items():
        if key == "meta":
            continue
        if key not in base:
            raise LexiconError(f"{path}: 未知的键 {key!r}（词库 {target} 可用：{'、'.join(sorted(k for k in base if k != 'meta'))}）")
        try:
            _conform(key, base[key], value)
        except LexiconError as exc:
            raise LexiconError(f"{path}: {exc}") from None
    for pattern in _user_patterns({k: v for k, v in data.items() if k != "meta"}):
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError) as exc:
            raise LexiconError(f"{path}: 正则表达式 {pattern[:60]!r} 无效：{exc}") from None
        reason = unsafe_reason(pattern)
        if reason:
            raise LexiconError(f"{path}: 正则表达式 {pattern[:60]!r} 可能导致匹配耗时失控：{reason}")


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
            meta = data.get("meta", {})
            if not isinstance(meta, dict):
                raise LexiconError(f"{path}: meta 应为表（[meta] extends = \"<词库名>\"）")
            for key in sorted(set(meta) - _META_KEYS):
                raise LexiconError(f"{path}: [meta] 中的未知键 {key!r}（可用：extends、source、description；"
                                   f"词表应写在 [meta] 之前，或写在它自己的表里）")
            target = meta.get("extends")
            if target is not None and not isinstance(target, str):
                raise LexiconError(f"{path}: [meta] extends 应为词库名（字符串）")
            if not target:
                raise LexiconError(f"{path}: 缺少 [meta] extends = \"<词库名>\"，无法确定要扩展哪个词库")
            if target not in self._data:
                raise LexiconError(f"{path}: 未知词库 {target!r}（可选：{', '.join(sorted(self._data))}）")
            check_extension(path, target, self._data[target], data)
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
                if not isinstance(item, dict):
                    continue
                # "pattern", and the context guards of the confusables lexicon (STYLE008)
                for field in ("pattern", "after", "not_after", "not_before", "not_later"):
                    pattern = item.get(field)
                    if isinstance(pattern, str):
                        try:
                            re.compile(pattern)
                        except (re.error, OverflowError, RecursionError) as exc:
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
