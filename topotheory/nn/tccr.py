"""TCCR of every layer of a torch model: formula, exact counts, parameter level.

Per traced layer (:mod:`topotheory.nn.trace`) this computes

* the Theorem 3.2 formula (conv: one channel pair, padded input, the layer's real
  stride/dilation/output size);
* exact counts on the actual graph, for one channel pair and for the whole layer
  (every channel pair, groups), via :func:`topotheory.topology.tccr.conv_counts`;
* for conv layers, the parameter-level ratio ``#kernel parameters / #distinct
  parameters used by the maximum spanning forest`` of channel pair (0, 0) and, with
  ``full_param_level=True``, of the whole layer
  (:func:`topotheory.topology.tccr.parameter_forest`).

Aggregates: ``sum |E| / sum |MSF|`` over conv layers, dense layers and all layers
("corrected": whole layers, exact counts, real geometry, shortcut convs included).

Examples
--------
>>> from topotheory.nn.zoo import build_model
>>> from topotheory.nn.tccr import model_tccr
>>> report = model_tccr(build_model("conv", "mnist", seed=0), (1, 28, 28))
>>> [round(r.formula_tccr, 5) for r in report.layers]
[4.19251, 4.19251, 9.99641]
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from topotheory.nn.trace import ConvSpec, DenseSpec, RecurrentSpec, TraceResult, trace_model
from topotheory.result import Result
from topotheory.topology.conv import conv_toeplitz_graph
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.tccr import (
    ConvGeometry,
    GraphCounts,
    conv_counts,
    conv_tccr_formula,
    dense_tccr,
    parameter_forest,
    recurrent_tccr,
    tap_positions,
)


@dataclass(repr=False)
class LayerRow(Result):
    """One row of the per-layer TCCR report (all counts exact unless named formula)."""

    name: str
    type: str
    geometry: str
    n_params: int
    formula_tccr: float
    pair_edges: int
    pair_forest: int
    pair_components: int
    pair_tccr: float
    full_edges: int
    full_forest: int
    full_components: int
    full_tccr: float
    connected: bool
    note: str = ""
    param_pair_used: int | None = None
    param_pair_ratio: float | None = None
    param_full_used: int | None = None
    param_full_ratio: float | None = None
    param_full_seconds: float | None = None
    extra: dict = field(default_factory=dict)


@dataclass(repr=False)
class ModelReport(Result):
    """Per-layer rows (``layers``), unsupported/elementwise modules and aggregates.

    ``layers`` is named as in :meth:`to_dict` (``"layers"``, the key of the ``tccr --json``
    output) and in the audit's result; ``rows`` is the same list under its earlier name.
    ``to_frame()`` gives one row per layer (pandas), and a notebook shows the first rows.

    Examples
    --------
    >>> import torch
    >>> report = model_tccr(torch.nn.Linear(200, 300), (200,))
    >>> report
    ModelReport(input_shape=(200,), layers=[LayerRow(…)], unsupported=(), elementwise=(), aggregates={5 keys})
    >>> report.layers is report.rows, report.to_dict()["layers"][0]["full_tccr"]
    (True, 120.24048096192385)
    """

    input_shape: tuple[int, ...]
    layers: list[LayerRow]
    unsupported: tuple[tuple[str, str, int], ...]
    elementwise: tuple[tuple[str, str, int], ...]
    aggregates: dict[str, float]

    @property
    def rows(self) -> list[LayerRow]:
        """The per-layer rows (the earlier name of :attr:`layers`)."""
        return self.layers

    def _dict(self) -> dict:
        return {
            "input_shape": list(self.input_shape),
            "layers": [asdict(r) for r in self.layers],
            "unsupported": [list(u) for u in self.unsupported],
            "elementwise": [list(e) for e in self.elementwise],
            "aggregates": self.aggregates,
        }

    def _columns(self) -> dict[str, list]:
        names = [f.name for f in dataclasses.fields(LayerRow) if f.name != "extra"]
        return {name: [getattr(r, name) for r in self.layers] for name in names}


def conv_geometry(spec: ConvSpec, *, full: bool = True) -> ConvGeometry:
    """The :class:`ConvGeometry` of a traced conv layer.

    Examples
    --------
    >>> import torch
    >>> from topotheory.nn.trace import trace_model
    >>> spec = trace_model(torch.nn.Conv2d(2, 4, 3, stride=2, padding=1), (2, 8, 8)).layers[0]
    >>> conv_geometry(spec).output_spatial == spec.output_spatial
    True
    """
    geometry = ConvGeometry(
        kernel=spec.kernel,
        input_spatial=spec.input_spatial,
        stride=spec.stride,
        padding=spec.padding_pairs,
        dilation=spec.dilation,
        in_channels=spec.in_channels if full else 1,
        out_channels=spec.out_channels if full else 1,
        groups=spec.groups if full else 1,
    )
    if geometry.output_spatial != spec.output_spatial:  # pragma: no cover - trace/geometry mismatch
        raise RuntimeError(f"{spec.name}: geometry gives {geometry.output_spatial}, "
                           f"torch gave {spec.output_spatial}")
    return geometry


def _conv_note(geometry: ConvGeometry, pair: GraphCounts) -> str:
    """Why a channel pair's Toeplitz graph is disconnected (empty when connected)."""
    if pair.connected:
        return ""
    reasons = []
    nontrivial = pair.n_components - pair.isolated_nodes
    if nontrivial > 1 and math.prod(geometry.kernel) == 1:
        reasons.append(f"the 1x1 kernel joins each output to a single input position, so no "
                       f"two windows overlap: {nontrivial} disjoint classes")
    elif nontrivial > 1:
        reasons.append(f"stride/dilation split the windows into {nontrivial} disjoint classes")
    reached = np.zeros(math.prod(geometry.padded_spatial), dtype=bool)
    reached[tap_positions(geometry).ravel()] = True
    real = np.zeros(geometry.padded_spatial, dtype=bool)
    real[tuple(slice(a, p - b) for (a, b), p in
               zip(geometry.padding, geometry.padded_spatial, strict=True))] = True
    lost_real = int((~reached & real.ravel()).sum())
    lost_pad = int((~reached & ~real.ravel()).sum())
    if lost_real:
        reasons.append(f"{lost_real} real input positions are read by no window "
                       "(stride > dilation*(k-1)+1, or stride/dilation gaps at the border)")
    if lost_pad:
        reasons.append(f"{lost_pad} padded positions are read by no window")
    return (f"disconnected Toeplitz graph ({pair.n_components} components, "
            f"{pair.isolated_nodes} isolated nodes): " + "; ".join(reasons) +
            "; the formula's |V|-1 overcounts the forest")


