"""Interop with ``torch.nn.utils.prune`` (code we did not write) and numpy masks.

* our kept-count rule vs torch's, pinned where they differ (7 weights at rate 0.5);
* ``rounding="torch"`` reproduces ``l1_unstructured``'s kept counts on many sizes and
  rates, in one step and iterated (torch's ``PruningContainer``);
* ``Mask.apply_`` on a model already pruned with torch;
* ``Mask`` accepts numpy arrays, validated like tensors.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils import prune as torch_prune

from tests.nn_prune.helpers import linear_with
from topotheory.nn.masks import Mask
from topotheory.nn.prune import kept_count, prune_step


def _distinct_linear(size: int, seed: int) -> nn.Linear:
    """A 1 x size layer whose magnitudes are all distinct (no tie-rule ambiguity)."""
    rng = np.random.default_rng(seed)
    mags = rng.permutation(np.arange(1, size + 1, dtype=np.float64))
    signs = rng.choice([-1.0, 1.0], size=size)
    return linear_with((mags * signs)[None, :])


def _torch_kept(size: int, rate: float) -> int:
    lin = _distinct_linear(size, 0)
    torch_prune.l1_unstructured(lin, "weight", amount=rate)
    return int(lin.weight_mask.sum())


def test_counts_differ_on_a_tie_seven_weights_at_half() -> None:
    assert kept_count(7, 0.5) == 4
    assert _torch_kept(7, 0.5) == 3
    assert kept_count(7, 0.5, rounding="torch") == 3


RATES = (0.0, 0.1, 0.2, 0.25, 0.3, 0.33, 0.5, 0.7, 0.75, 0.9, 0.99, 1.0)


@pytest.mark.parametrize("rate", RATES)
def test_torch_rounding_matches_l1_unstructured_on_many_sizes(rate: float) -> None:
    for size in range(1, 130):
        assert kept_count(size, rate, rounding="torch") == _torch_kept(size, rate), (size, rate)


@given(size=st.integers(1, 400), rate=st.floats(0.0, 1.0))
@example(size=7, rate=0.5)
@example(size=5, rate=0.3)
def test_torch_rounding_matches_l1_unstructured_property(size: int, rate: float) -> None:
    assert kept_count(size, rate, rounding="torch") == _torch_kept(size, rate)


def test_half_up_and_torch_differ_only_by_rounding_direction() -> None:
    differ = [
        (n, r)
        for n in range(1, 200)
        for r in RATES
        if kept_count(n, r) != kept_count(n, r, rounding="torch")
    ]
    assert differ  # the rules do differ (e.g. 7 at 0.5) ...
    for n, r in differ:  # ... by one weight, on products that are (nearly) halves
        assert abs(kept_count(n, r) - kept_count(n, r, rounding="torch")) == 1
        assert abs((n * r) % 1 - 0.5) < 1e-9


@pytest.mark.parametrize("size", [7, 33, 100, 101])
def test_prune_step_torch_rounding_equals_torch_iterated(size: int) -> None:
    """Three IMP rounds at rate 0.5: same masks as torch's PruningContainer."""
    ours = _distinct_linear(size, 3)
    theirs = _distinct_linear(size, 3)
    mask = None
    for _ in range(3):
        mask = prune_step(ours, mask, 0.5, method="imp", rounding="torch").mask
        torch_prune.l1_unstructured(theirs, "weight", amount=0.5)
        assert torch.equal(mask["weight"], theirs.weight_mask.bool())


def test_prune_step_rejects_unknown_rounding() -> None:
    with pytest.raises(ValueError, match="rounding='up'"):
        prune_step(_distinct_linear(4, 0), None, 0.5, rounding="up")


def test_apply_on_torch_pruned_model() -> None:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 3))
    torch_prune.l1_unstructured(net[0], "weight", amount=0.5)
    torch_mask = net[0].weight_mask.clone().bool()
    ours = Mask({"0.weight": torch.rand(4, 6) > 0.5, "2.weight": torch.rand(3, 4) > 0.3})
    ours.apply_(net)
    both = torch_mask & ours["0.weight"]
    # weight_orig zeroed where we prune, torch's mask intersected, weight recomputed
    assert torch.all(net[0].weight_orig[~ours["0.weight"]] == 0)
    assert torch.equal(net[0].weight_mask.bool(), both)
    assert torch.all(net[0].weight[~both] == 0)
    assert torch.all(net[2].weight[~ours["2.weight"]] == 0)
    # still pruned after a forward pass (torch's hook recomputes weight) and after remove
    net(torch.randn(2, 6))
    assert torch.all(net[0].weight[~both] == 0)
    torch_prune.remove(net[0], "weight")
    assert torch.all(net[0].weight[~both] == 0)
    assert Mask.from_torch_prune(net) == Mask({})


def test_apply_on_torch_pruned_model_checks_shape() -> None:
    lin = torch_prune.identity(nn.Linear(3, 2), "weight")
    with pytest.raises(ValueError, match="shape"):
        Mask({"weight": torch.ones(3, 2, dtype=torch.bool)}).apply_(lin)


def test_from_torch_prune_round_trip_then_apply() -> None:
    lin = _distinct_linear(9, 1)
    torch_prune.l1_unstructured(lin, "weight", amount=0.5)
    mask = Mask.from_torch_prune(lin)
    fresh = _distinct_linear(9, 1)
    mask.apply_(fresh)
    assert torch.equal(fresh.weight != 0, lin.weight_mask.bool())


@pytest.mark.parametrize(
    "array",
    [
        np.array([[True, False], [True, True]]),
        np.array([[1, 0], [1, 1]], dtype=np.uint8),
        np.array([[1.0, 0.0], [1.0, 1.0]], dtype=np.float32),
        np.array([[1, 0], [1, 1]], dtype=np.int64)[:, ::-1][:, ::-1],  # a strided view
    ],
)
def test_mask_accepts_numpy(array: np.ndarray) -> None:
    m = Mask({"w": array})
    assert m["w"].dtype == torch.bool
    assert m["w"].tolist() == [[True, False], [True, True]]
    assert m == Mask({"w": torch.from_numpy(np.asarray(array, dtype=bool).copy())})


@pytest.mark.parametrize("bad", [np.array([0.0, 0.5]), np.array([2, 0]), np.array([np.nan])])
def test_numpy_mask_is_validated(bad: np.ndarray) -> None:
    with pytest.raises(ValueError, match="not binary"):
        Mask({"w": bad})


def test_numpy_mask_of_strings_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="dtype <U1"):
        Mask({"w": np.array(["1", "0"])})


def test_numpy_mask_does_not_alias_the_array() -> None:
    array = np.array([1, 0, 1], dtype=bool)
    m = Mask({"w": array})
    array[:] = False
    assert m["w"].tolist() == [True, False, True]
