"""Zeroth-order persistence diagrams of a layer's super-level (descending) filtration.

All vertices are born at ``w' = 1``; edges enter in order of decreasing ``w' = |w| / w_max``.
An edge that merges two components kills one of them: the point ``(1, w'_e)``. Those edges
are exactly the maximum spanning forest, so the finite points are ``(1, w'_e)`` for the
forest edges. Each component of the whole graph never dies (an essential class):
``essential="drop"`` omits it (the paper), ``essential="as_zero"`` records it as ``(1, 0)``
(Rieck's code, ``unpairedData=0``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.errors import InputError
from topotheory.result import Result
from topotheory.topology.forest import SpanningForest, maximum_spanning_forest
from topotheory.topology.graphs import _readonly

NORMALIZATIONS = ("per_layer", "per_network", "rieck")
ESSENTIAL = ("drop", "as_zero")


@dataclass(frozen=True, repr=False)
class PersistenceDiagram(Result):
    """A zeroth-order persistence diagram (births >= deaths: a super-level filtration).

    Attributes
    ----------
    births, deaths : numpy.ndarray
        float64 coordinates of the points; births are all 1.
    edge_index : numpy.ndarray
        int64 flat index of the forest edge behind each point, ``-1`` for essential points.
    essential : {"drop", "as_zero"}
        How essential classes are represented.
    n_essential : int
        Number of essential classes (components of the graph), recorded even when dropped.
    w_max : float
        The ``|w|`` that was mapped to ``w' = 1``.
    normalization : str
        ``"per_layer"``, ``"per_network"`` or ``"rieck"``.

    Examples
    --------
    >>> d = persistence_diagram(np.array([[4.0, 1.0], [2.0, 0.5]]))
    >>> d.deaths.tolist(), d.persistence.tolist()
    ([1.0, 0.5, 0.25], [0.0, 0.5, 0.75])
    >>> d
    PersistenceDiagram(births=float64[3] [1, 1, 1], deaths=float64[3] [1, 0.5, 0.25], edge_index=int64[3] [0, 2, 1], essential='drop', n_essential=1, w_max=4.0, normalization='per_layer')

    ``to_dict()`` gives plain JSON types, ``to_frame()`` a pandas table (one row per point).
    """

    births: np.ndarray
    deaths: np.ndarray
    edge_index: np.ndarray
    essential: str
    n_essential: int
    w_max: float
    normalization: str = "per_layer"

    def __len__(self) -> int:
        return int(self.births.size)

    def _columns(self) -> dict[str, np.ndarray]:
        """One row per point: birth, death, persistence and the forest edge behind it."""
        return {"birth": self.births, "death": self.deaths, "persistence": self.persistence,
                "edge_index": self.edge_index}

    @property
    def persistence(self) -> np.ndarray:
        """``birth - death`` of every point (non-negative)."""
        return self.births - self.deaths

    def p_norm(self, p: float = 2.0) -> float:
        """``(sum persistence^p)^(1/p)``; ``p = inf`` gives the largest persistence.

        Examples
        --------
        >>> persistence_diagram(np.array([[4.0, 1.0, 2.0]])).p_norm(1)
        1.25
        """
        _check_p(p)
        pers = self.persistence
        if pers.size == 0:
            return 0.0
        if np.isinf(p):
            return float(pers.max())
        top = float(pers.max())
        if top == 0.0:
            return 0.0
        # Scaled so nothing overflows on the way: top * (sum (pers/top)^p)^(1/p).
        log_norm = math.log(top) + math.log(float(np.sum((pers / top) ** p))) / p
        if log_norm > _LOG_FLOAT_MAX:
            raise InputError(
                f"the p-norm of this diagram ({pers.size} points) is about 10^{log_norm / math.log(10):.3g}, "
                "beyond the float64 range",
                argument="p", value=p, fix="use a larger p (p=1 or p=2, the paper's default)",
            )
        return float(top * float(np.sum((pers / top) ** p)) ** (1.0 / p))

    def as_array(self) -> np.ndarray:
        """``(q, 2)`` array of ``(birth, death)`` rows."""
        return np.column_stack([self.births, self.deaths])


_LOG_FLOAT_MAX = math.log(np.finfo(np.float64).max)


def _check_p(p: float) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not p > 0:
        raise InputError(
            "must be a positive number", argument="p", value=p,
            fix="use p=2 (the paper's default), p=1, or inf",
        )


def resolve_conventions(
    normalization: str, w_max: float | None, essential: str | None, drop_zero_length: bool | None
) -> tuple[str, bool]:
    """Validate the convention arguments; return (essential, drop_zero_length) defaults.

    Examples
    --------
    >>> resolve_conventions("rieck", 1.0, None, None)
    ('as_zero', True)
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization={normalization!r}: choose one of {NORMALIZATIONS}")
    if normalization != "per_layer" and w_max is None:
        raise ValueError(
            f"normalization={normalization!r} needs w_max= (the largest |w| over all layers of the "
            "network); network_neural_persistence computes it for you"
        )
    if w_max is not None and not (np.isfinite(w_max) and w_max > 0):
        raise ValueError(f"w_max={w_max!r} must be a positive finite number")
    rieck = normalization == "rieck"
    essential = essential if essential is not None else ("as_zero" if rieck else "drop")
    if essential not in ESSENTIAL:
        raise ValueError(f"essential={essential!r}: choose one of {ESSENTIAL}")
    drop = rieck if drop_zero_length is None else bool(drop_zero_length)
    return essential, drop