def _conv_row(spec: ConvSpec, full_param_level: bool) -> LayerRow:
    full_geo = conv_geometry(spec)
    pair_geo = full_geo.channel_pair()
    pair = conv_counts(pair_geo)
    full = conv_counts(full_geo, full_layer=True)
    geometry = (
        f"{spec.in_channels}->{spec.out_channels} k={'x'.join(map(str, spec.kernel))} "
        f"s={spec.stride} p={spec.padding} d={spec.dilation} g={spec.groups} "
        f"in={spec.input_spatial} out={spec.output_spatial}"
    )
    pf = parameter_forest(spec.weight[:1, :1], pair_geo)
    # the topology core's own Toeplitz graph and forest, on the same channel pair
    core_graph = conv_toeplitz_graph(
        spec.weight[:1, :1], (1, *spec.input_spatial), stride=spec.stride,
        padding=spec.padding_pairs if spec.symmetric_padding is None else spec.symmetric_padding,
        dilation=spec.dilation,
    )
    core_forest = maximum_spanning_forest(core_graph)
    if (core_forest.size, len(np.unique(core_forest.param_index))) != (pair.forest_size, pf.n_used):
        raise RuntimeError(f"{spec.name}: core forest disagrees with the exact count")
    row = LayerRow(
        name=spec.name, type=spec.layer_type, geometry=geometry, n_params=spec.weight.size,
        formula_tccr=conv_tccr_formula(pair_geo),
        pair_edges=pair.n_edges, pair_forest=pair.forest_size, pair_components=pair.n_components,
        pair_tccr=pair.tccr, full_edges=full.n_edges, full_forest=full.forest_size,
        full_components=full.n_components, full_tccr=full.tccr, connected=pair.connected,
        note=_conv_note(pair_geo, pair), param_pair_used=pf.n_used, param_pair_ratio=pf.ratio,
    )
    if full_param_level:
        start = time.perf_counter()
        pf_full = parameter_forest(spec.weight, full_geo)
        row.param_full_seconds = time.perf_counter() - start
        row.param_full_used, row.param_full_ratio = pf_full.n_used, pf_full.ratio
    return row


