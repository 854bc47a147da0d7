"""numba kernels: union-find over sampled edge sets of ``K_{n,m}`` (no weight matrix).

Edges use the core's flat index ``e = i_out * n + j_in``: input node ``e % n``,
output node ``n + e // n``. All randomness is drawn outside (numpy Generator) and
passed in, so results do not depend on numba's own random state.
"""

from __future__ import annotations

import numpy as np

from topotheory._numba import njit


@njit(cache=True, nogil=True)
def _find(parent: np.ndarray, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, nogil=True, inline="always")
def _floyd_sample(row: np.ndarray, n_edges: int, k: int, seen: np.ndarray, bit: int,
                  out: np.ndarray) -> None:
    """Robert Floyd's sampling: ``row[j]`` uniform on ``0 .. n_edges - k + j`` becomes a
    uniformly random k-subset of the edges, written to ``out`` and flagged in ``seen``
    with ``bit`` (a bit of its own per subset held at the same time)."""
    for j in range(k):
        r = row[j]
        e = n_edges - k + j if seen[r] & bit else r
        seen[e] |= bit
        out[j] = e


@njit(cache=True, nogil=True)
def floyd_topk_ranks(
    draws: np.ndarray, ends_u: np.ndarray, ends_v: np.ndarray, n_nodes: int, k: int
) -> np.ndarray:
    """Robert Floyd's sampling of k distinct edges, then the rank of the sample.

    The graph has ``E = len(ends_u)`` edges ``ends_u[e] -- ends_v[e]`` on ``n_nodes``
    nodes. ``draws[t, j]`` is uniform on ``0 .. E - k + j`` (inclusive). Floyd's
    algorithm turns these k draws into a uniformly random k-subset of the edges
    (the top-k set under an exchangeable weight order); its rank is the overlap
    count ``|top-k ∩ MST|``. A byte map of ``E`` flags is reused across trials.
    """
    n_trials = draws.shape[0]
    n_edges = ends_u.shape[0]
    seen = np.zeros(n_edges, dtype=np.uint8)
    chosen = np.empty(k, dtype=np.int64)
    parent = np.empty(n_nodes, dtype=np.int32)
    out = np.empty(n_trials, dtype=np.int64)
    for t in range(n_trials):
        _floyd_sample(draws[t], n_edges, k, seen, 1, chosen)
        for v in range(n_nodes):
            parent[v] = v
        rank = 0
        for j in range(k):
            e = chosen[j]
            seen[e] = 0
            x = _find(parent, ends_u[e])
            y = _find(parent, ends_v[e])
            if x != y:
                parent[x] = y
                rank += 1
        out[t] = rank
    return out


@njit(cache=True, nogil=True)
def floyd_intersections(draws_a: np.ndarray, draws_b: np.ndarray, n_edges: int, k: int) -> np.ndarray:
    """Size of the intersection of two independent Floyd k-subsets of ``n_edges``."""
    n_trials = draws_a.shape[0]
    seen = np.zeros(n_edges, dtype=np.uint8)
    first = np.empty(k, dtype=np.int64)
    second = np.empty(k, dtype=np.int64)
    out = np.empty(n_trials, dtype=np.int64)
    for t in range(n_trials):
        _floyd_sample(draws_a[t], n_edges, k, seen, 1, first)
        _floyd_sample(draws_b[t], n_edges, k, seen, 2, second)
        count = 0
        for j in range(k):
            count += seen[second[j]] & 1
        out[t] = count
        for j in range(k):
            seen[first[j]] = 0
            seen[second[j]] = 0
    return out


@njit(cache=True, nogil=True)
def prefix_ranks(
    draws: np.ndarray, n: int, m: int, k: int, n_support: int
) -> tuple[np.ndarray, np.ndarray]:
    """Partial Fisher-Yates over the ``n*m`` edges, then union-find on the sample.

    ``draws[t, j]`` is uniform on ``j .. n*m - 1`` (``j < n_support``). The first
    ``n_support`` positions of the shuffled edge list are a uniform random ordered
    sample; the first ``k`` of them play the top-k set (an iid weight order on the
    support). Returns ``(rank of the first k, rank of all n_support)`` per trial:
    the overlap count and the spanning-forest size of the support.
    """
    n_trials = draws.shape[0]
    n_edges = n * m
    n_nodes = n + m
    perm = np.arange(n_edges)
    parent = np.empty(n_nodes, dtype=np.int64)
    topk_rank = np.empty(n_trials, dtype=np.int64)
    support_rank = np.empty(n_trials, dtype=np.int64)
    for t in range(n_trials):
        for v in range(n_nodes):
            parent[v] = v
        rank = 0
        for j in range(n_support):
            r = draws[t, j]
            e = perm[r]
            perm[r] = perm[j]
            perm[j] = e
            ru = _find(parent, e % n)
            rv = _find(parent, n + e // n)
            if ru != rv:
                parent[ru] = rv
                rank += 1
            if j == k - 1:
                topk_rank[t] = rank
        support_rank[t] = rank
        # undo the swaps so perm is the identity again (reverse order)
        for j in range(n_support - 1, -1, -1):
            r = draws[t, j]
            e = perm[r]
            perm[r] = perm[j]
            perm[j] = e
    return topk_rank, support_rank
