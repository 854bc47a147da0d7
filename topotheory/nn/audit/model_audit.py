"""``audit_model``: the paper's measurements on a trained ``nn.Module``, layer by layer.

The result types are in :mod:`topotheory.nn.audit.results`.

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
>>> result.layers[0].keep, result.summary.diagram_keeping_ratio
(9, 2.2857142857142856)
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch
from torch import nn

from topotheory.errors import InputError
from topotheory.nn.audit.layer_masks import LayerMask, check_pruned, layer_masks
from topotheory.nn.audit.layers import AuditLayer, audit_layers
from topotheory.nn.audit.loading import example_from_shape
from topotheory.nn.audit.measure import (
    conv_forest_measures,
    conv_graph,
    conv_topk_count,
    dense_forest_measures,
)
from topotheory.nn.audit.mst_kept import MstKept, mst_kept_of, reference_digest
from topotheory.nn.audit.null_position import (
    DEFAULT_ALPHA,
    NULL_BAND,
    NullLaw,
    holm_verdicts,
    hypergeometric_position,
)
from topotheory.nn.audit.nulls import (
    DEFAULT_CONFIDENCE,
    DEFAULT_NULL_BUDGET,
    DEFAULT_TRIALS,
    IidNull,
    conv_iid_draws,
    dense_bound,
    dense_iid_law,
    hypergeometric_null,
    monte_carlo_null,
    predicted_dense_null,
    with_law,
)
from topotheory.nn.audit.pruned_checkpoints import PrunedParameter
from topotheory.nn.audit.results import AuditResult, AuditSettings, LayerAudit
from topotheory.nn.audit.summary import model_summary
from topotheory.nn.tccr import _conv_note, conv_geometry
from topotheory.nn.trace import trace_model
from topotheory.progress import progress_bar, progress_enabled
from topotheory.topology import maximum_spanning_forest
from topotheory.topology.mst_preservation import mst_preservation
from topotheory.topology.tccr import conv_counts, conv_tccr_formula, dense_tccr

__all__ = ["AuditResult", "LayerAudit", "audit_model"]

#: A cache of iid nulls: (what the null depends on) -> (IidNull or None, reason, law).
NullCache = MutableMapping[tuple, tuple[IidNull | None, str, NullLaw | None]]


def _layer_audit(layer: AuditLayer, m: Any, iid: IidNull | None, why: str, law: NullLaw | None,
                 settings: AuditSettings, reasons: dict[str, str], **specific: Any) -> LayerAudit:
    """The LayerAudit of ``layer`` from its forest measures ``m`` and its iid null and law
    (or the reason it has none); ``specific`` holds the fields that differ between layer
    kinds."""
    if iid is None or law is None:
        reasons["iid_null"] = why
    weight = layer.dense if layer.dense is not None else layer.conv.weight
    return LayerAudit(
        name=layer.name, kind=layer.kind, module=layer.module, shape=layer.shape,
        n_weights=layer.n_weights, sparsity=float(np.count_nonzero(weight == 0)) / weight.size,
        calls=layer.calls, n_nodes=m.n_nodes, n_edges=m.n_edges,
        forest_size=m.forest_size, n_components=m.n_components, np_paper=m.np_paper,
        np_paper_normalized=m.np_paper_normalized, np_rieck=m.np_rieck,
        np_rieck_normalized=m.np_rieck_normalized, tccr_layer=m.tccr,
        overlap_k=m.overlap_k, overlap_count=m.overlap_count, overlap_fraction=m.overlap_fraction,
        iid_null=iid,
        iid_position=None if law is None else law.position(m.overlap_count),
        hypergeometric_null=hypergeometric_null(m.n_edges, m.overlap_k,
                                                confidence=settings.band),
        hypergeometric_position=hypergeometric_position(m.n_edges, m.overlap_k,
                                                        m.overlap_count),
        keep=m.keep, reasons=reasons, tied_to=layer.tied_to, **specific,
    )


def _cached(cache: NullCache | None, key: tuple, compute: Any) -> tuple:
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _dense_null(n: int, m: int, k: int, index: int, settings: AuditSettings
                ) -> tuple[IidNull | None, str, NullLaw | None]:
    """The iid null of a dense layer: its mean (exact, the corrected law, or the law's
    draws) with the law's sd and band, and the law itself."""
    law, why = dense_iid_law(n, m, k, draws=settings.dense_draws, seed=(settings.seed, index),
                             budget=settings.null_budget)
    mean = predicted_dense_null(n, m, k, requested_trials=settings.trials)
    if mean is None and law is not None and law.draws:
        mean = monte_carlo_null(law, confidence=settings.confidence,
                                requested=settings.dense_draws)
    if mean is None:
        return None, why, None
    return with_law(mean, law, band=settings.band), why, law


