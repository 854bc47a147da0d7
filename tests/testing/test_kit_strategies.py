"""The public strategies draw what they promise and reject bad arguments up front."""

import numpy as np
import pytest
from hypothesis import given

from topotheory.testing.strategies import conv_geometries, layer_stacks, masks, weight_matrices


@given(weight_matrices(shape=(3, 5), dtype=np.float32))
def test_weight_matrices_given_shape_and_dtype(w):
    assert w.shape == (3, 5)
    assert w.dtype == np.float32
    assert np.isfinite(w).all()


@given(weight_matrices(max_rows=5, max_cols=5, allow_zeros=False))
def test_allow_zeros_false_never_draws_a_zero(w):
    assert (w != 0).all()


@given(weight_matrices(max_rows=4, max_cols=4, kinds=("ties",)))
def test_ties_kind_draws_integer_levels(w):
    assert np.array_equal(w, np.round(w))


@given(weight_matrices(min_rows=2, max_rows=4, min_cols=2, max_cols=4, kinds=("dead_units",)))
def test_dead_units_have_a_dead_row(w):
    # one output row is zeroed (its entry in the faint input column is ~1e-3)
    assert (np.abs(w).max(axis=1) < 0.01).any()


@given(layer_stacks(min_layers=2, max_layers=4, max_width=6))
def test_layer_stacks_chain_shapes(layers):
    assert 2 <= len(layers) <= 4
    for first, second in zip(layers, layers[1:], strict=False):
        assert second.shape[1] == first.shape[0]


@given(layer_stacks(widths=(5, 4, 2), allow_zeros=False, dtype=np.float32))
def test_layer_stacks_fixed_widths(layers):
    assert [w.shape for w in layers] == [(4, 5), (2, 4)]
    assert all(w.dtype == np.float32 and (w != 0).all() for w in layers)


@given(masks((4, 5), density=0.25))
def test_masks_exact_density(mask):
    assert mask.dtype == np.bool_ and mask.shape == (4, 5) and mask.sum() == 5


@given(conv_geometries(dims=(2,), max_channels=2, max_size=5))
def test_conv_geometries_build_a_graph(g):
    from topotheory.topology.conv import conv_toeplitz_graph

    graph = conv_toeplitz_graph(**g)
    assert graph.n_inputs == g["input_shape"][0] * int(np.prod(graph.node_spatial))
    assert graph.n_outputs == g["weight"].shape[0] * int(np.prod(graph.output_spatial))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: weight_matrices(shape=(0, 3)), "shape"),
        (lambda: weight_matrices(min_rows=4, max_rows=2), "rows"),
        (lambda: weight_matrices(kinds=("gauss",)), "unknown"),
        (lambda: weight_matrices(kinds="ties"), "tuple"),
        (lambda: weight_matrices(dtype=np.int32), "floating"),
        (lambda: weight_matrices(kinds=("zeros",), allow_zeros=False), "allow_zeros"),
        (lambda: layer_stacks(widths=(3,)), "widths"),
        (lambda: layer_stacks(min_layers=0), "layers"),
        (lambda: masks((2, 2), density=1.5), "density"),
        (lambda: masks((2,), density=0.5), "shape"),
        (lambda: conv_geometries(dims=(4,)), "dims"),
    ],
)
def test_bad_arguments_fail_when_the_strategy_is_built(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_no_zero_survives_allow_zeros_false_in_float32():
    # counterexample found: a float64 draw of ~1e-45 became a float32 subnormal whose half is 0
    from topotheory.testing.values import _finish

    w = _finish(np.array([[0.0, 1e-45], [0.5, 0.0]]), np.dtype(np.float32), allow_zeros=False)
    assert w.dtype == np.float32 and (w != 0).all()
