"""The one tie rule of topotheory: ``|w|`` descending, then flat edge index ascending.

Every ordering of edges — the maximum spanning forest, top-k selection and pruning —
uses it, so that all three agree edge for edge even on tied weights.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from topotheory.topology._validation import as_real_array


def edge_order(magnitudes: ArrayLike) -> np.ndarray:
    """Permutation that sorts edges by ``|w|`` descending, then flat index ascending.

    Parameters
    ----------
    magnitudes : array_like
        Edge weights (any shape; flattened row-major). Signs are ignored.

    Returns
    -------
    numpy.ndarray
        int64 flat indices, first the largest magnitude.

    Examples
    --------
    >>> edge_order([1.0, -3.0, 3.0, 0.5]).tolist()
    [1, 2, 0, 3]
    """
    flat = np.abs(as_real_array(magnitudes, "magnitudes").ravel())
    # A stable sort of the negated magnitudes keeps equal magnitudes in index order.
    return np.argsort(-flat, kind="stable").astype(np.int64)


def topk_indices(weights: ArrayLike, k: int, *, eligible: ArrayLike | None = None) -> np.ndarray:
    """Flat indices of the first ``k`` edges in tie-rule order (sorted ascending).

    Exact: among entries whose magnitude equals the k-th largest, the lowest flat indices
    are taken, so exactly ``k`` indices are returned. Runs in linear time (a partition,
    not a full sort).

    Parameters
    ----------
    weights : array_like
        Weights of any shape (flattened row-major).
    k : int
        How many to select, ``0 <= k <= number of eligible entries``.
    eligible : array_like of bool, optional
        Only these entries may be selected (e.g. the currently unpruned weights).

    Returns
    -------
    numpy.ndarray
        Sorted int64 flat indices.

    Examples
    --------
    >>> topk_indices([[1, 2], [2, 0]], 2).tolist()
    [1, 2]
    >>> topk_indices([3, 3, 3, 1], 2).tolist()
    [0, 1]
    """
    flat = np.abs(as_real_array(weights, "weights").ravel())
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be an integer, got {type(k).__name__}")
    candidates = np.arange(flat.size, dtype=np.int64)
    if eligible is not None:
        keep = np.asarray(eligible, dtype=bool).ravel()
        if keep.size != flat.size:
            raise ValueError(f"eligible has {keep.size} entries but weights have {flat.size}")
        candidates = candidates[keep]
    if not 0 <= k <= candidates.size:
        raise ValueError(f"k={k} must lie in [0, {candidates.size}] (the number of eligible edges)")
    if k == 0:
        return np.empty(0, dtype=np.int64)
    values = flat[candidates]
    if k == candidates.size:
        return candidates
    kth = np.partition(values, values.size - k)[values.size - k]
    above = candidates[values > kth]
    tied = candidates[values == kth]
    chosen = np.concatenate([above, tied[: k - above.size]])
    chosen.sort()
    return chosen
