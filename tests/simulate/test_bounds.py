"""Theorem 3.3 / Corollary 3.4 bound formulas as exact fractions."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topotheory.simulate.bounds import BOUND_VARIANTS, overlap_bound_terms, overlap_lower_bound


def test_hand_computed_values():
    # n = m = 2, k = 3: terms 4/4 and 1/4 (variant nm), 4/4 and 1/3 (nm_minus_i_plus_1)
    assert overlap_lower_bound(2, 2) == Fraction(5, 12)
    assert overlap_lower_bound(2, 2, variant="nm_minus_i_plus_1") == Fraction(4, 9)
    # n = 2, m = 3, k = 4: (2*3 + 1*2) / 6 / 4
    assert overlap_lower_bound(2, 3) == Fraction(8, 24)
    assert overlap_lower_bound(2, 3, variant="nm_minus_i_plus_1") == Fraction(6 * 5 + 2 * 6, 6 * 5 * 4)


@given(st.integers(1, 40), st.integers(1, 40))
def test_variant_order_and_symmetry(n, m):
    a = overlap_lower_bound(n, m, variant="nm")
    b = overlap_lower_bound(n, m, variant="nm_minus_i_plus_1")
    assert 0 < a <= b  # smaller denominators make the second variant larger
    assert a == overlap_lower_bound(m, n) and b == overlap_lower_bound(m, n, variant="nm_minus_i_plus_1")


@given(st.integers(1, 30), st.integers(1, 30), st.sampled_from(["1/2", "1/5", "9/10"]))
def test_sparse_bound_scales_by_one_over_rho(n, m, rho):
    plain = overlap_lower_bound(n, m, rho=rho, star_rule=False)
    assert plain == overlap_lower_bound(n, m, star_rule=False) / Fraction(rho)
    if min(n, m) == 1:  # the paper's X = 1 case overrides the formula at any density
        assert overlap_lower_bound(n, m, rho=rho) == 1
    else:
        assert overlap_lower_bound(n, m, rho=rho) == plain


def test_star_rule_and_min_side_one():
    # the paper: X = 1 when min(n, m) = 1 (default, as topotheory.theory does)
    assert overlap_lower_bound(1, 7) == 1
    assert overlap_lower_bound(7, 1, variant="nm_minus_i_plus_1") == 1
    # the named plain-formula option gives (1/k) * m/m = 1/7 for n = 1
    assert overlap_lower_bound(1, 7, star_rule=False) == Fraction(1, 7)
    assert overlap_lower_bound(2, 7, star_rule=False) == overlap_lower_bound(2, 7)
    with pytest.raises(ValueError, match="variant"):  # validated on the star path too
        overlap_lower_bound(1, 7, variant="other")
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
    assert BOUND_VARIANTS == ("nm", "nm_minus_i_plus_1")


@given(st.integers(1, 25), st.integers(1, 25), st.sampled_from([1, "1/2", "3/7"]))
def test_fraction_bounds_equal_the_symbolic_theory(n, m, rho):
    """Cross-check: this module's Fractions vs topotheory.theory's sympy Rationals.

    Both apply the paper's star rule (bound 1 when min(n, m) = 1) by default.
    """
    import sympy as sp

    from topotheory.theory import overlap as theory

    for ours, theirs in (("nm", "nm"), ("nm_minus_i_plus_1", "nm_minus_i_plus_1")):
        assert overlap_lower_bound(n, m, variant=ours) == Fraction(
            str(theory.overlap_lower_bound(n, m, theirs))
        )
    r = sp.Rational(str(rho))
    for ours, theirs in (("nm", "rho_nm"), ("nm_minus_i_plus_1", "rho_nm_minus_i_plus_1")):
        if r * n * m - min(n, m) + 1 > 0:
            assert overlap_lower_bound(n, m, variant=ours, rho=rho) == Fraction(
                str(theory.sparse_overlap_lower_bound(n, m, r, theirs))
            )


def test_one_spelling_per_variant():
    """The registry's variant names are the only ones accepted (no alias tables)."""
    from topotheory.theory.registry import get_claim

    assert BOUND_VARIANTS == tuple(v.name for v in get_claim("overlap-bound").variants)
    with pytest.raises(ValueError, match="variant='nm-i\\+1' is unknown"):
        overlap_lower_bound(2, 2, variant="nm-i+1")
