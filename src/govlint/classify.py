"""Budget classification of a report: the project's functional class, and the economic class of
each use of its money (FUND001, ``govlint explain FUND001 --on REPORT``).

Three lexicons hold the data: ``func_class`` (支出功能分类 类/款/项 with the words that name
typical projects, and the nature of the money: construction, transfers to households, support
to enterprises …), ``econ_class`` (支出经济分类 类/款 with the words that name typical items,
and the recipient words that decide ambiguous ones: 补贴 to an enterprise is 对企业补助, to a
household 对个人和家庭的补助, to the unit's staff 津贴补贴) and ``fund_rules`` (which pairs the
fund-management rules forbid, one source per row). ``purpose`` says how a use is stated.

A use statement (资金主要用于…, 主要是…, 拨付给…, 发放…, 购置…, a table's 用途 column) is
segmented with jieba; the clause is split into items at list separators (、 和 及 以及 …), and
in each item the lexicon words are looked up only where they start and end on token boundaries
(办公 in 办公室 is not 办公费), the recipient is found (给/向/对/拨付给 + 企业, 农户, 职工 …),
and the item is classified. Recipients matter: 拨付给某公司 with nothing bought is a transfer
to an enterprise whatever it is called (reported as info: a platform company may be the
project's owner).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from govlint.rules._util import alternation, lazy_re

if TYPE_CHECKING:   # pragma: no cover
    from govlint.document import Document

OVERVIEW_TITLE = lazy_re(r"概况|基本情况|项目简介|项目背景|立项|项目内容|绩效目标情况")
_NAME_LINE = lazy_re(r"\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:（[一二三四五六七八九十]+）\s*)?项目名称")
_DEPT_LINE = lazy_re(r"(?:主管部门|主管单位|项目单位|实施单位)(?:（单位）)?\s*[:：]?\s*([^\n，。；]{2,30})")
_CLAUSE_END = lazy_re(r"[。；;！？!?\n]")

# tokens that separate the items of a use list, and tokens an item's span does not start with
_SEPARATORS = frozenset(["、", "，", ",", "；", ";", "和", "及", "以及", "与", "并", "或", "：", ":",
                         "（", "）", "(", ")", "等", "还有", "另有", "其余", "用于", "主要用于", "列支"])
_LEADING = frozenset(["用于", "主要", "主要用于", "是", "为", "另", "还", "也", "部分", "其中", "共", "全部",
                      "一是", "二是", "三是", "四是", "发放", "支付", "拨付", "列支", "开支", "安排", "投入",
                      "资金", "经费", "的", "了", "已", "均", "分别", "专项", "实际", " ", "\u3000"])
_MAX_SPAN = 30
BY_RECIPIENT = "（按接受方判断）"
_HAN = lazy_re(r"[\u4e00-\u9fff]")
_UNIT_END = lazy_re(r"(?:局|委|院|站|所|中心|部|馆|队|处|科|股|室|单位|政府)$")
# trailing amounts and counts are not part of a use's span
_AMOUNT = lazy_re(r"[\d.,，%]+|万元|元|亿元|万|余|多|辆|台|套|个|项|次|人次|家|所|座|处|余万元")


# ----- prepared lexicons (once per process per lexicon object) ------------------------------

class _Prepared(NamedTuple):
    words: dict            # word → [item index] (classify alone)
    with_recipient: dict   # (kind, word) → [item index]
    recipients: dict       # word → kind
    contractor_name: tuple
    introducers: frozenset
    purchase: frozenset
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
                     frozenset(rec.get("introducers", [])), frozenset(rec.get("purchase", [])), items,
                     max(lengths, default=8))
    _PREPARED[id(econ)] = (econ, prep)
    return prep


# ----- the project ---------------------------------------------------------------------------

class ProjectClass(NamedTuple):
    code: str
    name: str
    path: str
    nature: tuple
    word: str          # the evidence
    start: int
    end: int
    where: str         # 标题 / 项目名称 / 项目概况 / 主管部门


def purpose_scope(doc: Document) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(strong, weak) stretches that say what the project is: strong = the title and the 项目名称
    lines; weak = the overview section (项目概况 / 基本情况 …), or the first three body
    paragraphs when there is none."""
    strong: list[tuple[int, int, str]] = []
    if doc.title is not None:
        strong.append((doc.title.start, doc.title.end, "标题"))
    for p in doc.paragraphs[:40]:
        if _NAME_LINE.match(p.text):
            strong.append((p.start, p.end, "项目名称"))
    weak: list[tuple[int, int, str]] = []
    overview = [s for s in doc.sections if s.level == 1 and OVERVIEW_TITLE.search(s.title)]
    for sec in overview[:1]:
        weak.append((sec.start, min(sec.end, sec.start + 3000), "项目概况"))
    if not overview:
        body = [p for p in doc.paragraphs if not p.is_title and p.heading is None][:3]
        weak.extend((p.start, p.end, "项目概况") for p in body)
    return strong, weak


