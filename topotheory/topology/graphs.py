"""Generic weighted graphs given by an explicit edge list (sparse layers, unrolled RNNs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from topotheory.result import Result
from topotheory.topology._validation import check_edge_budget


def _readonly(array: np.ndarray) -> np.ndarray:
    """Make ``array`` (a fresh array owned by the caller) read-only and contiguous."""
    if not array.flags.c_contiguous:
        array = np.ascontiguousarray(array)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, repr=False)
class EdgeListGraph(Result):
    """A weighted graph given by its edges, sorted by ascending flat edge index.

    Attributes
    ----------
    n_nodes : int
        Number of nodes (``0..n_nodes-1``); isolated nodes count as components.
    u, v : numpy.ndarray
        int64 end points of each edge.
    weights : numpy.ndarray
        float64 signed weights; the filtration uses ``|w|``.
    edge_index : numpy.ndarray
        int64 flat edge indices, strictly increasing (the tie-rule key).
    param_index : numpy.ndarray or None
        int64 parameter behind each edge when parameters are shared.
    n_inputs : int or None
        For a bipartite layer: the number of input nodes (they come first).

    Examples
    --------
    >>> g = EdgeListGraph.from_arrays(3, [0, 1], [1, 2], [0.5, -1.0])
    >>> g.n_edges, g.edge_index.tolist()
    (2, [0, 1])
    """

    n_nodes: int
    u: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    edge_index: np.ndarray
    param_index: np.ndarray | None = None
    n_inputs: int | None = None
    description: str = field(default="edge list graph", compare=False)

    @classmethod
    def from_arrays(
        cls,
        n_nodes: int,
        u: Any,
        v: Any,
        weights: Any,
        *,
        edge_index: Any = None,
        param_index: Any = None,
        n_inputs: int | None = None,
        description: str = "edge list graph",
    ) -> EdgeListGraph:
        """Validate and build a graph; edges are re-sorted by ``edge_index``.

        Parameters
        ----------
        n_nodes : int
            Number of nodes.
        u, v : array_like of int
            End points, each in ``[0, n_nodes)``.
        weights : array_like of float
            Finite edge weights.
        edge_index : array_like of int, optional
            Distinct flat edge indices (default: position in the given arrays).
        param_index : array_like of int, optional
            Shared parameter of each edge.
        n_inputs : int, optional
            Number of input nodes of a bipartite layer.
        description : str
            Shown in reports.

        Examples
        --------
        >>> EdgeListGraph.from_arrays(2, [0], [1], [2.0], edge_index=[7]).edge_index.tolist()
        [7]
        """
        if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or n_nodes < 1:
            raise ValueError(f"n_nodes must be a positive integer, got {n_nodes!r}")
        from topotheory.topology._validation import as_index_array, as_real_array

        for arg_name, arg in (("u", u), ("v", v), ("weights", weights)):
            size = getattr(arg, "size", None)
            if isinstance(size, (int, np.integer)):
                check_edge_budget(int(size), description, arg_name)
        u_arr = as_index_array(u, "u")
        v_arr = as_index_array(v, "v")
        w_arr = as_real_array(weights, "weights").ravel()
        check_edge_budget(w_arr.size, description)
        if not (u_arr.size == v_arr.size == w_arr.size):
            raise ValueError(
                f"u, v and weights must have equal lengths, got {u_arr.size}, {v_arr.size}, {w_arr.size}"
            )
        if u_arr.size and (
            min(u_arr.min(), v_arr.min()) < 0 or max(u_arr.max(), v_arr.max()) >= n_nodes
        ):
            raise ValueError(f"edge end points must lie in [0, {n_nodes}); got out-of-range nodes")
        if not np.isfinite(w_arr).all():
            raise ValueError("weights hold NaN or inf; clean the weights first")
        idx = (
            np.arange(w_arr.size, dtype=np.int64)
            if edge_index is None
            else as_index_array(edge_index, "edge_index")
        )
        if idx.size != w_arr.size:
            raise ValueError(f"edge_index has {idx.size} entries for {w_arr.size} edges")
        params = None if param_index is None else as_index_array(param_index, "param_index")
        if params is not None and params.size != w_arr.size:
            raise ValueError(f"param_index has {params.size} entries for {w_arr.size} edges")
        order = np.argsort(idx, kind="stable")
        idx = idx[order]
        if idx.size > 1 and (np.diff(idx) <= 0).any():
            raise ValueError("edge_index values must be distinct")
        return cls(
            n_nodes=int(n_nodes),
            u=_readonly(u_arr[order]),
            v=_readonly(v_arr[order]),
            weights=_readonly(w_arr[order]),
            edge_index=_readonly(idx),
            param_index=None if params is None else _readonly(params[order]),
            n_inputs=n_inputs,
            description=description,
        )

    @classmethod
    def from_dense(
        cls, weights: Any, *, mask: Any = None, zero_weights: str = "present"
    ) -> EdgeListGraph:
        """The bipartite graph of a dense layer ``(m_out, n_in)`` as an edge list.

        Examples
        --------
        >>> g = EdgeListGraph.from_dense([[1.0, 0.0]], zero_weights="absent")
        >>> g.n_nodes, g.n_edges
        (3, 1)
        """
        from topotheory.topology._validation import as_mask, as_weight_matrix, check_zero_weights

        w = as_weight_matrix(weights)
        check_zero_weights(zero_weights)
        m, n = w.shape
        present = np.ones(w.shape, dtype=bool) if mask is None else as_mask(mask, w.shape).copy()
        if zero_weights == "absent":
            present &= w != 0
        rows, cols = np.nonzero(present)
        return cls.from_arrays(
            n + m,
            cols,
            n + rows,
            w[rows, cols],
            edge_index=rows.astype(np.int64) * n + cols,
            n_inputs=n,
            description=f"dense layer {m}x{n}",
        )

    @classmethod
    def from_scipy(cls, matrix: Any) -> EdgeListGraph:
        """A ``scipy.sparse`` layer matrix ``(m_out, n_in)``: stored entries are edges.

        Explicitly stored zeros are edges of weight 0; entries not stored are absent.

        Examples
        --------
        >>> import scipy.sparse as sp
        >>> EdgeListGraph.from_scipy(sp.coo_matrix(([2.0], ([0], [1])), shape=(1, 2))).n_edges
        1
        """
        coo = matrix.tocoo()
        if coo.ndim != 2:
            raise ValueError("a sparse layer matrix must be 2-D (m_out, n_in)")
        m, n = coo.shape
        if m == 0 or n == 0:
            raise ValueError(f"sparse layer matrix is empty (shape {coo.shape})")
        coo.sum_duplicates()
        rows = coo.row.astype(np.int64)
        cols = coo.col.astype(np.int64)
        return cls.from_arrays(
            n + m,
            cols,
            n + rows,
            coo.data,
            edge_index=rows * n + cols,
            n_inputs=n,
            description=f"sparse layer {m}x{n}",
        )

    @property
    def n_edges(self) -> int:
        """Number of edges."""
        return int(self.weights.size)

    def to_networkx(self) -> Any:
        """A ``networkx.Graph`` with ``weight=|w|`` and ``index`` edge attributes (oracle use).

        Examples
        --------
        >>> EdgeListGraph.from_arrays(2, [0], [1], [-3.0]).to_networkx()[0][1]["weight"]
        3.0
        """
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(self.n_nodes))
        for a, b, w, e in zip(
            self.u.tolist(),
            self.v.tolist(),
            np.abs(self.weights).tolist(),
            self.edge_index.tolist(),
            strict=True,
        ):
            graph.add_edge(a, b, weight=w, index=e)
        return graph
