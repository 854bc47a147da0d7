"""Adapters to the simulation machinery (topotheory.simulate), tried at run time."""

from __future__ import annotations

from typing import Any

from proofs_check.claims._common import optional

__all__ = ["exact_expected_overlap", "monte_carlo_overlap"]


def exact_expected_overlap() -> Any:
    """``exact_expected_overlap(n, m, k=None) -> Fraction`` or None if not available."""
    return optional("topotheory.simulate", "exact_expected_overlap") or optional(
        "topotheory.simulate.counting", "exact_expected_overlap")


def monte_carlo_overlap() -> Any:
    """``simulate_overlap(n, m, *, trials, seed, rho=1) -> OverlapSimulation`` or None."""
    return optional("topotheory.simulate", "simulate_overlap") or optional(
        "topotheory.simulate.montecarlo", "simulate_overlap")


def mc_summary(sim: Any) -> dict[str, Any]:
    """Mean, interval and provenance of one Monte Carlo result."""
    est = sim.estimate
    return {"mean": est.mean, "ci_low": est.ci_low, "ci_high": est.ci_high,
            "confidence": est.confidence, "ci_method": est.method, "trials": est.trials,
            "seed": sim.seed, "model": sim.model, "rho": str(sim.rho)}
