"""Maximum spanning forests under topotheory's tie rule.

Algorithms
----------
dense layers (``method="auto"``)
    Prim up to 1500 nodes (about 750x750) and on thin layers (see :func:`prefer_prim`);
    above, filter-Kruskal: a deterministic sample of the weights sets a threshold that
    keeps about ``(n+m)(ln(n+m)+3)`` edges; one pass collects them, Kruskal runs on that
    short list, and if the forest does not yet span, the components are contracted and the
    best remaining edge between every pair of components (one more pass) finishes the job.
    O(n m) work, no sort of all edges, extra memory O(n + m + C^2). Heavily tied weights
    fall back to Prim. The measured crossover is in :mod:`topotheory.topology._kernels`.
    Masked layers take the same route (absent edges have key 0): sorting the present edges
    as an edge list was slower at every density measured (0.5 % to 30 %, 256 to 2048).
``method="prim"``
    Prim's algorithm on the dense matrix, O((n+m)^2) time, one integer copy of the
    weights (O(n m) memory).
``method="kruskal"``
    Sort all edges (the reference; O(E log E)).
sparse / edge-list graphs
    Kruskal on the stably sorted edge list.
Toeplitz (convolution) graphs
    Kruskal one kernel parameter at a time: the edges sharing a parameter share a weight, so
    only the parameters are sorted, never the edges. Two exact reductions first
    (:mod:`topotheory.topology.toeplitz_reductions`): a 1x1 kernel is the dense forest of
    each group's channel block repeated at every output position, and trailing input
    positions no window reads are cropped (isolated nodes) so the Kruskal stops early.

With the strict total order of the tie rule the forest is unique, so every method returns
the same edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.result import Result
from topotheory.topology import _kernels as K
from topotheory.topology._toeplitz_kernels import toeplitz_kruskal
from topotheory.topology._validation import (
    as_mask,
    as_weight_matrix,
    check_zero_weights,
    refuse_non_finite,
)
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.graphs import EdgeListGraph, _readonly
from topotheory.topology.toeplitz_reductions import (
    channel_blocks,
    crop_unread_inputs,
    is_pointwise,
    pointwise_forest_edges,
    uncrop_input_nodes,
)

_METHODS = ("auto", "filter_kruskal", "prim", "kruskal")


@dataclass(frozen=True, repr=False)
class SpanningForest(Result):
    """A maximum spanning forest, its edges in tie-rule (Kruskal) order.

    Attributes
    ----------
    n_nodes : int
        Number of nodes of the graph.
    n_components : int
        Connected components of the graph (isolated nodes included).
    edge_index : numpy.ndarray
        int64 flat edge indices of the forest edges.
    u, v : numpy.ndarray
        int64 end points (bipartite layers: ``u`` the input node, ``v = n_in + i_out``).
    weights : numpy.ndarray
        float64 ``|w|`` of each edge, non-increasing.
    param_index : numpy.ndarray or None
        The shared parameter behind each edge (convolution, recurrent graphs).
    n_inputs : int or None
        Number of input nodes of a bipartite layer.

    Examples
    --------
    >>> f = maximum_spanning_forest(np.array([[3.0, 1.0], [2.0, 0.5]]))
    >>> f.size, f.edge_index.tolist(), f.weights.tolist()
    (3, [0, 2, 1], [3.0, 2.0, 1.0])
    >>> f
    SpanningForest(n_nodes=4, n_components=1, edge_index=int64[3] [0, 2, 1], u=int64[3] [0, 0, 1], v=int64[3] [2, 3, 2], weights=float64[3] [3, 2, 1], param_index=None, n_inputs=2, size=3)

    ``to_dict()`` gives plain JSON types, ``to_frame()`` a pandas table (one row per edge).
    """

    n_nodes: int
    n_components: int
    edge_index: np.ndarray
    u: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    param_index: np.ndarray | None = None
    n_inputs: int | None = None

    _repr_extra = ("size",)

    def _columns(self) -> dict[str, np.ndarray]:
        """One row per forest edge, in tie-rule order."""
        columns = {"edge_index": self.edge_index, "u": self.u, "v": self.v,
                   "weight": self.weights}
        if self.param_index is not None:
            columns["param_index"] = self.param_index
        return columns

    @property
    def size(self) -> int:
        """Number of forest edges, ``n_nodes - n_components``."""
        return int(self.edge_index.size)

    @property
    def is_spanning_tree(self) -> bool:
        """True when the graph is connected (the forest is a tree)."""
        return self.n_components == 1

    def edge_set(self) -> frozenset[int]:
        """The forest's flat edge indices as a set."""
        return frozenset(self.edge_index.tolist())

    def used_parameters(self) -> np.ndarray:
        """Sorted distinct shared parameters used by the forest (needs ``param_index``).

        Examples
        --------
        >>> from topotheory.topology.recurrent import recurrent_unrolled_graph
        >>> f = maximum_spanning_forest(recurrent_unrolled_graph(np.eye(2) + 0.1, 2))
        >>> f.used_parameters().tolist()
        [0, 1, 3]
        """
        if self.param_index is None:
            raise ValueError(
                "this forest has no param_index (dense layers have one parameter per edge)"
            )
        return np.unique(self.param_index)


