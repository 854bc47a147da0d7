"""np-prune-invariant: removing non-MST edges leaves the diagram and NP unchanged."""

from __future__ import annotations

import math

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "np-prune-invariant"


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(c.dense_layers(max_side), st.lists(st.booleans(), min_size=144, max_size=144))


def holds(example) -> bool:
    import numpy as np

    from topotheory.topology import maximum_spanning_forest, neural_persistence, persistence_diagram

    layer, drop_bits = example
    w = c.as_array(layer)
    forest = set(maximum_spanning_forest(w).edge_index.tolist())
    keep = np.ones(w.size, dtype=bool)
    for e in range(w.size):
        if e not in forest and drop_bits[e % len(drop_bits)]:
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


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(_strategy(p.max_side), holds, p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1],
                             "drop_non_mst_bits": ex[1][: ex[0][0][0] * ex[0][0][1]]},
        evidence={"domain": f"dense layers up to {p.max_side}x{p.max_side}; any subset of "
                  "non-MST edges masked absent", "compared": "diagram points exactly; NP for "
                  "p in (1, 2, 3) to 1e-12 relative"},
    )
