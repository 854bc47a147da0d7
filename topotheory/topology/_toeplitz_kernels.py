"""numba kernels for the exact unrolled (Toeplitz) graph of a convolution.

Geometry is always handled in three spatial dimensions (1-D and 2-D convolutions get
leading singleton dimensions). ``geom`` packs the integers:

``[c_out, c_in_per_group, out_per_group, kd, kh, kw, sd, sh, sw, dd, dh, dw, pd, ph, pw,
   od, oh, ow, gd, gh, gw, include_padding]``

where ``g*`` is the input node grid (padded when ``include_padding``) and ``o*`` the
output grid. Input node ``ci * P_in + (z * gh + y) * gw + x``; output node
``N_in + co * P_out + (z * oh + y) * ow + x``; flat edge index
``(co * P_out + pos_out) * N_in + in_node`` (row-major in the ``(N_out, N_in)`` matrix).
"""

from __future__ import annotations

import numpy as np

from topotheory._numba import njit
from topotheory.topology._kernels import _union


@njit(cache=True, inline="always")
def _input_coord(pos, offset, stride, dilation, pad, size, include_padding):
    """Input coordinate (along one axis) that output position ``pos`` reads through kernel
    offset ``offset``; -1 when padding positions are not nodes and it falls in the padding."""
    i = pos * stride + offset * dilation
    if include_padding:
        return i
    i -= pad
    return i if 0 <= i < size else -1


@njit(cache=True)
def _param_edges(p, geom, n_in_nodes, flat_out, u_out, v_out):
    """Write the edges of kernel parameter ``p`` (ascending flat index); return count."""
    c_in_g = geom[1]
    out_g = geom[2]
    kd, kh, kw = geom[3], geom[4], geom[5]
    sd, sh, sw = geom[6], geom[7], geom[8]
    dd, dh, dw = geom[9], geom[10], geom[11]
    pd, ph, pw = geom[12], geom[13], geom[14]
    od, oh, ow = geom[15], geom[16], geom[17]
    gd, gh, gw = geom[18], geom[19], geom[20]
    include_padding = geom[21] != 0
    c = p % kw
    rest = p // kw
    b = rest % kh
    rest = rest // kh
    a = rest % kd
    rest = rest // kd
    cil = rest % c_in_g
    co = rest // c_in_g
    ci = (co // out_g) * c_in_g + cil
    p_in = gd * gh * gw
    p_out = od * oh * ow
    count = 0
    for z in range(od):
        iz = _input_coord(z, a, sd, dd, pd, gd, include_padding)
        if iz < 0:
            continue
        for y in range(oh):
            iy = _input_coord(y, b, sh, dh, ph, gh, include_padding)
            if iy < 0:
                continue
            for x in range(ow):
                ix = _input_coord(x, c, sw, dw, pw, gw, include_padding)
                if ix < 0:
                    continue
                in_node = ci * p_in + (iz * gh + iy) * gw + ix
                out_node = co * p_out + (z * oh + y) * ow + x
                flat_out[count] = out_node * n_in_nodes + in_node
                u_out[count] = in_node
                v_out[count] = n_in_nodes + out_node
                count += 1
    return count


@njit(cache=True)
def toeplitz_all_edges(geom, n_params, n_in_nodes, p_out):
    """All edges, in parameter-major order: (flat index, u, v, parameter)."""
    cap = n_params * p_out
    flat = np.empty(cap, dtype=np.int64)
    u = np.empty(cap, dtype=np.int64)
    v = np.empty(cap, dtype=np.int64)
    param = np.empty(cap, dtype=np.int64)
    total = 0
    for p in range(n_params):
        k = _param_edges(p, geom, n_in_nodes, flat[total:], u[total:], v[total:])
        param[total : total + k] = p
        total += k
    return flat[:total], u[:total], v[:total], param[:total]


@njit(cache=True)
def toeplitz_kruskal(mags, order, geom, n_in_nodes, n_nodes, p_out, zero_absent):
    """Kruskal over the Toeplitz graph, one kernel parameter (or tie group) at a time.

    ``order`` sorts parameters by ``|w|`` descending then parameter index. Edges of one
    parameter are visited in ascending flat index; a group of parameters with equal
    magnitude is merged and visited in ascending flat index, which is the tie rule.
    Returns forest arrays (flat index, u, v, parameter, magnitude) in Kruskal order and the
    number of components.
    """
    parent = np.arange(n_nodes)
    components = n_nodes
    cap = n_nodes - 1
    f_flat = np.empty(cap, dtype=np.int64)
    f_u = np.empty(cap, dtype=np.int64)
    f_v = np.empty(cap, dtype=np.int64)
    f_p = np.empty(cap, dtype=np.int64)
    f_m = np.empty(cap, dtype=np.float64)
    taken = 0
    buf_flat = np.empty(p_out, dtype=np.int64)
    buf_u = np.empty(p_out, dtype=np.int64)
    buf_v = np.empty(p_out, dtype=np.int64)
    t = 0
    n_params = order.size
    while t < n_params and components > 1:
        start = t
        mag = mags[order[t]]
        while t < n_params and mags[order[t]] == mag:
            t += 1
        if zero_absent and mag == 0.0:
            break
        group = t - start
        if group == 1:
            p = order[start]
            k = _param_edges(p, geom, n_in_nodes, buf_flat, buf_u, buf_v)
            for e in range(k):
                if _union(parent, buf_u[e], buf_v[e]):
                    f_flat[taken] = buf_flat[e]
                    f_u[taken] = buf_u[e]
                    f_v[taken] = buf_v[e]
                    f_p[taken] = p
                    f_m[taken] = mag
                    taken += 1
                    components -= 1
                    if components == 1:
                        break
        else:
            g_flat = np.empty(group * p_out, dtype=np.int64)
            g_u = np.empty(group * p_out, dtype=np.int64)
            g_v = np.empty(group * p_out, dtype=np.int64)
            g_p = np.empty(group * p_out, dtype=np.int64)
            total = 0
            for q in range(start, t):
                p = order[q]
                k = _param_edges(p, geom, n_in_nodes, g_flat[total:], g_u[total:], g_v[total:])
                g_p[total : total + k] = p
                total += k
            perm = np.argsort(g_flat[:total], kind="mergesort")
            for r in range(total):
                e = perm[r]
                if _union(parent, g_u[e], g_v[e]):
                    f_flat[taken] = g_flat[e]
                    f_u[taken] = g_u[e]
                    f_v[taken] = g_v[e]
                    f_p[taken] = g_p[e]
                    f_m[taken] = mag
                    taken += 1
                    components -= 1
                    if components == 1:
                        break
    return f_flat[:taken], f_u[:taken], f_v[:taken], f_p[:taken], f_m[:taken], components
