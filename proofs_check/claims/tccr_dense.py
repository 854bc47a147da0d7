"""tccr-dense: |E| / |MST| of a dense layer is n m / (n + m - 1), exactly."""

from __future__ import annotations

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search, symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tccr_dense import CLAIM


def holds(layer, denominator_offset: int = 0) -> bool:
    import sympy as sp

    from topotheory.theory.tccr import tccr_dense
    from topotheory.topology import maximum_spanning_forest

    w = as_array(layer)
    m, n = w.shape
    exact = sp.Rational(w.size, maximum_spanning_forest(w).size)
    formula = tccr_dense(n, m)
    if denominator_offset:  # false twin: n m / (n + m - 1 + offset)
        formula = formula * (n + m - 1) / (n + m - 1 + denominator_offset)
    return exact == formula


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    side = ctx.profile.max_side + 4
    proved, symbolic = symbolic_evidence(ctx)
    verdict = forall_search(
        ctx, dense_layers(side), lambda layer: holds(layer, ctx.twin_param("denominator_offset", 0)),
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        domain=f"complete layers up to {side} per side", evidence=symbolic,
    )
    if verdict.status == "confirmed" and not proved:
        return ctx.inconclusive("a symbolic consequence was not proved", **verdict.evidence)
    return verdict
