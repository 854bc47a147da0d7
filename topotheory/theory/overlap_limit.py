"""The large-layer law of the top-k / MST overlap, stated symbolically (sympy, no numpy).

Derivation (provenance "derived"; the random-graph facts it rests on are cited in
docs/simulate.md):

1. Under exchangeable weights with no ties the top-k edges of ``K_{n,m}`` are a uniformly
   random k-subset ``S`` and ``|top-k ∩ MST| = n + m - comp(S)`` (Kruskal).
2. A uniform k-subset of the ``n m`` edges is locally (around a uniform vertex) a two-type
   Poisson Galton-Watson tree: an input vertex has ``Poisson(la)`` output neighbours,
   ``la = k/n``; an output vertex ``Poisson(lb)`` input neighbours, ``lb = k/m``.
   The extinction probabilities solve :func:`fixed_point_system`.
3. Components outside the giant are trees up to ``O(1)`` exceptions, so their number is
   (vertices outside the giant) - (edges outside the giant); an edge is outside the giant
   iff both of its branches die, probability ``r_a r_b``. Hence
   ``E[comp(S)] = n r_a + m r_b - k r_a r_b + O(1)`` and :func:`overlap_law`.
4. For square layers ``la = lb = lam`` and the symmetric fixed point is
   ``r = -W(-lam e^{-lam}) / lam`` (principal Lambert W); as ``n -> oo``, ``lam -> 2`` and
   ``X -> 1 - r + r^2`` (:func:`square_limit`).
5. Density invariance: a uniformly random support ``T`` of size ``s >= k`` with iid weights
   on it makes every k-subset equally likely to be the top-k set
   (:func:`density_invariance_identity`), so the law of ``X`` does not depend on ``s``.

Examples
--------
>>> sp.N(square_limit(), 8)
0.83809744
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "density_invariance_identity",
    "fixed_point_system",
    "overlap_law",
    "square_extinction",
    "square_limit",
    "square_overlap_law",
]

n_sym, m_sym, k_sym = sp.symbols("n m k", positive=True)
la_sym, lb_sym, lam_sym = sp.symbols("lambda_a lambda_b lambda", positive=True)
ra_sym, rb_sym, r_sym = sp.symbols("r_a r_b r", positive=True)
N_sym, s_sym = sp.symbols("N s", integer=True, nonnegative=True)


def fixed_point_system() -> tuple[sp.Eq, sp.Eq]:
    """The extinction equations of the two-type Poisson branching process.

    Examples
    --------
    >>> fixed_point_system()[0]
    Eq(r_a, exp(-lambda_a*(1 - r_b)))
    """
    return (
        sp.Eq(ra_sym, sp.exp(-la_sym * (1 - rb_sym))),
        sp.Eq(rb_sym, sp.exp(-lb_sym * (1 - ra_sym))),
    )


def overlap_law() -> sp.Expr:
    """``X_law = (n + m - n r_a - m r_b + k r_a r_b) / k`` in ``n, m, k, r_a, r_b``.

    Examples
    --------
    >>> overlap_law().subs({ra_sym: 0, rb_sym: 0, k_sym: n_sym + m_sym - 1})
    (m + n)/(m + n - 1)
    """
    return (n_sym + m_sym - n_sym * ra_sym - m_sym * rb_sym + k_sym * ra_sym * rb_sym) / k_sym


def square_extinction(lam: sp.Expr = lam_sym) -> sp.Expr:
    """Symmetric root ``r = -W(-lam e^{-lam}) / lam`` of ``r = exp(-lam (1 - r))``.

    For ``lam > 1`` the principal branch gives the root in ``(0, 1)`` (the branch
    ``W_{-1}`` gives the trivial root ``r = 1``).

    Examples
    --------
    >>> sp.N(square_extinction(2), 6)
    0.203188
    """
    return -sp.LambertW(-lam * sp.exp(-lam)) / lam


def square_overlap_law(n: sp.Expr = n_sym) -> sp.Expr:
    """The law for an ``n x n`` layer: ``2 (1 - r)/lam + r^2``, ``lam = (2n - 1)/n``.

    Examples
    --------
    >>> round(float(square_overlap_law(100)), 6)
    0.840463
    """
    lam = (2 * n - 1) / n
    r = square_extinction(lam)
    k = 2 * n - 1
    return overlap_law().subs({n_sym: n, m_sym: n, k_sym: k, ra_sym: r, rb_sym: r})


def square_limit() -> sp.Expr:
    """``lim_{n -> oo} X_law(n, n) = 1 - r + r^2``, ``r = -W(-2 e^{-2}) / 2``.

    Examples
    --------
    >>> sp.N(square_limit(), 10)
    0.8380974405
    """
    r = square_extinction(sp.Integer(2))
    return sp.expand(1 - r + r**2)


def density_invariance_identity() -> tuple[sp.Expr, sp.Expr]:
    """``P(top-k = S)`` for a uniform support of size ``s`` and the uniform value.

    A fixed k-subset ``S`` of the ``N`` edges is the top-k set iff ``S ⊆ T`` (there are
    ``C(N - k, s - k)`` such supports ``T`` among ``C(N, s)``) and iid weights on ``T``
    rank ``S`` first (probability ``1 / C(s, k)``). Returns both sides; their ratio
    simplifies to 1 for all ``N >= s >= k`` (tested with :func:`sympy.combsimp`).

    Examples
    --------
    >>> lhs, rhs = density_invariance_identity()
    >>> sp.simplify(sp.combsimp(lhs / rhs))
    1
    """
    k = sp.Symbol("k", integer=True, nonnegative=True)
    lhs = sp.binomial(N_sym - k, s_sym - k) / (sp.binomial(N_sym, s_sym) * sp.binomial(s_sym, k))
    rhs = 1 / sp.binomial(N_sym, k)
    return lhs, rhs
