"""Hand-written user implementations, correct and deliberately buggy (test fixtures).

Written from scratch with numpy and a union-find, as a user would, independent of
topotheory's core. Each ``BUG`` function differs from its correct sibling by one
convention mistake; the kit must flag every one of them.
"""

from __future__ import annotations

import numpy as np


def _union_find_forest(order, ends, n_nodes):
    """Kruskal's rule: the edges of ``order`` joining two components, given ``ends(edge)``."""
    parent = list(range(n_nodes))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    forest = []
    for edge in order:
        u, v = ends(edge)
        a, b = find(u), find(v)
        if a != b:
            parent[a] = b
            forest.append(edge)
    return forest


def _kruskal(w, *, zero_weights="present", ties="ascending"):
    """Flat indices of the maximum spanning forest of a dense layer ``(m_out, n_in)``."""
    m, n = w.shape
    mags = np.abs(w).ravel()
    index = np.arange(mags.size)
    key = index if ties == "ascending" else -index
    order = np.lexsort((key, -mags)).tolist()
    if zero_weights == "absent":
        order = [flat for flat in order if mags[flat] != 0]
    return _union_find_forest(order, lambda flat: (flat % n, n + flat // n), n + m)


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


# -- convolution (Toeplitz) forests ----------------------------------------------------------


def _per_dim(value, dims):
    return (int(value),) * dims if np.ndim(value) == 0 else tuple(int(v) for v in value)


def _conv_edges(weight, input_shape, stride, padding, dilation, groups, *, padded, grouped):
    """Flat Toeplitz indices and parameters of a conv layer, enumerated with loops."""
    import itertools

    c_out, c_in_g, *kernel = weight.shape
    dims = len(kernel)
    stride, padding, dilation = (_per_dim(x, dims) for x in (stride, padding, dilation))
    spatial = input_shape[1:]
    grid = [s + 2 * p for s, p in zip(spatial, padding, strict=True)] if padded else list(spatial)
    out = [
        (s + 2 * p - d * (k - 1) - 1) // st + 1
        for s, p, d, k, st in zip(spatial, padding, dilation, kernel, stride, strict=True)
    ]
    n_grid, n_out = int(np.prod(grid)), int(np.prod(out))
    n_in = input_shape[0] * n_grid
    c_out_g = c_out // groups
    flats, params = [], []
    for o in range(c_out):
        for c in range(c_in_g):
            c_in = (o // c_out_g) * c_in_g + c if grouped else c  # BUG when not grouped
            for taps in itertools.product(*[range(k) for k in kernel]):
                param = np.ravel_multi_index((o, c, *taps), weight.shape)
                for pos in itertools.product(*[range(x) for x in out]):
                    where = [
                        q * st + t * d
                        for q, st, t, d in zip(pos, stride, taps, dilation, strict=True)
                    ]
                    if not padded:
                        where = [x - p for x, p in zip(where, padding, strict=True)]
                        if any(x < 0 or x >= s for x, s in zip(where, spatial, strict=True)):
                            continue
                    in_node = c_in * n_grid + np.ravel_multi_index(where, grid)
                    out_node = o * n_out + np.ravel_multi_index(pos, out)
                    flats.append(out_node * n_in + in_node)
                    params.append(param)
    return np.array(flats, dtype=np.int64), np.array(params, dtype=np.int64), n_in, c_out * n_out


def _conv_kruskal(
    weight, input_shape, stride, padding, dilation, groups, *, padded=True, grouped=True
):
    flats, params, n_in, n_out = _conv_edges(
        weight, input_shape, stride, padding, dilation, groups, padded=padded, grouped=grouped
    )
    mags = np.abs(weight.ravel())[params]
    forest = _union_find_forest(
        np.lexsort((flats, -mags)).tolist(),
        lambda e: (int(flats[e] % n_in), int(n_in + flats[e] // n_in)),
        n_in + n_out,
    )
    return [int(flats[e]) for e in forest]


def conv_mst(weight, input_shape, *, stride, padding, dilation, groups):
    """Correct: loops over the Toeplitz entries (padded positions are nodes), then Kruskal."""
    return _conv_kruskal(weight, input_shape, stride, padding, dilation, groups)


def conv_mst_unpadded(weight, input_shape, *, stride, padding, dilation, groups):
    """BUG: input nodes are the real positions only (ignores padding nodes)."""
    return _conv_kruskal(weight, input_shape, stride, padding, dilation, groups, padded=False)


def conv_mst_ignoring_groups(weight, input_shape, *, stride, padding, dilation, groups):
    """BUG: output channel o reads input channels 0..C_in/groups-1 whatever its group."""
    return _conv_kruskal(weight, input_shape, stride, padding, dilation, groups, grouped=False)


def conv_used_params(weight, input_shape, *, stride, padding, dilation, groups):
    """Correct, returning the used kernel parameters as a bool mask."""
    flats, params, _, _ = _conv_edges(
        weight, input_shape, stride, padding, dilation, groups, padded=True, grouped=True
    )
    used = np.zeros(weight.size, dtype=bool)
    used[
        params[
            np.isin(
                flats,
                conv_mst(
                    weight,
                    input_shape,
                    stride=stride,
                    padding=padding,
                    dilation=dilation,
                    groups=groups,
                ),
            )
        ]
    ] = True
    return used.reshape(weight.shape)


# -- convolution TCCR ------------------------------------------------------------------------


def conv_tccr_exact(g):
    """Correct: |E| / |MSF| with |MSF| = |V| - components, counted on the padded pair graph."""
    k = int(np.prod(g.kernel))
    weight = np.ones((1, 1, *g.kernel))
    forest = conv_mst(
        weight,
        (1, *g.input_spatial),
        stride=g.stride,
        padding=[a for a, _ in g.padding],
        dilation=g.dilation,
        groups=1,
    )
    return k * int(np.prod(g.output_spatial)) / len(forest)


def conv_tccr_formula_everywhere(g):
    """BUG: applies Theorem 3.2's formula prod(k) N_out / (N_in + N_out - 1) to every geometry."""
    n_in, n_out = int(np.prod(g.padded_spatial)), int(np.prod(g.output_spatial))
    return int(np.prod(g.kernel)) * n_out / (n_in + n_out - 1)


# -- recurrent (unrolled) forests ------------------------------------------------------------


def recurrent_mst(w, steps):
    """Correct: one Kruskal run over all T h^2 unrolled edges (flat t h^2 + i h + j)."""
    h = w.shape[0]
    flats = np.arange(steps * h * h)
    mags = np.tile(np.abs(w).ravel(), steps)

    def ends(f):
        t, rest = divmod(f, h * h)
        return t * h + rest % h, (t + 1) * h + rest // h

    return _union_find_forest(np.lexsort((flats, -mags)).tolist(), ends, (steps + 1) * h)


def recurrent_mst_per_step(w, steps):
    """BUG when the whole-graph reading is asked: the forest of one step's h x h layer."""
    return _kruskal(w)
