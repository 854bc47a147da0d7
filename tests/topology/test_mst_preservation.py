"""MST preservation per layer: networkx as the oracle for the forest and the components."""

import itertools
import json
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from topotheory.errors import InputError
from topotheory.simulate.mask_null import random_mask_null
from topotheory.testing.strategies import masks, weight_matrices
from topotheory.topology import (
    EdgeListGraph,
    conv_toeplitz_graph,
    edge_order,
    mst_preservation,
    recurrent_unrolled_graph,
    topk_indices,
)
from topotheory.topology.tccr import ConvGeometry, conv_counts, dense_tccr


def tie_rule_graph(edges: EdgeListGraph) -> nx.Graph:
    """networkx graph whose distinct weights encode the tie rule (|w| desc, flat index asc)."""
    rank = np.empty(edges.n_edges)
    order = np.lexsort((edges.edge_index, -np.abs(edges.weights)))
    rank[order] = np.arange(edges.n_edges, 0, -1)
    graph = nx.Graph()
    graph.add_nodes_from(range(edges.n_nodes))
    params = edges.param_index if edges.param_index is not None else edges.edge_index
    for a, b, r, e, p in zip(edges.u.tolist(), edges.v.tolist(), rank.tolist(),
                             edges.edge_index.tolist(), params.tolist(), strict=True):
        graph.add_edge(a, b, weight=r, index=e, param=p)
    return graph


def oracle(edges: EdgeListGraph, kept_param: np.ndarray) -> dict:
    """Every count of MstPreservation, computed with networkx only."""
    graph = tie_rule_graph(edges)
    tree = nx.maximum_spanning_tree(graph, algorithm="kruskal")
    forest_params = [d["param"] for _, _, d in tree.edges(data=True)]
    used = set(forest_params)
    pruned = nx.Graph()
    pruned.add_nodes_from(graph.nodes)
    pruned.add_edges_from((a, b) for a, b, d in graph.edges(data=True) if kept_param[d["param"]])
    dense_comps = list(nx.connected_components(graph))
    nontrivial = [c for c in dense_comps if len(c) > 1]
    intact = sum(nx.is_connected(pruned.subgraph(c)) for c in nontrivial)
    return {
        "forest_size": tree.number_of_edges(),
        "forest_units": len(used),
        "kept_forest_units": sum(bool(kept_param[p]) for p in used),
        "forest_edges_kept": sum(bool(kept_param[p]) for p in forest_params),
        "dense_components": len(dense_comps),
        "pruned_components": nx.number_connected_components(pruned),
        "nontrivial_components": len(nontrivial),
        "components_intact": intact,
    }


def check_against_oracle(result, edges, kept_param):
    expected = oracle(edges, kept_param)
    got = result.to_dict()
    assert {k: got[k] for k in expected} == expected
    assert result.kept_units == int(kept_param.sum())
    assert result.connected == (expected["pruned_components"] == expected["dense_components"])


def looks_pruned(w, mask):
    pruned = ~mask.astype(bool)
    return pruned.any() and not w[pruned].any() and w[~pruned].any()


@given(weight_matrices(max_rows=7, max_cols=7), st.data())
def test_dense_counts_match_networkx(w, data):
    mask = data.draw(masks(w.shape))
    if looks_pruned(w, mask):
        with pytest.raises(InputError, match="looks like the pruned weights"):
            mst_preservation(w, mask)
        return
    result = mst_preservation(w, mask)
    assert result.unit == "edge" and result.n_units == w.size
    check_against_oracle(result, EdgeListGraph.from_dense(w), mask.ravel())
    assert result.forest_edges_kept == result.kept_forest_units  # one parameter per edge
    assert result.dense.tccr == pytest.approx(dense_tccr(w.shape[1], w.shape[0]), rel=1e-12)
    assert result.critical_ratio == pytest.approx(result.tccr, rel=1e-12)
    if result.past_critical:  # fewer kept edges than a spanning tree needs
        assert not result.connected and result.kept_fraction < 1


