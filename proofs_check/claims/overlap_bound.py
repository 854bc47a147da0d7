"""overlap-bound (Thm 3.3): E[X] >= bound, exactly on small layers, by Monte Carlo on large.

Random model: complete bipartite ``n x m`` layer, exchangeable weights (uniformly random
order). Exact expectations (:func:`topotheory.simulate.counting.exact_expected_overlap`) on
every shape up to the profile's ``exact_max_side``; Monte Carlo
(:func:`topotheory.simulate.montecarlo.simulate_overlap`) on :data:`MC_SHAPES`, decided by
:func:`proofs_check.rules.expectation_verdict`.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.claims._overlap_mc import overlap_mc_tests
from proofs_check.context import CheckContext
from proofs_check.rules import expectation_verdict, symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.simulate.counting import exact_expected_overlap
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_bound import CLAIM
from topotheory.theory.overlap import overlap_lower_bound

MC_SHAPES = ((784, 100), (100, 100), (100, 10), (20, 20))


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    variant, p = ctx.variant_name, ctx.profile
    scale = sp.Rational(ctx.twin_param("bound_scale", 1))
    proved, symbolic = symbolic_evidence(ctx)
    bounds = {f"{n}x{m}": float(overlap_lower_bound(n, m, variant) * scale) for n, m in MC_SHAPES}
    exact_rows = []
    with ctx.timed("exact"):
        for n in range(1, p.exact_max_side + 1):
            for m in range(n, p.exact_max_side + 1):
                value = sp.Rational(str(exact_expected_overlap(n, m)))
                bound = overlap_lower_bound(n, m, variant) * scale
                exact_rows.append({"n": n, "m": m, "E[X]": str(value), "bound": str(bound)})
    tests, n_tests = overlap_mc_tests(
        ctx, [(f"{n}x{m}", n, m, 1, bounds[f"{n}x{m}"]) for n, m in MC_SHAPES])
    return expectation_verdict(
        ctx, exact=exact_rows, monte_carlo=tests, n_tests=n_tests,
        evidence={"random_model": "complete bipartite, exchangeable weights",
                  "exact_domain": f"every 1 <= n <= m <= {p.exact_max_side}", "bounds": bounds,
                  **symbolic},
    )
