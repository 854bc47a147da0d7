"""The oracles accept correct results in every supported format and explain wrong ones."""

import buggy_impls as bi
import networkx as nx
import numpy as np
import pytest

from topotheory.testing.oracles import (
    Oracle,
    assert_preserves_topology,
    assert_same_diagram,
    assert_same_forest,
    assert_same_neural_persistence,
    assert_same_topk_overlap,
    prune_keeping_forest,
)
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest

RNG_W = np.random.default_rng(7).standard_normal((4, 5))  # tie-free almost surely
TIED = np.array([[1.0, 1.0, 0.5], [0.5, 1.0, 1.0]])
HOLES = np.array([[1.0, 0.0], [0.0, 1.0]])  # connected only through its zero edges
NEG_MAX = np.array([[1.0, -2.0], [0.5, 0.25]])


def _message(call):
    with pytest.raises(AssertionError) as info:
        call()
    return str(info.value)


# -- forests --------------------------------------------------------------------------------


@pytest.mark.parametrize("w", [RNG_W, TIED, HOLES, NEG_MAX])
def test_forest_accepts_every_edge_format(w):
    forest = maximum_spanning_forest(w)
    n = w.shape[1]
    assert_same_forest(forest, w)
    assert_same_forest(forest.edge_index[::-1].tolist(), w)
    assert_same_forest([(f // n, f % n) for f in forest.edge_index], w)
    assert_same_forest(set(forest.edge_index.tolist()), w)
    nodes = [(int(a), int(b)) for a, b in zip(forest.v, forest.u, strict=True)]
    assert_same_forest(nodes, w, edge_format="nodes")
    graph = nx.Graph(nodes)
    assert_same_forest(graph, w)


def test_forest_names_the_zero_weight_convention():
    msg = _message(lambda: assert_same_forest(bi.mst_zeros_absent(HOLES), HOLES))
    assert "yours: 2 edges; reference: 3 edges" in msg
    assert "only in the reference: (i_out=0, j_in=1) [flat 1, |w|=0]" in msg
    assert "treats zero weights as absent (zero_weights='absent')" in msg
    # under the absent convention the same forest passes
    assert_same_forest(bi.mst_zeros_absent(HOLES), HOLES, zero_weights="absent")


def test_forest_names_the_tie_rule_and_the_default_accepts_any_maximum_forest():
    ones = np.ones((2, 3))
    assert_same_forest(bi.mst_descending_ties(ones), ones)  # a valid maximum forest
    msg = _message(
        lambda: assert_same_forest(bi.mst_descending_ties(ones), ones, tie_rule="topotheory")
    )
    assert "breaks ties by the 'descending_index' rule" in msg
    assert "pass tie_rule='descending_index'" in msg
    assert "|w| descending, then flat index i_out * n_in + j_in ascending" in msg
    assert "pass tie_rule=None to accept any maximum spanning forest" in msg
    assert_same_forest(bi.mst_descending_ties(ones), ones, tie_rule="descending_index")


def test_forest_names_the_transposed_layout():
    msg = _message(lambda: assert_same_forest(bi.mst_transposed(RNG_W), RNG_W))
    assert "transposed layout" in msg


def test_forest_names_a_minimum_spanning_tree_and_a_cycle():
    inverted = 10.0 - np.abs(RNG_W)
    minimum = maximum_spanning_forest(inverted).edge_index
    assert "MINIMUM spanning forest" in _message(lambda: assert_same_forest(minimum, RNG_W))
    cycle = _message(lambda: assert_same_forest([0, 1, 3, 4], np.ones((2, 3))))
    assert "not a forest: (i_out=1, j_in=1) [flat 4, |w|=1] closes a cycle" in cycle


def test_forest_rejects_malformed_output_and_bad_arguments():
    assert "outside" in _message(lambda: assert_same_forest([(2, 0)], np.ones((2, 2))))
    assert "more than once" in _message(lambda: assert_same_forest([0, 0, 1], np.ones((2, 2))))
    with pytest.raises(ValueError, match="tie_rule"):
        assert_same_forest([0], np.ones((1, 2)), tie_rule="nodes")
    with pytest.raises(ValueError, match="edge_format"):
        assert_same_forest([0], np.ones((1, 2)), edge_format="csv")


# -- diagrams -------------------------------------------------------------------------------


def test_diagram_accepts_arrays_and_diagram_objects_in_any_order():
    ref = persistence_diagram(RNG_W)
    assert_same_diagram(ref, RNG_W)
    assert_same_diagram(ref.as_array()[::-1] * (1 + 1e-12), RNG_W)
    assert_same_diagram(bi.diagram(TIED), TIED)
    assert_same_diagram(bi.diagram_rieck(HOLES), HOLES, essential="as_zero")


def test_diagram_names_a_dropped_essential_class():
    msg = _message(
        lambda: assert_same_diagram(bi.diagram_dropping_essential(TIED), TIED, essential="as_zero")
    )
    assert "only in the reference: (1, 0)" in msg
    assert "omits the essential class (essential='drop')" in msg


def test_diagram_names_an_extra_essential_class_and_zero_length_points():
    msg = _message(lambda: assert_same_diagram(bi.diagram_rieck(RNG_W), RNG_W))
    assert "only in yours: (1, 0)" in msg and "essential='as_zero'" in msg
    dropped = persistence_diagram(RNG_W, drop_zero_length=True)
    msg = _message(lambda: assert_same_diagram(dropped, RNG_W))
    assert "only in the reference: (1, 1)" in msg and "zero-length points" in msg


def test_diagram_names_the_wrong_maximum():
    msg = _message(lambda: assert_same_diagram(bi.diagram_wrong_max(NEG_MAX), NEG_MAX))
    assert "signed maximum max(w) = 1 instead of max|w| = 2" in msg
    scaled = persistence_diagram(RNG_W).as_array() * [1.0, 0.5]
    msg = _message(lambda: assert_same_diagram(scaled, RNG_W))
    assert "times 0.5" in msg and "another maximum" in msg


def test_diagram_names_swapped_columns_and_the_raw_scale():
    swapped = persistence_diagram(RNG_W).as_array()[:, ::-1]
    assert "(death, birth)" in _message(lambda: assert_same_diagram(swapped, RNG_W))
    raw = persistence_diagram(RNG_W, normalization="per_network", w_max=1.0)
    assert "does not normalise" in _message(lambda: assert_same_diagram(raw, RNG_W))


def test_diagram_tolerance_and_malformed_output():
    points = persistence_diagram(RNG_W).as_array() + [0.0, 1e-6]
    _message(lambda: assert_same_diagram(points, RNG_W))
    assert_same_diagram(points, RNG_W, atol=1e-5)
    assert "(q, 2)" in _message(lambda: assert_same_diagram(np.ones(3), RNG_W))
    assert "infinite" in _message(lambda: assert_same_diagram([(1.0, np.inf)], RNG_W))
    with pytest.raises(ValueError, match="rtol"):
        assert_same_diagram([], RNG_W, rtol=-1.0)


# -- neural persistence and overlap ----------------------------------------------------------


def test_np_matches_and_names_conventions():
    assert_same_neural_persistence(bi.neural_persistence(RNG_W), RNG_W)
    assert_same_neural_persistence(bi.neural_persistence(TIED, p=1.0), TIED, p=1.0)
    msg = _message(lambda: assert_same_neural_persistence(bi.np_with_essential(RNG_W), RNG_W))
    assert "keeps the essential class as the point (1, 0)" in msg
    msg = _message(lambda: assert_same_neural_persistence(bi.np_wrong_max(NEG_MAX), NEG_MAX))
    assert "signed maximum" in msg
    msg = _message(
        lambda: assert_same_neural_persistence(bi.neural_persistence(RNG_W, p=1.0), RNG_W)
    )
    assert "uses p=1" in msg
    msg = _message(
        lambda: assert_same_neural_persistence(
            bi.neural_persistence(RNG_W), RNG_W, normalize="rieck_code"
        )
    )
    assert "normalize=None" in msg


def test_topk_overlap_names_mixed_tie_rules():
    assert_same_topk_overlap(bi.topk_overlap(TIED, 4), TIED, 4)
    msg = _message(
        lambda: assert_same_topk_overlap(
            bi.topk_overlap_mixed_ties(np.ones((2, 2)), 3), np.ones((2, 2)), 3
        )
    )
    assert "yours: 2; reference: 3" in msg
    assert "breaks ties differently in top-k and in the MST" in msg
    assert "int" in _message(lambda: assert_same_topk_overlap(2.0, np.ones((2, 2))))


# -- pruning --------------------------------------------------------------------------------


@pytest.mark.parametrize("w", [RNG_W, TIED, NEG_MAX, np.ones((3, 3))])
def test_reference_and_user_topology_preserving_pruning_pass(w):
    size = sum(w.shape) - 1
    for kept in (size, (size + w.size) // 2, w.size):
        assert_preserves_topology(prune_keeping_forest, w, kept=kept)
        assert_preserves_topology(bi.prune_keep_forest, w, kept=kept)
        assert_preserves_topology(bi.prune_pruned_weights, w, kept=kept)
        assert prune_keeping_forest(w, kept).sum() == kept


def test_pruning_messages():
    w = np.array([[3.0, 2.0, 0.1], [2.5, 1.5, 0.2]])
    msg = _message(lambda: assert_preserves_topology(bi.prune_magnitude, w, kept=4))
    assert "removed 1 of the 4 forest edges: (i_out=1, j_in=2) [flat 5, |w|=0.2]" in msg
    assert "points lost: (1, 0.0666667)" in msg
    msg = _message(lambda: assert_preserves_topology(bi.prune_off_by_one, RNG_W, kept=9))
    assert "kept 10 of 20 weights, asked for kept=9 (off by +1)" in msg and "off-by-one" in msg
    msg = _message(lambda: assert_preserves_topology(bi.prune_threshold, np.ones((3, 3)), kept=5))
    assert "kept 9 of 9" in msg and "threshold |w| >= t" in msg

    def in_place(weights, kept):
        weights[0, 0] = 0.0
        return prune_keeping_forest(weights, kept)

    assert "in place" in _message(lambda: assert_preserves_topology(in_place, RNG_W, kept=10))

    def rescale(weights, kept):
        return np.where(prune_keeping_forest(weights, kept), 2 * weights, 0.0)

    assert "changed a kept weight" in _message(
        lambda: assert_preserves_topology(rescale, RNG_W, kept=10)
    )
    with pytest.raises(ValueError, match="below the forest size 8"):
        assert_preserves_topology(prune_keeping_forest, RNG_W, kept=7)


def test_oracle_namespace_exposes_references():
    oracle = Oracle()
    assert oracle.forest_edges(TIED) == sorted(bi.mst(TIED))
    assert oracle.neural_persistence(RNG_W) == pytest.approx(bi.neural_persistence(RNG_W))
    assert oracle.topk_overlap(TIED, 4).count == bi.topk_overlap(TIED, 4)
    assert "ascending" in oracle.tie_rule
