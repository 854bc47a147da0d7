"""The ``--out DIR`` report of an audit: markdown, HTML, figures, CSV and the JSON.

Built with the shared renderers (:mod:`topotheory.render`) and written with the
safe writer (:func:`topotheory.safe_output.atomic_output_dir`: a staging folder swapped in
at the end, nothing the tool did not write is ever deleted). Layout::

    DIR/audit.md  DIR/audit.html  DIR/audit.json
    DIR/figures/overlap.png  DIR/figures/np.png  DIR/figures/tccr.png
    DIR/data/layers.csv  DIR/data/not_covered.csv
    DIR/figures/mst_kept.png  DIR/data/mst_kept.csv   (when the checkpoint has masks)

Examples
--------
>>> import tempfile, pathlib, torch
>>> from topotheory.nn.audit import audit_model
>>> result = audit_model(torch.nn.Linear(4, 3), input_shape=(4,), trials=20)
>>> out = pathlib.Path(tempfile.mkdtemp()) / "run"
>>> sorted(p.name for p in write_report(result, out).iterdir())[:3]
['.topotheory-manifest.json', 'audit.html', 'audit.json']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from topotheory.jsonout import dumps_strict
from topotheory.nn.audit.mst_kept import MST_KEPT_COLUMNS, MstKept
from topotheory.nn.audit.results import LAYER_COLUMNS, AuditResult, LayerAudit
from topotheory.render.blocks import Bullets, FigureSpec, Paragraph, Section, Table
from topotheory.render.datafiles import table_to_csv
from topotheory.render.document import Document
from topotheory.render.figures import PALETTE, render_png
from topotheory.render.htmlpage import render_html
from topotheory.render.markdown import render_markdown
from topotheory.safe_output import atomic_output_dir

__all__ = ["build_document", "mst_kept_section", "write_report"]


Plot = Callable[[Any, Sequence[LayerAudit], list[int]], None]


def _per_layer_figure(result: AuditResult, plot: Plot, *, ylabel: str) -> Callable[[Any], None]:
    """A figure drawer: ``plot(ax, rows, x)`` draws one point per layer, then the layer names
    label the x axis and the legend is added."""
    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        rows = result.layers
        x = list(range(len(rows)))
        plot(ax, rows, x)
        ax.set_xticks(x, [r.name for r in rows], rotation=60, ha="right", fontsize=7)
        ax.set_ylabel(ylabel)
        ax.legend(loc="best")
    return draw


def _plot_overlap(ax: Any, rows: Sequence[LayerAudit], x: list[int]) -> None:
    ax.plot(x, [r.overlap_fraction for r in rows], "o", color=PALETTE["trained"],
            label="trained: |top-k ∩ MSF| / k")
    bx = [i for i, r in enumerate(rows) if r.bound is not None]
    ax.plot(bx, [rows[i].bound for i in bx], "_", ms=14, mew=2, color=PALETTE["bound"],
            label="Theorem 3.3 bound (dense layers)")
    ix = [i for i, r in enumerate(rows) if r.iid_null is not None]
    if ix:
        nulls = [rows[i].iid_null for i in ix]
        mean = [n.mean for n in nulls]
        err = [[n.mean - n.low for n in nulls], [n.high - n.mean for n in nulls]]
        ax.errorbar(ix, mean, yerr=err, fmt="s", ms=4, color=PALETTE["mc"], capsize=2,
                    label="iid null (mean, interval)")
    ax.plot(x, [r.hypergeometric_null.mean for r in rows], "x", color=PALETTE["random"],
            label="hypergeometric null (mean)")
    ax.set_ylim(-0.02, 1.05)


def _plot_np(ax: Any, rows: Sequence[LayerAudit], x: list[int]) -> None:
    ax.plot(x, [r.np_paper_normalized for r in rows], "o-", color=PALETTE["trained"],
            label="paper per-layer convention / sqrt(|V|-1)")
    ax.plot(x, [r.np_rieck_normalized for r in rows], "s--", color=PALETTE["bound"],
            label="Rieck's network convention / sqrt(|V|-1)")


def _plot_tccr(ax: Any, rows: Sequence[LayerAudit], x: list[int]) -> None:
    for key, style, colour, label in (
        ("tccr_formula", "o", PALETTE["bound"], "Theorem 3.2 formula"),
        ("tccr_pair", "^", PALETTE["exact"], "exact, one channel pair"),
        ("tccr_layer", "s", PALETTE["trained"], "exact, whole layer"),
        ("tccr_params", "D", PALETTE["mc"], "parameter level (conv)"),
    ):
        xs = [i for i, r in enumerate(rows) if getattr(r, key) is not None]
        ax.plot(xs, [getattr(rows[i], key) for i in xs], style, color=colour, label=label,
                alpha=0.85)
    ax.set_yscale("log")


def _draw_mst_kept(kept: Sequence[MstKept]) -> Callable[[Any], None]:
    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        x = list(range(len(kept)))
        ax.plot(x, [k.timp_kept_fraction for k in kept], "_", ms=16, mew=2,
                color=PALETTE["bound"], label="T-IMP at the same kept count: min(1, K/T)")
        ax.plot(x, [k.kept_fraction for k in kept], "o", color=PALETTE["trained"],
                label="this mask: MST kept X/T")
        from scipy.stats import hypergeom

        mean = [k.random_fraction for k in kept]
        law = [hypergeom(k.n_units, k.forest_units, k.kept_units) for k in kept]
        low = [m - d.ppf(0.005) / k.forest_units for m, d, k in zip(mean, law, kept, strict=True)]
        high = [d.ppf(0.995) / k.forest_units - m for m, d, k in zip(mean, law, kept, strict=True)]
        ax.errorbar(x, mean, yerr=[low, high], fmt="x", capsize=3, color=PALETTE["random"],
                    label="random masks of the same kept count (mean, central 99%)")
        ax.set_xticks(x, [k.layer for k in kept], rotation=60, ha="right", fontsize=7)
        ax.set_ylabel("fraction of the dense MSF kept")
        ax.set_ylim(-0.02, 1.05)
        ax.legend(loc="best")
    return draw


def mst_kept_section(result: AuditResult) -> Section | None:
    """The report's "MST kept by the masks" section (None when the audit had no masks)."""
    kept = [row.mst_kept for row in result.layers if row.mst_kept is not None]
    why = [f"`{row.name}`: {row.reasons['mst_kept']}" for row in result.layers
           if "mst_kept" in row.reasons]
    if not kept and not why:
        return None
    blocks: list[Any] = [Paragraph(
        "How much of each layer's dense maximum spanning forest (MSF) the mask kept, "
        "against random masks of the same kept count (exact hypergeometric tails) and T-IMP. "
        "Dense layers count edges, convolutions kernel parameters (`unit`): `T` forest "
        "units, `X` of them kept, `K` of `N` units kept by the mask. Dense reference: "
        + "; ".join(f"`{r}`" for r in dict.fromkeys(k.reference for k in kept)) + ".")]
    if kept:
        width = max(7.0, 0.28 * len(kept) + 2.0)
        blocks += [
            MST_KEPT_COLUMNS.table(
                "mst_kept", kept, max_rows=200,
                view=tuple(c for c in MST_KEPT_COLUMNS.data_columns
                           if c not in ("p_lower", "reference", "mask_source")),
                caption="Per layer: the MSF the mask kept (kept = X/T; random = K/N; p upper "
                "= P(random mask keeps >= X); quantile = mid-p position of X among random "
                "masks; T-IMP = min(1, K/T); compression N/K vs critical ratio N/T)"),
            FigureSpec("mst_kept", "Fraction of each layer's dense MSF kept by the mask, by "
                       "random masks of the same kept count (mean and central 99% of the exact "
                       "law) and by T-IMP.",
                       _draw_mst_kept(kept), (width, 4.0)),
        ]
    if why:
        blocks.append(Bullets(tuple(why)))
    return Section("mst_kept", "MST kept by the masks", tuple(blocks))


