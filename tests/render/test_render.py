"""Rendering: byte-stable data files, markdown/HTML blocks, highlights, links, embedding."""

from __future__ import annotations

import base64
import json
from fractions import Fraction

import pytest

from topotheory.render.blocks import FigureSpec, Missing, Paragraph, Section, Table
from topotheory.render.datafiles import dumps_json, table_to_csv
from topotheory.render.document import Document
from topotheory.render.htmlpage import render_html
from topotheory.render.markdown import render_markdown


def _doc(figures=None):
    table = Table(
        "t",
        ("claim", "value", "bad"),
        (("a", 0.1, False), ("b", 1 / 3, True)),
        caption="cap",
        highlight="bad",
        links={"claim": "claim-"},
    )
    fig = FigureSpec("f", "a figure", lambda fig: None)
    s1 = Section("s1", "First", (Paragraph("x < y with `code`"), table, fig))
    s2 = Section("s2", "Second", (Missing("thing", "`mod` is not on this branch yet"),))
    return Document("Title", (s1, s2), {}, figures=figures or {})


def test_csv_and_json_are_exact_and_stable():
    table = Table("t", ("a", "b"), ((0.1, None), (float("nan"), True), (1e-17, 3)))
    assert table_to_csv(table) == "a,b\n0.1,\nnan,true\n1e-17,3\n"
    text = dumps_json({"b": [Fraction(1, 3), float("inf")], "a": 0.30000000000000004})
    assert text == dumps_json({"a": 0.30000000000000004, "b": [Fraction(1, 3), float("inf")]})
    # the project's one strict-JSON rule: a non-finite value is null, its path listed
    assert json.loads(text) == {"a": 0.30000000000000004, "b": ["1/3", None],
                                "non_finite": {"b/1": "inf"}}


def test_table_rejects_ragged_rows_and_unknown_highlight():
    with pytest.raises(ValueError, match="row 0 has 1 values for 2 columns"):
        Table("t", ("a", "b"), ((1,),))
    with pytest.raises(ValueError, match="highlight column 'zz' missing"):
        Table("t", ("a",), ((1,),), highlight="zz")


def test_markdown_marks_highlights_links_and_missing():
    md = render_markdown(_doc())
    assert "| ⚠ **[b](#claim-b)** | 0.3333 | yes |" in md
    assert "| [a](#claim-a) | 0.1 | no |" in md
    assert "> **Not available yet: thing.** `mod` is not on this branch yet" in md
    assert "2. [Second](#s2) (not available yet)" in md
    assert "![Figure 1](figures/f.png)" in md
    assert "[data/t.csv](data/t.csv)" in md


def test_html_is_self_contained_and_embeds_figures():
    png = b"\x89PNG\r\n\x1a\nfake"
    page = render_html(_doc({"f": png}))
    assert "data:image/png;base64," + base64.b64encode(png).decode() in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert '<tr class="hl"><td><a href="#claim-b">b</a></td>' in page
    assert "x &lt; y with <code>code</code>" in page
    assert '<div class="missing"><strong>Not available yet: thing.</strong>' in page
    assert page.count('<section id="') == 2


def test_html_without_figures_says_so():
    assert "figure not rendered: data-only build" in render_html(_doc())


def test_section_status():
    doc = _doc()
    assert [s.status for s in doc.sections] == ["ok", "unavailable"]
    partial = Section("p", "P", (Missing("a", "b"), Table("x", ("c",), ((1,),))))
    assert partial.status == "partial"
