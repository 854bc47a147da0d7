"""Theorem 3.2 formulas, conv output-size arithmetic and the domain rule."""

import itertools

import pytest
import sympy as sp

from topotheory.theory import domain, tccr


def test_dense_and_recurrent_match_appendix_e_rows():
    # Appendix E, MNIST FCN (App. D shapes), printed to 5 decimals.
    for (n, m), printed in [((784, 100), 88.78822), ((100, 100), 50.25126), ((100, 10), 9.17431),
                            ((25088, 10), 9.99641)]:
        assert abs(float(tccr.tccr_dense(n, m)) - printed) < 5e-6
    assert tccr.tccr_recurrent(100) == tccr.tccr_dense(100, 100)


def test_conv_matches_appendix_rows():
    # App. E conv layers (28x28, 3x3, padding 1) and App. F (32x32 inputs).
    assert abs(float(tccr.tccr_conv((28, 28), (3, 3), padding=1)) - 4.19251) < 5e-6
    assert abs(float(tccr.tccr_conv((32, 32), (3, 3), padding=1)) - 4.22946) < 5e-6


def _windows(size, kernel, stride, padding, dilation):
    """Brute force: count window start positions that fit in the padded input."""
    padded = size + 2 * padding
    return sum(1 for start in range(0, padded, stride) if start + dilation * (kernel - 1) < padded)


def test_output_size_against_brute_force():
    for i, k, s, p, d in itertools.product(range(1, 9), range(1, 4), range(1, 4), range(0, 3), range(1, 3)):
        if i + 2 * p < d * (k - 1) + 1:
            with pytest.raises(ValueError, match="impossible conv geometry"):
                tccr.conv_output_size(i, k, stride=s, padding=p, dilation=d)
            continue
        assert tccr.conv_output_size(i, k, stride=s, padding=p, dilation=d) == _windows(i, k, s, p, d)


def test_conv_geometry_counts_and_symbolic_form():
    g = tccr.conv_geometry((5, 6), (2, 3), stride=(1, 2), padding=(0, 1), dilation=1)
    assert (g["n_in"], g["n_out"], g["n_edges"]) == (5 * 8, 4 * 3, 6 * 12)
    i, k = sp.symbols("i k", integer=True, positive=True)
    out = tccr.conv_output_size(i, k)
    assert sp.simplify(out - (i - k + 1)) == 0


def test_unrolled_recurrent_differs_from_per_step_beyond_one_step():
    assert tccr.tccr_recurrent_unrolled(4, 1) == tccr.tccr_recurrent(4)
    assert tccr.tccr_recurrent_unrolled(4, 3) == sp.Rational(48, 15)


def test_domain_rule_equals_union_find():
    checked = 0
    for size, k, s, p, d in itertools.product(range(1, 12), range(1, 5), range(1, 5), range(0, 2), range(1, 4)):
        if size + 2 * p < d * (k - 1) + 1:
            continue
        exact = domain.axis_components(size, k, stride=s, padding=p, dilation=d) == 1
        assert exact == domain.conv_axis_connected_rule(size, k, stride=s, padding=p, dilation=d)
        checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: tccr.tccr_dense(0, 3), ValueError),
        (lambda: tccr.tccr_dense(True, 3), TypeError),
        (lambda: tccr.conv_geometry((5,), (3, 3)), ValueError),
        (lambda: tccr.conv_geometry((5, 5), (3, 3), stride=(1, 1, 1)), ValueError),
        (lambda: tccr.tccr_dense("3", 3), TypeError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()
