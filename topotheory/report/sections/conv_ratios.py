"""Conv TCCR: the paper's one-pair formula vs exact, whole-layer and parameter-level ratios.

For every conv layer of the paper's zoo (random SynFlow initialisation, the profile's
seeds): the Theorem 3.2 formula for one channel pair, the exact one-pair ratio (maximum
spanning forest of the real Toeplitz graph), the whole-layer ratio (every channel pair),
and the parameter-level ratio ``#kernel parameters / #parameters the forest uses``
(weight sharing: one parameter sits in many Toeplitz entries).  Per model, the aggregates
``sum |E| / sum |MSF|`` under the paper's rule and corrected.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import numpy as np

from topotheory.render.blocks import FigureSpec, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections import _trained

#: Per-model aggregate ratio columns (the paper's rule, corrected, parameter-level).
_AGGREGATES = (
    "paper_conv",
    "paper_dense",
    "paper_final",
    "corrected_conv",
    "corrected_dense",
    "corrected_final",
    "conv_param_level",
)


def short_geometry(geometry: str) -> str:
    """A compact form of a layer's geometry string.

    Examples
    --------
    >>> short_geometry("16->32 k=3x3 s=(2, 2) p=(1, 1) d=(1, 1) g=1 in=(32, 32) out=(16, 16)")
    '16->32 3x3 s2 32x32->16x16'
    """
    found = re.match(r"(\S+) k=(\S+) s=\(([^)]*)\).* in=\(([^)]*)\) out=\(([^)]*)\)", geometry)
    if not found:
        return geometry
    ch, k, s, i, o = found.groups()
    stride = set(s.replace(" ", "").split(","))
    st = f" s{stride.pop()}" if len(stride) == 1 and "1" not in stride else ""
    if len(stride) > 1:
        st = f" s({s})"
    return f"{ch} {k}{st} {i.replace(', ', 'x')}->{o.replace(', ', 'x')}"


def _nan_none(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def build(ctx: Context) -> Section:
    """Per-layer conv rows and per-model aggregates for every paper pairing and seed."""
    from topotheory.nn import paper_tables as pt
    from topotheory.nn import tccr, zoo

    seeds = ctx.profile.init_seeds
    pairings = ctx.profile.zoo_pairings or zoo.PAPER_PAIRINGS
    jobs = [(m, d, s, "random-init") for (m, d) in pairings for s in seeds]
    if ("conv", "mnist") in pairings:
        jobs.append(("conv", "mnist", ctx.profile.train_seeds[0], "trained"))
    layer_rows: list[tuple[Any, ...]] = []
    model_rows: list[tuple[Any, ...]] = []
    for model, dataset, seed, weights in ctx.progress(jobs, desc="conv TCCR (zoo)"):
        if weights == "trained":
            net = _trained.trained_model(ctx, model, seed)[0]
        else:
            net = zoo.build_model(model, dataset, seed=seed)
        rep = tccr.model_tccr(net, zoo.input_shape(dataset), full_param_level=True)
        for r in rep.rows:
            if not r.type.startswith("conv"):
                continue
            layer_rows.append(
                (
                    model,
                    dataset,
                    seed,
                    r.name,
                    r.geometry,
                    short_geometry(r.geometry),
                    r.n_params,
                    r.formula_tccr,
                    r.pair_tccr,
                    r.full_tccr,
                    r.param_pair_used,
                    r.param_pair_ratio,
                    r.param_full_used,
                    r.param_full_ratio,
                    r.connected,
                    weights,
                )
            )
        paper = _paper_aggregates(pt, model, dataset)
        agg = rep.aggregates
        model_rows.append(
            (
                model,
                dataset,
                seed,
                paper["conv"],
                paper["dense"],
                paper["final"],
                _nan_none(agg.get("conv_full")),
                _nan_none(agg.get("dense_full")),
                _nan_none(agg.get("final_full")),
                _nan_none(agg.get("conv_param_level_full")),
                weights,
            )
        )
    layers = Table(
        "conv-ratios-layers",
        (
            "model",
            "dataset",
            "seed",
            "layer",
            "geometry",
            "shape",
            "params",
            "formula_pair",
            "exact_pair",
            "whole_layer",
            "pair_params_used",
            "pair_param_ratio",
            "layer_params_used",
            "layer_param_ratio",
            "pair_connected",
            "weights",
        ),
        tuple(layer_rows),
        caption="Every conv layer: one-pair formula vs exact, whole-layer edge ratio, "
        "parameter-level ratio (random initialisation)",
        formats={
            c: ".4g"
            for c in (
                "formula_pair",
                "exact_pair",
                "whole_layer",
                "pair_param_ratio",
                "layer_param_ratio",
            )
        },
        max_rows=40,
        view=(
            "model",
            "dataset",
            "weights",
            "layer",
            "shape",
            "formula_pair",
            "exact_pair",
            "whole_layer",
            "pair_params_used",
            "layer_params_used",
            "layer_param_ratio",
        ),
    )
    models = Table(
        "conv-ratios-models",
        ("model", "dataset", "seed", *_AGGREGATES, "weights"),
        tuple(model_rows),
        caption="Aggregates `sum |E| / sum |MSF|`: the paper's rule vs corrected (whole "
        "layers, real geometry, exact) vs parameter-level (conv)",
        formats={c: ".4g" for c in _AGGREGATES},
    )
    if len(seeds) == 1:
        models = dataclasses.replace(models, view=tuple(c for c in models.columns if c != "seed"))
    first_seed = [
        r for r in model_rows if r[2] == seeds[0] and r[-1] == "random-init" and r[6] is not None
    ]

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        labels = [f"{r[0]}\n{r[1]}" for r in first_seed]
        x = np.arange(len(first_seed))
        series = [
            ("paper rule: conv (one pair)", 3, PALETTE["bound"]),
            ("paper rule: dense", 4, PALETTE["bound_alt"]),
            ("corrected: conv (whole layers)", 6, PALETTE["worst"]),
            ("corrected: dense", 7, PALETTE["mc"]),
            ("parameter level: conv", 9, PALETTE["trained"]),
        ]
        width = 0.16
        for i, (label, j, color) in enumerate(series):
            vals = [np.nan if r[j] is None or r[j] != r[j] else r[j] for r in first_seed]
            ax.bar(x + (i - 2) * width, vals, width, label=label, color=color)
        ax.set_yscale("log")
        ax.set_xticks(x, labels, fontsize=7)
        ax.set_xlabel("zoo model / data set (its input geometry)")
        ax.set_ylabel("compression ratio sum|E| / sum|MSF|\n(edges per forest edge; log scale)")
        ax.set_title(f"Conv vs dense TCCR, paper's rule vs corrected (init seed {seeds[0]})")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3)

    return Section(
        "conv-ratios",
        "Conv TCCR: corrected and parameter-level ratios",
        (
            Paragraph(
                "The paper counts one input/output channel pair per conv layer. Counted on the "
                "whole layer (every channel pair) a conv layer has `C_in C_out k^2 N_out` "
                "Toeplitz entries over only `C_in N_in + C_out N_out - 1` forest edges, so its "
                "TCCR is far *larger* than the dense layers'. Pruning removes kernel "
                "parameters, not Toeplitz entries: the *parameter-level* ratio counts how many "
                "distinct kernel parameters the exact maximum spanning forest uses (tie rule "
                "`|w|` descending, flat index ascending). Weights: random SynFlow "
                f"initialisation, seeds {list(seeds)}, and (rows `trained`) the MNIST conv net "
                "trained on the vendored real MNIST digits (8,000 training images)."
            ),
            models,
            FigureSpec(
                "conv-ratios",
                "Aggregated TCCR per model: the paper's rule against "
                "the corrected whole-layer and parameter-level ratios (log scale).",
                draw,
                size=(9.0, 4.8),
            ),
            layers,
        ),
        sources=(
            "topotheory.nn.tccr.model_tccr(full_param_level=True)",
            "topotheory.nn.paper_tables.layer_counts",
            "topotheory.nn.zoo.build_model",
        ),
        seeds=tuple(seeds),
    )


def _paper_aggregates(pt: Any, model: str, dataset: str) -> dict[str, float | None]:
    rule = (
        pt.PAPER_RULE_VGG_CIFAR
        if model == "vgg11" and dataset.startswith("cifar")
        else pt.PAPER_RULE
    )
    layers = pt.layer_counts(pt._trace(model, dataset), rule)
    convs = [r for r in layers if r[0] == "conv"]
    dense = [r for r in layers if r[0] == "dense"]
    return {
        "conv": _nan_none(pt.aggregate(convs, "sum")) if convs else None,
        "dense": _nan_none(pt.aggregate(dense, "sum")) if dense else None,
        "final": _nan_none(pt.aggregate(layers, "sum")),
    }
