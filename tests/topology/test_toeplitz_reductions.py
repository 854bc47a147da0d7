"""The Toeplitz dispatch's two reductions (1x1 kernels, unread trailing inputs): the same
forest, edge for edge, as the edge-list Kruskal, and the same weight as scipy's."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.sparse.csgraph import minimum_spanning_tree

from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest
from topotheory.topology.toeplitz_reductions import (
    crop_unread_inputs,
    is_pointwise,
    uncrop_input_nodes,
)


def _scipy_forest_weight(graph) -> float:
    """Maximum spanning forest weight via scipy (minimum tree of ``-(|w| + 1)``)."""
    mat = graph.to_scipy().tocoo()
    n = graph.n_nodes
    data = -(np.abs(mat.data) + 1.0)
    sym = sp.coo_matrix((data, (mat.col, graph.n_inputs + mat.row)), shape=(n, n)).tocsr()
    tree = minimum_spanning_tree(sym)
    return float(-tree.sum() - tree.nnz)


def _assert_same_forest(fast, reference) -> None:
    assert (fast.n_nodes, fast.n_components, fast.n_inputs) == (
        reference.n_nodes, reference.n_components, reference.n_inputs)
    for name in ("edge_index", "u", "v", "weights", "param_index"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(reference, name), name)


@given(st.sampled_from([1, 2, 3]), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2),
       st.sampled_from([1, 2]), st.integers(4, 9), st.sampled_from([1, 2]), st.booleans(),
       st.sampled_from(["present", "absent"]), st.integers(0, 2**31 - 1))
@example(1, 2, 0, 1, 2, 5, 2, False, "present", 0)  # 1x1 stride 2, grouped
@example(1, 2, 1, 1, 1, 6, 2, True, "absent", 0)  # 1x1 on padding, tied and zero weights
@example(3, 2, 1, 1, 1, 8, 2, False, "present", 0)  # ResNet's stride-2 3x3: last row unread
@example(7, 2, 3, 1, 1, 9, 2, True, "present", 3)  # ResNet's stem shape, tied weights
def test_dispatch_gives_the_edge_list_forest(kernel, stride, padding, dilation, groups, size,
                                             dims, tied, zero_weights, seed) -> None:
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal((2 * groups, 2, *(kernel,) * dims))
    if tied:  # many equal magnitudes and zeros
        weight = np.round(weight)
    spatial = (size, size + 1)[:dims]
    if min(spatial) + 2 * padding < dilation * (kernel - 1) + 1:
        return
    graph = conv_toeplitz_graph(weight, (2 * groups, *spatial), stride=stride, padding=padding,
                                dilation=dilation, groups=groups)
    fast = maximum_spanning_forest(graph, zero_weights=zero_weights)
    _assert_same_forest(fast, maximum_spanning_forest(graph.to_edge_list(),
                                                      zero_weights=zero_weights))
    if zero_weights == "present":
        assert float(fast.weights.sum()) == pytest.approx(_scipy_forest_weight(graph),
                                                          rel=1e-12, abs=1e-9)


def test_the_reductions_apply_where_stated() -> None:
    pointwise = conv_toeplitz_graph(np.ones((4, 2, 1, 1)), (4, 6, 6), stride=2, groups=2)
    assert is_pointwise(pointwise)
    assert not is_pointwise(conv_toeplitz_graph(np.ones((4, 4, 1, 1)), (4, 6, 6),
                                                include_padding=False))
    stem = conv_toeplitz_graph(np.ones((2, 3, 7, 7)), (3, 32, 32), stride=2, padding=3)
    cropped = crop_unread_inputs(stem)
    assert cropped.node_spatial == (37, 37) and stem.node_spatial == (38, 38)
    assert cropped.output_spatial == stem.output_spatial
    assert cropped.n_edges == stem.n_edges
    full = conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 8, 8), padding=1)  # every row read
    assert crop_unread_inputs(full) is None
    assert crop_unread_inputs(conv_toeplitz_graph(np.ones((1, 1, 3)), (1, 8), stride=2,
                                                  padding=1, include_padding=False)) is None


def test_uncropped_nodes_keep_channel_and_position() -> None:
    graph = conv_toeplitz_graph(np.ones((1, 2, 3, 3)), (2, 8, 8), stride=2, padding=1)
    cropped = crop_unread_inputs(graph)
    nodes = np.arange(cropped.n_inputs)
    mapped = uncrop_input_nodes(nodes, cropped, graph)
    assert np.all(np.diff(mapped) > 0)  # order kept: flat edge indices keep theirs
    channel, position = np.divmod(mapped, 100)
    np.testing.assert_array_equal(channel, nodes // 81)
    rows, cols = np.divmod(position, 10)
    assert rows.max() == 8 and cols.max() == 8  # the last padded row/column are dropped
