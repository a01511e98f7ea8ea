"""Configuration: ``[tool.govlint]`` in pyproject.toml or a govlint.toml, found upward.

Unknown keys and bad values are errors naming the file and key. Command-line flags are
applied on top with ``Config.override``.
"""

from __future__ import annotations

import fnmatch

from functools import lru_cache
from pathlib import Path

from govlint._record import Frozen
from govlint.finding import Severity

PROFILES = ("auto", "self-eval", "generic")

KNOWN_KEYS = {
    "select", "ignore", "extend-select", "severity", "per-file-ignores", "options", "lexicons",
    "profile", "fail-on", "exclude", "corpus", "baseline", "boilerplate", "jobs", "max-file-size",
    "max-text-chars",
}


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


class Config(Frozen):
    """Settings from the configuration file and the command line (immutable; ``override`` makes a new one)."""

    _fields = ("select", "ignore", "extend_select", "severity", "per_file_ignores", "options", "lexicons",
               "profile", "fail_on", "exclude", "corpus", "baseline", "boilerplate", "jobs", "max_file_size",
               "max_text_chars", "source", "root")
    __slots__ = _fields
    _compare_fields = _fields
    _repr_fields = _fields

    def __init__(self, select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                 extend_select: tuple[str, ...] = (), severity: tuple[tuple[str, Severity], ...] = (),
                 per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
                 options: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = (),
                 lexicons: tuple[str, ...] = (), profile: str = "auto",
                 fail_on: Severity | None = Severity.WARNING,     # None: never fail on findings
                 exclude: tuple[str, ...] = (), corpus: str | None = None, baseline: str | None = None,
                 boilerplate: tuple[str, ...] = (), jobs: int | None = None,
                 max_file_size: float | None = None,   # MB per input file (readers.DEFAULT_MAX_FILE_MB)
                 max_text_chars: int | None = None,    # characters per input (readers.DEFAULT_MAX_TEXT_CHARS)
                 source: str | None = None,     # the file this came from
                 root: str | None = None):      # its directory; globs are relative to it
        self._fill(locals())

    # ----- views ---------------------------------------------------------------------
    def severity_for(self, code: str) -> Severity | None:
        return dict(self.severity).get(code)

    def options_for(self, code: str) -> dict:
        return dict(dict(self.options).get(code, ()))

    def ignored_for_path(self, path: str) -> tuple[str, ...]:
        out: list[str] = []
        rel = path
        if self.root:
            try:
                rel = str(Path(path).resolve().relative_to(Path(self.root).resolve()))
            except ValueError:
                rel = path
        rel = rel.replace("\\", "/")
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern):
                out.extend(codes)
        return tuple(out)

    def enabled_codes(self) -> set[str]:
        from govlint import registry
        rules = registry.all_rules()
        codes = list(rules)
        if self.select is None:
            chosen = {c for c in registry.select_codes(None, self.ignore, codes) if rules[c].enabled_by_default}
        else:
            chosen = registry.select_codes(list(self.select), self.ignore, codes)
        if self.extend_select:
            chosen |= registry.select_codes(list(self.extend_select), self.ignore, codes)
        return chosen

    def override(self, **kw) -> "Config":
        """Command-line values on top of the file: ``ignore`` extends, everything else replaces."""
        clean = {k: v for k, v in kw.items() if v is not None and k not in ("exclude", "force_exclude")}
        if "ignore" in clean:
            clean["ignore"] = tuple(dict.fromkeys(self.ignore + tuple(clean["ignore"])))
        return self._replace(**clean)

    def excludes(self, path: Path) -> bool:
        """Whether ``exclude`` globs (relative to the config's directory) match the path."""
        if not self.exclude:
            return False
        rel = str(path).replace("\\", "/")
        if self.root:
            try:
                rel = Path(path).resolve().relative_to(Path(self.root).resolve()).as_posix()
            except ValueError:
                pass
        parts = rel.split("/")
        for pat in self.exclude:
            pat = pat.rstrip("/")
            if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(Path(rel).name, pat):
                return True
            # a pattern naming a directory excludes everything below it
            if any(fnmatch.fnmatch("/".join(parts[:i]), pat) for i in range(1, len(parts))):
                return True
        return False


def _err(source: str, key: str, msg: str) -> ConfigError:
    return ConfigError(f"{source}: 配置项 {key}：{msg}")


