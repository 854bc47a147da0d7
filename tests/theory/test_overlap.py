"""Theorem 3.3 / Corollary 3.4: closed forms against direct sums, exactly."""

from fractions import Fraction

import pytest
import sympy as sp

from topotheory.theory import overlap

SIZES = [(n, m) for n in range(1, 16) for m in range(1, 16)] + [
    (784, 100), (100, 100), (100, 10), (25088, 10), (3, 500)
]


def _plain_sum(n: int, m: int, variant: str) -> Fraction:
    """Independent evaluation with fractions (no sympy)."""
    if min(n, m) == 1:
        return Fraction(1)
    total = Fraction(0)
    for i in range(1, min(n, m) + 1):
        denominator = n * m if variant == "nm" else n * m - i + 1
        total += Fraction((n - i + 1) * (m - i + 1), denominator)
    return total / (n + m - 1)


@pytest.mark.parametrize("variant", overlap.BOUND_VARIANTS)
def test_closed_form_equals_direct_sum(variant):
    for n, m in SIZES:
        closed = overlap.overlap_lower_bound(n, m, variant)
        direct = overlap.overlap_lower_bound_direct(n, m, variant)
        plain = _plain_sum(n, m, variant)
        assert closed == direct == sp.Rational(plain.numerator, plain.denominator), (n, m)


@pytest.mark.parametrize("variant", overlap.SPARSE_BOUND_VARIANTS)
def test_sparse_closed_form_equals_direct_sum(variant):
    closed = overlap.bound_closed_form(variant, sparse=True)
    for n, m, rho in [(3, 4, sp.Rational(1, 2)), (5, 5, sp.Rational(9, 25)), (6, 2, 1)]:
        s = min(n, m)
        value = sp.expand_func(
            closed.subs({overlap.n_sym: n, overlap.m_sym: m, overlap.s_sym: s, overlap.rho_sym: rho})
        )
        direct = overlap.sparse_overlap_lower_bound(n, m, rho, variant) * (n + m - 1)
        assert sp.simplify(value - direct) == 0


def test_min_side_one_gives_one():
    for m in range(1, 30):
        assert overlap.overlap_lower_bound(1, m) == 1
        assert overlap.overlap_lower_bound(m, 1, "nm_minus_i_plus_1") == 1


def test_induction_residuals_vanish_and_detect_a_wrong_closed_form():
    assert overlap.closed_form_induction_residuals("nm") == (0, 0)
    wrong = overlap.bound_closed_form("nm") + overlap.s_sym / (overlap.n_sym * overlap.m_sym)
    step = sp.simplify(
        wrong - wrong.subs(overlap.s_sym, overlap.s_sym - 1)
        - overlap.bound_term("nm").subs(overlap.i_sym, overlap.s_sym)
    )
    assert step != 0


def test_variant_ordering_and_sparse_reduces_to_dense():
    for n, m in [(2, 3), (10, 10), (50, 7)]:
        assert overlap.overlap_lower_bound(n, m, "nm_minus_i_plus_1") >= overlap.overlap_lower_bound(n, m)
        assert overlap.sparse_overlap_lower_bound(n, m, 1) == overlap.overlap_lower_bound(n, m)


def test_sparse_bound_exceeds_one_at_minimal_density():
    # rho n m = n + m - 1: the graph is a spanning tree, so X = 1, but the bound is larger.
    assert overlap.sparse_overlap_lower_bound(10, 10, sp.Rational(19, 100)) > 1
    assert overlap.sparse_overlap_lower_bound(9, 9, sp.Rational(17, 81)) < 1


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: overlap.overlap_lower_bound(0, 3), ValueError),
        (lambda: overlap.overlap_lower_bound(2.0, 3), TypeError),
        (lambda: overlap.overlap_lower_bound(2, 3, "nm+1"), ValueError),
        (lambda: overlap.sparse_overlap_lower_bound(2, 3, 0), ValueError),
    ],
)
def test_bad_input(call, error):
    with pytest.raises(error):
        call()
