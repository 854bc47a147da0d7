"""Bound and null models of the audit against scipy and the simulate package."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from topotheory.nn.audit.nulls import (
    DEFAULT_CONFIDENCE,
    MIN_TRIALS,
    HypergeometricNull,
    conv_iid_null,
    dense_bound,
    dense_iid_null,
    hypergeometric_null,
)
from topotheory.simulate import exact_expected_overlap, overlap_lower_bound
from topotheory.simulate.hypergeom import random_overlap_logpmf


@pytest.mark.parametrize("n_edges,k", [(10, 3), (78400, 883), (12845056, 1000383),
                                       (10**6, 50), (5000, 4990), (8, 7)])
def test_hypergeometric_interval_is_scipys(n_edges, k) -> None:
    r = hypergeometric_null(n_edges, k, confidence=0.999)
    law = hypergeom(M=n_edges, n=k, N=k)
    assert r.mean == pytest.approx(law.mean() / k, rel=1e-12)
    assert r.low * k == law.ppf(0.0005)
    assert r.high * k == law.ppf(0.9995)


@pytest.mark.parametrize("n_edges,k", [(10, 3), (36, 9), (288, 42), (3920, 401), (5000, 4990),
                                       (78400, 883)])
@pytest.mark.parametrize("confidence", [0.999, 0.99, 0.9])
def test_hypergeometric_interval_is_the_quantiles_of_the_exact_law(n_edges, k, confidence) -> None:
    """Independent of scipy: low/high are the smallest counts whose CDF under the project's
    own law (simulate.random_overlap_logpmf, summed over the whole support) reaches the
    lower and upper tail."""
    r = hypergeometric_null(n_edges, k, confidence=confidence)
    support = np.arange(max(0, 2 * k - n_edges), k + 1)
    cdf = np.cumsum(np.exp(random_overlap_logpmf(support, n_edges, k)))
    tail = (1 - confidence) / 2
    low, high = round(r.low * k), round(r.high * k)
    for count, level in ((low, tail), (high, 1 - tail)):
        at = int(np.searchsorted(support, count))
        assert cdf[at] >= level * (1 - 1e-9)
        assert at == 0 or cdf[at - 1] < level * (1 + 1e-9)
    assert r.mean == k / n_edges and r.confidence == confidence


def test_hypergeometric_null_edge_cases() -> None:
    assert hypergeometric_null(5, 0) == HypergeometricNull(0.0, 1.0, 1.0, DEFAULT_CONFIDENCE)
    assert hypergeometric_null(7, 7).low == hypergeometric_null(7, 7).high == 1.0  # all edges
    for bad in ((0, 0), (5, 6), (5, -1)):
        with pytest.raises(ValueError, match="0 <= k <= n_edges"):
            hypergeometric_null(*bad)


def test_bound_is_theorem_3_3() -> None:
    assert dense_bound(30, 20) == float(overlap_lower_bound(30, 20))
    assert dense_bound(1, 9) == 1.0


def test_dense_iid_null_brackets_the_exact_expectation_and_is_seeded() -> None:
    kw = {"trials": 400, "budget": 10**6, "confidence": 0.999, "predict": False}
    r, why = dense_iid_null(3, 3, 5, seed=(0, 1), **kw)
    assert why == "" and r.trials == 400 and r.source == "monte-carlo"
    exact = float(exact_expected_overlap(3, 3))
    assert r.low <= exact <= r.high
    again, _ = dense_iid_null(3, 3, 5, seed=(0, 1), **kw)
    assert again == r
    other, _ = dense_iid_null(3, 3, 5, seed=(0, 2), **kw)
    assert other.mean != r.mean or other.high != r.high


def test_dense_null_is_exact_where_counting_reaches() -> None:
    r, why = dense_iid_null(3, 3, 5, trials=400, seed=(0, 1), budget=10**6)
    assert why == "" and r.source == "exact" and r.error_bound == 0.0
    assert r.mean == r.low == r.high == 13 / 14 and r.trials == 0


@pytest.mark.parametrize("n,m", [(784, 100), (300, 100), (100, 10), (6, 80)])
def test_dense_null_uses_the_corrected_law_within_its_bound_of_the_simulation(n, m) -> None:
    from topotheory.simulate.montecarlo import simulate_overlap

    r, _ = dense_iid_null(n, m, n + m - 1, trials=200, seed=(0,), budget=10**9)
    assert r.source == "law+correction" and r.trials == 0
    assert r.error_bound == pytest.approx(0.025 / min(n, m))
    assert r.low < r.mean < r.high
    sim = simulate_overlap(n, m, trials=3000, seed=(7, n, m), confidence=0.999).estimate
    # the law's band and the simulation's interval overlap (the law is measured, not exact)
    assert sim.ci_low <= r.high and r.low <= sim.ci_high


@pytest.mark.parametrize("n,m,k", [(3, 500, 502), (5, 100, 104), (30, 30, 40)])
def test_dense_null_simulates_where_no_accurate_prediction_applies(n, m, k) -> None:
    r, _ = dense_iid_null(n, m, k, trials=50, seed=(0,), budget=10**9)
    assert r.source == "monte-carlo" and r.error_bound is None and r.trials == 50


def test_the_budget_caps_trials_and_skips_with_a_reason() -> None:
    r, _ = dense_iid_null(10, 10, 19, trials=200, seed=(0,), budget=19 * 50, predict=False)
    assert r.trials == 50 and r.requested_trials == 200
    r, why = dense_iid_null(10, 10, 19, trials=200, seed=(0,), budget=19 * (MIN_TRIALS - 1),
                            predict=False)
    assert r is None and "budget" in why
    calls = []
    r, why = conv_iid_null(lambda w: calls.append(w.shape) or (1, 1), (2, 2, 3), 10**9,
                           trials=100, seed=(0,), budget=10**9)
    assert r is None and "1000000000 Toeplitz edges" in why and not calls


def test_conv_iid_null_draws_kernels_of_the_layer_shape() -> None:
    shapes = []

    def measure(weight: np.ndarray) -> tuple[int, int]:
        shapes.append(weight.shape)
        return int(weight.ravel()[0] > 0), 1

    r, _ = conv_iid_null(measure, (2, 1, 3), 100, trials=300, seed=(4,), budget=10**6)
    assert set(shapes) == {(2, 1, 3)} and r.trials == 300
    assert r.low <= 0.5 <= r.high
