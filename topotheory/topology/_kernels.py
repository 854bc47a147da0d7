"""numba kernels of the topology core: union-find, Kruskal, filter-Kruskal and Prim.

Every kernel respects the one tie rule: edges are ordered by ``|w|`` descending, then by
flat edge index ascending; "absent" edges never enter. Kernels return forest edges as
flat indices; the Python layer turns them into :class:`SpanningForest` objects.

Dense layers compare integers, not floats
-----------------------------------------
For finite IEEE floats ``a, b >= 0``, ``a < b`` exactly when their bit patterns, read as
integers, compare the same way. The dense kernels therefore read a weight matrix through
an integer view (``int64`` for float64, ``int32`` for float32) and use the *key*
``(bits(w) & sign_mask) + 1`` for a present edge and ``0`` for an absent one (pruned by the
mask, or a zero under ``zero_weights="absent"``). Integer comparisons and maxima vectorise
without fast-math flags, and the same pass spots a non-finite weight (exponent bits all
set), so the kernels validate the data they read instead of a separate pass.

Dense Prim (``dense_prim``)
    Keys of the unvisited inputs and outputs are two arrays; visiting a node relaxes the
    whole other side in one branch-free loop that also returns that side's new maximum,
    and rescans its own side (the visited node held the maximum). The pick is the largest
    key, ties to the lowest flat index (a second branch-free pass, only over a side whose
    maximum is the overall one). Columns are read from a transposed key copy, so every
    inner loop is contiguous; a non-finite weight has the largest key of all and is caught
    by the pick that would take it. Work ``O((n+m)^2)``
    on ``O(n m)`` integers. The same algorithm before this rewrite (floats, an inlined
    per-edge ``_prim_relax`` helper, branches in the inner loops) was 10-23x slower (below).
Dense filter-Kruskal (``dense_collect`` + ``kruskal_bipartite`` + contraction)
    See :mod:`topotheory.topology.forest`; one collecting pass over the weights (which also
    checks finiteness), a sort of about ``(n+m)(ln(n+m)+3)`` candidates, Kruskal, and when
    needed one more pass for the best edge between every pair of components.

Speed curve and the Prim / filter-Kruskal crossover
---------------------------------------------------
Square float64 layers, ``maximum_spanning_forest`` per call (median; CPU clock from 1 ms),
on a loaded 2-core machine (AMD EPYC, AVX-512), milliseconds. "Prim before" is the kernel
of e96de01 (floats, the inlined per-edge helper ``_prim_relax``, branches in the inner
loops), measured as the kernel alone:

=========  ===========  ========  ==============
layer      Prim before  Prim now  filter-Kruskal
=========  ===========  ========  ==============
10x10            0.005     0.012           0.012
32x32            0.042     0.011           0.027
64x64            0.169     0.017           0.076
100x100          0.417     0.029           0.184
256x256          2.78      0.121           0.513
512x512         11.2       0.571           1.17
724x724                    1.19            1.92
1024x1024       48.5       3.76            3.12
32x2000                    0.857           5.25
=========  ===========  ========  ==============

(The "now" columns include validation and the forest's arrays: ~6 us per call.) Prim is
``O((n+m)^2)``; filter-Kruskal is ``O(n m)`` plus a sort of ``O((n+m) log(n+m))``
candidates. Prim is ahead up to 724x724 (1448 nodes) and filter-Kruskal from 1024x1024,
so :func:`topotheory.topology.forest.prefer_prim` runs Prim up to 1500 nodes, and on thin
layers where filter-Kruskal would collect every edge anyway (32x2000). The transposed copy
is made in 8x8 tiles: a plain column walk thrashed the cache on power-of-two widths
(22x slower at 1024x1024).

Rule for this module: a refactor of a kernel lands with a before/after curve (``topotheory
bench``, same run, ratios) in its commit message. Removing duplicated lines from a kernel
is not worth a slower kernel.
"""

from __future__ import annotations

import numpy as np
from numba import types
from numba.extending import overload

from topotheory._numba import njit