def diagram_from_forest(
    forest: SpanningForest,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
) -> PersistenceDiagram:
    """Build the diagram from an already computed maximum spanning forest.

    Examples
    --------
    >>> f = maximum_spanning_forest(np.array([[2.0, 1.0]]))
    >>> diagram_from_forest(f, essential="as_zero").deaths.tolist()
    [1.0, 0.5, 0.0]
    """
    essential, drop = resolve_conventions(normalization, w_max, essential, drop_zero_length)
    if w_max is None:
        if forest.size == 0 or forest.weights[0] == 0:
            raise ValueError(
                "the layer has no non-zero edge, so w' = |w| / max|w| is undefined; neural "
                "persistence of an all-zero layer is not defined (pass w_max= to fix a scale)"
            )
        w_max = float(forest.weights[0])
    deaths = forest.weights / w_max
    if normalization == "per_layer" and deaths.size and deaths.max() > 1.0:
        raise InputError(
            f"is smaller than this layer's largest |w| ({float(forest.weights[0])!r}), which "
            "would give negative persistences",
            argument="w_max", value=w_max,
            fix="pass the largest |w| over all layers of the network (at least this layer's)",
        )
    edges = forest.edge_index
    if drop:
        keep = deaths < 1.0
        deaths, edges = deaths[keep], edges[keep]
    if essential == "as_zero":
        deaths = np.concatenate([deaths, np.zeros(forest.n_components)])
        edges = np.concatenate([edges, np.full(forest.n_components, -1, dtype=np.int64)])
    return PersistenceDiagram(
        births=_readonly(np.ones(deaths.size)),
        deaths=_readonly(deaths.astype(np.float64)),
        edge_index=_readonly(edges.astype(np.int64)),
        essential=essential,
        n_essential=int(forest.n_components),
        w_max=float(w_max),
        normalization=normalization,
    )


def persistence_diagram(
    graph: Any,
    *,
    mask: Any = None,
    zero_weights: str = "present",
    normalization: str = "per_layer",
    w_max: float | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
) -> PersistenceDiagram:
    """The zeroth-order persistence diagram of a layer.

    Parameters
    ----------
    graph : array_like, torch.Tensor, scipy.sparse matrix, ConvToeplitzGraph or EdgeListGraph
        The layer (dense weights in torch layout ``(m_out, n_in)``).
    mask, zero_weights
        Which edges are present; see :func:`maximum_spanning_forest`.
    normalization : {"per_layer", "per_network", "rieck"}
        ``w_max`` of the layer (paper), or of the network (``w_max=`` required).
        ``"rieck"`` also defaults ``essential="as_zero"`` and ``drop_zero_length=True``.
    w_max : float, optional
        The network-wide maximum for ``"per_network"`` / ``"rieck"``.
    essential : {"drop", "as_zero"}, optional
        Essential classes omitted (paper) or kept as ``(1, 0)`` (Rieck's code).
    drop_zero_length : bool, optional
        Drop points with ``birth == death``.

    Returns
    -------
    PersistenceDiagram

    Raises
    ------
    ValueError
        On bad weights, an all-zero layer, or inconsistent convention arguments.

    Examples
    --------
    >>> W = np.array([[1.0, -0.5], [0.25, 0.0]])
    >>> persistence_diagram(W).deaths.tolist()
    [1.0, 0.5, 0.25]
    >>> persistence_diagram(W, normalization="rieck", w_max=2.0).deaths.tolist()
    [0.5, 0.25, 0.125, 0.0]
    """
    resolve_conventions(normalization, w_max, essential, drop_zero_length)
    forest = maximum_spanning_forest(graph, mask=mask, zero_weights=zero_weights)
    return diagram_from_forest(
        forest,
        normalization=normalization,
        w_max=w_max,
        essential=essential,
        drop_zero_length=drop_zero_length,
    )
