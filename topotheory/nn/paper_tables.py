"""The paper's Table 1 and Appendices D-F as data, recomputed and audited.

Every printed number lives in ``topotheory/data/paper_tables.json`` with its
location (table, row label, line of ``paper-text.txt``). :func:`audit` recomputes
each from the traced zoo model under a :class:`Rule` and compares at the printed
precision (a value matches when it rounds to the printed digits).

Candidate rules vary: how a conv layer's geometry is taken (``"output"``: stride 1 at
the layer's output resolution; ``"real"``: the traced stride and input;
``"network_input"``: stride 1 at the network's input resolution, pooling ignored),
whether 1x1 (shortcut) convs are counted, whether channels are one pair or all,
padded or unpadded inputs, Theorem 3.2 formula or exact counts, and the
aggregation (``"sum"``: ``sum |E| / sum |MST|``; ``"mean"``, ``"hmean"``,
``"gmean"`` of the per-layer ratios). :func:`search_rules` scores every
combination. The result is documented in ``docs/tables.md``.

Examples
--------
>>> from topotheory.nn.paper_tables import PAPER_RULE, audit
>>> rows = audit(PAPER_RULE)
>>> sum(r.match for r in rows), len(rows)
(101, 123)
"""

from __future__ import annotations

import itertools
import json
import math
import re
import statistics
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from topotheory.nn.trace import ConvSpec, DenseSpec, TraceResult, trace_model
from topotheory.nn.zoo import build_model, input_shape
from topotheory.result import Result
from topotheory.topology.tccr import ConvGeometry, conv_counts

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "paper_tables.json"


