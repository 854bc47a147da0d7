"""overlap-bound-sparse (Cor 3.4): the bound with rho n m in place of n m.

Before any simulation: ``X <= 1`` always, so a bound above 1 on an admissible
``(n, m, rho)`` (``rho n m >= n + m - 1`` edges, connected) refutes the claim outright;
hypothesis searches for one and shrinks it. Otherwise the Monte Carlo of
``topotheory.simulate`` (random connected support with ``rho n m`` edges) is used.
"""

from __future__ import annotations

import sympy as sp

from proofs_check.claims import _common as c
from proofs_check.claims import _expect
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict
from topotheory.theory.overlap import SPARSE_BOUND_VARIANTS, sparse_overlap_lower_bound

ID = "overlap-bound-sparse"


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


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    variant = variant or SPARSE_BOUND_VARIANTS[0]
    if variant not in SPARSE_BOUND_VARIANTS:
        raise ValueError(f"variant={variant!r}: choose one of {SPARSE_BOUND_VARIANTS}")
    p = get_profile(profile)
    proved, symbolic = c.symbolic_evidence((f"closed_form_{variant}",))

    def holds(example) -> bool:
        bound = _bound(example, variant)
        return bound is None or bound <= 1

    outcome = c.search(_strategy(24), holds, p, seed, max_examples=max(200, p.max_examples))
    evidence = {"random_model": "uniform random connected support with rho*n*m edges of "
                "K_{n,m}, exchangeable weights", "bound_le_1_search": {
                    "evaluations": outcome.evaluations, "seed": seed,
                    "domain": "2 <= n, m <= 24, n+m-1 <= rho*n*m <= n*m"}, **symbolic}
    if outcome.found:
        n, m, edges = outcome.counterexample
        bound = _bound(outcome.counterexample, variant)
        return c.make_verdict(ID, "refuted", variant=variant, evidence=evidence, counterexample={
            "n": n, "m": m, "rho": str(sp.Rational(edges, n * m)), "edges": edges,
            "bound": str(bound), "bound_float": float(bound),
            "why": "X <= 1 for every graph, so E[X] <= 1 < bound"
                   + (" (at rho*n*m = n+m-1 the graph is a spanning tree and X = 1 exactly)"
                      if edges == n + m - 1 else "")})
    mc_fn = _expect.monte_carlo_overlap()
    if mc_fn is None:
        return c.needs(ID, "bound <= 1 on the searched domain; the expectation itself needs "
                       "topotheory.simulate.simulate_overlap(n, m, *, trials, seed, rho)",
                       variant=variant, **evidence)
    mc = {}
    for i, (n, m, rho) in enumerate(((10, 10, sp.Rational(1, 2)), (20, 20, sp.Rational(1, 4)),
                                     (100, 10, sp.Rational(1, 2)))):
        summary = _expect.mc_summary(mc_fn(n, m, trials=p.mc_trials, seed=(seed, i), rho=rho))
        summary["bound"] = float(sparse_overlap_lower_bound(n, m, rho, variant))
        mc[f"{n}x{m}@rho={rho}"] = summary
        if summary["ci_high"] < summary["bound"]:
            evidence["monte_carlo"] = mc
            return c.make_verdict(ID, "refuted", variant=variant, evidence=evidence,
                                  counterexample={"n": n, "m": m, "rho": str(rho), **summary})
    evidence["monte_carlo"] = mc
    return c.make_verdict(ID, "confirmed", variant=variant, evidence=evidence)