def test_tie_rule_on_tied_weights_is_pinned():
    # all equal: Kruskal in flat-index order takes edges 0, 1, 2 (row 0) and 3 (row 1, col 0)
    w = np.ones((2, 3))
    assert mst_preservation(w, [[0, 0, 0], [1, 1, 1]]).kept_forest_units == 1
    assert mst_preservation(w, [[0, 0, 0], [0, 1, 1]]).kept_forest_units == 0
    assert mst_preservation(w, [[1, 1, 1], [1, 0, 0]]).kept_fraction == 1.0
    # ties broken by flat index also between signs: |-2| == |2|
    w = np.array([[2.0, -2.0], [1.0, 1.0]])
    assert mst_preservation(w, [[1, 1], [1, 0]]).kept_forest_units == 3
    assert mst_preservation(w, [[1, 1], [0, 1]]).kept_forest_units == 2


def test_dense_forest_is_the_top_k_forest_for_magnitude_masks():
    """A magnitude mask keeping the first K edges in tie-rule order keeps exactly the forest
    edges among them (Kruskal never skips a forest edge): checked against the tie-rule order."""
    w = np.random.default_rng(3).normal(size=(9, 11))
    tree = nx.maximum_spanning_tree(tie_rule_graph(EdgeListGraph.from_dense(w)))
    forest = {d["index"] for _, _, d in tree.edges(data=True)}
    order = edge_order(w)
    for k in (1, 10, 19, 40, 99):
        mask = np.zeros(w.size, dtype=bool)
        mask[order[:k]] = True
        result = mst_preservation(w, mask.reshape(w.shape))
        assert result.kept_forest_units == len(forest & set(order[:k].tolist()))


def small_conv():
    rng = np.random.default_rng(7)
    # 2 output channels, 1 input, 3x3, 4x4 input, padding 1, stride 2: few parameters
    weight = rng.normal(size=(2, 1, 3, 3))
    return conv_toeplitz_graph(weight, (1, 4, 4), padding=1, stride=2)


def test_conv_against_brute_force_enumeration_of_masks():
    graph = small_conv()
    edges = graph.to_edge_list()
    n_params = graph.n_params
    tree = nx.maximum_spanning_tree(tie_rule_graph(edges))
    used = {d["param"] for _, _, d in tree.edges(data=True)}
    assert 0 < len(used) < n_params  # the statistic is not trivial on this geometry
    kept_count = 6
    histogram: dict[int, int] = {}
    sampled = []
    for i, chosen in enumerate(itertools.combinations(range(n_params), kept_count)):
        kept = np.zeros(n_params, dtype=bool)
        kept[list(chosen)] = True
        x = len(used & set(chosen))
        histogram[x] = histogram.get(x, 0) + 1
        if i % 97 == 0:  # the full computation on a spread of the 18,564 masks
            result = mst_preservation(graph, kept.reshape(graph.weight.shape))
            assert result.unit == "parameter" and result.n_units == n_params
            check_against_oracle(result, edges, kept)
            sampled.append(result)
    # each mask's null tail is the share of all masks keeping at least as many
    total = math.comb(n_params, kept_count)
    for result in sampled:
        at_least = sum(c for x, c in histogram.items() if x >= result.kept_forest_units)
        at_most = sum(c for x, c in histogram.items() if x <= result.kept_forest_units)
        null = random_mask_null(result)
        assert null.p_upper == pytest.approx(at_least / total, rel=1e-12)
        assert null.p_lower == pytest.approx(at_most / total, rel=1e-12)
    # the enumeration's law of X is the hypergeometric law over parameters, exactly
    t = len(used)
    assert histogram == {
        x: math.comb(t, x) * math.comb(n_params - t, kept_count - x)
        for x in range(0, min(t, kept_count) + 1)
        if math.comb(t, x) * math.comb(n_params - t, kept_count - x)
    }


@pytest.mark.parametrize(
    "weight_shape, input_shape, options",
    [
        ((3, 2, 3, 3), (2, 5, 5), {"padding": 1}),
        ((2, 2, 2, 2), (2, 6, 6), {"stride": 3}),  # stride > kernel: isolated inputs
        ((4, 1, 3), (2, 9), {"groups": 2, "dilation": 2}),  # parity classes, two groups
        ((2, 1, 3, 3), (1, 5, 5), {"padding": 1, "include_padding": False}),
    ],
)
def test_conv_geometries_match_networkx(weight_shape, input_shape, options):
    rng = np.random.default_rng(11)
    graph = conv_toeplitz_graph(rng.normal(size=weight_shape), input_shape, **options)
    edges = graph.to_edge_list()
    for density in (0.2, 0.5, 0.9):
        kept = rng.random(graph.weight.shape) < density
        result = mst_preservation(graph, kept)
        check_against_oracle(result, edges, kept.ravel())
        assert result.dense.n_edges == graph.n_edges


