"""T-IMP keeps each layer's maximum spanning forest, hence its diagram and NP, exactly."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from tests.nn_prune.helpers import linear_with
from topotheory.nn import _topo
from topotheory.nn.masks import Mask
from topotheory.nn.prune import ForestBudgetError, kept_count, prune_step


@st.composite
def layer_and_mask(draw):
    m, n = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    # small integer magnitudes: ties are frequent, the tie rule matters
    w = draw(arrays(np.float64, (m, n), elements=st.integers(-4, 4).map(float)))
    keep = draw(arrays(np.bool_, (m, n)))
    return w, keep


@given(layer_and_mask(), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8]))
def test_timp_step_keeps_forest_diagram_and_np(case, rate) -> None:
    w, keep = case
    lin = linear_with(w)
    old = Mask({"weight": torch.from_numpy(keep)})
    forest = _topo.forest_edges(w, keep)
    budget = kept_count(int(keep.sum()), rate)
    if budget < forest.size:
        with pytest.raises(ForestBudgetError, match="on_conflict"):
            prune_step(lin, old, rate, method="timp")
        return
    new = prune_step(lin, old, rate, method="timp").mask["weight"].numpy()
    assert new.sum() == budget  # exact budget when there is no conflict
    assert not (new & ~keep).any()  # never revives a pruned weight
    assert new.ravel()[forest].all()  # the whole forest is kept
    assert _topo.diagram(w, keep).equals(_topo.diagram(w, new))
    assert _topo.neural_persistence(w, keep) == _topo.neural_persistence(w, new)


def test_timp_fills_budget_by_magnitude_after_forest() -> None:
    # 2 x 3: forest = 9 (0), 8 (1), 7 (2), then out-node 1 joins via its largest edge 3 (5)
    w = np.array([[9.0, 8.0, 7.0], [1.0, 2.0, 3.0]])
    step = prune_step(linear_with(w), None, 0.2, method="timp")  # budget 5
    assert step.forest_size == {"weight": 4}
    assert np.flatnonzero(step.mask["weight"].numpy().ravel()).tolist() == [0, 1, 2, 4, 5]
    # IMP at the same budget would also keep 0,1,2,5,4: compare a case where they differ
    imp = prune_step(linear_with(w), None, 1 / 3, method="imp").mask["weight"].numpy()
    timp = prune_step(linear_with(w), None, 1 / 3, method="timp").mask["weight"].numpy()
    assert np.flatnonzero(imp.ravel()).tolist() == [0, 1, 2, 5]
    assert np.flatnonzero(timp.ravel()).tolist() == [0, 1, 2, 5]


def test_on_conflict_modes() -> None:
    # forest of a 3 x 3 layer has 5 edges; rate 0.6 leaves a budget of 4
    w = np.array([[9.0, 1.0, 1.0], [8.0, 1.0, 1.0], [7.0, 6.0, 5.0]])
    lin = linear_with(w)
    forest = _topo.forest_edges(w).tolist()
    assert len(forest) == 5 and kept_count(9, 0.6) == 4
    with pytest.raises(ForestBudgetError, match="budget for 'weight' is 4 .* forest has 5"):
        prune_step(lin, None, 0.6, method="timp")
    keep = prune_step(lin, None, 0.6, method="timp", on_conflict="keep_forest")
    assert sorted(np.flatnonzero(keep.mask["weight"].numpy().ravel()).tolist()) == sorted(forest)
    assert keep.conflicts == ["weight"] and keep.budget == {"weight": 4}
    trunc = prune_step(lin, None, 0.6, method="timp", on_conflict="truncate_forest")
    kept = np.flatnonzero(trunc.mask["weight"].numpy().ravel()).tolist()
    assert sorted(kept) == sorted(forest[:4])  # the top part in Kruskal order
    assert trunc.mask.n_kept == 4


def test_global_timp_keeps_every_forest() -> None:
    torch.manual_seed(3)
    net = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 4))
    step = prune_step(net, None, 0.4, method="timp", scope="global")
    assert step.mask.n_kept == kept_count(6 * 5 + 5 * 4, 0.4)
    for name in ("0.weight", "2.weight"):
        w = dict(net.named_parameters())[name].detach().double().numpy()
        kept = step.mask[name].numpy()
        assert kept.ravel()[_topo.forest_edges(w)].all()
        assert _topo.diagram(w).equals(_topo.diagram(w, kept))


def test_imp_loses_topology_where_timp_does_not() -> None:
    # a layer whose one output node only has small weights: IMP disconnects it
    w = np.array([[9.0, 8.0, 7.0], [6.0, 5.0, 4.0], [0.3, 0.2, 0.1]])
    imp = prune_step(linear_with(w), None, 0.4, method="imp").mask["weight"].numpy()
    timp = prune_step(linear_with(w), None, 0.4, method="timp").mask["weight"].numpy()
    assert not _topo.diagram(w).equals(_topo.diagram(w, imp))
    assert _topo.diagram(w).equals(_topo.diagram(w, timp))
    assert _topo.neural_persistence(w, imp) != _topo.neural_persistence(w, timp)
