"""Exact kept counts and the tie rule of IMP / random pruning."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from tests.nn_prune.helpers import linear_with
from topotheory.nn.masks import Mask
from topotheory.nn.prune import kept_count, prune_step


@pytest.mark.parametrize(
    ("remaining", "rate", "kept"),
    [
        (10, 0.2, 8),
        (5, 0.3, 4),
        (5, 0.1, 5),
        (7, 0.5, 4),
        (1, 0.5, 1),
        (3, 0.5, 2),
        (78400, 0.2, 62720),
        (100, 0.0, 100),
        (100, 1.0, 0),
        (0, 0.5, 0),
        (9, 0.7, 3),
    ],
)
def test_kept_count_pinned(remaining: int, rate: float, kept: int) -> None:
    assert kept_count(remaining, rate) == kept


@given(st.integers(0, 10**6), st.integers(0, 1000))
def test_kept_count_is_round_half_up_of_exact_product(remaining: int, permille: int) -> None:
    rate = permille / 1000
    exact = remaining * (1 - Fraction(permille, 1000))
    k = kept_count(remaining, rate)
    assert k - Fraction(1, 2) <= exact < k + Fraction(1, 2)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_kept_count_rejects_bad_rate(bad: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        kept_count(10, bad)


def test_imp_ties_keep_lowest_flat_index() -> None:
    # all weights tie in magnitude: IMP keeps the first kept_count flat indices
    w = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])
    step = prune_step(linear_with(w), None, 0.5, method="imp")
    assert step.mask["weight"].flatten().tolist() == [True, True, True, False, False, False]


def test_imp_keeps_exact_count_and_largest() -> None:
    rng = np.random.default_rng(0)
    w = rng.integers(-3, 4, size=(7, 11)).astype(float)  # many ties
    step = prune_step(linear_with(w), None, 0.37, method="imp")
    kept = step.mask["weight"].numpy().ravel()
    assert kept.sum() == kept_count(77, 0.37) == step.budget["weight"]
    mags = np.abs(w).ravel()
    expected = sorted(range(77), key=lambda i: (-mags[i], i))[: kept.sum()]
    assert sorted(np.flatnonzero(kept).tolist()) == sorted(expected)


def test_imp_only_prunes_among_unpruned() -> None:
    w = np.arange(1.0, 13.0).reshape(3, 4)
    old = Mask({"weight": torch.tensor(w < 11)})  # the two largest already pruned
    step = prune_step(linear_with(w), old, 0.5, method="imp")
    kept = step.mask["weight"].numpy()
    assert kept.sum() == kept_count(10, 0.5) == 5
    assert not (kept & ~old["weight"].numpy()).any()
    assert np.flatnonzero(kept.ravel()).tolist() == [5, 6, 7, 8, 9]


def test_global_scope_ties_across_layers() -> None:
    net = nn.Sequential(nn.Linear(2, 2, bias=False), nn.Linear(2, 1, bias=False))
    with torch.no_grad():
        net[0].weight.fill_(2.0)
        net[1].weight.copy_(torch.tensor([[2.0, 5.0]]))
    step = prune_step(net, None, 0.5, method="imp", scope="global")
    assert step.budget == {"<global>": 3}
    # 5 first, then the 2.0-ties in global flat order: layer 0 entries 0, 1
    assert step.mask["0.weight"].flatten().tolist() == [True, True, False, False]
    assert step.mask["1.weight"].flatten().tolist() == [False, True]


def test_random_pruning_exact_count_seeded_and_subset() -> None:
    w = np.ones((20, 30))
    old = prune_step(linear_with(w), None, 0.3, method="random", seed=1).mask
    a = prune_step(linear_with(w), old, 0.5, method="random", seed=7).mask
    b = prune_step(linear_with(w), old, 0.5, method="random", seed=7).mask
    c = prune_step(linear_with(w), old, 0.5, method="random", seed=8).mask
    assert a == b and a != c
    assert a.n_kept == kept_count(kept_count(600, 0.3), 0.5)
    assert not (a["weight"] & ~old["weight"]).any()
    with pytest.raises(ValueError, match="seed"):
        prune_step(linear_with(w), None, 0.5, method="random")


def test_bad_arguments_are_named() -> None:
    lin = linear_with(np.ones((2, 2)))
    with pytest.raises(ValueError, match="method"):
        prune_step(lin, None, 0.5, method="snip")
    with pytest.raises(ValueError, match="scope"):
        prune_step(lin, None, 0.5, scope="layer")
    with pytest.raises(ValueError, match="on_conflict"):
        prune_step(lin, None, 0.5, method="timp", on_conflict="ignore")
