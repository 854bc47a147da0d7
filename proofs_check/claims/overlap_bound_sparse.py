"""overlap-bound-sparse (Cor 3.4): the bound with rho n m in place of n m.

Before any simulation: ``X <= 1`` always, so a bound above 1 on an admissible
``(n, m, rho)`` (``rho n m >= n + m - 1`` edges, connected) refutes the claim outright;
hypothesis searches for one and shrinks it. Otherwise the Monte Carlo of
``topotheory.simulate`` (random connected support with ``rho n m`` edges) decides, by
:func:`proofs_check.rules.expectation_verdict`.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.claims._overlap_mc import overlap_mc_tests
from proofs_check.context import CheckContext
from proofs_check.rules import expectation_verdict, symbolic_evidence
from proofs_check.search import find_counterexample
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.overlap import sparse_overlap_lower_bound

MC_CASES = ((10, 10, sp.Rational(1, 2)), (20, 20, sp.Rational(1, 4)),
            (100, 10, sp.Rational(1, 2)))
SEARCH_MAX_SIDE = 24


def _strategy(max_side: int):
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        n = draw(st.integers(2, max_side))
        m = draw(st.integers(2, max_side))
        edges = draw(st.integers(n + m - 1, n * m))
        return n, m, edges

    return build()


def _bound(example, variant):
    n, m, edges = example
    rho = sp.Rational(edges, n * m)
    if variant == "rho_nm_minus_i_plus_1" and rho * n * m - min(n, m) + 1 <= 0:
        return None
    return sparse_overlap_lower_bound(n, m, rho, variant)


@claim_check("overlap-bound-sparse")
def check(ctx: CheckContext) -> Verdict:
    variant, p = ctx.variant_name, ctx.profile
    proved, symbolic = symbolic_evidence(ctx)

    def holds(example) -> bool:
        bound = _bound(example, variant)
        return bound is None or bound <= 1

    with ctx.timed("bound_le_1_search"):
        outcome = find_counterexample(_strategy(SEARCH_MAX_SIDE), holds, seed=ctx.seed,
                                      max_examples=max(200, p.max_examples))
    evidence = {"random_model": "uniform random connected support with rho*n*m edges of "
                "K_{n,m}, exchangeable weights", "bound_le_1_search": {
                    "evaluations": outcome.evaluations, "seed": ctx.seed,
                    "domain": f"2 <= n, m <= {SEARCH_MAX_SIDE}, n+m-1 <= rho*n*m <= n*m"},
                **symbolic}
    if outcome.found:
        n, m, edges = outcome.counterexample
        bound = _bound(outcome.counterexample, variant)
        return ctx.verdict("refuted", evidence=evidence, counterexample={
            "n": n, "m": m, "rho": str(sp.Rational(edges, n * m)), "edges": edges,
            "bound": str(bound), "bound_float": float(bound),
            "why": "X <= 1 for every graph, so E[X] <= 1 < bound"
                   + (" (at rho*n*m = n+m-1 the graph is a spanning tree and X = 1 exactly)"
                      if edges == n + m - 1 else "")})
    tests, n_tests = overlap_mc_tests(ctx, [
        (f"{n}x{m}@rho={rho}", n, m, rho, float(sparse_overlap_lower_bound(n, m, rho, variant)))
        for n, m, rho in MC_CASES])
    return expectation_verdict(ctx, monte_carlo=tests, n_tests=n_tests, evidence=evidence)
