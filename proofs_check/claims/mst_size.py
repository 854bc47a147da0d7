"""mst-size: the MST of K_{n,m} has n + m - 1 edges."""

from __future__ import annotations

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.mst_size import CLAIM


def holds(layer, edges_offset: int = 0) -> bool:
    import networkx as nx

    from topotheory.topology import maximum_spanning_forest

    w = as_array(layer)
    m, n = w.shape
    forest = maximum_spanning_forest(w)
    if forest.size != n + m - 1 + edges_offset or forest.n_components != 1:
        return False
    # Zero weights absent: the forest spans each component (networkx counts them).
    graph = nx.Graph()
    graph.add_nodes_from(range(n + m))
    graph.add_edges_from((j, n + i) for i in range(m) for j in range(n) if w[i, j] != 0)
    absent = maximum_spanning_forest(w, zero_weights="absent")
    return absent.size == n + m - nx.number_connected_components(graph)


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    side = ctx.profile.max_side + 4
    return forall_search(
        ctx, dense_layers(side), lambda layer: holds(layer, ctx.twin_param("edges_offset", 0)),
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        domain=f"dense layers up to {side} per side (zeros present); also "
        "zero_weights='absent' against networkx component counts",
    )