#: Sentinel flat index larger than any edge index.
_NO_EDGE = np.int64(1) << np.int64(62)
#: Largest finite float64, for the non-finite scan of :func:`first_non_finite`.
_FLOAT_MAX = float(np.finfo(np.float64).max)


def bit_constants(dtype: np.dtype) -> tuple[type, int, int]:
    """``(integer view dtype, sign-clearing mask, smallest non-finite |bits|)`` of a float
    dtype (float64 or float32).

    Examples
    --------
    >>> bit_constants(np.dtype(np.float32))[1] == 0x7FFFFFFF
    True
    """
    if dtype.itemsize == 8:
        return np.int64, 0x7FFF_FFFF_FFFF_FFFF, 0x7FF0_0000_0000_0000
    return np.int32, 0x7FFF_FFFF, 0x7F80_0000


def _bit_view(w):  # pragma: no cover - replaced by the overload inside kernels
    raise NotImplementedError("only callable from numba kernels")


@overload(_bit_view, inline="always")
def _bit_view_impl(w):
    """``(integer view, sign mask, non-finite bound)`` of a float64 or float32 array, the
    constants of :func:`bit_constants` fixed at compile time."""
    if w.dtype == types.float64:
        return lambda w: (w.view(np.int64), np.int64(0x7FFF_FFFF_FFFF_FFFF),
                          np.int64(0x7FF0_0000_0000_0000))
    if w.dtype == types.float32:
        return lambda w: (w.view(np.int32), np.int64(0x7FFF_FFFF), np.int64(0x7F80_0000))
    return None


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
def first_non_finite(values):
    """Flat index of the first NaN or infinite entry of a C-contiguous float array, or -1.

    One allocation-free pass (a vectorised test, then a scan only if it found one).
    """
    flat = values.reshape(values.size)
    bad = False
    for x in flat:
        bad |= not abs(x) <= _FLOAT_MAX
    if not bad:
        return -1
    for k in range(flat.size):
        if not abs(flat[k]) <= _FLOAT_MAX:
            return k
    return -1


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


@njit(cache=True, inline="always")
def _edge_key(bits, i, j, sign_mask, mask, has_mask, zero_absent):
    """Key of edge ``(i, j)``: ``|w|`` bits + 1, or 0 when the edge is absent."""
    x = (bits[i, j] & sign_mask) + 1
    if has_mask and not mask[i, j]:
        x = 0
    if zero_absent and x == 1:
        x = 0
    return x


@njit(cache=True)
def dense_collect(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, threshold, cap,
                  idx_out, key_out):
    """Collect present edges with key ``>= threshold`` in ascending flat index.

    Returns ``(count, finite)``: a count above ``cap`` means the buffers overflowed (only
    the first ``cap`` were stored); ``finite`` is False when a weight is NaN or infinite
    (the other outputs are then meaningless).
    """
    m, n = bits.shape
    count = 0
    bad = False
    for i in range(m):
        row = i * n
        for j in range(n):
            raw = bits[i, j] & sign_mask
            bad |= raw >= inf_bits
            if raw + 1 >= threshold:
                x = _edge_key(bits, i, j, sign_mask, mask, has_mask, zero_absent)
                if x >= threshold and x > 0:
                    if count < cap:
                        idx_out[count] = row + j
                        key_out[count] = x
                    count += 1
    return count, not bad


