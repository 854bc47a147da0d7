"""Deterministic PNG/SVG rendering of :class:`~topotheory.render.blocks.FigureSpec` (Agg).

matplotlib is imported here only, lazily, and without pyplot (no global state, no GUI
backend): each figure is a ``matplotlib.figure.Figure`` on an Agg canvas.  Output is
byte-stable: PNG at 150 dpi with ``metadata={"Software": None}`` (no version or time
stamp), SVG with ``metadata={"Date": None, "Creator": None}`` and a fixed
``svg.hashsalt`` (the ids of clip paths and glyphs are derived from it, not from a random
salt), so the same data give the same bytes.

:func:`figure_problems` is the house style as a check, run on every figure by the tests:
a title on every panel, both axis labels (a shared axis may be labelled once), at least
one legend, and no legend covering plotted data.

Examples
--------
>>> from topotheory.render.blocks import FigureSpec
>>> def draw(fig):
...     ax = fig.add_subplot()
...     ax.plot([0, 1], [0, 1], label="y = x")
...     ax.set(title="demo", xlabel="x (units)", ylabel="y (units)")
...     fig.legend(loc="outside lower center")
>>> spec = FigureSpec("x", "demo", draw)
>>> render_figure(spec, "png")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
>>> render_figure(spec, "svg") == render_figure(spec, "svg")
True
>>> figure_problems(draw_figure(spec))
[]
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from topotheory.render.blocks import FigureSpec

__all__ = [
    "DPI",
    "FORMATS",
    "PALETTE",
    "STYLE",
    "check_formats",
    "draw_figure",
    "figure_problems",
    "render_figure",
    "render_png",
]

#: Output formats :func:`render_figure` writes.
FORMATS: tuple[str, ...] = ("png", "svg")

#: Resolution of the PNG figures (a 9-inch figure is 1,350 px wide).
DPI = 150

#: Colours used consistently across figures (colour-blind safe, Okabe-Ito).
PALETTE: dict[str, str] = {
    "bound": "#0072B2",
    "bound_alt": "#56B4E9",
    "exact": "#000000",
    "mc": "#E69F00",
    "worst": "#D55E00",
    "trained": "#009E73",
    "null": "#CC79A7",
    "random": "#999999",
    "imp": "#E69F00",
    "timp": "#009E73",
}

#: rcParams applied to every figure (fixed fonts and sizes: stable across runs).
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "path.simplify": False,
    "svg.hashsalt": "topotheory",
    "svg.fonttype": "path",
}

_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """Validate a figure-format list (e.g. ``("png", "svg")``); returns it as a tuple.

    Examples
    --------
    >>> check_formats(["png", "svg"])
    ('png', 'svg')
    >>> check_formats(["pdf"])
    Traceback (most recent call last):
    ...
    ValueError: formats=['pdf']: unknown figure format 'pdf'; choose from png, svg (e.g. formats=('png', 'svg'))
    """
    if isinstance(formats, str) or not formats:
        raise ValueError(f"formats={formats!r} must be a non-empty sequence such as ('png', 'svg')")
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(
                f"formats={list(formats)!r}: unknown figure format {fmt!r}; choose from "
                f"{', '.join(FORMATS)} (e.g. formats=('png', 'svg'))"
            )
    return tuple(dict.fromkeys(formats))


def draw_figure(spec: FigureSpec) -> Any:
    """A fresh ``matplotlib.figure.Figure`` (Agg canvas) with ``spec`` drawn, laid out."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=spec.size, layout="constrained")
        FigureCanvasAgg(fig)
        spec.draw(fig)
        fig.canvas.draw()  # run the layout engine: legend and axes positions are final
    return fig


def render_figure(spec: FigureSpec, fmt: str = "png") -> bytes:
    """Draw ``spec`` on a fresh Agg figure and return the bytes of one format."""
    import matplotlib

    check_formats([fmt])
    with matplotlib.rc_context(STYLE):
        fig = draw_figure(spec)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=_METADATA[fmt])
    return buf.getvalue()


def render_png(spec: FigureSpec) -> bytes:
    """Draw ``spec`` and return the PNG bytes (:func:`render_figure` with ``"png"``)."""
    return render_figure(spec, "png")


