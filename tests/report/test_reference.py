"""The committed quick report (reports/quick) is reproduced number for number.

The tests regenerate the data of the quick profile (same seeds) and require the CSV/JSON
files to be byte-identical to the committed ones, so any change of a number shows up as a
failing test and as a diff of ``reports/quick/data``. The sections are built once per session
by the ``quick_sections`` fixture (tests/report/quick_sections.py, shared with the figure
tests): cheap and trained sections in full (:data:`FULL`), the expensive ``conv-ratios`` on
a subset whose rows must appear, identically, in the reference (:data:`SUBSET`); sections
not regenerated here are listed in :data:`NOT_REGENERATED` with the reason.

After an intended change, regenerate the reference with
``topotheory report --out reports/quick`` and commit the diff.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.report.quick_sections import FULL, NOT_REGENERATED, SUBSET
from topotheory.report.build import write_data
from topotheory.report.sections import SECTIONS

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick"


def _manifest() -> dict:
    return json.loads((REFERENCE / "data" / "sections.json").read_text(encoding="utf-8"))


def _reference_status() -> dict[str, str]:
    return {s["id"]: s["status"] for s in _manifest()["sections"]}


def test_every_section_is_covered():
    ids = {e.id for e in SECTIONS}
    covered = set(FULL) | set(SUBSET) | set(NOT_REGENERATED)
    available = {i for i, st in _reference_status().items() if st != "unavailable"}
    assert set(_reference_status()) == ids, "reference is stale: regenerate reports/quick"
    assert available <= covered, (
        f"sections with data but no regeneration test: {available - covered}"
    )


def _tables_of(section_id: str) -> list[str]:
    for s in _manifest()["sections"]:
        if s["id"] == section_id:
            return s["tables"]
    raise AssertionError(section_id)


def test_full_sections_are_byte_identical(tmp_path, quick_sections):
    status = _reference_status()
    only = [s for s in FULL if status[s] != "unavailable"]
    built = quick_sections["full"]
    sections = built.sections
    assert [s.id for s in sections] == [e.id for e in SECTIONS if e.id in only]
    write_data(sections, built.profile, tmp_path)
    compared = 0
    for section in sections:
        assert section.status == status[section.id], section.id
        names = [f"{t}.csv" for t in _tables_of(section.id)]
        if section.data:
            names.append(f"{section.id}.json")
        for name in names:
            new = (tmp_path / name).read_bytes()
            old = (REFERENCE / "data" / name).read_bytes()
            assert new == old, f"data/{name} differs from the committed reference"
            compared += 1
    assert compared >= 8


@pytest.mark.parametrize("section_id", sorted(SUBSET))
def test_subset_rows_match_reference(tmp_path, section_id, quick_sections):
    if _reference_status()[section_id] == "unavailable":
        pytest.fail(f"{section_id} unavailable in the reference but listed in SUBSET")
    built = quick_sections[section_id]
    assert [s.id for s in built.sections] == [section_id]
    write_data(built.sections, built.profile, tmp_path)
    for name in _tables_of(section_id):
        new = list(csv.reader((tmp_path / f"{name}.csv").open(encoding="utf-8")))
        old = list(csv.reader((REFERENCE / "data" / f"{name}.csv").open(encoding="utf-8")))
        assert new[0] == old[0], f"{name}: columns changed"
        assert len(new) > 1, f"{name}: nothing regenerated"
        missing = [row for row in new[1:] if row not in old[1:]]
        assert not missing, f"{name}: regenerated rows not in the reference: {missing[:3]}"
