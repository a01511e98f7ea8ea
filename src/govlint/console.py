"""The console a person reads: encodings that lack some characters, and how wide characters are.

Chinese Windows consoles (and ``PYTHONIOENCODING=gbk``) encode output in GBK/GB18030 or
another legacy code page. Characters such a console cannot show are replaced by a close
equivalent (⟦ ⟧ → 【 】, ‸ → ^, ✓ → √), or by ``?``, never raising ``UnicodeEncodeError``.

Widths: East Asian Wide and Fullwidth characters take two cells; Ambiguous ones (“ ” ‘ ’ …
— · ×) take two cells in the fonts Chinese consoles use and one elsewhere. They count as
wide when the console speaks a Chinese encoding or the locale is Chinese, overridable with
``GOVLINT_AMBIGUOUS_WIDTH=1|2``.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata

EQUIVALENTS = {"⟦": "【", "⟧": "】", "‸": "^", "✓": "√", "✗": "×", "⚠": "!", "→": "->", "≥": ">=", "≤": "<=",
               "\u2009": " ", "\u202f": " ", "\u00a0": " "}
ERRORS = "govlint-console"
CHINESE_ENCODINGS = ("gbk", "gb2312", "gb18030", "cp936", "big5", "cp950", "hz")


def _replace(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        alt = EQUIVALENTS.get(ch, "?")
        try:
            alt.encode(exc.encoding)
        except (UnicodeEncodeError, LookupError):
            alt = "?"
        out.append(alt)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _replace)


def prepare_streams() -> None:
    """Make stdout/stderr replace what their encoding lacks instead of raising (UTF-8 is left alone)."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if not enc or enc in ("utf-8", "utf8"):
            continue
        try:
            stream.reconfigure(errors=ERRORS)
        except (AttributeError, ValueError):   # not a TextIOWrapper (tests, redirected objects)
            pass


def ambiguous_wide() -> bool:
    forced = os.environ.get("GOVLINT_AMBIGUOUS_WIDTH", "").strip()
    if forced in ("1", "2"):
        return forced == "2"
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if any(enc.startswith(e.replace("-", "")) for e in CHINESE_ENCODINGS):
        return True
    loc = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG") or ""
    return loc.lower().startswith("zh")


def cells(s: str, wide_ambiguous: bool = False) -> int:
    """Display width of ``s`` in terminal cells."""
    wide = "WFA" if wide_ambiguous else "WF"
    n = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in wide else 1
    return n


def terminal_width(default: int = 0) -> int:
    """Columns of the terminal standard output goes to (0 when it is not a terminal)."""
    try:
        if not sys.stdout.isatty():
            return default
    except (AttributeError, ValueError):
        return default
    import shutil
    return shutil.get_terminal_size((default or 80, 24)).columns
