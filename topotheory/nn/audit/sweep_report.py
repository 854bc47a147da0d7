"""A sweep's outputs: the per-layer curves as a table (terminal, CSV, markdown), the JSON,
and a report folder with one figure per curve (house style: titles, legends outside).

The table is long: one row per (checkpoint, layer), one column per :class:`Curve`, so a
curve a caller adds becomes a column, a JSON entry and a figure without other changes.
Layout of ``--out DIR``::

    DIR/sweep.md  DIR/sweep.html  DIR/sweep.json
    DIR/figures/curve_<name>.png
    DIR/data/curves.csv  DIR/data/checkpoints.csv

Examples
--------
>>> from topotheory.nn.audit.sweep import DEFAULT_CURVES
>>> curve_columns(DEFAULT_CURVES).data_columns
('checkpoint', 'layer', 'overlap', 'np', 'sparsity', 'iid_quantile', 'iid_verdict')
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from topotheory.nn.audit.report_folder import provenance_lines
from topotheory.nn.audit.sweep import DEFAULT_CURVES, Curve, SweepResult
from topotheory.render.blocks import Bullets, FigureSpec, Paragraph, Section
from topotheory.render.columns import Column, ColumnSpec
from topotheory.render.document import Document
from topotheory.render.figures import PALETTE

__all__ = ["build_sweep_document", "curve_columns", "render_sweep_text", "write_sweep_report"]


def curve_columns(curves: Sequence[Curve]) -> ColumnSpec:
    """The long table's columns: checkpoint, layer, one per curve, the iid verdict."""
    fields = [("checkpoint", Column(("checkpoint",), header="checkpoint", width=18, align="<")),
              ("layer", Column(("layer",), header="layer", width=22, align="<"))]
    fields += [(c.name, Column((c.name,), header=c.name[:12], width=max(8, len(c.name[:12])),
                               digits=c.digits)) for c in curves]
    fields.append(("iid_verdict", Column(("iid_verdict",), header="iid verdict", width=11,
                                         align="<")))
    return ColumnSpec(tuple(fields))


def _records(sweep: SweepResult, curves: Sequence[Curve]) -> list[SimpleNamespace]:
    out = []
    for c in sweep.checkpoints:
        for row in c.result.layers:
            values = {curve.name: curve.value_of(row) for curve in curves}
            verdict = row.iid_position.verdict if row.iid_position is not None else None
            out.append(SimpleNamespace(checkpoint=c.label, layer=row.name, iid_verdict=verdict,
                                       **values))
    return out


def _checkpoint_lines(sweep: SweepResult) -> list[str]:
    lines = []
    for c in sweep.checkpoints:
        verdicts = "; ".join(v.sentence() for v in c.result.null_verdicts if v.null == "iid")
        fp = c.checkpoint
        digest = f"sha256 {fp['sha256'][:12]}..." if "sha256" in fp else (
            f"{len(fp.get('files', []))} files")
        lines.append(f"{c.position:>3} {c.label}: {digest}; {verdicts}")
    return lines


def render_sweep_text(sweep: SweepResult, *, curves: Sequence[Curve] = DEFAULT_CURVES) -> str:
    """The sweep as terminal text: the long per-(checkpoint, layer) table, then one line per
    checkpoint (fingerprint and the iid null's verdict across its layers)."""
    settings = sweep.settings
    lines = [f"topotheory audit sweep -- {len(sweep.checkpoints)} checkpoints of "
             f"{settings['model']}, {len(sweep.layers)} layers, seed {settings['seed']}", ""]
    lines += curve_columns(curves).text_lines(_records(sweep, curves))
    lines += ["", "per checkpoint:", *_checkpoint_lines(sweep), "", *_legend(sweep, curves)]
    return "\n".join(lines) + "\n"


def _legend(sweep: SweepResult, curves: Sequence[Curve]) -> list[str]:
    audit = sweep.settings.get("audit") or {}
    lines = [f"{c.name} = {c.label} (field {c.field})" for c in curves]
    lines.append(f"iid verdict: after Holm across each checkpoint's layers at family-wise "
                 f"level {audit.get('alpha')}; iid nulls seeded (seed, layer index), the same "
                 "draws for every checkpoint.")
    return lines


# -- figures ---------------------------------------------------------------------------------


def _x(sweep: SweepResult) -> list[int]:
    return list(range(len(sweep.checkpoints)))


def _ticks(ax: Any, sweep: SweepResult) -> None:
    x = _x(sweep)
    step = max(1, math.ceil(len(x) / 12))
    ax.set_xticks(x[::step], [sweep.labels[i] for i in x[::step]], rotation=45, ha="right",
                  fontsize=6)


def _flags(sweep: SweepResult, layer: str) -> list[int]:
    out = []
    for i, c in enumerate(sweep.checkpoints):
        row = next((r for r in c.result.layers if r.name == layer), None)
        if row is not None and row.iid_position is not None and row.iid_position.verdict in (
                "above", "below"):
            out.append(i)
    return out