@njit(cache=True)
def kruskal_bipartite(n_in, n_out, flat_idx, order, parent, out_idx):
    """Kruskal on bipartite edges given by flat index, continuing the union-find ``parent``.

    Returns the number of forest edges written to ``out_idx``.
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
def dense_best_between_components(bits, sign_mask, mask, has_mask, zero_absent, threshold,
                                  label, n_comp):
    """Best remaining edge (tie rule) between every pair of components, over present edges
    with key below ``threshold``. Returns (best key, best flat index) C x C arrays (upper
    triangle; key 0 and index -1 where there is none)."""
    m, n = bits.shape
    best_key = np.zeros((n_comp, n_comp), dtype=np.int64)
    best_idx = np.full((n_comp, n_comp), -1, dtype=np.int64)
    for i in range(m):
        ci = label[n + i]
        row = i * n
        for j in range(n):
            cj = label[j]
            if ci == cj:
                continue
            x = _edge_key(bits, i, j, sign_mask, mask, has_mask, zero_absent)
            if x >= threshold or x == 0:
                continue
            a = ci if ci < cj else cj
            b = cj if ci < cj else ci
            # Flat indices are visited in ascending order, so strict '>' keeps the lowest
            # index among equal keys.
            if x > best_key[a, b]:
                best_key[a, b] = x
                best_idx[a, b] = row + j
    return best_key, best_idx


@njit(cache=True, inline="always")
def _relax(src, p, length, base, stride, keys, idx):
    """Prim's update of one side's keys by the edges ``src[p, t]`` (flat index
    ``base + t * stride``), tie rule included; returns the side's new largest key.

    Visited nodes carry index -1 and are never updated. Branch-free, so it vectorises.
    """
    best = np.int64(-1)
    for t in range(length):
        x = src[p, t]
        e = base + t * stride
        k = keys[t]
        c = idx[t]
        better = (c >= 0) & ((x > k) | ((x == k) & (e < c)))
        k = x if better else k
        keys[t] = k
        idx[t] = e if better else c
        best = k if k > best else best
    return best


@njit(cache=True, inline="always")
def _max_key(keys):
    best = np.int64(-1)
    for t in range(keys.size):
        k = keys[t]
        best = k if k > best else best
    return best


@njit(cache=True, inline="always")
def _lowest_index_with_key(keys, idx, key):
    low = _NO_EDGE
    for t in range(keys.size):
        c = idx[t] if keys[t] == key else _NO_EDGE
        low = c if c < low else low
    return low


@njit(cache=True, inline="always")
def _first_unvisited(idx):
    for t in range(idx.size):
        if idx[t] >= 0:
            return t
    return -1


@njit(cache=True, inline="always")
def _transposed_keys(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, cols):
    """``cols[j, i]`` = key of edge ``(i, j)``, in 8x8 tiles (a plain column walk thrashes
    the cache on power-of-two widths: 22x slower at 1024x1024). Returns True when a masked
    or zero-absent layer holds a non-finite weight; with every edge present the check is
    left to Prim's picks (see :func:`dense_prim`)."""
    m, n = bits.shape
    tile = 8
    m_tiled = m - m % tile
    n_tiled = n - n % tile
    bad = False
    if has_mask or zero_absent:
        for i in range(m):
            for j in range(n):
                bad |= (bits[i, j] & sign_mask) >= inf_bits
        for i0 in range(0, m_tiled, tile):
            for j0 in range(0, n_tiled, tile):
                for jj in range(tile):
                    for ii in range(tile):
                        cols[j0 + jj, i0 + ii] = _edge_key(
                            bits, i0 + ii, j0 + jj, sign_mask, mask, has_mask, zero_absent
                        )
        for j in range(n):
            for i in range(m_tiled if j < n_tiled else 0, m):
                cols[j, i] = _edge_key(bits, i, j, sign_mask, mask, has_mask, zero_absent)
        return bad
    for i0 in range(0, m_tiled, tile):
        for j0 in range(0, n_tiled, tile):
            for jj in range(tile):
                for ii in range(tile):
                    cols[j0 + jj, i0 + ii] = (bits[i0 + ii, j0 + jj] & sign_mask) + 1
    for j in range(n):
        for i in range(m_tiled if j < n_tiled else 0, m):
            cols[j, i] = (bits[i, j] & sign_mask) + 1
    return bad


