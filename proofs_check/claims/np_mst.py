"""np-mst: the finite diagram points are exactly (1, w'_e) for the MST edges."""

from __future__ import annotations

import math

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.claims._oracles import gudhi_deaths, kruskal_tie_rule, networkx_mst_weight
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.np_mst import CLAIM


def holds(layer, drop_weakest: bool = False) -> bool:
    """The core's diagram against three oracles (own Kruskal, networkx, gudhi).

    ``drop_weakest`` (false twin): the oracle's forest without its weakest edge.
    """
    import numpy as np

    from topotheory.topology import maximum_spanning_forest, persistence_diagram

    w = as_array(layer)
    diagram = persistence_diagram(w)
    forest = maximum_spanning_forest(w)
    w_max = float(np.abs(w).max())
    oracle_edges = kruskal_tie_rule(w)
    if drop_weakest:
        oracle_edges = oracle_edges[:-1]
    expected = sorted(abs(float(w.ravel()[e])) / w_max for e in oracle_edges)
    if sorted(diagram.edge_index.tolist()) != sorted(oracle_edges):
        return False
    if not np.all(diagram.births == 1.0) or sorted(diagram.deaths.tolist()) != expected:
        return False
    if sorted(forest.edge_index.tolist()) != sorted(oracle_edges):
        return False
    if not math.isclose(float(forest.weights.sum()), networkx_mst_weight(w), rel_tol=1e-12,
                        abs_tol=1e-12):
        return False
    by_gudhi = gudhi_deaths(w)
    return by_gudhi is None or np.allclose(by_gudhi, expected, rtol=0, atol=1e-12)


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    """Search dense layers (ties, zeros) for a diagram that is not the MST's."""
    side = ctx.profile.max_side
    return forall_search(
        ctx, dense_layers(side), lambda layer: holds(layer, ctx.twin_param("drop_weakest", False)),
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        domain=f"dense layers up to {side}x{side}, values with ties and zeros",
        evidence={"oracles": ["tie-rule Kruskal (pure Python)",
                              "networkx maximum_spanning_tree weight",
                              "gudhi SimplexTree 0-dim persistence"]},
    )