def _codes(source, key, value) -> tuple[str, ...]:
    if not isinstance(value, (str, list)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
        raise _err(source, key, "应为规则代码或前缀的列表，例如 [\"STYLE\", \"DUP001\"]")
    from govlint import registry
    try:
        return registry.parse_codes(value.replace(" ", "") if isinstance(value, str) else value)
    except registry.UnknownCode as exc:
        raise _err(source, key, f"未知的规则代码或前缀 {exc.given!r}") from None


def parse(data: dict, source: str = "<config>", root: str | None = None) -> Config:
    """Validate a ``[tool.govlint]`` table into a Config."""
    from govlint import registry
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [tool.govlint] 应为表")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise _err(source, unknown[0], f"未知配置项（可用：{', '.join(sorted(KNOWN_KEYS))}）")
    kw: dict = {"source": source, "root": root}
    if "select" in data:
        kw["select"] = _codes(source, "select", data["select"])
    if "ignore" in data:
        kw["ignore"] = _codes(source, "ignore", data["ignore"])
    if "extend-select" in data:
        kw["extend_select"] = _codes(source, "extend-select", data["extend-select"])
    rules = registry.all_rules()
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict):
            raise _err(source, "severity", "应为表，例如 STYLE003 = \"warning\"")
        pairs = []
        for code, level in sev.items():
            if code.upper() not in rules:
                raise _err(source, f"severity.{code}", "未知的规则代码")
            try:
                pairs.append((code.upper(), Severity.parse(level)))
            except (ValueError, AttributeError):
                raise _err(source, f"severity.{code}", f"取值 {level!r} 无效，应为 error、warning 或 info") from None
        kw["severity"] = tuple(pairs)
    if "per-file-ignores" in data:
        pfi = data["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise _err(source, "per-file-ignores", "应为表，例如 \"archive/*.txt\" = [\"STYLE\"]")
        kw["per_file_ignores"] = tuple((pat, _codes(source, f"per-file-ignores.{pat}", codes))
                                       for pat, codes in pfi.items())
    if "options" in data:
        opts = data["options"]
        if not isinstance(opts, dict):
            raise _err(source, "options", "应为表，例如 [tool.govlint.options.DUP001]")
        out = []
        for code, table in opts.items():
            spec = rules.get(code.upper())
            if spec is None:
                raise _err(source, f"options.{code}", "未知的规则代码")
            if not isinstance(table, dict):
                raise _err(source, f"options.{code}", "应为表")
            vals = []
            for name, value in table.items():
                opt = spec.options.get(name)
                if opt is None:
                    avail = ", ".join(spec.options) or "无"
                    raise _err(source, f"options.{code}.{name}", f"规则 {code} 没有这个选项（可用：{avail}）")
                types = opt.type if isinstance(opt.type, tuple) else (opt.type,)
                if float in types and isinstance(value, int) and not isinstance(value, bool):
                    value = float(value)
                if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                    names = "、".join(t.__name__ for t in types)
                    raise _err(source, f"options.{code}.{name}", f"取值 {value!r} 类型错误，应为 {names}")
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if (opt.min is not None and value < opt.min) or (opt.max is not None and value > opt.max):
                        lo = "" if opt.min is None else f"不小于 {opt.min}"
                        hi = "" if opt.max is None else f"不大于 {opt.max}"
                        raise _err(source, f"options.{code}.{name}",
                                   f"取值 {value!r} 超出范围（应{'，'.join(x for x in (lo, hi) if x)}）")
                vals.append((name, value))
            out.append((code.upper(), tuple(vals)))
        kw["options"] = tuple(out)
    if "lexicons" in data:
        lex = data["lexicons"]
        if not isinstance(lex, list) or not all(isinstance(x, str) for x in lex):
            raise _err(source, "lexicons", "应为词库文件路径的列表")
        base = Path(root) if root else Path.cwd()
        paths = []
        for x in lex:
            p = (base / x).resolve()
            if not p.is_file():
                raise _err(source, "lexicons", f"词库文件不存在：{x}")
            paths.append(str(p))
        from govlint import lexicon
        try:   # load now, so a broken extension is a configuration error naming its file
            lexicon.validate(tuple(paths))
        except lexicon.LexiconError as exc:
            raise _err(source, "lexicons", str(exc)) from None
        kw["lexicons"] = tuple(paths)
    if "profile" in data:
        if data["profile"] not in PROFILES:
            raise _err(source, "profile", f"取值 {data['profile']!r} 无效，应为 {'、'.join(PROFILES)}")
        kw["profile"] = data["profile"]
    if "fail-on" in data:
        if data["fail-on"] == "never":
            kw["fail_on"] = None
        else:
            try:
                kw["fail_on"] = Severity.parse(data["fail-on"])
            except (ValueError, AttributeError):
                raise _err(source, "fail-on",
                           f"取值 {data['fail-on']!r} 无效，应为 error、warning、info 或 never") from None
    for key, attr in (("exclude", "exclude"), ("boilerplate", "boilerplate")):
        if key in data:
            v = data[key]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise _err(source, key, "应为字符串列表")
            kw[attr] = tuple(v)
    for key in ("corpus", "baseline"):
        if key in data:
            if not isinstance(data[key], str):
                raise _err(source, key, "应为字符串（路径或 URL）")
            v = data[key]
            if root and "://" not in v:
                v = str((Path(root) / v).resolve())
            kw[key] = v
    if "jobs" in data:
        if not isinstance(data["jobs"], int) or isinstance(data["jobs"], bool) or data["jobs"] < 1:
            raise _err(source, "jobs", "应为正整数")
        kw["jobs"] = data["jobs"]
    if "max-file-size" in data:
        v = data["max-file-size"]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v <= 4096:
            raise _err(source, "max-file-size", "应为 0 到 4096 之间的数（单位 MB）")
        kw["max_file_size"] = float(v)
    if "max-text-chars" in data:
        from govlint.readers.base import MAX_TEXT_CHARS
        v = data["max-text-chars"]
        if not isinstance(v, int) or isinstance(v, bool) or not 1000 <= v <= MAX_TEXT_CHARS:
            raise _err(source, "max-text-chars", f"应为 1000 到 {MAX_TEXT_CHARS} 之间的整数（单位：字符）")
        kw["max_text_chars"] = v
    return Config(**kw)


