"""docs/claims.md's claims table is generated: registry + committed reference verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from topotheory.report.claims_doc import BEGIN, END, claims_table, update_claims_doc
from topotheory.theory.registry import PAPER_CLAIMS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "claims.md"
REFERENCE = ROOT / "reports" / "quick" / "verdicts.json"


def _reference_rows() -> list[dict]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))["claims"]


def _committed_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def test_committed_table_is_what_the_generator_writes():
    assert _committed_table() == claims_table(_reference_rows()), (
        "docs/claims.md is stale: python -m topotheory.cli report --out reports/quick "
        "--claims-doc docs/claims.md")


def test_table_agrees_with_the_reference_verdicts_row_by_row():
    rows = [line for line in _committed_table().splitlines()[2:] if line.startswith("| `")]
    by_id = {line.split("|")[1].strip().strip("`"): line for line in rows}
    assert sorted(by_id) == sorted(c.id for c in PAPER_CLAIMS)
    sources = [by_id[i].split("|")[2].strip().split(";")[0] for i in by_id]
    assert sources == sorted(sources, key=["paper", "reading", "finding"].index)  # grouped
    for ref in _reference_rows():
        verdict_cell = by_id[ref["id"]].rstrip(" |").rsplit("|", 1)[1].strip()
        expected = f"{ref['variant']}: {ref['status']}" if ref["variant"] else ref["status"]
        assert expected in verdict_cell.split("; "), (ref["id"], ref["variant"])


def test_update_keeps_the_hand_written_prose(tmp_path):
    doc = tmp_path / "claims.md"
    doc.write_text(f"# Title\n\nintro\n\n{BEGIN}\nold\n{END}\n\n## Findings\nprose\n")
    rows = [{"id": "mst-size", "variant": None, "status": "confirmed", "kind": "forall"}]
    assert update_claims_doc(doc, rows) is True
    text = doc.read_text()
    assert text.startswith("# Title\n\nintro\n\n") and text.endswith("## Findings\nprose\n")
    assert "| `mst-size` | paper | forall |" in text and "old" not in text
    assert update_claims_doc(doc, rows) is False
    (tmp_path / "plain.md").write_text("no markers")
    with pytest.raises(ValueError, match="markers"):
        update_claims_doc(tmp_path / "plain.md", rows)


def test_readme_summary_is_the_reference_files():
    """The README's per-source counts are the committed reference verdict file's."""
    import re

    from topotheory.theory.sources import summarize, summary_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"<!-- summary -->(.*?)<!-- /summary -->", readme, re.S)
    assert quoted, "README lacks the <!-- summary --> line"
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert reference["summary"] == summarize(reference["claims"])  # (key order not kept)
    assert " ".join(quoted.group(1).split()) == summary_text(summarize(reference["claims"]))
