"""audit_model end to end: a trained digits model, determinism, strict JSON, T-IMP keep."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from benchmarks.audit_resnet50 import resnet50_shaped
from examples.audit_digits import digits_convnet
from topotheory.nn.audit import audit_model
from topotheory.nn.audit.measure import conv_graph
from topotheory.nn.commands import _paper_aggregates
from topotheory.nn.data import load_digits_mnist
from topotheory.nn.trace import trace_model
from topotheory.nn.train import TrainConfig, evaluate, train
from topotheory.nn.zoo import cnn_mnist
from topotheory.topology import maximum_spanning_forest


@pytest.fixture(scope="module")
def trained():
    data = load_digits_mnist(seed=0)
    model = digits_convnet()
    train(model, data, TrainConfig(epochs=1, batch_size=64, lr=3e-3, device="cpu"), seed=0)
    return model, evaluate(model, data.x_test, data.y_test)


@pytest.fixture(scope="module")
def audited(trained):
    return audit_model(trained[0], input_shape=(1, 28, 28), trials=50)


def test_trained_digits_model_is_audited_in_full(trained, audited) -> None:
    model, accuracy = trained
    assert accuracy > 0.5  # it did learn
    assert audited.coverage.fraction == 1.0
    assert [r.kind for r in audited.layers] == ["conv2d", "conv2d", "linear"]
    dense = audited.layers[2]
    assert (dense.n_edges, dense.forest_size, dense.keep) == (3920, 401, 401)
    assert dense.bound is not None and 0 < dense.bound < 1
    assert dense.iid_null.mean_low <= dense.iid_null.mean <= dense.iid_null.mean_high
    for row in audited.layers[:2]:
        assert row.bound is None and "complete bipartite" in row.reasons["bound"]
        assert row.tccr_params == row.n_weights / row.keep
    s = audited.summary
    assert s.diagram_keeping_ratio == sum(r.n_weights for r in audited.layers) / sum(
        r.keep for r in audited.layers)
    assert s.edge_level.dense == 3920 / 401


def test_the_paper_rule_aggregate_is_the_tccr_commands() -> None:
    result = audit_model(cnn_mnist(seed=0), input_shape=(1, 28, 28), trials=20)
    assert result.summary.paper_rule.final == pytest.approx(
        _paper_aggregates("conv", "mnist")["final"], rel=1e-12)


def test_same_weights_and_seed_give_identical_numbers(trained, audited) -> None:
    again = audit_model(trained[0], input_shape=(1, 28, 28), trials=50)
    first, second = audited.to_dict(), again.to_dict()
    first.pop("timings_seconds"), second.pop("timings_seconds")
    assert json.dumps(first, allow_nan=False) == json.dumps(second, allow_nan=False)


def test_json_is_strict() -> None:
    zero = torch.nn.Linear(3, 2)
    torch.nn.init.zeros_(zero.weight)
    result = audit_model(zero, input_shape=(3,), trials=20)
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)  # raises on NaN/Infinity
    assert "NaN" not in text and "Infinity" not in text
    layer = data["layers"][0]
    assert layer["np_paper"] is None and "every weight of the layer is zero" in (
        layer["reasons"]["np_paper"])
    assert layer["np_rieck_normalized"] is None and "network" in (
        layer["reasons"]["np_rieck_normalized"])


def test_keeping_exactly_the_forest_parameters_keeps_every_diagram(trained) -> None:
    model = trained[0]
    _, spec_conv, spec_dense = trace_model(model, (1, 28, 28)).layers
    forest = maximum_spanning_forest(spec_dense.weight)
    mask = np.zeros(spec_dense.weight.shape, dtype=bool)
    mask.ravel()[forest.edge_index] = True
    assert mask.sum() == 401
    kept = maximum_spanning_forest(spec_dense.weight, mask=mask)
    np.testing.assert_array_equal(kept.edge_index, forest.edge_index)
    mask.ravel()[forest.edge_index[-1]] = False  # drop one kept edge: the diagram changes
    assert maximum_spanning_forest(spec_dense.weight, mask=mask).size < forest.size
    full = maximum_spanning_forest(conv_graph(spec_conv))
    pruned = np.zeros_like(spec_conv.weight)
    used = np.unique(full.param_index)
    pruned.ravel()[used] = spec_conv.weight.ravel()[used]
    after = maximum_spanning_forest(conv_graph(spec_conv, pruned))
    np.testing.assert_array_equal(after.weights, full.weights)


def test_resnet50_shaped_model_at_reduced_width() -> None:
    torch.manual_seed(0)
    model = resnet50_shaped(width=2, num_classes=10)
    result = audit_model(model, input_shape=(3, 32, 32), trials=20)
    assert sum(r.kind == "conv2d" for r in result.layers) == 53
    assert [r.kind for r in result.layers][-1] == "linear"
    bn = sum(p.numel() for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)
             for p in m.parameters())
    assert result.coverage.covered_params == result.coverage.total_params - bn
    assert {n.type for n in result.coverage.not_covered} == {"BatchNorm2d"}
    # the paper's rule leaves the 36 1x1 convs out: 17 kxk convs + the linear layer
    assert result.summary.paper_rule.layers_counted == 18
