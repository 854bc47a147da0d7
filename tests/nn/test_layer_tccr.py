"""Per-layer TCCR: formula vs exact counts, and the parameter-level forest vs brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from topotheory.topology.tccr import (
    ConvGeometry,
    conv_counts,
    conv_full_tccr_formula,
    conv_tccr_formula,
    dense_tccr,
    parameter_forest,
    recurrent_tccr,
    tap_positions,
)


def brute_force(weight, g, include_padding=True):
    """Independent Kruskal on the explicit edge list (tie rule |w| desc, flat index asc)."""
    taps = tap_positions(g, include_padding=include_padding)
    n_pad, n_out = math.prod(g.padded_spatial), math.prod(g.output_spatial)
    if not include_padding:
        real = np.zeros(g.padded_spatial, bool)
        real[tuple(slice(a, p - b) for (a, b), p in zip(g.padding, g.padded_spatial, strict=True))] = True
        ren = np.cumsum(real.ravel()) - 1
        taps = np.where(taps >= 0, ren[np.maximum(taps, 0)], -1)
        n_pad = int(real.sum())
    cg, og = g.in_channels // g.groups, g.out_channels // g.groups
    n_in = g.in_channels * n_pad
    k = math.prod(g.kernel)
    edges = []
    for p, w in enumerate(weight.ravel()):
        t, o, c = p % k, p // (k * cg), (p // k) % cg
        ci = (o // og) * cg + c
        for q in range(n_out):
            if taps[t, q] >= 0:
                i, out = ci * n_pad + taps[t, q], o * n_out + q
                edges.append((-abs(w), out * n_in + i, i, n_in + out, p))
    edges.sort()
    parent = list(range(n_in + g.out_channels * n_out))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    used, merged = set(), 0
    for _, _, a, b, p in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            used.add(p)
            merged += 1
    components = len({find(x) for x in range(len(parent))})
    return dict(forest=merged, used=len(used), components=components, edges=len(edges),
                nodes=len(parent))


@st.composite
def geometries(draw, connected=False):
    dim = draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(2 if connected else 1, 3)) for _ in range(dim))
    if connected:  # k >= 2, stride 1, dilation 1, padding < k: windows overlap, all read
        stride, dilation = (1,) * dim, (1,) * dim
        padding = tuple((draw(st.integers(0, k - 1)), draw(st.integers(0, k - 1))) for k in kernel)
    else:
        stride = tuple(draw(st.integers(1, 3)) for _ in range(dim))
        dilation = tuple(draw(st.integers(1, 2)) for _ in range(dim))
        padding = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(dim))
    spatial = tuple(draw(st.integers(max(k * 2, 3), 7)) for k in kernel)
    groups = draw(st.integers(1, 2))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    return ConvGeometry(kernel, spatial, stride, padding, dilation, c_in, c_out, groups)


@settings(deadline=None)
@given(geometries(connected=True))
def test_formula_equals_exact_count_on_connected_geometries(g):
    pair = conv_counts(g.channel_pair())
    assert pair.connected
    assert pair.n_edges == math.prod(g.kernel) * math.prod(g.output_spatial)
    assert pair.tccr == pytest.approx(conv_tccr_formula(g), rel=1e-12)
    full = conv_counts(g, full_layer=True)
    assert full.n_components == g.groups
    assert full.tccr == pytest.approx(conv_full_tccr_formula(g), rel=1e-12)


@settings(deadline=None)  # the first call compiles the numba kernel
@given(geometries(), st.integers(0, 2**32 - 1), st.booleans())
@example(ConvGeometry((1,), (3,)), 0, True)  # a perfect matching: every node its own pair
def test_counts_and_parameter_forest_match_brute_force(g, seed, include_padding):
    rng = np.random.default_rng(seed)
    # small integer weights: many ties, which exercise the flat-index tie rule
    weight = rng.integers(-3, 4, (g.out_channels, g.in_channels // g.groups, *g.kernel)).astype(float)
    expected = brute_force(weight, g, include_padding)
    counts = conv_counts(g, full_layer=True, include_padding=include_padding)
    forest = parameter_forest(weight, g, include_padding=include_padding)
    assert (counts.n_nodes, counts.n_edges, counts.n_components) == (
        expected["nodes"], expected["edges"], expected["components"])
    assert forest.forest_size == expected["forest"] == counts.forest_size
    assert forest.n_used == expected["used"]


def test_disconnected_geometries_disagree_with_the_formula():
    # 1x1 stride-2 shortcut: 3/4 of the inputs isolated; the forest is a matching
    shortcut = conv_counts(ConvGeometry((1, 1), (32, 32), stride=2))
    assert shortcut.n_components == 1024 and shortcut.forest_size == 256 and shortcut.tccr == 1.0
    assert conv_tccr_formula(ConvGeometry((1, 1), (32, 32), stride=2)) == pytest.approx(256 / 1279)
    # dilation 2, stride 1: two residue classes per dimension
    dilated = conv_counts(ConvGeometry((3, 3), (8, 8), dilation=2, padding=2))
    assert dilated.n_components == 4 and dilated.isolated_nodes == 0
    # ResNet's stride-2 3x3 conv: the last padded row/column is never read
    strided = conv_counts(ConvGeometry((3, 3), (32, 32), stride=2, padding=1))
    assert strided.isolated_nodes == 67 and strided.tccr == pytest.approx(2304 / 1344)


def test_paper_per_layer_values():
    assert round(dense_tccr(784, 100), 5) == 88.78822
    assert round(dense_tccr(2048, 1024), 5) == 682.88896
    assert round(recurrent_tccr(100), 5) == round(10000 / 199, 5)
    for size, printed in ((64, 4.36209), (32, 4.22946), (28, 4.19251), (16, 3.97927),
                          (8, 3.53374), (4, 2.82353)):
        g = ConvGeometry((3, 3), (size, size), padding=1)
        assert round(conv_tccr_formula(g), 5) == printed


def test_parameter_forest_on_one_channel_pair_uses_few_of_nine_parameters():
    rng = np.random.default_rng(7)
    g = ConvGeometry((3, 3), (32, 32), padding=1)
    used = [parameter_forest(rng.standard_normal((1, 1, 3, 3)), g).n_used for _ in range(5)]
    assert all(2 <= u <= 9 for u in used)
    # the largest-magnitude parameter is always used (its edges form a matching)
    w = rng.standard_normal((1, 1, 3, 3))
    assert parameter_forest(w, g).used.ravel()[np.argmax(np.abs(w))]


def test_bad_geometry_raises():
    with pytest.raises(ValueError, match="groups"):
        ConvGeometry((3,), (8,), in_channels=3, out_channels=4, groups=2)
    with pytest.raises(ValueError, match="does not fit"):
        ConvGeometry((5,), (3,))
    with pytest.raises(ValueError, match="weight must have shape"):
        parameter_forest(np.zeros((2, 2, 3)), ConvGeometry((3,), (8,)))
