"""Overlap between a layer's top-k weights and its maximum spanning forest.

Kruskal visits edges in tie-rule order and keeps an edge exactly when it joins two
components, so among the first ``k`` edges it keeps ``|V| - c_k`` of them, where ``c_k`` is
the number of components of the graph formed by those ``k`` edges alone:
``|top-k ∩ MSF| = |V| - c_k``. No sort is needed: a linear-time selection and one
union-find pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from topotheory.result import Result
from topotheory.topology import _kernels as K
from topotheory.topology._validation import as_mask, as_weight_matrix, check_zero_weights
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.graphs import EdgeListGraph
from topotheory.topology.ordering import edge_order, topk_indices


@dataclass(frozen=True, repr=False)
class TopkOverlap(Result):
    """``|top-k ∩ MSF|`` of a layer.

    Attributes
    ----------
    k : int
        Number of top edges taken.
    count : int
        How many of them lie in the maximum spanning forest.
    fraction : float
        ``count / k`` (the paper's ``X``); ``fraction_exact`` is the same as a Fraction.
    mst_size : int
        Size of the maximum spanning forest.
    n_nodes : int
        Number of nodes.

    Examples
    --------
    >>> r = topk_mst_overlap(np.array([[0.9, 0.8, 0.1], [0.7, 0.6, 0.2]]))
    >>> r
    TopkOverlap(k=4, count=3, fraction=0.75, mst_size=4, n_nodes=5)
    >>> r.fraction_exact, r.to_dict()["fraction_exact"]
    (Fraction(3, 4), '3/4')
    """

    k: int
    count: int
    fraction: float
    mst_size: int
    n_nodes: int

    _dict_extra = ("fraction_exact",)

    @property
    def fraction_exact(self) -> Fraction:
        """``count / k`` exactly (1 when ``k = 0``)."""
        return Fraction(self.count, self.k) if self.k else Fraction(1)


def topk_mst_overlap(
    graph: Any, k: int | None = None, *, mask: Any = None, zero_weights: str = "present"
) -> TopkOverlap:
    """Overlap of the top-k edges (tie rule) with the maximum spanning forest.

    Parameters
    ----------
    graph : array_like, torch.Tensor, scipy.sparse matrix, ConvToeplitzGraph or EdgeListGraph
        The layer; dense weights in torch layout ``(m_out, n_in)``.
    k : int, optional
        Number of top edges; default the forest size (``n + m - 1`` for a complete layer).
    mask, zero_weights
        Which edges are present; see :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Returns
    -------
    TopkOverlap

    Examples
    --------
    >>> W = np.array([[0.9, 0.8], [0.7, 0.1]])
    >>> r = topk_mst_overlap(W)
    >>> r.k, r.count, r.fraction
    (3, 3, 1.0)
    >>> topk_mst_overlap(np.array([[0.9, 0.8, 0.1], [0.7, 0.6, 0.2]])).count
    3
    """
    check_zero_weights(zero_weights)
    if isinstance(graph, ConvToeplitzGraph):
        graph = graph.to_edge_list()
    if hasattr(graph, "tocoo") and not isinstance(graph, EdgeListGraph):
        if mask is not None:
            raise ValueError("mask= cannot be combined with a scipy.sparse input")
        graph = EdgeListGraph.from_scipy(graph)
    if isinstance(graph, EdgeListGraph):
        if mask is not None:
            raise ValueError("mask= applies to dense layers only")
        mags = np.abs(graph.weights)
        present = np.flatnonzero(mags != 0) if zero_weights == "absent" else np.arange(mags.size)
        n_nodes = graph.n_nodes
        if k is None:
            k = maximum_spanning_forest(graph, zero_weights=zero_weights).size
        _check_k(k, present.size)
        mst_size = n_nodes - K.count_components(n_nodes, graph.u[present], graph.v[present])
        chosen = present[edge_order(mags[present])[:k]]
        count = n_nodes - K.count_components(n_nodes, graph.u[chosen], graph.v[chosen])
        return TopkOverlap(int(k), int(count), count / k if k else 1.0, int(mst_size), int(n_nodes))
    w = as_weight_matrix(graph)
    m_arr = as_mask(mask, w.shape)
    m, n = w.shape
    n_nodes = n + m
    eligible = m_arr
    if zero_weights == "absent":
        eligible = (w != 0) if eligible is None else (eligible & (w != 0))
    if eligible is None:
        mst_size = n_nodes - 1
        n_present = w.size
    else:
        mst_size = maximum_spanning_forest(w, mask=eligible).size
        n_present = int(eligible.sum())
    if k is None:
        k = mst_size
    _check_k(k, n_present)
    chosen = topk_indices(w, k, eligible=eligible)
    rows = chosen // n
    cols = chosen - rows * n
    count = n_nodes - K.count_components(n_nodes, cols, n + rows)
    return TopkOverlap(int(k), int(count), count / k if k else 1.0, int(mst_size), int(n_nodes))


def _check_k(k: Any, n_present: int) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be an integer, got {type(k).__name__}")
    if not 0 <= k <= n_present:
        raise ValueError(f"k={k} must lie in [0, {n_present}] (the number of present edges)")
