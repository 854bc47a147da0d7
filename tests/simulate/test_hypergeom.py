"""Appendix C: log-space hypergeometric law vs scipy, exact rationals and sympy."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import hypergeom
from sympy.stats import Hypergeometric, density

from topotheory.simulate.hypergeom import (
    MNIST_LAYER_SHAPES,
    appendix_c_probabilities,
    appendix_c_table,
    random_overlap_logpmf,
    random_overlap_logsf,
    random_overlap_pmf_exact,
    random_overlap_sf_exact,
)


def _log10(value: Fraction) -> float:
    def log10_int(x):
        shift = max(0, x.bit_length() - 60)
        return math.log10(x >> shift) + shift * math.log10(2)

    return log10_int(value.numerator) - log10_int(value.denominator)


@given(st.integers(1, 3000), st.data())
def test_logpmf_matches_scipy(n_edges, data):
    k = data.draw(st.integers(0, min(n_edges, 400)))
    x = np.arange(0, k + 1)
    # mapping: M = n_edges (population), n = k (successes), N = k (draws)
    ref = hypergeom(n_edges, k, k)
    ours = random_overlap_logpmf(x, n_edges, k)
    theirs = ref.logpmf(x)
    finite = np.isfinite(theirs) & (theirs > -700)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-9, atol=1e-9)
    assert np.all(np.isneginf(ours[np.isneginf(theirs)]))
    tail = random_overlap_logsf(x, n_edges, k)
    theirs_tail = ref.logsf(x - 1)  # scipy's sf is P(X > x); ours is P(X >= x)
    ok = np.isfinite(theirs_tail) & (theirs_tail > -600)
    np.testing.assert_allclose(tail[ok], theirs_tail[ok], rtol=1e-8, atol=1e-10)


@given(st.integers(1, 60), st.data())
def test_log_space_matches_exact_rationals(n_edges, data):
    k = data.draw(st.integers(0, n_edges))
    x = data.draw(st.integers(0, k))
    pmf = random_overlap_pmf_exact(x, n_edges, k)
    sf = random_overlap_sf_exact(x, n_edges, k)
    assert sum(random_overlap_pmf_exact(y, n_edges, k) for y in range(k + 1)) == 1
    assert sf == sum(random_overlap_pmf_exact(y, n_edges, k) for y in range(x, k + 1))
    if pmf:
        assert math.isclose(float(random_overlap_logpmf(x, n_edges, k)), math.log(pmf), rel_tol=1e-10, abs_tol=1e-12)
    assert math.isclose(float(random_overlap_logsf(x, n_edges, k)), math.log(sf), rel_tol=1e-10, abs_tol=1e-12)


@pytest.mark.parametrize("n_edges,k", [(10, 3), (20, 7), (12, 12)])
def test_exact_rationals_match_sympy(n_edges, k):
    law = density(Hypergeometric("X", n_edges, k, k)).dict
    for x in range(k + 1):
        assert sympy.Rational(law.get(x, 0)) == sympy.Rational(
            str(random_overlap_pmf_exact(x, n_edges, k))
        )


def test_far_tail_is_finite_in_log_space_and_matches_exact():
    # P(X >= 354) for the first MNIST layer underflows float64 (about 1e-470)
    log_tail = float(random_overlap_logsf(354, 78400, 883))
    assert np.isfinite(log_tail)
    assert math.isclose(log_tail / math.log(10), _log10(random_overlap_sf_exact(354, 78400, 883)), rel_tol=1e-10)


def test_appendix_c_thresholds_and_mnist_shapes():
    row = appendix_c_probabilities(100, 100)
    # k = 199: 5% of 199 = 9.95 -> exactly 10, at least 10; 40% = 79.6 -> 80, 80
    assert row.thresholds == {"exactly 5%": 10, "at least 5%": 10, "exactly 40%": 80, "at least 40%": 80}
    assert math.isclose(row.log10_probability["at least 40%"], _log10(random_overlap_sf_exact(80, 10000, 199)), rel_tol=1e-10)
    assert math.isclose(row.mean_fraction, 199 / 10000)
    names = [r.name for r in appendix_c_table()]
    assert names == [s.name for s in MNIST_LAYER_SHAPES]
    dense1 = appendix_c_table()[0]
    assert (dense1.k, dense1.n_edges, dense1.thresholds["at least 5%"]) == (883, 78400, 45)


def test_conv_shape_is_the_toeplitz_graph_of_the_paper():
    conv = next(s for s in MNIST_LAYER_SHAPES if s.name == "cnn.conv1")
    assert round(conv.n_edges / conv.k, 5) == 4.19251  # Appendix E, conv TCCR


def test_bad_input():
    with pytest.raises(ValueError, match="k=5 exceeds n_edges=4"):
        random_overlap_logpmf(1, 4, 5)
    with pytest.raises(TypeError, match="integer counts"):
        random_overlap_logpmf(np.array([0.5]), 10, 3)
