"""tccr-maximal: no edge subset smaller than a spanning tree keeps the diagram."""

from __future__ import annotations

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tccr_maximal import CLAIM


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(dense_layers(max_side, min_side=1), st.randoms(use_true_random=False),
                     st.integers(0, 10**6))


def holds(example) -> bool:
    import numpy as np

    from topotheory.topology import persistence_diagram

    layer, rnd, size_key = example
    w = as_array(layer)
    m, n = w.shape
    tree = n + m - 1
    size = size_key % tree  # strictly fewer edges than a spanning tree
    keep = np.zeros(w.size, dtype=bool)
    keep[rnd.sample(range(w.size), size)] = True
    if not keep.any():
        return True  # an empty graph has an empty diagram; the full one has tree >= 1 points
    # One scale for both (a subset may keep only zero weights): the full layer's max |w|.
    scale = {"normalization": "per_network", "w_max": float(np.abs(w).max())}
    full = persistence_diagram(w, **scale)
    sub = persistence_diagram(w, mask=keep.reshape(w.shape), **scale)
    same = sorted(full.deaths.tolist()) == sorted(sub.deaths.tolist())
    return not same and len(sub) < tree


def _exhaustive(max_edges: int) -> dict:
    """Every subset of every tiny layer with distinct weights: the smallest diagram-keeping one."""
    import itertools

    import numpy as np

    from topotheory.topology import persistence_diagram

    shapes = [(m, n) for m in range(1, 4) for n in range(1, 4) if m * n <= max_edges]
    smallest = {}
    for m, n in shapes:
        w = np.arange(1.0, m * n + 1).reshape(m, n)[::-1] * np.linspace(1, 2, m * n).reshape(m, n)
        full = sorted(persistence_diagram(w).deaths.tolist())
        best = None
        for r in range(1, m * n + 1):
            for subset in itertools.combinations(range(m * n), r):
                keep = np.zeros(m * n, dtype=bool)
                keep[list(subset)] = True
                if sorted(persistence_diagram(w, mask=keep.reshape(m, n)).deaths.tolist()) == full:
                    best = r
                    break
            if best is not None:
                break
        smallest[f"{m}x{n}"] = {"smallest_keeping_subset": best, "n_plus_m_minus_1": n + m - 1}
    return smallest


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    side = ctx.profile.max_side
    offset = ctx.twin_param("tree_offset", 0)
    with ctx.timed("exhaustive_subsets"):
        table = _exhaustive(9)
    verdict = forall_search(
        ctx, _strategy(side), holds,
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1]},
        domain=f"dense layers up to {side}x{side}; random subsets with fewer than n+m-1 edges",
        evidence={"exhaustive_smallest_subsets": table},
    )
    if verdict.status == "confirmed" and any(
        v["smallest_keeping_subset"] != v["n_plus_m_minus_1"] + offset for v in table.values()
    ):
        return ctx.verdict("refuted", evidence=verdict.evidence,
                           counterexample={"exhaustive": table})
    return verdict
