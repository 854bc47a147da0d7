"""Every paper claim and every variant has a false twin, and the same check catches it.

Runs ``proofs_check.runner.run_power`` over the paper's claims (quick profile). The torch
claims reuse the trainings of ``test_reference_verdicts`` in the same process (the checks
memoise them by configuration and seed), so this file costs the non-torch twins only
(about 40 s of CPU) when it runs after that file, as pytest's file order does.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from proofs_check.context import CheckContext
from proofs_check.profiles import get_profile
from proofs_check.rules import interval_verdict
from proofs_check.runner import render_power, run_power
from topotheory.theory.registry import PAPER_CLAIMS, get_claim


@pytest.mark.parametrize("claim", PAPER_CLAIMS, ids=lambda c: c.id)
def test_every_claim_and_variant_has_a_false_twin(claim):
    covered = {t.variant if t.variant is not None else claim.variant_names[0]
               for t in claim.twins}
    missing = [v for v in claim.variant_names if v not in covered]
    assert not missing, f"{claim.id}: no false twin for variant(s) {missing}"


@pytest.mark.slow  # every claim's twin: the quick run again (CI's -m slow step)
def test_every_twin_is_caught_by_its_claims_own_check():
    rows = run_power([c.id for c in PAPER_CLAIMS], profile="quick", seed=0)
    uncaught = [r for r in rows if r["caught"] is not True]
    assert not uncaught, render_power(uncaught)
    keys = {(r["claim"], r["variant"]) for r in rows}
    assert keys == {(c.id, v) for c in PAPER_CLAIMS for v in c.variant_names}


def _ctx(variant: str = "beyond_controls_adam") -> CheckContext:
    return CheckContext(claim=get_claim("np-grows"), variant_name=variant,
                        profile=get_profile("quick"), seed=0)


@pytest.mark.parametrize(("low", "high", "status"), [
    (0.44, 4.46, "confirmed"),    # lower limit above 0
    (-2.4, 8.2, "inconclusive"),  # the interval contains 0
    (-6.0, -1.0, "refuted"),      # upper limit below 0
])
def test_interval_rule_confirms_refutes_or_stays_inconclusive(low, high, status):
    iv = SimpleNamespace(mean=(low + high) / 2, low=low, high=high, confidence=0.95,
                         as_dict=lambda: {"low": low, "high": high})
    verdict = interval_verdict(_ctx(), iv, threshold=0.0, what="effect")
    assert verdict.status == status
    assert "interval over seeds" in verdict.evidence["rule"]
    if status == "inconclusive":
        assert "contains 0" in verdict.evidence["reason"]


def test_interval_rule_with_one_seed_is_inconclusive():
    iv = SimpleNamespace(mean=1.0, low=None, high=None, confidence=0.95, as_dict=lambda: {})
    assert interval_verdict(_ctx(), iv, threshold=0.0, what="effect").status == "inconclusive"


def test_np_grows_has_the_three_readings_per_optimizer():
    assert [v.name for v in get_claim("np-grows").variants] == [
        f"{reading}_{setup}" for setup in ("adam", "sgd", "sgd_momentum")
        for reading in ("rises", "beyond_controls", "mostly_learning")]
