"""Persistence diagram of one layer (the paper's Figure 2 analogue).

The layer is the first layer of the MNIST fully connected net (784 inputs, 100 outputs).
When trained weights are available (``topotheory.nn``) the trained layer is shown;
otherwise a random initialisation, labelled as such (uniform on ``±1/sqrt(784)``, torch's
default ``Linear`` initialisation, drawn with numpy so the numbers need no torch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.render.blocks import FigureSpec, Missing, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections import _trained

N_IN, N_OUT = 784, 100


def random_init_layer(seed: int) -> np.ndarray:
    """A (100, 784) layer drawn like torch's default Linear init, with numpy.

    Examples
    --------
    >>> random_init_layer(0).shape
    (100, 784)
    """
    bound = 1.0 / np.sqrt(N_IN)
    return np.random.default_rng(seed).uniform(-bound, bound, size=(N_OUT, N_IN))


def _layers(ctx: Context) -> tuple[list[tuple[str, str, np.ndarray]], list[Missing]]:
    seed = ctx.profile.seed
    layers = [
        ("random-init", f"random initialisation (numpy seed {seed})", random_init_layer(seed))
    ]
    trained = ctx.attempt("trained layer", lambda: _trained.trained_fc_first_layer(ctx))
    if isinstance(trained, Missing):
        return layers, [trained]
    weights, desc = trained
    layers.append(("trained", desc, weights))
    return layers, []


def _median_marker(ax: Any, x: float, deaths: np.ndarray, *, size: float,
                   label: str | None = None) -> None:
    """Mark the median death of one diagram at ``x`` (white dot, black edge)."""
    ax.scatter([x], [np.median(deaths)], marker="o", s=size, color="white", edgecolor="black",
               zorder=3, label=label)


def build(ctx: Context) -> Section:
    """Diagram points, NP and the comparison of MST-edge magnitudes with all edges."""
    import topotheory as tt

    rows: list[tuple[Any, ...]] = []
    points: list[tuple[Any, ...]] = []
    hist: dict[str, Any] = {}
    layers, missing = _layers(ctx)
    for label, desc, w in layers:
        diagram = tt.persistence_diagram(w)
        forest = tt.maximum_spanning_forest(w)
        overlap = tt.topk_mst_overlap(w)
        wprime = np.abs(w).ravel() / np.abs(w).max()
        rows.append(
            (
                label,
                desc,
                N_IN,
                N_OUT,
                int(forest.size),
                float(tt.neural_persistence(w)),
                float(tt.neural_persistence(w, normalize="rieck_bound")),
                float(np.median(diagram.deaths)),
                float(np.median(wprime)),
                float(overlap.fraction),
            )
        )
        points += [
            (label, int(e), float(b), float(d))
            for e, b, d in zip(diagram.edge_index, diagram.births, diagram.deaths, strict=True)
        ]
        hist[label] = (np.sort(diagram.deaths)[::-1], wprime)
    summary = Table(
        "diagram-layer",
        (
            "weights",
            "description",
            "n_in",
            "n_out",
            "mst_edges",
            "np_p2",
            "np_normalized",
            "median_death_mst",
            "median_w_all_edges",
            "topk_mst_overlap",
        ),
        tuple(rows),
        caption="The layer, its neural persistence (p = 2, per-layer normalisation) and its top-k/MST overlap",
        formats={"np_p2": ".4f", "np_normalized": ".4f"},
    )
    table_points = Table(
        "diagram-points",
        ("weights", "edge_index", "birth", "death"),
        tuple(points),
        show=False,
    )

    def draw(fig: Any) -> None:
        ax1, ax2 = fig.subplots(1, 2, width_ratios=(1, 1.35))
        colors = {"random-init": PALETTE["random"], "trained": PALETTE["trained"]}
        names = {"random-init": "random init", "trained": "trained"}
        labels = list(hist)
        # left: each diagram's deaths as a density (violin) with every point as a tick;
        # births are all 1, so the x axis separates the two diagrams instead
        parts = ax1.violinplot(
            [hist[k][0] for k in labels],
            positions=range(len(labels)),
            widths=0.8,
            showextrema=False,
        )
        for body, label in zip(parts["bodies"], labels, strict=True):
            body.set(facecolor=colors[label], edgecolor=colors[label], alpha=0.35)
        for i, label in enumerate(labels):
            deaths = hist[label][0]
            ax1.scatter(
                np.full(deaths.size, i),
                deaths,
                marker="_",
                s=220,
                lw=0.6,
                alpha=0.25,
                color=colors[label],
                label="diagram point (1, w'_e), one per MST edge" if i == 0 else None,
            )
            _median_marker(ax1, i, deaths, size=28, label="median death" if i == 0 else None)
        ax1.set_xticks(
            range(len(labels)), [f"{names[k]}\n({hist[k][0].size} points)" for k in labels]
        )
        ax1.set_xlim(-0.6, len(labels) - 0.4)
        ax1.set_ylim(0, 1.02)
        if "random-init" in hist:  # its deaths crowd near 1: zoom in beside the trained one
            deaths = hist["random-init"][0]
            inset = ax1.inset_axes((0.2, 0.1, 0.27, 0.5))
            body = inset.violinplot([deaths], positions=[0], widths=0.8, showextrema=False)
            body["bodies"][0].set(facecolor=colors["random-init"], alpha=0.35)
            inset.scatter(
                np.zeros(deaths.size),
                deaths,
                marker="_",
                s=160,
                lw=0.6,
                alpha=0.25,
                color=colors["random-init"],
            )
            _median_marker(inset, 0, deaths, size=20)
            inset.set_xticks([])
            inset.set_xlim(-0.6, 0.6)
            inset.set_ylim(float(deaths.min()) - 0.003, 1.002)
            inset.tick_params(labelsize=7)
            inset.set_title("random init, zoomed", fontsize=7)
            inset.set_ylabel("death w'", fontsize=7)
            inset.set_xlabel("birth = 1", fontsize=7)
        ax1.set(
            xlabel="diagram (birth = 1 for every point)",
            ylabel="death w' = |w| / max|w|  (dimensionless)",
            title="zeroth-order diagrams: distribution of deaths",
        )
        # right: ECDF of w' over MST edges vs all edges
        for label in labels:
            deaths, wprime = hist[label]
            for values, style, what in ((deaths, "-", "MST edges"), (wprime, ":", "all edges")):
                xs = np.sort(values)
                ys = np.arange(1, xs.size + 1) / xs.size
                if xs.size > 2000:  # the ECDF at 2,000 evenly spaced ranks: display resolution
                    ranks = np.unique(np.linspace(0, xs.size - 1, 2000).round().astype(int))
                    xs, ys = xs[ranks], ys[ranks]
                ax2.plot(
                    xs,
                    ys,
                    style,
                    color=colors[label],
                    label=f"{names[label]}: w' of {what} ({values.size:,})",
                )
        ax2.set(
            xlim=(0, 1.02),
            ylim=(0, 1.02),
            xlabel="normalised weight w' = |w| / max|w|  (dimensionless)",
            ylabel="cumulative fraction of edges",
            title="w' of MST edges vs all edges (ECDF)",
        )
        handles, texts = [], []
        for ax in (ax1, ax2):
            h, t = ax.get_legend_handles_labels()
            handles += h
            texts += t
        legend = fig.legend(handles, texts, loc="outside lower center", ncol=3)
        for handle in legend.legend_handles:
            handle.set_alpha(1)

    trained_note = (
        "The trained layer is shown beside it."
        if "trained" in hist
        else "Trained weights are not available in this build, so only the random "
        "initialisation is shown (see the block below)."
    )
    blocks: list[Any] = [
        Paragraph(
            "Zeroth-order persistence diagram of the first layer of the MNIST fully connected "
            "net (784 -> 100, torch `Linear` layout). Every point is `(1, w'_e)` for an edge of "
            "the maximum spanning tree (`n + m - 1 = 883` points): all births are 1, so a "
            "diagram is the distribution of its deaths, drawn as a density with one tick per "
            "point. The right panel compares the normalised magnitudes of those edges with all "
            "78,400 edges (cumulative distributions). " + trained_note
        ),
        summary,
        table_points,
        FigureSpec(
            "diagram",
            "Zeroth-order persistence diagrams (left: every point is (1, w'_e), so each "
            "diagram is drawn as the density of its deaths, with one tick per point and the "
            "median) and the distribution of w' over MST edges vs all edges (right) of the "
            "784 -> 100 layer"
            + (
                " (random initialisation and trained)."
                if "trained" in hist
                else " at random initialisation (not trained)."
            ),
            draw,
            size=(10.0, 4.6),
        ),
    ]
    blocks[1:1] = missing
    return Section(
        "diagram",
        "Persistence diagram of a layer (Figure 2 analogue)",
        tuple(blocks),
        sources=(
            "topotheory.persistence_diagram",
            "topotheory.neural_persistence",
            "topotheory.topk_mst_overlap",
        ),
        seeds=(ctx.profile.seed,),
    )
