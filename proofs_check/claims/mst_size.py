"""mst-size: the MST of K_{n,m} has n + m - 1 edges."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "mst-size"


def holds(layer) -> bool:
    import networkx as nx

    from topotheory.topology import maximum_spanning_forest

    w = c.as_array(layer)
    m, n = w.shape
    forest = maximum_spanning_forest(w)
    if forest.size != n + m - 1 or forest.n_components != 1:
        return False
    # Zero weights absent: the forest spans each component (networkx counts them).
    graph = nx.Graph()
    graph.add_nodes_from(range(n + m))
    graph.add_edges_from((j, n + i) for i in range(m) for j in range(n) if w[i, j] != 0)
    absent = maximum_spanning_forest(w, zero_weights="absent")
    return absent.size == n + m - nx.number_connected_components(graph)


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(c.dense_layers(p.max_side + 4), holds, p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        evidence={"domain": f"dense layers up to {p.max_side + 4} per side (zeros present); "
                  "also zero_weights='absent' against networkx component counts"},
    )
