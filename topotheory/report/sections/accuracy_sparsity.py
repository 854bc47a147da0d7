"""Accuracy vs sparsity for IMP, T-IMP and random pruning; T-IMP preserves the diagram."""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.render.blocks import FigureSpec, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections._trained import data_phrase, experiment


def build(ctx: Context) -> Section:
    """Accuracy curves (mean, sd over seeds) and the T-IMP/IMP preservation counts."""
    p = ctx.profile
    acc = experiment(
        ctx,
        "accuracy_vs_sparsity",
        seeds=tuple(p.train_seeds),
        rounds=p.prune_rounds,
        rate=p.prune_rate,
    )
    pres = experiment(
        ctx, "timp_preserves", seed=p.train_seeds[0], rounds=p.overlap_rounds, rate=p.prune_rate
    )
    rows = []
    for method, curve in acc["curves"].items():
        for r in curve:
            rows.append(
                (
                    method,
                    r["round"],
                    r["sparsity"],
                    r["compression_ratio"],
                    r["acc_mean"],
                    r["acc_sd"],
                    r["acc_min"],
                    r["acc_max"],
                    " ".join(r["past_tccr"]),
                )
            )
    columns = (
        "method",
        "round",
        "sparsity",
        "compression_ratio",
        "acc_mean",
        "acc_sd",
        "acc_min",
        "acc_max",
        "layers_past_tccr",
    )
    table = Table(
        "accuracy-sparsity",
        columns,
        tuple(rows),
        caption="Test accuracy per pruning round (over seeds); layers whose kept count is "
        "below their spanning-forest size are past the TCCR",
        formats={c: ".4f" for c in ("sparsity", "acc_mean", "acc_sd", "acc_min", "acc_max")}
        | {"compression_ratio": ".4g"},
        max_rows=40,
        view=(*columns[:6], columns[-1]),
    )
    prow = []
    for method in ("timp", "imp"):
        m = pres[method]
        prow.append(
            (
                method,
                m["layer_steps"],
                m["layer_steps_changed"],
                m["forest_edges_lost"],
                m["max_np_change"],
                m["all_preserved_per_layer"],
                m["all_preserved_per_network"],
            )
        )
    preserve = Table(
        "timp-preserves",
        (
            "method",
            "layer_steps",
            "diagrams_changed",
            "forest_edges_lost",
            "max_np_change",
            "all_preserved_per_layer",
            "all_preserved_per_network",
        ),
        tuple(prow),
        caption=f"Does a pruning step keep every layer's diagram? ({p.overlap_rounds} rounds, "
        f"seed {p.train_seeds[0]}; claim `timp-preserves`)",
        formats={"max_np_change": ".4g"},
    )

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        colors = {"imp": PALETTE["imp"], "timp": PALETTE["timp"], "random": PALETTE["random"]}
        first_past = None
        for method, curve in acc["curves"].items():
            kept = np.array([1 - r["sparsity"] for r in curve])
            mean = np.array([r["acc_mean"] for r in curve])
            sd = np.array([r["acc_sd"] for r in curve])
            ax.plot(
                kept,
                mean,
                marker="o",
                color=colors.get(method),
                label={"imp": "IMP", "timp": "T-IMP"}.get(method, method) + " (mean, ± sd band)",
            )
            ax.fill_between(kept, mean - sd, mean + sd, color=colors.get(method), alpha=0.15)
            for r in curve:
                if r["past_tccr"] and first_past is None:
                    first_past = 1 - r["sparsity"]
        if first_past is not None:
            ax.axvline(
                first_past,
                color="black",
                ls="--",
                lw=0.8,
                label="first layer past its TCCR\n(kept < n + m - 1)",
            )
        from matplotlib.ticker import FixedLocator, NullLocator

        ax.set_xscale("log")
        ticks = sorted({round(1 - r["sparsity"], 6) for c in acc["curves"].values() for r in c})
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(ticks, [f"{100 * t:.3g}%" for t in ticks])
        ax.set_xlim(max(ticks) * 1.15, min(ticks) / 1.15)  # sparsity grows to the right
        ax.set(
            xlabel="weights kept, % of the dense network (log scale; sparser to the right)",
            ylabel="test accuracy (fraction correct)",
            ylim=(0, 1),
            title="accuracy vs sparsity (mean ± sd over seeds)",
        )
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper")

    t = pres["timp"]
    i = pres["imp"]
    return Section(
        "accuracy-sparsity",
        "Accuracy vs sparsity: IMP, T-IMP, random",
        (
            Paragraph(
                "The MNIST fully connected net (784-100x5-10) trained on "
                f"{data_phrase(acc['dataset'])}, {acc['train_config']['epochs']} epochs per "
                "training (Adam, learning rate "
                f"{acc['train_config']['lr']:g}, batch {acc['train_config']['batch_size']}), pruned "
                f"{p.prune_rate:.0%} of the remaining weights per round for {p.prune_rounds} "
                f"rounds with rewinding to initialisation, seeds {list(p.train_seeds)}; T-IMP "
                "keeps every layer's maximum spanning forest and, past the TCCR, the top part "
                'of it (`on_conflict="truncate_forest"`), so all methods share one budget. '
                f"T-IMP changed **{t['layer_steps_changed']} of {t['layer_steps']}** layer "
                f"diagrams at its pruning steps; IMP changed {i['layer_steps_changed']} and "
                f"lost {i['forest_edges_lost']} forest edges."
            ),
            FigureSpec(
                "accuracy-sparsity",
                "Test accuracy (mean ± sd over seeds) against the "
                "fraction of weights kept, for IMP, T-IMP and random pruning.",
                draw,
                size=(7.5, 4.0),
            ),
            table,
            preserve,
        ),
        data={"accuracy_vs_sparsity": acc, "timp_preserves": pres},
        sources=(
            "topotheory.nn.experiments.accuracy_vs_sparsity",
            "topotheory.nn.experiments.timp_preserves",
        ),
        seeds=tuple(p.train_seeds),
    )
