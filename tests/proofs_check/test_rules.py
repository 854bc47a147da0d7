"""The decision rule of each kind: stated in the evidence, three-valued for Monte Carlo."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import strategies as st

from proofs_check.context import CheckContext
from proofs_check.profiles import get_profile
from proofs_check.rules import (
    FAMILY_ALPHA,
    MonteCarloTest,
    expectation_verdict,
    forall_exhaustive,
    forall_search,
    mc_tests_of_claim,
    per_test_confidence,
)
from topotheory.simulate.montecarlo import simulate_overlap
from topotheory.theory.registry import get_claim


def _ctx(claim_id: str, variant: str | None = None) -> CheckContext:
    return CheckContext(claim=get_claim(claim_id), variant_name=variant,
                        profile=get_profile("quick"), seed=0)


@pytest.fixture(scope="module")
def simulation():
    ctx = _ctx("overlap-bound", "nm")
    n_tests = mc_tests_of_claim(ctx, 1)
    assert n_tests == 2  # one shape, two readings of the bound
    return simulate_overlap(10, 10, trials=2000, seed=0,
                            confidence=per_test_confidence(n_tests=n_tests))


@pytest.mark.parametrize(
    ("where", "status"),
    [("mean", "inconclusive"), ("just_below_low", "confirmed"), ("just_above_high", "refuted")],
)
def test_monte_carlo_is_decided_by_the_interval_not_the_estimate(simulation, where, status):
    est = simulation.estimate
    bound = {"mean": est.mean, "just_below_low": est.ci_low - 1e-9,
             "just_above_high": est.ci_high + 1e-9}[where]
    ctx = _ctx("overlap-bound", "nm")
    test = MonteCarloTest.from_simulation("10x10", simulation, bound)
    verdict = expectation_verdict(ctx, monte_carlo=[test])
    assert verdict.status == status
    ev = verdict.evidence
    assert ev["family_alpha"] == FAMILY_ALPHA == 1e-3
    assert ev["monte_carlo_tests_in_claim"] == 2
    assert ev["monte_carlo"]["10x10"]["confidence"] == pytest.approx(1 - 1e-3 / 2)
    assert "Bonferroni" in ev["rule"]
    if status == "inconclusive":
        assert "10x10" in ev["reason"]


def test_one_undecided_test_keeps_the_claim_inconclusive(simulation):
    est = simulation.estimate
    ctx = _ctx("overlap-bound", "nm")
    clear = MonteCarloTest.from_simulation("clear", simulation, est.ci_low - 0.1)
    inside = MonteCarloTest.from_simulation("inside", simulation, est.mean)
    assert expectation_verdict(ctx, monte_carlo=[clear, inside]).status == "inconclusive"
    assert expectation_verdict(ctx, monte_carlo=[clear]).status == "confirmed"


def test_an_exact_value_below_the_bound_refutes_whatever_the_simulation_says(simulation):
    ctx = _ctx("overlap-bound", "nm")
    clear = MonteCarloTest.from_simulation("clear", simulation, 0.0)
    row = {"n": 2, "m": 3, "E[X]": str(Fraction(1, 3)), "bound": str(Fraction(1, 2))}
    verdict = expectation_verdict(ctx, exact=[row], monte_carlo=[clear])
    assert verdict.status == "refuted"
    assert verdict.counterexample["n"] == 2 and verdict.counterexample["bound_float"] == 0.5


def test_forall_evidence_says_search_or_exhaustive():
    ctx = _ctx("mst-size")
    searched = forall_search(ctx, st.integers(0, 50), lambda x: x >= 0, domain="0..50")
    assert searched.status == "confirmed"
    assert searched.evidence["exhaustive"] is False and searched.evidence["domain"] == "0..50"
    assert searched.timings["search"] >= 0 and not any("seconds" in k for k in searched.evidence)
    whole = forall_exhaustive(ctx, range(51), lambda x: x >= 0, domain="0..50",
                              bounds={"x": [0, 50]})
    assert whole.evidence["exhaustive"] is True and whole.evidence["cases_checked"] == 51
    first = forall_exhaustive(ctx, range(51), lambda x: x < 7, domain="0..50",
                              bounds={"x": [0, 50]}, describe=lambda x: {"x": x})
    assert first.status == "refuted" and first.counterexample == {"x": 7}