@njit(cache=True)
def dense_prim(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, out_idx):
    """Prim's algorithm with the tie rule on a dense bipartite layer; O((n+m)^2).

    ``bits`` is the integer view of the weights (see the module notes). Disconnected
    graphs give a forest (a new tree starts at the lowest unvisited input, then output).
    Returns the number of forest edges written to ``out_idx`` (in pick order), or -1 when
    a weight is NaN or infinite.
    """
    m, n = bits.shape
    # Transposed keys (row j: the edges of input j), so that every relax reads a row.
    cols = np.empty((n, m), dtype=np.int64)
    if _transposed_keys(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, cols):
        return -1
    if has_mask or zero_absent:
        rows = np.empty((m, n), dtype=np.int64)
        for i in range(m):
            for j in range(n):
                rows[i, j] = _edge_key(bits, i, j, sign_mask, mask, has_mask, zero_absent)
    else:
        rows = np.empty((0, 0), dtype=np.int64)
    work = np.empty(2 * (n + m), dtype=np.int64)
    key_in = work[:n]
    idx_in = work[n:2 * n]
    key_out = work[2 * n:2 * n + m]
    idx_out = work[2 * n + m:]
    key_in[:] = 0
    key_out[:] = 0
    idx_in[:] = _NO_EDGE
    idx_out[:] = _NO_EDGE
    raw_rows = not (has_mask or zero_absent)
    taken = 0
    side = 0  # 0: the next node is an input, 1: an output
    pick = 0
    for step in range(n + m):
        if side == 0:
            key_in[pick] = -1
            idx_in[pick] = -1
            best_out = _relax(cols, pick, m, pick, n, key_out, idx_out)
            best_in = _max_key(key_in)
        else:
            key_out[pick] = -1
            idx_out[pick] = -1
            if raw_rows:
                best_in = _relax_raw(bits, pick, n, pick * n, key_in, idx_in, sign_mask)
            else:
                best_in = _relax(rows, pick, n, pick * n, 1, key_in, idx_in)
            best_out = _max_key(key_out)
        if step == n + m - 1:
            break
        best = max(best_in, best_out)
        if best > inf_bits:
            return -1
        if best <= 0:  # no edge leaves the tree: start the next one
            pick = _first_unvisited(idx_in)
            side = 0
            if pick < 0:
                pick = _first_unvisited(idx_out)
                side = 1
            continue
        low = _NO_EDGE
        if best_in == best:
            low = _lowest_index_with_key(key_in, idx_in, best)
            side = 0
        if best_out == best:
            low_out = _lowest_index_with_key(key_out, idx_out, best)
            if low_out < low:
                low = low_out
                side = 1
        out_idx[taken] = low
        taken += 1
        i = low // n
        pick = low - i * n if side == 0 else i
    return taken


@njit(cache=True, inline="always")
def _relax_raw(bits, p, length, base, keys, idx, sign_mask):
    """:func:`_relax` reading row ``p`` of the weights' integer view directly (every edge
    present: no mask, zero weights present)."""
    best = np.int64(-1)
    for t in range(length):
        x = (bits[p, t] & sign_mask) + 1
        e = base + t
        k = keys[t]
        c = idx[t]
        better = (c >= 0) & ((x > k) | ((x == k) & (e < c)))
        k = x if better else k
        keys[t] = k
        idx[t] = e if better else c
        best = k if k > best else best
    return best


@njit(cache=True)
def bipartite_forest_arrays(w, edge_idx, presorted):
    """Forest arrays of a dense layer from its forest's flat indices, in tie-rule order
    (``|w|`` descending, flat index ascending), packed as one ``(4, k)`` int64 array: flat
    index, input node ``u``, output node ``v`` and the float64 bits of ``|w|`` (one array
    crosses back to Python instead of four).

    ``presorted`` skips the sort when ``edge_idx`` is already in that order.
    """
    n = w.shape[1]
    flat = w.reshape(w.size)
    count = edge_idx.size
    if presorted:
        order_idx = edge_idx
    else:
        by_index = np.sort(edge_idx)
        mags = np.empty(count, dtype=np.float64)
        for t in range(count):
            mags[t] = -abs(flat[by_index[t]])
        order_idx = by_index[np.argsort(mags, kind="mergesort")]
    packed = np.empty((4, count), dtype=np.int64)
    weights = packed[3].view(np.float64)
    for t in range(count):
        e = order_idx[t]
        i = e // n
        packed[0, t] = e
        packed[1, t] = e - i * n
        packed[2, t] = n + i
        weights[t] = abs(flat[e])
    return packed


