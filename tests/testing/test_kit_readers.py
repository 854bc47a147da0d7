"""Outputs as people have them: symmetric adjacencies, networkit graphs, labelled nodes."""

import networkx as nx
import numpy as np
import peer_impls as peers
import pytest
import scipy.sparse as sp
from hypothesis import example, given

from topotheory.testing import assert_same_forest, check_implementation
from topotheory.testing.readers import as_flat_edges, collecting_notes
from topotheory.testing.strategies import weight_matrices

W = np.array([[3.0, 1.0, 0.0], [2.0, 0.5, 4.0]])
MAX = 8


@pytest.mark.parametrize(
    "fn",
    [peers.scipy_mst_symmetric, peers.scipy_mst_symmetric_dense, peers.networkit_mst],
    ids=lambda f: f.__name__,
)
def test_symmetric_adjacencies_and_networkit_forests_pass_every_property(fn):
    report = check_implementation("mst", fn, max_examples=MAX)
    assert report.passed
    if "symmetric" in fn.__name__:
        assert any("symmetric (n+m, n+m) adjacency" in text for text in report.notes)
        assert "note: a symmetric" in str(report)


def test_a_symmetric_adjacency_is_read_from_one_triangle():
    n_nodes = sum(W.shape)
    upper = sp.coo_matrix(([1.0, 1.0], ([0, 1], [3, 4])), shape=(n_nodes, n_nodes))
    with collecting_notes() as notes:
        flat = as_flat_edges(upper + upper.T, W.shape)
    assert flat.tolist() == [0, 4] and len(notes) == 1
    assert as_flat_edges(upper, W.shape).tolist() == [0, 4]  # one-sided: no note needed
    dense = (upper + upper.T).toarray()
    assert as_flat_edges(dense, W.shape).tolist() == [0, 4]
    assert as_flat_edges(dense.astype(bool), W.shape).tolist() == [0, 4]


def test_a_networkit_graph_is_read_through_iter_edges():
    forest = peers.networkit_mst(W)
    assert forest.numberOfEdges() == 4
    assert_same_forest(forest, W)


def test_labelled_nodes_are_read_with_a_node_map():
    report = check_implementation(
        "mst", peers.networkx_labelled, node_map=peers.labelled_node, max_examples=MAX
    )
    assert report.passed and "node labels read through node_map" in report.notes
    with pytest.raises(AssertionError, match="node_map="):
        assert_same_forest(peers.networkx_labelled(W), W)
    labels = {("in", 0): 0, ("in", 1): 1, ("in", 2): 2, ("out", 0): 3, ("out", 1): 4}
    assert_same_forest(peers.networkx_labelled(W), W, node_map=labels)
    with pytest.raises(AssertionError, match="node label .* is not in node_map"):
        assert_same_forest(peers.networkx_labelled(W), W, node_map={("in", 0): 0})


def test_results_keyed_by_edges_and_forest_masks_are_read():
    forest = nx.maximum_spanning_tree(peers._nx_graph(W))
    keyed = {(u, v): data["weight"] for u, v, data in forest.edges(data=True)}
    assert_same_forest(keyed, W, edge_format="nodes")
    mask = np.zeros(W.shape, dtype=bool)
    mask.flat[[0, 3, 4, 5]] = True
    assert as_flat_edges(mask, W.shape).tolist() == [0, 3, 4, 5]


@given(weight_matrices(max_rows=4, max_cols=4))
@example(np.array([[1.0]]))  # found: its dense 2 x 2 adjacency was read as two edge pairs
def test_every_adjacency_form_of_the_reference_forest_reads_back(w):
    forest = peers.scipy_mst(w)
    expected = as_flat_edges(forest, w.shape).tolist()
    assert as_flat_edges(forest + forest.T, w.shape).tolist() == expected
    assert as_flat_edges((forest + forest.T).toarray(), w.shape).tolist() == expected
    assert as_flat_edges(forest.toarray(), w.shape).tolist() == expected