def load_file(path: Path) -> Config | None:
    """Config from one file, or None when a pyproject.toml has no [tool.govlint]."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取配置文件（系统错误 {exc.errno}）") from None
    if path.name == "pyproject.toml" and b"govlint" not in raw:
        return None   # another tool's project file: not ours to parse (or to reject)
    from govlint.lexicon import _toml
    tomllib = _toml()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: 不是 UTF-8 编码的 TOML 文件") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: 不是合法的 TOML：{exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: TOML 嵌套层数过多") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):   # tool = "x", [[tool]]: not a table, so no [tool.govlint]
            raise ConfigError(f"{path}: tool 应为表（[tool.govlint]），不是{'数组' if isinstance(tool, list) else '单个取值'}")
        table = tool.get("govlint")
        if table is None:
            return None
        return parse(table, f"{path} [tool.govlint]", str(path.parent))
    return parse(data, str(path), str(path.parent))


@lru_cache(maxsize=256)
def find_for_dir(directory: str) -> Config:
    """The nearest config at or above ``directory`` (govlint.toml before pyproject.toml)."""
    try:
        d = Path(directory).resolve()
    except (OSError, RuntimeError):   # a symlink loop, a name too long: no configuration to find
        return Config()
    for cand in [d, *d.parents]:
        for name in ("govlint.toml", "pyproject.toml"):
            f = cand / name
            try:
                found = f.is_file()
            except OSError:   # a directory without search permission: its files are unreadable too
                found = False
            if found:
                cfg = load_file(f)
                if cfg is not None:
                    return cfg
    return Config()


def for_path(path: str) -> Config:
    """The configuration file's settings for a checked file (discovered upward from it)."""
    p = Path(path)
    try:
        is_dir = p.is_dir()
    except (OSError, ValueError):
        is_dir = False
    return find_for_dir(str(p.parent if not is_dir else p))


class Settings(Frozen):
    """One run's configuration, resolved once and passed down (pickled to worker processes).

    ``explicit`` is the ``--config`` file's Config (None: each file's configuration is found
    upward from it); ``overrides`` are the command-line values, applied on top of every
    file's configuration with ``Config.override``. ``exclude`` (command line) filters folders.
    """

    _fields = ("overrides", "explicit")
    __slots__ = _fields
    _compare_fields = _fields
    _repr_fields = _fields

    def __init__(self, overrides: tuple[tuple[str, object], ...] = (), explicit: Config | None = None):
        self._fill(locals())

    @classmethod
    def make(cls, overrides: "dict | Settings | None" = None, config_file: str | None = None) -> "Settings":
        """From command-line overrides and the ``--config`` file (raises ConfigError)."""
        if isinstance(overrides, Settings):
            return overrides
        explicit = None
        if config_file:
            explicit = load_file(Path(config_file))
            if explicit is None:
                raise ConfigError(f"{config_file}: 没有 [tool.govlint] 配置")
        return cls(tuple((overrides or {}).items()), explicit)

    def get(self, key: str, default=None):
        """A command-line override (``select``, ``baseline``, ``exclude`` ...)."""
        for k, v in self.overrides:
            if k == key:
                return v
        return default

    def file_config(self, path: str) -> Config:
        """The configuration file's settings for ``path``, before command-line overrides."""
        return self.explicit if self.explicit is not None else for_path(path)

    def for_path(self, path: str) -> Config:
        """The effective configuration for a checked file."""
        return self.file_config(path).override(**dict(self.overrides))
