"""Toeplitz and unrolled recurrent graphs: exact structure, forests, geometry errors."""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given

from topotheory.testing.strategies import conv_geometries
from topotheory.topology import (
    EdgeListGraph,
    conv_toeplitz_graph,
    gate_blocks,
    maximum_spanning_forest,
    recurrent_unrolled_graph,
)

torch = pytest.importorskip("torch", reason="the conv oracle is torch's own convolution")
_CONV = {
    1: torch.nn.functional.conv1d,
    2: torch.nn.functional.conv2d,
    3: torch.nn.functional.conv3d,
}


def _graph(g, include_padding=True):
    return conv_toeplitz_graph(
        g["weight"],
        g["input_shape"],
        stride=g["stride"],
        padding=g["padding"],
        dilation=g["dilation"],
        groups=g["groups"],
        include_padding=include_padding,
    )


@given(conv_geometries(dims=(1, 2, 3), max_size=5))
def test_toeplitz_matrix_is_torch_convolution(g):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(g["input_shape"])
    expected = _CONV[len(g["stride"])](
        torch.from_numpy(x)[None],
        torch.from_numpy(g["weight"]),
        stride=g["stride"],
        padding=g["padding"],
        dilation=g["dilation"],
        groups=g["groups"],
    )[0].numpy()
    unpadded = _graph(g, include_padding=False)
    np.testing.assert_allclose(unpadded.to_scipy() @ x.ravel(), expected.ravel(), atol=1e-9)
    padded = _graph(g)
    pad = [(0, 0)] + [(p, p) for p in g["padding"]]
    np.testing.assert_allclose(
        padded.to_scipy() @ np.pad(x, pad).ravel(), expected.ravel(), atol=1e-9
    )
    assert padded.n_edges == padded.to_scipy().nnz or np.any(g["weight"] == 0)
    assert unpadded.n_edges == len(unpadded.edges()[0])


@given(conv_geometries(dims=(1, 2)))
@example(
    {
        "weight": np.ones((2, 1, 2, 2)),
        "input_shape": (2, 3, 3),
        "stride": (1, 1),
        "padding": (1, 0),
        "dilation": (1, 1),
        "groups": 2,
    }
)
def test_grouped_kruskal_equals_sorted_kruskal(g):
    for include_padding in (True, False):
        graph = _graph(g, include_padding)
        fast = maximum_spanning_forest(graph)
        reference = maximum_spanning_forest(graph.to_edge_list())
        assert fast.edge_index.tolist() == reference.edge_index.tolist()
        assert fast.param_index.tolist() == reference.param_index.tolist()
        assert fast.size + fast.n_components == graph.n_nodes


def test_toeplitz_forest_weight_multiset_matches_networkx():
    g = conv_toeplitz_graph(
        np.random.default_rng(1).standard_normal((2, 2, 3, 3)), (2, 5, 5), padding=1
    )
    f = maximum_spanning_forest(g)
    tree = nx.maximum_spanning_tree(g.to_edge_list().to_networkx())
    np.testing.assert_allclose(
        f.weights, sorted((d["weight"] for *_, d in tree.edges(data=True)), reverse=True)
    )


def test_paper_mnist_and_cifar_conv_counts():
    mnist = conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 28, 28), padding=1)
    assert round(mnist.tccr_formula, 5) == 4.19251
    cifar = conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 32, 32), padding=1)
    assert round(cifar.tccr_formula, 5) == 4.22946
    f = maximum_spanning_forest(
        conv_toeplitz_graph(
            np.random.default_rng(0).standard_normal((1, 1, 3, 3)), (1, 32, 32), padding=1
        )
    )
    assert f.size == 34 * 34 + 32 * 32 - 1  # connected: formula and exact count agree


