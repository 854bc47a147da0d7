"""T-IMP on conv layers keeps the kernel parameters that the exact Toeplitz forest uses."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from topotheory.nn.prune import layer_input_shapes, prune_step
from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest, persistence_diagram


def _toeplitz_diagram(weight: np.ndarray, shape, **geom):
    g = conv_toeplitz_graph(weight, shape, **geom)
    d = persistence_diagram(g, zero_weights="absent")
    return d.deaths, d.edge_index


@pytest.mark.parametrize("geom", [{"padding": 1}, {"stride": 2}, {"groups": 2, "padding": 1}])
def test_conv_timp_keeps_forest_params_and_toeplitz_diagram(geom) -> None:
    torch.manual_seed(0)
    conv = nn.Conv2d(2, 4, 3, **geom)
    net = nn.Sequential(conv)
    shapes = layer_input_shapes(net, torch.zeros(1, 2, 7, 7))
    assert shapes == {"0.weight": (2, 7, 7)}
    w = conv.weight.detach().double().numpy()
    forest = maximum_spanning_forest(conv_toeplitz_graph(w, (2, 7, 7), **geom), zero_weights="absent")
    needed = np.unique(forest.param_index)
    step = prune_step(net, None, 0.25, method="timp", input_shapes=shapes)
    kept = step.mask["0.weight"].numpy()
    assert step.forest_size["0.weight"] == needed.size < w.size  # shared weights: few params
    assert kept.sum() == step.budget["0.weight"] == round(w.size * 0.75)
    assert kept.ravel()[needed].all()
    before = _toeplitz_diagram(w, (2, 7, 7), **geom)
    after = _toeplitz_diagram(w * kept, (2, 7, 7), **geom)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1])


def test_conv_timp_needs_input_shapes() -> None:
    with pytest.raises(ValueError, match="input_shapes"):
        prune_step(nn.Conv2d(1, 2, 3), None, 0.5, method="timp")


def test_conv_timp_keeps_zero_valued_forest_params_like_dense() -> None:
    """A kept kernel weight of exactly 0 is a present (zero-weight) edge, as for dense
    layers: the Toeplitz forest of ``[1, 0]`` on a length-3 input needs both taps."""
    conv = nn.Conv1d(1, 1, 2, bias=False)
    w = np.array([[[1.0, 0.0]]])
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(w))
    shapes = layer_input_shapes(conv, torch.zeros(1, 1, 3))
    core = maximum_spanning_forest(conv_toeplitz_graph(w, (1, 3)))  # zero weights present
    step = prune_step(conv, None, 0.0, method="timp", input_shapes=shapes)
    assert core.used_parameters().tolist() == [0, 1]
    assert step.forest_size["weight"] == 2
    dense = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        dense.weight.copy_(torch.tensor([[1.0, 0.0]]))
    assert prune_step(dense, None, 0.0, method="timp").forest_size["weight"] == 2
    # once pruned, the zero parameter is absent: a later round forces only the first tap
    mask = step.mask.__class__({"weight": torch.tensor([[[True, False]]])})
    again = prune_step(conv, mask, 0.0, method="timp", input_shapes=shapes)
    assert again.forest_size["weight"] == 1
