"""Every public result type: a short repr, strict-JSON ``to_dict``, tables, one number policy.

``FACTORIES`` builds each result type from the real function that returns it (on a 300x200
layer where a layer is involved); ``test_every_public_result_type_is_covered`` fails when a
public dataclass is added to topology/, simulate/ or nn/ without being made a
:class:`~topotheory.result.Result` and listed here (or listed in ``NOT_RESULTS`` with why).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import torch

import topotheory
import topotheory as tt
import topotheory.simulate
import topotheory.simulate.first_failure
from topotheory.result import REPR_LIMIT, Result

pytestmark = pytest.mark.torch

W = np.random.default_rng(0).normal(size=(300, 200))  # torch layout: 200 inputs, 300 outputs


def _mask_null():
    from topotheory.simulate import random_mask_null

    return random_mask_null(tt.mst_preservation(W, np.abs(W) > 0.5))


def _run_verdict():
    from topotheory.simulate import run_preservation_verdict

    return run_preservation_verdict({1: {"fc": tt.mst_preservation(W, np.abs(W) > 0.5)},
                                     2: {"fc": tt.mst_preservation(W, np.abs(W) > 1.0)}})


def _model_report():
    return tt.model_tccr(torch.nn.Linear(200, 300), (200,))


def _audit():
    return tt.audit_model(torch.nn.Linear(200, 300), input_shape=(200,), trials=20)


def _sweep():
    from tests.nn_audit.sweep_models import MODULE, checkpoints
    from topotheory.nn.audit.sweep import audit_sweep

    with tempfile.TemporaryDirectory() as folder:
        return audit_sweep(MODULE, checkpoints(Path(folder), count=2), input_shape="32",
                           trials=20)


def _controls():
    from topotheory.nn.controls import ArmNp, NpGrowsControls, seed_interval

    rise = seed_interval([1.0, 2.0, 2.5])
    arm = ArmNp("real", "real labels", (0, 1, 2), (1.0, 1.0, 1.0), (2.0, 3.0, 3.5),
                (1.0, 2.0, 2.5), (0.9, 0.91, 0.92), rise, seed_interval([2.0, 3.0, 3.5]))
    control = dataclasses.replace(arm, arm="shuffled_labels")
    return NpGrowsControls({"real": arm, "shuffled_labels": control}, (0, 1, 2), 0.95,
                           "total NP", {"epochs": 1}, {"name": "digits"})


FACTORIES = {
    "SpanningForest": lambda: tt.maximum_spanning_forest(W),
    "PersistenceDiagram": lambda: tt.persistence_diagram(W),
    "TopkOverlap": lambda: tt.topk_mst_overlap(W),
    "NetworkPersistence": lambda: tt.network_neural_persistence([W, W.T]),
    "MstPreservation": lambda: tt.mst_preservation(W, np.abs(W) > 0.5),
    "ConvGeometry": lambda: tt.ConvGeometry(kernel=(3, 3), input_spatial=(32, 32), padding=1),
    "GraphCounts": lambda: __import__("topotheory.topology.tccr", fromlist=["x"]).conv_counts(
        tt.ConvGeometry(kernel=(3, 3), input_spatial=(32, 32), padding=1)),
    "ParameterForest": lambda: __import__("topotheory.topology.tccr", fromlist=["x"])
    .parameter_forest(np.ones((4, 2, 3, 3)), tt.ConvGeometry(
        kernel=(3, 3), input_spatial=(16, 16), in_channels=2, out_channels=4)),
    "ConvToeplitzGraph": lambda: tt.conv_toeplitz_graph(np.ones((8, 4, 3, 3)), (4, 32, 32)),
    "EdgeListGraph": lambda: tt.recurrent_unrolled_graph(W[:200, :200], 3),
    "Estimate": lambda: tt.simulate_overlap(200, 300, trials=50, seed=0).estimate,
    "BoundDecision": lambda: __import__("topotheory.simulate.stats", fromlist=["x"]).verdict_at_least(
        np.random.default_rng(0).random(1000), 0.4),
    "WorstCase": lambda: tt.worst_case_overlap(200, 300),
    "OverlapPrediction": lambda: tt.predicted_overlap(200, 300),
    "OverlapSimulation": lambda: tt.simulate_overlap(200, 300, trials=50, seed=0),
    "LayerShape": lambda: topotheory.simulate.MNIST_LAYER_SHAPES[0],
    "AppendixC": lambda: topotheory.simulate.appendix_c_table()[0],
    "LayerShapeRow": lambda: importlib.import_module(
        "topotheory.simulate.hypergeom").LayerShapeRow("fcn.dense1", 784, 100, 78_400, 883),
    "FirstFailure": lambda: topotheory.simulate.first_failure.sparse_bound_first_failure(),
    "ConvEnumeration": lambda: topotheory.simulate.first_failure.conv_first_failures(
        max_padded=5),
    "OverlapBoundRow": lambda: topotheory.simulate.overlap_bound_table(
        [(3, 3)], trials=50, seed=0)[0],
    "TightnessRow": lambda: topotheory.simulate.tightness_table((3,))[0],
    "NullModelRow": lambda: topotheory.simulate.null_model_table(trials=20, seed=0)[0],
    "LawErrorRow": lambda: _checks().law_exact_errors([(4, 5)])[0],
    "ErrorLawSummary": lambda: _checks().error_law_summary(
        _checks().law_exact_errors(_checks().exact_grid(20))),
    "InvarianceExactRow": lambda: _checks().density_invariance_exact([(2, 3)])[0],
    "InvarianceMonteCarloRow": lambda: _checks().density_invariance_monte_carlo(
        [(10, 10, (30,))], trials=200)[0],
    "RandomMaskNull": _mask_null,
    "RunCell": lambda: _run_verdict().cells[0],
    "CurvePoint": lambda: _run_verdict().curve("fc")[0],
    "RunPreservationVerdict": _run_verdict,
    "LayerDiagram": lambda: __import__("topotheory.nn._topo", fromlist=["x"]).diagram(W),
    "SeedInterval": lambda: _controls().arms["real"].rise_interval,
    "ArmNp": lambda: _controls().arms["real"],
    "NpGrowsControls": _controls,
    "LayerOverlapArms": lambda: __import__("topotheory.nn.controls", fromlist=["x"])
    .layer_overlap_arms([{"layer": "w", "n": 200, "m": 300, "counts": [400, 410]}],
                        seeds=[0, 1], iid_trials=50)[0],
    "LayerRow": lambda: _model_report().layers[0],
    "ModelReport": _model_report,
    "AuditResult": _audit,
    "LayerAudit": lambda: _audit().layers[0],
    "Coverage": lambda: _audit().coverage,
    "NotCovered": lambda: tt.audit_model(_with_free_parameter(), input_shape=(200,),
                                         trials=20).coverage.not_covered[0],
    "AuditSettings": lambda: _audit().settings,
    "Conventions": lambda: _audit().settings.conventions,
    "ModelSummary": lambda: _audit().summary,
    "EdgeLevel": lambda: _audit().summary.edge_level,
    "PaperRule": lambda: _audit().summary.paper_rule,
    "Includes": lambda: _audit().summary.includes,
    "LeftOut": lambda: tt.audit_model(torch.nn.Conv2d(1, 2, 3), input_shape=(1, 4, 4),
                                      trials=20).summary.paper_rule.left_out[0],
    "IidNull": lambda: _audit().layers[0].iid_null,
    "HypergeometricNull": lambda: _audit().layers[0].hypergeometric_null,
    "ForestMeasures": lambda: __import__("topotheory.nn.audit.measure", fromlist=["x"])
    .dense_forest_measures(W, w_network=float(np.abs(W).max())),
    "MstKept": lambda: __import__("topotheory.nn.audit.mst_kept", fromlist=["x"]).mst_kept_of(
        "fc", tt.mst_preservation(W, np.abs(W) > 0.5), reference="dense.pt", mask_source="mask"),
    "RunMstKept": lambda: __import__("topotheory.nn.audit.run_preservation", fromlist=["x"])
    ._example_run(),
    "NullPosition": lambda: _audit().layers[0].hypergeometric_position,
    "NullVerdict": lambda: _audit().null_verdicts[0],
    "NullLaw": lambda: __import__("topotheory.nn.audit.null_position", fromlist=["x"])
    .iid_law_draws(np.arange(2000) % 97 + 100, k=300),
    "CheckpointAudit": lambda: _sweep().checkpoints[0],
    "SweepResult": _sweep,
    "AuditRow": lambda: __import__("topotheory.nn.paper_tables", fromlist=["x"]).paper_audit()[0],
}

#: Public dataclasses of topology/, simulate/ and nn/ that are not results, and why.
NOT_RESULTS = {
    "DenseSpec": "a traced layer (nn/trace.py): its weight is already hidden from the repr",
    "ConvSpec": "a traced layer (nn/trace.py): its weight is already hidden from the repr",
    "RecurrentSpec": "a traced layer (nn/trace.py): its weights are already hidden from the repr",
    "TraceResult": "a trace (nn/trace.py), an input of model_tccr and audit_model",
    "PruneStep": "one pruning round (nn/prune.py): holds the model's Mask",
    "TrainConfig": "training configuration, not a result",
    "Dataset": "training data (tensors), not a result",
    "Rule": "a counting rule of the paper-tables audit (configuration)",
    "AuditLayer": "a layer chosen for the audit (holds its weights), an input of the measures",
    "Curve": "a sweep curve's specification (field path, label), configuration",
    "SweepTask": "one checkpoint for a sweep worker (plain picklable input)",
    "CheckpointSource": "a checkpoint file or level folder named for a sweep (input)",
    "IdxHeader": "the header of an IDX file being read (loading record)",
}
#: Loading records of the audit (checkpoints read, candidates, pruned parameters): inputs.
SKIP_PACKAGES = ("topotheory.nn.audit.loading", "topotheory.nn.audit.checkpoint",
                 "topotheory.nn.audit.state_dicts", "topotheory.nn.audit.pruned_checkpoints",
                 "topotheory.nn.audit.layer_masks")


def _with_free_parameter():
    class Scaled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(200, 300)
            self.scale = torch.nn.Parameter(torch.ones(1))

        def forward(self, x):
            return self.fc(x) * self.scale

    return Scaled()


def _checks():
    import topotheory.simulate.overlap_limit_checks as checks

    return checks


def _public_dataclasses() -> dict[str, type]:
    found: dict[str, type] = {}
    for package in ("topotheory.topology", "topotheory.simulate", "topotheory.nn"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if info.name.startswith(SKIP_PACKAGES) or info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if (cls.__module__ == info.name and dataclasses.is_dataclass(cls)
                        and not name.startswith("_")):
                    found[name] = cls
    return found


@pytest.fixture(scope="module", params=sorted(FACTORIES))
def result(request):
    return FACTORIES[request.param]()


def test_every_public_result_type_is_covered():
    classes = _public_dataclasses()
    missing = set(classes) - set(FACTORIES) - set(NOT_RESULTS)
    assert not missing, f"public dataclasses neither tested as results nor exempted: {missing}"
    for name in FACTORIES:
        assert issubclass(classes[name], Result), name
    assert not set(NOT_RESULTS) - set(classes), "NOT_RESULTS names a class that is gone"


def test_repr_is_short_and_one_line(result):
    text = repr(result)
    assert len(text) < REPR_LIMIT, f"{len(text)} characters: {text}"
    assert "\n" not in text and text.startswith(type(result).__name__ + "(")


def test_to_dict_is_strict_json(result):
    data = result.to_dict()
    assert isinstance(data, dict) and data
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == _as_lists(data)  # nothing but JSON types (tuples as lists)


def _as_lists(value):
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_lists(v) for v in value]
    return value


def test_html_is_a_table(result):
    page = result._repr_html_()
    assert page.startswith(f"<b>{type(result).__name__}</b>") and "<table>" in page


def test_the_issue_sizes():
    forest, diagram = tt.maximum_spanning_forest(W), tt.persistence_diagram(W)
    assert len(repr(forest)) < 300 and len(repr(diagram)) < 300  # were 16,215 and 12,913
    assert "size=499" in repr(forest) and "float64[499]" in repr(diagram)


def test_numbers_one_policy():
    """``x`` a float, ``x_exact`` a Fraction beside it where exactness is the point."""
    worst, overlap = tt.worst_case_overlap(61, 69), tt.topk_mst_overlap(W)
    estimate = tt.simulate_overlap(10, 10, trials=50, seed=0).estimate
    assert type(worst.fraction) is float and type(overlap.fraction) is float
    assert type(estimate.mean) is float
    assert worst.fraction_exact == Fraction(22, 129) and worst.fraction == 22 / 129
    assert overlap.fraction_exact == Fraction(overlap.count, overlap.k)
    assert type(estimate.mean_exact) is Fraction and float(estimate.mean_exact) == estimate.mean
    assert worst.fraction_exact < tt.overlap_lower_bound(61, 69)  # the exact comparison
    assert worst.to_dict()["fraction_exact"] == "22/129"
    assert worst.to_dict()["fraction"] == 22 / 129
    assert json.dumps(dataclasses.asdict(estimate) | {"mean_exact": None}, allow_nan=False)
    assert json.loads(json.dumps(estimate.to_dict()))["mean_exact"] == str(estimate.mean_exact)


def test_non_finite_values_are_null_with_their_reason():
    report = tt.model_tccr(torch.nn.Linear(3, 2), (3,))  # no conv layer: conv ratios are NaN
    data = report.to_dict()
    assert data["aggregates"]["conv_full"] is None
    assert data["non_finite"]["aggregates/conv_full"] == "nan"
    json.dumps(data, allow_nan=False)


def test_model_report_layers_rows_and_json_agree():
    report = _model_report()
    assert report.rows is report.layers
    assert [row["name"] for row in report.to_dict()["layers"]] == [r.name for r in report.layers]


@pytest.mark.parametrize(("name", "rows", "columns"), [
    ("SpanningForest", 499, ["edge_index", "u", "v", "weight"]),
    ("PersistenceDiagram", 499, ["birth", "death", "persistence", "edge_index"]),
    ("NetworkPersistence", 2, ["layer", "np", "normalized"]),
    ("ModelReport", 1, ["name", "type", "geometry"]),
])
def test_tabular_results_to_frame(name, rows, columns):
    pytest.importorskip("pandas")
    result = FACTORIES[name]()
    frame = result.to_frame()
    assert len(frame) == rows and list(frame.columns)[: len(columns)] == columns
    assert "<thead>" in result._repr_html_()


def test_to_frame_without_pandas_says_how(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        tt.persistence_diagram(W).to_frame()
    with pytest.raises(TypeError, match="not tabular"):
        tt.topk_mst_overlap(W).to_frame()
