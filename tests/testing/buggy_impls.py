"""Hand-written user implementations, correct and deliberately buggy (test fixtures).

Written from scratch with numpy and a union-find, as a user would, independent of
topotheory's core. Each ``BUG`` function differs from its correct sibling by one
convention mistake; the kit must flag every one of them.
"""

from __future__ import annotations

import numpy as np


def _kruskal(w, *, zero_weights="present", ties="ascending"):
    """Flat indices of the maximum spanning forest of a dense layer ``(m_out, n_in)``."""
    m, n = w.shape
    mags = np.abs(w).ravel()
    index = np.arange(mags.size)
    key = index if ties == "ascending" else -index
    order = np.lexsort((key, -mags))
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    forest = []
    for flat in order.tolist():
        if zero_weights == "absent" and mags[flat] == 0:
            continue
        a, b = find(flat % n), find(n + flat // n)
        if a != b:
            parent[a] = b
            forest.append(flat)
    return forest


# -- maximum spanning forests ---------------------------------------------------------------


def mst(w):
    """Correct: Kruskal, |w| descending then flat index ascending, zeros present."""
    return _kruskal(w)


def mst_entries(w):
    """Correct, returned as (i_out, j_in) pairs."""
    n = w.shape[1]
    return [(f // n, f % n) for f in _kruskal(w)]


def mst_zeros_absent(w):
    """BUG: skips zero weights although the convention says they are edges of weight 0."""
    return _kruskal(w, zero_weights="absent")


def mst_descending_ties(w):
    """BUG (extra): breaks ties by descending flat index."""
    return _kruskal(w, ties="descending")


def mst_transposed(w):
    """BUG (extra): works on the (n_in, m_out) layout and returns its flat indices."""
    return _kruskal(np.ascontiguousarray(w.T))


# -- diagrams and neural persistence --------------------------------------------------------


def _deaths(w, top):
    mags = np.abs(w).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return mags[_kruskal(w)] / top


def diagram(w):
    """Correct, paper conventions: points (1, |w_e| / max|w|), essential class dropped."""
    deaths = _deaths(w, np.abs(w).max())
    return np.column_stack([np.ones_like(deaths), deaths])


def diagram_rieck(w):
    """Correct, Rieck's code's essential convention: the essential class kept as (1, 0)."""
    d = diagram(w)
    components = sum(w.shape) - len(d)
    return np.vstack([d, np.tile([1.0, 0.0], (components, 1))])


def diagram_dropping_essential(w):
    """BUG: meant to follow Rieck (essential="as_zero") but drops the essential class."""
    return diagram(w)


def diagram_wrong_max(w):
    """BUG: normalises by max(w) (signed) instead of max|w|."""
    deaths = _deaths(w, w.max())
    return np.column_stack([np.ones_like(deaths), deaths])


def neural_persistence(w, p=2.0):
    """Correct: NP_p = ||1 - w'||_p over the forest edges, w' = |w| / max|w|."""
    pers = 1.0 - _deaths(w, np.abs(w).max())
    return float(np.sum(pers**p) ** (1.0 / p))


def np_wrong_max(w):
    """BUG: normalises by max(w) (signed) instead of max|w|."""
    pers = 1.0 - _deaths(w, w.max())
    return float(np.sqrt(np.sum(pers**2)))


def np_with_essential(w):
    """BUG (extra): counts the essential class (1, 0) although the paper drops it."""
    pers = 1.0 - _deaths(w, np.abs(w).max())
    components = sum(w.shape) - len(pers)
    return float(np.sqrt(np.sum(pers**2) + components))


# -- top-k / MST overlap ---------------------------------------------------------------------


def _topk(w, k, ties="ascending"):
    mags = np.abs(w).ravel()
    index = np.arange(mags.size)
    key = index if ties == "ascending" else -index
    return np.lexsort((key, -mags))[:k]


def topk_overlap(w, k):
    """Correct: one tie rule for top-k and the forest."""
    return len(set(_topk(w, k).tolist()) & set(_kruskal(w)))


def topk_overlap_mixed_ties(w, k):
    """BUG: top-k breaks ties by descending index, the forest by ascending index."""
    return len(set(_topk(w, k, ties="descending").tolist()) & set(_kruskal(w)))


# -- pruning ---------------------------------------------------------------------------------


def prune_keep_forest(w, kept):
    """Correct topology-preserving pruning: the forest, then the largest other weights."""
    forest = _kruskal(w)
    mask = np.zeros(w.size, dtype=bool)
    mask[forest] = True
    rest = [f for f in _topk(w, w.size).tolist() if not mask[f]]
    mask[rest[: kept - len(forest)]] = True
    return mask.reshape(w.shape)


def prune_off_by_one(w, kept):
    """BUG: fills one weight too many after the forest."""
    forest = _kruskal(w)
    mask = np.zeros(w.size, dtype=bool)
    mask[forest] = True
    rest = [f for f in _topk(w, w.size).tolist() if not mask[f]]
    mask[rest[: kept - len(forest) + 1]] = True
    return mask.reshape(w.shape)


def prune_pruned_weights(w, kept):
    """Correct, returning pruned weights (zeros where pruned) instead of a mask."""
    return np.where(prune_keep_forest(w, kept), w, 0.0)


def prune_magnitude(w, kept):
    """BUG (for a method claiming to keep topology): plain top-k magnitude pruning."""
    mask = np.zeros(w.size, dtype=bool)
    mask[_topk(w, kept)] = True
    return mask.reshape(w.shape)


def prune_threshold(w, kept):
    """BUG (extra): keeps every |w| >= the kept-th largest, so ties overshoot the budget."""
    if kept == 0:
        return np.zeros(w.shape, dtype=bool)
    threshold = np.sort(np.abs(w).ravel())[::-1][kept - 1]
    return np.abs(w) >= threshold