def _class_regex(func: dict, title_only: bool):
    words = tuple(w for c in func.get("classes", []) if bool(c.get("title_only")) == title_only
                  for w in c.get("words", []))
    return alternation(words) if words else None


def project_classes(doc: Document, func: dict) -> list[ProjectClass]:
    """The functional classes of the project with their evidence: those named in the title or
    the 项目名称 line; else those named in the overview; else the 主管部门's."""
    classes = func.get("classes", [])
    by_word: dict[str, list[dict]] = {}
    for c in classes:
        for w in c.get("words", []):
            by_word.setdefault(w, []).append(c)
    strong, weak = purpose_scope(doc)

    def found(parts, title_only_too: bool) -> list[ProjectClass]:
        out: list[ProjectClass] = []
        seen: set[tuple[str, str]] = set()
        regexes = [_class_regex(func, False)] + ([_class_regex(func, True)] if title_only_too else [])
        for a, b, where in parts:
            for rx in regexes:
                if rx is None:
                    continue
                for m in rx.finditer(doc.text, a, b):
                    for c in by_word.get(m.group(0), []):
                        if c.get("title_only") and not title_only_too:
                            continue
                        key = (c.get("code", ""), c["name"])
                        if key in seen:
                            continue
                        seen.add(key)
                        out.append(ProjectClass(c.get("code", ""), c["name"], c.get("path", c["name"]),
                                                tuple(c.get("nature", ())), m.group(0), m.start(), m.end(),
                                                where))
        return out

    got = found(strong, True)
    if got:
        return got
    got = found(weak, False)
    if got:
        return got
    depts = func.get("departments", {})
    if depts:
        rx = alternation(tuple(depts))
        for p in doc.paragraphs[:60]:
            m = _DEPT_LINE.search(p.text)
            if not m:
                continue
            d = rx.search(m.group(1))
            if not d:
                continue
            code = depts[d.group(0)]
            c = next((c for c in classes if c.get("code") == code), None)
            if c is not None:
                s = p.start + m.start(1) + d.start()
                return [ProjectClass(code, c["name"], c.get("path", c["name"]), tuple(c.get("nature", ())),
                                     d.group(0), s, s + len(d.group(0)), "主管部门")]
    return []


# ----- use statements ------------------------------------------------------------------------

class Statement(NamedTuple):
    start: int         # the clause that says what the money went to
    end: int
    marker: str


def use_statements(doc: Document, purpose: dict) -> list[Statement]:
    """Clauses that say what the money was spent on: after 用于 / 主要是 / 拨付给 / 发放 …
    in a sentence with money words, not a prohibition, permission, plan or reason; and the
    cells of a table's 用途 column."""
    st = purpose["statements"]
    marker_rx = alternation(tuple(st["markers"]))
    money_rx = alternation(tuple(st["money_words"]))
    neg_rx = alternation(tuple(st["negations"]))
    skip_rx = alternation(tuple(st.get("skip_sentences", ()))) if st.get("skip_sentences") else None
    verbs = frozenset(st.get("verbs", ()))
    stop_rx = alternation(tuple(st["clause_stop"])) if st.get("clause_stop") else None
    not_after = tuple(st["not_after"])
    out: list[Statement] = []
    taken = -1
    for s in doc.sentences:
        text = s.text
        if skip_rx is not None and skip_rx.search(text):
            continue
        if not money_rx.search(text):
            continue
        for m in marker_rx.finditer(text):
            if s.start + m.start() < taken:
                continue
            head = text[:m.start()]
            cut = max(head.rfind("，"), head.rfind(","), head.rfind("："), head.rfind(":"))
            clause_head = head[cut + 1:]
            probe = clause_head[-6:] if m.group(0).startswith("主要") else clause_head
            if neg_rx.search(probe):
                continue
            rest = text[m.end():]
            if rest.startswith(not_after):
                continue
            end = _CLAUSE_END.search(rest)
            length = min(end.start() if end else len(rest), 120)
            a = s.start + (m.start() if m.group(0) in verbs else m.end())
            b = s.start + m.end() + length
            if stop_rx is not None:
                pos = a
                for part in re.split(r"([，,])", doc.text[a:b]):
                    if part not in ("，", ",") and stop_rx.search(part) and pos > a:
                        b = pos
                        break
                    pos += len(part)
            if b <= a:
                continue
            out.append(Statement(a, b, m.group(0)))
            taken = b
    out.extend(_table_uses(doc, purpose))
    return out


_TEXT_ROW = lazy_re(r"[|\t]")