def _make_forest(n_nodes, edge_index, u, v, mags, param=None, n_inputs=None) -> SpanningForest:
    order = np.lexsort((edge_index, -mags))
    return SpanningForest(
        n_nodes=int(n_nodes),
        n_components=int(n_nodes - edge_index.size),
        edge_index=_readonly(edge_index[order].astype(np.int64, copy=False)),
        u=_readonly(u[order].astype(np.int64, copy=False)),
        v=_readonly(v[order].astype(np.int64, copy=False)),
        weights=_readonly(mags[order].astype(np.float64, copy=False)),
        param_index=None if param is None else _readonly(param[order].astype(np.int64, copy=False)),
        n_inputs=n_inputs,
    )


#: Prim up to this many nodes (about 750x750), filter-Kruskal above; the measured curve
#: behind it is in :mod:`topotheory.topology._kernels`.
PRIM_MAX_NODES = 1500
#: Thin layers up to this many nodes also run Prim when filter-Kruskal would collect every
#: edge anyway (32x2000: Prim 0.8 ms, filter-Kruskal 13 ms).
PRIM_MAX_NODES_THIN = 6000


def _filter_target(n_nodes: int) -> int:
    """Edges filter-Kruskal collects: enough to span a random layer with high probability."""
    return int(n_nodes * (math.log(n_nodes) + 3.0)) + 64


def prefer_prim(m: int, n: int) -> bool:
    """Whether ``method="auto"`` runs Prim (else filter-Kruskal) on an ``m x n`` layer.

    Examples
    --------
    >>> prefer_prim(256, 256), prefer_prim(1024, 1024), prefer_prim(32, 2000)
    (True, False, True)
    """
    nodes = n + m
    if nodes <= PRIM_MAX_NODES:
        return True
    return nodes <= PRIM_MAX_NODES_THIN and 4 * _filter_target(nodes) >= m * n


def _kernel_inputs(w: np.ndarray, mask_arr: np.ndarray | None) -> tuple:
    """The integer view and bit constants the dense kernels read (no copy)."""
    view, sign_mask, inf_bits = K.bit_constants(w.dtype)
    mask_kernel = _NO_MASK if mask_arr is None else mask_arr
    return w.view(view), sign_mask, inf_bits, mask_kernel


_NO_MASK = np.ones((1, 1), dtype=bool)


def _readonly_forest(w, packed) -> SpanningForest:
    """A dense layer's forest from the packed arrays of the kernels (tie-rule order)."""
    m, n = w.shape
    packed.flags.writeable = False
    index, u, v, bits = packed
    size = index.size
    return SpanningForest(n + m, n + m - size, index, u, v, bits.view(np.float64), None, n)


def _dense_prim(w, mask_arr, zero_absent, name) -> SpanningForest:
    has_mask = mask_arr is not None
    packed = K.dense_prim_forest(w, mask_arr if has_mask else _NO_MASK, has_mask, zero_absent)
    if packed.shape[0] == 0:
        refuse_non_finite(w, name)
    return _readonly_forest(w, packed)


def dense_prim_norm_parts(
    w: np.ndarray, mask_arr: np.ndarray | None, zero_absent: bool, p: float,
    name: str = "weights",
) -> tuple[int, float, float, float]:
    """Prim's forest of a validated dense layer reduced to neural persistence's parts.

    ``(points, w_max, top, total)`` as :func:`topotheory.topology._kernels.dense_prim_norm_parts`
    (``p`` 1 or 2), refusing non-finite weights: neural persistence's small-layer path,
    without the forest's index arrays.
    """
    has_mask = mask_arr is not None
    parts = K.dense_prim_norm_parts(w, mask_arr if has_mask else _NO_MASK, has_mask, zero_absent, p)
    if parts[0] < 0:
        refuse_non_finite(w, name)
    return parts


