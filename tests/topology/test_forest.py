"""Maximum spanning forest: a shared contract checked for every algorithm, networkx as oracle."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import example, given
from hypothesis import strategies as st

from topotheory.testing.strategies import masks, weight_matrices
from topotheory.topology import EdgeListGraph, edge_order, maximum_spanning_forest


def networkx_forest_weights(graph: EdgeListGraph) -> list[float]:
    tree = nx.maximum_spanning_tree(graph.to_networkx(), algorithm="kruskal")
    return sorted((d["weight"] for _, _, d in tree.edges(data=True)), reverse=True)


def reference_kruskal(w: np.ndarray, mask=None, zero_absent=False) -> set[int]:
    """Textbook Kruskal over the explicit tie-rule order (pure Python, independent code)."""
    m, n = w.shape
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    chosen = set()
    for e in edge_order(w).tolist():
        i, j = divmod(e, n)
        if mask is not None and not mask[i, j]:
            continue
        if zero_absent and w[i, j] == 0:
            continue
        a, b = find(j), find(n + i)
        if a != b:
            parent[max(a, b)] = min(a, b)
            chosen.add(e)
    return chosen


class ForestContract:
    """Every dense MSF algorithm must satisfy these; subclasses set ``method``."""

    method = "auto"

    def forest(self, w, **kw):
        return maximum_spanning_forest(w, method=self.method, **kw)

    @given(weight_matrices())
    @example(np.array([[1.0, 1.0], [1.0, 1.0]]))
    @example(np.zeros((1, 5)))
    @example(np.array([[2.0], [2.0], [-2.0]]))
    def test_same_edges_as_reference_kruskal(self, w):
        f = self.forest(w)
        assert f.edge_set() == reference_kruskal(w)
        assert f.size == w.shape[0] + w.shape[1] - 1
        assert f.n_components == 1

    @given(weight_matrices(kinds=("gaussian", "heavy_tail", "block")))
    def test_weight_multiset_matches_networkx(self, w):
        f = self.forest(w)
        np.testing.assert_allclose(f.weights, networkx_forest_weights(EdgeListGraph.from_dense(w)))

    @given(weight_matrices(kinds=("gaussian",)))
    def test_distinct_weights_same_edge_set_as_networkx(self, w):
        tree = nx.maximum_spanning_tree(EdgeListGraph.from_dense(w).to_networkx())
        assert self.forest(w).edge_set() == {d["index"] for _, _, d in tree.edges(data=True)}

    @given(st.data())
    def test_masked_edges_are_absent(self, data):
        w = data.draw(weight_matrices(max_rows=8, max_cols=8))
        mask = data.draw(masks(w.shape))
        f = self.forest(w, mask=mask)
        assert f.edge_set() == reference_kruskal(w, mask=mask)
        assert all(mask.ravel()[e] for e in f.edge_index)
        n_nodes = sum(w.shape)
        assert f.size + f.n_components == n_nodes

    @given(weight_matrices(kinds=("zeros", "sparse", "dead_units")))
    def test_zero_weights_absent_convention(self, w):
        f = self.forest(w, zero_weights="absent")
        assert f.edge_set() == reference_kruskal(w, zero_absent=True)
        assert (f.weights > 0).all()

    def test_forest_edges_in_tie_rule_order(self):
        w = np.array([[1.0, 2.0, 2.0], [2.0, 1.0, 0.5]])
        f = self.forest(w)
        assert f.edge_index.tolist() == [1, 2, 3, 0]
        assert f.u.tolist() == [1, 2, 0, 0] and f.v.tolist() == [3, 3, 4, 3]


class TestAuto(ForestContract):
    method = "auto"


class TestPrim(ForestContract):
    method = "prim"


class TestFilterKruskal(ForestContract):
    method = "filter_kruskal"


class TestSortedKruskal(ForestContract):
    method = "kruskal"


@pytest.mark.parametrize("shape", [(600, 700), (50, 2000), (3000, 40)])
@pytest.mark.parametrize("kind", ["gaussian", "quantised", "dead_row"])
def test_large_layers_all_methods_agree(shape, kind):
    rng = np.random.default_rng(sum(shape))
    w = rng.standard_normal(shape)
    if kind == "quantised":
        w = np.round(w * 2) / 2
    if kind == "dead_row":
        w[3] = 1e-9 * rng.standard_normal(shape[1])
        w[:, 5] = 0.0
    forests = [maximum_spanning_forest(w, method=m) for m in ("auto", "filter_kruskal", "prim")]
    assert forests[0].edge_set() == forests[1].edge_set() == forests[2].edge_set()
    assert np.array_equal(forests[0].edge_index, forests[1].edge_index)


def test_filter_kruskal_contraction_path_with_many_weak_units():
    # 40 nearly dead inputs force the contraction step (their edges sit below the threshold).
    rng = np.random.default_rng(3)
    w = rng.standard_normal((700, 700))
    w[:, :40] *= 1e-6
    a = maximum_spanning_forest(w, method="filter_kruskal")
    b = maximum_spanning_forest(w, method="prim")
    assert a.edge_set() == b.edge_set() and a.size == 1399


def test_sparse_input_stored_entries_are_edges():
    w = sp.coo_matrix(([3.0, 0.0, -1.0], ([0, 1, 1], [0, 0, 1])), shape=(2, 3))
    f = maximum_spanning_forest(w)
    assert f.edge_set() == {0, 3, 4} and f.n_components == 2  # input 2 is isolated
    assert maximum_spanning_forest(w, zero_weights="absent").edge_set() == {0, 4}


def test_quantised_ties_pick_lowest_flat_index():
    w = np.ones((3, 3))
    f = maximum_spanning_forest(w)
    # All equal: Kruskal in flat order takes edges 0,1,2 (row 0), then 3 and 6 (column 0).
    assert f.edge_index.tolist() == [0, 1, 2, 3, 6]


def test_disconnected_mask_gives_forest():
    w = np.arange(1.0, 7.0).reshape(2, 3)
    mask = np.array([[1, 1, 0], [0, 0, 0]], dtype=bool)
    f = maximum_spanning_forest(w, mask=mask)
    assert f.size == 2 and f.n_components == 3 and not f.is_spanning_tree


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        (np.array([[1.0, np.nan]]), "non-finite"),
        (np.array([[np.inf]]), "non-finite"),
        (np.zeros((0, 3)), "empty"),
        (np.ones(4), "2-D"),
        (np.ones((2, 2, 2)), "2-D"),
        (np.array([["a"]]), "numeric"),
    ],
)
def test_bad_weights_raise_clear_errors(weights, match):
    with pytest.raises((ValueError, TypeError), match=match):
        maximum_spanning_forest(weights)


def test_bad_arguments_raise():
    w = np.ones((2, 2))
    with pytest.raises(ValueError, match="zero_weights"):
        maximum_spanning_forest(w, zero_weights="maybe")
    with pytest.raises(ValueError, match="shape"):
        maximum_spanning_forest(w, mask=np.ones((3, 2), bool))
    with pytest.raises(ValueError, match="binary"):
        maximum_spanning_forest(w, mask=np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="method"):
        maximum_spanning_forest(w, method="boruvka")


def test_float32_and_int_inputs():
    w = np.random.default_rng(0).standard_normal((30, 20))
    a = maximum_spanning_forest(w)
    b = maximum_spanning_forest(w.astype(np.float32))
    assert a.size == b.size == 49
    c = maximum_spanning_forest(np.arange(6).reshape(2, 3))
    assert c.edge_index.tolist() == [5, 4, 3, 2]
