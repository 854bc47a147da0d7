"""Monte Carlo tests of the top-k/MST overlap against a bound, one stream per case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from proofs_check.context import CheckContext
from proofs_check.rules import MonteCarloTest, mc_tests_of_claim, per_test_confidence

__all__ = ["overlap_mc_tests"]


def overlap_mc_tests(ctx: CheckContext, cases: Sequence[tuple[str, int, int, Any, float]]
                     ) -> tuple[list[MonteCarloTest], int]:
    """Simulate each ``(label, n, m, rho, bound)`` at the Bonferroni-split confidence.

    Case ``i`` uses the seed ``(ctx.seed, i)`` and the trials of the claim's design
    (:attr:`CheckContext.design`, per profile); returns the tests and the claim's total
    number of Monte Carlo tests (all variants), the family the error rate is split over.
    """
    from topotheory.simulate.montecarlo import simulate_overlap

    n_tests = mc_tests_of_claim(ctx, len(cases))
    confidence = per_test_confidence(n_tests=n_tests)
    tests = []
    with ctx.timed("monte_carlo"):
        for i, (label, n, m, rho, bound) in enumerate(cases):
            sim = simulate_overlap(n, m, trials=ctx.design.count(ctx.profile.name),
                                   seed=(ctx.seed, i),
                                   rho=rho, confidence=confidence)
            tests.append(MonteCarloTest.from_simulation(label, sim, bound))
    return tests, n_tests