def _dense_filter_kruskal(w, mask_arr, zero_absent, name) -> SpanningForest | None:
    """Filter-Kruskal; None requests the Prim fallback (massive ties at the threshold)."""
    m, n = w.shape
    bits, sign_mask, inf_bits, mask_kernel = _kernel_inputs(w, mask_arr)
    has_mask = mask_arr is not None
    n_nodes = n + m
    size = m * n
    target = _filter_target(n_nodes)
    take_all = 4 * target >= size
    if take_all:
        threshold = 0  # small layer: every present edge
        cap = size
    else:
        samples = min(size, 1 << 14)
        positions = (np.arange(samples, dtype=np.int64) * size) // samples
        sample = (bits.reshape(-1)[positions] & sign_mask).astype(np.int64) + 1
        if has_mask:
            sample = sample[mask_arr.reshape(-1)[positions]]  # absent edges never count
        if zero_absent:
            sample = sample[sample > 1]
        # Keep about ``target`` of the ``size`` edges: the sample's top target/size share.
        rank = sample.size - 1 - (target * samples) // size
        threshold = int(np.partition(sample, rank)[rank]) if rank >= 0 else 0
        cap = 4 * target + 4096
    idx = np.empty(cap, dtype=np.int64)
    keys = np.empty(cap, dtype=np.int64)
    count, finite = K.dense_collect(
        bits, sign_mask, inf_bits, mask_kernel, has_mask, zero_absent, threshold, cap, idx, keys
    )
    if not finite:
        refuse_non_finite(w, name)
    if count > cap:
        return None  # massive ties at the threshold: Prim is exact and bounded
    idx, keys = idx[:count], keys[:count]
    order = np.argsort(-keys, kind="stable")  # collected in ascending flat index
    parent = np.arange(n_nodes, dtype=np.int64)
    out = np.empty(n_nodes, dtype=np.int64)
    taken = K.kruskal_bipartite(n, m, idx, order, parent, out)
    if taken < n_nodes - 1 and not take_all:
        label, n_comp = K.component_labels(parent)
        if n_comp > 2048:
            return None
        best_key, best_idx = K.dense_best_between_components(
            bits, sign_mask, mask_kernel, has_mask, zero_absent, threshold, label, n_comp
        )
        found = best_idx >= 0
        cand_idx = best_idx[found]
        order2 = np.lexsort((cand_idx, -best_key[found]))
        # Every candidate lies below the threshold, so these come after the first edges
        # in tie-rule order: the concatenation stays sorted.
        taken += K.kruskal_bipartite(n, m, cand_idx, order2, parent, out[taken:])
    return _readonly_forest(w, K.bipartite_forest_arrays(w, out[:taken], True))


def _dense_forest(weights, mask, zero_weights, method) -> SpanningForest:
    w = as_weight_matrix(weights, check_finite=False)  # the kernels' pass checks finiteness
    mask_arr = as_mask(mask, w.shape)
    zero_absent = zero_weights == "absent"
    if method == "kruskal":
        return _edge_list_forest(
            EdgeListGraph.from_dense(w, mask=mask_arr, zero_weights=zero_weights)
        )
    m, n = w.shape
    if method == "filter_kruskal" or (method == "auto" and not prefer_prim(m, n)):
        forest = _dense_filter_kruskal(w, mask_arr, zero_absent, "weights")
        if forest is not None:
            return forest
    return _dense_prim(w, mask_arr, zero_absent, "weights")


def _edge_list_forest(graph: EdgeListGraph, zero_weights: str = "present") -> SpanningForest:
    mags = np.abs(graph.weights)
    keep = np.flatnonzero(mags != 0) if zero_weights == "absent" else None
    u, v, idx, param = graph.u, graph.v, graph.edge_index, graph.param_index
    if keep is not None:
        u, v, idx, mags = u[keep], v[keep], idx[keep], mags[keep]
        param = None if param is None else param[keep]
    order = np.argsort(-mags, kind="stable")
    out = np.empty(max(graph.n_nodes - 1, 0), dtype=np.int64)
    taken, _ = K.kruskal_edges(graph.n_nodes, u, v, order, out, graph.n_nodes)
    pos = out[:taken]
    return _make_forest(
        graph.n_nodes,
        idx[pos],
        u[pos],
        v[pos],
        mags[pos],
        None if param is None else param[pos],
        graph.n_inputs,
    )