@njit(cache=True)
def dense_prim_forest(w, mask, has_mask, zero_absent):
    """:func:`dense_prim` and :func:`bipartite_forest_arrays` in one call (a small layer
    pays one dispatch). Returns the packed forest, or an empty ``(0, 0)`` array when a
    weight is NaN or infinite."""
    m, n = w.shape
    bits, sign_mask, inf_bits = _bit_view(w)
    out = np.empty(n + m, dtype=np.int64)
    taken = dense_prim(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, out)
    if taken < 0:
        return np.empty((0, 0), dtype=np.int64)
    return bipartite_forest_arrays(w, out[:taken], False)


@njit(cache=True)
def pairwise_sum(values):
    """Sum in the order of numpy's ``add.reduce`` on a contiguous float64 array (pairwise:
    halves rounded down to a multiple of 8 until at most 128 values, which are summed with
    8 accumulators), so the result equals ``numpy.sum`` bit for bit.

    Iterative (an explicit stack): numba cannot load a cached recursive function.
    """
    lo_stack = np.empty(64, dtype=np.int64)
    n_stack = np.empty(64, dtype=np.int64)
    stage = np.empty(64, dtype=np.int64)
    sums = np.empty(64, dtype=np.float64)
    depth = 0
    n_sums = 0
    lo_stack[0] = 0
    n_stack[0] = values.size
    stage[0] = 0
    while depth >= 0:
        lo = lo_stack[depth]
        n = n_stack[depth]
        if n <= 128:
            sums[n_sums] = _block_sum(values, lo, n)
            n_sums += 1
            depth -= 1
            continue
        half = n // 2
        half -= half % 8
        if stage[depth] == 2:
            n_sums -= 1
            sums[n_sums - 1] = sums[n_sums - 1] + sums[n_sums]
            depth -= 1
            continue
        child_lo = lo if stage[depth] == 0 else lo + half
        child_n = half if stage[depth] == 0 else n - half
        stage[depth] += 1
        depth += 1
        lo_stack[depth] = child_lo
        n_stack[depth] = child_n
        stage[depth] = 0
    return sums[0]


@njit(cache=True, inline="always")
def _block_sum(a, lo, n):
    """numpy's unrolled sum of at most 128 values."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    end = n - n % 8
    while i < end:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def dense_prim_norm_parts(w, mask, has_mask, zero_absent, p):
    """Neural persistence parts of a dense layer under the paper's conventions, in one call.

    The forest's ``|w|`` in tie-rule order, ``w' = |w| / max|w|``, persistences ``1 - w'``
    and ``top = max``, ``total = sum((pers / top) ** p)`` for ``p`` 1 or 2, with the same
    operations in the same order as :meth:`PersistenceDiagram.p_norm` (equal bit for bit).
    Returns ``(points, w_max, top, total)``; ``points`` is -1 when a weight is NaN or
    infinite.
    """
    m, n = w.shape
    bits, sign_mask, inf_bits = _bit_view(w)
    out = np.empty(n + m, dtype=np.int64)
    taken = dense_prim(bits, sign_mask, inf_bits, mask, has_mask, zero_absent, out)
    if taken <= 0:
        return taken, 0.0, 0.0, 0.0
    flat = w.reshape(w.size)
    mags = np.empty(taken, dtype=np.float64)
    for t in range(taken):
        mags[t] = abs(flat[out[t]])
    mags = np.sort(mags)[::-1]
    w_max = mags[0]
    if w_max == 0.0:
        return taken, w_max, 0.0, 0.0
    pers = np.empty(taken, dtype=np.float64)
    top = 0.0
    for t in range(taken):
        x = 1.0 - mags[t] / w_max
        pers[t] = x
        top = x if x > top else top
    if top == 0.0:
        return taken, w_max, 0.0, 0.0
    for t in range(taken):
        x = pers[t] / top
        pers[t] = x * x if p == 2.0 else x
    return taken, w_max, top, pairwise_sum(pers)
