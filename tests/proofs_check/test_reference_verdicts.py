"""The whole quick claim run reproduces the committed reference verdicts exactly.

``reports/quick/data/verdicts.json`` is the reference (``topotheory report`` writes it from
``python -m proofs_check --profile quick --seed 0``). Every check is seeded and derandomized,
so any change of a status or of a shrunk counterexample is a visible failure here; to accept
a deliberate change, regenerate the report (``topotheory report --out reports/quick``).
"""

import json
from pathlib import Path

from proofs_check.runner import compare_expected, run_checks

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick" / "data" / "verdicts.json"


def test_quick_run_matches_reference_statuses_and_counterexamples():
    expected = json.loads(REFERENCE.read_text())
    verdicts = run_checks(profile="quick", seed=0, progress=False)
    assert compare_expected(verdicts, expected) == []
    got = {v.key: json.loads(json.dumps(v.to_json()["counterexample"])) for v in verdicts}
    recorded = {
        row["id"] + (f"[{row['variant']}]" if row.get("variant") else ""): row["counterexample"]
        for row in expected["claims"]
    }
    assert set(got) == set(recorded), "claims added or removed: regenerate the reference report"
    changed = [key for key in recorded if got[key] != recorded[key]]
    assert changed == [], f"counterexamples changed for {changed}"
