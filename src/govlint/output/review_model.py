"""The review comment list (审核意见表) as plain data, shared by every review formatter.

``build(results)`` turns FileResults into ``Review``: per document its title, file, summary
counts and numbered comments in document order; plus the batch overview (ranking). The
formatters (review_md, review_xlsx, review_docx, review_html) only lay this data out, so
all formats carry the same content and numbering. Nothing here depends on the clock or on
dict/set iteration order: the same input gives the same review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from govlint.finding import Severity

WINDOW = 60          # characters of context kept on each side of a span in 原文
MARK_OPEN, MARK_CLOSE = "【", "】"
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
COLUMNS = ("序号", "位置", "原文", "问题", "修改建议", "严重程度", "规则")


@dataclass
class Source:
    """A related location: the passage a copied span repeats, the figure it contradicts."""

    path: str
    line: int | None
    where: str              # "path:line", or "第N段" (and its place) for the reviewed document itself
    excerpt: str
    note: str | None
    same_document: bool
    start: int
    end: int


@dataclass
class Comment:
    number: int
    code: str
    rule_name: str          # the rule's Chinese title (the English slug stays in JSON/SARIF)
    family: str
    family_name: str
    severity: Severity
    start: int
    end: int
    line: int
    unit: str               # "第12行" / "第12段"
    section: list[str]      # heading path, top level first
    cell: str               # the place in the original (Document.place: 第1张表第2行第3列, Sheet1!F4,
                            # 第2页第7行) when it is not ``unit``, else ""
    before: str             # 原文 = before + span + after
    span: str
    after: str
    message: str
    suggestion: str
    sources: list[Source] = field(default_factory=list)

    @property
    def sources_label(self) -> str:
        """What the related places are: the source a copy repeats, or places to compare."""
        return "重复来源" if self.code.startswith("DUP") else "相关位置"

    @property
    def location(self) -> str:
        """位置 as one line: section path, then the line or paragraph (and table cell)."""
        parts = [" › ".join(self.section)] if self.section else []
        parts.append(self.unit + (f"（{self.cell}）" if self.cell else ""))
        return "；".join(parts)

    @property
    def marked(self) -> str:
        """原文 with the span marked 【…】 (an empty span shows as 【‸】)."""
        return f"{self.before}{MARK_OPEN}{self.span or '‸'}{MARK_CLOSE}{self.after}"

    @property
    def anchor(self) -> str:
        return f"c{self.number}"

    def sources_text(self) -> str:
        return "\n".join(f"{s.where}{'（' + s.note + '）' if s.note else ''}：{s.excerpt}" for s in self.sources)


@dataclass
class DocReview:
    index: int              # 1-based order in the batch
    path: str
    name: str
    title: str
    kind: str
    comments: list[Comment]
    by_severity: dict       # Severity -> count, all three keys
    by_family: list         # [(family, family name, count)] in registry order, non-zero only
    copy_ratio: float | None
    text: str = ""          # the document text (for the HTML view)
    paragraph_unit: str = "行"
    converted_from: str = ""  # ".doc", ".wps", ".odt": read after LibreOffice converted it

    @property
    def total(self) -> int:
        return len(self.comments)

    @property
    def display_title(self) -> str:
        return self.title or self.name

    def copy_ratio_text(self) -> str:
        return format_ratio(self.copy_ratio)


@dataclass
class Review:
    documents: list[DocReview]
    errors: list[tuple[str, str]]         # unreadable inputs: (path, message)

    @property
    def batch(self) -> bool:
        return len(self.documents) + len(self.errors) > 1

    def ranking(self) -> list[DocReview]:
        """Submissions most in need of attention first: errors, warnings, copy ratio, then path."""
        return sorted(self.documents, key=lambda d: (-d.by_severity[Severity.ERROR],
                                                     -d.by_severity[Severity.WARNING],
                                                     -(d.copy_ratio or 0.0),
                                                     -d.by_severity[Severity.INFO], d.path))

    def any_copy_ratio(self) -> bool:
        return any(d.copy_ratio is not None for d in self.documents)


def format_ratio(value) -> str:
    if value is None:
        return ""
    v = float(value)
    if v <= 1.0:
        v *= 100
    return f"{v:.1f}%"


def _ratio(extra: dict):
    v = extra.get("copy_ratio") if extra else None
    if isinstance(v, dict):          # tolerate {"ratio": ...} shapes
        v = v.get("ratio")
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def _place(doc, offset: int, unit: str) -> str:
    """The place in the original file (``Document.place``) when it says more than ``unit`` (第12段)."""
    place = doc.place(offset) if doc.has_places else ""
    return "" if place == unit else place


def _window(doc, start: int, end: int) -> tuple[str, str, str]:
    """Context before, the span (clipped to its line) and context after, trimmed with …."""
    text = doc.text
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    le = len(text) if le < 0 else le
    end = min(max(end, start), le)
    a = max(ls, start - WINDOW)
    b = min(le, end + WINDOW)
    before = "…" + text[a:start] if a > ls else text[a:start].lstrip(" \t\u3000\ufeff")
    after = text[end:b].rstrip() + ("…" if b < le else "")
    return before, text[start:end], after


def _unit(doc) -> str:
    return "段" if doc.kind in ("docx", "pdf") else "行"


def _source(r, doc, path: str, unit: str) -> Source:
    same = r.path is None or r.path == path
    line = r.position.line if r.position else None
    if same and doc is not None:
        line = line or doc.line_col(r.start)[0]
        where = f"第{line}{unit}"
        place = _place(doc, r.start, where)
        where += f"（{place}）" if place else ""
        excerpt = r.excerpt if r.excerpt is not None else doc.text[r.start:r.end]
    else:
        where = f"{r.path}:{line}" if line else f"{r.path}"
        excerpt = r.excerpt or ""
    excerpt = " ".join(excerpt.split())
    if len(excerpt) > 2 * WINDOW:
        excerpt = excerpt[:2 * WINDOW] + "…"
    from govlint.output import clean
    return Source(clean(r.path or path), line, clean(where), excerpt, r.note, same, r.start, r.end)


def document_review(r, index: int) -> DocReview:
    from govlint import registry
    doc = r.document
    unit = _unit(doc) if doc is not None else "行"
    findings = sorted(r.findings, key=lambda f: (f.start, f.end, f.code, f.message, f.fingerprint or ""))
    comments = []
    for n, f in enumerate(findings, 1):
        spec = registry.get(f.code)
        fam = f.family
        if doc is not None:
            before, span, after = _window(doc, f.start, f.end)
            section = doc.section_at(f.start).path
            line = doc.line_col(f.start)[0]
            cell = _place(doc, f.start, f"第{line}{unit}")
        else:
            before, span, after = "", f.excerpt or "", ""
            section, line, cell = [], f.position.line if f.position else 0, ""
        comments.append(Comment(
            number=n, code=f.code, rule_name=spec.title_zh if spec else "", family=fam,
            family_name=registry.FAMILY_NAMES.get(fam, fam), severity=f.severity,
            start=f.start, end=f.end, line=line, unit=f"第{line}{unit}", section=section, cell=cell,
            before=before, span=span, after=after, message=f.message, suggestion=f.suggestion or "",
            sources=[_source(rel, doc, r.path, unit) for rel in f.related]))
    sev = {s: 0 for s in SEVERITIES}
    sev.update(Counter(c.severity for c in comments))
    fams = Counter(c.family for c in comments)
    order = list(registry.FAMILY_NAMES)
    by_family = [(fam, registry.FAMILY_NAMES.get(fam, fam), fams[fam])
                 for fam in sorted(fams, key=lambda x: (order.index(x) if x in order else len(order), x))]
    from govlint.output import clean    # a non-UTF-8 byte in a file name: U+FFFD in the list
    return DocReview(index, clean(r.path), clean(Path(r.path).name), doc.title_text if doc is not None else "",
                     doc.kind if doc is not None else "", comments, sev, by_family, _ratio(r.extra),
                     doc.text if doc is not None else "", unit,
                     (doc.meta.converted_from or "") if doc is not None else "")


def build(results) -> Review:
    docs, errors = [], []
    for r in results:
        if r.error:
            from govlint.output import clean
            errors.append((clean(r.path), clean(r.error)))
        else:
            docs.append(document_review(r, len(docs) + 1))
    return Review(docs, errors)


def summary_rows(d: DocReview) -> list[tuple[str, str]]:
    """The summary block as (label, value) rows, the same in every format."""
    rows = [("文件", d.path), ("标题", d.display_title), ("问题总数", str(d.total))]
    rows += [(f"{s.zh}", str(d.by_severity[s])) for s in SEVERITIES]
    rows += [(f"{name}（{fam}）", str(n)) for fam, name, n in d.by_family]
    if d.copy_ratio is not None:
        rows.append(("雷同比例", d.copy_ratio_text()))
    if d.converted_from:
        rows.append(("文件转换", f"原文件为 {d.converted_from} 格式，已用 LibreOffice 转换为 .docx 后检查；"
                                 "段落、表格位置按转换后的文档计，个别版式可能与原文件略有出入"))
    return rows


def overview_columns(review: Review) -> list[str]:
    cols = ["排名", "文件", "标题", "错误", "警告", "提示", "问题总数"]
    if review.any_copy_ratio():
        cols.append("雷同比例")
    return cols


def overview_rows(review: Review) -> list[list]:
    """The batch ranking; values are ints where numeric (xlsx keeps them as numbers)."""
    rows = []
    with_ratio = review.any_copy_ratio()
    for rank, d in enumerate(review.ranking(), 1):
        row = [rank, d.path, d.display_title, d.by_severity[Severity.ERROR],
               d.by_severity[Severity.WARNING], d.by_severity[Severity.INFO], d.total]
        if with_ratio:
            row.append(d.copy_ratio_text())
        rows.append(row)
    return rows


def saved_bytes(book) -> bytes:
    """A python-docx Document or openpyxl Workbook as reproducible bytes (see ``stable_zip``)."""
    import io
    buf = io.BytesIO()
    book.save(buf)
    return stable_zip(buf.getvalue())


def stable_zip(data: bytes, scrub_core: bool = True) -> bytes:
    """Re-pack an OOXML zip with fixed member dates (and fixed core.xml dates) for reproducible bytes."""
    import io
    import re
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if scrub_core and info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    from govlint.guard import sign_zip
    return sign_zip(out.getvalue())   # marks the file as govlint's own (guard.govlint_made)
