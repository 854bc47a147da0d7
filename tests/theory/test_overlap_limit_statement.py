"""The symbolic law (topotheory.theory.overlap_limit) against the numeric solver."""

from __future__ import annotations

import importlib
import math
from fractions import Fraction
from math import comb

import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

from topotheory.theory import overlap_limit as law

# the module (the package attribute of that name is the function overlap_limit)
numeric = importlib.import_module("topotheory.simulate.overlap_limit")


def test_square_limit_value_matches_issue_and_lambert_identity() -> None:
    r = sp.N(law.square_extinction(2), 30)
    # r is the extinction probability (about 0.2032), not the overlap (about 0.8381)
    assert abs(r - sp.Float("0.203187869979979", 30)) < 1e-14
    assert abs(r - sp.exp(-2 * (1 - r))) < 1e-25  # it solves the fixed point
    assert abs(sp.N(law.square_limit(), 30) - (1 - r + r**2)) < 1e-25
    assert abs(float(sp.N(law.square_limit())) - 0.8380974405270) < 1e-12


def test_principal_branch_is_the_nontrivial_root() -> None:
    # W_{-1} gives the trivial root r = 1: the statement must use the principal branch
    trivial = -sp.LambertW(-2 * sp.exp(-2), -1) / 2
    assert abs(sp.N(trivial) - 1) < 1e-12
    assert sp.N(law.square_extinction(2)) < 0.5


@given(n=st.integers(2, 3000))
@example(n=2)
@example(n=100)
def test_square_closed_form_equals_numeric_solver(n: int) -> None:
    symbolic = float(sp.N(law.square_overlap_law(sp.Integer(n)), 20))
    assert symbolic == pytest.approx(numeric.overlap_limit(n, n), abs=1e-12)
    r_a, r_b = numeric.extinction_probabilities(n, n)
    lam = (2 * n - 1) / n
    assert float(sp.N(law.square_extinction(sp.Rational(2 * n - 1, n)))) == pytest.approx(
        float(r_a), abs=1e-12
    )
    assert float(r_a) == pytest.approx(float(r_b), abs=1e-14) and lam > 1


_LAW = sp.lambdify((law.n_sym, law.m_sym, law.k_sym, law.ra_sym, law.rb_sym),
                   law.overlap_law(), modules="math")
_RESIDUALS = sp.lambdify((law.la_sym, law.lb_sym, law.ra_sym, law.rb_sym),
                         [eq.lhs - eq.rhs for eq in law.fixed_point_system()], modules="math")


@given(n=st.integers(1, 500), m=st.integers(1, 500))
def test_overlap_law_expression_equals_numeric(n: int, m: int) -> None:
    r_a, r_b = numeric.extinction_probabilities(n, m)
    k = n + m - 1
    value = _LAW(n, m, k, float(r_a), float(r_b))
    assert value == pytest.approx(numeric.overlap_limit(n, m), abs=1e-12)
    res_a, res_b = _RESIDUALS(k / n, k / m, float(r_a), float(r_b))
    assert abs(res_a) < 1e-12 and abs(res_b) < 1e-12


def test_density_invariance_identity_symbolic() -> None:
    lhs, rhs = law.density_invariance_identity()
    assert sp.simplify(sp.combsimp(lhs / rhs)) == 1


@given(total=st.integers(1, 40), data=st.data())
def test_density_invariance_identity_numeric(total: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, total))
    s = data.draw(st.integers(k, total))
    lhs, rhs = law.density_invariance_identity()
    ksym = next(sym for sym in lhs.free_symbols if sym.name == "k")
    subs = {law.N_sym: total, law.s_sym: s, ksym: k}
    assert sp.Rational(lhs.subs(subs)) == sp.Rational(rhs.subs(subs))
    # and against plain integer arithmetic
    assert Fraction(comb(total - k, s - k), comb(total, s) * comb(s, k)) == Fraction(
        1, comb(total, k)
    )


def test_false_twin_plus_one_giant_is_not_the_law() -> None:
    # the "+1 for the giant" reading is worse than the plug-in law at every square size
    from topotheory.simulate.counting import exact_expected_overlap

    for n in (5, 10, 15):
        exact = float(exact_expected_overlap(n, n))
        plain = numeric.overlap_limit(n, n)
        plus_one = plain - 1 / (2 * n - 1)
        assert abs(exact - plain) < abs(exact - plus_one) / 5
    assert math.isfinite(plain)
