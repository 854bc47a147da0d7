"""Render a :class:`~topotheory.render.document.Document` as markdown text.

Figures are linked as ``figures/<name>.png`` (and their SVG where written); every table
links its CSV under ``data/``.

Examples
--------
>>> from topotheory.render.document import Document
>>> from topotheory.render.blocks import Paragraph, Section
>>> md = render_markdown(Document("T", (Section("a", "A", (Paragraph("x"),)),), {}))
>>> "## 1. A" in md and '<a id="a"></a>' in md
True
"""

from __future__ import annotations

from typing import Any

from topotheory.render.blocks import Bullets, Code, FigureSpec, Heading, Missing, Paragraph, Table
from topotheory.render.document import Document
from topotheory.render.inline import format_cell

__all__ = ["render_markdown", "render_table_md"]

_STATUS = {
    "ok": "",
    "partial": " (partly not available yet)",
    "unavailable": " (not available yet)",
}


def _cell(table: Table, column: str, value: Any) -> str:
    text = format_cell(value, table.formats.get(column)).replace("|", "\\|").replace("\n", " ")
    prefix = table.links.get(column)
    if prefix is not None and value is not None:
        text = f"[{text}](#{prefix}{value})"
    return text


def render_table_md(table: Table) -> list[str]:
    """Markdown lines for one table (highlighted rows are marked with ⚠)."""
    lines = []
    if table.caption:
        lines += [f"**{table.caption}**", ""]
    columns, shown, flags = table.shown()
    lines.append("| " + " | ".join(table.header(c).replace("|", "\\|") for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for record, flag in zip(shown, flags, strict=True):
        cells = [_cell(table, c, v) for c, v in zip(columns, record, strict=True)]
        if flag:
            cells[0] = "⚠ **" + cells[0] + "**"
        lines.append("| " + " | ".join(cells) + " |")
    more = len(table.rows) - len(shown)
    lines.append("")
    if table.csv_link:
        tail = f"{more} more rows in " if more > 0 else "Data: "
        lines += [f"*{tail}[data/{table.csv_link}](data/{table.csv_link})*", ""]
    return lines


def render_markdown(doc: Document) -> str:
    """The whole report as markdown text."""
    lines = [f"# {doc.title}", ""]
    lines += [p + "\n" for p in doc.intro]
    lines += ["## Contents", ""]
    for i, s in enumerate(doc.sections, 1):
        lines.append(f"{i}. [{s.title}](#{s.id}){_STATUS[s.status]}")
    lines.append("")
    for i, section in enumerate(doc.sections, 1):
        lines += [f'<a id="{section.id}"></a>', "", f"## {i}. {section.title}", ""]
        for block in section.blocks:
            lines += _block(doc, block)
        if section.sources:
            lines += ["*Sources: " + ", ".join(f"`{s}`" for s in section.sources) + "*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _block(doc: Document, block: Any) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text, ""]
    if isinstance(block, Bullets):
        return [f"- {item}" for item in block.items] + [""]
    if isinstance(block, Heading):
        return [f'<a id="{block.anchor}"></a>', "", f"### {block.text}", ""]
    if isinstance(block, Code):
        return ["```", block.text.rstrip("\n"), "```", ""]
    if isinstance(block, Missing):
        return [f"> **Not available yet: {block.what}.** {block.reason}", ""]
    if isinstance(block, Table):
        return render_table_md(block) if block.show else []
    if isinstance(block, FigureSpec):
        number = doc.figure_number(block.name)
        links = "".join(f" [{label}]({path})" for label, path in doc.figure_links(block.name))
        return [
            f"![Figure {number}](figures/{block.name}.png)",
            "",
            f"*Figure {number}. {block.caption}*" + (f" (also as{links})" if links else ""),
            "",
        ]
    raise TypeError(f"unknown block type {type(block).__name__}")
