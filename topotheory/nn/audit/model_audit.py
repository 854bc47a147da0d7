"""``audit_model``: the paper's measurements on a trained ``nn.Module``, layer by layer.

Examples
--------
>>> import torch
>>> from topotheory.nn.audit import audit_model
>>> torch.manual_seed(0)  # doctest: +ELLIPSIS
<torch._C.Generator object at ...>
>>> model = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
>>> result = audit_model(model, input_shape=(6,), trials=20)
>>> [row.kind for row in result.layers], result.coverage.fraction
(['linear', 'linear'], 1.0)
>>> result.layers[0].keep, result.summary["diagram_keeping_ratio"]
(9, 2.2857142857142856)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from topotheory.nn.audit.conv_forest import whole_layer_forest
from topotheory.nn.audit.layers import AuditLayer, Coverage, audit_layers
from topotheory.nn.audit.loading import example_from_shape
from topotheory.nn.audit.measure import (
    conv_forest_measures,
    conv_topk_count,
    dense_forest_measures,
)
from topotheory.nn.audit.nulls import (
    DEFAULT_CONFIDENCE,
    DEFAULT_NULL_BUDGET,
    DEFAULT_TRIALS,
    conv_iid_null,
    dense_bound,
    dense_iid_null,
    hypergeometric_null,
)
from topotheory.nn.audit.summary import model_summary
from topotheory.nn.tccr import _conv_note, conv_geometry
from topotheory.nn.trace import trace_model
from topotheory.topology.tccr import conv_counts, conv_tccr_formula, dense_tccr

Progress = Callable[[int, int, str], None]

_UNDEFINED = {
    "np_paper": "every weight of the layer is zero: w' = |w| / max|w| is undefined",
    "np_rieck": "every weight of the audited network is zero: w' = |w| / max|w| is undefined",
}


@dataclass
class LayerAudit:
    """Every per-layer number of the audit (``None`` where undefined; see ``reasons``)."""

    name: str
    kind: str
    module: str
    shape: str
    n_weights: int
    calls: int
    n_nodes: int
    n_edges: int
    forest_size: int
    n_components: int
    np_paper: float
    np_paper_normalized: float
    np_rieck: float
    np_rieck_normalized: float
    tccr_formula: float | None
    tccr_pair: float | None
    tccr_layer: float | None
    tccr_params: float | None
    overlap_k: int
    overlap_count: int
    overlap_fraction: float
    bound: float | None
    iid_null: dict | None
    hypergeometric_null: dict
    keep: int
    note: str = ""
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class AuditResult:
    """The audit of one model: layers, coverage, model summary, settings, timings.

    ``timings`` (seconds) is the only run-dependent part; everything else is a function of
    the weights, the example input and the seed.
    """

    layers: list[LayerAudit]
    coverage: Coverage
    summary: dict[str, Any]
    settings: dict[str, Any]
    input: str
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON-ready dict (no NaN/Infinity: non-finite values become None + reason).

        Examples
        --------
        >>> import json, torch
        >>> r = audit_model(torch.nn.Linear(3, 2), input_shape=(3,), trials=20)
        >>> json.loads(json.dumps(r.to_dict(), allow_nan=False))["coverage"]["fraction"]
        1.0
        """
        layers = []
        for row in self.layers:
            item = asdict(row)
            reasons = dict(item.pop("reasons"))
            for key, value in list(item.items()):
                if isinstance(value, float) and not math.isfinite(value):
                    item[key] = None
                    reasons.setdefault(key, _UNDEFINED.get(key.split("_normalized")[0],
                                                           f"not finite ({value})"))
            item["reasons"] = reasons
            layers.append(item)
        cov = self.coverage
        return {
            "input": self.input,
            "settings": self.settings,
            "coverage": {
                "total_params": cov.total_params,
                "covered_params": cov.covered_params,
                "fraction": cov.fraction,
                "covered_modules": [list(m) for m in cov.covered_modules],
                "not_covered": [asdict(n) for n in cov.not_covered],
            },
            "summary": self.summary,
            "layers": layers,
            "timings_seconds": self.timings,
        }


def _layer_audit(layer: AuditLayer, m: Any, iid: Any, why: str | None, opts: dict,
                 reasons: dict[str, str], **specific: Any) -> LayerAudit:
    """The LayerAudit of ``layer`` from its forest measures ``m`` and its iid null (or the
    reason it has none); ``specific`` holds the fields that differ between layer kinds."""
    if iid is None:
        reasons["iid_null"] = why
    return LayerAudit(
        name=layer.name, kind=layer.kind, module=layer.module, shape=layer.shape,
        n_weights=layer.n_weights, calls=layer.calls, n_nodes=m.n_nodes, n_edges=m.n_edges,
        forest_size=m.forest_size, n_components=m.n_components, np_paper=m.np_paper,
        np_paper_normalized=m.np_paper_normalized, np_rieck=m.np_rieck,
        np_rieck_normalized=m.np_rieck_normalized, tccr_layer=m.tccr,
        overlap_k=m.overlap_k, overlap_count=m.overlap_count, overlap_fraction=m.overlap_fraction,
        iid_null=iid,
        hypergeometric_null=hypergeometric_null(m.n_edges, m.overlap_k,
                                                confidence=opts["confidence"]),
        keep=m.keep, reasons=reasons, **specific,
    )