def _toeplitz_kruskal(graph: ConvToeplitzGraph, zero_weights: str) -> SpanningForest:
    mags = np.abs(graph.weight.ravel()).astype(np.float64)
    order = np.argsort(-mags, kind="stable")
    flat, u, v, param, fmag, _ = toeplitz_kruskal(
        mags,
        order,
        graph.geometry_array(),
        graph.n_inputs,
        graph.n_nodes,
        math.prod(graph.output_spatial),
        zero_weights == "absent",
    )
    return _make_forest(graph.n_nodes, flat, u, v, fmag, param, graph.n_inputs)


def _toeplitz_forest(graph: ConvToeplitzGraph, zero_weights: str) -> SpanningForest:
    """The Toeplitz dispatch: a 1x1 conv from its dense blocks, unread inputs cropped."""
    if is_pointwise(graph):
        blocks = [_dense_forest(block, None, zero_weights, "auto") for block in channel_blocks(graph)]
        edge, u, v, mags, param = pointwise_forest_edges(graph, [(b.u, b.v) for b in blocks])
        return SpanningForest(graph.n_nodes, int(graph.n_nodes - edge.size), _readonly(edge),
                              _readonly(u), _readonly(v), _readonly(mags), _readonly(param),
                              graph.n_inputs)
    cropped = crop_unread_inputs(graph)
    if cropped is None:
        return _toeplitz_kruskal(graph, zero_weights)
    forest = _toeplitz_kruskal(cropped, zero_weights)
    u = uncrop_input_nodes(forest.u, cropped, graph)
    v = forest.v + (graph.n_inputs - cropped.n_inputs)
    edge = (v - graph.n_inputs) * graph.n_inputs + u
    return SpanningForest(graph.n_nodes, int(graph.n_nodes - edge.size), _readonly(edge),
                          _readonly(u), _readonly(v), forest.weights, forest.param_index,
                          graph.n_inputs)


def maximum_spanning_forest(
    graph: Any,
    *,
    mask: Any = None,
    zero_weights: str = "present",
    method: str = "auto",
) -> SpanningForest:
    """The maximum spanning forest of a layer's graph under the tie rule.

    Edges are ordered by ``|w|`` descending, then flat edge index ascending; with that strict
    order the forest is unique.

    Parameters
    ----------
    graph : array_like, torch.Tensor, scipy.sparse matrix, ConvToeplitzGraph or EdgeListGraph
        A dense layer ``(m_out, n_in)``, a sparse layer (stored entries are edges), the
        Toeplitz graph of a convolution, or any edge-list graph.
    mask : array_like of bool, optional
        For dense layers: True where the edge is present (pruned edges absent).
    zero_weights : {"present", "absent"}
        Whether a weight of exactly 0 is an edge of weight 0 (default, Rieck's convention) or
        no edge.
    method : {"auto", "filter_kruskal", "prim", "kruskal"}
        Dense-layer algorithm (all give the same forest).

    Returns
    -------
    SpanningForest

    Raises
    ------
    ValueError
        On NaN/inf weights, empty or non-2-D arrays, a mask of the wrong shape.

    Examples
    --------
    >>> W = np.array([[0.9, 0.1, 0.4], [0.2, 0.8, 0.3]])
    >>> f = maximum_spanning_forest(W)
    >>> f.size, f.edge_index.tolist()
    (4, [0, 4, 2, 5])
    """
    if method not in _METHODS:
        raise ValueError(f"method={method!r}: choose one of {_METHODS}")
    check_zero_weights(zero_weights)
    if type(graph) is np.ndarray:
        return _dense_forest(graph, mask, zero_weights, method)
    if isinstance(graph, ConvToeplitzGraph):
        if mask is not None:
            raise ValueError(
                "mask= applies to dense layers; zero the pruned kernel parameters instead"
            )
        return _toeplitz_forest(graph, zero_weights)
    if isinstance(graph, EdgeListGraph):
        if mask is not None:
            raise ValueError(
                "mask= applies to dense layers; drop the absent edges from the edge list"
            )
        return _edge_list_forest(graph, zero_weights)
    if hasattr(graph, "tocoo") and hasattr(graph, "nnz"):
        if mask is not None:
            raise ValueError(
                "mask= cannot be combined with a scipy.sparse input (unstored entries are absent)"
            )
        return _edge_list_forest(EdgeListGraph.from_scipy(graph), zero_weights)
    return _dense_forest(graph, mask, zero_weights, method)
