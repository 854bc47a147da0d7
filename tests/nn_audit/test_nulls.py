"""Bound and null models of the audit against scipy and the simulate package."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from topotheory.nn.audit.nulls import (
    MIN_TRIALS,
    conv_iid_null,
    dense_bound,
    dense_iid_null,
    hypergeometric_null,
)
from topotheory.simulate import exact_expected_overlap, overlap_lower_bound


@pytest.mark.parametrize("n_edges,k", [(10, 3), (78400, 883), (12845056, 1000383),
                                       (10**6, 50), (5000, 4990), (8, 7)])
def test_hypergeometric_interval_is_scipys(n_edges, k) -> None:
    r = hypergeometric_null(n_edges, k, confidence=0.999)
    law = hypergeom(M=n_edges, n=k, N=k)
    assert r["mean"] == pytest.approx(law.mean() / k, rel=1e-12)
    assert r["low"] * k == law.ppf(0.0005)
    assert r["high"] * k == law.ppf(0.9995)


def test_bound_is_theorem_3_3() -> None:
    assert dense_bound(30, 20) == float(overlap_lower_bound(30, 20))
    assert dense_bound(1, 9) == 1.0


def test_dense_iid_null_brackets_the_exact_expectation_and_is_seeded() -> None:
    r, why = dense_iid_null(3, 3, 5, trials=400, seed=(0, 1), budget=10**6, confidence=0.999)
    assert why == "" and r["trials"] == 400
    exact = float(exact_expected_overlap(3, 3))
    assert r["low"] <= exact <= r["high"]
    again, _ = dense_iid_null(3, 3, 5, trials=400, seed=(0, 1), budget=10**6, confidence=0.999)
    assert again == r
    other, _ = dense_iid_null(3, 3, 5, trials=400, seed=(0, 2), budget=10**6, confidence=0.999)
    assert other["mean"] != r["mean"] or other["high"] != r["high"]


def test_the_budget_caps_trials_and_skips_with_a_reason() -> None:
    r, _ = dense_iid_null(10, 10, 19, trials=200, seed=(0,), budget=19 * 50)
    assert r["trials"] == 50 and r["requested_trials"] == 200
    r, why = dense_iid_null(10, 10, 19, trials=200, seed=(0,), budget=19 * (MIN_TRIALS - 1))
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
    assert set(shapes) == {(2, 1, 3)} and r["trials"] == 300
    assert r["low"] <= 0.5 <= r["high"]
