"""Theorem 3.3 and Corollary 3.4: lower bounds on the expected top-k / MST overlap.

Reconstruction (CLAIMS.md, medium confidence in structure, low in typography): for a
complete bipartite ``n x m`` layer with exchangeable weights, ``k = n + m - 1`` and
``X = |top-k ∩ MST| / k``,

``E[X] >= (1/k) sum_{i=1}^{min(n,m)} (n - i + 1)(m - i + 1) / D_i``

with ``D_i = n m`` (variant ``"nm"``, the primary reading) or ``D_i = n m - i + 1``
(variant ``"nm_minus_i_plus_1"``). When ``min(n, m) = 1`` every edge is in the MST and
``X = 1``. Corollary 3.4 replaces ``n m`` by ``rho n m`` (variants ``"rho_nm"`` and
``"rho_nm_minus_i_plus_1"``).

The sums are evaluated two ways: the direct sum and a closed form found by
:func:`sympy.summation` (polynomial part) plus harmonic numbers (the ``nm - i + 1``
part), with the closed form proved equal to the sum by induction on the upper limit
(see :func:`closed_form_induction_residuals`). No numpy.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import sympy as sp

__all__ = [
    "BOUND_VARIANTS",
    "SPARSE_BOUND_VARIANTS",
    "bound_closed_form",
    "bound_term",
    "closed_form_induction_residuals",
    "overlap_lower_bound",
    "overlap_lower_bound_direct",
    "sparse_overlap_lower_bound",
]

#: Named readings of the Theorem 3.3 denominator.
BOUND_VARIANTS: tuple[str, ...] = ("nm", "nm_minus_i_plus_1")
#: Named readings of the Corollary 3.4 denominator.
SPARSE_BOUND_VARIANTS: tuple[str, ...] = ("rho_nm", "rho_nm_minus_i_plus_1")

n_sym, m_sym, i_sym, s_sym = sp.symbols("n m i s", integer=True, positive=True)
rho_sym = sp.Symbol("rho", positive=True)


def _variant_check(variant: str, allowed: tuple[str, ...]) -> None:
    if variant not in allowed:
        raise ValueError(f"variant={variant!r} is not one of {allowed}")


def bound_term(variant: str = "nm", *, sparse: bool = False) -> sp.Expr:
    """The ``i``-th summand, as an expression in ``n, m, i`` (and ``rho`` if sparse).

    Examples
    --------
    >>> bound_term("nm")
    (-i + m + 1)*(-i + n + 1)/(m*n)
    """
    allowed = SPARSE_BOUND_VARIANTS if sparse else BOUND_VARIANTS
    _variant_check(variant, allowed)
    total = n_sym * m_sym * (rho_sym if sparse else 1)
    denominator = total if variant in ("nm", "rho_nm") else total - i_sym + 1
    return (n_sym - i_sym + 1) * (m_sym - i_sym + 1) / denominator


@cache
def _closed_parts(variant: str, sparse: bool) -> tuple[sp.Expr, sp.Expr]:
    term = bound_term(variant, sparse=sparse)
    if variant in ("nm", "rho_nm"):
        return sp.simplify(sp.summation(term, (i_sym, 1, s_sym))), sp.Integer(0)
    total = n_sym * m_sym * (rho_sym if sparse else 1)
    numerator, denominator = sp.fraction(sp.together(term))
    quotient, remainder = sp.div(numerator.expand(), denominator.expand(), i_sym)
    # term = quotient + remainder / denominator, and denominator = (total + 1 - i)
    # up to sign; normalise so the harmonic coefficient multiplies 1 / (total + 1 - i).
    coefficient = sp.simplify(remainder * (total + 1 - i_sym) / denominator)
    poly_sum = sp.summation(quotient, (i_sym, 1, s_sym))
    return poly_sum, coefficient


def bound_closed_form(variant: str = "nm", *, sparse: bool = False) -> sp.Expr:
    """Closed form of ``sum_{i=1}^{s} term_i`` in ``n, m, s`` (and ``rho``).

    The polynomial part comes from :func:`sympy.summation`; a remainder
    ``c / (D - i + 1)`` sums to ``c (H(D) - H(D - s))`` with harmonic numbers ``H``.

    Examples
    --------
    >>> sp.factor(bound_closed_form("nm"))
    s*(6*m*n - 3*m*s + 3*m - 3*n*s + 3*n + 2*s**2 - 3*s + 1)/(6*m*n)
    """
    allowed = SPARSE_BOUND_VARIANTS if sparse else BOUND_VARIANTS
    _variant_check(variant, allowed)
    poly_sum, coefficient = _closed_parts(variant, sparse)
    if coefficient == 0:
        return poly_sum
    total = n_sym * m_sym * (rho_sym if sparse else 1)
    return poly_sum + coefficient * (sp.harmonic(total) - sp.harmonic(total - s_sym))


def closed_form_induction_residuals(variant: str = "nm", *, sparse: bool = False) -> tuple[sp.Expr, sp.Expr]:
    """Residuals of the induction proof that the closed form equals the sum.

    Returns ``(F(0), F(s) - F(s - 1) - term(s))`` after simplification; both are 0 exactly
    when the closed form ``F`` equals the direct sum for every ``s >= 0``.

    Examples
    --------
    >>> closed_form_induction_residuals("nm")
    (0, 0)
    """
    closed = bound_closed_form(variant, sparse=sparse)
    base = sp.simplify(sp.expand_func(closed.subs(s_sym, 0)))
    step = closed - closed.subs(s_sym, s_sym - 1) - bound_term(variant, sparse=sparse).subs(i_sym, s_sym)
    step = sp.simplify(sp.expand_func(step))
    return base, step


def _ints(n: int, m: int) -> None:
    for name, value in (("n", n), ("m", m)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if value < 1:
            raise ValueError(f"{name}={value} must be >= 1")


def overlap_lower_bound_direct(n: int, m: int, variant: str = "nm") -> sp.Rational:
    """Theorem 3.3 bound by the direct sum (exact rational).

    Examples
    --------
    >>> overlap_lower_bound_direct(2, 2)
    5/12
    >>> overlap_lower_bound_direct(1, 7)  # min(n, m) = 1: X = 1
    1
    """
    _ints(n, m)
    _variant_check(variant, BOUND_VARIANTS)
    if min(n, m) == 1:
        return sp.Integer(1)
    k = n + m - 1
    total = sp.Integer(0)
    for i in range(1, min(n, m) + 1):
        denominator = n * m if variant == "nm" else n * m - i + 1
        total += sp.Rational((n - i + 1) * (m - i + 1), denominator)
    return total / k


def overlap_lower_bound(n: int, m: int, variant: str = "nm") -> sp.Rational:
    """Theorem 3.3 bound by the closed form (exact rational).

    Examples
    --------
    >>> overlap_lower_bound(100, 100)
    6767/39800
    """
    _ints(n, m)
    _variant_check(variant, BOUND_VARIANTS)
    if min(n, m) == 1:
        return sp.Integer(1)
    poly_sum, coefficient = _closed_parts(variant, False)
    s = min(n, m)
    point = {n_sym: n, m_sym: m, s_sym: s}
    value = sp.Rational(poly_sum.subs(point))
    if coefficient != 0:
        # H(nm) - H(nm - s), evaluated exactly as the s reciprocals it stands for.
        harmonic_gap = sum(Fraction(1, j) for j in range(n * m - s + 1, n * m + 1))
        value += sp.Rational(coefficient.subs(point)) * sp.Rational(
            harmonic_gap.numerator, harmonic_gap.denominator
        )
    return value / (n + m - 1)


def sparse_overlap_lower_bound(n: int, m: int, rho: sp.Rational | int, variant: str = "rho_nm") -> sp.Rational:
    """Corollary 3.4 bound: ``n m`` replaced by ``rho n m`` (exact, direct sum).

    Parameters
    ----------
    rho : sympy.Rational or int
        Fraction of non-zero weights, ``0 < rho <= 1``.

    Examples
    --------
    >>> sparse_overlap_lower_bound(2, 2, 1)
    5/12
    >>> sparse_overlap_lower_bound(10, 10, sp.Rational(19, 100)) > 1  # a spanning tree: X = 1
    True
    """
    _ints(n, m)
    _variant_check(variant, SPARSE_BOUND_VARIANTS)
    rho_ = sp.Rational(rho)
    if not 0 < rho_ <= 1:
        raise ValueError(f"rho={rho} must lie in (0, 1]")
    if min(n, m) == 1:
        return sp.Integer(1)
    total = sp.Integer(0)
    for i in range(1, min(n, m) + 1):
        denominator = rho_ * n * m if variant == "rho_nm" else rho_ * n * m - i + 1
        total += sp.Rational((n - i + 1) * (m - i + 1)) / denominator
    return total / (n + m - 1)