def build_document(result: AuditResult, *, title: str = "topotheory audit") -> Document:
    """The audit as a :class:`~topotheory.render.document.Document`."""
    cov = result.coverage
    s = result.summary
    paper = s.paper_rule
    width = max(7.0, 0.28 * len(result.layers) + 2.0)
    layers = LAYER_COLUMNS.table(
        "layers", result.layers, max_rows=200,
        caption="Per layer (X = |top-k ∩ MSF| / k with k = |MSF|; keep = parameters T-IMP "
        "must keep to preserve the diagram; empty = undefined, see audit.json)")
    not_covered = Table("not_covered", ("module", "type", "parameters", "reason"),
                        tuple((n.module, n.type, n.n_params, n.reason) for n in cov.not_covered),
                        caption="Modules with parameters the audit does not measure")
    notes = [f"`{r.name}`: {r.note}" for r in result.layers if r.note and r.kind.startswith("conv")]
    sections = [
        Section("coverage", "Model and coverage", (
            Paragraph(f"Input: `{result.input}`. Coverage: **{cov.covered_params} of "
                      f"{cov.total_params} parameters ({100 * cov.fraction:.2f}%)** in "
                      f"{len(cov.covered_modules)} modules; {len(result.layers)} layers "
                      "measured (gate blocks and attention projections separately)."),
            not_covered if cov.not_covered else Paragraph("Every module with parameters is "
                                                          "covered."),
        )),
        Section("layers", "Per-layer measurements", (
            layers,
            *([Bullets(tuple(notes))] if notes else []),
            FigureSpec("overlap", "Top-k/MST overlap per layer against Theorem 3.3's bound "
                       "(dense layers) and the iid and hypergeometric nulls of the same shape.",
                       _per_layer_figure(result, _plot_overlap, ylabel="overlap fraction X"),
                       (width, 4.2)),
            FigureSpec("np", "Normalised neural persistence per layer, both conventions.",
                       _per_layer_figure(result, _plot_np,
                                         ylabel="normalised neural persistence"),
                       (width, 3.8)),
            FigureSpec("tccr", "TCCR per layer: formula, exact (channel pair, whole layer) "
                       "and parameter level.",
                       _per_layer_figure(result, _plot_tccr, ylabel="TCCR |E| / |MSF|"),
                       (width, 3.8)),
        )),
        *((masks,) if (masks := mst_kept_section(result)) is not None else ()),
        Section("summary", "Model summary", (
            Bullets((
                f"Largest compression that keeps every audited layer's diagram: "
                f"**{_fmt(s.diagram_keeping_ratio, '.4g')}x** ({s.weights_audited} weights, "
                f"{s.weights_kept} kept). {s.includes.diagram_keeping_ratio}.",
                f"Edge level sum |E| / sum |MSF|: all {_fmt(s.edge_level.all)}, conv "
                f"{_fmt(s.edge_level.conv)}, dense {_fmt(s.edge_level.dense)} "
                f"({s.includes.edge_level}).",
                f"The paper's aggregation rule (Final Compression): **{_fmt(paper.final)}** "
                f"(conv {_fmt(paper.conv)}, dense {_fmt(paper.dense)}; "
                f"{paper.layers_counted} layers; {s.includes.paper_rule}).",
            )),
        )),
    ]
    settings = result.settings
    intro = (f"Seed {settings.seed}, iid-null trials {settings.trials} (budget "
             f"{settings.null_budget} edge visits per layer), intervals at "
             f"{settings.confidence} confidence. Tie rule: {settings.conventions.tie_rule}.",)
    return Document(title, tuple(sections), {"settings": asdict(settings)}, intro=intro)