def _measure_dense(layer: AuditLayer, index: int, w_net: float, opts: dict) -> LayerAudit:
    w = layer.dense
    n_out, n_in = w.shape
    m = dense_forest_measures(w, w_network=w_net)
    reasons = {"tccr_params": "no weight sharing inside the layer: one parameter per edge, so "
               "the parameter level equals the edge level (tccr_layer)"}
    formula = dense_tccr(n_in, n_out)
    note = ("hidden-to-hidden gate block, shared by all time steps (h^2/(2h-1))"
            if layer.kind.endswith("-hh") else "")
    iid, why = dense_iid_null(n_in, n_out, m.overlap_k, trials=opts["trials"],
                              seed=(opts["seed"], index), budget=opts["null_budget"],
                              confidence=opts["confidence"])
    return _layer_audit(layer, m, iid, why, opts, reasons, tccr_formula=formula,
                        tccr_pair=m.tccr, tccr_params=None, bound=dense_bound(n_in, n_out),
                        note=note)


def _measure_conv(layer: AuditLayer, index: int, w_net: float, opts: dict) -> LayerAudit:
    spec = layer.conv
    m, forest, graph = conv_forest_measures(spec, w_network=w_net)
    full_geo = conv_geometry(spec)
    pair_geo = full_geo.channel_pair()
    pair = conv_counts(pair_geo)
    full = conv_counts(full_geo, full_layer=True)
    if (full.n_edges, full.n_components) != (m.n_edges, m.n_components):
        raise RuntimeError(f"{layer.name}: the forest ({m.n_edges} edges, {m.n_components} "
                           f"components) disagrees with the exact counts {full}")
    reasons = {"bound": "Theorem 3.3 is stated for complete bipartite layers with exchangeable "
               "weights; a convolution's Toeplitz graph is neither"}

    def measure(weight: np.ndarray) -> tuple[int, int]:
        f, g = whole_layer_forest(spec, weight)
        return conv_topk_count(g, f, f.size), f.size

    iid, why = conv_iid_null(measure, spec.weight.shape, m.n_edges, trials=opts["trials"],
                             seed=(opts["seed"], index), budget=opts["null_budget"],
                             confidence=opts["confidence"])
    return _layer_audit(layer, m, iid, why, opts, reasons,
                        tccr_formula=conv_tccr_formula(pair_geo), tccr_pair=pair.tccr,
                        tccr_params=layer.n_weights / m.keep, bound=None,
                        note=_conv_note(pair_geo, pair))


def _network_max(layers: Sequence[AuditLayer]) -> float:
    values = [float(np.abs(layer.dense if layer.dense is not None else layer.conv.weight).max())
              for layer in layers]
    return max(values) if values else 0.0


def audit_model(
    model: nn.Module,
    *,
    example_inputs: torch.Tensor | tuple | list | dict | None = None,
    input_shape: Sequence[int] | None = None,
    input_dtype: str = "float32",
    seed: int = 0,
    trials: int = DEFAULT_TRIALS,
    null_budget: int = DEFAULT_NULL_BUDGET,
    confidence: float = DEFAULT_CONFIDENCE,
    progress: Progress | None = None,
) -> AuditResult:
    """Audit every layer of ``model`` (see :mod:`topotheory.nn.audit`).

    Parameters
    ----------
    model : torch.nn.Module
        The model with its trained weights loaded.
    example_inputs : tensor, tuple/list or dict of tensors, optional
        Inputs with their batch dimension, passed as ``model(*inputs)`` or
        ``model(**inputs)`` (several inputs, integer token ids).
    input_shape : sequence of int, optional
        One example's shape without the batch dimension, instead of ``example_inputs``.
    input_dtype : str
        dtype of the zero input made from ``input_shape`` (e.g. ``"int64"`` for token ids).
    seed : int
        Seed of the iid-null Monte Carlo (layer ``i`` uses ``(seed, i)``).
    trials : int
        iid-null trials per layer before the budget cap.
    null_budget : int
        Edge visits allowed per layer for the iid null (see :mod:`topotheory.nn.audit.nulls`).
    confidence : float
        Two-sided confidence of the null intervals.
    progress : callable, optional
        Called as ``progress(i, n, layer_name)`` before each layer.

    Returns
    -------
    AuditResult

    Raises
    ------
    ValueError, TypeError
        Bad arguments, or a forward pass that fails on the given input.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    for name, value, low in (("seed", seed, 0), ("trials", trials, 1), ("null_budget", null_budget, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    if (example_inputs is None) == (input_shape is None):
        raise ValueError("pass exactly one of example_inputs= (real inputs) or input_shape= "
                         "(one example's shape, with input_dtype=)")
    if example_inputs is None:
        example_inputs = (example_from_shape(tuple(input_shape), input_dtype,
                                             argument="input_shape"),)
    start = time.perf_counter()
    trace = trace_model(model, example_inputs=example_inputs)
    layers, coverage = audit_layers(model, trace)
    traced = time.perf_counter() - start
    opts = dict(seed=seed, trials=trials, null_budget=null_budget, confidence=confidence)
    w_net = _network_max(layers)
    rows: list[LayerAudit] = []
    for i, layer in enumerate(layers):
        if progress is not None:
            progress(i, len(layers), layer.name)
        measure = _measure_conv if layer.is_conv else _measure_dense
        rows.append(measure(layer, i, w_net, opts))
    summary = model_summary(rows, trace.layers, trace.input_shape)
    values = list(example_inputs.items()) if isinstance(example_inputs, dict) else list(
        enumerate(example_inputs if isinstance(example_inputs, tuple | list) else (example_inputs,)))
    described = ", ".join(f"{k}: {tuple(v.shape)} {str(v.dtype).replace('torch.', '')}"
                          for k, v in values if isinstance(v, torch.Tensor))
    settings = {**opts, "w_network": w_net, "bound_variant": "nm",
                "conventions": {"tie_rule": "|w| descending, then flat edge index ascending",
                                "zero_weights": "present", "conv_padding_nodes": True}}
    return AuditResult(rows, coverage, summary, settings, described,
                       {"trace": traced, "total": time.perf_counter() - start})