def test_stride_larger_than_kernel_disconnects():
    g = conv_toeplitz_graph(np.ones((1, 1, 2)), (1, 9), stride=3)
    f = maximum_spanning_forest(g)
    # Input positions 2, 5, 8 touch no kernel entry: isolated nodes, the formula overcounts |MST|.
    # 3 trees (output + its 2 inputs) and 3 isolated inputs; the formula even drops below 1.
    assert f.n_components == 6 and g.tccr_formula < 1
    assert f.size == g.n_nodes - f.n_components
    assert g.n_edges / f.size > g.tccr_formula


def test_same_padding_and_3d():
    g = conv_toeplitz_graph(np.ones((1, 1, 4)), (1, 6), padding="same")
    assert g.padding == ((1, 2),) and g.output_spatial == (6,)
    g3 = conv_toeplitz_graph(np.ones((2, 1, 2, 2, 2)), (1, 3, 3, 3))
    assert g3.output_spatial == (2, 2, 2) and g3.n_edges == 2 * 8 * 8


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weight": np.ones((1, 1, 5, 5)), "input_shape": (1, 3, 3)}, "impossible conv geometry"),
        ({"weight": np.ones((1, 2, 3, 3)), "input_shape": (3, 8, 8)}, "input channels"),
        ({"weight": np.ones((1, 1, 3, 3)), "input_shape": (1, 8, 8), "stride": 0}, "stride"),
        ({"weight": np.ones((1, 1, 3, 3)), "input_shape": (1, 8, 8), "padding": -1}, "padding"),
        ({"weight": np.ones((1, 1, 3, 3)), "input_shape": (1, 8)}, "spatial dims"),
        ({"weight": np.ones((3, 1, 3)), "input_shape": (2, 8), "groups": 2}, "divide"),
        (
            {"weight": np.ones((1, 1, 3)), "input_shape": (1, 8), "padding": "same", "stride": 2},
            "stride 1",
        ),
        ({"weight": np.ones(3), "input_shape": (1, 8)}, "C_out"),
        ({"weight": np.array([[[np.nan]]]), "input_shape": (1, 8)}, "NaN"),
        (
            {"weight": np.ones((64, 64, 3, 3)), "input_shape": (64, 40000, 40000), "padding": 1},
            "edges",
        ),
    ],
)
def test_bad_conv_geometry_raises(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        conv_toeplitz_graph(**kwargs)


def test_recurrent_graph_structure_and_forest():
    h, steps = 4, 3
    w = np.random.default_rng(0).standard_normal((h, h))
    g = recurrent_unrolled_graph(w, steps)
    assert g.n_nodes == (steps + 1) * h and g.n_edges == steps * h * h
    f = maximum_spanning_forest(g)
    assert f.size == (steps + 1) * h - 1
    tree = nx.maximum_spanning_tree(g.to_networkx())
    assert f.edge_set() == {d["index"] for *_, d in tree.edges(data=True)}
    # One step is exactly the dense layer.
    one = maximum_spanning_forest(recurrent_unrolled_graph(w, 1))
    assert one.edge_set() == maximum_spanning_forest(w).edge_set()
    assert math.isclose(h * h / (2 * h - 1), w.size / one.size)


def test_gate_blocks_and_errors():
    w = np.arange(24.0).reshape(12, 2)
    blocks = gate_blocks(w[:6], "gru")
    assert gate_blocks(w[:8], "lstm")["o"].tolist() == [[12.0, 13.0], [14.0, 15.0]]
    assert list(blocks) == ["r", "z", "n"] and blocks["n"].tolist() == [[8.0, 9.0], [10.0, 11.0]]
    with pytest.raises(ValueError, match="shape"):
        gate_blocks(w, "lstm")
    with pytest.raises(ValueError, match="square"):
        recurrent_unrolled_graph(np.ones((2, 3)), 2)
    with pytest.raises(ValueError, match="steps"):
        recurrent_unrolled_graph(np.ones((2, 2)), 0)
    with pytest.raises(ValueError, match="distinct"):
        EdgeListGraph.from_arrays(2, [0, 0], [1, 1], [1.0, 2.0], edge_index=[3, 3])
