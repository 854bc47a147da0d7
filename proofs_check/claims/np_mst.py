"""np-mst: the finite diagram points are exactly (1, w'_e) for the MST edges."""

from __future__ import annotations

import math

from proofs_check.claims import _common as c
from proofs_check.claims._oracles import gudhi_deaths, kruskal_tie_rule, networkx_mst_weight
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "np-mst"


def holds(layer) -> bool:
    """The core's diagram against three oracles (own Kruskal, networkx, gudhi)."""
    import numpy as np

    from topotheory.topology import maximum_spanning_forest, persistence_diagram

    w = c.as_array(layer)
    diagram = persistence_diagram(w)
    forest = maximum_spanning_forest(w)
    w_max = float(np.abs(w).max())
    oracle_edges = kruskal_tie_rule(w)
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


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    """Search dense layers (ties, zeros) for a diagram that is not the MST's."""
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(c.dense_layers(p.max_side), holds, p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        evidence={"domain": f"dense layers up to {p.max_side}x{p.max_side}, values with ties "
                  "and zeros", "oracles": ["tie-rule Kruskal (pure Python)",
                                           "networkx maximum_spanning_tree weight",
                                           "gudhi SimplexTree 0-dim persistence"]},
    )