def _measure_dense(layer: AuditLayer, index: int, settings: AuditSettings,
                   cache: NullCache | None) -> LayerAudit:
    w = layer.dense
    n_out, n_in = w.shape
    m = dense_forest_measures(w, w_network=settings.w_network)
    reasons = {"tccr_params": "no weight sharing inside the layer: one parameter per edge, so "
               "the parameter level equals the edge level (tccr_layer)"}
    formula = dense_tccr(n_in, n_out)
    note = ("hidden-to-hidden gate block, shared by all time steps (h^2/(2h-1))"
            if layer.kind.endswith("-hh") else "")
    key = ("dense", n_in, n_out, m.overlap_k, index, settings.seed, settings.dense_draws,
           settings.trials, settings.null_budget, settings.confidence, settings.band)
    iid, why, law = _cached(cache, key, lambda: _dense_null(n_in, n_out, m.overlap_k, index,
                                                            settings))
    return _layer_audit(layer, m, iid, why, law, settings, reasons, tccr_formula=formula,
                        tccr_pair=m.tccr, tccr_params=None, bound=dense_bound(n_in, n_out),
                        note=note)


def _conv_key(spec: Any, index: int, settings: AuditSettings) -> tuple:
    """Everything a conv layer's iid null depends on: its graph, the seed and budget."""
    return ("conv", tuple(spec.weight.shape), spec.in_channels, spec.input_spatial,
            spec.stride, spec.padding_pairs, spec.dilation, spec.groups, spec.transposed,
            index, settings.seed, settings.trials, settings.null_budget, settings.confidence,
            settings.band)


def _measure_conv(layer: AuditLayer, index: int, settings: AuditSettings,
                  cache: NullCache | None) -> LayerAudit:
    spec = layer.conv
    m, forest, graph = conv_forest_measures(spec, w_network=settings.w_network)
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
        graph = conv_graph(spec, weight)
        forest = maximum_spanning_forest(graph)
        return conv_topk_count(graph, forest, forest.size), forest.size

    def null() -> tuple[IidNull | None, str, NullLaw | None]:
        law, why = conv_iid_draws(measure, spec.weight.shape, m.n_edges, trials=settings.trials,
                                  seed=(settings.seed, index), budget=settings.null_budget)
        if law is None:
            return None, why, None
        mean = monte_carlo_null(law, confidence=settings.confidence, requested=settings.trials)
        return with_law(mean, law, band=settings.band), "", law

    iid, why, law = _cached(cache, _conv_key(spec, index, settings), null)
    return _layer_audit(layer, m, iid, why, law, settings, reasons,
                        tccr_formula=conv_tccr_formula(pair_geo), tccr_pair=pair.tccr,
                        tccr_params=layer.n_weights / m.keep, bound=None,
                        note=_conv_note(pair_geo, pair))


