"""overlap-law-square: the square-layer limit ``1 - r + r^2``, ``r = -W(-2 e^-2)/2``.

Three steps, all must hold for ``proved``:

1. sympy: for any ``w`` with ``w e^w = x = -2 e^{-2}`` (the defining identity of Lambert
   W), ``r = -w/2`` solves ``r = exp(-2 (1 - r))`` (``exp(-w)`` replaced by ``w / x``);
   and ``lim_{n -> oo} X_law`` at ``k = 2n - 1``, ``r_a = r_b = r`` is ``1 - r + r^2``.
2. mpmath at 50 digits: the chosen branch satisfies ``W e^W = x``, and its ``r`` equals the
   extinction probability, the limit of ``r <- exp(-2 (1 - r))`` iterated from 0 (the
   smallest root in [0, 1]); both agree to 1e-40.
3. The library's solver (``overlap_limit``) at ``n = m = 10^6`` is within 1e-5 of the
   closed form (the law at finite ``n`` differs by O(1/n)).

A twin (``branch = -1``) takes ``W_{-1}``, whose ``r = 1`` is a root but not the smallest:
step 2 refutes it.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.context import CheckContext
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_law_square import CLAIM
from topotheory.theory.overlap_limit import k_sym, m_sym, n_sym, overlap_law, ra_sym, rb_sym

DIGITS = 50
LARGE_SIDE = 10**6


def _symbolic() -> dict[str, object]:
    w, x = sp.Symbol("w"), -2 * sp.exp(-2)
    r = -w / 2
    rhs = sp.exp(-2) * sp.exp(-w)  # = exp(-2 (1 - r)) with r = -w/2
    residual = sp.simplify(rhs.subs(sp.exp(-w), w / x) - r)
    limit = sp.limit(overlap_law().subs({m_sym: n_sym, k_sym: 2 * n_sym - 1,
                                         ra_sym: sp.Symbol("r"), rb_sym: sp.Symbol("r")}),
                     n_sym, sp.oo)
    r_s = sp.Symbol("r")
    limit_gap = sp.simplify(limit - (1 - r_s + r_s**2))
    return {"fixed_point_residual_given_w_exp_w_eq_x": str(residual),
            "limit_of_law_at_k_2n_minus_1": str(limit), "limit_minus_closed_form":
            str(limit_gap), "proved": residual == 0 and limit_gap == 0}


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    import mpmath

    from topotheory.simulate.overlap_limit import overlap_limit

    branch = int(ctx.twin_param("branch", 0))
    with ctx.timed("symbolic"):
        symbolic = _symbolic()
    with ctx.timed("numeric"), mpmath.workdps(DIGITS + 10):
        x = -2 * mpmath.exp(-2)
        w = mpmath.lambertw(x, branch).real
        r_closed = -w / 2
        identity_residual = abs(w * mpmath.exp(w) - x)
        r_iter = mpmath.mpf(0)
        for _ in range(400):  # contraction rate 2 r ~ 0.41 per step
            r_iter = mpmath.exp(-2 * (1 - r_iter))
        closed = 1 - r_closed + r_closed**2
        smallest = 1 - r_iter + r_iter**2
        gap = abs(closed - smallest)
        solver = float(overlap_limit(LARGE_SIDE, LARGE_SIDE))
    tolerance = mpmath.mpf(10) ** -40
    evidence = {
        "method": "sympy (defining identity of W, limit) + mpmath at 50 digits + the "
                  "library's Newton solver",
        "symbolic": symbolic, "branch": branch,
        "r_closed_form": mpmath.nstr(r_closed, 20), "r_smallest_root": mpmath.nstr(r_iter, 20),
        "X_inf_closed_form": mpmath.nstr(closed, 20), "X_inf_smallest_root":
            mpmath.nstr(smallest, 20),
        "w_exp_w_residual": mpmath.nstr(identity_residual, 3), "closed_minus_root":
            mpmath.nstr(gap, 3), "tolerance": "1e-40",
        f"overlap_limit({LARGE_SIDE},{LARGE_SIDE})": solver,
        "solver_gap": abs(solver - float(closed)), "solver_tolerance": 1e-5,
    }
    if gap > tolerance or abs(solver - float(closed)) > 1e-5:
        return ctx.verdict("refuted", evidence=evidence, counterexample={
            "r": mpmath.nstr(r_closed, 20), "X_closed_form": mpmath.nstr(closed, 20),
            "X_fixed_point": mpmath.nstr(smallest, 20),
            "why": "the closed form is not the value at the smallest root (the extinction "
                   "probability)"})
    if identity_residual > tolerance or not symbolic["proved"]:
        return ctx.inconclusive("the symbolic or the W identity step did not complete",
                                **evidence)
    return ctx.verdict("proved", evidence=evidence, decided_by="symbolic")
