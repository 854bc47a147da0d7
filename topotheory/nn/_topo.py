"""Bridge from the torch side to the topology core (tie rule, forests, diagrams, NP).

Every topological quantity the pruning code needs goes through this module, which
calls :mod:`topotheory.topology` (see ``docs/core-api.md``).  Layers are 2-D numpy
arrays in torch ``Linear`` layout ``(m_out, n_in)``; flat edge index
``i_out * n_in + j_in``; masks are boolean arrays of the same shape (True = kept edge).

Until the core is merged into this branch a small private fallback with the same
conventions is used (``_FALLBACK``); it is deleted once the core is available.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

try:  # pragma: no cover - depends on what is merged
    from topotheory.topology import (
        maximum_spanning_forest as _core_msf,
    )
    from topotheory.topology import (
        neural_persistence as _core_np,
    )
    from topotheory.topology import (
        persistence_diagram as _core_pd,
    )
    from topotheory.topology import (
        topk_mst_overlap as _core_overlap,
    )
    from topotheory.topology.ordering import edge_order as _core_edge_order

    _FALLBACK = False
except ImportError:  # pragma: no cover
    _FALLBACK = True


def edge_order(magnitudes: np.ndarray) -> np.ndarray:
    """Permutation of flat indices: ``|w|`` descending, then flat index ascending.

    Examples
    --------
    >>> edge_order(np.array([1.0, 3.0, 3.0, 2.0])).tolist()
    [1, 2, 3, 0]
    """
    mags = np.abs(np.asarray(magnitudes, dtype=np.float64).ravel())
    if not _FALLBACK:
        return np.asarray(_core_edge_order(mags), dtype=np.int64)
    return np.lexsort((np.arange(mags.size), -mags)).astype(np.int64)


@dataclass(frozen=True)
class LayerDiagram:
    """Zeroth-order diagram of one layer: deaths and the edge of each finite point."""

    deaths: np.ndarray
    edge_index: np.ndarray
    w_max: float

    def equals(self, other: LayerDiagram) -> bool:
        """Exact equality of points, edges and normaliser."""
        return (
            self.w_max == other.w_max
            and np.array_equal(self.deaths, other.deaths)
            and np.array_equal(self.edge_index, other.edge_index)
        )


def forest_edges(weight: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Flat indices of the maximum spanning forest of the kept edges, in Kruskal order.

    Examples
    --------
    >>> forest_edges(np.array([[3.0, 1.0], [2.0, 0.5]])).tolist()
    [0, 2, 1]
    """
    w = np.asarray(weight, dtype=np.float64)
    if not _FALLBACK:
        return np.asarray(_core_msf(w, mask=mask).edge_index, dtype=np.int64)
    return _fallback_forest(w, mask)


def diagram(
    weight: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
) -> LayerDiagram:
    """Finite diagram points of a layer with masked edges absent.

    ``normalization`` is ``"per_layer"`` (``w_max`` = max kept ``|w|`` of the layer) or
    ``"per_network"`` (``w_max`` must be given: the max over all layers).
    """
    w = np.asarray(weight, dtype=np.float64)
    if not _FALLBACK:
        d = _core_pd(w, mask=mask, normalization=normalization, w_max=w_max)
        finite = np.asarray(d.edge_index) >= 0
        return LayerDiagram(
            np.asarray(d.deaths)[finite], np.asarray(d.edge_index)[finite], float(d.w_max)
        )
    edges = _fallback_forest(w, mask)
    mags = np.abs(w).ravel()
    if normalization == "per_layer":
        kept = mags if mask is None else mags[np.asarray(mask, dtype=bool).ravel()]
        scale = float(kept.max()) if kept.size else 0.0
    else:
        if w_max is None:
            raise ValueError(f"normalization={normalization!r} needs w_max=")
        scale = float(w_max)
    deaths = mags[edges] / scale if scale > 0 else np.zeros(edges.size)
    return LayerDiagram(deaths, edges, scale)


def neural_persistence(
    weight: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
    p: float = 2.0,
) -> float:
    """Neural persistence ``(sum (1 - w'_e)^p)^(1/p)`` of a layer, masked edges absent."""
    w = np.asarray(weight, dtype=np.float64)
    if not _FALLBACK:
        return float(_core_np(w, p=p, mask=mask, normalization=normalization, w_max=w_max))
    d = diagram(w, mask, normalization=normalization, w_max=w_max)
    return float(np.sum((1.0 - d.deaths) ** p) ** (1.0 / p))


def topk_overlap(weight: np.ndarray, mask: np.ndarray | None = None) -> tuple[int, int]:
    """``(count, k)``: top-k kept edges that lie in the forest, ``k`` = forest size."""
    w = np.asarray(weight, dtype=np.float64)
    if not _FALLBACK:
        o = _core_overlap(w, mask=mask)
        return int(o.count), int(o.k)
    edges = _fallback_forest(w, mask)
    k = edges.size
    order = edge_order(np.abs(w).ravel())
    if mask is not None:
        order = order[np.asarray(mask, dtype=bool).ravel()[order]]
    return int(np.intersect1d(order[:k], edges).size), int(k)


def _fallback_forest(w: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    m_out, n_in = w.shape
    order = edge_order(np.abs(w).ravel())
    if mask is not None:
        order = order[np.asarray(mask, dtype=bool).ravel()[order]]
    parent = np.arange(n_in + m_out)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    chosen: list[int] = []
    target = n_in + m_out - 1
    for e in order.tolist():
        ru, rv = find(e % n_in), find(n_in + e // n_in)
        if ru != rv:
            parent[ru] = rv
            chosen.append(e)
            if len(chosen) == target:
                break
    return np.asarray(chosen, dtype=np.int64)
