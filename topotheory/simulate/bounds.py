"""Theorem 3.3 and Corollary 3.4 of the paper as exact rational functions.

These are plain-python :class:`fractions.Fraction` encodings, independent of the
symbolic (sympy) statements in :mod:`topotheory.theory`, so the two can be
cross-checked. The reconstructed bound (CLAIMS.md, formula 3) is

.. math:: E[X] \\ge \\frac{1}{k} \\sum_{i=1}^{\\min(n,m)} \\frac{(n-i+1)(m-i+1)}{D_i},

with ``k = n + m - 1`` and two named variants of the denominator:

``"nm"``
    ``D_i = n m`` (the paper's reading).
``"nm_minus_i_plus_1"``
    ``D_i = n m - i + 1`` (edges left after ``i - 1`` draws without replacement).

Corollary 3.4 (formula 4) replaces ``n m`` by ``rho n m`` in both variants.
If ``min(n, m) == 1`` every edge is in the spanning tree and the paper sets
``X = 1``; :func:`overlap_lower_bound` follows the paper and returns 1 there
(``star_rule=True``, the default, as :mod:`topotheory.theory.overlap` does). The named
option ``star_rule=False`` returns the formula's plain sum instead (then ``1/k``-ish and
``<= 1``, so the claim is trivially true either way).
"""

from __future__ import annotations

from fractions import Fraction

from topotheory.simulate._validation import check_shape

#: Names of the denominator variants of Theorem 3.3 (the registry's spelling; Corollary
#: 3.4 is the same variant with ``rho`` < 1).
BOUND_VARIANTS: tuple[str, ...] = ("nm", "nm_minus_i_plus_1")


def _as_fraction(value: object, name: str) -> Fraction:
    try:
        frac = Fraction(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a number (int, Fraction, float or str), got {value!r}") from error
    return frac


def overlap_bound_terms(
    n: int, m: int, *, variant: str = "nm", rho: object = 1
) -> list[Fraction]:
    """The summands ``(n-i+1)(m-i+1)/D_i`` for ``i = 1..min(n, m)``.

    Parameters
    ----------
    n, m : int
        Input and output node counts of the complete bipartite layer.
    variant : {"nm", "nm_minus_i_plus_1"}
        Denominator reading (see the module docstring).
    rho : number, default 1
        Density of non-zero weights (Corollary 3.4); ``n*m`` becomes ``rho*n*m``.

    Returns
    -------
    list of Fraction
        The per-step lower bounds on the probability that the i-th largest weight
        joins two isolated vertices (not capped at 1: they are the formula's terms).

    Examples
    --------
    >>> overlap_bound_terms(2, 2)
    [Fraction(1, 1), Fraction(1, 4)]
    >>> overlap_bound_terms(2, 2, variant="nm_minus_i_plus_1")
    [Fraction(1, 1), Fraction(1, 3)]
    """
    n, m, _ = check_shape(n, m)
    if variant not in BOUND_VARIANTS:
        raise ValueError(f"variant={variant!r} is unknown; choose one of {BOUND_VARIANTS}")
    rho = _as_fraction(rho, "rho")
    if not 0 < rho <= 1:
        raise ValueError(f"rho={rho} must lie in (0, 1]; it is the fraction of non-zero weights")
    edges = rho * n * m
    terms = []
    for i in range(1, min(n, m) + 1):
        denominator = edges if variant == "nm" else edges - i + 1
        if denominator <= 0:
            raise ValueError(
                f"variant {variant!r} with rho={rho} gives a non-positive denominator at i={i}; "
                "increase rho"
            )
        terms.append(Fraction((n - i + 1) * (m - i + 1)) / denominator)
    return terms


def overlap_lower_bound(
    n: int,
    m: int,
    k: int | None = None,
    *,
    variant: str = "nm",
    rho: object = 1,
    star_rule: bool = True,
) -> Fraction:
    """Theorem 3.3 (``rho=1``) or Corollary 3.4 lower bound on ``E[X]``, exactly.

    Parameters
    ----------
    n, m : int
        Input and output node counts (``n*m`` edges).
    k : int, optional
        Top-k size; defaults to the spanning-tree size ``n + m - 1`` (the paper's).
    variant : {"nm", "nm_minus_i_plus_1"}
        Denominator reading.
    rho : number, default 1
        Density of non-zero weights (Corollary 3.4).
    star_rule : bool, default True
        If True (the paper's statement), return 1 when ``min(n, m) == 1``: every edge
        is then in the spanning tree, so ``X = 1``. If False, return the formula's
        plain sum even there (a named variant, ``<= 1``).

    Returns
    -------
    Fraction
        ``(1/k) * sum(overlap_bound_terms(n, m, variant=variant, rho=rho))``, or 1 when
        ``min(n, m) == 1`` and ``star_rule`` is True.

    Examples
    --------
    >>> overlap_lower_bound(2, 2)
    Fraction(5, 12)
    >>> float(overlap_lower_bound(100, 100))  # doctest: +ELLIPSIS
    0.1700...
    >>> overlap_lower_bound(1, 7), overlap_lower_bound(1, 7, star_rule=False)
    (Fraction(1, 1), Fraction(1, 7))
    """
    n, m, k = check_shape(n, m, k)
    terms = overlap_bound_terms(n, m, variant=variant, rho=rho)  # validates variant, rho
    if star_rule and min(n, m) == 1:
        return Fraction(1)
    return sum(terms, Fraction(0)) / k
