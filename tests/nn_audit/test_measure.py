"""Per-layer measurements against the topology core, scipy and the TCCR report."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.sparse.csgraph import minimum_spanning_tree

from topotheory.nn.audit.measure import (
    conv_forest_measures,
    conv_graph,
    conv_topk_count,
    dense_forest_measures,
)
from topotheory.nn.tccr import model_tccr
from topotheory.nn.trace import trace_model
from topotheory.topology import (
    conv_toeplitz_graph,
    maximum_spanning_forest,
    neural_persistence,
    topk_mst_overlap,
)
from topotheory.topology.tccr import ConvGeometry, parameter_forest


@st.composite
def conv_layers(draw):
    dim = draw(st.integers(1, 3))
    groups = draw(st.integers(1, 2))
    cin_g, cout_g = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = tuple(draw(st.lists(st.integers(1, 3), min_size=dim, max_size=dim)))
    spatial = tuple(draw(st.lists(st.integers(3, 6), min_size=dim, max_size=dim)))
    stride = tuple(draw(st.lists(st.integers(1, 3), min_size=dim, max_size=dim)))
    dilation = tuple(draw(st.lists(st.integers(1, 2), min_size=dim, max_size=dim)))
    padding = tuple(draw(st.lists(st.integers(0, 1), min_size=dim, max_size=dim)))
    shape = (groups * cout_g, cin_g, *kernel)
    tied = draw(st.booleans())  # integer weights: many exact ties in |w|
    values = st.integers(-2, 2) if tied else st.floats(-1, 1, allow_nan=False, width=32)
    w = np.array(draw(st.lists(values, min_size=math.prod(shape), max_size=math.prod(shape))),
                 dtype=np.float64).reshape(shape)
    # enough padding for the dilated kernel to fit: s + 2p >= d (k - 1) + 1
    pads = tuple(max(p, (d * (k - 1) + 1 - s + 1) // 2) for k, s, d, p in
                 zip(kernel, spatial, dilation, padding, strict=True))
    return conv_toeplitz_graph(w, (groups * cin_g, *spatial), stride=stride, padding=pads,
                               dilation=dilation, groups=groups)


@given(conv_layers(), st.integers(0, 3))
@example(conv_toeplitz_graph(np.array([[[1.0, 1.0, 1.0]]]), (1, 5), padding=1), 0)
@example(conv_toeplitz_graph(np.zeros((2, 1, 2, 2)), (1, 4, 4), stride=2), 1)
def test_conv_overlap_from_the_forest_equals_the_core(graph, shift) -> None:
    forest = maximum_spanning_forest(graph)
    for k in {forest.size, max(0, forest.size - shift), min(graph.n_edges, forest.size + shift)}:
        assert conv_topk_count(graph, forest, k) == topk_mst_overlap(graph, k).count


def test_dense_measures_equal_the_core() -> None:
    rng = np.random.default_rng(0)
    w = rng.standard_normal((7, 11))
    m = dense_forest_measures(w, w_network=3.5)
    assert m.np_paper == pytest.approx(neural_persistence(w), rel=1e-12)
    assert m.np_rieck_normalized == pytest.approx(
        neural_persistence(w, normalization="rieck", w_max=3.5, normalize="rieck_code"), rel=1e-12)
    assert (m.overlap_k, m.overlap_count) == (17, topk_mst_overlap(w).count)
    assert m.keep == m.forest_size == 17 and m.tccr == 77 / 17


def _scipy_forest_weight(graph) -> float:
    """Total |w| of a maximum spanning forest through scipy (it minimises, skips zeros)."""
    mat = graph.to_scipy().tocoo()
    n = graph.n_nodes
    data = -(np.abs(mat.data) + 1.0)  # shift by 1: scipy drops zero entries
    sym = sp.coo_matrix((data, (mat.col, graph.n_inputs + mat.row)), shape=(n, n)).tocsr()
    sym.sum_duplicates()
    tree = minimum_spanning_tree(sym)
    return float(-tree.sum() - tree.nnz)


def test_whole_conv_layer_against_scipy_and_the_tccr_report() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1, dilation=1),
                                torch.nn.Conv2d(4, 4, 1, groups=2))
    trace = trace_model(model, (3, 9, 9))
    rows = {r.name: r for r in model_tccr(trace, full_param_level=True).rows}
    for spec in trace.layers:
        m, forest, _ = conv_forest_measures(spec, w_network=1.0)
        graph = conv_graph(spec)
        assert float(forest.weights.sum()) == pytest.approx(_scipy_forest_weight(graph), rel=1e-9)
        assert m.np_paper == pytest.approx(neural_persistence(graph), rel=1e-12)
        row = rows[spec.name]
        assert (m.n_edges, m.forest_size, m.n_components) == (
            row.full_edges, row.full_forest, row.full_components)
        assert m.keep == row.param_full_used
        geometry = ConvGeometry(spec.kernel, spec.input_spatial, spec.stride, spec.padding_pairs,
                                spec.dilation, spec.in_channels, spec.out_channels, spec.groups)
        assert m.keep == parameter_forest(spec.weight, geometry).n_used
        assert m.overlap_count == topk_mst_overlap(graph).count


@given(st.sampled_from([1, 2, 3]), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2),
       st.sampled_from([1, 2]), st.integers(4, 9), st.integers(0, 2**31 - 1))
@example(1, 2, 0, 1, 2, 5, 0)  # 1x1 stride 2, grouped
@example(3, 2, 1, 1, 1, 8, 0)  # ResNet's stride-2 3x3: last padded row unread
def test_conv_topk_count_is_the_core_overlap(kernel, stride, padding, dilation, groups, size,
                                             seed) -> None:
    """The overlap read off the forest equals the core's, on 1x1 and cropped layers too
    (the forest's reductions are tested in tests/topology/test_toeplitz_reductions.py)."""
    torch.manual_seed(seed)
    conv = torch.nn.Conv2d(2 * groups, 2 * groups, kernel, stride=stride, padding=padding,
                           dilation=dilation, groups=groups)
    if size + 2 * padding < dilation * (kernel - 1) + 1:
        return
    spec = trace_model(conv, (2 * groups, size, size + 1)).layers[0]
    m, forest, graph = conv_forest_measures(spec, w_network=1.0)
    assert (m.n_nodes, m.forest_size) == (graph.n_nodes, forest.size)
    for k in (forest.size, forest.size // 2 + 1):
        assert conv_topk_count(graph, forest, k) == topk_mst_overlap(graph, k).count


def test_a_1x1_conv_note_names_the_kernel_size_not_stride_or_dilation() -> None:
    from topotheory.nn.audit import audit_model

    model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 1), torch.nn.Conv2d(3, 3, 3, dilation=2))
    rows = audit_model(model, input_shape=(2, 7, 7), trials=20).layers
    assert "1x1 kernel" in rows[0].note and "stride/dilation" not in rows[0].note
    assert "stride/dilation split the windows" in rows[1].note