def _dense_row(spec: DenseSpec) -> LayerRow:
    n, m = spec.n_in, spec.n_out
    return LayerRow(
        name=spec.name, type="dense", geometry=f"{n}->{m}", n_params=n * m,
        formula_tccr=dense_tccr(n, m), pair_edges=n * m, pair_forest=n + m - 1,
        pair_components=1, pair_tccr=dense_tccr(n, m), full_edges=n * m, full_forest=n + m - 1,
        full_components=1, full_tccr=dense_tccr(n, m), connected=True,
    )


def _recurrent_rows(spec: RecurrentSpec) -> list[LayerRow]:
    rows = []
    for label, kind, w in spec.blocks():
        m, n = w.shape
        ratio = recurrent_tccr(m) if kind == "recurrent" else dense_tccr(n, m)
        rows.append(LayerRow(
            name=f"{spec.name}.{label}", type=f"{spec.cell.lower()}-{kind}", geometry=f"{n}->{m}",
            n_params=n * m, formula_tccr=ratio, pair_edges=n * m, pair_forest=n + m - 1,
            pair_components=1, pair_tccr=ratio, full_edges=n * m, full_forest=n + m - 1,
            full_components=1, full_tccr=ratio, connected=True,
            note="hidden-to-hidden gate block, shared by all time steps" if kind == "recurrent"
            else "input-to-hidden gate block (dense)",
        ))
    return rows


def _ratio(rows: Sequence[LayerRow], edges: str, forest: str) -> float:
    e = sum(getattr(r, edges) for r in rows)
    f = sum(getattr(r, forest) for r in rows)
    return e / f if f else math.nan


def aggregates(rows: Sequence[LayerRow]) -> dict[str, float]:
    """Corrected aggregates: ``sum |E| / sum |MSF|`` of whole layers (and of channel pairs).

    Examples
    --------
    >>> aggregates([])["final_full"] != aggregates([])["final_full"]  # nan without layers
    True
    """
    convs = [r for r in rows if r.type.startswith("conv")]
    dense = [r for r in rows if not r.type.startswith("conv")]
    out = {
        "conv_full": _ratio(convs, "full_edges", "full_forest"),
        "dense_full": _ratio(dense, "full_edges", "full_forest"),
        "final_full": _ratio(rows, "full_edges", "full_forest"),
        "conv_pair": _ratio(convs, "pair_edges", "pair_forest"),
        "final_pair": _ratio(rows, "pair_edges", "pair_forest"),
    }
    full_pl = [r for r in convs if r.param_full_used is not None]
    if convs and len(full_pl) == len(convs):
        out["conv_param_level_full"] = sum(r.n_params for r in convs) / sum(
            r.param_full_used for r in convs)
    return out


def model_tccr(
    model: torch.nn.Module | TraceResult,
    input_shape: Sequence[int] | None = None,
    *,
    full_param_level: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> ModelReport:
    """Per-layer TCCR report of a torch model (or of an existing trace).

    Parameters
    ----------
    model : torch.nn.Module or TraceResult
        The model (traced with ``input_shape``) or a trace.
    input_shape : sequence of int, optional
        One example's shape, without batch dimension; needed for a module.
    full_param_level : bool
        Also run the parameter-level forest on every whole conv layer (slow for
        large layers: tens to hundreds of millions of Toeplitz entries).
    progress : callable, optional
        Called as ``progress(i, n, layer_name)`` before each layer.

    Returns
    -------
    ModelReport

    Examples
    --------
    >>> from topotheory.nn.zoo import build_model
    >>> rep = model_tccr(build_model("fc", "mnist"), (1, 28, 28))
    >>> round(rep.aggregates["final_full"], 5)
    66.77852
    """
    if isinstance(model, TraceResult):
        trace = model
    else:
        if input_shape is None:
            raise ValueError("input_shape is required when model is a torch module")
        trace = trace_model(model, input_shape)
    rows: list[LayerRow] = []
    for i, spec in enumerate(trace.layers):
        if progress is not None:
            progress(i, len(trace.layers), spec.name)
        if isinstance(spec, ConvSpec):
            rows.append(_conv_row(spec, full_param_level))
        elif isinstance(spec, DenseSpec):
            rows.append(_dense_row(spec))
        else:
            rows.extend(_recurrent_rows(spec))
    return ModelReport(trace.input_shape, rows, trace.unsupported, trace.elementwise,
                       aggregates(rows))
