"""OFD (GB/T 33190-2016, 电子文件存储与交换格式): the text objects of each page.

An OFD is a ZIP package: ``OFD.xml`` → ``DocBody/DocRoot`` (e.g. ``Doc_0/Document.xml``) →
``Pages/Page[@BaseLoc]`` (e.g. ``Pages/Page_0/Content.xml``) → ``Content/Layer/TextObject``
with ``TextCode`` children holding the text and its position (``Boundary`` of the object plus
the code's ``X``/``Y``, in millimetres, y downwards). No maintained Python library reads OFD
text, so the text objects are read directly: codes on one baseline make a line, lines are joined
into paragraphs like a PDF text layer (``pdf.join_wrapped_lines``), and each paragraph keeps its
page number (``Locator("page", page=n)``; the document's kind is ``pdf``: text laid
out on pages, ``meta["format"] = "ofd"``).

The package is checked before anything is decompressed (``zip_guard``); XML entities are never
resolved and nothing is fetched.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from govlint.document import Document
from govlint.readers.base import InputError, read_head, reader, zip_guard

MAX_PAGES = 20_000


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el.iter() if _local(c.tag) == name]


def _parse(z, member: str):
    from lxml import etree
    try:
        data = z.read(member)
    except KeyError:
        raise InputError(f"OFD 文件不完整（缺少 {member}）") from None
    except Exception:     # zipfile raises many kinds on damaged members (BadZipFile, zlib.error, OSError, …)
        raise InputError(f"OFD 文件已损坏（无法解压 {member}）") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise InputError(f"OFD 文件已损坏（{member} 不是合法的 XML）") from None


def _resolve(base_dir: str, loc: str, names: set) -> str:
    loc = (loc or "").strip().replace("\\", "/")
    if loc.startswith("/"):
        cand = loc.lstrip("/")
    else:
        cand = posixpath.normpath(posixpath.join(base_dir, loc)) if base_dir else posixpath.normpath(loc)
    if cand not in names and loc.lstrip("/") in names:
        cand = loc.lstrip("/")
    return cand


def _floats(s: str | None, n: int) -> list[float]:
    out = []
    for part in (s or "").replace(",", " ").split():
        try:
            out.append(float(part))
        except ValueError:
            out.append(0.0)
    return (out + [0.0] * n)[:n]


def page_lines(root) -> list[str]:
    """The text lines of one page's Content.xml, in the order the page draws them."""
    lines: list[str] = []
    cur: list[str] = []
    last_y = last_x = None
    for obj in _children(root, "TextObject"):
        bx, by, _, _ = _floats(obj.get("Boundary"), 4)
        size = _floats(obj.get("Size"), 1)[0] or 3.5
        for code in obj:
            if _local(code.tag) != "TextCode":
                continue
            text = "".join(code.itertext())
            if not text:
                continue
            x, y = bx + _floats(code.get("X"), 1)[0], by + _floats(code.get("Y"), 1)[0]
            if last_y is not None and (abs(y - last_y) > size * 0.5 or x < last_x - size * 0.5):
                lines.append("".join(cur))
                cur = []
            cur.append(text)
            last_y, last_x = y, x + size * len(text) * 0.9
    if cur:
        lines.append("".join(cur))
    return lines


@reader(".ofd")
def read_ofd(path: Path) -> Document:
    if read_head(path, 4) != b"PK\x03\x04":
        raise InputError("文件已损坏或不是 OFD 文档（OFD 应为 ZIP 格式）")
    z = zip_guard(path, "OFD 文档")
    try:
        names = set(z.namelist())
        entry = next((n for n in names if n.lower() == "ofd.xml"), None)
        if entry is None:
            raise InputError("不是 OFD 文档（缺少 OFD.xml）")
        ofd = _parse(z, entry)
        roots = [el.text for el in _children(ofd, "DocRoot") if el.text and el.text.strip()]
        if not roots:
            raise InputError("OFD 文档结构异常（OFD.xml 中没有 DocRoot）")
        pages: list[list[str]] = []
        for doc_root in roots[:1]:           # the first document of the package is the report
            doc_member = _resolve("", doc_root, names)
            document = _parse(z, doc_member)
            base = posixpath.dirname(doc_member)
            locs = [p.get("BaseLoc") for p in _children(document, "Page") if p.get("BaseLoc")]
            if len(locs) > MAX_PAGES:
                raise InputError(f"OFD 文档页数过多（超过 {MAX_PAGES} 页）")
            for loc in locs:
                pages.append(page_lines(_parse(z, _resolve(base, loc, names))))
    finally:
        z.close()
    from govlint.readers.pdf import paged_text
    line_map: list = []
    text, blocks = paged_text(pages, line_map=line_map)
    if not text.strip():
        raise InputError("OFD 文档没有文字内容（可能是扫描件）")
    return Document(str(path), text, "pdf", blocks=blocks,
                    meta={"format": "ofd", "pages": len(pages), "page_lines": tuple(line_map)})
