"""Numbers as reports write them: Chinese numerals, full-width digits, and numbers for messages.

The one place that parses Chinese numerals (``cn_number``; ``cn_to_int`` for heading
numbers and counts of items) and formats numbers for messages (``fmt``). ``int_to_cn``
writes a heading number back (1 → 一, 12 → 十二).
"""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERALS = "一二三四五六七八九十"

_FW = str.maketrans("０１２３４５６７８９．", "0123456789.")
# a full-width comma is a thousands separator only between a digit and exactly three digits;
# elsewhere it is a clause break ("…12月底，14栋") and must not hide the number after it
_FW_THOUSANDS = re.compile(r"(?<=[0-9０-９])，(?=[0-9０-９]{3}(?![0-9０-９]))")
ARABIC = r"(?<![A-Za-z0-9.#/\-,_])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?![\d#])"
CN_DIGIT = "零〇一二两三四五六七八九"
CN_NUM = f"[{CN_DIGIT}十][{CN_DIGIT}十百千万亿]*?(?:点[{CN_DIGIT}]+)?"      # lazy: a unit follows
CN_NUM_GREEDY = f"[{CN_DIGIT}十][{CN_DIGIT}十百千]*(?:点[{CN_DIGIT}]+)?"
_CN_CHARS = f"{CN_DIGIT}十百千万亿点"


def normalize_digits(text: str) -> str:
    """Full-width digits and point to ASCII, and a full-width comma used as a thousands
    separator ("1，250") to ","; the length is unchanged."""
    text = text.translate(_FW)
    return _FW_THOUSANDS.sub(",", text) if "，" in text else text


# Chinese numerals without cn2an (its import compiles large regexes: ~75 ms CPU per process).
# cn_number returns None when unsure (then cn2an decides) and raises ValueError for forms
# cn2an rejects too (三亿五千 cut from 三亿五千万元). Agrees with cn2an on all 750 distinct
# numerals of the shared corpus (checked by bench/check_cn_numbers.py).
_D = CN_DIGITS
_U = {"十": 10, "百": 100, "千": 1000}
_B = {"万": 10_000, "亿": 100_000_000}


def cn_number(s: str):
    """三百 → 300, 一千二百五十点五 → 1250.5, 两万三千 → 23000, 八万一 → 81000, 二千零十七 → 2017."""
    intpart, dot, frac = s.partition("点")
    if not intpart or (dot and (not frac or any(ch not in _D for ch in frac))):
        return None
    if intpart[0] in "百千万亿":
        return None
    tail = intpart.rsplit("亿", 1)[1] if "亿" in intpart else ""
    if tail and "万" not in tail and tail[0] not in "零〇":
        raise ValueError(s)
    if all(ch in _D for ch in intpart):                 # 二〇二五: digit by digit
        if len(intpart) > 1 and any(ch == "两" for ch in intpart):
            return None
        value = int("".join(str(_D[ch]) for ch in intpart))
    else:
        total = section = 0
        number = None
        zero = False          # a 零 since the last unit: 一千零五 is 1005, not 1500
        last_unit = 10 ** 9   # units fall inside a section: 三千五百, not 三百五千
        last_big = 10 ** 12
        prev = 0              # the multiplier applied last (for 八万一 = 81000)
        for ch in intpart:
            if ch in _D:
                if number is not None:
                    return None                          # 三五十: two digits in a row
                if _D[ch] == 0:
                    zero = True
                else:
                    number = _D[ch]
            elif ch in _U:
                u = _U[ch]
                if u >= last_unit:
                    return None
                section += (1 if number is None else number) * u
                number, last_unit, prev, zero = None, u, u, False
            elif ch in _B:
                b = _B[ch]
                if b >= last_big:
                    return None
                section += number or 0
                if section == 0:
                    return None
                total += section * b
                section, number, last_unit, last_big, prev, zero = 0, None, 10 ** 9, b, b, False
            else:
                return None
        if number is not None and not zero and prev >= 100:
            number *= prev // 10                          # 八万一, 三千五, 一百五
        value = total + section + (number or 0)
    if dot:
        return float(f"{value}.{''.join(str(_D[ch]) for ch in frac)}")
    return float(value)


def parse_number(s: str) -> float | None:
    """'1,250.5' → 1250.5, '３００' → 300, '三百' → 300, '一千二百五十点五' → 1250.5; else None."""
    s = normalize_digits(s.strip())
    if not s:
        return None
    if re.fullmatch(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if re.fullmatch(f"[{_CN_CHARS}]+", s):
        try:
            value = cn_number(s)
        except (ValueError, OverflowError):   # a run of numerals no figure has (三百二十个“九”)
            return None
        if value is not None:
            return value
        try:   # rare forms (一两, 零两): cn2an, whose import costs ~75 ms CPU
            import cn2an
            return float(cn2an.cn2an(s, "strict"))
        except Exception:
            try:
                import cn2an
                return float(cn2an.cn2an(s, "smart"))
            except Exception:
                return None
    return None




def cn_to_int(s: str) -> int | None:
    """A small Chinese numeral (一 … 九十九, as heading numbers and counts of items are written).

    None when it is not one, or not below 100.
    """
    if not s:
        return None
    try:
        value = cn_number(s)
    except ValueError:
        return None
    if value is None or value >= 100 or value != int(value):
        return None
    return int(value)


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return prefix + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def fmt(x: float | None, places: int = 2) -> str:
    """A number for messages: at most ``places`` decimals, trailing zeros dropped; None → —."""
    if x is None:
        return "—"
    s = f"{x:.{places}f}"
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return s if s not in ("-0", "") else "0"
