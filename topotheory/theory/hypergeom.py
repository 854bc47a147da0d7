"""Appendix C: overlap of two random ``k``-subsets of the ``N = n m`` edges.

``P(overlap = x) = C(k, x) C(N - k, k - x) / C(N, k)`` (hypergeometric with population
``N``, ``k`` marked, ``k`` drawn; scipy's ``hypergeom(M=N, n=k, N=k)``); "at least ``x``"
is the upper tail. Exact rationals via sympy; no numpy.

The paper quotes "exactly / at least a fraction ``f`` of ``k``" overlapping edges. One rule
turns a fraction into a count, for both quantities and everywhere (the claim's evidence,
``topotheory simulate appendix-c``, the report): :func:`overlap_count_threshold`,
``x = ceil(f k)``, the smallest count whose fraction ``x / k`` is at least ``f``.
"""

from __future__ import annotations

import math

import sympy as sp

__all__ = [
    "hypergeom_mean_symbolic",
    "hypergeom_pmf",
    "hypergeom_pmf_expr",
    "hypergeom_sum_symbolic",
    "hypergeom_upper_tail",
    "overlap_count_threshold",
    "overlap_ways",
    "paper_probabilities",
]

#: The rule of :func:`overlap_count_threshold`, in words (stated wherever it is used).
THRESHOLD_RULE = ("x = ceil(f * k): the smallest overlap count whose fraction x / k is at least "
                  "f, for both 'exactly' and 'at least'")


def overlap_count_threshold(fraction: object, k: int) -> int:
    """The overlap count ``x = ceil(f k)`` that "a fraction ``f`` of ``k``" means.

    The smallest count whose fraction ``x / k`` is at least ``f``; used for both "exactly"
    and "at least" (:data:`THRESHOLD_RULE`). ``fraction`` is taken exactly (a float is read
    through its shortest decimal string, so ``0.05`` is ``1/20``).

    Examples
    --------
    >>> overlap_count_threshold("0.05", 883), overlap_count_threshold(0.4, 199)
    (45, 80)
    """
    from fractions import Fraction

    f = Fraction(str(fraction))
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k={k!r} must be an integer >= 0")
    if not 0 <= f <= 1:
        raise ValueError(f"fraction={fraction!r} must lie in [0, 1]")
    return math.ceil(f * k)

N_sym, k_sym, x_sym = sp.symbols("N k x", integer=True, nonnegative=True)


def hypergeom_pmf_expr() -> sp.Expr:
    """The pmf as a sympy expression in ``N, k, x``.

    Examples
    --------
    >>> hypergeom_pmf_expr()
    binomial(k, x)*binomial(N - k, k - x)/binomial(N, k)
    """
    return sp.binomial(k_sym, x_sym) * sp.binomial(N_sym - k_sym, k_sym - x_sym) / sp.binomial(N_sym, k_sym)


def _validate(total: int, k: int) -> None:
    for name, value in (("total", total), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if total < 1 or not 0 <= k <= total:
        raise ValueError(f"need total >= 1 and 0 <= k <= total, got total={total}, k={k}")


def overlap_ways(total: int, k: int, x: int) -> int:
    """How many ``k``-subsets of ``total`` edges meet a fixed ``k``-subset in ``x`` edges.

    ``C(k, x) C(total - k, k - x)`` (0 outside the support): the numerator of the exact
    law, over ``C(total, k)``. The one home of the count; the sympy law here and the
    exact rationals of :mod:`topotheory.simulate.hypergeom` both divide it.

    Examples
    --------
    >>> overlap_ways(4, 2, 1), overlap_ways(4, 2, 3)
    (4, 0)
    """
    if not 0 <= x <= k or k - x > total - k:
        return 0
    return math.comb(k, x) * math.comb(total - k, k - x)


def hypergeom_pmf(total: int, k: int, x: int) -> sp.Rational:
    """Exact ``P(|A ∩ B| = x)`` for independent uniform ``k``-subsets of ``total`` edges.

    Examples
    --------
    >>> hypergeom_pmf(4, 2, 1)
    2/3
    """
    _validate(total, k)
    return sp.Rational(overlap_ways(total, k, x), math.comb(total, k))


def hypergeom_upper_tail(total: int, k: int, x: int) -> sp.Rational:
    """Exact ``P(|A ∩ B| >= x)``.

    Examples
    --------
    >>> hypergeom_upper_tail(4, 2, 1)
    5/6
    """
    _validate(total, k)
    count = sum(overlap_ways(total, k, j) for j in range(max(x, 0), k + 1))
    return sp.Rational(count, math.comb(total, k))


def hypergeom_sum_symbolic() -> sp.Expr:
    """``sum_x pmf`` simplified by sympy (Vandermonde); ``1`` for ``N >= 2k``.

    sympy's hypergeometric summation returns Gamma-function terms that are finite only for
    ``N >= 2k``; outside it the identity is checked by exact enumeration instead.

    Examples
    --------
    >>> hypergeom_sum_symbolic()
    1
    """
    total = sp.summation(sp.binomial(k_sym, x_sym) * sp.binomial(N_sym - k_sym, k_sym - x_sym), (x_sym, 0, k_sym))
    return sp.gammasimp(sp.combsimp(total / sp.binomial(N_sym, k_sym)))


def hypergeom_mean_symbolic() -> sp.Expr:
    """``sum_x x pmf`` simplified by sympy; ``k^2 / N`` for ``N >= 2k``.

    Examples
    --------
    >>> hypergeom_mean_symbolic()
    k**2/N
    """
    # k >= 1 and N >= 1 (positive symbols) let sympy drop its N = 0 branch.
    big_n, k = sp.symbols("N k", integer=True, positive=True)
    total = sp.summation(
        x_sym * sp.binomial(k, x_sym) * sp.binomial(big_n - k, k - x_sym), (x_sym, 0, k)
    )
    return sp.gammasimp(sp.combsimp(total / sp.binomial(big_n, k)))


def paper_probabilities(n: int, m: int, fractions: tuple[sp.Rational, ...] = (sp.Rational(1, 20), sp.Rational(2, 5))) -> dict[str, float]:
    """The Appendix C quantities for an ``n x m`` layer with ``k = n + m - 1``.

    For each overlap fraction ``f`` (default 5% and 40%), ``x = ceil(f k)`` overlapping
    edges (:func:`overlap_count_threshold`): ``P(exactly x)`` and ``P(at least x)``. Returned as floats (the exact values
    have thousands of digits); ``log10`` values are included so tiny values are readable.

    Examples
    --------
    >>> p = paper_probabilities(100, 10)
    >>> sorted(p)[:2]
    ['at_least_40%', 'at_least_40%_log10']
    """
    if min(n, m) < 1:
        raise ValueError(f"n={n} and m={m} must be >= 1")
    k = n + m - 1
    total = n * m
    out: dict[str, float] = {}
    for f in fractions:
        x = overlap_count_threshold(f, k)
        label = f"{int(f * 100)}%"
        for name, value in (
            (f"exactly_{label}", hypergeom_pmf(total, k, x)),
            (f"at_least_{label}", hypergeom_upper_tail(total, k, x)),
        ):
            out[name] = float(value)
            out[name + "_log10"] = float(sp.log(value, 10).evalf(30)) if value > 0 else float("-inf")
    out["k"] = k
    return out
