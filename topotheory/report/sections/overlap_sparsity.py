"""Corollary 3.4: the bound with ``rho n m`` edges vs Monte Carlo on connected sparse graphs.

Random model: a uniformly random support of ``round(rho n m)`` edges of ``K_{n,m}``,
conditioned on being connected (the corollary's assumption), with iid weights on it.
Trained points: the MNIST net's 100 x 100 layers after IMP rounds (density of the kept
edges, overlap among kept edges).
"""

from __future__ import annotations

from typing import Any

from topotheory import simulate as sim
from topotheory.render.blocks import FigureSpec, Missing, Paragraph, Section, Table
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context
from topotheory.report.sections import _simulate

VARIANTS = ("nm", "nm_minus_i_plus_1")
#: Columns shown with four decimals, in table order.
_DECIMAL = ("bound_nm", "bound_nm_minus_i_plus_1", "mc_mean", "mc_ci_low", "mc_ci_high")


def build(ctx: Context) -> Section:
    """Rows per density and the figure."""
    p = ctx.profile
    n, m = p.sparse_shape
    rows = []
    for rho in ctx.progress(p.densities, desc="Monte Carlo (sparse)"):
        r = sim.overlap_bound_table(
            ((n, m),), VARIANTS, trials=p.sparse_trials, seed=p.seed, exact_max_edges=0, rho=rho
        )[0]
        est = r.estimate
        b1, b2 = float(r.bounds["nm"]), float(r.bounds["nm_minus_i_plus_1"])
        rows.append(
            {
                "rho": float(r.rho),
                "rho_exact": _simulate.frac(r.rho),
                "n": n,
                "m": m,
                "k": r.k,
                "edges": round(r.rho * n * m),
                "bound_nm": b1,
                "bound_nm_minus_i_plus_1": b2,
                "mc_mean": est.mean,
                "mc_ci_low": est.ci_low,
                "mc_ci_high": est.ci_high,
                "mc_trials": est.trials,
                "confidence": est.confidence,
                "verdict_nm": r.verdicts["nm"].status,
                "verdict_nm_minus_i_plus_1": r.verdicts["nm_minus_i_plus_1"].status,
                "bound_above_1": b1 > 1 or b2 > 1,
                "below_bound": "refuted" in (r.verdicts["nm"].status, r.verdicts["nm_minus_i_plus_1"].status),
            }
        )
    table = Table.from_records(
        "overlap-sparsity",
        rows,
        (
            "rho",
            "rho_exact",
            "n",
            "m",
            "k",
            "edges",
            *_DECIMAL,
            "mc_trials",
            "confidence",
            "verdict_nm",
            "verdict_nm_minus_i_plus_1",
            "bound_above_1",
            "below_bound",
        ),
        caption=f"Corollary 3.4 on {n} x {m}: bounds with `rho n m` against Monte Carlo on "
        "connected random supports; densities where the expectation is below a bound are "
        "highlighted",
        highlight="below_bound",
        view=("rho", "edges", *_DECIMAL, "verdict_nm", "verdict_nm_minus_i_plus_1"),
        formats={c: ".4f" for c in _DECIMAL},
    )
    trained = _simulate.trained_or_missing(ctx)
    tpts = [] if isinstance(trained, Missing) else trained.get((n, m), [])
    trained_table = Table(
        "overlap-sparsity-trained",
        ("density", "trained_mean", "trained_sd"),
        tuple(tpts),
        caption=f"Trained {n} x {m} layers across IMP rounds (mean, sd over layers and seeds)",
        formats={"density": ".4f", "trained_mean": ".4f", "trained_sd": ".4f"},
    )

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        x = [r["rho"] for r in rows]
        _simulate.plot_bound_variants(
            ax, x, rows, labels=("Cor 3.4 bound (rho nm)", "Cor 3.4 bound (rho nm - i + 1)")
        )
        _simulate.plot_mc_interval(ax, x, rows, label="Monte Carlo (connected random support)")
        if tpts:
            d, mu, sd = zip(*tpts, strict=True)
            _simulate.plot_trained_points(ax, d, mu, sd, label="trained layers (IMP rounds)")
        # an overlap fraction is at most 1: the bound's values above 1 are off the scale
        top = 1.3
        ax.axhline(1, color="black", lw=0.8)
        ax.axhspan(1, top, color="#bbbbbb", alpha=0.25, lw=0, label="above 1: impossible for X")
        high = max(rows, key=lambda r: r["bound_nm"])
        if high["bound_nm"] > top:
            ax.text(
                0.99,
                0.97,
                f"the bound leaves the scale (up to {high['bound_nm']:.2f} at "
                f"rho = {high['rho']:g}): it cannot hold where it exceeds 1",
                transform=ax.transAxes,
                ha="right",
                va="top",
                fontsize=7,
                color=PALETTE["bound"],
            )
        from matplotlib.ticker import NullLocator

        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.set(
            ylim=(0, top),
            xlabel="density rho = kept edges / (n m)  (log scale)",
            ylabel="top-k / MST overlap fraction X  (dimensionless)",
            title=f"Corollary 3.4 on {n} x {m} layers",
        )
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3)

    above = [r for r in rows if r["bound_above_1"]]
    blocks: list[Any] = [
        Paragraph(
            f"Layer {n} x {m}, densities {', '.join(p.densities)}; {p.sparse_trials:,} Monte "
            "Carlo trials per density on a uniformly random *connected* support. "
            f"The bound exceeds 1 — so it cannot hold, since `X <= 1` — at **{len(above)}** of "
            f"{len(rows)} densities"
            + (f" (rho <= {max(r['rho'] for r in above):g})" if above else "")
            + f"; the expectation is below a bound at {sum(r['below_bound'] for r in rows)}."
        ),
    ]
    if isinstance(trained, Missing):
        blocks.append(trained)
    blocks += [
        FigureSpec(
            "overlap-sparsity",
            "Corollary 3.4 over density: bound variants, Monte "
            "Carlo expectation with interval, trained layers after IMP rounds. An overlap "
            "fraction is at most 1 (grey band above it): where the bound exceeds 1 it leaves "
            "the scale.",
            draw,
            size=(8.0, 4.8),
        ),
        table,
        trained_table,
    ]
    return Section(
        "overlap-sparsity",
        "Corollary 3.4: overlap over sparsity",
        tuple(blocks),
        sources=(
            "topotheory.simulate.overlap_bound_table(rho=...)",
            "topotheory.nn.experiments.imp_overlap_trained",
        ),
        seeds=(p.seed,),
    )