def _table_uses(doc: Document, purpose: dict) -> list[Statement]:
    """Cells under a 用途 / 支出内容 header, in Word tables (cell blocks) and text tables."""
    cols = frozenset(purpose["statements"].get("use_columns", ()))
    if not cols:
        return []
    out: list[Statement] = []
    # Word: cell blocks carry (table, row, col)
    grid: dict[tuple, list[tuple[int, int, int]]] = {}
    for b in doc.blocks:
        loc = b.locator
        if loc.get("kind") == "cell":
            grid.setdefault((loc.get("table"),), []).append((loc.get("row", 0), loc.get("col", 0), b.start, b.end))
    for cells in grid.values():
        header = [(r, c) for r, c, a, e in cells if doc.text[a:e].strip() in cols]
        if not header:
            continue
        hr, hc = header[0]
        for r, c, a, e in cells:
            if c == hc and r > hr and doc.text[a:e].strip():
                out.append(Statement(a, e, "用途"))
    # text tables: lines of | or tab separated cells
    col = None
    for p in doc.paragraphs:
        line = p.text
        if not _TEXT_ROW.search(line):
            col = None
            continue
        parts = re.split(r"\s*[|\t]\s*", line.strip().strip("|"))
        if col is None:
            idx = [i for i, x in enumerate(parts) if x.strip() in cols]
            col = idx[0] if idx else None
            continue
        if col < len(parts) and parts[col].strip() and not set(parts[col]) <= set("-: "):
            cell = parts[col].strip()
            a = doc.text.find(cell, p.start, p.end)
            if a >= 0:
                out.append(Statement(a, a + len(cell), "用途"))
    return out


# ----- uses ----------------------------------------------------------------------------------

class Use(NamedTuple):
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


def _items(toks) -> list[list[tuple[str, int, int]]]:
    items, cur = [], []
    for t in toks:
        if t[0] in _SEPARATORS:
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
    for item in _items(toks):
        lead = 0
        while lead < len(item) - 1 and item[lead][0] in _LEADING:
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
                    while j < pos[0] and item[j][0] in _LEADING:
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


# ----- the compatibility table ---------------------------------------------------------------

def _econ_matches(key: str, code: str, part: str) -> bool:
    if "/" in key:
        return key == f"{code}/{part}"
    return code.startswith(key)


def forbidding_rule(use: Use, classes: list[ProjectClass], rules: list[dict]) -> dict | None:
    """The first row of the table that forbids ``use`` for a project of every class in ``classes``."""
    if not classes:
        return None
    for row in rules:
        if not any(_econ_matches(k, use.code, use.part) for k in row.get("econ", ())):
            continue
        natures = set(row.get("nature", ("*",)))
        excl = set(row.get("except_nature", ()))
        excl_func = tuple(row.get("except_func", ()))
        if all(("*" in natures or natures & set(c.nature)) and not (excl & set(c.nature))
               and not (excl_func and c.code and c.code.startswith(excl_func)) for c in classes):
            return row
    return None


# ----- explain -------------------------------------------------------------------------------

def explain_text(doc: Document, lex) -> str:
    """The classification of a report, as ``govlint explain FUND001 --on REPORT`` prints it."""
    func, econ, purpose, rules = lex["func_class"], lex["econ_class"], lex["purpose"], lex["fund_rules"]
    natures = func.get("natures", {})
    lines = [f"FUND001 预算分类：{doc.path}", "", "项目功能分类："]
    classes = project_classes(doc, func)
    if not classes:
        lines.append("  （未能判断：标题、项目名称、项目概况和主管部门中没有可识别的项目类别，FUND001 不检查本报告）")
    for c in classes:
        line, _ = doc.line_col(c.start)
        nat = "、".join(natures.get(n, n) for n in c.nature)
        lines.append(f"  {c.code or '—'} {c.path}（资金性质：{nat}）")
        lines.append(f"      依据：{c.where}（第{line}行）“{c.word}”")
    found, unknown = uses(doc, purpose, econ)
    lines += ["", "资金用途："]
    if not found and not unknown:
        lines.append("  （没有找到资金用途的表述）")
    rows = rules.get("rules", [])
    items = sorted([(u.start, 0, u) for u in found] + [(a, 1, (a, b)) for a, b in unknown],
                   key=lambda x: (x[0], x[1]))
    for _, is_unknown, x in items:
        if is_unknown:
            a, b = x
            line, _ = doc.line_col(a)
            lines.append(f"  第{line}行 “{doc.text[a:b]}” → 未能分类")
            continue
        u = x
        line, _ = doc.line_col(u.start)
        how = f"接受方：{_KIND.get(u.recipient, u.recipient)}" if u.recipient else ""
        basis = f"依据“{u.word}”" + (f"，{how}" if how else "")
        lines.append(f"  第{line}行 “{doc.text[u.start:u.end]}” → {u.class_code} {u.class_name} / "
                     f"{u.code} {u.name}（{basis}）")
        row = forbidding_rule(u, classes, rows)
        if row is None:
            lines.append("      与项目分类相容" if classes else "      （项目未分类，不判断）")
        else:
            lines.append(f"      不相容：{row['id']} {row['name']}")
            lines.append(f"      来源：{row.get('source', '')}")
    return "\n".join(lines)


_KIND = {"staff": "本单位人员", "enterprise": "企业", "household": "个人和家庭", "contractor": "承包商或供应商"}