def test_magnitude_pruned_conv_sits_in_the_upper_tail():
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(8, 8, 3, 3))
    graph = conv_toeplitz_graph(weight, (8, 8, 8), padding=1)
    for kept in (300, 115, 58):
        mask = np.zeros(weight.size, dtype=bool)
        mask[topk_indices(weight, kept)] = True
        null = random_mask_null(mst_preservation(graph, mask.reshape(weight.shape)))
        assert null.kept_forest_units > 1.5 * null.mean and null.p_upper < 1e-15


def test_conv_tccr_is_the_exact_graph_count():
    rng = np.random.default_rng(2)
    geometry = ConvGeometry(kernel=(3, 3), input_spatial=(6, 6), padding=1, in_channels=2,
                            out_channels=3)
    graph = conv_toeplitz_graph(rng.normal(size=(3, 2, 3, 3)), (2, 6, 6), padding=1)
    result = mst_preservation(graph, np.ones((3, 2, 3, 3)))
    counts = conv_counts(geometry, full_layer=True)
    assert result.dense == counts
    assert result.kept_fraction == 1.0 and result.connected


def test_recurrent_matches_networkx():
    rng = np.random.default_rng(5)
    graph = recurrent_unrolled_graph(rng.normal(size=(4, 4)), 3)
    for density in (0.25, 0.6):
        kept = rng.random((4, 4)) < density
        result = mst_preservation(graph, kept)
        check_against_oracle(result, graph, kept.ravel())
        assert result.n_units == 16


def test_mask_that_keeps_nothing_or_everything():
    w = np.random.default_rng(0).normal(size=(3, 4))
    nothing = mst_preservation(w, np.zeros(w.shape, dtype=bool))
    assert (nothing.kept_forest_units, nothing.pruned_components, nothing.components_intact) == (
        0, 7, 0)
    assert math.isinf(nothing.compression)
    text = json.dumps(nothing.to_dict(), allow_nan=False)
    assert '"compression": null' in text
    everything = mst_preservation(w, np.ones(w.shape, dtype=int))
    assert everything.kept_fraction == 1.0 and everything.connected
    assert everything.compression == 1.0 and everything.sparsity == 0.0
    assert json.loads(json.dumps(everything.to_dict(), allow_nan=False))["connected"] is True


def test_repr_is_short():
    text = repr(mst_preservation(np.ones((30, 40)), np.ones((30, 40))))
    assert text.startswith("MstPreservation(unit='edge', kept 69 of 69") and len(text) < 160


def test_bad_input_is_refused_with_the_argument_named():
    w = np.random.default_rng(1).normal(size=(3, 4))
    with pytest.raises(ValueError, match="mask has shape"):
        mst_preservation(w, np.ones((4, 3)))
    with pytest.raises(ValueError, match="binary"):
        mst_preservation(w, np.full(w.shape, 0.5))
    with pytest.raises(ValueError, match="binary"):
        mst_preservation(w, np.full(w.shape, np.nan))
    with pytest.raises(InputError, match="layer=.*non-finite"):
        mst_preservation(np.where(w > 0, np.inf, w), np.ones(w.shape))
    mask = np.abs(w) > 0.5
    with pytest.raises(InputError, match="layer=.*pruned weights.*weight_orig"):
        mst_preservation(w * mask, mask)
    with pytest.raises(InputError, match="layer=.*param_index"):
        mst_preservation(EdgeListGraph.from_dense(w), np.ones(w.size))
    graph = conv_toeplitz_graph(np.ones((1, 1, 3)), (1, 5))
    with pytest.raises(ValueError, match="mask has shape"):
        mst_preservation(graph, np.ones((1, 3)))
    with pytest.raises(InputError, match=r"layer\.weight=.*pruned weights"):
        mst_preservation(conv_toeplitz_graph(np.array([[[1.0, 0.0, 2.0]]]), (1, 5)),
                         [[[1, 0, 1]]])


def test_all_zero_reference_is_not_mistaken_for_pruned_weights():
    # e.g. a zero-initialised head: every entry ties, the tie rule decides the forest
    result = mst_preservation(np.zeros((2, 3)), [[1, 1, 1], [1, 0, 0]])
    assert result.kept_fraction == 1.0
