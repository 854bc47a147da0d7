"""Input validation shared by the topology core: clear errors before any large allocation."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Largest edge count the core will materialise or scan (about 2**33 edges).
MAX_EDGES = 1 << 33


def as_weight_matrix(weights: Any, name: str = "weights") -> np.ndarray:
    """Return ``weights`` as a finite 2-D float array (no copy when possible).

    Parameters
    ----------
    weights : array_like
        A dense layer's weights, shape ``(m_out, n_in)``.
    name : str
        The argument name used in error messages.

    Raises
    ------
    TypeError
        If ``weights`` is not numeric.
    ValueError
        If it is not 2-D, is empty, or holds NaN or infinite values.

    Examples
    --------
    >>> as_weight_matrix([[1.0, -2.0]]).shape
    (1, 2)
    """
    if hasattr(weights, "detach") and hasattr(weights, "numpy"):
        raise TypeError(
            f"{name} is a torch tensor; pass `{name}.detach().cpu().numpy()` "
            "(topotheory's topology core is numpy-only)"
        )
    array = np.asarray(weights)
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.floating)
        or np.issubdtype(array.dtype, np.integer)
        or array.dtype == np.bool_
    ):
        raise TypeError(f"{name} must be a real numeric array, got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (m_out, n_in) (torch Linear layout), "
            f"got {array.ndim}-D shape {array.shape}; reshape it or pass a graph object "
            "(conv_toeplitz_graph / recurrent_unrolled_graph)"
        )
    if array.size == 0:
        raise ValueError(
            f"{name} is empty (shape {array.shape}); a layer needs >= 1 input and output"
        )
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} holds a non-finite value (NaN or inf) at index {tuple(int(i) for i in bad)}; "
            "clean the weights first"
        )
    return array


def as_mask(mask: Any, shape: tuple[int, ...], name: str = "mask") -> np.ndarray | None:
    """Validate a boolean edge mask (True = edge present) of the given shape.

    Examples
    --------
    >>> as_mask([[1, 0]], (1, 2)).dtype
    dtype('bool')
    """
    if mask is None:
        return None
    array = np.asarray(mask)
    if array.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {array.shape} but the weights have shape {tuple(shape)}"
        )
    if array.dtype != np.bool_:
        if not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must be binary (0/1 or bool); found other values")
        array = array.astype(bool)
    return np.ascontiguousarray(array)


def check_zero_weights(zero_weights: str) -> str:
    """Validate the ``zero_weights`` convention name.

    Examples
    --------
    >>> check_zero_weights("absent")
    'absent'
    """
    if zero_weights not in ("present", "absent"):
        raise ValueError(
            f"zero_weights={zero_weights!r}: choose 'present' (a pruned weight is an edge of "
            "weight 0, Rieck's convention) or 'absent' (a zero weight is no edge)"
        )
    return zero_weights


def check_edge_budget(n_edges: int, what: str) -> None:
    """Raise before allocating when a graph is too large to handle in memory.

    Examples
    --------
    >>> check_edge_budget(10, "test graph")
    """
    if n_edges > MAX_EDGES:
        raise ValueError(
            f"{what} would have {n_edges:,} edges, more than the {MAX_EDGES:,} this machine can "
            "hold; use one channel pair, a smaller input, or the TCCR formula instead"
        )
