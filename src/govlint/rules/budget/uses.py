"""Each use item's economic class (支出经济分类), decided by its words and its recipient."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlint._record import Tuple
from govlint.patterns import lex_re
from govlint.rules._util import alternation, lazy_re
from govlint.rules.budget.statements import Statement, use_statements

if TYPE_CHECKING:   # pragma: no cover
    from govlint.document import Document

# tokens that separate the items of a use list, and tokens an item's span does not start with
_LEADING = frozenset(["用于", "主要", "主要用于", "是", "为", "另", "还", "也", "部分", "其中", "共", "全部",
                      "一是", "二是", "三是", "四是", "发放", "支付", "拨付", "列支", "开支", "安排", "投入",
                      "资金", "经费", "的", "了", "已", "均", "分别", "专项", "实际", " ", "\u3000"])
_MAX_SPAN = 30
BY_RECIPIENT = "（按接受方判断）"
_HAN = lazy_re(r"[\u4e00-\u9fff]")
_W = "econ_class"     # the words of this module: lexicons/econ_class.toml [uses]
_UNIT_END = lex_re(_W, "uses", "unit_end")
# trailing amounts and counts are not part of a use's span
_AMOUNT = lex_re(_W, "uses", "amount")


# ----- prepared lexicons (once per process per lexicon object) ------------------------------

class _Prepared(Tuple):
    words: dict            # word → [item index] (classify alone)
    with_recipient: dict   # (kind, word) → [item index]
    recipients: dict       # word → kind
    contractor_name: tuple
    introducers: frozenset
    purchase: frozenset
    separators: frozenset  # tokens between the uses of a list
    leading: frozenset     # tokens before a use's name
    items: list
    max_len: int


_PREPARED: dict[int, tuple[dict, _Prepared]] = {}


def _prepare(econ: dict) -> _Prepared:
    hit = _PREPARED.get(id(econ))
    if hit is not None and hit[0] is econ:
        return hit[1]
    items = list(econ.get("items", []))
    words: dict[str, list[int]] = {}
    with_recipient: dict[tuple[str, str], list[int]] = {}
    for i, it in enumerate(items):
        for w in it.get("words", []):
            words.setdefault(w, []).append(i)
        kind = it.get("recipient")
        if kind:
            for w in it.get("with_recipient", []):
                with_recipient.setdefault((kind, w), []).append(i)
    rec = econ.get("recipients", {})
    recipients: dict[str, str] = {}
    for kind in ("staff", "enterprise", "household", "contractor"):
        for w in rec.get(kind, []):
            recipients.setdefault(w, kind)
    lengths = [len(w) for w in words] + [len(w) for _, w in with_recipient] + [len(w) for w in recipients]
    prep = _Prepared(words, with_recipient, recipients, tuple(rec.get("contractor_name", [])),
                     frozenset(rec.get("introducers", [])), frozenset(rec.get("purchase", [])),
                     frozenset(econ["uses"]["separators"]), frozenset(econ["uses"]["leading"]), items,
                     max(lengths, default=8))
    _PREPARED[id(econ)] = (econ, prep)
    return prep


class Use(Tuple):
    start: int         # the span to report
    end: int
    code: str          # economic 款 (or 类) code
    part: str          # a reviewer's subdivision of the 款 ("" if none)
    name: str
    class_code: str
    class_name: str
    word: str          # the word that classified it
    recipient: str     # staff / enterprise / household / contractor / ""
    by_recipient: bool  # classified by whom the money went to, not by what it bought
    statement: Statement

    @property
    def key(self) -> str:
        return f"{self.code}/{self.part}" if self.part else self.code


def _lookup(text: str, toks: list[tuple[str, int, int]], table, max_len: int):
    """Token-aligned occurrences of ``table``'s words in ``text``: (start, end, word), leftmost
    longest, not overlapping."""
    out = []
    ends = [e for _, _, e in toks]
    i, n = 0, len(toks)
    while i < n:
        s = toks[i][1]
        best = None
        for j in range(i, n):
            e = ends[j]
            if e - s > max_len:
                break
            if text[s:e] in table:
                best = (j, e)
        if best is None:
            i += 1
            continue
        out.append((s, best[1], text[s:best[1]]))
        i = best[0] + 1
    return out


def _items(toks, separators: frozenset, protected=()) -> list[list[tuple[str, int, int]]]:
    """The items of a use list: runs of tokens between separators (、 和 及 …); a separator
    inside a ``protected`` span (a department's name: 住房和城乡建设局) does not split."""
    items, cur = [], []
    for t in toks:
        if t[0] in separators and not any(a < t[1] < b for a, b in protected):
            if cur:
                items.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        items.append(cur)
    return items


def classify_statement(doc: Document, st: Statement, econ: dict) -> tuple[list[Use], list[tuple[int, int]]]:
    """(uses classified, item spans left unclassified) of one use statement."""
    from govlint import nlp
    prep = _prepare(econ)
    text = doc.text[st.start:st.end]
    toks = nlp.tokenize(text, hmm=False)   # dictionary edges only: the HMM model costs ~10 ms cold
    classes = econ.get("classes", {})
    uses: list[Use] = []
    unknown: list[tuple[int, int]] = []
    names = econ.get("recipients", {}).get("unit_names", ())
    protected = [m.span() for m in alternation(tuple(names)).finditer(text)] if names else []
    for item in _items(toks, prep.separators, protected):
        lead = 0
        while lead < len(item) - 1 and item[lead][0] in prep.leading:
            lead += 1
        tail = len(item)
        while tail > lead + 1 and _AMOUNT.fullmatch(item[tail - 1][0]):
            tail -= 1
        ia, ib = item[lead][1], item[tail - 1][2]
        found = _classify_item(text, item, prep)
        if not found:
            if len(_HAN.findall(text[ia:ib])) >= 2 and not _AMOUNT.fullmatch(text[ia:ib]):
                unknown.append((st.start + ia, st.start + ib))
            continue
        for idx, (ws, we, word), (ra, rb, kind), by_rec in found:
            it = prep.items[idx] if idx is not None else None
            if by_rec or (ra is not None and it is not None and it.get("recipient") == kind):
                a, b = min(ws, ra), max(we, rb)
            else:
                a, b = ia, ib
                if b - a > _MAX_SPAN:
                    a, b = ws, we
            if it is None and "用于" in text[ib:]:
                continue     # 拨付给某公司用于…: the use that follows is what gets classified
            if it is None:   # classified by the recipient alone: a transfer to an enterprise
                code, part, name = "312", "", "对企业补助" + BY_RECIPIENT
            else:
                code, part, name = it["code"], it.get("part", ""), it["name"]
            cls = next((k for k in classes if code.startswith(k)), code[:3])
            uses.append(Use(st.start + a, st.start + b, code, part, name, cls, classes.get(cls, ""),
                            word, kind or "", by_rec, st))
    return uses, unknown


def _classify_item(text: str, item, prep: _Prepared):
    """[(item index or None, (start, end, word), (rstart, rend, kind), by_recipient)] for one item."""
    recips = _lookup(text, item, prep.recipients, prep.max_len)
    kind, ra, rb = None, None, None
    for s, e, w in recips:
        k = prep.recipients[w]
        if k == "enterprise" and any(n in text[max(item[0][1], s - 8):s] for n in prep.contractor_name):
            k = "contractor"
        kind, ra, rb = k, s, e
        break
    if ra is not None:
        # 给/向/对/拨付给 right before the recipient (or before its modifiers) opens the span
        pos = [i for i, t in enumerate(item) if t[1] == ra]
        if pos:
            for j in range(pos[0] - 1, max(-1, pos[0] - 4), -1):
                if item[j][0] in prep.introducers:
                    if j > 0 and item[j - 1][0] + item[j][0] in prep.introducers:
                        j -= 1
                    ra = item[j][1]
                    break
            else:
                # the unit the staff belong to (民政局干部, 卫生院职工) belongs to the span
                if kind == "staff" and pos[0] > 0 and _UNIT_END.search(text[item[0][1]:ra]) \
                        and ra - item[0][1] <= 12:
                    j = 0
                    while j < pos[0] and item[j][0] in prep.leading:
                        j += 1
                    ra = item[j][1]
    words = _lookup(text, item, prep.words, prep.max_len)
    purchase = any(text[s:e] in prep.purchase for s, e, _ in _lookup(text, item, prep.purchase, 8))
    out = []
    for s, e, w in words:
        for idx in prep.words[w]:
            it = prep.items[idx]
            want = it.get("recipient")
            if want and kind in ("staff", "enterprise", "household") and kind != want:
                continue
            if want == "enterprise" and (kind == "contractor" or purchase):
                continue
            out.append((idx, (s, e, w), (ra, rb, kind), False))
            break
    if kind in ("staff", "enterprise", "household") and not (kind == "enterprise" and purchase):
        table = {w: v for (k, w), v in prep.with_recipient.items() if k == kind}
        covered = {(s, e) for _, (s, e, _), _, _ in out}
        for s, e, w in _lookup(text, item, table, prep.max_len):
            if any(a <= s < b for a, b in covered):
                continue
            out.append((table[w][0], (s, e, w), (ra, rb, kind), True))
    if not out and kind == "enterprise" and not purchase and ra is not None \
            and any(t[0] in prep.introducers and t[0] not in ("对", "为") for t in item if t[1] < rb):
        out.append((None, (ra, rb, text[ra:rb]), (ra, rb, kind), True))
    return out


def uses(doc: Document, purpose: dict, econ: dict) -> tuple[list[Use], list[tuple[int, int]]]:
    all_uses: list[Use] = []
    unknown: list[tuple[int, int]] = []
    seen: set[tuple[int, int, str]] = set()
    for st in use_statements(doc, purpose):
        got, unk = classify_statement(doc, st, econ)
        for u in got:
            if (u.start, u.end, u.key) not in seen:
                seen.add((u.start, u.end, u.key))
                all_uses.append(u)
        unknown.extend(unk)
    return all_uses, unknown
