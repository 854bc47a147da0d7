"""What an audit returns: frozen dataclasses, their table columns and their JSON.

:class:`LayerAudit` holds every per-layer number; each field that a table shows says how in
its metadata (:func:`topotheory.render.columns.column`), so the terminal table, the
``--out`` report's markdown/HTML table and ``data/layers.csv`` all come from ONE spec,
:data:`LAYER_COLUMNS`. :meth:`AuditResult.to_dict` is the strict-JSON form (``--json``,
``audit.json``).

Examples
--------
>>> LAYER_COLUMNS.data_columns[:4]
('layer', 'kind', 'shape', 'weights')
>>> [c.header for _, c in LAYER_COLUMNS.fields if c.header][-3:]
['iid position', 'hypergeom', 'keep']
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from operator import attrgetter
from typing import Any

from topotheory.nn.audit.layers import Coverage
from topotheory.nn.audit.mst_kept import MstKept
from topotheory.nn.audit.null_position import DEFAULT_ALPHA, NULL_BAND, NullPosition, NullVerdict
from topotheory.nn.audit.nulls import HypergeometricNull, IidNull
from topotheory.nn.audit.summary import ModelSummary
from topotheory.render.columns import ColumnSpec, column
from topotheory.result import Result

__all__ = ["LAYER_COLUMNS", "AuditResult", "AuditSettings", "Conventions", "LayerAudit"]

#: Why a non-finite value is undefined (the JSON writes it as null with this reason).
UNDEFINED = {
    "np_paper": "every weight of the layer is zero: w' = |w| / max|w| is undefined",
    "np_rieck": "every weight of the audited network is zero: w' = |w| / max|w| is undefined",
}


def _iid_cell(null: IidNull | None) -> str:
    return "-" if null is None else null.cell()


_MEAN_SD_BAND = (attrgetter("mean"), attrgetter("sd"), attrgetter("band_low"),
                 attrgetter("band_high"))
_POSITION = (attrgetter("quantile"), attrgetter("p_value"), attrgetter("p_holm"),
             attrgetter("verdict"))


def _position_cell(position: NullPosition | None) -> str:
    return "-" if position is None else position.cell()


@dataclass(frozen=True, repr=False)
class LayerAudit(Result):
    """Every per-layer number of the audit (``None`` where undefined; see ``reasons``).

    The names, and what each number is, are documented in ``docs/audit.md``.
    """

    name: str = field(metadata=column("layer", header="layer", width=28, align="<"))
    kind: str = field(metadata=column(header="kind", width=13, align="<"))
    module: str
    shape: str = field(metadata=column())
    n_weights: int = field(metadata=column("weights", header="weights", width=9))
    #: Fraction of the layer's weights that are exactly zero (pruned weights of a masked
    #: checkpoint are zero: the audit measures weight x mask).
    sparsity: float = field(metadata=column(header="zeros", width=5, digits=2))
    calls: int
    n_nodes: int
    n_edges: int
    forest_size: int
    n_components: int
    np_paper: float = field(metadata=column(header="NP", width=7))
    np_paper_normalized: float
    np_rieck: float
    np_rieck_normalized: float = field(metadata=column(header="NP/R", width=7))
    tccr_formula: float | None = field(metadata=column(header="TCCR thm", width=8))
    tccr_pair: float | None = field(metadata=column(header="pair", width=7))
    tccr_layer: float | None = field(metadata=column(header="layer", width=8))
    tccr_params: float | None = field(metadata=column(header="param", width=7, digits=2))
    overlap_k: int
    overlap_count: int
    overlap_fraction: float = field(metadata=column(header="X", width=6))
    bound: float | None = field(metadata=column(header="bound", width=6))
    iid_null: IidNull | None = field(metadata=column(
        "iid_mean", "iid_sd", "iid_band_low", "iid_band_high", parts=_MEAN_SD_BAND,
        header="iid null [95% band]", width=19, cell=_iid_cell))
    #: Where ``overlap_count`` sits in the iid null's law (quantile, two-sided p-value,
    #: Holm-adjusted across the model's layers, verdict); None without a law.
    iid_position: NullPosition | None = field(metadata=column(
        "iid_quantile", "iid_p", "iid_p_holm", "iid_verdict", parts=_POSITION,
        header="iid position", width=20, align="<", cell=_position_cell))
    hypergeometric_null: HypergeometricNull = field(metadata=column(
        "hypergeom_mean", "hypergeom_band_low", "hypergeom_band_high",
        parts=(attrgetter("mean"), attrgetter("low"), attrgetter("high")),
        header="hypergeom", width=9, digits=4))
    hypergeometric_position: NullPosition = field(metadata=column(
        "hypergeom_quantile", "hypergeom_p", "hypergeom_p_holm", "hypergeom_verdict",
        parts=_POSITION))
    keep: int = field(metadata=column(header="keep", width=8))
    note: str = ""
    reasons: dict[str, str] = field(default_factory=dict)
    #: Name of an earlier layer whose weight tensor this one shares ("" if none): measured
    #: again, counted once in the model summary.
    tied_to: str = ""
    #: How much of the dense layer's MST the layer's mask kept (None without a mask or a
    #: dense reference; ``reasons["mst_kept"]`` says why when the audit had masks). Its own
    #: table: :data:`topotheory.nn.audit.mst_kept.MST_KEPT_COLUMNS`.
    mst_kept: MstKept | None = None

    def json_dict(self) -> dict[str, Any]:
        """The layer as strict-JSON-ready data: a non-finite number becomes None, with the
        reason in ``reasons``."""
        item = asdict(replace(self, mst_kept=None))
        item["mst_kept"] = None if self.mst_kept is None else self.mst_kept.to_dict()
        reasons = dict(item.pop("reasons"))
        for key, value in list(item.items()):
            if isinstance(value, float) and not math.isfinite(value):
                item[key] = None
                reasons.setdefault(key, UNDEFINED.get(key.split("_normalized")[0],
                                                      f"not finite ({value})"))
        item["reasons"] = reasons
        return item


#: The per-layer columns of every table (terminal, markdown, HTML, CSV).
LAYER_COLUMNS = ColumnSpec.of(LayerAudit)


@dataclass(frozen=True, repr=False)
class Conventions(Result):
    """The conventions every audit number follows."""

    tie_rule: str = "|w| descending, then flat edge index ascending"
    zero_weights: str = "present"
    conv_padding_nodes: bool = True


@dataclass(frozen=True, repr=False)
class AuditSettings(Result):
    """The options of one audit (``seed``, null trials and budget, confidence), the
    network's largest ``|w|`` (Rieck's convention) and the conventions."""

    seed: int
    trials: int
    null_budget: int
    confidence: float
    w_network: float
    bound_variant: str = "nm"
    #: Family-wise level of the per-layer null verdicts (Holm across layers).
    alpha: float = DEFAULT_ALPHA
    #: Mass of the null's central band shown per layer.
    band: float = NULL_BAND
    #: Monte Carlo draws of a dense layer's iid law: ``max(trials, ceil(2 m / alpha))``
    #: for ``m`` layers, so that a layer beyond every draw can be flagged (budget-capped).
    dense_draws: int = 0
    conventions: Conventions = Conventions()
    #: How the checkpoint was read (prefixes stripped, key chosen, masks, missing keys);
    #: set by the CLI, ``None`` for an in-memory model.
    loading: dict[str, Any] | None = None
    #: The coverage threshold applied by the CLI (``--min-coverage`` or the warning level).
    coverage_check: dict[str, Any] | None = None


@dataclass(frozen=True, repr=False)
class AuditResult(Result):
    """The audit of one model: layers, coverage, model summary, settings, timings.

    ``timings`` (seconds: ``trace``, ``total``) and ``provenance["run"]`` (command,
    versions, time) are the only run-dependent parts; everything else is a function of
    the weights, the example input and the seed.
    """

    layers: tuple[LayerAudit, ...]
    coverage: Coverage
    summary: ModelSummary
    settings: AuditSettings
    input: str
    timings: dict[str, float] = field(default_factory=dict)
    #: The model-level verdict of each null (iid, hypergeometric): layers flagged by Holm.
    null_verdicts: tuple[NullVerdict, ...] = ()
    #: Where the numbers come from (checkpoint file, model, seed) and the run that made
    #: them (command, versions, time); set by the CLI (:mod:`topotheory.provenance`).
    provenance: dict[str, Any] | None = None

    def _columns(self) -> dict[str, list]:
        """One row per audited layer (``to_frame()``): its scalar fields."""
        names = [f.name for f in fields(LayerAudit)
                 if all(not isinstance(getattr(row, f.name), (dict, tuple, list))
                        for row in self.layers)]
        return {name: [getattr(row, name) for row in self.layers] for name in names}

    def to_dict(self) -> dict[str, Any]:
        """Strict-JSON-ready dict (no NaN/Infinity: non-finite values become None + reason).

        Examples
        --------
        >>> import json, torch
        >>> from topotheory.nn.audit import audit_model
        >>> r = audit_model(torch.nn.Linear(3, 2), input_shape=(3,), trials=20)
        >>> json.loads(json.dumps(r.to_dict(), allow_nan=False))["coverage"]["fraction"]
        1.0
        """
        cov = self.coverage
        return {
            "input": self.input,
            "settings": asdict(self.settings),
            "coverage": {
                "total_params": cov.total_params,
                "covered_params": cov.covered_params,
                "fraction": cov.fraction,
                "covered_modules": [list(m) for m in cov.covered_modules],
                "not_covered": [asdict(n) for n in cov.not_covered],
            },
            "summary": asdict(self.summary),
            "null_verdicts": [asdict(v) for v in self.null_verdicts],
            "layers": [row.json_dict() for row in self.layers],
            "provenance": self.provenance,
            "timings_seconds": self.timings,
        }
