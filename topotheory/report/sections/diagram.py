"""Persistence diagram of one layer (the paper's Figure 2 analogue).

The layer is the first layer of the MNIST fully connected net (784 inputs, 100 outputs).
When trained weights are available (``topotheory.nn``) the trained layer is shown;
otherwise a random initialisation, labelled as such (uniform on ``±1/sqrt(784)``, torch's
default ``Linear`` initialisation, drawn with numpy so the numbers need no torch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.report.context import Context
from topotheory.report.figures import PALETTE
from topotheory.report.model import FigureSpec, Missing, Paragraph, Section, Table
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
        ax1, ax2 = fig.subplots(1, 2)
        colors = {"random-init": PALETTE["random"], "trained": PALETTE["trained"]}
        low = min(float(d.min()) for d, _ in hist.values())
        for label, (deaths, wprime) in hist.items():
            ax1.scatter(
                np.ones_like(deaths),
                deaths,
                s=8,
                alpha=0.35,
                color=colors[label],
                label=f"{label} ({deaths.size} points)",
            )
            for values, style, what in ((deaths, "-", "MST edges"), (wprime, ":", "all edges")):
                xs = np.sort(values)
                ax2.plot(
                    xs,
                    np.arange(1, xs.size + 1) / xs.size,
                    style,
                    color=colors[label],
                    label=f"{label}: {what}",
                )
        pad = 0.05 * (1 - low)
        ax1.plot([low - pad, 1 + pad], [low - pad, 1 + pad], color="black", lw=0.8)
        ax1.set(
            xlim=(low - pad, 1 + pad),
            ylim=(low - pad, 1 + pad),
            xlabel="birth",
            ylabel="death  w' = |w| / max|w|",
            title="zeroth-order diagram (zoomed)",
        )
        ax1.legend(loc="upper left")
        ax2.set(
            xlabel="normalised weight w'",
            ylabel="cumulative fraction",
            title="w' of MST edges vs all edges (ECDF)",
        )
        ax2.legend(loc="upper left")

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
            "the maximum spanning tree (`n + m - 1 = 883` points); the histogram compares the "
            "normalised magnitudes of those edges with all 78,400 edges. " + trained_note
        ),
        summary,
        table_points,
        FigureSpec(
            "diagram",
            "Persistence diagram (left; every point is (1, w'_e), axes zoomed to the points) and "
            "the distribution of w' over MST edges vs all edges (right) of the "
            "784 -> 100 layer"
            + (
                " (random initialisation and trained)."
                if "trained" in hist
                else " at random initialisation (not trained)."
            ),
            draw,
            size=(9.0, 3.8),
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
