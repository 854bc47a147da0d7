"""Fixtures of the report tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick"


@pytest.fixture(scope="session")
def quick_sections():
    """The quick report's sections (tests/report/quick_sections.py), built once: the
    sections of :data:`~tests.report.quick_sections.FULL` that the committed reference
    has (not ``unavailable``), and each :data:`~tests.report.quick_sections.SUBSET`
    section on its reduced profile."""
    from tests.report.quick_sections import FULL, build

    manifest = json.loads((REFERENCE / "data" / "sections.json").read_text(encoding="utf-8"))
    status = {s["id"]: s["status"] for s in manifest["sections"]}
    return build(tuple(s for s in FULL if status[s] != "unavailable"))
