"""Review comment list (审核意见表) as one self-contained HTML page.

No scripts, no network: inline CSS and SVG only; navigation is plain anchors. Per document:
info and summary (with a bar chart of findings by family), then the report text line by
line with every flagged span highlighted and linked to its comment, each comment card
beside the line it starts on (text and comments scroll together), and radio-button
filters by severity and rule family that work by CSS alone. Passages a finding repeats (related locations) are marked in the
text and linked from the comment. Everything taken from the document is escaped.
"""

from __future__ import annotations

from html import escape

from govlint.output import review_model as rm

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1f2328;background:#f6f8fa}
header.top{background:#24466b;color:#fff;padding:12px 24px}
header.top h1{margin:0;font-size:22px;letter-spacing:2px}
main{padding:16px 24px}
section.doc{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:0 0 24px;padding:16px}
h2{margin:0 0 8px;font-size:18px}
h3{font-size:15px;margin:16px 0 8px}
table{border-collapse:collapse;margin:4px 0 8px}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}
td.n{text-align:right}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.text .cm{padding-right:8px}.text .cm ol.comments{margin:0}
input.flt{position:absolute;opacity:0;pointer-events:none}
.filters{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:4px 0}
.filters label{border:1px solid #d0d7de;border-radius:12px;padding:0 10px;cursor:pointer;font-size:13px;background:#fff}
.filters .sep{color:#8c959f}
.text{display:grid;grid-template-columns:minmax(0,3fr) minmax(280px,2fr);column-gap:16px;margin-top:8px;border:1px solid #d0d7de;border-radius:4px;padding:8px 0;background:#fff;font-size:15px}
.ln{display:flex;padding:0 8px}
.ln .no{flex:0 0 3.2em;color:#8c959f;text-align:right;padding-right:10px;user-select:none;font-size:12px;line-height:25px}
.ln .tx{white-space:pre-wrap;word-break:break-all;flex:1;line-height:25px}
.ln:target{background:#fff8c5}
mark{padding:0 1px;border-radius:2px;color:inherit}
mark a{color:inherit;text-decoration:none}
mark.sev-3{background:#ffcecb;border-bottom:2px solid #cf222e}
mark.sev-2{background:#fff1b3;border-bottom:2px solid #bf8700}
mark.sev-1{background:#ddf4ff;border-bottom:2px solid #0969da}
mark.src{background:#dafbe1;border-bottom:2px dashed #1a7f37}
sup.more{font-size:70%;margin:0 1px}sup.more a{color:#555}
mark.zero{background:#cf222e;color:#fff;font-size:11px;padding:0 2px}
mark:target,span.anchor:target+mark,span.anchor:target+span.anchor+mark{outline:2px solid #0969da}

ol.comments{list-style:none;margin:0;padding:0}
ol.comments li{border:1px solid #d0d7de;border-left:4px solid #8c959f;border-radius:4px;padding:6px 10px;margin:0 0 8px;background:#fff}
ol.comments li.sev-3{border-left-color:#cf222e}
ol.comments li.sev-2{border-left-color:#bf8700}
ol.comments li.sev-1{border-left-color:#0969da}
ol.comments li:target{box-shadow:0 0 0 2px #0969da}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;color:#fff;margin-right:4px}
.badge.sev-3{background:#cf222e}.badge.sev-2{background:#9a6700}.badge.sev-1{background:#0969da}
.code{font-family:ui-monospace,Consolas,monospace;font-size:12px}
dl{margin:4px 0 0;display:grid;grid-template-columns:5.5em 1fr;gap:0 6px}
dt{color:#57606a}dd{margin:0;word-break:break-all}
.orig b{background:#fff1b3}
.muted{color:#57606a}
@media print{.filters{display:none}}
"""


def e(s) -> str:
    return escape("" if s is None else str(s), quote=True)


def _bar_chart(d: rm.DocReview) -> str:
    """Findings by family as an inline SVG horizontal bar chart."""
    rows = d.by_family
    if not rows:
        return ""
    label_w, bar_w, row_h = 150, 220, 22
    top = max(n for _, _, n in rows)
    h = row_h * len(rows) + 6
    parts = [f'<svg class="chart" role="img" aria-label="按类别统计的问题数" width="{label_w + bar_w + 40}" '
             f'height="{h}" viewBox="0 0 {label_w + bar_w + 40} {h}" xmlns="http://www.w3.org/2000/svg">']
    for i, (fam, name, n) in enumerate(rows):
        y = 3 + i * row_h
        w = max(2, round(bar_w * n / top))
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{e(name)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 8}" fill="#4f81bd">'
                     f'<title>{e(name)}（{e(fam)}）：{n}</title></rect>'
                     f'<text x="{label_w + w + 4}" y="{y + 15}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _segments(line_start: int, line_end: int, spans):
    """Cut [line_start, line_end) at every span boundary; yield (a, b, covering spans)."""
    cuts = {line_start, line_end}
    for s in spans:
        a, b = max(s[0], line_start), min(s[1], line_end)
        if a < b:
            cuts.update((a, b))
    pts = sorted(cuts)
    for a, b in zip(pts, pts[1:]):
        yield a, b, [s for s in spans if s[0] < b and s[1] > a]


def _text_lines(d: rm.DocReview, pid: str) -> list[str]:
    text = d.text
    # (start, end, kind, comment) — kind "f" for a finding, "s" for a related source in this document
    spans = [(c.start, c.end, "f", c) for c in d.comments if c.end > c.start]
    zeros: dict[int, list] = {}
    for c in d.comments:
        if c.end <= c.start:
            zeros.setdefault(c.start, []).append(c)
    for c in d.comments:
        for s in c.sources:
            if s.same_document and s.end > s.start:
                spans.append((s.start, s.end, "s", c))
    starts = {}
    for c in d.comments:
        if c.end > c.start:
            starts.setdefault(c.start, []).append(c)
    src_starts = {}
    for c in d.comments:
        for s in c.sources:
            if s.same_document and s.end > s.start:
                src_starts.setdefault(s.start, set()).add((s.start, s.end))
    out = []
    pos = 0
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()                     # the final newline does not start a line
    for lineno, raw in enumerate(lines, 1):
        ls, le = pos, pos + len(raw)
        pos = le + 1
        here = [s for s in spans if s[0] < le and s[1] > ls]
        body = []
        for a, b, cover in _segments(ls, le, here):
            for c in zeros.get(a, []):
                body.append(f'<mark class="zero" id="{pid}-c{c.number}"><a href="#{pid}-i{c.number}" '
                            f'title="{e(c.number)}. {e(c.message)}">‸{c.number}</a></mark>')
            zeros.pop(a, None)
            starting = sorted(starts.pop(a, []), key=lambda c: c.number)
            for c in starting[1:]:
                body.append(f'<span class="anchor" id="{pid}-c{c.number}"></span>')
            for key in sorted(src_starts.pop(a, ())):
                body.append(f'<span class="anchor" id="{pid}-s{key[0]}-{key[1]}"></span>')
            chunk = e(text[a:b])
            findings = sorted((s[3] for s in cover if s[2] == "f"), key=lambda c: c.number)
            if findings:
                sev = max(int(c.severity) for c in findings)
                # the text links to the innermost finding; the others starting here get a small
                # numbered link each, so every comment is reachable from the text
                first = min(findings, key=lambda c: (c.end - c.start, c.number))
                tip = "；".join(f"{c.number}. {c.message}" for c in findings)
                mid = f' id="{pid}-c{starting[0].number}"' if starting else ""
                nums = " ".join(str(c.number) for c in findings)
                body.append(f'<mark class="sev-{sev}"{mid} data-comments="{nums}" '
                            f'title="{e(tip)}"><a href="#{pid}-i{first.number}">{chunk}</a></mark>')
                for c in starting:
                    if c is not first and c in findings:
                        body.append(f'<sup class="more"><a href="#{pid}-i{c.number}" '
                                    f'title="{e(c.number)}. {e(c.message)}">{c.number}</a></sup>')
            elif cover:
                nums = sorted({s[3].number for s in cover})
                body.append(f'<mark class="src" title="{e("被第" + "、".join(map(str, nums)) + "条意见引用的原文")}">'
                            f'{chunk}</mark>')
            else:
                body.append(chunk)
        for a in sorted(k for k in zeros if ls <= k <= le):
            for c in zeros.pop(a):
                body.append(f'<mark class="zero" id="{pid}-c{c.number}"><a href="#{pid}-i{c.number}">‸{c.number}</a></mark>')
        out.append(f'<div class="ln" id="{pid}-L{lineno}"><span class="no">{lineno}</span>'
                   f'<span class="tx">{"".join(body)}</span></div>')
    return out


def _source_link(s: rm.Source, pid: str, ids: dict) -> str:
    label = f"{e(s.where)}{'（' + e(s.note) + '）' if s.note else ''}"
    if s.same_document and s.end > s.start:
        href = f"#{pid}-s{s.start}-{s.end}"
    elif s.path in ids and s.line:
        href = f"#{ids[s.path]}-L{s.line}"
    else:
        href = None
    head = f'<a class="source" href="{href}">{label}</a>' if href else label
    return f"{head}：{e(s.excerpt)}"


def _comment_item(c: rm.Comment, pid: str, ids: dict) -> str:
    sev = int(c.severity)
    parts = [f'<li id="{pid}-i{c.number}" class="sev-{sev} fam-{e(c.family)}">',
             f'<a href="#{pid}-c{c.number}"><b>{c.number}.</b></a> '
             f'<span class="badge sev-{sev}">{e(c.severity.zh)}</span>'
             f'<span class="code">{e(c.code)}</span> <span class="muted">{e(c.rule_name)}</span>',
             '<dl>',
             f'<dt>位置</dt><dd><a href="#{pid}-c{c.number}">{e(c.location)}</a></dd>',
             f'<dt>原文</dt><dd class="orig">{e(c.before)}【<b>{e(c.span or "‸")}</b>】{e(c.after)}</dd>',
             f'<dt>问题</dt><dd>{e(c.message)}</dd>',
             f'<dt>修改建议</dt><dd>{e(c.suggestion) if c.suggestion else "—"}</dd>',
             f'<dt>严重程度</dt><dd>{e(c.severity.zh)}</dd>',
             f'<dt>规则</dt><dd><span class="code">{e(c.code)}</span></dd>']
    for s in c.sources:
        parts.append(f'<dt>{c.sources_label}</dt><dd>{_source_link(s, pid, ids)}</dd>')
    parts.append("</dl></li>")
    return "".join(parts)


def _summary_table(d: rm.DocReview) -> str:
    num = ' class="n"'
    rows = "".join(f"<tr><th>{e(k)}</th><td{num if v.isdigit() and k not in ('文件', '标题') else ''}>"
                   f"{e(v)}</td></tr>" for k, v in rm.summary_rows(d))
    return f'<table class="summary-table">{rows}</table>'


def _filters(d: rm.DocReview, pid: str) -> tuple[str, str]:
    """Radio buttons filtering the comments by severity and rule family, and their CSS (no script)."""
    fams = [fam for fam, _name, _n in d.by_family]
    inputs = [f'<input type="radio" name="{pid}-sev" id="{pid}-sev{v}" class="flt"{" checked" if v == 1 else ""}>'
              for v in (1, 2, 3)]
    inputs += [f'<input type="radio" name="{pid}-fam" id="{pid}-fam-all" class="flt" checked>']
    inputs += [f'<input type="radio" name="{pid}-fam" id="{pid}-fam-{e(f)}" class="flt">' for f in fams]
    labels = ['<div class="filters"><span>显示：</span>',
              f'<label for="{pid}-sev1">全部</label><label for="{pid}-sev2">警告及以上</label>'
              f'<label for="{pid}-sev3">只看错误</label><span class="sep">｜</span>'
              f'<label for="{pid}-fam-all">全部类别</label>']
    labels += [f'<label for="{pid}-fam-{e(f)}">{e(name)}</label>' for f, name, _n in d.by_family]
    labels.append("</div>")
    css = [f"#{pid}-sev2:checked~.text li.sev-1,#{pid}-sev3:checked~.text li.sev-1,"
           f"#{pid}-sev3:checked~.text li.sev-2{{display:none}}",
           f"#{pid}-sev1:checked~.filters label[for={pid}-sev1],#{pid}-sev2:checked~.filters label[for={pid}-sev2],"
           f"#{pid}-sev3:checked~.filters label[for={pid}-sev3],#{pid}-fam-all:checked~.filters label[for={pid}-fam-all]"
           "{background:#24466b;color:#fff}"]
    for f in fams:
        css.append(f"#{pid}-fam-{f}:checked~.text li:not(.fam-{f}){{display:none}}"
                   f"#{pid}-fam-{f}:checked~.filters label[for={pid}-fam-{f}]{{background:#24466b;color:#fff}}")
    return "".join(inputs) + "".join(labels), "".join(css)


def _document(d: rm.DocReview, review: rm.Review, ids: dict) -> str:
    pid = ids[d.path] if d.path in ids else f"d{d.index}"
    prefix = f"{d.index}. " if review.batch else ""
    out = [f'<section class="doc" id="{pid}">',
           f'<h2>{e(prefix)}{e(d.display_title)}</h2>',
           f'<div class="muted">文件：{e(d.path)}</div>',
           '<h3>问题汇总</h3><div class="summary">', _summary_table(d), _bar_chart(d), '</div>',
           f'<h3>报告原文（按{e(d.paragraph_unit)}编号）与审核意见（{d.total} 条）</h3>']
    if not d.comments:
        out.append("<p>未发现问题。</p>")
    controls, css = _filters(d, pid)
    if css:
        out.append(f"<style>{css}</style>")
    out.append(controls)
    # one row per line: the text beside the comments that start on it, so both scroll together
    by_line: dict[int, list] = {}
    for c in d.comments:
        by_line.setdefault(c.line, []).append(c)
    lines = _text_lines(d, pid)
    out.append('<div class="text">')
    for n, line in enumerate(lines, 1):
        here = by_line.pop(n, [])
        cards = (f'<ol class="comments" start="{here[0].number}">' + "".join(_comment_item(c, pid, ids) for c in here)
                 + "</ol>") if here else ""
        out.append(f'{line}<div class="cm">{cards}</div>')
    rest = [c for k in sorted(by_line) for c in by_line[k]]
    if rest:     # comments placed outside the text's lines (none expected)
        out.append('<div class="ln"></div><div class="cm"><ol class="comments" start="{0}">{1}</ol></div>'.format(
            rest[0].number, "".join(_comment_item(c, pid, ids) for c in rest)))
    out.append("</div></section>")
    return "".join(out)


def _overview(review: rm.Review, ids: dict) -> str:
    cols = rm.overview_columns(review)
    ranking = review.ranking()
    rows = []
    for d, row in zip(ranking, rm.overview_rows(review)):
        cells = []
        for i, v in enumerate(row):
            if i == 1:
                cells.append(f'<td><a href="#{ids[d.path]}">{e(v)}</a></td>')
            else:
                num = ' class="n"' if isinstance(v, int) else ""
                cells.append(f'<td{num}>{e(v)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{e(c)}</th>" for c in cols)
    out = ['<section class="doc" id="overview"><h2>总览</h2>',
           f'<table class="overview"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>']
    if review.errors:
        out.append("<h3>无法读取的文件</h3><ul>")
        out += [f"<li>{e(p)}：{e(m)}</li>" for p, m in review.errors]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def render_review(review: rm.Review) -> str:
    ids: dict = {}
    for d in review.documents:
        ids.setdefault(d.path, f"d{d.index}")
    title = "审核意见表" if review.batch or not review.documents else f"审核意见表 — {review.documents[0].display_title}"
    body = []
    if review.batch:
        body.append(_overview(review, ids))
    body += [_document(d, review, ids) for d in review.documents]
    from govlint.guard import sign_text
    from govlint.output import clean
    return sign_text(clean("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta name=\"generator\" content=\"govlint\">"
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
            "<header class=\"top\"><h1>审核意见表</h1></header><main>"
            + "".join(body) + "</main></body></html>\n"), "html")


def render(results, **kw) -> str:
    return render_review(rm.build(results))