def _mst_kept(layer: AuditLayer, found: LayerMask, row: LayerAudit) -> tuple[MstKept | None, str]:
    """The layer's MST kept by its mask, or None and the reason."""
    if found.reason:
        return None, found.reason
    reference = conv_graph(layer.conv, found.reference) if layer.is_conv else found.reference
    try:
        preservation = mst_preservation(reference, found.mask)
    except InputError as error:  # the dense reference is the pruned weights
        return None, (f"the dense reference ({found.reference_source}) {error.problem}; pass "
                      "the dense checkpoint (--reference FILE) to count the MST kept")
    if preservation.dense.n_edges != row.n_edges:
        raise RuntimeError(f"{layer.name}: the reference graph has {preservation.dense.n_edges} "
                           f"edges, the audited layer {row.n_edges}")
    return mst_kept_of(layer.name, preservation, reference=found.reference_source,
                       mask_source=found.mask_source,
                       digest=reference_digest(found.reference)), ""


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
    progress: bool | None = None,
    not_loaded: Sequence[str] = (),
    pruned: Mapping[str, PrunedParameter] | None = None,
    alpha: float = DEFAULT_ALPHA,
    null_cache: NullCache | None = None,
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
        iid-null draws per conv layer before the budget cap; a dense layer's law gets
        ``max(trials, ceil(2 m / alpha))`` draws for ``m`` layers (draws are cheap there),
        so that a layer beyond every draw can be flagged after Holm's correction.
    null_budget : int
        Edge visits allowed per layer for the iid null (see :mod:`topotheory.nn.audit.nulls`).
    confidence : float
        Two-sided confidence of the null intervals.
    progress : bool or None
        A bar over the layers on stderr (:func:`topotheory.progress.progress_bar`): ``None``
        only when stderr is a terminal, ``True`` always, ``False`` never.
    not_loaded : sequence of str
        State-dict keys not loaded from the checkpoint (a non-strict load): the layers
        owning them are not audited (listed as not covered).
    pruned : mapping of str to PrunedParameter, optional
        The checkpoint's masks and dense references by parameter name
        (:attr:`LoadedCheckpoint.pruned <topotheory.nn.audit.checkpoint.LoadedCheckpoint>`);
        ``model`` holds the effective weights (zero where pruned). Every layer with a mask
        and a dense reference gets :attr:`LayerAudit.mst_kept` (see
        :mod:`topotheory.nn.audit.mst_kept`); the others the reason in ``reasons``.
    alpha : float
        Family-wise level of the per-layer null verdicts (Holm over the layers'
        two-sided p-values; see :mod:`topotheory.nn.audit.null_position`).
    null_cache : mutable mapping, optional
        Reuse iid nulls across audits of one architecture (a sweep's checkpoints): a
        layer's iid null depends only on its graph, its index, the seed and the budget,
        never on its weights, so the cached value is the one that would be computed.

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
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a level in (0, 1) such as 0.05, got {alpha!r}")
    progress_enabled(progress)  # raises TypeError on anything but True, False or None
    if pruned is not None and not isinstance(pruned, Mapping):
        raise TypeError(f"pruned must map parameter names to PrunedParameter (e.g. "
                        f"load_checkpoint(...).pruned), got {type(pruned).__name__}")
    if pruned:
        check_pruned(model, pruned)
    if (example_inputs is None) == (input_shape is None):
        raise ValueError("pass exactly one of example_inputs= (real inputs) or input_shape= "
                         "(one example's shape, with input_dtype=)")
    if example_inputs is None:
        example_inputs = (example_from_shape(tuple(input_shape), input_dtype,
                                             argument="input_shape"),)
    start = time.perf_counter()
    trace = trace_model(model, example_inputs=example_inputs)
    layers, coverage = audit_layers(model, trace, not_loaded=not_loaded)
    masks = (layer_masks(model, example_inputs, pruned, not_loaded=not_loaded)
             if pruned else {})
    traced = time.perf_counter() - start
    settings = AuditSettings(seed=seed, trials=trials, null_budget=null_budget,
                             confidence=confidence, w_network=_network_max(layers),
                             alpha=float(alpha), band=NULL_BAND,
                             dense_draws=max(trials, math.ceil(2 * len(layers) / alpha)))
    rows: list[LayerAudit] = []
    with progress_bar(total=len(layers), desc="audit", unit="layer", progress=progress) as bar:
        for i, layer in enumerate(layers):
            bar.set_postfix_str(layer.name, refresh=False)
            measure = _measure_conv if layer.is_conv else _measure_dense
            row = measure(layer, i, settings, null_cache)
            if layer.name in masks:
                kept, why = _mst_kept(layer, masks[layer.name], row)
                row = replace(row, mst_kept=kept, reasons=(
                    {**row.reasons, "mst_kept": why} if why else row.reasons))
            rows.append(row)
            bar.update()
    rows, verdicts = _verdicts(rows, settings.alpha)
    summary = model_summary(rows, trace.layers, trace.input_shape)
    values = list(example_inputs.items()) if isinstance(example_inputs, dict) else list(
        enumerate(example_inputs if isinstance(example_inputs, tuple | list) else (example_inputs,)))
    described = ", ".join(f"{k}: {tuple(v.shape)} {str(v.dtype).replace('torch.', '')}"
                          for k, v in values if isinstance(v, torch.Tensor))
    return AuditResult(tuple(rows), coverage, summary, settings, described,
                       {"trace": traced, "total": time.perf_counter() - start},
                       null_verdicts=verdicts)


def _verdicts(rows: list[LayerAudit], alpha: float) -> tuple[list[LayerAudit], tuple]:
    """Holm across the layers, for each null; a tied layer (the same tensor measured again)
    is not tested twice: its position keeps ``verdict="untested"`` (the layer it repeats
    carries the test)."""
    tested = [i for i, r in enumerate(rows) if not r.tied_to]
    names = [rows[i].name for i in tested]
    iid, iid_verdict = holm_verdicts(names, [rows[i].iid_position for i in tested],
                                     null="iid", alpha=alpha)
    hyper, hyper_verdict = holm_verdicts(names, [rows[i].hypergeometric_position
                                                 for i in tested],
                                         null="hypergeometric", alpha=alpha)
    out = list(rows)
    for i, a, b in zip(tested, iid, hyper, strict=True):
        out[i] = replace(rows[i], iid_position=a, hypergeometric_position=b)
    return out, (iid_verdict, hyper_verdict)
