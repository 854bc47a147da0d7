"""The whole quick claim run reproduces the committed reference verdict file.

``reports/quick/verdicts.json`` is the reference (``topotheory report --out reports/quick``
writes it from ``python -m proofs_check --profile quick --seed 0``). The comparison is
exactly ``topotheory verify --expect reports/quick/verdicts.json``: the same claims and
variants (none missing, added or renamed), the same statuses, and every number within its
claim's declared tolerance (exact quantities exactly). To accept a deliberate change,
regenerate the report and commit the diff.

Slow (CI's ``-m slow`` step): the whole quick run, about 120 s of CPU (the trained claims'
trainings, which test_twins_power.py reuses on the same xdist worker: tests/scheduling.py).
"""

from pathlib import Path

import pytest

from proofs_check.expect import check_same_design, compare_expected
from proofs_check.runner import run_checks
from proofs_check.verdict_file import load_verdict_file

REFERENCE = Path(__file__).resolve().parents[2] / "reports" / "quick" / "verdicts.json"


@pytest.mark.slow
def test_quick_run_matches_the_reference_verdict_file():
    expected = load_verdict_file(REFERENCE)
    check_same_design(expected, profile="quick", seed=0)
    verdicts = run_checks(profile="quick", seed=0, progress=False, entry_points=False)
    assert compare_expected(verdicts, expected) == []
