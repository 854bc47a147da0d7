"""overlap-density-invariance: the law of X does not depend on the support size.

Both readings are enumerated exhaustively on small shapes
(:func:`topotheory.simulate.overlap_limit_checks.density_invariance_exact`: every support of
every size ``k..n m``, every k-subset of it): the case ``(n, m, s)`` holds when the law of
the overlap count at support size ``s`` equals the dense law exactly (Fractions). Variant
``uniform_support`` takes every support, ``connected_support`` only connected ones
(Corollary 3.4's assumption). The identity behind the uniform reading is proved by sympy
(:func:`topotheory.theory.overlap_limit.density_invariance_identity`). The deep profile adds
(deep only) two-sample Kolmogorov-Smirnov tests on large layers at family-wise level
``FAMILY_ALPHA``: a rejection refutes.

The twin ``rho_scaling`` claims instead that ``E[X]`` at support ``s`` is the dense ``E[X]``
times ``n m / s`` (the 1/rho growth of Corollary 3.4's bound).
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from proofs_check.context import CheckContext
from proofs_check.rules import FAMILY_ALPHA, forall_exhaustive
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_density_invariance import CLAIM

QUICK_SHAPES = ((2, 3), (3, 3), (2, 4), (3, 4))
DEEP_SHAPES = QUICK_SHAPES + ((2, 5), (2, 6))
DEEP_CASES = ((30, 30, (59, 90, 300)), (100, 100, (199, 400, 2000)))


def _mean(law: dict[int, Fraction]) -> Fraction:
    return sum((c * p for c, p in law.items()), Fraction(0))


def _symbolic() -> dict[str, object]:
    from topotheory.theory.overlap_limit import density_invariance_identity

    lhs, rhs = density_invariance_identity()
    ratio = sp.simplify(sp.combsimp(lhs / rhs))
    return {"identity": "C(N-k, s-k) / (C(N, s) C(s, k)) = 1 / C(N, k)",
            "ratio_simplified": str(ratio), "proved": ratio == 1}


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from topotheory.simulate.overlap_limit_checks import density_invariance_exact

    connected = ctx.variant_name == "connected_support"
    rho_scaling = bool(ctx.twin_param("rho_scaling", False))
    quick = ctx.profile.name == "quick"
    with ctx.timed("enumeration_setup"):
        rows = density_invariance_exact(QUICK_SHAPES if quick else DEEP_SHAPES)

    def law(row):
        return row.connected_law if connected else row.uniform_law

    def holds(row) -> bool:
        if rho_scaling:
            return _mean(law(row)) == _mean(row.dense_law) * Fraction(row.n * row.m, row.support)
        return law(row) == row.dense_law

    def describe(row) -> dict[str, object]:
        mean, dense = _mean(law(row)) / row.k, _mean(row.dense_law) / row.k
        out = {"n": row.n, "m": row.m, "k": row.k, "support": row.support,
               "rho": str(Fraction(row.support, row.n * row.m)),
               "E[X]_at_support": str(mean), "E[X]_dense": str(dense),
               "law_at_support": {str(c): str(p) for c, p in law(row).items()},
               "law_dense": {str(c): str(p) for c, p in row.dense_law.items()}}
        if connected and row.support == row.k:
            out["why"] = ("a connected support of k = n + m - 1 edges is a spanning tree, so "
                          "X = 1 always, while the dense layer has E[X] < 1")
        return out

    symbolic = _symbolic()
    evidence: dict[str, object] = {
        "symbolic": symbolic, "support_model": ("uniform among connected s-subsets"
                                                if connected else "uniform s-subset"),
        "compared": "E[X] vs dense E[X] * n m / s" if rho_scaling else
                    "the whole law of the overlap count, exactly (Fractions)"}
    verdict = forall_exhaustive(
        ctx, rows, holds, describe=describe,
        domain="every support size k <= s <= n m of the shapes "
               + ", ".join(f"{n}x{m}" for n, m in (QUICK_SHAPES if quick else DEEP_SHAPES)),
        bounds={"shapes": [list(s) for s in (QUICK_SHAPES if quick else DEEP_SHAPES)],
                "support": "k..n m"},
        evidence=evidence)
    if verdict.status != "confirmed" or quick:
        return verdict
    from topotheory.simulate.overlap_limit_checks import density_invariance_monte_carlo

    with ctx.timed("monte_carlo"):
        mc = density_invariance_monte_carlo(DEEP_CASES, trials=ctx.design.count("deep"),
                                            seed=ctx.seed, alpha=FAMILY_ALPHA,
                                            connected=connected, skip_rare=True)
    evidence["monte_carlo_ks"] = [r.__dict__ | {"rejected": r.rejected} for r in mc]
    rejected = [r for r in mc if r.rejected]
    if rejected:
        r = rejected[0]
        return ctx.verdict("refuted", evidence={**verdict.evidence, **evidence},
                           counterexample={"n": r.n, "m": r.m, "support": r.support,
                                           "ks_p_value": r.p_value, "level": r.level,
                                           "dense_mean": r.dense_mean,
                                           "sparse_mean": r.sparse_mean})
    return ctx.verdict("confirmed", evidence={**verdict.evidence, **evidence})
