"""The null-model question: iid weights vs the paper's hypergeometric null (MNIST layers)."""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory import simulate as sim
from topotheory.render.blocks import FigureSpec, Missing, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections._simulate import trained_or_missing


def build(ctx: Context) -> Section:
    """iid Monte Carlo vs ``k / E`` per layer, the conclusion, trained overlaps beside."""
    p = ctx.profile
    rows = sim.null_model_table(trials=p.null_trials, seed=p.seed)
    trained = trained_or_missing(ctx)
    tmap = {} if isinstance(trained, Missing) else {s: pts[0][1] for s, pts in trained.items()}
    records = []
    for r in rows:
        records.append(
            {
                "layer": r.name,
                "n": r.n,
                "m": r.m,
                "edges": r.n_edges,
                "k": r.k,
                "iid_mean": r.iid.mean,
                "iid_ci_low": r.iid.ci_low,
                "iid_ci_high": r.iid.ci_high,
                "iid_trials": r.iid.trials,
                "hypergeometric_mean": r.hypergeometric_mean,
                "ratio": r.ratio,
                "log10_null_tail_at_iid_mean": r.log10_null_tail_at_iid_mean,
                "bound_nm": r.bounds.get("nm"),
                "bound_nm_minus_i_plus_1": r.bounds.get("nm_minus_i_plus_1"),
                "trained_round0": tmap.get((r.n, r.m)) if r.n_edges == r.n * r.m else None,
            }
        )
    table = Table.from_records(
        "null-models",
        records,
        (
            "layer",
            "n",
            "m",
            "edges",
            "k",
            "iid_mean",
            "iid_ci_low",
            "iid_ci_high",
            "iid_trials",
            "hypergeometric_mean",
            "ratio",
            "log10_null_tail_at_iid_mean",
            "bound_nm",
            "bound_nm_minus_i_plus_1",
            "trained_round0",
        ),
        view=(
            "layer",
            "n",
            "m",
            "k",
            "iid_mean",
            "iid_ci_low",
            "iid_ci_high",
            "hypergeometric_mean",
            "ratio",
            "log10_null_tail_at_iid_mean",
            "bound_nm",
            "trained_round0",
        ),
        caption="Expected top-k/MST overlap fraction: iid weights (Monte Carlo, interval) vs "
        "the hypergeometric null `k/E` of Appendix C, with the bounds and trained layers",
        formats={
            c: ".4f"
            for c in (
                "iid_mean",
                "iid_ci_low",
                "iid_ci_high",
                "hypergeometric_mean",
                "bound_nm",
                "bound_nm_minus_i_plus_1",
                "trained_round0",
            )
        }
        | {"ratio": ".1f", "log10_null_tail_at_iid_mean": ".1f"},
    )

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        x = np.arange(len(records))
        ax.bar(
            x - 0.2,
            [r["hypergeometric_mean"] for r in records],
            0.4,
            color=PALETTE["null"],
            label="hypergeometric null k/E (Appendix C)",
        )
        ax.bar(
            x + 0.2,
            [r["iid_mean"] for r in records],
            0.4,
            color=PALETTE["mc"],
            label="iid weights (Monte Carlo)",
        )
        # an overlap fraction is at most 1: bounds above 1 (vacuous) are drawn clipped
        # at the top edge with their value written beside, never on the fraction scale
        top = 3.0
        bounds = [(i, r["bound_nm"]) for i, r in enumerate(records) if r["bound_nm"] is not None]
        inside = [(i, b) for i, b in bounds if b <= 1]
        above = [(i, b) for i, b in bounds if b > 1]
        if inside:
            ax.scatter(
                *zip(*inside, strict=True),
                marker="_",
                s=300,
                linewidths=2,
                color=PALETTE["bound"],
                label="Thm 3.3 / Cor 3.4 bound (nm)",
                zorder=3,
            )
        if above:
            ax.scatter(
                [i for i, _ in above],
                [top / 1.5] * len(above),
                marker="^",
                s=60,
                color=PALETTE["bound"],
                label="bound > 1 (vacuous): clipped, its value beside",
                zorder=3,
            )
            for i, b in above:
                ax.annotate(
                    f"{b:.3g}",
                    (i, top / 1.5),
                    xytext=(6, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=7,
                    color=PALETTE["bound"],
                )
        ax.axhline(1, color="black", lw=0.8, label="overlap fraction 1 (the maximum)")
        tr = [
            (i, r["trained_round0"])
            for i, r in enumerate(records)
            if r["trained_round0"] is not None
        ]
        if tr:
            ax.scatter(
                *zip(*tr, strict=True),
                marker="*",
                s=120,
                color=PALETTE["trained"],
                label="trained layer",
                zorder=4,
            )
        ax.set_yscale("log")
        ax.set_ylim(top=top)
        ax.set_xticks(x, [r["layer"] for r in records], fontsize=7)
        ax.set(
            xlabel="layer of the paper's MNIST nets (fcn: fully connected, cnn: convolutional)",
            ylabel="expected top-k/MST overlap fraction\n(log scale; 1 = all k edges on the MST)",
            title="What overlap means nothing? iid weights vs the hypergeometric null",
        )
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=2)

    blocks: list[Any] = [
        Paragraph(sim.null_model_conclusion(rows)),
        Paragraph(
            "Layers are the paper's MNIST nets (`fcn` fully connected, `cnn` convolutional; a "
            "conv layer is one channel pair's Toeplitz graph with iid weights on its entries, "
            f"weight sharing ignored). {p.null_trials:,} trials per layer."
        ),
    ]
    if isinstance(trained, Missing):
        blocks.append(trained)
    blocks += [
        FigureSpec(
            "null-models",
            "Expected overlap under the hypergeometric null vs under iid "
            "weights (log scale), with the bound and trained layers. An overlap fraction is at "
            "most 1 (black line): a bound above 1 cannot hold and is drawn clipped at the top "
            "with its value.",
            draw,
            size=(8.0, 4.6),
        ),
        table,
    ]
    return Section(
        "null-models",
        "Null models: iid weights vs the hypergeometric null",
        tuple(blocks),
        sources=(
            "topotheory.simulate.null_model_table",
            "topotheory.simulate.null_model_conclusion",
        ),
        seeds=(p.seed,),
    )
