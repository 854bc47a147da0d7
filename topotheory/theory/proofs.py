"""Symbolic proofs done by sympy (no hand-asserted booleans).

Each proof returns a :class:`SymbolicResult`: ``status`` is ``"proved"`` only when sympy
itself reduced the statement (a simplified difference is exactly 0, a limit evaluates
to the claimed value, or sympy's assumption system decides that an expression in
non-negative integer parameters is non-negative). Otherwise ``"unproved"``, with the
intermediate expressions kept as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from topotheory.theory import hypergeom, overlap, tccr

__all__ = ["PROOFS", "SymbolicResult", "run_proof"]

_a, _b = sp.symbols("a b", integer=True, nonnegative=True)
_n, _m, _h, _T = sp.symbols("n m h T", integer=True, positive=True)


@dataclass(frozen=True)
class SymbolicResult:
    """Outcome of one symbolic proof.

    Attributes
    ----------
    name : str
        Key in :data:`PROOFS`.
    statement : str
        What is proved, with its domain.
    status : str
        ``"proved"`` or ``"unproved"``.
    steps : tuple of (str, str)
        Labelled intermediate sympy results (printed with ``str``).
    """

    name: str
    statement: str
    status: str
    steps: tuple[tuple[str, str], ...]


def _result(name: str, statement: str, ok: bool, steps: list[tuple[str, object]]) -> SymbolicResult:
    return SymbolicResult(
        name, statement, "proved" if ok else "unproved", tuple((k, str(v)) for k, v in steps)
    )


def dense_le_min() -> SymbolicResult:
    """``n m / (n + m - 1) <= min(n, m)`` for integers ``n, m >= 1``."""
    kappa = tccr.tccr_dense(_n, _m)
    symmetric = sp.simplify(kappa - tccr.tccr_dense(_m, _n))
    # WLOG n <= m: n = 1 + a, m = n + b with a, b >= 0; then min(n, m) = n.
    gap = sp.factor(sp.together((_n - kappa).subs(_m, _n + _b).subs(_n, 1 + _a)))
    return _result(
        "dense_le_min",
        "kappa_dense(n, m) <= min(n, m) for all integers n, m >= 1",
        symmetric == 0 and gap.is_nonnegative is True,
        [("kappa(n,m) - kappa(m,n)", symmetric), ("min - kappa with n=1+a, m=n+b", gap),
         ("sympy: gap >= 0", gap.is_nonnegative)],
    )


def dense_limit() -> SymbolicResult:
    """``lim_{m -> oo} n m / (n + m - 1) = n``: the fixed side is the limit."""
    lim = sp.limit(tccr.tccr_dense(_n, _m), _m, sp.oo)
    return _result(
        "dense_limit",
        "kappa_dense(n, m) -> n as m -> infinity (n fixed); symmetric in n, m",
        sp.simplify(lim - _n) == 0,
        [("limit", lim)],
    )


def dense_ge_one() -> SymbolicResult:
    """``kappa_dense >= 1``, with equality iff ``min(n, m) = 1``."""
    gap = sp.factor(sp.together(tccr.tccr_dense(1 + _a, 1 + _b) - 1))
    return _result(
        "dense_ge_one",
        "kappa_dense(n, m) >= 1 for n, m >= 1 (equality iff min(n, m) = 1)",
        gap.is_nonnegative is True and sp.simplify(gap.subs(_a, 0)) == 0,
        [("kappa - 1 with n=1+a, m=1+b", gap), ("sympy: gap >= 0", gap.is_nonnegative)],
    )


def recurrent_is_dense() -> SymbolicResult:
    """``h^2 / (2h - 1)`` is the dense formula with ``n = m = h``."""
    diff = sp.simplify(tccr.tccr_recurrent(_h) - tccr.tccr_dense(_h, _h))
    return _result(
        "recurrent_is_dense",
        "kappa_recurrent(h) = kappa_dense(h, h)",
        diff == 0,
        [("difference", diff)],
    )


def recurrent_unrolled() -> SymbolicResult:
    """Whole unrolled graph: ``T h^2 / ((T+1) h - 1)`` equals ``h^2/(2h-1)`` iff ``T = 1``."""
    whole = tccr.tccr_recurrent_unrolled(_h, _T)
    roots = sp.solve(sp.numer(sp.together(whole - tccr.tccr_recurrent(_h))), _T)
    lim = sp.limit(whole, _T, sp.oo)
    return _result(
        "recurrent_unrolled",
        "|E|/|MST| of the T-step unrolled graph is T h^2/((T+1)h-1): equal to the per-step "
        "h^2/(2h-1) only at T = 1, and -> h as T -> infinity",
        roots == [1] and sp.simplify(lim - _h) == 0,
        [("solutions T of whole = per-step", roots), ("limit T -> oo", lim)],
    )


def conv_le_kernel() -> SymbolicResult:
    """``K N_out / (N_in + N_out - 1) <= K`` for ``N_in, N_out >= 1``."""
    big_k = sp.Symbol("K", integer=True, positive=True)
    n_out = sp.Symbol("N_out", integer=True, positive=True)
    gap = sp.factor(sp.together(big_k - big_k * n_out / ((1 + _a) + n_out - 1)))
    return _result(
        "conv_le_kernel",
        "kappa_conv <= prod(k_j) (the kernel size) for N_in, N_out >= 1",
        gap.is_nonnegative is True,
        [("K - kappa with N_in = 1 + a", gap), ("sympy: gap >= 0", gap.is_nonnegative)],
    )


def _closed_form(variant: str, sparse: bool) -> SymbolicResult:
    base, step = overlap.closed_form_induction_residuals(variant, sparse=sparse)
    closed = overlap.bound_closed_form(variant, sparse=sparse)
    which = "Corollary 3.4" if sparse else "Theorem 3.3"
    return _result(
        f"closed_form_{variant}",
        f"{which} ({variant}): the closed form F(s) equals sum_{{i=1}}^s term_i for all s >= 0 "
        "(induction: F(0) = 0 and F(s) - F(s-1) = term_s)",
        base == 0 and step == 0,
        [("closed form", closed), ("F(0)", base), ("F(s) - F(s-1) - term(s)", step)],
    )


def bound_le_one() -> SymbolicResult:
    """The Theorem 3.3 bound (variant ``nm``) never exceeds 1."""
    n = 2 + _a
    m = n + _b  # WLOG n <= m (the bound is symmetric), min(n, m) = n >= 2
    closed = overlap.bound_closed_form("nm").subs(
        {overlap.n_sym: n, overlap.m_sym: m, overlap.s_sym: n}
    )
    gap = sp.factor(sp.together(1 - closed / (n + m - 1)))
    symmetric = sp.simplify(overlap.bound_term("nm") - overlap.bound_term("nm").subs(
        {overlap.n_sym: overlap.m_sym, overlap.m_sym: overlap.n_sym}, simultaneous=True))
    return _result(
        "bound_le_one",
        "Theorem 3.3 bound (nm) <= 1 for all n, m >= 1 (it is 1 when min(n, m) = 1)",
        gap.is_nonnegative is True and symmetric == 0,
        [("1 - bound with n=2+a, m=n+b", gap), ("sympy: gap >= 0", gap.is_nonnegative)],
    )


def bound_square_limit() -> SymbolicResult:
    """For square layers the Theorem 3.3 bound (``nm``) tends to ``1/6``."""
    closed = overlap.bound_closed_form("nm").subs(
        {overlap.m_sym: overlap.n_sym, overlap.s_sym: overlap.n_sym}
    )
    lim = sp.limit(closed / (2 * overlap.n_sym - 1), overlap.n_sym, sp.oo)
    return _result(
        "bound_square_limit",
        "Theorem 3.3 bound (nm) for n = m tends to 1/6 as n -> infinity",
        lim == sp.Rational(1, 6),
        [("limit", lim)],
    )


def hypergeom_normalized() -> SymbolicResult:
    """Appendix C pmf sums to 1 (sympy's Vandermonde summation, ``N >= 2k``)."""
    total = hypergeom.hypergeom_sum_symbolic()
    return _result(
        "hypergeom_normalized",
        "sum_x C(k,x) C(N-k,k-x) / C(N,k) = 1 (symbolic for N >= 2k; smaller N by enumeration)",
        total == 1,
        [("simplified sum", total)],
    )


def hypergeom_mean() -> SymbolicResult:
    """Appendix C overlap has mean ``k^2 / N``."""
    mean = hypergeom.hypergeom_mean_symbolic()
    target = sp.Symbol("k", integer=True, positive=True) ** 2 / sp.Symbol(
        "N", integer=True, positive=True
    )
    return _result(
        "hypergeom_mean",
        "E[overlap] = k^2 / N (symbolic for N >= 2k), i.e. k/(nm) as a fraction of k",
        sp.simplify(mean - target) == 0,
        [("simplified mean", mean)],
    )


#: Every symbolic proof, by name.
PROOFS: dict[str, Callable[[], SymbolicResult]] = {
    "dense_le_min": dense_le_min,
    "dense_limit": dense_limit,
    "dense_ge_one": dense_ge_one,
    "recurrent_is_dense": recurrent_is_dense,
    "recurrent_unrolled": recurrent_unrolled,
    "conv_le_kernel": conv_le_kernel,
    "closed_form_nm": lambda: _closed_form("nm", False),
    "closed_form_nm_minus_i_plus_1": lambda: _closed_form("nm_minus_i_plus_1", False),
    "closed_form_rho_nm": lambda: _closed_form("rho_nm", True),
    "closed_form_rho_nm_minus_i_plus_1": lambda: _closed_form("rho_nm_minus_i_plus_1", True),
    "bound_le_one": bound_le_one,
    "bound_square_limit": bound_square_limit,
    "hypergeom_normalized": hypergeom_normalized,
    "hypergeom_mean": hypergeom_mean,
}


def run_proof(name: str) -> SymbolicResult:
    """Run one symbolic proof by name.

    Examples
    --------
    >>> run_proof("recurrent_is_dense").status
    'proved'
    """
    if name not in PROOFS:
        raise ValueError(f"unknown proof {name!r}; choose one of {sorted(PROOFS)}")
    return PROOFS[name]()
