"""Neural persistence of each layer over training (the paper's Figure 1 analogue)."""

from __future__ import annotations

from typing import Any

from topotheory.render.blocks import FigureSpec, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections._trained import data_phrase, experiment

EVERY = 5


def build(ctx: Context) -> Section:
    """NP (p = 2, per-layer normalisation) of every dense layer, every few optimizer steps."""
    seeds = ctx.profile.train_seeds
    runs = [
        experiment(ctx, "np_grows", seed=s, every=EVERY)
        for s in ctx.progress(seeds, desc="np over training")
    ]
    rows: list[tuple[Any, ...]] = []
    for s, run in zip(seeds, runs, strict=True):
        for point in run["trace"]:
            for layer, v in point["layers"].items():
                rows.append((s, point["step"], layer, v["np"], v["normalized"]))
    table = Table(
        "np-training", ("seed", "step", "layer", "np", "np_normalized"), tuple(rows), show=False
    )
    summary_rows = []
    for s, run in zip(seeds, runs, strict=True):
        first, last = run["trace"][0], run["trace"][-1]
        for layer in first["layers"]:
            summary_rows.append(
                (
                    s,
                    layer,
                    first["layers"][layer]["np"],
                    last["layers"][layer]["np"],
                    run["rises"][layer],
                    not run["rises"][layer],
                )
            )
    summary = Table(
        "np-training-summary",
        ("seed", "layer", "np_at_init", "np_trained", "rises", "falls"),
        tuple(summary_rows),
        caption="NP at initialisation and after training, per layer and seed "
        "(a layer whose NP does not rise is highlighted)",
        highlight="falls",
        formats={"np_at_init": ".4f", "np_trained": ".4f"},
    )
    layers = list(runs[0]["trace"][0]["layers"])
    colors = [PALETTE[k] for k in ("bound", "mc", "trained", "worst", "null", "exact")]

    def draw(fig: Any) -> None:
        ax1, ax2 = fig.subplots(1, 2)
        for s, run in zip(seeds, runs, strict=True):
            steps = [p["step"] for p in run["trace"]]
            for i, layer in enumerate(layers):
                style = "-" if s == seeds[0] else ":"
                label = layer if s == seeds[0] else None
                for ax, key in ((ax1, "np"), (ax2, "normalized")):
                    ax.plot(
                        steps,
                        [p["layers"][layer][key] for p in run["trace"]],
                        style,
                        color=colors[i % len(colors)],
                        label=label,
                    )
        batch = runs[0]["train_config"]["batch_size"]
        ax1.set(
            xlabel=f"optimizer step (Adam, batch {batch})",
            ylabel="NP, p = 2 (w' = |w| / max|w|; dimensionless)",
            title="neural persistence per layer",
        )
        ax2.set(
            xlabel=f"optimizer step (Adam, batch {batch})",
            ylabel="NP / sqrt(n + m - 1)  (dimensionless)",
            title="normalised by Rieck's bound",
        )
        from matplotlib.lines import Line2D

        handles, labels = ax1.get_legend_handles_labels()
        for s, style in ((seeds[0], "-"), *((s, ":") for s in seeds[1:2])):
            rest = "" if s == seeds[0] or len(seeds) == 2 else " and later seeds"
            handles.append(Line2D([], [], color="#777777", ls=style))
            labels.append(f"seed {s}{rest}")
        fig.legend(handles, labels, loc="outside lower center", ncol=4, title="layer / seed")

    rises = sum(r[4] for r in summary_rows)
    cfg = runs[0]["train_config"]
    return Section(
        "np-training",
        "Neural persistence over training (Figure 1 analogue)",
        (
            Paragraph(
                "NP of each dense layer of the MNIST fully connected net (784-100x5-10) while "
                f"it trains on {data_phrase(runs[0]['dataset'])} ({cfg['epochs']} epochs, Adam, "
                f"learning rate {cfg['lr']:g}, batch "
                f"{cfg['batch_size']}, CPU), measured every {EVERY} optimizer steps with "
                f"per-layer normalisation, seeds {list(seeds)}. NP rose in **{rises} of "
                f"{len(summary_rows)}** layer/seed pairs (claim `np-grows`)."
            ),
            summary,
            FigureSpec(
                "np-training",
                "NP of every layer over training (left) and normalised by sqrt(n + m - 1) (right).",
                draw,
                size=(10.0, 4.6),
            ),
            table,
        ),
        sources=("topotheory.nn.experiments.np_grows",),
        seeds=tuple(seeds),
    )
