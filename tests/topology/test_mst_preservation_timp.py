"""T-IMP keeps every forest unit by construction: run the project's T-IMP rule and measure."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from topotheory.nn.prune import layer_input_shapes, prune_step  # noqa: E402
from topotheory.topology import conv_toeplitz_graph, mst_preservation  # noqa: E402


def linear_with(weight: np.ndarray) -> nn.Linear:
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight))
    return layer


def test_timp_levels_keep_the_whole_dense_forest():
    w = np.random.default_rng(0).normal(size=(12, 20))
    model = linear_with(w)
    reference = w.copy()
    mask, sparsity = None, []
    for _ in range(4):  # 240 -> 120 -> 60 -> 30 kept; the forest has 31 edges
        step = prune_step(model, mask, 0.5, method="timp", on_conflict="keep_forest")
        mask = step.mask
        result = mst_preservation(reference, mask["weight"].numpy())
        assert result.kept_fraction == 1.0 and result.connected
        sparsity.append(result.sparsity)
    assert sparsity == sorted(sparsity) and result.kept_units == 31  # forest kept over budget


def test_timp_truncated_below_the_forest_keeps_k_of_it():
    w = np.random.default_rng(1).normal(size=(8, 10))
    step = prune_step(linear_with(w), None, 0.95, method="timp", on_conflict="truncate_forest")
    result = mst_preservation(w, step.mask["weight"].numpy())
    assert result.past_critical and result.kept_units == 4
    assert result.kept_forest_units == result.kept_units
    assert result.kept_fraction == result.timp_kept_fraction == 4 / 17


def test_timp_keeps_every_parameter_a_conv_forest_uses():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1))
    shapes = layer_input_shapes(model, torch.zeros(1, 2, 6, 6))
    weight = model[0].weight.detach().double().numpy().copy()
    graph = conv_toeplitz_graph(weight, shapes["0.weight"], padding=1)
    step = prune_step(model, None, 0.8, method="timp", input_shapes=shapes,
                      on_conflict="keep_forest")
    result = mst_preservation(graph, step.mask["0.weight"].numpy())
    assert result.unit == "parameter" and result.kept_fraction == 1.0
    assert result.forest_edge_fraction == 1.0 and result.connected
