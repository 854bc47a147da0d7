"""np-prune-invariant: removing non-MST edges leaves the diagram and NP unchanged."""

from __future__ import annotations

import math

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.np_prune_invariant import CLAIM


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(dense_layers(max_side), st.lists(st.booleans(), min_size=144, max_size=144))


def holds(example, drop_mst_edges: bool = False) -> bool:
    import numpy as np

    from topotheory.topology import maximum_spanning_forest, neural_persistence, persistence_diagram

    layer, drop_bits = example
    w = as_array(layer)
    forest = set(maximum_spanning_forest(w).edge_index.tolist())
    keep = np.ones(w.size, dtype=bool)
    for e in range(w.size):
        if (drop_mst_edges or e not in forest) and drop_bits[e % len(drop_bits)]:
            keep[e] = False
    keep = keep.reshape(w.shape)
    full, pruned = persistence_diagram(w), persistence_diagram(w, mask=keep)
    if full.deaths.tolist() != pruned.deaths.tolist() or full.births.tolist() != pruned.births.tolist():
        return False
    for p in (1, 2, 3):
        a, b = neural_persistence(w, p=p), neural_persistence(w, mask=keep, p=p)
        if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15):
            return False
    return True


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    side = ctx.profile.max_side
    return forall_search(
        ctx, _strategy(side), lambda ex: holds(ex, ctx.twin_param("drop_mst_edges", False)),
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1],
                             "drop_non_mst_bits": ex[1][: ex[0][0][0] * ex[0][0][1]]},
        domain=f"dense layers up to {side}x{side}; any subset of non-MST edges masked absent",
        evidence={"compared": "diagram points exactly; NP for p in (1, 2, 3) to 1e-12 "
                  "relative"},
    )
