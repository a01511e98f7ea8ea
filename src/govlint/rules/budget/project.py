"""The project's functional class (支出功能分类) and its evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govlint._record import Tuple
from govlint.patterns import lex_re
from govlint.rules._util import alternation

if TYPE_CHECKING:   # pragma: no cover
    from govlint.document import Document

_W = "purpose"        # the word patterns of this module: lexicons/purpose.toml [project]
OVERVIEW_TITLE = lex_re(_W, "project", "overview_title")
_NAME_LINE = lex_re(_W, "project", "name_line")
_DEPT_LINE = lex_re(_W, "project", "dept_line")


class ProjectClass(Tuple):
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


def fallback_class(doc: Document, func: dict) -> ProjectClass | None:
    """A project of no recognised class, when the title says it is a project (项目, 专项资金 …):
    the rows that hold for project money of any class still apply to it."""
    fb = func.get("fallback")
    if not fb or doc.title is None:
        return None
    words = tuple(fb.get("title_words", ()))
    m = alternation(words).search(doc.text, doc.title.start, doc.title.end) if words else None
    if m is None:
        return None
    return ProjectClass("", fb["name"], fb.get("path", fb["name"]), tuple(fb.get("nature", ())), m.group(0),
                        m.start(), m.end(), "标题")
