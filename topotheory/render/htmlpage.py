"""Render a :class:`~topotheory.render.document.Document` as a self-contained HTML page.

Figures are embedded as base64 PNG, the style sheet is inline, and there are no scripts
or external requests; tables link their CSV under ``data/`` (beside the page).

Examples
--------
>>> from topotheory.render.document import Document
>>> from topotheory.render.blocks import Paragraph, Section
>>> page = render_html(Document("T", (Section("a", "A", (Paragraph("x < y"),)),), {}))
>>> page.startswith("<!DOCTYPE html>") and "x &lt; y" in page and 'id="a"' in page
True
"""

from __future__ import annotations

import base64
import html
from typing import Any

from topotheory.render.blocks import Bullets, Code, FigureSpec, Heading, Missing, Paragraph, Table
from topotheory.render.document import Document
from topotheory.render.inline import format_cell, inline_html

__all__ = ["CSS", "render_html"]

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:0;color:#1d1d1f;background:#fafafa;line-height:1.5}
main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff;
 box-shadow:0 0 8px rgba(0,0,0,.06)}
h1{font-size:1.7em;margin-top:.2em}
h2{border-bottom:2px solid #e5e5e5;padding-bottom:4px;margin-top:2em}
code{background:#f1f1f4;padding:1px 4px;border-radius:3px;font-size:.9em}
pre{background:#f6f8fa;padding:10px;overflow:auto;font-size:.85em;max-height:18em}
table{border-collapse:collapse;margin:6px 0 4px 0;font-size:.8em;display:block;
 overflow-x:auto;max-width:100%}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
td{white-space:nowrap}
td.wrap{white-space:normal;min-width:16em}
th{background:#f0f2f5;vertical-align:bottom;max-width:9em}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.hl td{background:#fff3cd}
tr.hl td:first-child{border-left:4px solid #d97706}
.caption{font-weight:600;margin-top:1em}
.datalink{font-size:.8em;color:#666;margin-bottom:1em}
.missing{border-left:4px solid #9ca3af;background:#f3f4f6;padding:8px 12px;margin:1em 0}
.status-proved,.status-confirmed{color:#047857;font-weight:600}
.status-refuted{color:#b91c1c;font-weight:600}
.status-inconclusive{color:#92400e;font-weight:600}
.badge{font-size:.7em;background:#e5e7eb;border-radius:8px;padding:1px 7px;
 vertical-align:middle;margin-left:6px;font-weight:400}
figure{margin:1em 0}
figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#444}
nav ol{columns:2}
.sources{font-size:.8em;color:#555}
"""

_STATUS = {"ok": "", "partial": "partly not available yet", "unavailable": "not available yet"}


def _table(table: Table) -> str:
    parts = []
    if table.caption:
        parts.append(f'<div class="caption">{inline_html(table.caption)}</div>')
    columns, shown, flags = table.shown()
    head = "".join(f"<th>{html.escape(table.header(c))}</th>" for c in columns)
    rows = []
    for record, flag in zip(shown, flags, strict=True):
        cells = []
        for column, value in zip(columns, record, strict=True):
            text = html.escape(format_cell(value, table.formats.get(column)))
            prefix = table.links.get(column)
            if prefix is not None and value is not None:
                text = f'<a href="#{html.escape(prefix + str(value))}">{text}</a>'
            classes = []
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                classes.append("num")
            if isinstance(value, str) and len(value) > 40:
                classes.append("wrap")
            if column == "status" and isinstance(value, str):
                classes.append(f"status-{html.escape(value)}")
            cls = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{cls}>{text}</td>")
        row_cls = ' class="hl"' if flag else ""
        rows.append(f"<tr{row_cls}>{''.join(cells)}</tr>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    more = len(table.rows) - len(shown)
    if table.csv_link:
        label = f"{more} more rows in " if more > 0 else "Data: "
        parts.append(
            f'<div class="datalink">{label}'
            f'<a href="data/{table.csv_link}">data/{table.csv_link}</a></div>'
        )
    return "\n".join(parts)


def _block(doc: Document, block: Any) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline_html(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{inline_html(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Heading):
        return f'<h3 id="{html.escape(block.anchor)}">{inline_html(block.text)}</h3>'
    if isinstance(block, Code):
        return f"<pre>{html.escape(block.text)}</pre>"
    if isinstance(block, Missing):
        return (
            f'<div class="missing"><strong>Not available yet: {inline_html(block.what)}.</strong> '
            f"{inline_html(block.reason)}</div>"
        )
    if isinstance(block, Table):
        return _table(block) if block.show else ""
    if isinstance(block, FigureSpec):
        number = doc.figure_number(block.name)
        png = doc.figures.get(block.name)
        if png is None:
            img = "<p><em>(figure not rendered: data-only build)</em></p>"
        else:
            data = base64.b64encode(png).decode("ascii")
            img = f'<img alt="Figure {number}" src="data:image/png;base64,{data}">'
        links = "".join(
            f' <a href="{html.escape(path)}">{label}</a>'
            for label, path in doc.figure_links(block.name)
        )
        also = f" (also as{links})" if links else ""
        return (
            f'<figure id="fig-{html.escape(block.name)}">{img}<figcaption><strong>Figure '
            f"{number}.</strong> {inline_html(block.caption)}{also}</figcaption></figure>"
        )
    raise TypeError(f"unknown block type {type(block).__name__}")


def render_html(doc: Document) -> str:
    """The whole report as one self-contained HTML page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(doc.title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{html.escape(doc.title)}</h1>",
    ]
    out += [f"<p>{inline_html(p)}</p>" for p in doc.intro]
    out.append("<nav><h2>Contents</h2><ol>")
    for s in doc.sections:
        badge = f' <span class="badge">{_STATUS[s.status]}</span>' if _STATUS[s.status] else ""
        out.append(f'<li><a href="#{s.id}">{html.escape(s.title)}</a>{badge}</li>')
    out.append("</ol></nav>")
    for i, section in enumerate(doc.sections, 1):
        badge = _STATUS[section.status]
        badge_html = f'<span class="badge">{badge}</span>' if badge else ""
        out.append(
            f'<section id="{section.id}"><h2>{i}. {html.escape(section.title)}{badge_html}</h2>'
        )
        out += [_block(doc, b) for b in section.blocks]
        if section.sources:
            src = ", ".join(f"<code>{html.escape(s)}</code>" for s in section.sources)
            out.append(f'<p class="sources">Sources: {src}</p>')
        out.append("</section>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
