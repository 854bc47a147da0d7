"""``topotheory.render``: the document model and its writers, shared by every report.

The report (:mod:`topotheory.report`: what the paper's report shows) and the audit report
(:mod:`topotheory.nn.audit`: what one user's model shows) build the same kind of
:class:`~topotheory.render.document.Document` and write it with the same code. This
package imports neither of them (nor torch, nor matplotlib at import time): the house's
arrows run into it, never out of it (``tests/test_layers.py``).

Modules, one job each:

=============================  ==============================================================
:mod:`~.blocks`                the blocks a section is made of: paragraphs, bullets, tables,
                               figure specs, "not available yet" blocks; :class:`Section`
:mod:`~.document`              :class:`Document`: sections + provenance + rendered figures
:mod:`~.inline`                the inline-markdown subset and the cell formatting
:mod:`~.markdown`              a document as markdown
:mod:`~.htmlpage`              a document as one self-contained HTML page
:mod:`~.figures`               figure style (palette, rcParams), byte-stable PNG/SVG, and the
                               house-style check
:mod:`~.datafiles`             byte-stable CSV and JSON data files
=============================  ==============================================================

Files are written atomically by :mod:`topotheory.safe_output`.

Examples
--------
>>> from topotheory.render import Document, Paragraph, Section, render_markdown
>>> print(render_markdown(Document("T", (Section("a", "A", (Paragraph("x"),)),), {})))
... # doctest: +ELLIPSIS
# T
...
## 1. A
<BLANKLINE>
x
<BLANKLINE>
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("Block", "Bullets", "Code", "FigureSpec", "Heading", "Missing", "Paragraph",
         "Section", "Table", "column_label"),
        "topotheory.render.blocks",
    ),
    "Document": "topotheory.render.document",
    **dict.fromkeys(("format_cell", "inline_html", "slug"), "topotheory.render.inline"),
    **dict.fromkeys(("render_markdown", "render_table_md"), "topotheory.render.markdown"),
    "render_html": "topotheory.render.htmlpage",
    **dict.fromkeys(
        ("PALETTE", "STYLE", "check_formats", "draw_figure", "figure_problems", "render_figure",
         "render_png"),
        "topotheory.render.figures",
    ),
    **dict.fromkeys(("csv_cell", "dumps_json", "table_to_csv", "to_jsonable", "write_text"),
                    "topotheory.render.datafiles"),
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
