"""numba kernels of the topology core: union-find, Kruskal, filter-Kruskal and Prim.

Every kernel respects the one tie rule: edges are ordered by ``|w|`` descending, then by
flat edge index ascending; "absent" edges never enter. Kernels return forest edges as
flat indices; the Python layer turns them into :class:`SpanningForest` objects.
"""

from __future__ import annotations

import numpy as np

from topotheory._numba import njit


@njit(cache=True, inline="always")
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, inline="always")
def _union(parent, x, y):
    """Merge the components of ``x`` and ``y`` (lower root wins); False if already merged."""
    a = _find(parent, x)
    b = _find(parent, y)
    if a == b:
        return False
    if a < b:
        parent[b] = a
    else:
        parent[a] = b
    return True


@njit(cache=True)
def kruskal_edges(n_nodes, u, v, order, out_pos, n_components_start):
    """Kruskal over edges visited in ``order``; writes chosen positions to ``out_pos``.

    Returns the number of forest edges and the final component count. Stops early once
    only one component is left.
    """
    parent = np.arange(n_nodes)
    components = n_components_start
    taken = 0
    for t in range(order.size):
        if components == 1:
            break
        e = order[t]
        if _union(parent, u[e], v[e]):
            out_pos[taken] = e
            taken += 1
            components -= 1
    return taken, components


@njit(cache=True)
def count_components(n_nodes, u, v):
    """Number of connected components of the graph with the given edges."""
    parent = np.arange(n_nodes)
    components = n_nodes
    for e in range(u.size):
        if _union(parent, u[e], v[e]):
            components -= 1
    return components


@njit(cache=True)
def dense_max_abs(w, mask, has_mask, zero_absent):
    """Largest ``|w|`` over present edges and the number of present edges."""
    m, n = w.shape
    best = -1.0
    present = 0
    for i in range(m):
        for j in range(n):
            if has_mask and not mask[i, j]:
                continue
            x = abs(w[i, j])
            if zero_absent and x == 0.0:
                continue
            present += 1
            if x > best:
                best = x
    return best, present


@njit(cache=True)
def dense_collect(w, mask, has_mask, zero_absent, threshold, cap, idx_out, mag_out):
    """Collect present edges with ``|w| >= threshold`` (ascending flat index).

    Returns the count; a count above ``cap`` means the buffer overflowed (only the first
    ``cap`` were stored).
    """
    m, n = w.shape
    count = 0
    for i in range(m):
        row = i * n
        for j in range(n):
            x = abs(w[i, j])
            if x >= threshold:
                if has_mask and not mask[i, j]:
                    continue
                if zero_absent and x == 0.0:
                    continue
                if count < cap:
                    idx_out[count] = row + j
                    mag_out[count] = x
                count += 1
    return count


@njit(cache=True)
def kruskal_bipartite(n_in, n_out, flat_idx, order, parent, out_idx):
    """Kruskal on bipartite edges given by flat index, continuing the union-find ``parent``.

    Returns (number of forest edges written to ``out_idx``, components removed).
    """
    taken = 0
    n_nodes = n_in + n_out
    for t in range(order.size):
        if taken == n_nodes - 1:
            break
        e = flat_idx[order[t]]
        i = e // n_in
        j = e - i * n_in
        if _union(parent, j, n_in + i):
            out_idx[taken] = e
            taken += 1
    return taken


@njit(cache=True)
def component_labels(parent):
    """Label each node by its component (0..C-1, in order of first appearance)."""
    n_nodes = parent.size
    label = np.full(n_nodes, -1, dtype=np.int64)
    root_label = np.full(n_nodes, -1, dtype=np.int64)
    c = 0
    for x in range(n_nodes):
        r = _find(parent, x)
        if root_label[r] < 0:
            root_label[r] = c
            c += 1
        label[x] = root_label[r]
    return label, c


@njit(cache=True)
def dense_best_between_components(w, mask, has_mask, zero_absent, threshold, label, n_comp):
    """Best remaining edge (tie rule) between every pair of components, over edges below
    ``threshold``. Returns (best magnitude, best flat index) C x C arrays (upper triangle)."""
    m, n = w.shape
    best_mag = np.full((n_comp, n_comp), -1.0)
    best_idx = np.full((n_comp, n_comp), -1, dtype=np.int64)
    for i in range(m):
        ci = label[n + i]
        row = i * n
        for j in range(n):
            x = abs(w[i, j])
            if x >= threshold:
                continue
            if has_mask and not mask[i, j]:
                continue
            if zero_absent and x == 0.0:
                continue
            cj = label[j]
            if ci == cj:
                continue
            a = ci if ci < cj else cj
            b = cj if ci < cj else ci
            # Flat indices are visited in ascending order, so strict '>' keeps the lowest
            # index among equal magnitudes.
            if x > best_mag[a, b]:
                best_mag[a, b] = x
                best_idx[a, b] = row + j
    return best_mag, best_idx


@njit(cache=True, inline="always")
def _prim_relax(w, mask, has_mask, zero_absent, i, j, node, visited, best_mag, best_idx):
    """Prim's update of the unvisited ``node`` by the edge ``(i, j)`` (tie rule applied)."""
    if visited[node] or (has_mask and not mask[i, j]):
        return
    x = abs(w[i, j])
    if zero_absent and x == 0.0:
        return
    e = i * w.shape[1] + j
    if x > best_mag[node] or (x == best_mag[node] and e < best_idx[node]):
        best_mag[node] = x
        best_idx[node] = e


@njit(cache=True)
def dense_prim(w, mask, has_mask, zero_absent, out_idx):
    """Prim's algorithm with the tie rule on a dense bipartite layer; O((n+m)^2).

    Disconnected graphs give a forest (a new tree starts at the lowest unvisited node).
    Returns the number of forest edges written to ``out_idx`` (in no particular order).
    """
    m, n = w.shape
    n_nodes = n + m
    best_mag = np.full(n_nodes, -1.0)
    best_idx = np.full(n_nodes, -1, dtype=np.int64)
    visited = np.zeros(n_nodes, dtype=np.bool_)
    taken = 0
    for _ in range(n_nodes):
        pick = -1
        pick_mag = -1.0
        pick_idx = -1
        for x in range(n_nodes):
            if visited[x] or best_idx[x] < 0:
                continue
            if best_mag[x] > pick_mag or (best_mag[x] == pick_mag and best_idx[x] < pick_idx):
                pick = x
                pick_mag = best_mag[x]
                pick_idx = best_idx[x]
        if pick < 0:
            for x in range(n_nodes):
                if not visited[x]:
                    pick = x
                    break
        else:
            out_idx[taken] = pick_idx
            taken += 1
        visited[pick] = True
        if pick < n:
            for i in range(m):
                _prim_relax(w, mask, has_mask, zero_absent, i, pick, n + i,
                            visited, best_mag, best_idx)
        else:
            for j in range(n):
                _prim_relax(w, mask, has_mask, zero_absent, pick - n, j, j,
                            visited, best_mag, best_idx)
    return taken
