"""Fixes written into a copy of a Word report as tracked changes (w:del / w:ins).

The author accepts or rejects each change in Word, WPS or LibreOffice. The original is
opened read-only and a new document is written. Runs are split at the edit boundaries
(each piece keeps a copy of its ``w:rPr``), the runs covering the old text are wrapped in
``w:del`` with their ``w:t`` turned into ``w:delText``, and the new text follows in a run
with the same properties wrapped in ``w:ins``. Nothing else in the document is touched.
An edit that crosses a paragraph boundary, or whose paragraph cannot be found, is skipped.

Offsets map to Word exactly as for ``--annotate`` (``review_annotate``): the i-th block of
``Document.blocks`` is the i-th paragraph the Word reader yielded.
"""

from __future__ import annotations

import bisect
import copy
import io

from govlint.output import review_annotate as ra


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn
    return qn(tag)


class _Ids:
    """Revision ids unique within the document (w:id of w:ins / w:del)."""

    def __init__(self, body):
        used = [int(v) for el in body.iter() for k, v in el.attrib.items()
                if k == _qn("w:id") and v.lstrip("-").isdigit()]
        self.next = max(used, default=0) + 1

    def __call__(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _mark(tag: str, ids: _Ids, author: str, date: str | None):
    from docx.oxml import OxmlElement
    el = OxmlElement(tag)
    el.set(_qn("w:id"), ids())
    el.set(_qn("w:author"), author)
    if date:
        el.set(_qn("w:date"), date)
    return el


def _to_deleted(r) -> None:
    """Turn a run's text into deleted text (w:t → w:delText)."""
    for t in r.findall(_qn("w:t")):
        t.tag = _qn("w:delText")
        t.set(_qn("xml:space"), "preserve")


def _new_run(template, text: str):
    """A run carrying ``text`` with the formatting (w:rPr) of ``template``."""
    from docx.oxml import OxmlElement
    r = OxmlElement("w:r")
    if template is not None:
        rpr = template.find(_qn("w:rPr"))
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
    t = OxmlElement("w:t")
    t.text = text
    t.set(_qn("xml:space"), "preserve")
    r.append(t)
    return r


def _edit_paragraph(paragraph, a: int, b: int, text: str, ids: _Ids, author: str, date: str | None) -> bool:
    """Apply one edit [a, b) → text inside one paragraph as tracked changes."""
    n = sum(e - s for _, s, e in ra._runs(paragraph))
    if b > n:
        return False
    ra._ensure_boundary(paragraph, a)
    ra._ensure_boundary(paragraph, b)
    runs = ra._runs(paragraph)
    covered = [r for r, s, e in runs if a <= s and e <= b and e > s]
    if sum(e - s for _, s, e in runs if a <= s and e <= b) != b - a:
        return False
    anchor = None            # the element after which the insertion goes
    template = None
    if covered:
        first = covered[0]
        if any(r.getparent() is not first.getparent() for r in covered):
            return False     # a span across a hyperlink boundary: leave it to the author
        dl = _mark("w:del", ids, author, date)
        first.addprevious(dl)
        for r in covered:
            _to_deleted(r)
            dl.append(r)
        anchor, template = dl, first
    else:
        before = [r for r, s, e in runs if e == a and e > s]
        after = [r for r, s, e in runs if s == a and e > s]
        if before:
            anchor = template = before[-1]
        elif after:
            template = after[0]
        else:
            return False
    if text:
        ins = _mark("w:ins", ids, author, date)
        ins.append(_new_run(template, text))
        if anchor is not None:
            anchor.addnext(ins)
        else:
            template.addprevious(ins)
    return True


def tracked_bytes(document, source_path: str, edits, author: str = "govlint",
                  date: str | None = None) -> tuple[bytes, int, list]:
    """A copy of ``source_path`` with ``edits`` (finding.Edit, on ``document.text``) as tracked changes.

    Returns (docx bytes, edits applied, edits skipped).
    """
    import docx
    d = docx.Document(source_path)
    text = document.text
    blocks = [ra._Blk(b.start, b.end, b.locator, text[b.start:b.end]) for b in document.blocks]
    if not blocks:
        raise ra.AnnotateError("没有 Word 段落信息，无法写入修订")
    paragraphs = ra.paragraphs_for_blocks(d, blocks)
    starts = [blk.start for blk in blocks]
    ids = _Ids(d.element.body)
    applied = 0
    skipped = []
    # right to left, so the offsets of the edits still to do stay valid within a paragraph
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        i = max(0, bisect.bisect_right(starts, e.start) - 1)
        blk = blocks[i]
        para = paragraphs[i]
        if para is None or e.end > blk.end or e.start < blk.start:
            skipped.append(e)
            continue
        if _edit_paragraph(para, e.start - blk.start, e.end - blk.start, e.text, ids, author, date):
            applied += 1
        else:
            skipped.append(e)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), applied, skipped


def accepted_text(data: bytes) -> str:
    """The text of a .docx with every tracked change accepted (deletions gone, insertions kept),
    one line per paragraph as the Word reader reads it. Used to check a fixed copy."""
    import docx
    from govlint.readers.word import iter_blocks, paragraph_text
    d = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph_text(p) for p, _ in iter_blocks(d))
