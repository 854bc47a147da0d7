"""Top-k/MST overlap of trained layers across IMP rounds (the paper's Figure 3 analogue)."""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.render.blocks import FigureSpec, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections._trained import data_phrase, imp_overlap


def build(ctx: Context) -> Section:
    """Overlap fraction per layer and IMP round (mean, sd, min over seeds) vs the bound."""
    p = ctx.profile
    res = imp_overlap(ctx)
    rows = []
    for r in res["table"]:
        iid = r["iid_dense"] or {}
        rows.append(
            (
                r["round"],
                r["layer"],
                r["n"],
                r["m"],
                r["density"],
                r["fraction_mean"],
                r["fraction_sd"],
                r["fraction_min"],
                r["bound_thm_3_3"],
                iid.get("mean"),
                iid.get("ci_low"),
                iid.get("ci_high"),
                r["above_bound"],
                not r["above_bound"],
            )
        )
    decimal = (  # columns shown with four decimals, in table order
        "density",
        "overlap_mean",
        "overlap_sd",
        "overlap_min",
        "bound_thm_3.3",
        "iid_mean",
        "iid_ci_low",
        "iid_ci_high",
    )
    table = Table(
        "trained-overlap",
        ("round", "layer", "n", "m", *decimal, "above_bound", "below_bound"),
        tuple(rows),
        caption="Trained overlap fraction (over seeds) against the Theorem 3.3 bound and "
        "the iid-weights overlap of the same dense shape; rows below the bound highlighted",
        highlight="below_bound",
        view=("round", "layer", "n", "m", *(c for c in decimal if c != "overlap_min")),
        formats={c: ".4f" for c in decimal},
    )
    layers = list(dict.fromkeys(r["layer"] for r in res["table"]))

    def draw(fig: Any) -> None:
        axes = fig.subplots(1, len(layers), sharey=True)
        for ax, layer in zip(np.atleast_1d(axes), layers, strict=True):
            sel = [r for r in res["table"] if r["layer"] == layer]
            x = [r["round"] for r in sel]
            mean = np.array([r["fraction_mean"] for r in sel])
            sd = np.array([r["fraction_sd"] for r in sel])
            ax.errorbar(
                x, mean, yerr=sd, marker="o", color=PALETTE["trained"], label="trained (mean ± sd)"
            )
            for r in sel:
                ax.scatter(
                    [r["round"]] * len(r["per_seed"]),
                    r["per_seed"],
                    s=8,
                    color=PALETTE["trained"],
                    alpha=0.4,
                )
            ax.axhline(
                sel[0]["bound_thm_3_3"], color=PALETTE["bound"], ls="--", label="Thm 3.3 bound"
            )
            iid = sel[0]["iid_dense"] or {}
            if "mean" in iid:
                ax.axhline(iid["mean"], color=PALETTE["mc"], ls=":", label="iid weights")
                if "ci_low" in iid:
                    ax.axhspan(iid["ci_low"], iid["ci_high"], color=PALETTE["mc"], alpha=0.2)
            ax.set(title=f"{layer}\n{sel[0]['n']}x{sel[0]['m']}", xlabel="IMP round", ylim=(0, 1))
            ax.title.set_fontsize(8)
        np.atleast_1d(axes)[0].set_ylabel("top-k / MST overlap fraction")
        handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=3)

    n_below = sum(r[-1] for r in rows)
    n_below_iid = sum(r[9] is not None and r[5] < r[9] for r in rows)
    return Section(
        "trained-overlap",
        "Overlap of trained layers across IMP rounds (Figure 3 analogue)",
        (
            Paragraph(
                "For each layer of the MNIST fully connected net, trained on "
                f"{data_phrase(res['dataset'])} ({res['train_config']['epochs']} epochs per "
                f"training) and pruned by IMP ({p.prune_rate:.0%} of the remaining weights per round, "
                f"rewinding to initialisation, seeds {list(p.train_seeds)}): the fraction of "
                "the top-k weights (k = forest size of the kept edges) that lie on the maximum "
                "spanning forest. Round 0 is the dense trained layer. The bound is Theorem 3.3 "
                "(`nm` reading) for the dense shape; *iid weights* is the expected overlap of "
                "iid (exchangeable) weights of the same dense shape, `topotheory.simulate` Monte "
                "Carlo with its interval. "
                f"**{len(rows) - n_below} of {len(rows)}** layer/round cells are above the "
                f"bound for every seed; **{n_below_iid} of {len(rows)}** are below the iid "
                "expectation, i.e. trained layers overlap *less* than uninformative weights."
            ),
            FigureSpec(
                "trained-overlap",
                "Top-k/MST overlap of each trained layer across IMP "
                "rounds (dots: seeds) against the Theorem 3.3 bound and iid weights.",
                draw,
                size=(11.0, 3.8),
            ),
            table,
        ),
        data={"imp_overlap_trained": res},
        sources=("topotheory.nn.experiments.imp_overlap_trained",),
        seeds=tuple(p.train_seeds),
    )
