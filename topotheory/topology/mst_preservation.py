"""How much of a dense layer's maximum spanning forest a pruning mask kept.

Given the dense reference weights of a layer (``weight_orig``, the level-0 checkpoint of a
run) and a 0/1 mask of its parameters, :func:`mst_preservation` counts, with the core's
forest (:func:`~topotheory.topology.forest.maximum_spanning_forest`, tie rule ``|w|``
descending then flat index ascending):

* the dense layer's maximum spanning forest and how many of its units the mask kept;
* whether the pruned graph still connects every component of the dense graph;
* the mask's compression against the layer's critical ratios (TCCR).

The unit is the thing a mask keeps or removes:

``"edge"`` (dense layers)
    One parameter is one edge. ``N = n_in * n_out`` edges, ``T = |MSF|`` forest edges,
    ``K`` kept edges, ``X`` kept forest edges.
``"parameter"`` (convolutions, unrolled recurrent layers)
    One parameter is many edges (a kernel weight is one Toeplitz entry per output position;
    ``W_hh`` is repeated at every step). ``N`` = parameters, ``T`` = the distinct parameters
    that the dense forest uses (``forest.used_parameters()``), ``K`` = kept parameters,
    ``X`` = kept parameters among the ``T``. The forest edges whose parameter is kept are
    counted too (:attr:`MstPreservation.forest_edges_kept`), as a description only.

Conventions: exact zeros of the reference are edges of weight 0 (the core's default,
``zero_weights="present"``); the mask alone decides what is pruned, and a kept parameter
of value 0 stays an edge. T-IMP (:mod:`topotheory.nn.prune`) keeps the forest of the
unpruned edges before anything else, so at a kept count ``K >= T`` it keeps every forest
unit by construction; below, with ``on_conflict="truncate_forest"``, it keeps ``K`` of
them: :attr:`MstPreservation.timp_kept_fraction` is ``min(1, K / T)``.

Examples
--------
>>> import numpy as np
>>> w = np.array([[0.9, 0.1, 0.4], [0.2, 0.8, 0.3]])
>>> p = mst_preservation(w, np.abs(w) >= 0.3)
>>> p
MstPreservation(unit='edge', kept 4 of 4 forest units (100.0%), mask keeps 4 of 6 (66.7%), connected=True)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from topotheory.errors import InputError
from topotheory.result import Result
from topotheory.topology._arraylike import as_numpy
from topotheory.topology._validation import as_mask, as_weight_matrix
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.forest import SpanningForest, maximum_spanning_forest
from topotheory.topology.graphs import EdgeListGraph

if TYPE_CHECKING:
    from topotheory.topology.tccr import GraphCounts

__all__ = ["UNITS", "MstPreservation", "mst_preservation"]

#: What a mask keeps or removes: one edge (dense) or one shared parameter (conv, recurrent).
UNITS: tuple[str, ...] = ("edge", "parameter")


@dataclass(frozen=True, repr=False)
class MstPreservation(Result):
    """MST kept by a mask, for one layer (see the module docstring for the symbols).

    Attributes
    ----------
    unit : {"edge", "parameter"}
        What the counts below count.
    n_units : int
        ``N``: edges of a dense layer, parameters of a conv / recurrent layer.
    kept_units : int
        ``K``: units the mask kept.
    forest_units : int
        ``T``: units of the dense layer's maximum spanning forest (its edges, or the
        distinct parameters its edges use).
    kept_forest_units : int
        ``X``: forest units the mask kept.
    dense : GraphCounts
        Nodes, edges, components and isolated nodes of the dense graph
        (:class:`topotheory.topology.tccr.GraphCounts`; its ``tccr`` is ``|E| / |MSF|``).
    pruned_components : int
        Connected components of the pruned graph (isolated nodes included).
    nontrivial_components : int
        Components of the dense graph with at least one edge.
    components_intact : int
        How many of those the pruned graph still connects.
    forest_edges_kept : int
        Forest edges whose parameter the mask kept (equals ``X`` for dense layers).

    Examples
    --------
    >>> p = mst_preservation(np.array([[3.0, 1.0], [2.0, 0.5]]), [[1, 0], [0, 1]])
    >>> p.forest_units, p.kept_forest_units, p.connected, p.past_critical
    (3, 1, False, True)
    """

    unit: str
    n_units: int
    kept_units: int
    forest_units: int
    kept_forest_units: int
    dense: GraphCounts
    pruned_components: int
    nontrivial_components: int
    components_intact: int
    forest_edges_kept: int

    def __repr__(self) -> str:
        return (
            f"MstPreservation(unit={self.unit!r}, kept {self.kept_forest_units} of "
            f"{self.forest_units} forest units ({self.kept_fraction:.1%}), mask keeps "
            f"{self.kept_units} of {self.n_units} ({self.density:.1%}), "
            f"connected={self.connected})"
        )

    @property
    def kept_fraction(self) -> float:
        """``X / T``: the fraction of the forest's units the mask kept."""
        return self.kept_forest_units / self.forest_units

    @property
    def density(self) -> float:
        """``K / N``: the kept fraction of all units (a random mask's expected ``X / T``)."""
        return self.kept_units / self.n_units

    @property
    def sparsity(self) -> float:
        """``1 - K / N``."""
        return 1.0 - self.density

    @property
    def compression(self) -> float:
        """``N / K`` (``inf`` when the mask keeps nothing)."""
        return self.n_units / self.kept_units if self.kept_units else math.inf

    @property
    def critical_ratio(self) -> float:
        """``N / T``: beyond this compression the mask cannot keep the whole forest.

        Dense layers: the layer's TCCR ``|E| / |MSF|``. Parameter units: the
        parameter-level ratio (``ParameterForest.ratio`` of :mod:`topotheory.topology.tccr`).
        """
        return self.n_units / self.forest_units

    @property
    def tccr(self) -> float:
        """The dense graph's TCCR ``|E| / |MSF|`` in edges (Definition 3.1)."""
        return self.dense.tccr

    @property
    def past_critical(self) -> bool:
        """``K < T``: too few kept units to keep every forest unit (exact comparison)."""
        return self.kept_units < self.forest_units

    @property
    def connected(self) -> bool:
        """The pruned graph has the dense graph's components (no component was split)."""
        return self.pruned_components == self.dense.n_components

    @property
    def forest_size(self) -> int:
        """``|MSF|`` of the dense graph, in edges."""
        return self.dense.forest_size

    @property
    def forest_edge_fraction(self) -> float:
        """Forest edges whose parameter was kept, over ``|MSF|``."""
        return self.forest_edges_kept / self.forest_size

    @property
    def timp_kept_fraction(self) -> float:
        """T-IMP's kept fraction at the same kept count: ``min(1, K / T)`` (module docstring)."""
        return min(1.0, self.kept_units / self.forest_units)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: the counts and the derived ratios (``compression`` is ``None``
        when the mask keeps nothing; no NaN or Infinity).

        Examples
        --------
        >>> mst_preservation(np.ones((2, 2)), np.zeros((2, 2))).to_dict()["compression"] is None
        True
        """
        return {
            "unit": self.unit,
            "n_units": self.n_units,
            "kept_units": self.kept_units,
            "forest_units": self.forest_units,
            "kept_forest_units": self.kept_forest_units,
            "kept_fraction": self.kept_fraction,
            "density": self.density,
            "sparsity": self.sparsity,
            "compression": self.compression if self.kept_units else None,
            "critical_ratio": self.critical_ratio,
            "past_critical": self.past_critical,
            "timp_kept_fraction": self.timp_kept_fraction,
            "n_nodes": self.dense.n_nodes,
            "n_edges": self.dense.n_edges,
            "isolated_nodes": self.dense.isolated_nodes,
            "forest_size": self.forest_size,
            "tccr": self.tccr,
            "dense_components": self.dense.n_components,
            "pruned_components": self.pruned_components,
            "nontrivial_components": self.nontrivial_components,
            "components_intact": self.components_intact,
            "connected": self.connected,
            "forest_edges_kept": self.forest_edges_kept,
            "forest_edge_fraction": self.forest_edge_fraction,
        }


def _component_labels(n_nodes: int, forest: SpanningForest) -> np.ndarray:
    """Component label of every node (a forest has its graph's components)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ones = np.ones(forest.size, dtype=np.int8)
    adjacency = coo_matrix((ones, (forest.u, forest.v)), shape=(n_nodes, n_nodes))
    return connected_components(adjacency, directed=False)[1]


def _refuse_pruned_reference(weights: np.ndarray, kept: np.ndarray, argument: str) -> None:
    """The reference must be dense: zero at every pruned entry but not elsewhere means the
    pruned weights (``weight_orig * mask``) were passed."""
    flat_w, flat_kept = weights.reshape(-1), kept.reshape(-1)
    head = slice(0, 4096)  # usually settles it without a pass over a big layer
    if (flat_w[head][~flat_kept[head]] != 0).any():
        return
    pruned = ~flat_kept
    if pruned.any() and not flat_w[pruned].any() and flat_w[flat_kept].any():
        raise InputError(
            f"is exactly 0 at every one of the {int(pruned.sum())} pruned entries, so it looks "
            "like the pruned weights, whose forest is not the dense layer's",
            argument=argument, value=f"<array of shape {weights.shape}>",
            fix="pass the dense reference weights (weight_orig, the level-0 checkpoint of the "
            "run, or a reference file) and the mask separately",
        )


@dataclass(frozen=True)
class _Layer:
    """One layer reduced to what the counts need; ``pruned_forest()`` is computed on demand."""

    unit: str
    kept: np.ndarray  # bool per unit-parameter, flat
    n_units: int
    n_edges: int
    n_nodes: int
    forest: SpanningForest
    forest_params: np.ndarray  # the parameter behind each forest edge
    pruned_forest: Callable[[], SpanningForest]


def _dense_layer(layer: Any, mask: Any) -> _Layer:
    w = as_weight_matrix(layer, "layer")
    kept = as_mask(mask, w.shape)
    _refuse_pruned_reference(w, kept, "layer")
    forest = maximum_spanning_forest(w)
    return _Layer("edge", kept.reshape(-1), w.size, w.size, w.shape[0] + w.shape[1], forest,
                  forest.edge_index, lambda: maximum_spanning_forest(w, mask=kept))


def _conv_layer(graph: ConvToeplitzGraph, mask: Any) -> _Layer:
    kept = as_mask(mask, graph.weight.shape)
    _refuse_pruned_reference(np.asarray(graph.weight), kept, "layer.weight")
    forest = maximum_spanning_forest(graph)

    def pruned() -> SpanningForest:
        # connectivity only: kept parameters become weight-1 edges, pruned ones absent
        indicator = kept.astype(np.float64)
        indicator.setflags(write=False)
        return maximum_spanning_forest(dataclasses.replace(graph, weight=indicator),
                                       zero_weights="absent")

    return _Layer("parameter", kept.reshape(-1), graph.n_params, graph.n_edges, graph.n_nodes,
                  forest, forest.param_index, pruned)


def _edge_list_layer(graph: EdgeListGraph, mask: Any) -> _Layer:
    if graph.param_index is None:
        raise InputError(
            "is an edge-list graph without param_index, so a parameter mask cannot address "
            "its edges",
            argument="layer", value=graph.description,
            fix="pass a dense array (m_out, n_in) with a mask of its shape, or a graph with "
            "shared parameters (recurrent_unrolled_graph)",
        )
    n_params = int(graph.param_index.max()) + 1 if graph.n_edges else 0
    flat = np.asarray(as_numpy(mask, "mask"))
    kept = as_mask(flat.reshape(-1) if flat.size == n_params else flat, (n_params,))
    weights = np.zeros(n_params)
    weights[graph.param_index] = graph.weights
    _refuse_pruned_reference(weights, kept, "layer.weights")
    forest = maximum_spanning_forest(graph)

    def pruned() -> SpanningForest:
        keep = kept[graph.param_index]
        return maximum_spanning_forest(EdgeListGraph.from_arrays(
            graph.n_nodes, graph.u[keep], graph.v[keep], graph.weights[keep],
            edge_index=graph.edge_index[keep], param_index=graph.param_index[keep],
            n_inputs=graph.n_inputs, description=graph.description,
        ))

    return _Layer("parameter", kept, n_params, graph.n_edges, graph.n_nodes, forest,
                  forest.param_index, pruned)


def mst_preservation(layer: Any, mask: Any) -> MstPreservation:
    """How much of the dense layer's maximum spanning forest ``mask`` kept.

    Parameters
    ----------
    layer : array_like, ConvToeplitzGraph or EdgeListGraph
        The DENSE reference: a dense layer ``(m_out, n_in)`` (torch ``Linear`` layout), the
        Toeplitz graph of a convolution built from the dense kernel
        (:func:`~topotheory.topology.conv.conv_toeplitz_graph`), or an unrolled recurrent
        graph (:func:`~topotheory.topology.recurrent.recurrent_unrolled_graph`).
    mask : array_like of bool or 0/1
        True (1) where the parameter is kept: the shape of the dense weights, of the
        convolution's kernel ``(C_out, C_in/groups, *kernel)``, or of ``W_hh`` ``(h, h)``.

    Returns
    -------
    MstPreservation

    Raises
    ------
    ValueError
        On a non-binary mask or one of the wrong shape, on reference weights that are zero
        exactly where the mask prunes (the pruned weights passed as the reference), on
        NaN/inf weights.

    Examples
    --------
    >>> from topotheory.topology import conv_toeplitz_graph
    >>> g = conv_toeplitz_graph(np.array([[[3.0, -2.0, 1.0]]]), (1, 5), padding=1)
    >>> p = mst_preservation(g, [[[1, 0, 1]]])
    >>> p.unit, p.n_units, p.forest_units, p.kept_forest_units, p.connected
    ('parameter', 3, 3, 2, False)
    """
    from topotheory.topology.tccr import GraphCounts

    if isinstance(layer, ConvToeplitzGraph):
        parts = _conv_layer(layer, mask)
    elif isinstance(layer, EdgeListGraph):
        parts = _edge_list_layer(layer, mask)
    else:
        parts = _dense_layer(layer, mask)
    kept, dense_forest = parts.kept, parts.forest
    dense_labels = _component_labels(parts.n_nodes, dense_forest)
    sizes = np.bincount(dense_labels)
    nontrivial = sizes >= 2
    edges_kept = int(kept[parts.forest_params].sum())
    if edges_kept == dense_forest.size:  # the pruned graph contains the dense forest
        pruned_components, intact = dense_forest.n_components, nontrivial
    else:
        pruned = parts.pruned_forest()
        pruned_components = pruned.n_components
        # a dense component is intact when all its nodes share one pruned label
        pairs = dense_labels.astype(np.int64) * parts.n_nodes + _component_labels(
            parts.n_nodes, pruned)
        pieces = np.bincount(np.unique(pairs) // parts.n_nodes, minlength=sizes.size)
        intact = nontrivial & (pieces == 1)
    used = np.unique(parts.forest_params)
    return MstPreservation(
        unit=parts.unit,
        n_units=int(parts.n_units),
        kept_units=int(kept.sum()),
        forest_units=int(used.size),
        kept_forest_units=int(kept[used].sum()),
        dense=GraphCounts(int(parts.n_nodes), int(parts.n_edges), dense_forest.n_components,
                          int((sizes == 1).sum())),
        pruned_components=int(pruned_components),
        nontrivial_components=int(nontrivial.sum()),
        components_intact=int(intact.sum()),
        forest_edges_kept=edges_kept,
    )
