"""Excel .xlsx workbooks via openpyxl (read-only, cached values): one line per non-empty cell.

Sheets are read in workbook order, rows top to bottom, cells left to right. Each line's
origin is a Block's ``Locator("xcell", sheet="Sheet1", cell="B7", row=7, col=2)``
(1-based row and column, as Excel counts), so findings can be reported as
``Sheet1!B7``. Merged ranges (which read-only mode does not expose) are read from the sheet
XML and kept in ``Document.meta["merged"]`` = {sheet: ["A1:B2", ...]}.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path

from govlint.document import Block, Document, Locator
from govlint.readers.base import InputError, check_ooxml, reader, text_limit, text_size_error



def cell_text(value, number_format: str | None = None) -> str:
    """A cell's cached value as the text a reader sees (percent formats as 95%)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, _dt.datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return _num(value * 100) + "%"
        return _num(value)
    return str(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\x0b", " ")


def _num(v: float) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    s = f"{v:.10f}".rstrip("0").rstrip(".")
    return s


def merged_ranges(path: Path) -> dict[str, list[str]]:
    """Merged cell ranges per sheet name, read from the package XML (best effort)."""
    out: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            wb = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            targets = {}
            for m in re.finditer(r"<Relationship\b[^>]*>", rels):
                tag = m.group(0)
                rid = re.search(r'\bId="([^"]+)"', tag)
                tgt = re.search(r'\bTarget="([^"]+)"', tag)
                if rid and tgt:
                    targets[rid.group(1)] = tgt.group(1)
            for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
                tag = m.group(0)
                name = re.search(r'\bname="([^"]+)"', tag)
                rid = re.search(r'\br:id="([^"]+)"', tag) or re.search(r'\b\w+:id="([^"]+)"', tag)
                if not (name and rid and rid.group(1) in targets):
                    continue
                tgt = targets[rid.group(1)].lstrip("/")
                member = tgt if tgt.startswith("xl/") else "xl/" + tgt
                try:
                    xml = z.read(member).decode("utf-8", "replace")
                except KeyError:
                    continue
                refs = re.findall(r'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"', xml)
                if refs:
                    out[_unescape(name.group(1))] = refs
    except Exception:     # a damaged member: the cells were read, the merges are best effort
        return out
    return out


def _unescape(s: str) -> str:
    return s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")


MAX_CELLS = 100_000          # non-empty cells in a workbook (a self-evaluation table has hundreds; at
                             # 199,000 a check took 52 s and 934 MB: docs/reliability.md, at the limits)
MAX_MERGED_AREA = 100_000    # cells one merged range may cover after clipping to the used range


def _sheet_cells(ws):
    """(row, column, ReadOnlyCell) of a read-only sheet's cells that hold a value.

    Read straight from the sheet XML: the declared ``<dimension>`` is not trusted (``A1:XFD1048576``
    would make openpyxl pad every row to 16,384 empty cells) and missing rows are not filled.
    """
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=wb.data_only, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for r, row in parser.parse():
            for cell in row:
                if cell.get("value") is None:
                    continue
                yield r, cell["column"], ReadOnlyCell(ws, **cell)


def _clip_merged(merged: dict[str, list[str]], used: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
    """Merged ranges clipped to each sheet's used range; ranges still too large are dropped
    (``A1:XFD1048576`` must not make a table reader walk 17 billion cells)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries
    out: dict[str, list[str]] = {}
    for sheet, refs in merged.items():
        if sheet not in used:
            continue
        max_r, max_c = used[sheet]
        kept = []
        for ref in refs:
            try:
                c1, r1, c2, r2 = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if None in (c1, r1, c2, r2) or r1 > max_r or c1 > max_c:
                continue
            r2, c2 = min(r2, max_r), min(c2, max_c)
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_MERGED_AREA:
                continue
            kept.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
        if kept:
            out[sheet] = kept
    return out


@reader(".xlsx")
def read_xlsx(path: Path) -> Document:
    check_ooxml(path, "工作簿", " Excel 工作簿", ".xls")
    import warnings

    # openpyxl warns in English (unsupported extensions, bad styles): never on the user's terminal
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read(path)


def _read(path: Path) -> Document:
    try:
        from openpyxl import load_workbook
        from openpyxl.utils import get_column_letter
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for broken packages
        raise InputError("无法打开 Excel 工作簿（文件可能已损坏）") from None
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    sheets = []
    used: dict[str, tuple[int, int]] = {}
    n = 0
    try:
        for ws in wb.worksheets:
            sheets.append(ws.title)
            for r, c, cell in _sheet_cells(ws):
                n += 1
                if n > MAX_CELLS:
                    raise InputError(f"Excel 工作簿过大（超过 {MAX_CELLS // 10000} 万个非空单元格），"
                                     f"请只提交绩效自评表")
                t = cell_text(cell.value, getattr(cell, "number_format", None)).strip()
                if not t:
                    continue
                mr, mc = used.get(ws.title, (0, 0))
                used[ws.title] = (max(mr, r), max(mc, c))
                ref = f"{get_column_letter(c)}{r}"
                blocks.append(Block(pos, pos + len(t), Locator("xcell", sheet=ws.title, cell=ref, row=r, col=c)))
                parts.append(t)
                pos += len(t) + 1
                if pos > text_limit():
                    raise text_size_error(text_limit())
    except InputError:
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception:
        raise InputError("Excel 工作簿内容无法读取（文件可能已损坏）") from None
    finally:
        try:
            wb.close()
        except Exception:
            pass
    text = "\n".join(parts)
    if not text.strip():
        raise InputError("Excel 工作簿没有文字内容")
    return Document(str(path), text, "xlsx", blocks=blocks,
                    meta={"sheets": sheets, "merged": _clip_merged(merged_ranges(path), used)})
