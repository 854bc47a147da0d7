"""overlap-bound-sparse (Cor 3.4): the bound with rho n m in place of n m.

Before any simulation: ``X <= 1`` always, so a bound above 1 on an admissible
``(n, m, rho)`` (``rho n m >= n + m - 1`` edges, connected) refutes the claim outright.
:func:`topotheory.simulate.first_failure.sparse_bound_first_failure` enumerates every case
in the order ``n m``, then ``n`` (``n <= m``), then ``rho``; its first failing case is
minimal in that order (9x10 at rho = 1/5 for ``rho_nm``; 8x8 at rho = 15/64 for
``rho_nm_minus_i_plus_1``), the same for every seed. Only if no case fails does the Monte
Carlo of ``topotheory.simulate`` (random connected support with ``rho n m`` edges) decide,
by :func:`proofs_check.rules.expectation_verdict`.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.claims._overlap_mc import overlap_mc_tests
from proofs_check.context import CheckContext
from proofs_check.rules import expectation_verdict, forall_first_failure, symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_bound_sparse import CLAIM
from topotheory.theory.overlap import sparse_overlap_lower_bound

MC_CASES = ((10, 10, sp.Rational(1, 2)), (20, 20, sp.Rational(1, 4)),
            (100, 10, sp.Rational(1, 2)))
#: Largest ``n m`` enumerated (both readings fail well before it).
MAX_EDGES = 400


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from topotheory.simulate.first_failure import sparse_bound_first_failure

    variant = ctx.variant_name
    scale = ctx.twin_param("bound_scale", 1)
    proved, symbolic = symbolic_evidence(ctx)
    with ctx.timed("bound_le_1_enumeration"):
        first = sparse_bound_first_failure(variant, max_edges=MAX_EDGES, bound_scale=scale)
    evidence = {"random_model": "uniform random connected support with rho*n*m edges of "
                "K_{n,m}, exchangeable weights", **symbolic}
    if first.failing is not None:
        return forall_first_failure(ctx, first, evidence=evidence)
    evidence["bound_le_1_enumeration"] = first.as_dict()
    tests, n_tests = overlap_mc_tests(ctx, [
        (f"{n}x{m}@rho={rho}", n, m, rho,
         float(sparse_overlap_lower_bound(n, m, rho, variant) * scale))
        for n, m, rho in MC_CASES])
    return expectation_verdict(ctx, monte_carlo=tests, n_tests=n_tests, evidence=evidence)
