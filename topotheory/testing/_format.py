"""Reading users' outputs (edge sets, diagrams, masks) and describing edges and points.

Malformed *output* of a user's function is a failure of that function, so it raises
``AssertionError`` with the reason; malformed *arguments* to the kit raise ``ValueError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

EDGE_FORMATS = ("auto", "flat", "entries", "nodes")
_SHOW = 6


def as_flat_edges(edges: Any, shape: tuple[int, int], *, edge_format: str = "auto") -> np.ndarray:
    """Flat edge indices (sorted, int64) of a user's forest for a layer of ``shape``.

    Parameters
    ----------
    edges : SpanningForest, array_like, graph or sparse matrix
        ``SpanningForest`` (its ``edge_index``); 1-D ints (flat indices ``i_out * n_in + j_in``);
        ``(k, 2)`` ints: ``(i_out, j_in)`` matrix entries (``"entries"``) or node pairs
        (``"nodes"``: inputs ``0..n-1``, outputs ``n..n+m-1``, either order); ``(u, v,
        data)`` triples (their first two items); a networkx, igraph or rustworkx graph gives
        node pairs; a scipy sparse matrix of shape ``(m, n)`` gives entries, of shape
        ``(n + m, n + m)`` node pairs.
    shape : (int, int)
        The layer's ``(m_out, n_in)``.
    edge_format : {"auto", "flat", "entries", "nodes"}
        How to read ``edges``; ``"auto"``: 1-D is flat, ``(k, 2)`` is entries.

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
    >>> as_flat_edges([(0, 3, {"weight": 1.0}), (4, 2, {})], (2, 3)).tolist()
    [0, 5]
    """
    if edge_format not in EDGE_FORMATS:
        raise ValueError(f"edge_format={edge_format!r}: choose one of {EDGE_FORMATS}")
    m, n = shape
    adapted = _graph_object_edges(edges, shape)
    if adapted is not None:
        flat, read_as = adapted
        edge_format = read_as if edge_format == "auto" or read_as == "flat" else edge_format
    else:
        if isinstance(edges, (set, frozenset)):
            edges = sorted(edges)
        edges, triples = _drop_edge_data(edges)
        if triples and edge_format == "auto":
            edge_format = "nodes"  # (u, v, data) come from graph libraries: node pairs
        try:
            flat = np.asarray(edges)
        except ValueError as exc:
            raise AssertionError(
                f"the returned edges are not an array of indices ({exc}); {ACCEPTED}"
            ) from None
    if flat.size == 0:
        return np.empty(0, dtype=np.int64)
    if flat.dtype == object:
        try:
            flat = flat.astype(np.int64)
        except (TypeError, ValueError):
            raise AssertionError(
                f"the returned edges hold non-integer entries (e.g. {flat.ravel()[0]!r}); "
                + ACCEPTED
            ) from None
    if not (np.issubdtype(flat.dtype, np.integer) or _integral(flat)):
        raise AssertionError(
            f"the returned edges have dtype {flat.dtype}; expected integer flat indices or "
            "(i_out, j_in) pairs"
        )
    flat = flat.astype(np.int64)
    if edge_format == "auto":
        edge_format = "flat" if flat.ndim == 1 else "entries"
    if edge_format == "flat":
        if flat.ndim != 1:
            raise AssertionError(f"flat edge indices must be 1-D, got shape {flat.shape}")
        index = flat
    else:
        if flat.ndim != 2 or flat.shape[1] != 2:
            raise AssertionError(
                f"edge pairs must have shape (k, 2), got {flat.shape} (edge_format={edge_format!r})"
            )
        if edge_format == "entries":
            rows, cols = flat[:, 0], flat[:, 1]
            bad = (rows < 0) | (rows >= m) | (cols < 0) | (cols >= n)
            if bad.any():
                low, high = flat.min(axis=1), flat.max(axis=1)
                as_nodes = ((low >= 0) & (low < n) & (high >= n) & (high < n + m)).all()
                raise AssertionError(
                    f"entry {tuple(flat[bad][0].tolist())} lies outside the ({m}, {n}) weight "
                    "matrix (entries are (i_out, j_in) in torch Linear layout)"
                    + (
                        "; these look like node pairs (inputs 0..n_in-1, outputs "
                        "n_in..n_in+m_out-1): pass edge_format='nodes'"
                        if as_nodes
                        else ""
                    )
                )
        else:
            a, b = flat.min(axis=1), flat.max(axis=1)
            bad = (a < 0) | (a >= n) | (b < n) | (b >= n + m)
            if bad.any():
                raise AssertionError(
                    f"node pair {tuple(flat[bad][0])} is not an input-output pair of this layer "
                    f"(inputs are nodes 0..{n - 1}, outputs {n}..{n + m - 1})"
                )
            rows, cols = b - n, a
        index = rows * n + cols
    if ((index < 0) | (index >= m * n)).any():
        raise AssertionError(
            f"flat index {int(index[(index < 0) | (index >= m * n)][0])} is outside "
            f"[0, {m * n}) for a ({m}, {n}) layer"
        )
    unique = np.unique(index)
    if unique.size != index.size:
        values, counts = np.unique(index, return_counts=True)
        raise AssertionError(
            f"edge {describe_edge(int(values[counts > 1][0]), shape)} appears more than once"
        )
    return unique


ACCEPTED = (
    "accepted forms: flat indices i_out * n_in + j_in (1-D), (i_out, j_in) pairs (k, 2), node "
    "pairs with edge_format='nodes' (inputs 0..n_in-1, outputs n_in..n_in+m_out-1), "
    "(u, v, data) triples, a SpanningForest, a networkx / igraph / rustworkx graph on those "
    "nodes, or a scipy sparse matrix ((m_out, n_in) entries or the (n+m, n+m) adjacency)"
)


def _graph_object_edges(edges: Any, shape: tuple[int, int]) -> tuple[np.ndarray, str] | None:
    """``(array, format)`` of a forest object (topotheory, networkx, igraph, rustworkx, scipy).

    Returns None for plain sequences and arrays.
    """
    m, n = shape
    if hasattr(edges, "edge_index") and hasattr(edges, "n_nodes"):  # SpanningForest
        return np.asarray(edges.edge_index), "flat"
    if hasattr(edges, "tocoo") and hasattr(edges, "nnz"):  # scipy sparse
        coo = edges.tocoo()
        pairs = np.column_stack([coo.row, coo.col]).astype(np.int64)
        if coo.shape == (m, n):
            return pairs, "entries"
        if coo.shape == (n + m, n + m):
            return pairs, "nodes"
        raise AssertionError(
            f"a sparse matrix of shape {coo.shape} is neither the ({m}, {n}) layer nor the "
            f"({n + m}, {n + m}) adjacency of its bipartite graph; {ACCEPTED}"
        )
    if hasattr(edges, "weighted_edge_list") and hasattr(edges, "edge_list"):  # rustworkx
        return _pairs(list(edges.edge_list())), "nodes"
    if hasattr(edges, "get_edgelist"):  # igraph
        return _pairs(list(edges.get_edgelist())), "nodes"
    if hasattr(edges, "edges") and callable(edges.edges):  # networkx-like
        return _pairs(list(edges.edges())), "nodes"
    return None


def _pairs(pairs: list) -> np.ndarray:
    return np.asarray(pairs, dtype=object).reshape(-1, 2)


def _drop_edge_data(edges: Any) -> tuple[Any, bool]:
    """``(u, v, data)`` triples (networkx ``edges(data=True)``, weighted lists) -> ``(u, v)``."""
    if isinstance(edges, np.ndarray) or not isinstance(edges, (list, tuple)) or not edges:
        return edges, False
    if all(isinstance(e, (tuple, list)) and len(e) == 3 for e in edges):
        return [tuple(e[:2]) for e in edges], True
    return edges, False


def _integral(array: np.ndarray) -> bool:
    return np.issubdtype(array.dtype, np.floating) and bool(np.all(array == np.round(array)))


def describe_edge(flat: int, shape: tuple[int, int], weights: np.ndarray | None = None) -> str:
    """``"(i_out=1, j_in=2) [flat 5, |w|=0.3]"`` for a flat index.

    Examples
    --------
    >>> describe_edge(5, (2, 3), np.arange(6.0).reshape(2, 3))
    '(i_out=1, j_in=2) [flat 5, |w|=5]'
    """
    n = shape[1]
    text = f"(i_out={flat // n}, j_in={flat % n}) [flat {flat}"
    if weights is not None:
        text += f", |w|={abs(float(weights.flat[flat])):.6g}"
    return text + "]"


def describe_edges(flats: Any, shape: tuple[int, int], weights: np.ndarray | None = None) -> str:
    """A short list of edge descriptions (at most six, then a count).

    Examples
    --------
    >>> describe_edges([0], (1, 2))
    '(i_out=0, j_in=0) [flat 0]'
    """
    flats = [int(f) for f in flats]
    parts = [describe_edge(f, shape, weights) for f in flats[:_SHOW]]
    if len(flats) > _SHOW:
        parts.append(f"... ({len(flats) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


def describe_points(points: np.ndarray) -> str:
    """A short list of ``(birth, death)`` points.

    Examples
    --------
    >>> describe_points(np.array([[1.0, 0.5]]))
    '(1, 0.5)'
    """
    parts = [f"({b:.6g}, {d:.6g})" for b, d in np.asarray(points).reshape(-1, 2)[:_SHOW]]
    if len(points) > _SHOW:
        parts.append(f"... ({len(points) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


def as_points(diagram: Any) -> np.ndarray:
    """A user's diagram as a ``(q, 2)`` float array of ``(birth, death)`` rows.

    Accepts a :class:`~topotheory.topology.diagram.PersistenceDiagram`, anything with
    ``births``/``deaths``, or array_like of shape ``(q, 2)``.

    Examples
    --------
    >>> as_points([(1, 0.5), (1, 0.25)]).shape
    (2, 2)
    """
    if hasattr(diagram, "births") and hasattr(diagram, "deaths"):
        points = np.column_stack([np.asarray(diagram.births), np.asarray(diagram.deaths)])
    else:
        try:
            points = np.asarray(diagram, dtype=np.float64)
        except (TypeError, ValueError):
            raise AssertionError(
                f"the diagram must be a (q, 2) array of (birth, death) rows or a "
                f"PersistenceDiagram, got {type(diagram).__name__}"
            ) from None
        if points.size == 0:
            return np.empty((0, 2))
        if points.ndim != 2 or points.shape[1] != 2:
            raise AssertionError(
                f"the diagram must have shape (q, 2) of (birth, death) rows, got {points.shape}"
            )
    points = points.astype(np.float64)
    if not np.isfinite(points).all():
        raise AssertionError(
            "the diagram holds NaN or inf; topotheory records an essential class as (1, 0) "
            "(essential='as_zero') or omits it (essential='drop'), never as an infinite death"
        )
    return points


def as_kept_mask(output: Any, weights: np.ndarray) -> np.ndarray:
    """A pruning function's output as a boolean kept-mask (True = kept).

    A boolean array is the mask; a numeric array of the layer's shape is the pruned weights
    and its non-zero entries are the kept ones.

    Examples
    --------
    >>> as_kept_mask(np.array([[0.0, 2.0]]), np.array([[1.0, 2.0]])).tolist()
    [[False, True]]
    """
    out = np.asarray(output.detach().cpu().numpy() if hasattr(output, "detach") else output)
    if out.shape != weights.shape:
        raise AssertionError(
            f"the pruning function returned shape {out.shape}; expected a mask or pruned "
            f"weights of the layer's shape {weights.shape}"
        )
    if out.dtype == np.bool_:
        return out
    if not np.issubdtype(out.dtype, np.number):
        raise AssertionError(f"the pruning function returned dtype {out.dtype}")
    kept = out != 0
    changed = kept & (out != weights)
    if changed.any():
        flat = int(np.flatnonzero(changed)[0])
        raise AssertionError(
            f"the pruning function changed a kept weight: {describe_edge(flat, weights.shape)} "
            f"was {float(weights.flat[flat]):.6g}, became {float(out.flat[flat]):.6g}"
        )
    return kept
