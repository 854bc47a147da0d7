"""The large-layer law: solver, validation, error law against exact counting, invariance."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import lambertw

from topotheory.simulate.counting import exact_expected_overlap, exact_overlap_distribution
from topotheory.simulate.overlap_limit import (
    CORRECTED_ERROR_CONSTANT,
    CORRECTED_MIN_SIDE,
    CORRECTION_FIT_SHAPES,
    FINITE_SIZE_COEFFICIENTS,
    LAW_ERROR_CONSTANT,
    LAW_MIN_SIDE,
    extinction_probabilities,
    extinction_probabilities_iterated,
    overlap_limit,
    overlap_limit_corrected,
    predicted_overlap,
)
from topotheory.simulate.overlap_limit_checks import (
    density_invariance_exact,
    density_invariance_monte_carlo,
    error_law_summary,
    exact_grid,
    fit_finite_size_correction,
    law_exact_errors,
    law_monte_carlo_errors,
    sparse_support_counts,
)

sides = st.integers(1, 5000)


def _brentq_law(n: int, m: int) -> float:
    """Independent reference: scipy's brentq on the 1-D reduction in r_a."""
    k = n + m - 1
    la, lb = k / n, k / m

    def g(r_a: float) -> float:
        return r_a - math.exp(-la * (1 - math.exp(-lb * (1 - r_a))))

    r_a = brentq(g, 0.0, 1.0 - 1e-9, xtol=1e-16, rtol=1e-15)
    r_b = math.exp(-lb * (1 - r_a))
    return (n + m - n * r_a - m * r_b + k * r_a * r_b) / k


@given(n=sides, m=sides)
@example(n=1, m=2)
@example(n=2, m=5000)
@example(n=5000, m=5000)
def test_solver_agrees_with_brentq_and_plain_iteration(n: int, m: int) -> None:
    assume((n, m) != (1, 1))  # critical (la lb = 1): tested on its own below
    value = overlap_limit(n, m)
    assert value == pytest.approx(_brentq_law(n, m), abs=1e-10)
    r_a, r_b = extinction_probabilities(n, m)
    it_a, it_b = extinction_probabilities_iterated(n, m, tol=1e-14)
    assert float(r_a) == pytest.approx(it_a, abs=1e-10)
    assert float(r_b) == pytest.approx(it_b, abs=1e-10)
    assert 0 <= r_a < 1 and 0 < r_b < 1  # r_a underflows to 0 for very thin layers


def test_one_by_one_is_critical_and_gives_one() -> None:
    # la * lb = 1: the extinction probability is 1, the law gives X = 1 (exact value too)
    assert overlap_limit(1, 1) == 1.0
    assert extinction_probabilities_iterated(1, 1, tol=1e-6) == pytest.approx((1.0, 1.0), abs=1e-3)


def test_vectorised_equals_scalar_and_is_symmetric() -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(1, 3000, 200)
    m = rng.integers(1, 3000, 200)
    batch = overlap_limit(n, m)
    assert batch.shape == (200,)
    scalar = [overlap_limit(int(a), int(b)) for a, b in zip(n, m, strict=True)]
    assert np.allclose(batch, scalar, atol=1e-14, rtol=0)
    assert np.allclose(batch, overlap_limit(m, n), atol=1e-13, rtol=0)
    grid = overlap_limit(np.arange(1, 6)[:, None], np.arange(1, 8)[None, :])
    assert grid.shape == (5, 7)


def test_square_limit_through_scipy_lambertw() -> None:
    r = -lambertw(-2 * math.exp(-2)).real / 2
    assert overlap_limit(10**7, 10**7) == pytest.approx(1 - r + r * r, abs=1e-6)
    assert 1 - r + r * r == pytest.approx(0.8380974405, abs=1e-9)


