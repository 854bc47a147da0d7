"""Reading users' outputs other than edge sets: diagrams, pruning masks, used parameters.

Malformed *output* of a user's function is a failure of that function, so it raises
``AssertionError`` with the reason (edge sets: :mod:`~topotheory.testing.readers`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.testing.describe import describe_edge


def as_array(output: Any) -> Any:
    """A torch tensor as a numpy array (detached, on the CPU); anything else unchanged."""
    return output.detach().cpu().numpy() if hasattr(output, "detach") else output


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
            points = np.asarray(as_array(diagram), dtype=np.float64)
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
    out = np.asarray(as_array(output))
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


def as_parameters(result: Any, weight: np.ndarray) -> np.ndarray:
    """Used shared parameters (a bool mask of ``weight``'s shape or flat indices), sorted.

    Examples
    --------
    >>> as_parameters({2, 0}, np.ones((1, 1, 3))).tolist()
    [0, 2]
    """
    out = np.asarray(sorted(result) if isinstance(result, (set, frozenset)) else as_array(result))
    if out.dtype == np.bool_:
        if out.size != weight.size:
            raise AssertionError(
                f"a parameter mask must have the kernel's shape {weight.shape}, got {out.shape}"
            )
        return np.flatnonzero(out.ravel())
    if out.size == 0:
        return np.empty(0, dtype=np.int64)
    if not np.issubdtype(out.dtype, np.integer) or out.ndim != 1:
        raise AssertionError(
            f"used parameters must be a bool mask of shape {weight.shape} or 1-D int flat "
            f"indices into weight.ravel(), got dtype {out.dtype} and shape {out.shape}"
        )
    if ((out < 0) | (out >= weight.size)).any():
        raise AssertionError(f"parameter index outside [0, {weight.size}) in {out.tolist()}")
    return np.unique(out.astype(np.int64))
