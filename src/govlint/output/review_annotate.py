"""``govlint review IN.docx --annotate OUT.docx``: Word comments on a copy of the report.

The original is opened read-only and the copy is written to a new path. Each finding
becomes a Word comment (python-docx 1.2 comments API) anchored on exactly the flagged
text: runs are split at the span boundaries, each piece keeping a copy of the run
properties (``w:rPr``), so the visible text and formatting are unchanged.

Offsets map back to Word through the reader's blocks: the i-th block of
``Document.blocks`` is the i-th paragraph yielded by ``readers.word.iter_blocks`` and its
text is ``paragraph.text`` (runs and hyperlink runs, ``w:t``/``w:tab``/``w:br``/… each
counted as python-docx counts them).
"""

from __future__ import annotations

import bisect
import copy
import io

from govlint.output import review_model as rm

AUTHOR = "govlint"
INITIALS = "GL"
_TEXT_TAGS = ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")


class AnnotateError(Exception):
    pass


class _Blk:
    __slots__ = ("start", "end", "locator", "text")

    def __init__(self, start, end, locator, text):
        self.start, self.end, self.locator, self.text = start, end, locator, text


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn
    return qn(tag)


def _child_len(ch) -> int:
    tag = ch.tag.rsplit("}", 1)[-1]
    if tag in _TEXT_TAGS:
        return len(str(ch))
    return 0


def _runs(paragraph) -> list:
    """(w:r element, start, end) for the paragraph's text runs, offsets within paragraph.text."""
    from docx.text.hyperlink import Hyperlink
    from docx.text.run import Run
    out = []
    pos = 0
    for item in paragraph.iter_inner_content():
        runs = [item] if isinstance(item, Run) else list(item.runs) if isinstance(item, Hyperlink) else []
        for run in runs:
            n = len(run.text)
            out.append((run._r, pos, pos + n))
            pos += n
    return out


def split_run(r, k: int):
    """Split ``w:r`` element ``r`` at text offset ``k`` (0 < k < len); return the new right half."""
    rpr_tag = _qn("w:rPr")
    right = copy.deepcopy(r)
    left_children = [ch for ch in r if ch.tag != rpr_tag]
    right_children = [ch for ch in right if ch.tag != rpr_tag]
    pos = 0
    for lch, rch in zip(left_children, right_children):
        n = _child_len(lch)
        if (n == 0 and pos <= k) or (n > 0 and pos + n <= k):
            right.remove(rch)                       # wholly before the cut
        elif pos >= k:
            r.remove(lch)                           # wholly after the cut
        else:                                       # a w:t straddling the cut
            cut = k - pos
            text = lch.text or ""
            lch.text, rch.text = text[:cut], text[cut:]
            for t in (lch, rch):
                t.set(_qn("xml:space"), "preserve")
        pos += n
    r.addnext(right)
    return right


def _ensure_boundary(paragraph, k: int) -> None:
    for r, a, b in _runs(paragraph):
        if a < k < b:
            split_run(r, k - a)
            return


def _run_object(r_elm, paragraph):
    from docx.text.run import Run
    return Run(r_elm, paragraph)


def paragraphs_for_blocks(d, blocks) -> list:
    """The python-docx paragraph of each block, found by its locator (None when it is gone)."""
    body = d.paragraphs
    tables = d.tables
    out = []
    for blk in blocks:
        loc = blk.locator
        try:
            if loc.kind == "paragraph":
                para = body[loc.index]
            elif loc.kind == "cell":
                para = tables[loc.table].rows[loc.row].cells[loc.col].paragraphs[loc.paragraph]
            else:
                para = None
        except (IndexError, KeyError):
            para = None
        if para is not None and _norm(para.text) != blk.text:
            para = None
        out.append(para)
    return out


def _norm(s: str) -> str:
    return s.replace("\r", " ").replace("\n", " ").replace("\x0b", " ")


def _anchor(paragraphs, blocks, starts, a: int, b: int):
    """Return (first Run, last Run) covering exactly text [a, b), splitting runs as needed."""
    bi = max(0, bisect.bisect_right(starts, a) - 1)
    bj = max(0, bisect.bisect_right(starts, max(a, b - 1)) - 1)
    pa, pb = paragraphs[bi], paragraphs[bj]
    if pa is None or pb is None:
        return None
    la = a - blocks[bi].start
    lb = min(b - blocks[bj].start, blocks[bj].end - blocks[bj].start)
    if bi == bj and la >= lb:                     # an empty span: anchor on a neighbouring character
        n = blocks[bi].end - blocks[bi].start
        if n == 0:
            return None
        la, lb = (la, la + 1) if la < n else (n - 1, n)
    if la >= blocks[bi].end - blocks[bi].start:   # starts at a paragraph end: begin on the next one
        return None if bi == bj else _anchor(paragraphs, blocks, starts, blocks[bi + 1].start, b)
    _ensure_boundary(pa, la)
    _ensure_boundary(pb, lb)
    first = next((r for r, s, e in _runs(pa) if s == la and e > s), None)
    last = next((r for r, s, e in _runs(pb) if e == lb and e > s), None)
    if first is None or last is None:
        return None
    return _run_object(first, pa), _run_object(last, pb)


def comment_text(c: rm.Comment) -> str:
    lines = [f"{c.number}. 【{c.severity.zh}】{c.message}"]
    if c.suggestion:
        lines.append(f"修改建议：{c.suggestion}")
    for s in c.sources:
        note = f"（{s.note}）" if s.note else ""
        lines.append(f"{c.sources_label}：{s.where}{note}：{s.excerpt}")
    lines.append(f"规则：{c.code} {c.rule_name}".rstrip())
    return "\n".join(lines)


def annotate_bytes(result, source_path: str, author: str = AUTHOR) -> tuple[bytes, int, int]:
    """Annotated copy of ``source_path`` as bytes; also (comments added, findings skipped)."""
    import docx
    review = rm.document_review(result, 1)
    d = docx.Document(source_path)
    text = result.document.text
    blocks = [_Blk(b.start, b.end, b.locator, text[b.start:b.end]) for b in result.document.blocks]
    if not blocks:
        raise AnnotateError("没有 Word 段落信息，无法添加批注")
    paragraphs = paragraphs_for_blocks(d, blocks)
    starts = [blk.start for blk in blocks]
    added = skipped = 0
    for c in review.comments:
        anchor = _anchor(paragraphs, blocks, starts, c.start, c.end)
        if anchor is None:
            skipped += 1
            continue
        comment = d.add_comment(list(anchor), text=comment_text(c), author=author,
                                initials=INITIALS if author == AUTHOR else author[:2])
        comment._comment_elm.attrib.pop(_qn("w:date"), None)    # no clock: reproducible output
        added += 1
    d.core_properties   # creates docProps/core.xml when the source has none: it carries govlint's mark
    buf = io.BytesIO()
    d.save(buf)
    return rm.stable_zip(buf.getvalue(), scrub_core=False), added, skipped
