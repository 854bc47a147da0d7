"""The adversarial minimum of the overlap: formula vs enumeration vs the core."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import topotheory as tt
from tests.simulate.strategies import shapes_and_k
from topotheory.simulate.bounds import overlap_lower_bound
from topotheory.simulate.worst_case import (
    brute_force_worst_case,
    worst_case_overlap,
    worst_case_weights,
)


@given(shapes_and_k())
def test_block_formula_equals_enumeration(case):
    n, m, k = case
    assert worst_case_overlap(n, m, k).count == brute_force_worst_case(n, m, k)


@given(st.integers(1, 30), st.integers(1, 30), st.data())
def test_weights_realise_the_worst_case_in_the_core(n, m, data):
    k = data.draw(st.integers(1, n * m))
    worst = worst_case_overlap(n, m, k)
    weights = worst_case_weights(n, m, k)
    assert len(np.unique(weights)) == n * m  # a strict order
    assert tt.topk_mst_overlap(weights, k).count == worst.count
    a, b = worst.block
    assert a * b >= k and worst.count == a + b - 1


def test_worst_case_goes_below_the_bound_only_for_large_layers():
    # exact scan: the smallest failing shape (by edge count) for the paper's variant
    worst = worst_case_overlap(61, 69)
    assert worst.fraction < overlap_lower_bound(61, 69)
    assert worst_case_overlap(30, 30).fraction > overlap_lower_bound(30, 30)
    assert worst_case_overlap(100, 100).count == 28
