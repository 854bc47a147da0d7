"""Intervals for [0, 1] means and the three-way verdict.

Random model: Bernoulli(p) samples from numpy's PCG64 with fixed seeds; the coverage
test's false-alarm rate is stated in its docstring.
"""

import math

import numpy as np
import pytest

from topotheory.simulate.stats import (
    estimate_mean,
    one_sided_limit,
    verdict_at_least,
)


def test_hoeffding_half_width_formula():
    x = np.r_[np.zeros(400), np.ones(600)]
    assert math.isclose(
        one_sided_limit(x, 0.01, side="upper", method="hoeffding"),
        0.6 + math.sqrt(math.log(100) / 2000),
    )


def test_bernstein_is_tighter_than_hoeffding_for_small_variance():
    x = np.r_[np.full(9990, 0.5), np.full(10, 0.6)]
    bern = one_sided_limit(x, 1e-3, side="lower", method="bernstein")
    hoef = one_sided_limit(x, 1e-3, side="lower", method="hoeffding")
    assert hoef < bern < x.mean()


def test_coverage_of_nonasymptotic_intervals():
    """200 independent Bernoulli(0.3) samples of size 500 (seed 11).

    Each 0.99 interval misses with probability <= 0.01, so 200 intervals miss more
    than 12 times with probability < 1e-3 (binomial tail), the test's false-alarm rate.
    """
    rng = np.random.default_rng(11)
    for method in ("bernstein", "hoeffding"):
        misses = 0
        for _ in range(200):
            e = estimate_mean(rng.random(500) < 0.3, confidence=0.99, method=method)
            misses += not (e.ci_low <= 0.3 <= e.ci_high)
        assert misses <= 12


def test_verdicts():
    """Bernoulli(0.5) samples, seed 3; alpha 1e-3 per decision."""
    rng = np.random.default_rng(3)
    x = (rng.random(20_000) < 0.5).astype(float)
    assert verdict_at_least(x, 0.45).status == "confirmed"
    assert verdict_at_least(x, 0.55).status == "refuted"
    assert verdict_at_least(x[:50], 0.5).status == "inconclusive"
    v = verdict_at_least(x, 0.45, alpha=1e-4, method="hoeffding")
    assert v.lower < x.mean() < v.upper and v.alpha == 1e-4


def test_bad_input():
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        estimate_mean([0.5, 1.5])
    with pytest.raises(ValueError, match="method"):
        one_sided_limit([0.1, 0.2], 0.1, side="lower", method="wald")
    with pytest.raises(ValueError, match="alpha"):
        verdict_at_least([0.1, 0.2], 0.1, alpha=0)
