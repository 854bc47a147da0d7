"""Disjoint sets (union-find with path halving) for small pure-Python graph computations.

Pure Python; no numpy. The numba kernels of :mod:`topotheory.topology` have their own.

Examples
--------
>>> sets = UnionFind(4)
>>> sets.union(0, 1), sets.union(1, 0), sets.find(0) == sets.find(1)
(True, False, True)
"""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets over the nodes ``0 .. n_nodes - 1``, each node alone at first.

    Parameters
    ----------
    n_nodes : int
        Number of nodes.

    Examples
    --------
    >>> sets = UnionFind(3)
    >>> sets.union(2, 0)
    True
    >>> len({sets.find(x) for x in range(3)})
    2
    """

    def __init__(self, n_nodes: int) -> None:
        self.parent = list(range(n_nodes))

    def find(self, x: int) -> int:
        """The representative of ``x``'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> bool:
        """Merge the sets of ``x`` and ``y`` (``x``'s root joins ``y``'s); False if they
        were one set already."""
        a, b = self.find(x), self.find(y)
        if a == b:
            return False
        self.parent[a] = b
        return True
