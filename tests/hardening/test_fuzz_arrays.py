"""Bad and odd arrays for every public function that reads weights.

* Refused (``ValueError``/``TypeError`` naming the argument, never a numba typing error
  or a wrong answer): NaN/inf anywhere, complex, bool, object, str, bytes, datetime,
  timedelta, masked arrays, torch-like tensors.
* Converted (same result as float64): float16, float32, longdouble, big-endian,
  Fortran-order and integer arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import topotheory as tt
from topotheory.errors import InputError
from topotheory.topology.conv import conv_toeplitz_graph
from topotheory.topology.graphs import EdgeListGraph
from topotheory.topology.persistence import network_neural_persistence
from topotheory.topology.recurrent import recurrent_unrolled_graph

_SETTINGS = settings(max_examples=max(10, settings.default.max_examples // 4), deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])

# name -> (function of one 2-D array, the argument name its message must contain)
DENSE = {
    "maximum_spanning_forest": (lambda w: tt.maximum_spanning_forest(w), "weights"),
    "persistence_diagram": (lambda w: tt.persistence_diagram(w), "weights"),
    "neural_persistence": (lambda w: tt.neural_persistence(w), "weights"),
    "topk_mst_overlap": (lambda w: tt.topk_mst_overlap(w), "weights"),
    "topk_indices": (lambda w: tt.topk_indices(w, 1), "weights"),
    "edge_order": (lambda w: tt.edge_order(w), "magnitudes"),
    "network_neural_persistence": (lambda w: network_neural_persistence([w]), "layers[0]"),
    "recurrent_unrolled_graph": (lambda w: recurrent_unrolled_graph(_square(w), 2), "weight_hh"),
    "conv_toeplitz_graph": (
        lambda w: conv_toeplitz_graph(w.reshape((1, 1, *w.shape)), (1, *(s + 2 for s in w.shape))),
        "weight",
    ),
    "EdgeListGraph.from_arrays": (
        lambda w: EdgeListGraph.from_arrays(2, [0] * w.size, [1] * w.size, w.ravel()), "weights"),
}

def _square(w: np.ndarray) -> np.ndarray:
    """A square hidden-to-hidden matrix holding every entry of ``w`` (masks kept)."""
    if isinstance(w, np.ma.MaskedArray) or w.shape[0] == w.shape[1]:
        return w
    side = max(w.shape)
    out = np.zeros((side, side), dtype=w.dtype)
    out[: w.shape[0], : w.shape[1]] = w
    return out


_REFUSED_DTYPES = [np.complex128, np.bool_, object, "U3", "S3", "m8[s]", "M8[D]"]


def _refused_arrays() -> st.SearchStrategy[np.ndarray]:
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4)
    finite = hnp.arrays(np.float64, shapes, elements=st.floats(-5, 5))
    with_nonfinite = finite.flatmap(
        lambda a: st.tuples(st.integers(0, a.size - 1),
                            st.sampled_from([np.nan, np.inf, -np.inf])).map(
            lambda ix: _poke(a, *ix)))
    odd_dtype = st.tuples(finite, st.sampled_from(_REFUSED_DTYPES)).map(
        lambda ad: ad[0].astype(ad[1]) if ad[1] is not object else ad[0].astype(object))
    masked = finite.map(lambda a: np.ma.masked_less(a, 0.0))
    float16_nan = finite.map(lambda a: _poke(a.astype(np.float16), 0, np.nan))
    return st.one_of(with_nonfinite, odd_dtype, masked, float16_nan)


def _poke(a: np.ndarray, index: int, value: float) -> np.ndarray:
    b = a.copy()
    b.flat[index] = value
    return b


@pytest.mark.parametrize("name", sorted(DENSE))
@_SETTINGS
@given(array=_refused_arrays())
@example(array=np.array([[1.0, np.nan, 2.0, 3.0]]))  # issue: topk_indices gave 2 indices
@example(array=np.full((2, 2), np.nan))  # issue: all-NaN topk_indices gave []
@example(array=np.ones((2, 2), dtype="m8[s]"))  # issue: timedelta read as numbers
@example(array=np.ones((2, 2), dtype=np.complex128))  # issue: complex accepted with a warning
def test_refused_with_a_message_naming_the_argument(name, array):
    function, argument = DENSE[name]
    with pytest.raises((ValueError, TypeError)) as info:
        function(array)
    message = str(info.value)
    assert argument.split("[")[0] in message, message
    assert "allow_pickle" not in message and "nopython" not in message


_CONVERTED = ["<f2", ">f2", "<f4", ">f4", ">f8", np.longdouble, "<i4", ">i8", "<u2"]


@pytest.mark.parametrize("name", sorted(set(DENSE) - {"recurrent_unrolled_graph"}))
@_SETTINGS
@given(
    array=hnp.arrays(np.int8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=5),
                     elements=st.integers(1, 100)),
    dtype=st.sampled_from(_CONVERTED),
    fortran=st.booleans(),
)
def test_odd_dtypes_and_layouts_give_the_float64_answer(name, array, dtype, fortran):
    function, _ = DENSE[name]
    reference = function(array.astype(np.float64))
    odd = array.astype(dtype)
    if fortran:
        odd = np.asfortranarray(odd)
    got = function(odd)
    assert _same(got, reference)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b)
    if hasattr(a, "__dataclass_fields__"):
        return all(_same(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b or (a != a and b != b)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"stride": (1.5, 1)}, "stride"),
        ({"padding": (1.7, 1.7)}, "padding"),
        ({"padding": 0.5}, "padding"),
        ({"dilation": (1, 2.5)}, "dilation"),
        ({"input_shape": (3, 8.9, 8)}, "input_shape"),
    ],
)
def test_fractional_conv_geometry_refused(kwargs, argument):
    args = {"input_shape": (3, 8, 8), **kwargs}
    shape = args.pop("input_shape")
    with pytest.raises(TypeError, match=argument):
        conv_toeplitz_graph(np.ones((2, 3, 3, 3)), shape, **args)


@pytest.mark.parametrize(
    ("u", "v", "kwargs", "argument"),
    [
        ([0.5], [1], {}, "u"),
        ([0], [1.2], {}, "v"),
        ([0], [1], {"edge_index": [-3]}, "edge_index"),
        ([-1], [1], {}, "u"),
        ([True], [1], {}, "u"),
    ],
)
def test_edge_list_refuses_float_ids_and_negative_indices(u, v, kwargs, argument):
    with pytest.raises(InputError) as info:
        EdgeListGraph.from_arrays(2, u, v, [1.0], **kwargs)
    assert info.value.argument == argument


def test_w_max_below_the_layer_max_is_refused():
    w = np.array([[0.05, 0.02], [0.01, 0.03]])
    with pytest.raises(InputError) as info:
        tt.neural_persistence(w, normalization="per_network", w_max=0.04)
    assert info.value.argument == "w_max"
    assert tt.neural_persistence(w, normalization="per_network", w_max=0.05) >= 0


@pytest.mark.parametrize("p", [1e-300, 0.001])
def test_tiny_p_is_refused_not_infinite(p):
    w = np.arange(1.0, 13.0).reshape(3, 4)
    with pytest.raises(InputError) as info:
        tt.neural_persistence(w, p=p)
    assert info.value.argument == "p"


def test_dense_size_checked_before_any_pass_over_the_data():
    import tracemalloc

    huge = np.broadcast_to(1.0, (200_000, 200_000))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="edges"):
            tt.maximum_spanning_forest(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20


def test_prune_step_refuses_nan_for_every_method():
    torch = pytest.importorskip("torch")
    from topotheory.nn.prune import prune_step

    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight[0, 1] = float("nan")
    for method in ("imp", "timp", "random"):
        with pytest.raises(InputError, match="non-finite"):
            prune_step(layer, None, 0.5, method=method, seed=0)
