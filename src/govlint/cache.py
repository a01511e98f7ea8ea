"""The command line's start-up: a cache of compiled regular expressions and parsed lexicons,
and the garbage collector held off while modules load.

A cold ``govlint check`` of one report spent about a third of its own time compiling its ~270
regular expressions (``re`` builds a 65,536-entry map for every Chinese character class and
walks every lexicon alternation) and parsing its TOML lexicons. Both results are plain data,
so the command line keeps them in files, the way Python keeps ``.pyc`` files and jieba keeps
its dictionary cache:

* compiled patterns: the SRE code ``re`` hands to ``_sre.compile``, keyed by the pattern text
  and flags, in a file named after the Python build, ``_sre.MAGIC`` and ``_sre.CODESIZE``; a
  pattern that changes (a lexicon edit) is simply a new entry, and ``_sre.compile`` checks the
  code it is given (an entry it rejects is dropped and compiled afresh). Only patterns compiled
  by govlint's own code and by the segmenters (jieba, jieba_fast_dat: fixed patterns) are kept (a library may build a pattern that differs in every process:
  cn2an's dependency ``proces`` does, 108 KB each), and a pattern no run has used in the last
  50 saves is dropped;
* parsed lexicons: keyed by the contents of every shipped lexicon file and govlint's version;
* loaded once per process (~2 ms), written back only when a run compiled or parsed something
  new, atomically (a temporary file, then ``os.replace``), and never an error: an unreadable,
  corrupt or unwritable cache means working as usual;
* ``GOVLINT_CACHE_DIR`` moves it (default ``$XDG_CACHE_HOME/govlint`` or ``~/.cache/govlint``;
  ``%LOCALAPPDATA%\\govlint`` on Windows); ``GOVLINT_NO_CACHE=1`` turns it off.

Only the console script turns it on (:func:`install`), for its own process: importing govlint
as a library leaves ``re`` alone and writes nothing.

The console script also holds off Python's cyclic garbage collector while it starts
(:func:`hold_collector`): imports, lexicons and the segmenter create a few hundred thousand
objects that live as long as the process, and the collector would scan them again and again
(~3 % of a cold run's instructions, measured with callgrind). After the first report, or just
before forking ``--jobs`` workers, :func:`release_collector` moves everything alive to the
permanent generation (``gc.freeze``, made for this pre-fork pattern) and turns collection on.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path

_FORMAT = 2
_KEEP_SAVES = 50          # a pattern no run used in the last 50 saves is dropped
_MAX_BYTES = 8 << 20      # past this, only what the saving run used is kept
_DEBUG = int(re.DEBUG)   # an int: ``flags & re.DEBUG`` would go through enum's __and__ per call


def cache_dir() -> Path | None:
    """Where the cache lives, or None when caching is off."""
    if os.environ.get("GOVLINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("GOVLINT_CACHE_DIR")
    if explicit is not None:
        return Path(explicit).expanduser() if explicit.strip() else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "govlint"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):   # no HOME: "~" would become a directory named ~ right here
        return None
    return Path(base) / "govlint"


def _read_marshal(path: Path):
    import marshal
    try:
        return marshal.loads(path.read_bytes())
    except Exception:  # missing, unreadable or corrupt
        return None


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; never raises (the cache is only a speed-up)."""
    import tempfile
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # a read-only home, a full disk
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class _PatternCache:
    """Wraps ``re``'s compiler: a hit skips parsing and optimising; a miss records the code."""

    def __init__(self, path: Path, compiler, sre):
        self.path = path
        self._compiler = compiler
        self._sre = sre
        self._compile = compiler.compile
        self._local = threading.local()
        self.generation, self.table = self._load()
        self.new: dict = {}
        self.used: set = set()
        self.hits = 0
        self.misses = 0

    # -- the file -------------------------------------------------------------------------
    def _load(self) -> tuple[int, dict]:
        """(generation, {key: (generation last used, entry)}) from the file, or (0, {})."""
        data = _read_marshal(self.path)
        if not (isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT
                and isinstance(data[1], int) and isinstance(data[2], dict)):
            return 0, {}
        return data[1], data[2]

    def save(self) -> None:
        """Write the table back if this process compiled something new; never raises."""
        if not self.new:
            return
        import marshal
        # what other processes (--jobs workers, a parallel run) wrote since this one started
        disk_generation, disk = self._load()
        generation = max(disk_generation, self.generation) + 1
        table = {**disk, **self.table}
        for key in self.used:
            if key in table:
                table[key] = (generation, table[key][1])
        for key, entry in self.new.items():
            table[key] = (generation, entry)
        table = {k: v for k, v in table.items() if v[0] > generation - _KEEP_SAVES}
        self.table, self.generation, self.new = table, generation, {}
        try:
            blob = marshal.dumps((_FORMAT, generation, table))
            if len(blob) > _MAX_BYTES:
                blob = marshal.dumps((_FORMAT, generation, {k: v for k, v in table.items() if v[0] == generation}))
        except (ValueError, TypeError):   # an entry marshal cannot write: keep the old file
            return
        _write_atomic(self.path, blob)

    # -- the hooks ------------------------------------------------------------------------
    def sre_compile(self, *args):
        """Stands in for ``_sre.compile`` inside ``re``'s compiler: notes the arguments."""
        self._local.args = args
        return self._sre.compile(*args)

    def compile(self, p, flags=0):
        """Stands in for ``re``'s ``compile(p, flags)``."""
        if type(p) is not str or int(flags) & _DEBUG:
            return self._compile(p, flags)
        from array import array
        key = (p, int(flags))
        hit = self.table.get(key)
        if hit is not None:
            try:
                out_flags, code, groups, groupindex, indexgroup = hit[1]
                pattern = self._sre.compile(p, out_flags, array("I", code).tolist(), groups,
                                            dict(groupindex), indexgroup)
                self.hits += 1
                self.used.add(key)
                return pattern
            except Exception:  # rejected by _sre's code check, or a malformed entry
                self.table.pop(key, None)
        self.misses += 1
        self._local.args = None
        compiled = self._compile(p, flags)
        args = self._local.args
        self._local.args = None
        if args is not None and len(args) == 6 and args[0] is p and _compiled_by_govlint():
            try:
                self.new[key] = (int(args[1]), array("I", args[2]).tobytes(), int(args[3]),
                                 {str(k): int(v) for k, v in args[4].items()},
                                 tuple(None if g is None else str(g) for g in args[5]))
            except (TypeError, ValueError, OverflowError):
                pass
        return compiled