def load_paper_tables() -> dict:
    """The printed numbers (strings, as printed) with their locations.

    Examples
    --------
    >>> load_paper_tables()["appendix_tables"][0]["rows"][0]["printed"]
    '88.78822'
    """
    with open(DATA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class Rule:
    """One candidate way to compute the tables (see module docstring)."""

    geometry: str = "output"
    shortcuts: bool = False
    channels: str = "pair"
    padded: bool = True
    counting: str = "formula"
    aggregate: str = "sum"


#: The rule that reproduces the paper's tables (docs/tables.md), except VGG11 on CIFAR.
PAPER_RULE = Rule()
#: The paper's VGG11/CIFAR tables: every conv at 32x32 (pooling ignored).
PAPER_RULE_VGG_CIFAR = Rule(geometry="network_input")
#: The definitions as stated: whole layers, real geometry, exact counts, all convs.
CORRECTED_RULE = Rule(geometry="real", shortcuts=True, channels="full", counting="exact")


@lru_cache(maxsize=32)
def _trace(model: str, dataset: str) -> TraceResult:
    return trace_model(build_model(model, dataset, seed=0), input_shape(dataset))


def _conv_geometry(spec: ConvSpec, rule: Rule, net_input: tuple[int, ...]) -> ConvGeometry:
    full = rule.channels == "full"
    channels = dict(in_channels=spec.in_channels if full else 1,
                    out_channels=spec.out_channels if full else 1,
                    groups=spec.groups if full else 1)
    if rule.geometry == "real":
        return ConvGeometry(spec.kernel, spec.input_spatial, spec.stride, spec.padding_pairs,
                            spec.dilation, **channels)
    spatial = spec.output_spatial if rule.geometry == "output" else net_input[-spec.dim:]
    return ConvGeometry(spec.kernel, spatial, 1, spec.padding_pairs, spec.dilation, **channels)


def layer_counts(trace: TraceResult, rule: Rule) -> list[tuple[str, int, int]]:
    """``(kind, |E|, |MST|)`` per counted layer under ``rule`` (kind 'conv' or 'dense').

    Examples
    --------
    >>> layer_counts(_trace("conv", "mnist"), PAPER_RULE)[0]
    ('conv', 7056, 1683)
    """
    out = []
    for spec in trace.layers:
        if isinstance(spec, DenseSpec):
            out.append(("dense", spec.n_in * spec.n_out, spec.n_in + spec.n_out - 1))
        elif isinstance(spec, ConvSpec):
            if not rule.shortcuts and all(k == 1 for k in spec.kernel):
                continue
            geometry = _conv_geometry(spec, rule, trace.input_shape)
            counts = conv_counts(geometry, full_layer=rule.channels == "full",
                                 include_padding=rule.padded)
            if rule.counting == "exact":
                out.append(("conv", counts.n_edges, counts.forest_size))
            else:  # Theorem 3.2 counting: |E| entries over |V| - (#connected blocks)
                blocks = geometry.groups if rule.channels == "full" else 1
                out.append(("conv", counts.n_edges, counts.n_nodes - blocks))
    return out


def aggregate(layers: list[tuple[str, int, int]], how: str) -> float:
    """Aggregate ``(kind, |E|, |MST|)`` rows: 'sum', 'mean', 'hmean' or 'gmean'.

    Examples
    --------
    >>> aggregate([("dense", 10, 5), ("dense", 4, 4)], "sum")
    1.5555555555555556
    """
    if not layers:
        return math.nan
    ratios = [e / m for _, e, m in layers]
    if how == "sum":
        return sum(e for _, e, _ in layers) / sum(m for _, _, m in layers)
    if how == "mean":
        return statistics.fmean(ratios)
    if how == "hmean":
        return statistics.harmonic_mean(ratios)
    if how == "gmean":
        return statistics.geometric_mean(ratios)
    raise ValueError(f"aggregate must be 'sum', 'mean', 'hmean' or 'gmean', got {how!r}")


def matches(value: float, printed: str) -> bool:
    """Whether ``value`` rounds to ``printed`` at its number of decimals.

    Examples
    --------
    >>> matches(4.229463, "4.22946"), matches(4.3919, "4.39139")
    (True, False)
    """
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return abs(value - float(printed)) <= 0.5 * 10.0**-decimals + 1e-12


@dataclass(frozen=True, repr=False)
class AuditRow(Result):
    """One printed number against its recomputation."""

    table: str
    location: str
    label: str
    line: int
    printed: str
    computed: float | None
    match: bool


def _value(label: str, layers: list[tuple[str, int, int]], how: str) -> float | None:
    convs = [row for row in layers if row[0] == "conv"]
    dense = [row for row in layers if row[0] == "dense"]
    if label in ("Final Compression", "Final"):
        return aggregate(layers, how)
    if label == "Conv":
        return aggregate(convs, how)
    if label == "Dense":
        return aggregate(dense, how)
    found = re.fullmatch(r"(Convolutional|Conv|Dense) Layer ?(\d*)", label)
    if not found:
        raise ValueError(f"unknown row label {label!r}")
    pool = dense if found.group(1) == "Dense" else convs
    index = int(found.group(2) or 1) - 1
    if index >= len(pool):
        return None  # the model has no such layer: an extra printed row
    _, e, m = pool[index]
    return e / m


def audit(rule: Rule = PAPER_RULE, *, per_table: dict[str, Rule] | None = None) -> list[AuditRow]:
    """Compare every printed TCCR of Table 1 and Appendices E, F with ``rule``.

    ``per_table`` overrides the rule for some table ids (e.g. ``{"F.1": ...}``).

    Examples
    --------
    >>> rows = audit(PAPER_RULE)
    >>> [r.computed for r in rows if r.table == "E.1"][-1] == 119400 / 1788
    True
    """
    data = load_paper_tables()
    per_table = per_table or {}
    out = []
    for entry in data["appendix_tables"] + data["table1"]:
        r = per_table.get(entry["id"], rule)
        layers = layer_counts(_trace(entry["model"], entry["dataset"]), r)
        for row in entry["rows"]:
            value = _value(row["label"], layers, r.aggregate)
            ok = value is not None and matches(value, row["printed"])
            out.append(AuditRow(entry["id"], entry["location"], row["label"], row["line"],
                                row["printed"], value, ok))
    return out


def paper_audit() -> list[AuditRow]:
    """The audit under the reconstructed paper rule (VGG11/CIFAR at 32x32).

    Examples
    --------
    >>> [(r.table, r.label, r.printed) for r in paper_audit() if not r.match][:2]
    [('F.1', 'Convolutional Layer 9', '4.22946'), ('F.1', 'Final Compression', '4.39139')]
    """
    vgg_cifar = {t: PAPER_RULE_VGG_CIFAR for t in
                 ("F.1", "F.2", "T1.vgg11.cifar10", "T1.vgg11.cifar100")}
    return audit(PAPER_RULE, per_table=vgg_cifar)


def search_rules() -> list[tuple[Rule, dict[str, int], int]]:
    """Score every candidate rule: matches per table id and in total, best first.

    Examples
    --------
    >>> best = search_rules()[0]  # doctest: +SKIP
    """
    axes = dict(
        geometry=("output", "real", "network_input"),
        shortcuts=(False, True),
        channels=("pair", "full"),
        padded=(True, False),
        counting=("formula", "exact"),
        aggregate=("sum", "mean", "hmean", "gmean"),
    )
    results = []
    for values in itertools.product(*axes.values()):
        rule = replace(Rule(), **dict(zip(axes, values, strict=True)))
        per: dict[str, int] = {}
        for row in audit(rule):
            per[row.table] = per.get(row.table, 0) + int(row.match)
        results.append((rule, per, sum(per.values())))
    results.sort(key=lambda item: -item[2])
    return results


def check_appendix_d() -> list[tuple[str, str, bool]]:
    """Appendix D's architecture rows against the traced zoo models.

    Examples
    --------
    >>> all(ok for _, _, ok in check_appendix_d())
    True
    """
    data = load_paper_tables()["appendix_d"]
    out = []
    for model in ("fc", "conv"):
        specs = _trace(model, "mnist").layers
        convs = [s for s in specs if isinstance(s, ConvSpec)]
        dense = [s for s in specs if isinstance(s, DenseSpec)]
        for row in data[model]:
            found = re.fullmatch(r"(Dense|Convolutional) Layer ?(\d*)", row["label"])
            pool = dense if found.group(1) == "Dense" else convs
            spec = pool[int(found.group(2) or 1) - 1]
            if isinstance(spec, DenseSpec):
                text = f"Input Dim: {spec.n_in:,}, Output Dim: {spec.n_out:,}"
            else:
                text = (f"Filters: {spec.out_channels}, Kernel = {spec.kernel[0]}x{spec.kernel[1]}, "
                        f"Padding = {spec.padding_pairs[0][0]}")
            out.append((row["label"], row["printed"], text == row["printed"]))
    return out
