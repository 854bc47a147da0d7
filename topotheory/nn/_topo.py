"""Bridge from the torch side to the topology core (tie rule, forests, diagrams, NP).

Every topological quantity the pruning code needs goes through this module, which
calls :mod:`topotheory.topology` (see ``docs/core-api.md``).  Layers are 2-D numpy
arrays in torch ``Linear`` layout ``(m_out, n_in)``; flat edge index
``i_out * n_in + j_in``; masks are boolean arrays of the same shape (True = kept edge).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topotheory.result import Result
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


def edge_order(magnitudes: np.ndarray) -> np.ndarray:
    """Permutation of flat indices: ``|w|`` descending, then flat index ascending.

    Examples
    --------
    >>> edge_order(np.array([1.0, 3.0, 3.0, 2.0])).tolist()
    [1, 2, 3, 0]
    """
    mags = np.abs(np.asarray(magnitudes, dtype=np.float64).ravel())
    return np.asarray(_core_edge_order(mags), dtype=np.int64)


@dataclass(frozen=True, repr=False)
class LayerDiagram(Result):
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
    return np.asarray(_core_msf(w, mask=mask).edge_index, dtype=np.int64)


def diagram(
    weight: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
) -> LayerDiagram:
    """Finite diagram points of a layer with masked edges absent.

    ``normalization`` is ``"per_layer"`` (``w_max`` = max kept ``|w|`` of the layer) or
    ``"per_network"`` (``w_max`` must be given: the max over all layers).  A layer with
    no non-zero kept edge has an empty diagram (``w_max = 0``) under per-layer
    normalisation, where the core refuses to define ``w'``.
    """
    w = np.asarray(weight, dtype=np.float64)
    if normalization == "per_layer" and not _has_nonzero(w, mask):
        empty = np.zeros(0)
        return LayerDiagram(empty, empty.astype(np.int64), 0.0)
    d = _core_pd(w, mask=mask, normalization=normalization, w_max=w_max)
    finite = np.asarray(d.edge_index) >= 0
    return LayerDiagram(
        np.asarray(d.deaths)[finite], np.asarray(d.edge_index)[finite], float(d.w_max)
    )


def neural_persistence(
    weight: np.ndarray,
    mask: np.ndarray | None = None,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
    p: float = 2.0,
) -> float:
    """Neural persistence ``(sum (1 - w'_e)^p)^(1/p)`` of a layer, masked edges absent.

    0 for a layer with no non-zero kept edge (per-layer normalisation).
    """
    w = np.asarray(weight, dtype=np.float64)
    if normalization == "per_layer" and not _has_nonzero(w, mask):
        return 0.0
    return float(_core_np(w, p=p, mask=mask, normalization=normalization, w_max=w_max))


def topk_overlap(weight: np.ndarray, mask: np.ndarray | None = None) -> tuple[int, int]:
    """``(count, k)``: top-k kept edges that lie in the forest, ``k`` = forest size."""
    w = np.asarray(weight, dtype=np.float64)
    o = _core_overlap(w, mask=mask)
    return int(o.count), int(o.k)


def _has_nonzero(w: np.ndarray, mask: np.ndarray | None) -> bool:
    """Whether some kept edge has ``|w| > 0`` (else the per-layer scale is undefined)."""
    kept = w if mask is None else w[np.asarray(mask, dtype=bool)]
    return bool(np.any(kept != 0))