def _compiled_by_govlint() -> bool:
    """Whether the code that asked ``re`` for this pattern is govlint's (its module)."""
    f = sys._getframe(2)
    while f is not None:
        name = f.f_globals.get("__name__", "")
        if name == "re" or name.startswith("re.") or name == "sre_compile":
            f = f.f_back
            continue
        return name.partition(".")[0] in _CACHED_PACKAGES
    return False


# packages whose patterns are fixed strings (the segmenters' character classes cost ~4 ms to
# compile in every cold run); a library that builds a new pattern per process stays out
_CACHED_PACKAGES = frozenset({"govlint", "jieba", "jieba_fast_dat"})


class _SreProxy:
    """``_sre`` as ``re``'s compiler sees it, with ``compile`` routed through the cache."""

    def __init__(self, sre, cache: _PatternCache):
        self._real = sre
        self.compile = cache.sre_compile

    def __getattr__(self, name):
        return getattr(self._real, name)


_installed: _PatternCache | None = None


def install() -> _PatternCache | None:
    """Route this process's regex compilation through the cache (console script only).

    Returns the cache, or None when it is off or this Python's ``re`` is not the one it knows
    (CPython 3.10+: ``re._compiler`` / ``sre_compile`` calling ``_sre.compile``)."""
    global _installed
    if _installed is not None:
        return _installed
    if sys.implementation.name != "cpython":
        return None
    where = cache_dir()
    if where is None:
        return None
    try:
        import _sre
        try:
            from re import _compiler as compiler
        except ImportError:  # Python 3.10
            import sre_compile as compiler
        if getattr(compiler, "_sre", None) is not _sre or not callable(getattr(compiler, "compile", None)):
            return None
    except ImportError:
        return None
    tag = f"{sys.implementation.cache_tag}-{'.'.join(map(str, sys.version_info[:3]))}"
    name = f"re-{tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.maxunicode:x}.marshal"
    cache = _PatternCache(where / name, compiler, _sre)
    compiler._sre = _SreProxy(_sre, cache)
    compiler.compile = cache.compile
    _installed = cache
    import atexit
    atexit.register(cache.save)
    return cache


def _data_path(name: str) -> Path | None:
    if _installed is None:
        return None
    tag = f"{sys.implementation.cache_tag}-{'.'.join(map(str, sys.version_info[:3]))}"
    return _installed.path.parent / f"{name}-{tag}.marshal"


def get_data(name: str, key):
    """What :func:`put_data` stored under ``name`` for this ``key`` (None: nothing, or another key,
    or the cache is off)."""
    path = _data_path(name)
    if path is None:
        return None
    data = _read_marshal(path)
    if isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT and data[1] == key:
        return data[2]
    return None


def put_data(name: str, key, value) -> None:
    """Keep ``value`` (plain data: str, int, float, bool, None, list, tuple, dict) under
    ``name`` for ``key``; does nothing when the cache is off or the value is not plain data."""
    path = _data_path(name)
    if path is None:
        return
    import marshal
    try:
        blob = marshal.dumps((_FORMAT, key, value))
    except ValueError:   # e.g. a TOML date
        return
    _write_atomic(path, blob)


_collector_held = False


def hold_collector() -> None:
    """Turn the cyclic garbage collector off until :func:`release_collector` (if it was on)."""
    global _collector_held
    import gc
    if gc.isenabled():
        gc.disable()
        _collector_held = True


def release_collector() -> None:
    """Freeze what start-up left alive and turn the collector back on, if it was held."""
    global _collector_held
    if _collector_held:
        import gc
        gc.freeze()
        gc.enable()
        _collector_held = False


def save() -> None:
    """Write back what this process compiled, if the cache is installed (worker processes,
    which end without running atexit handlers)."""
    if _installed is not None:
        _installed.save()


def uninstall() -> None:
    """Undo :func:`install` (tests), writing back what was compiled."""
    global _installed
    cache = _installed
    if cache is None:
        return
    import atexit
    atexit.unregister(cache.save)
    cache.save()
    cache._compiler.compile = cache._compile
    cache._compiler._sre = cache._sre
    _installed = None
