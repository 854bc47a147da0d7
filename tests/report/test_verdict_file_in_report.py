"""The report keeps the verdict run's provenance apart: data/verdicts.json is byte-stable,
verdicts.json beside provenance.json is the whole verdict file (the --expect reference), and
the committed reference says it was generated from a clean tree."""

from __future__ import annotations

import json
from pathlib import Path

from topotheory.render.blocks import Section
from topotheory.report.build import write_data
from topotheory.report.profiles import get_profile

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick"


def test_run_dependent_data_stays_out_of_data(tmp_path):
    section = Section("verdicts", "Verdicts", (), data={
        "schema": "s", "claims": [{"id": "x"}], "provenance": {"wall_seconds": 1.5}})
    write_data((section,), get_profile("quick"), tmp_path / "data")
    assert json.loads((tmp_path / "data" / "verdicts.json").read_text()) == {
        "schema": "s", "claims": [{"id": "x"}]}


def test_committed_reference_is_a_full_verdict_file_from_a_clean_tree():
    full = json.loads((REFERENCE / "verdicts.json").read_text(encoding="utf-8"))
    stable = json.loads((REFERENCE / "data" / "verdicts.json").read_text(encoding="utf-8"))
    assert full["schema"] == stable["schema"] == "topotheory.verdicts/2"
    assert full["claims"] == stable["claims"] and "provenance" not in stable
    prov = full["provenance"]
    assert (prov["profile"], prov["seed"]) == ("quick", 0)
    assert prov["git"]["dirty"] is False, "regenerate reports/quick from a clean tree"
    assert {"numpy", "scipy", "torch", "hypothesis", "python"} <= set(prov["versions"])
    assert prov["numerics"]["torch"]["cpu_capability"]  # the trained claims imported torch
    report = json.loads((REFERENCE / "provenance.json").read_text(encoding="utf-8"))
    assert report["git"]["dirty"] is False
    assert "from a clean tree at commit" in (REFERENCE / "report.md").read_text(encoding="utf-8")
