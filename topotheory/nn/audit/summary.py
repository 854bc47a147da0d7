"""Model-level numbers of the audit: how far the model can be pruned keeping every diagram.

* ``diagram_keeping_ratio``: audited weights / the parameters T-IMP must keep so that
  every audited layer's diagram is unchanged (dense: the forest edges; conv: the distinct
  kernel parameters its forest uses). Removing any kept parameter changes that layer's
  maximum spanning forest (up to exact ties), removing any other leaves it, so this is the
  largest compression ratio that keeps every diagram, over the audited layers (biases and
  uncovered modules are not in it).
* ``edge_level``: ``sum |E| / sum |MSF|`` of the whole layers (exact counts, real
  geometry), over all audited layers, the convolutions, and the dense layers.
* ``paper_rule``: the paper's own aggregation (docs/tables.md,
  :data:`topotheory.nn.paper_tables.PAPER_RULE`): one channel pair per conv at its output
  resolution with stride 1, 1x1 convs left out, dense ``n m / (n + m - 1)``, aggregated as
  ``sum |E| / sum |MST|``; over the linear, embedding and attention layers and the non-1x1
  convolutions (recurrent blocks are not in the paper's tables).

The result is a frozen :class:`ModelSummary`; :func:`dataclasses.asdict` of it is the
audit JSON's ``summary``.

Examples
--------
>>> model_summary([], []).edge_level.all is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from topotheory.nn.paper_tables import PAPER_RULE, aggregate, layer_counts
from topotheory.nn.trace import ConvSpec, DenseSpec, Spec, TraceResult
from topotheory.result import Result

__all__ = ["EdgeLevel", "Includes", "LeftOut", "ModelSummary", "PaperRule", "model_summary"]


@dataclass(frozen=True, repr=False)
class EdgeLevel(Result):
    """``sum |E| / sum |MSF|`` over all audited layers, the convolutions, the dense layers
    (None where a group is empty)."""

    all: float | None
    conv: float | None
    dense: float | None


@dataclass(frozen=True, repr=False)
class PaperRule(Result):
    """The paper's aggregation (Final Compression) and its conv/dense parts.

    ``final``, ``conv`` and ``dense`` are ``None`` where no layer of that group is counted
    (a model without convolutions has ``conv=None``), as in :class:`EdgeLevel`: a domain
    value ("no layer"), not a non-finite number (``sum |MST| >= 1`` for every counted
    layer, so a counted group's ratio is always finite).
    """

    final: float | None
    conv: float | None
    dense: float | None
    layers_counted: int
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True, repr=False)
class Includes(Result):
    """What each model-level number covers, in words."""

    diagram_keeping_ratio: str
    edge_level: str
    paper_rule: str


@dataclass(frozen=True, repr=False)
class ModelSummary(Result):
    """Model-level numbers of the audit (see the module docstring)."""

    diagram_keeping_ratio: float | None
    weights_audited: int
    weights_kept: int
    edge_level: EdgeLevel
    paper_rule: PaperRule
    includes: Includes


@dataclass(frozen=True, repr=False)
class LeftOut(Result):
    """A layer the paper's rule cannot count (:attr:`PaperRule.left_out`), and why."""

    layer: str
    reason: str


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _paper_sum(counted: Sequence[tuple[str, int, int]]) -> float | None:
    """The paper's ``sum |E| / sum |MST|`` over ``counted``; ``None`` when it is empty."""
    return aggregate(list(counted), "sum") if counted else None


def _paper_rule(specs: Sequence[Spec], input_shape: tuple[int, ...],
                tied: frozenset[str] = frozenset()) -> PaperRule:
    unique: dict[str, Spec] = {}
    for spec in specs:
        if isinstance(spec, DenseSpec | ConvSpec) and spec.name not in tied:
            unique.setdefault(spec.name, spec)
    counted: list[tuple[str, int, int]] = []
    left_out: list[LeftOut] = []
    for spec in unique.values():
        if isinstance(spec, ConvSpec) and spec.transposed:
            left_out.append(LeftOut(spec.name, "transposed convolution: not a layer kind of "
                                    "the paper's tables"))
            continue
        try:
            counted += layer_counts(TraceResult(input_shape, (spec,), (), ()), PAPER_RULE)
        except ValueError as error:  # e.g. a valid conv whose output is smaller than its kernel
            left_out.append(LeftOut(spec.name, "the paper's rule (stride 1 at the output size) "
                                    f"gives no graph: {str(error).split(':')[0]}"))
    return PaperRule(
        final=_paper_sum(counted),
        conv=_paper_sum([c for c in counted if c[0] == "conv"]),
        dense=_paper_sum([c for c in counted if c[0] == "dense"]),
        layers_counted=len(counted),
        left_out=tuple(left_out),
    )


def model_summary(rows: Sequence[Any], specs: Sequence[Spec],
                  input_shape: tuple[int, ...] = ()) -> ModelSummary:
    """Model-level ratios from the per-layer rows and the traced specs.

    Parameters
    ----------
    rows : sequence of LayerAudit
        The measured layers (a layer tied to an earlier one, ``tied_to``, is not added
        again: its weights are the same parameters).
    specs : sequence of Spec
        The traced specs (dense and conv ones enter the paper rule; each name once).
    input_shape : tuple of int
        The network input (one example).

    Returns
    -------
    ModelSummary
    """
    tied = frozenset(r.name for r in rows if getattr(r, "tied_to", ""))
    rows = [r for r in rows if r.name not in tied]  # a tied weight is one set of parameters
    weights = sum(r.n_weights for r in rows)
    kept = sum(r.keep for r in rows)
    convs = [r for r in rows if r.kind.startswith("conv")]
    dense = [r for r in rows if not r.kind.startswith("conv")]

    def edge(group: Sequence[Any]) -> float | None:
        return _ratio(sum(r.n_edges for r in group), sum(r.forest_size for r in group))

    return ModelSummary(
        diagram_keeping_ratio=_ratio(weights, kept),
        weights_audited=weights,
        weights_kept=kept,
        edge_level=EdgeLevel(all=edge(rows), conv=edge(convs), dense=edge(dense)),
        paper_rule=_paper_rule(specs, input_shape, tied),
        includes=Includes(
            diagram_keeping_ratio=f"{len(rows)} audited layers: weights / parameters whose "
            "removal changes a diagram (biases, normalisation and uncovered modules excluded"
            + (f"; tied weights counted once: {', '.join(sorted(tied))} not added again"
               if tied else "") + ")",
            edge_level="whole layers, exact |E| / |MSF|, real stride/padding/dilation/groups, "
            "1x1 convs included",
            paper_rule="linear, embedding and attention layers and non-1x1 convs; one channel "
            "pair per conv at its output size with stride 1; sum |E| / sum |MST| (docs/tables.md)",
        ),
    )
