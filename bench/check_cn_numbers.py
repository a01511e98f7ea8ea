"""After applying quantities-speed.diff: does quantities.cn_number agree with cn2an?

Collects every Chinese numeral that parse_number sees on the shared corpus (plus a few
made-up forms) and compares cn_number with cn2an (strict, then smart). Run from the repo root.
"""
import glob
import re
import sys

from govlint import quantities as Q
from govlint.quantities import cn_number

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"
seen = set()
orig = Q.parse_number
def spy(s):
    t = Q.normalize_digits(s.strip())
    if t and re.fullmatch(f"[{Q._CN_CHARS}]+", t):
        seen.add(t)
    return orig(s)
Q.parse_number = spy
for f in sorted(glob.glob(f'{CORPUS}/*/*.txt')):
    Q.find_quantities(open(f, encoding='utf-8').read())
# plus a synthetic set
extra = ["三百", "一千二百五十点五", "两万三千", "十七", "九十", "一百零五", "三千万", "一亿二千万", "十万", "二〇二五", "五点五", "零点五",
         "十", "百", "两", "一万零一百", "三五", "十百", "万", "四亿五千万"]
seen |= set(extra)
import cn2an
agree = differ = ours_none = 0
bad = []
for s in sorted(seen):
    try:
        ref = float(cn2an.cn2an(s, "strict"))
    except Exception:
        try:
            ref = float(cn2an.cn2an(s, "smart"))
        except Exception:
            ref = None
    try:
        mine = cn_number(s)
        rejected = False
    except ValueError:
        mine, rejected = None, True
    if rejected:
        if ref is None: agree += 1
        else: differ += 1; bad.append((s, ref, "rejected"))
        continue
    if mine is None and ref is not None:
        ours_none += 1; bad.append((s, ref, mine))
    elif mine == ref:
        agree += 1
    else:
        differ += 1; bad.append((s, ref, mine))
print(f"distinct Chinese numerals: {len(seen)}; agree {agree}; ours None (fallback to cn2an) {ours_none}; differ {differ}")
for b in bad:
    if "亿" not in b[0] or b[1] is not None: print(b)
print("yi-without-wan:", sum(1 for b in bad if "亿" in b[0] and b[1] is None))
