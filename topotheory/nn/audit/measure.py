"""Per-layer measurements of the audit: forest, NP, TCCR, top-k/MST overlap, T-IMP keep.

Every quantity comes from the topology core (:mod:`topotheory.topology`): one exact
maximum spanning forest per layer (dense: the core's filter-Kruskal/Prim; convolution: the
core's Toeplitz dispatch on the WHOLE layer's graph -- parameter-grouped Kruskal, 1x1
kernels as their dense channel blocks, unread trailing inputs cropped -- every channel
pair, groups, stride, padding and dilation as traced, padded positions as nodes, zero
weights present edges). From that one forest:

* **NP**: the diagram's 2-norm under the paper's per-layer convention (``w' = |w| / max
  of the layer``) and Rieck's network convention (``w' = |w| / max of the audited
  network``, essential class ``(1, 0)`` kept, zero-length points dropped), each also
  normalised by ``sqrt(|V| - 1)`` as Rieck's code does;
* **TCCR**: Theorem 3.2's formula (conv: one channel pair), the exact ratio on one channel
  pair, the exact whole-layer ratio ``|E| / |MSF|``, and for convolutions the
  parameter-level ratio ``#kernel parameters / #distinct parameters the forest uses``;
* **overlap**: ``|top-k ∩ MSF|`` with ``k = |MSF|`` under the tie rule (``|w|``
  descending, then flat edge index ascending). For a convolution it is read off the
  forest without listing the layer's edges: each parameter owns ``N_out`` consecutive
  ranks, so an edge's rank is ``(position of its parameter) * N_out + output position``;
  only a run of tied parameters that straddles rank ``k`` has its edges listed;
* **T-IMP keep**: the parameters whose removal would change the diagram: the forest's
  edges (dense) or the distinct kernel parameters it uses (conv).

Examples
--------
>>> import numpy as np
>>> from topotheory.nn.audit.measure import dense_forest_measures
>>> m = dense_forest_measures(np.array([[0.9, 0.1], [0.2, 0.8]]), w_network=0.9)
>>> m.forest_size, m.overlap_count, m.keep
(3, 3, 3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from topotheory.nn.trace import ConvSpec
from topotheory.result import Result
from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest, topk_mst_overlap
from topotheory.topology._toeplitz_kernels import _param_edges
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.diagram import diagram_from_forest
from topotheory.topology.forest import SpanningForest


@dataclass(frozen=True, repr=False)
class ForestMeasures(Result):
    """What one exact forest of a layer gives (see the module docstring)."""

    n_nodes: int
    n_edges: int
    forest_size: int
    n_components: int
    np_paper: float
    np_rieck: float
    overlap_k: int
    overlap_count: int
    keep: int

    @property
    def np_paper_normalized(self) -> float:
        """``np_paper / sqrt(|V| - 1)`` (Rieck's code's normalisation)."""
        return self.np_paper / math.sqrt(self.n_nodes - 1) if self.n_nodes > 1 else 0.0

    @property
    def np_rieck_normalized(self) -> float:
        """``np_rieck / sqrt(|V| - 1)``."""
        return self.np_rieck / math.sqrt(self.n_nodes - 1) if self.n_nodes > 1 else 0.0

    @property
    def overlap_fraction(self) -> float:
        """``overlap_count / k`` (the paper's ``X``)."""
        return self.overlap_count / self.overlap_k if self.overlap_k else 1.0

    @property
    def tccr(self) -> float:
        """Exact whole-layer ``|E| / |MSF|``."""
        return self.n_edges / self.forest_size if self.forest_size else math.inf


def _np_values(forest: SpanningForest, w_network: float) -> tuple[float, float]:
    """NP under both conventions; NaN where ``w' = |w| / max|w|`` is undefined (all zero)."""
    if forest.size == 0 or forest.weights[0] == 0:
        return math.nan, (math.nan if w_network == 0 else 0.0)
    paper = diagram_from_forest(forest).p_norm(2.0)
    rieck = diagram_from_forest(forest, normalization="rieck", w_max=w_network).p_norm(2.0)
    return float(paper), float(rieck)


def dense_forest_measures(weight: np.ndarray, *, w_network: float) -> ForestMeasures:
    """Forest, NP, overlap and T-IMP keep of a dense ``(n_out, n_in)`` layer.

    Examples
    --------
    >>> import numpy as np
    >>> m = dense_forest_measures(np.array([[0.9, 0.8, 0.1], [0.7, 0.6, 0.2]]), w_network=1.0)
    >>> m.overlap_k, m.overlap_count, round(m.tccr, 3)
    (4, 3, 1.5)
    """
    forest = maximum_spanning_forest(weight)
    overlap = topk_mst_overlap(weight, forest.size)
    paper, rieck = _np_values(forest, w_network)
    return ForestMeasures(
        n_nodes=forest.n_nodes, n_edges=int(weight.size), forest_size=forest.size,
        n_components=forest.n_components, np_paper=paper, np_rieck=rieck,
        overlap_k=overlap.k, overlap_count=overlap.count, keep=forest.size,
    )


def conv_graph(spec: ConvSpec, weight: np.ndarray | None = None) -> ConvToeplitzGraph:
    """The whole layer's Toeplitz graph of a traced conv (optionally with other weights).

    Examples
    --------
    >>> import torch
    >>> from topotheory.nn.trace import trace_model
    >>> spec = trace_model(torch.nn.Conv2d(2, 4, 3, padding=1), (2, 5, 5)).layers[0]
    >>> conv_graph(spec).n_edges
    1800
    """
    return conv_toeplitz_graph(
        spec.weight if weight is None else weight,
        (spec.in_channels, *spec.input_spatial),
        stride=spec.stride, padding=spec.padding_pairs, dilation=spec.dilation,
        groups=spec.groups,
    )


def _group_flats(graph: ConvToeplitzGraph, params: np.ndarray) -> np.ndarray:
    """Flat edge indices of every edge of the given kernel parameters (the core's numbering)."""
    p_out = math.prod(graph.output_spatial)
    geom = graph.geometry_array()
    flat = np.empty(p_out, dtype=np.int64)
    u = np.empty(p_out, dtype=np.int64)
    v = np.empty(p_out, dtype=np.int64)
    out = []
    for p in params:
        count = _param_edges(int(p), geom, graph.n_inputs, flat, u, v)
        out.append(flat[:count].copy())
    return np.concatenate(out)


def conv_topk_count(graph: ConvToeplitzGraph, forest: SpanningForest, k: int) -> int:
    """``|top-k ∩ MSF|`` of a conv layer from its forest, without listing its edges.

    Equals :func:`topotheory.topology.topk_mst_overlap` on the same graph (tested).

    Examples
    --------
    >>> import numpy as np
    >>> from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest
    >>> g = conv_toeplitz_graph(np.array([[[3.0, 1.0, 2.0]]]), (1, 5), padding=1)
    >>> conv_topk_count(g, maximum_spanning_forest(g), 4)
    4
    """
    if not graph.include_padding:
        raise ValueError("conv_topk_count needs include_padding=True (N_out edges per parameter)")
    if forest.param_index is None:
        raise ValueError("forest has no param_index; compute it from the Toeplitz graph")
    mags = np.abs(graph.weight.ravel()).astype(np.float64)
    p_out = math.prod(graph.output_spatial)
    # each parameter owns p_out consecutive ranks (|w| descending, then parameter index);
    # the parameter at sorted position k // p_out holds rank k, the first one outside top-k
    cut = k // p_out
    if cut >= mags.size:
        return forest.size
    threshold = float(-np.partition(-mags, cut)[cut])
    greater = int((mags > threshold).sum())
    f_mags = mags[forest.param_index]
    count = int((f_mags > threshold).sum())
    inside = f_mags == threshold
    if not inside.any():
        return count
    base = greater * p_out  # rank of the first edge of the tied run holding rank k
    tied = np.flatnonzero(mags == threshold)  # ascending parameter index: the tie order
    r = k - base
    if tied.size == 1:
        o = (forest.v[inside] - graph.n_inputs) % p_out
        return count + int((base + o < k).sum())
    if r <= 0:
        return count
    flats = np.sort(_group_flats(graph, tied))
    return count + int((forest.edge_index[inside] <= flats[r - 1]).sum())


def conv_forest_measures(
    spec: ConvSpec, *, w_network: float, weight: np.ndarray | None = None
) -> tuple[ForestMeasures, SpanningForest, ConvToeplitzGraph]:
    """Forest, NP, overlap and T-IMP keep of a whole conv layer.

    The forest is :func:`topotheory.topology.maximum_spanning_forest` of the whole layer's
    graph (:func:`conv_graph`), which is returned with it.

    Examples
    --------
    >>> import torch
    >>> from topotheory.nn.trace import trace_model
    >>> spec = trace_model(torch.nn.Conv2d(1, 2, 3, padding=1), (1, 6, 6)).layers[0]
    >>> m, forest, graph = conv_forest_measures(spec, w_network=1.0)
    >>> m.n_nodes, m.forest_size == m.n_nodes - m.n_components
    (136, True)
    """
    graph = conv_graph(spec, weight)
    forest = maximum_spanning_forest(graph)
    paper, rieck = _np_values(forest, w_network)
    count = conv_topk_count(graph, forest, forest.size)
    return ForestMeasures(
        n_nodes=forest.n_nodes, n_edges=graph.n_edges, forest_size=forest.size,
        n_components=forest.n_components, np_paper=paper, np_rieck=rieck,
        overlap_k=forest.size, overlap_count=count, keep=int(forest.used_parameters().size),
    ), forest, graph
