"""Reading users' outputs as edge sets of a dense layer (:func:`as_flat_edges`).

Malformed *output* of a user's function is a failure of that function, so it raises
``AssertionError`` with the reason; malformed *arguments* to the kit raise ``ValueError``.
How an output was read when that is worth knowing (a symmetric adjacency, a node map) is
recorded with :func:`~topotheory.testing.describe.note`. Diagrams, pruning masks and used
parameters are read by :mod:`~topotheory.testing.output_readers`; edges, points and values
are described in messages by :mod:`~topotheory.testing.describe` (both re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from topotheory.testing.describe import collecting_notes as collecting_notes
from topotheory.testing.describe import describe_edge, note
from topotheory.testing.describe import describe_edges as describe_edges
from topotheory.testing.describe import describe_list as describe_list
from topotheory.testing.describe import describe_parameters as describe_parameters
from topotheory.testing.describe import describe_points as describe_points
from topotheory.testing.describe import plain as plain
from topotheory.testing.output_readers import as_array as as_array
from topotheory.testing.output_readers import as_kept_mask as as_kept_mask
from topotheory.testing.output_readers import as_parameters as as_parameters
from topotheory.testing.output_readers import as_points as as_points

EDGE_FORMATS = ("auto", "flat", "entries", "nodes")
ACCEPTED = (
    "accepted forms: flat indices i_out * n_in + j_in (1-D), (i_out, j_in) pairs (k, 2), node "
    "pairs with edge_format='nodes' (inputs 0..n_in-1, outputs n_in..n_in+m_out-1), "
    "(u, v, data) triples, a dict keyed by edges, a bool (m_out, n_in) mask, a SpanningForest, "
    "a networkx / igraph / rustworkx / networkit graph on those nodes (other labels with "
    "node_map=), a scipy sparse matrix or dense array ((m_out, n_in) entries or the "
    "(n+m, n+m) adjacency, one-sided or symmetric)"
)


def as_flat_edges(
    edges: Any, shape: tuple[int, int], *, edge_format: str = "auto", node_map: Any = None
) -> np.ndarray:
    """Flat edge indices (sorted, int64) of a user's forest for a layer of ``shape``.

    Parameters
    ----------
    edges : SpanningForest, array_like, dict, graph or matrix
        See :data:`ACCEPTED`. A symmetric ``(n + m, n + m)`` adjacency (``T + T.T``) lists
        every edge twice: its upper triangle is read (and a note says so).
    shape : (int, int)
        The layer's ``(m_out, n_in)``.
    edge_format : {"auto", "flat", "entries", "nodes"}
        How to read ``edges``; ``"auto"``: 1-D is flat, ``(k, 2)`` is entries.
    node_map : mapping or callable, optional
        Node label -> node id (inputs ``0..n_in-1``, outputs ``n_in..``); a callable is
        called as ``node_map(label, shape)``. Implies node pairs.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    AssertionError
        If the output cannot be a set of edges of this layer (it names the problem).

    Examples
    --------
    >>> as_flat_edges([[1, 0], [0, 2]], (2, 3)).tolist()
    [2, 3]
    >>> as_flat_edges([(0, 3), (4, 2)], (2, 3), edge_format="nodes").tolist()
    [0, 5]
    >>> as_flat_edges({("x0", "y1"): 1.0}, (2, 3), node_map={"x0": 0, "y1": 4}).tolist()
    [3]
    """
    if edge_format not in EDGE_FORMATS:
        raise ValueError(f"edge_format={edge_format!r}: choose one of {EDGE_FORMATS}")
    m, n = shape
    adapted = _graph_object_edges(edges, shape)
    if adapted is not None:
        flat, read_as = adapted
        edge_format = read_as if edge_format == "auto" or read_as == "flat" else edge_format
    else:
        if isinstance(edges, Mapping):
            edges = list(edges)
        if isinstance(edges, (set, frozenset)):
            edges = sorted(edges, key=repr)
        edges, triples = _drop_edge_data(edges)
        if triples and edge_format == "auto":
            edge_format = "nodes"  # (u, v, data) come from graph libraries: node pairs
        try:
            flat = _pairs(edges) if node_map is not None else np.asarray(edges)
        except ValueError as exc:
            raise AssertionError(
                f"the returned edges are not an array ({exc}); {ACCEPTED}"
            ) from None
        dense = _dense_matrix_edges(flat, shape)
        if dense is not None:
            flat, edge_format = dense
    if node_map is not None and edge_format != "flat":
        flat, edge_format = _mapped(flat, node_map, shape), "nodes"
    if flat.size == 0:
        return np.empty(0, dtype=np.int64)
    flat = _as_int(flat)
    if edge_format == "auto":
        edge_format = "flat" if flat.ndim == 1 else "entries"
    index = _flat_index(flat, shape, edge_format)
    if ((index < 0) | (index >= m * n)).any():
        bad = int(index[(index < 0) | (index >= m * n)][0])
        raise AssertionError(f"flat index {bad} is outside [0, {m * n}) for a ({m}, {n}) layer")
    values, counts = np.unique(index, return_counts=True)
    if (counts > 1).any():
        raise AssertionError(
            f"edge {describe_edge(int(values[counts > 1][0]), shape)} appears more than once"
        )
    return values


def _as_int(flat: np.ndarray) -> np.ndarray:
    if flat.dtype == object:
        try:
            flat = flat.astype(np.int64)
        except (TypeError, ValueError):
            raise AssertionError(
                f"the returned edges hold non-integer entries (e.g. {flat.ravel()[0]!r}); node "
                f"labels need node_map= (label -> node id); {ACCEPTED}"
            ) from None
    integral = np.issubdtype(flat.dtype, np.floating) and bool(np.all(flat == np.round(flat)))
    if not (np.issubdtype(flat.dtype, np.integer) or integral):
        raise AssertionError(
            f"the returned edges have dtype {flat.dtype}; expected integer flat indices or "
            "(i_out, j_in) pairs"
        )
    return flat.astype(np.int64)


def _flat_index(flat: np.ndarray, shape: tuple[int, int], edge_format: str) -> np.ndarray:
    m, n = shape
    if edge_format == "flat":
        if flat.ndim != 1:
            raise AssertionError(f"flat edge indices must be 1-D, got shape {flat.shape}")
        return flat
    if flat.ndim != 2 or flat.shape[1] != 2:
        raise AssertionError(
            f"edge pairs must have shape (k, 2), got {flat.shape} (edge_format={edge_format!r})"
        )
    low, high = flat.min(axis=1), flat.max(axis=1)
    if edge_format == "entries":
        rows, cols = flat[:, 0], flat[:, 1]
        bad = (rows < 0) | (rows >= m) | (cols < 0) | (cols >= n)
        if bad.any():
            as_nodes = ((low >= 0) & (low < n) & (high >= n) & (high < n + m)).all()
            raise AssertionError(
                f"entry {tuple(flat[bad][0].tolist())} lies outside the ({m}, {n}) weight "
                "matrix (entries are (i_out, j_in) in torch Linear layout)"
                + (
                    "; these look like node pairs (inputs 0..n_in-1, outputs n_in..n_in+m_out-1)"
                    ": pass edge_format='nodes'"
                    if as_nodes
                    else ""
                )
            )
        return rows * n + cols
    bad = (low < 0) | (low >= n) | (high < n) | (high >= n + m)
    if bad.any():
        raise AssertionError(
            f"node pair {tuple(flat[bad][0].tolist())} is not an input-output pair of this layer "
            f"(inputs are nodes 0..{n - 1}, outputs {n}..{n + m - 1})"
        )
    return (high - n) * n + low


def _mapped(pairs: np.ndarray, node_map: Any, shape: tuple[int, int]) -> np.ndarray:
    """Node-label pairs -> node-id pairs through ``node_map``."""
    pairs = np.asarray(pairs, dtype=object).reshape(-1, 2)

    def node(label: Any) -> int:
        try:
            return int(node_map(label, shape) if callable(node_map) else node_map[label])
        except (KeyError, IndexError, TypeError, ValueError):
            raise AssertionError(f"node label {label!r} is not in node_map") from None

    note("node labels read through node_map")
    return np.array([[node(a), node(b)] for a, b in pairs], dtype=np.int64).reshape(-1, 2)


def _graph_object_edges(edges: Any, shape: tuple[int, int]) -> tuple[np.ndarray, str] | None:
    """``(array, format)`` of a forest object (topotheory, graph libraries, scipy sparse)."""
    if hasattr(edges, "edge_index") and hasattr(edges, "n_nodes"):  # SpanningForest
        return np.asarray(edges.edge_index), "flat"
    if hasattr(edges, "tocoo") and hasattr(edges, "nnz"):  # scipy sparse
        coo = edges.tocoo()
        return _matrix_pairs(coo.row, coo.col, coo.shape, shape, _symmetric_sparse(coo))
    if hasattr(edges, "iterEdges") and hasattr(edges, "numberOfNodes"):  # networkit
        return _pairs(list(edges.iterEdges())), "nodes"
    if hasattr(edges, "weighted_edge_list") and hasattr(edges, "edge_list"):  # rustworkx
        return _pairs(list(edges.edge_list())), "nodes"
    if hasattr(edges, "get_edgelist"):  # igraph
        return _pairs(list(edges.get_edgelist())), "nodes"
    if hasattr(edges, "edges") and callable(edges.edges):  # networkx-like
        return _pairs(list(edges.edges())), "nodes"
    return None


def _dense_matrix_edges(array: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, str] | None:
    """A dense bool ``(m, n)`` mask or ``(n + m, n + m)`` adjacency as pairs (else None)."""
    m, n = shape
    if array.ndim != 2 or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        return None
    square = array.shape == (n + m, n + m) and (
        n + m != 2 or not np.issubdtype(array.dtype, np.integer)
    )
    if not square and not (array.dtype == bool and array.shape == (m, n)):
        return None
    rows, cols = np.nonzero(array)
    symmetric = square and bool(np.array_equal(array != 0, (array != 0).T))
    return _matrix_pairs(rows, cols, array.shape, shape, symmetric)


def _symmetric_sparse(coo: Any) -> bool:
    pattern = (coo != 0).astype(np.int8).tocsr()
    return pattern.shape[0] == pattern.shape[1] and (pattern != pattern.T).nnz == 0


def _matrix_pairs(
    rows: Any, cols: Any, matrix: tuple[int, ...], shape: tuple[int, int], symmetric: bool
) -> tuple[np.ndarray, str]:
    m, n = shape
    pairs = np.column_stack([rows, cols]).astype(np.int64)
    if tuple(matrix) == (m, n):
        return pairs, "entries"
    if tuple(matrix) == (n + m, n + m):
        if symmetric and pairs.size:
            pairs = pairs[pairs[:, 0] < pairs[:, 1]]
            note(
                "a symmetric (n+m, n+m) adjacency (T + T.T) was returned: its upper triangle "
                "was read, one entry per edge"
            )
        return pairs, "nodes"
    raise AssertionError(
        f"a matrix of shape {tuple(matrix)} is neither the ({m}, {n}) layer nor the "
        f"({n + m}, {n + m}) adjacency of its bipartite graph; {ACCEPTED}"
    )


def _pairs(pairs: Any) -> np.ndarray:
    """``(k, 2)`` object array of node pairs (labels may be tuples: never split them)."""
    pairs = list(pairs)
    out = np.empty((len(pairs), 2), dtype=object)
    for row, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"{pair!r} is not a pair")
        out[row, 0], out[row, 1] = pair
    return out


def _drop_edge_data(edges: Any) -> tuple[Any, bool]:
    """``(u, v, data)`` triples (networkx ``edges(data=True)``, weighted lists) -> ``(u, v)``."""
    if isinstance(edges, np.ndarray) or not isinstance(edges, (list, tuple)) or not edges:
        return edges, False
    if all(isinstance(e, (tuple, list)) and len(e) == 3 for e in edges):
        return [tuple(e[:2]) for e in edges], True
    return edges, False