def _panel_figure(sweep: SweepResult, curve: Curve) -> Any:
    """One panel per layer: the curve, its per-checkpoint band, flagged checkpoints."""
    def draw(fig: Any) -> None:
        layers = sweep.layers
        values = sweep.curve(curve)
        lows = sweep.curve(curve.band[0]) if curve.band else None
        highs = sweep.curve(curve.band[1]) if curve.band else None
        ncols = min(4, len(layers))
        nrows = math.ceil(len(layers) / ncols)
        axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False)
        x = _x(sweep)
        for index, ax in enumerate(axes.ravel()):
            if index >= len(layers):
                ax.set_visible(False)
                continue
            layer = layers[index]
            if lows is not None:
                xs = [i for i in x if lows[layer][i] is not None]
                ax.fill_between(xs, [lows[layer][i] for i in xs], [highs[layer][i] for i in xs],
                                color=PALETTE["mc"], alpha=0.3, linewidth=0,
                                label="iid null: central 95% for one layer")
            ys = values[layer]
            ax.plot(x, [math.nan if v is None else v for v in ys], "o-", ms=3,
                    color=PALETTE["trained"], label=curve.label)
            flagged = _flags(sweep, layer)
            if flagged:
                ax.plot(flagged, [ys[i] for i in flagged], "o", ms=8, mfc="none",
                        mec=PALETTE["worst"], label="differs from the iid null (Holm)")
            ax.set_title(f"layer {layer}", fontsize=8)
            if index >= len(layers) - ncols:
                _ticks(ax, sweep)
        handles: dict[str, Any] = {}
        for ax in axes.ravel():
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(label, handle)
        fig.suptitle(f"{curve.label} across checkpoints, per layer")
        fig.supxlabel("checkpoint", fontsize=8)
        fig.supylabel(curve.label, fontsize=8)
        fig.legend(list(handles.values()), list(handles), loc="outside lower center",
                   ncol=min(3, len(handles)))
    return draw


def _lines_figure(sweep: SweepResult, curve: Curve) -> Any:
    """One line per layer on one panel (colour by depth), the legend on the right."""
    def draw(fig: Any) -> None:
        from matplotlib import colormaps

        ax = fig.add_subplot()
        layers = sweep.layers
        values = sweep.curve(curve)
        x = _x(sweep)
        cmap = colormaps["viridis"]
        if curve.reference is not None:
            ax.axhspan(*curve.reference, color=PALETTE["random"], alpha=0.2, linewidth=0,
                       label="central 95% of null layers")
        for index, layer in enumerate(layers):
            colour = cmap(index / max(1, len(layers) - 1))
            ys = values[layer]
            ax.plot(x, [math.nan if v is None else v for v in ys], "o-", ms=3, color=colour,
                    label=f"layer {layer}")
        _ticks(ax, sweep)
        ax.set(title=f"{curve.label} across checkpoints", xlabel="checkpoint",
               ylabel=curve.label)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper",
                   ncol=max(1, math.ceil(len(layers) / 24)), fontsize=6)
    return draw


def curve_figure(sweep: SweepResult, curve: Curve) -> FigureSpec:
    """The figure of one curve: small multiples when it has a per-layer band, else one
    panel with a line per layer."""
    n = len(sweep.layers)
    if curve.band is not None:
        rows = math.ceil(n / min(4, max(n, 1)))
        return FigureSpec(f"curve_{curve.name}", f"{curve.label} per layer across the "
                          "checkpoints, with the iid null's central 95% band for one layer "
                          "of the same shape; circled: flagged after Holm across layers.",
                          _panel_figure(sweep, curve), (10.0, 1.9 * rows + 1.6))
    return FigureSpec(f"curve_{curve.name}", f"{curve.label} per layer across the "
                      "checkpoints.", _lines_figure(sweep, curve), (10.0, 4.6))


# -- document and folder ---------------------------------------------------------------------


def build_sweep_document(sweep: SweepResult, *, curves: Sequence[Curve] = DEFAULT_CURVES,
                         title: str = "topotheory audit sweep") -> Document:
    """The sweep as a :class:`~topotheory.render.document.Document`."""
    table = curve_columns(curves).table(
        "curves", _records(sweep, curves), max_rows=400,
        caption="Per checkpoint and layer (all rows in data/curves.csv)")
    checkpoints = ColumnSpec(tuple((name, Column((name,))) for name in
                                   ("position", "label", "path", "bytes", "sha256")))
    rows = [SimpleNamespace(position=c.position, label=c.label, path=c.path,
                            bytes=c.checkpoint.get("bytes"), sha256=c.checkpoint.get("sha256"))
            for c in sweep.checkpoints]
    settings = sweep.settings
    sections = [
        Section("checkpoints", "Checkpoints", (
            Paragraph(f"{len(sweep.checkpoints)} checkpoints of `{settings['model']}`, "
                      f"{len(sweep.layers)} layers, seed {settings['seed']}. "
                      + " ".join(_legend(sweep, curves))),
            checkpoints.table("checkpoints", rows, caption="Checkpoints in the sweep's order"),
            Bullets(tuple(_checkpoint_lines(sweep))),
        )),
        Section("curves", "Per-layer curves", (
            table, *(curve_figure(sweep, c) for c in curves))),
    ]
    if sweep.run:
        prov = {"model": settings["model"], "seed": settings["seed"], "run": sweep.run}
        sections.append(Section("provenance", "Provenance", (
            Bullets(tuple(provenance_lines(prov))),)))
    return Document(title, tuple(sections), {"settings": settings, "run": sweep.run})


def write_sweep_report(sweep: SweepResult, out: str | os.PathLike[str], *, force: bool = False,
                       curves: Sequence[Curve] = DEFAULT_CURVES) -> Path:
    """Write the sweep's report folder atomically (see the module docstring)."""
    from topotheory.nn.audit.report_folder import write_document_folder

    return write_document_folder(build_sweep_document(sweep, curves=curves), out, stem="sweep",
                                 data=sweep.to_dict(curves=curves), force=force)

