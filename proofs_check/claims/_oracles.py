"""Independent oracles (pure Python / networkx / gudhi) for the forall checks."""

from __future__ import annotations

from typing import Any

__all__ = ["gudhi_deaths", "kruskal_tie_rule", "networkx_mst_weight"]


def kruskal_tie_rule(weights: Any, present: Any = None) -> list[int]:
    """Flat indices of the maximum spanning forest (|w| desc, then flat index asc).

    Pure-Python union-find, written from the tie rule alone. Node ids: input ``j`` is
    ``j``, output ``i`` is ``n + i``; flat index ``i * n + j``.
    """
    m, n = weights.shape
    parent = list(range(n + m))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    flat = [abs(float(x)) for x in weights.ravel()]
    order = sorted(range(n * m), key=lambda e: (-flat[e], e))
    chosen = []
    for e in order:
        if present is not None and not present[e]:
            continue
        a, b = find(e % n), find(n + e // n)
        if a != b:
            parent[a] = b
            chosen.append(e)
    return chosen


def networkx_mst_weight(weights: Any) -> float:
    """Total |w| of a maximum spanning tree by networkx (tie-independent)."""
    import networkx as nx

    m, n = weights.shape
    graph = nx.Graph()
    graph.add_nodes_from(range(n + m))
    for i in range(m):
        for j in range(n):
            graph.add_edge(j, n + i, weight=abs(float(weights[i, j])))
    tree = nx.maximum_spanning_tree(graph)
    return float(sum(d["weight"] for _, _, d in tree.edges(data=True)))


def gudhi_deaths(weights: Any) -> list[float] | None:
    """Finite 0-dim deaths ``w'`` of the super-level filtration by gudhi (None if absent).

    The super-level filtration by ``w'`` is the sub-level filtration by ``1 - w'``:
    vertices at 0, edge ``e`` at ``1 - w'_e``; a finite pair ``(0, t)`` is the point
    ``(1, 1 - t)``.
    """
    try:
        import gudhi
    except ImportError:
        return None
    m, n = weights.shape
    w_max = float(abs(weights).max())
    tree = gudhi.SimplexTree()
    for v in range(n + m):
        tree.insert([v], filtration=0.0)
    for i in range(m):
        for j in range(n):
            tree.insert([j, n + i], filtration=1.0 - abs(float(weights[i, j])) / w_max)
    tree.compute_persistence(persistence_dim_max=False, min_persistence=-1.0)  # keep (1, 1) points
    pairs = tree.persistence_intervals_in_dimension(0)
    return sorted(1.0 - float(d) for _, d in pairs if d != float("inf"))