@pytest.mark.parametrize(
    ("n", "m", "error", "match"),
    [
        (0, 3, ValueError, "n must be >= 1"),
        (3, -1, ValueError, "m must be >= 1"),
        (2.5, 3, TypeError, "n must be an integer"),
        ("4", 3, TypeError, "n must be an integer"),
        (True, 3, TypeError, "n must be an integer"),
        (3, float("nan"), TypeError, "m must be an integer"),
        ([1, 2], [1, 2, 3], ValueError, "broadcast"),
    ],
)
def test_bad_shapes_are_rejected(n: object, m: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        overlap_limit(n, m)


def test_integral_floats_are_accepted() -> None:
    assert overlap_limit(100.0, 100) == overlap_limit(100, 100)


def test_predicted_overlap_says_which_source() -> None:
    small = predicted_overlap(4, 5)
    assert small.source == "exact" and small.exact == exact_expected_overlap(4, 5)
    assert small.error_bound == 0.0
    star = predicted_overlap(1, 5000)
    assert star.source == "exact" and star.exact == 1
    assert predicted_overlap(1, 1).exact == 1
    big = predicted_overlap(784, 100)
    assert big.source == "law+correction" and big.exact is None
    assert big.error_bound == pytest.approx(CORRECTED_ERROR_CONSTANT / 100)
    assert abs(big.value - overlap_limit(784, 100)) <= LAW_ERROR_CONSTANT / 100
    thin = predicted_overlap(2, 1000)
    assert thin.source == "law+correction" and thin.error_bound == LAW_ERROR_CONSTANT / 2
    assert abs(thin.value - float(_two_row_expectation(1000))) <= thin.error_bound / 4
    assert big.value == pytest.approx(overlap_limit_corrected(784, 100))
    assert predicted_overlap(20, 30, exact_max_edges=100).source == "law+correction"
    with pytest.raises(TypeError, match="exact_max_edges"):
        predicted_overlap(20, 30, exact_max_edges=1.5)  # type: ignore[arg-type]
    assert set(big.as_dict()) >= {"value", "source", "error_bound"}


# ----------------------------------------------------------------------------- error law


@pytest.fixture(scope="module")
def exact_rows():
    return law_exact_errors(exact_grid(150, min_side=LAW_MIN_SIDE))


def test_error_law_holds_exactly_on_every_small_shape(exact_rows) -> None:
    summary = error_law_summary(exact_rows)
    assert summary.status == "confirmed", summary
    assert summary.n_shapes == len(exact_rows) > 200
    assert 0.15 < summary.measured_constant <= LAW_ERROR_CONSTANT
    # the worst shapes are the thin ones (min side 2, long other side)
    assert min(summary.worst_shape) == 2


def test_error_law_false_twin_is_caught(exact_rows) -> None:
    # a constant 30% below the measured one must be refuted by the same rule
    measured = error_law_summary(exact_rows).measured_constant
    twin = error_law_summary(exact_rows, constant=0.7 * measured)
    assert twin.status == "refuted" and twin.failures
    # and a law shifted by 1/k (the "+1 for the giant" reading) fails too
    shifted = [type(r)(r.n, r.m, r.k, r.law - 1 / r.k, r.expected, r.source, r.ci_low,
                       r.ci_high, r.trials, r.confidence) for r in exact_rows]
    assert error_law_summary(shifted).status == "refuted"


def test_min_side_one_is_outside_the_law() -> None:
    # X = 1 exactly for a star; the law gives about 1 - 1/e: this is why min side >= 2
    row = law_exact_errors([(1, 40)])[0]
    assert row.expected == 1.0
    assert row.scaled_error > LAW_ERROR_CONSTANT


def _two_row_expectation(m: int) -> Fraction:
    """Closed form for 2 x m: the two inputs are joined (d2 = d0 + 1 >= 1 output vertices of
    degree 2), so comp = 1 + (isolated outputs), E[isolated] = (m-1)(m-2) / (2 (2m-1))."""
    return (m + 1 - Fraction((m - 1) * (m - 2), 2 * (2 * m - 1))) / (m + 1)


@pytest.mark.parametrize("m", [2, 3, 7, 30, 75])
def test_two_row_closed_form_matches_counting(m: int) -> None:
    assert _two_row_expectation(m) == exact_expected_overlap(2, m)


def test_worst_scaled_error_is_the_thin_two_row_limit() -> None:
    # n = 2, m -> oo: E[X] -> 3/4 while the law -> 1 - 1/e; the scaled error increases
    # monotonically in m to 2 (e^-1 - 1/4) = 0.2358 < LAW_ERROR_CONSTANT
    ms = np.unique(np.geomspace(2, 1e7, 200).astype(int))
    exact = np.array([float(_two_row_expectation(int(m))) for m in ms])
    scaled = 2 * (exact - overlap_limit(2, ms))
    assert np.all(np.diff(scaled[ms >= 10]) > 0)
    assert scaled.max() == pytest.approx(2 * (math.exp(-1) - 0.25), abs=1e-6)
    assert scaled.max() < LAW_ERROR_CONSTANT


#: Exact values not used by the test's own fit (exact_grid(150) has n m <= 150).
HELD_OUT = ((6, 45), (8, 30), (12, 20), (15, 15), (7, 35))


@pytest.fixture(scope="module")
def held_out_rows():
    return law_exact_errors(HELD_OUT)


def test_finite_size_correction_fit_improves_out_of_sample(exact_rows, held_out_rows) -> None:
    phi, psi = fit_finite_size_correction(exact_rows, degree=3, min_side=6)
    held = held_out_rows
    low = np.array([min(r.n, r.m) for r in held], dtype=float)
    t = low / np.array([max(r.n, r.m) for r in held])
    term = np.polyval(phi[::-1], t) / low + np.polyval(psi[::-1], t) / low**2
    raw = np.array([r.error for r in held])
    assert np.max(np.abs(raw - term) * low) < 0.25 * np.max(np.abs(raw) * low)


def test_shipped_correction_meets_its_error_law(exact_rows, held_out_rows) -> None:
    raw_rows = [r for r in exact_rows + held_out_rows if min(r.n, r.m) >= CORRECTED_MIN_SIDE]
    unseen = [(r.n, r.m) for r in raw_rows if (r.n, r.m) not in CORRECTION_FIT_SHAPES]
    assert len(unseen) >= 15
    rows = [dataclasses.replace(r, law=overlap_limit_corrected(r.n, r.m)) for r in raw_rows]
    assert rows[0] == law_exact_errors([(rows[0].n, rows[0].m)], corrected=True)[0]
    summary = error_law_summary(rows, constant=CORRECTED_ERROR_CONSTANT)
    assert summary.status == "confirmed", summary
    raw = error_law_summary(raw_rows)
    assert summary.measured_constant < raw.measured_constant / 5
    # false twin: a ten times smaller constant is refuted by the same rule
    assert error_law_summary(rows, constant=CORRECTED_ERROR_CONSTANT / 10).status == "refuted"
    assert FINITE_SIZE_COEFFICIENTS[0][0] == pytest.approx(math.exp(-1) / 2, abs=0.005)


def test_monte_carlo_rows_carry_intervals_and_agree_with_the_law() -> None:
    rows = law_monte_carlo_errors([(20, 20), (10, 100), (10, 200)], trials=3000, seed=1)
    for r in rows:
        assert r.ci_low <= r.expected <= r.ci_high and r.source == "monte-carlo"
        assert r.confidence == pytest.approx(1 - 1e-3 / 3)
    summary = error_law_summary(rows)
    assert summary.status == "confirmed", summary
    assert error_law_summary(rows, constant=1e-4).status in {"refuted", "inconclusive"}


# -------------------------------------------------------------------- density invariance


def test_density_invariance_exact_for_uniform_supports() -> None:
    rows = density_invariance_exact([(2, 3), (3, 3), (2, 4)])
    assert len(rows) == 3 + 5 + 4  # supports k .. nm
    for row in rows:
        assert row.uniform_equal, (row.n, row.m, row.support)
        assert row.dense_law == exact_overlap_distribution(row.n, row.m)


def test_connected_supports_break_invariance_on_small_layers() -> None:
    rows = {(r.n, r.m, r.support): r for r in density_invariance_exact([(3, 3)])}
    # a connected support of exactly k edges is a spanning tree: X = 1
    assert rows[3, 3, 5].connected_law == {5: Fraction(1)}
    assert rows[3, 3, 5].connected_mean_shift == Fraction(1, 14)
    assert rows[3, 3, 6].connected_mean_shift > 0
    # once every support of that size is connected the condition is void
    assert rows[3, 3, 7].connected_tv == 0 and rows[3, 3, 9].connected_tv == 0


def test_sparse_sampler_validation() -> None:
    with pytest.raises(ValueError, match="support"):
        sparse_support_counts(5, 5, 8, 10, 0, connected=False)
    with pytest.raises(ValueError, match="support"):
        sparse_support_counts(5, 5, 26, 10, 0, connected=False)


def test_density_invariance_monte_carlo_has_power_and_level() -> None:
    uniform = density_invariance_monte_carlo([(20, 20, (39, 80, 400))], trials=3000, seed=2)
    assert not any(r.rejected for r in uniform)
    assert all(r.level == pytest.approx(1e-3 / 3) for r in uniform)
    # false twin: connected supports at k edges are spanning trees (X = 1): must be caught
    twin = density_invariance_monte_carlo(
        [(6, 6, (11,))], trials=3000, seed=2, connected=True
    )
    assert twin[0].rejected and twin[0].sparse_mean == 1.0


# --------------------------------------------------------------------------- command line


def test_simulate_overlap_json_reports_the_limit_next_to_the_estimate(capsys) -> None:
    import json

    from topotheory.cli import main

    argv = ["simulate", "overlap", "--n", "40", "--m", "60", "--trials", "3000", "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    limit = report["large_layer_limit"]
    assert limit["law"] == overlap_limit(40, 60)
    assert limit["corrected"] == overlap_limit_corrected(40, 60)
    assert limit["error_bound"] == LAW_ERROR_CONSTANT / 40
    est = report["estimate"]
    assert est["ci_low"] <= limit["corrected"] <= est["ci_high"]
    # a star has no law (X = 1 exactly), a non-default k neither
    assert main(["simulate", "overlap", "--n", "1", "--m", "9", "--trials", "50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["large_layer_limit"] is None
    assert main(["simulate", "overlap", "--n", "30", "--m", "30", "--trials", "100"]) == 0
    assert "limit  0.8" in capsys.readouterr().out
