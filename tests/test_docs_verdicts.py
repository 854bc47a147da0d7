"""Verdicts stated in the docs' tables agree with the committed reference verdicts.

docs/claims.md's table is generated from the registry (tests/report/test_claims_doc.py);
other pages have hand-written tables with a verdict column (docs/simulate.md's law claims).
Each row naming a claim (``| `id` |`` or ``| `id[variant]` |``) under a header with a
"verdict" column must state the status of that claim in ``reports/quick/data/verdicts.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
VERDICTS = json.loads((ROOT / "reports" / "quick" / "data" / "verdicts.json").read_text())
STATUS = {(c["id"], c.get("variant")): c["status"] for c in VERDICTS["claims"]}
_ROW = re.compile(r"^\|\s*`([\w-]+)(?:\[([\w-]+)\])?`\s*\|")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def verdict_rows() -> list[tuple[str, int, str, str | None, str]]:
    rows = []
    for page in PAGES:
        header: list[str] | None = None
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith("|"):
                header = None
                continue
            cells = _cells(line)
            if header is None:
                header = [c.lower() for c in cells]
                continue
            column = next((i for i, h in enumerate(header) if "verdict" in h), None)
            found = _ROW.match(line)
            if column is None or not found or column >= len(cells):
                continue
            rows.append((f"{page.relative_to(ROOT)}:{number}", number, found.group(1),
                         found.group(2), cells[column]))
    return rows


ROWS = verdict_rows()


def test_the_pages_state_verdicts():
    pages = {where.split(":")[0] for where, *_ in ROWS}
    assert {"docs/claims.md", "docs/simulate.md"} <= pages


@pytest.mark.parametrize(("where", "line", "claim", "variant", "cell"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_a_stated_verdict_is_the_reference_verdict(where, line, claim, variant, cell):
    assert any(i == claim for i, _ in STATUS), f"{where}: `{claim}` is not in the verdicts"
    text = cell.replace("*", "")
    variants = {v for i, v in STATUS if i == claim and v}
    per_variant = [(n, st) for n, st in re.findall(r"([\w-]+): (\w+)", text) if n in variants]
    if per_variant:  # "nm: confirmed; nm_minus_i_plus_1: refuted"
        for name, stated in per_variant:
            assert STATUS.get((claim, name)) == stated, (
                f"{where}: says {claim}[{name}] {stated}, the reference verdict is "
                f"{STATUS.get((claim, name))}")
        return
    statuses = ({STATUS[claim, variant]} if (claim, variant) in STATUS
                else {s for (i, _), s in STATUS.items() if i == claim})
    stated = re.match(r"\w+", text).group(0).lower() if text else ""
    assert stated in statuses, f"{where}: says {cell!r}, the reference verdict is {statuses}"
