"""The dense kernels after the speed rewrite: integer keys, tie rule, finiteness, NP path.

Prim reads weights as integer bit patterns, checks finiteness inside its own pass and has
a one-call neural persistence path; these tests pin that each of those gives exactly what
the reference computations give (pure-Python Kruskal over the tie-rule order, the diagram
path, numpy's sum).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.topology.test_forest import reference_kruskal
from topotheory.testing.strategies import masks, weight_matrices
from topotheory.topology import maximum_spanning_forest, neural_persistence
from topotheory.topology._kernels import first_non_finite, pairwise_sum
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import PRIM_MAX_NODES, prefer_prim

DENSE_METHODS = ("auto", "prim", "filter_kruskal")

# Shapes around the 8x8 tiles of Prim's transposed copy, thin and power-of-two layers.
SHAPES = [(1, 1), (1, 9), (9, 1), (7, 7), (8, 8), (8, 9), (9, 8), (13, 21), (16, 3),
          (3, 64), (64, 64), (33, 17)]


def tied_layer(shape, seed, levels):
    """Weights drawn from ``levels`` magnitudes with random signs: many exact ties, also
    between the keys of an input and of an output competing for the same pick."""
    rng = np.random.default_rng(seed)
    mags = rng.integers(0, levels, size=shape) / 4.0
    return mags * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("levels", [1, 2, 3, 50])
@pytest.mark.parametrize("method", DENSE_METHODS)
def test_tied_layers_follow_the_tie_rule(shape, levels, method):
    for seed in range(3):
        w = tied_layer(shape, seed, levels)
        forest = maximum_spanning_forest(w, method=method)
        assert forest.edge_set() == reference_kruskal(w)
        # Edges come out in tie-rule order: |w| descending, then flat index ascending.
        keys = list(zip((-forest.weights).tolist(), forest.edge_index.tolist(), strict=True))
        assert keys == sorted(keys)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("method", DENSE_METHODS)
def test_tied_layers_with_masks_and_absent_zeros(shape, method):
    rng = np.random.default_rng(sum(shape))
    for levels in (2, 4):
        w = tied_layer(shape, levels, levels)
        mask = rng.random(shape) < 0.6
        got = maximum_spanning_forest(w, mask=mask, method=method)
        assert got.edge_set() == reference_kruskal(w, mask=mask)
        assert got.size + got.n_components == sum(shape)
        absent = maximum_spanning_forest(w, zero_weights="absent", method=method)
        assert absent.edge_set() == reference_kruskal(w, zero_absent=True)


def test_all_equal_layer_prim_takes_the_lowest_flat_indices():
    w = -np.ones((4, 5))
    assert maximum_spanning_forest(w, method="prim").edge_index.tolist() == [
        0, 1, 2, 3, 4, 5, 10, 15
    ]


@given(weight_matrices(dtype=np.float32, max_rows=10, max_cols=10))
def test_float32_weights_give_the_float64_forest(w):
    f32 = maximum_spanning_forest(w, method="prim")
    f64 = maximum_spanning_forest(w.astype(np.float64), method="prim")
    assert f32.edge_index.tolist() == f64.edge_index.tolist()
    assert f32.edge_set() == reference_kruskal(w.astype(np.float64))


@pytest.mark.parametrize("method", DENSE_METHODS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_non_finite_weight_anywhere_is_refused_with_its_index(method, bad, dtype):
    shape = (5, 7)
    for position in range(35):
        w = np.random.default_rng(position).standard_normal(shape).astype(dtype)
        w.flat[position] = bad
        index = np.unravel_index(position, shape)
        with pytest.raises(ValueError, match=rf"non-finite value .* at index \({index[0]}, "
                                             rf"{index[1]}\)"):
            maximum_spanning_forest(w, method=method)
        with pytest.raises(ValueError, match="non-finite"):
            neural_persistence(w)


def test_non_finite_weight_is_refused_even_where_masked_out_or_zero_absent():
    w = np.arange(1.0, 13.0).reshape(3, 4)
    w[1, 2] = np.nan
    mask = np.ones((3, 4), dtype=bool)
    mask[1, 2] = False
    for method in DENSE_METHODS:
        with pytest.raises(ValueError, match=r"at index \(1, 2\)"):
            maximum_spanning_forest(w, mask=mask, method=method)
        with pytest.raises(ValueError, match=r"at index \(1, 2\)"):
            maximum_spanning_forest(w, zero_weights="absent", method=method)
    with pytest.raises(ValueError, match="non-finite"):
        neural_persistence(w, mask=mask)
    one = np.array([[np.inf]])
    with pytest.raises(ValueError, match="non-finite"):
        maximum_spanning_forest(one)


def test_large_filter_kruskal_layer_refuses_non_finite():
    w = np.random.default_rng(0).standard_normal((900, 800))
    w[899, 799] = np.inf
    assert not prefer_prim(*w.shape)
    with pytest.raises(ValueError, match=r"at index \(899, 799\)"):
        maximum_spanning_forest(w)


def test_first_non_finite():
    values = np.zeros(300)
    assert first_non_finite(values) == -1
    values[[17, 200]] = [np.inf, np.nan]
    assert first_non_finite(values) == 17
    assert first_non_finite(np.array([[1.0, 2.0], [np.nan, 0.0]])) == 2
    assert first_non_finite(np.array([np.float32(np.inf)])) == 0


@st.composite
def np_cases(draw):
    w = draw(weight_matrices(max_rows=9, max_cols=9))
    mask = draw(st.none() | masks(w.shape))
    return w, mask, draw(st.sampled_from(["present", "absent"]))


@given(np_cases(), st.sampled_from([1.0, 2.0, 2]))
def test_one_call_np_equals_the_diagram_path_bit_for_bit(case, p):
    w, mask, zero_weights = case
    try:
        expected = persistence_diagram(w, mask=mask, zero_weights=zero_weights).p_norm(p)
    except ValueError as error:  # an all-absent layer: the same error from both paths
        with pytest.raises(ValueError, match=str(error)[:40].replace("(", r"\(")):
            neural_persistence(w, p=p, mask=mask, zero_weights=zero_weights)
        return
    assert neural_persistence(w, p=p, mask=mask, zero_weights=zero_weights) == expected


@pytest.mark.parametrize("shape", [(64, 64), (100, 100), (300, 200), (2, 1000)])
def test_one_call_np_equals_the_diagram_path_on_larger_layers(shape):
    rng = np.random.default_rng(1)
    for w in (rng.standard_normal(shape), np.round(rng.standard_normal(shape), 1),
              rng.standard_normal(shape).astype(np.float32)):
        for p in (1.0, 2.0):
            assert neural_persistence(w, p=p) == persistence_diagram(w).p_norm(p)
        d = persistence_diagram(w)
        assert neural_persistence(w, normalize="rieck_code") == d.p_norm(2) / np.sqrt(
            sum(shape) - 1
        )


def test_pairwise_sum_is_numpy_sum_bit_for_bit():
    rng = np.random.default_rng(0)
    for size in [0, 1, 7, 8, 9, 127, 128, 129, 255, 256, 1000, 8191, 8192, 8193, 20000]:
        values = rng.random(size) ** 3 * 10.0 ** rng.uniform(-6, 6, size)
        assert pairwise_sum(values) == np.sum(values)


def test_prim_is_chosen_up_to_the_measured_crossover():
    assert prefer_prim(PRIM_MAX_NODES // 2, PRIM_MAX_NODES // 2)
    assert not prefer_prim(PRIM_MAX_NODES // 2 + 1, PRIM_MAX_NODES // 2)
    assert prefer_prim(40, 2000) and prefer_prim(2000, 40)  # thin: filter-Kruskal takes all
    assert not prefer_prim(4000, 4000)


@pytest.mark.parametrize("shape", [(1024, 64), (512, 512), (760, 740)])
def test_prim_and_filter_kruskal_agree_near_the_crossover(shape):
    w = np.round(np.random.default_rng(sum(shape)).standard_normal(shape), 2)
    a = maximum_spanning_forest(w, method="prim")
    b = maximum_spanning_forest(w, method="filter_kruskal")
    assert np.array_equal(a.edge_index, b.edge_index)
    assert np.array_equal(a.weights, b.weights)
