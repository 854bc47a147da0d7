"""docs/api.md is generated from the docstrings and committed up to date."""

from __future__ import annotations

import re

from topotheory import API_GROUPS
from topotheory.apidoc import PAGE, api_reference, main, markdown_from_numpydoc


def test_the_committed_page_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == api_reference(), (
        "docs/api.md is stale: run python -m topotheory.apidoc")
    assert main(["--check"]) == 0


def test_check_fails_on_a_stale_page(tmp_path, capsys):
    page = tmp_path / "api.md"
    page.write_text("old\n", encoding="utf-8")
    assert main(["--check", "--out", str(page)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--out", str(page)]) == 0 and page.read_text(encoding="utf-8") == api_reference()


def test_every_name_has_a_section_in_its_group():
    text = api_reference()
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == ["Contents", *API_GROUPS]
    for names in API_GROUPS.values():
        for name in names:
            assert f"### `tt.{name}`" in text


def test_numpydoc_sections_become_markdown():
    doc = """Summary with :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Parameters
    ----------
    a, b : int
        Sizes,
        on two lines.
    mode : {"x", "y"}

    Examples
    --------
    >>> 1 + 1
    2
    """
    text = markdown_from_numpydoc(doc)
    assert "Summary with `maximum_spanning_forest`." in text
    assert "- `a`, `b` : int — Sizes, on two lines." in text
    assert '- `mode` : {"x", "y"}' in text
    assert "```pycon\n>>> 1 + 1\n2\n```" in text
