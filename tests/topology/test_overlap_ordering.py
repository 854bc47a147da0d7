"""Top-k/MST overlap against brute force; the tie rule of top-k selection."""

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from topotheory.testing.strategies import masks, weight_matrices
from topotheory.topology import (
    EdgeListGraph,
    edge_order,
    maximum_spanning_forest,
    topk_indices,
    topk_mst_overlap,
)


@given(weight_matrices(), st.data())
@example(np.ones((2, 2)), None)
def test_overlap_equals_brute_force_for_every_k(w, data):
    order = edge_order(w)
    forest = maximum_spanning_forest(w).edge_set()
    ks = range(w.size + 1) if data is None else [data.draw(st.integers(0, w.size))]
    for k in ks:
        r = topk_mst_overlap(w, k)
        assert r.count == len(forest & set(order[:k].tolist()))
        assert r.mst_size == len(forest)


@given(st.data())
def test_overlap_with_mask_and_edge_list_agree(data):
    w = data.draw(weight_matrices(max_rows=6, max_cols=6))
    mask = data.draw(masks(w.shape))
    present = int(mask.sum())
    k = data.draw(st.integers(0, present))
    dense = topk_mst_overlap(w, k, mask=mask)
    listed = topk_mst_overlap(EdgeListGraph.from_dense(w, mask=mask), k)
    assert dense == listed


def test_default_k_is_forest_size():
    w = np.random.default_rng(0).standard_normal((10, 30))
    r = topk_mst_overlap(w)
    assert r.k == 39 and 0 < r.fraction <= 1


@given(weight_matrices(kinds=("ties", "quantised", "zeros")), st.data())
def test_topk_indices_is_prefix_of_edge_order(w, data):
    k = data.draw(st.integers(0, w.size))
    assert topk_indices(w, k).tolist() == sorted(edge_order(w)[:k].tolist())


def test_topk_tie_rule_exact():
    assert topk_indices([[5, 1, 5], [5, 1, 1]], 2).tolist() == [0, 2]
    assert topk_indices([[5, 1, 5], [5, 1, 1]], 4).tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="k=7"):
        topk_indices(np.ones((2, 3)), 7)
    with pytest.raises(TypeError, match="integer"):
        topk_mst_overlap(np.ones((2, 3)), 2.0)