def _fmt(value: float | None, spec: str = ".5g") -> str:
    return "-" if value is None else format(value, spec)


def write_report(result: AuditResult, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the report folder atomically; returns its path.

    Parameters
    ----------
    result : AuditResult
        The audit.
    out : path-like
        Output folder (validated by :func:`topotheory.safe_output.validate_output_dir`).
    force : bool
        Write into a non-empty folder topotheory did not write (never deleting its files).
    """
    doc = build_document(result)
    figures = {spec.name: render_png(spec) for section in doc.sections for spec in section.figures}
    doc = Document(doc.title, doc.sections, doc.provenance, figures, doc.intro)
    with atomic_output_dir(out, force=force) as stage:
        (stage / "figures").mkdir()
        (stage / "data").mkdir()
        for name, png in figures.items():
            (stage / "figures" / f"{name}.png").write_bytes(png)
        for section in doc.sections:
            for table in section.tables:
                (stage / "data" / f"{table.name}.csv").write_text(table_to_csv(table),
                                                                   encoding="utf-8")
        (stage / "audit.md").write_text(render_markdown(doc), encoding="utf-8")
        (stage / "audit.html").write_text(render_html(doc), encoding="utf-8")
        (stage / "audit.json").write_text(dumps_strict(result.to_dict()), encoding="utf-8")
    return Path(out)
