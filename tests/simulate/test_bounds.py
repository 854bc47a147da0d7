"""Theorem 3.3 / Corollary 3.4 bound formulas as exact fractions."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topotheory.simulate.bounds import BOUND_VARIANTS, overlap_bound_terms, overlap_lower_bound


def test_hand_computed_values():
    # n = m = 2, k = 3: terms 4/4 and 1/4 (variant nm), 4/4 and 1/3 (nm-i+1)
    assert overlap_lower_bound(2, 2) == Fraction(5, 12)
    assert overlap_lower_bound(2, 2, variant="nm-i+1") == Fraction(4, 9)
    # n = 2, m = 3, k = 4: (2*3 + 1*2) / 6 / 4
    assert overlap_lower_bound(2, 3) == Fraction(8, 24)
    assert overlap_lower_bound(2, 3, variant="nm-i+1") == Fraction(6 * 5 + 2 * 6, 6 * 5 * 4)


@given(st.integers(1, 40), st.integers(1, 40))
def test_variant_order_and_symmetry(n, m):
    a = overlap_lower_bound(n, m, variant="nm")
    b = overlap_lower_bound(n, m, variant="nm-i+1")
    assert 0 < a <= b  # smaller denominators make the second variant larger
    assert a == overlap_lower_bound(m, n) and b == overlap_lower_bound(m, n, variant="nm-i+1")


@given(st.integers(1, 30), st.integers(1, 30), st.sampled_from(["1/2", "1/5", "9/10"]))
def test_sparse_bound_scales_by_one_over_rho(n, m, rho):
    assert overlap_lower_bound(n, m, rho=rho) == overlap_lower_bound(n, m) / Fraction(rho)


def test_star_rule_and_min_side_one():
    assert overlap_lower_bound(1, 7, star_rule=True) == 1
    # without the star rule the formula gives (1/k) * m/m = 1/7 for n = 1
    assert overlap_lower_bound(1, 7) == Fraction(1, 7)
    assert len(overlap_bound_terms(3, 8)) == 3


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="variant"):
        overlap_lower_bound(3, 3, variant="other")
    with pytest.raises(ValueError, match="rho"):
        overlap_lower_bound(3, 3, rho=0)
    with pytest.raises(ValueError, match="k="):
        overlap_lower_bound(2, 2, k=5)
    with pytest.raises(TypeError, match="n must be an integer"):
        overlap_lower_bound(2.5, 2)
    assert BOUND_VARIANTS == ("nm", "nm-i+1")


@given(st.integers(1, 25), st.integers(1, 25), st.sampled_from([1, "1/2", "3/7"]))
def test_fraction_bounds_equal_the_symbolic_theory(n, m, rho):
    """Cross-check: this module's Fractions vs topotheory.theory's sympy Rationals.

    The theory module applies the proof's star rule (bound 1 when min(n, m) = 1); here
    that is ``star_rule=True``.
    """
    import sympy as sp

    from topotheory.theory import overlap as theory

    for ours, theirs in (("nm", "nm"), ("nm-i+1", "nm_minus_i_plus_1")):
        assert overlap_lower_bound(n, m, variant=ours, star_rule=True) == Fraction(
            str(theory.overlap_lower_bound(n, m, theirs))
        )
        assert overlap_lower_bound(n, m, variant=theirs) == overlap_lower_bound(n, m, variant=ours)
    r = sp.Rational(str(rho))
    for ours, theirs in (("nm", "rho_nm"), ("nm-i+1", "rho_nm_minus_i_plus_1")):
        if r * n * m - min(n, m) + 1 > 0:
            assert overlap_lower_bound(n, m, variant=ours, rho=rho, star_rule=True) == Fraction(
                str(theory.sparse_overlap_lower_bound(n, m, r, theirs))
            )