# -- the house style as a check -------------------------------------------------------------


def _data_points(ax: Any) -> Any:
    """Display coordinates of what ``ax`` plots: line vertices (densely sampled along
    segments), markers, scatter/errorbar points, bar rectangles' corners and centres."""
    import numpy as np
    from matplotlib.collections import Collection
    from matplotlib.patches import Rectangle

    pts: list[Any] = []
    for line in ax.get_lines():
        if not line.get_visible() or line.get_label() == "_nolegend_grid":
            continue
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if 1 < len(xy) <= 2000 and line.get_linestyle() not in ("None", "none", ""):
            t = np.linspace(0, 1, 40)[:, None]
            xy = np.concatenate([a + t * (b - a) for a, b in zip(xy[:-1], xy[1:], strict=True)])
        pts.append(xy)
    for coll in ax.collections:
        if not isinstance(coll, Collection) or not coll.get_visible():
            continue
        offsets = coll.get_offsets()
        if len(offsets) and coll.get_offset_transform() is not None:
            pts.append(coll.get_offset_transform().transform(np.asarray(offsets, float)))
        for path in coll.get_paths():
            verts = coll.get_transform().transform(path.vertices)
            if 1 < len(verts) <= 2000:
                t = np.linspace(0, 1, 20)[:, None]
                verts = np.concatenate(
                    [a + t * (b - a) for a, b in zip(verts[:-1], verts[1:], strict=True)]
                )
            pts.append(verts)
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible():
            box = patch.get_window_extent()
            xs = np.linspace(box.x0, box.x1, 7)
            ys = np.linspace(box.y0, box.y1, 7)
            pts.append(np.array([(x, y) for x in xs for y in ys]))
    if not pts:
        return np.zeros((0, 2))
    xy = np.concatenate(pts)
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    box = ax.get_window_extent()  # only what is visible inside the axes can be covered
    inside = (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1) & (xy[:, 1] >= box.y0)
    return xy[inside & (xy[:, 1] <= box.y1)]


def _labelled(ax: Any, axis: str) -> bool:
    label = ax.get_xlabel() if axis == "x" else ax.get_ylabel()
    if label:
        return True
    shared = ax.get_shared_x_axes() if axis == "x" else ax.get_shared_y_axes()
    return any(
        (other.get_xlabel() if axis == "x" else other.get_ylabel())
        for other in shared.get_siblings(ax)
        if other is not ax
    )


def figure_problems(fig: Any) -> list[str]:
    """What breaks the house style in a drawn figure (empty list: nothing).

    Checks every panel (axes with something plotted) for a title (or a figure title),
    x and y labels (an axis shared with a labelled panel counts as labelled, as does a
    figure-level ``supxlabel``/``supylabel``), that the figure has at least one legend,
    and that no legend's box covers a plotted point, line or bar (display coordinates,
    after layout).
    """
    import numpy as np

    fig.canvas.draw()
    problems: list[str] = []
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    supx = fig._supxlabel.get_text() if fig._supxlabel is not None else ""
    supy = fig._supylabel.get_text() if fig._supylabel is not None else ""
    panels = [ax for ax in fig.axes if ax.has_data()]
    if not panels:
        return ["no panel plots any data"]
    for i, ax in enumerate(panels):
        name = f"panel {i} ({ax.get_title() or 'untitled'})"
        if not (ax.get_title() or suptitle):
            problems.append(f"{name}: no title")
        if not (_labelled(ax, "x") or supx):
            problems.append(f"{name}: no x label")
        if not (_labelled(ax, "y") or supy):
            problems.append(f"{name}: no y label")
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    legends += list(fig.legends)
    if not legends:
        problems.append("no legend")
    renderer = fig.canvas.get_renderer()
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for i, ax in enumerate(panels):
            xy = _data_points(ax)
            inside = (
                (xy[:, 0] > box.x0)
                & (xy[:, 0] < box.x1)
                & (xy[:, 1] > box.y0)
                & (xy[:, 1] < box.y1)
            )
            if np.any(inside):
                problems.append(
                    f"a legend covers {int(inside.sum())} plotted points of panel {i} "
                    f"({ax.get_title() or 'untitled'})"
                )
    return problems
