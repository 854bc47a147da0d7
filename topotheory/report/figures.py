"""Deterministic PNG rendering of :class:`~topotheory.report.model.FigureSpec` (Agg).

matplotlib is imported here only, lazily, and without pyplot (no global state, no GUI
backend): each figure is a ``matplotlib.figure.Figure`` on an Agg canvas, saved with
``metadata={"Software": None}`` so the PNG carries no version or time stamp and the same
data give the same bytes.

Examples
--------
>>> from topotheory.report.model import FigureSpec
>>> png = render_png(FigureSpec("x", "demo", lambda fig: fig.add_subplot().plot([0, 1])))
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
from typing import Any

from topotheory.report.model import FigureSpec

__all__ = ["PALETTE", "STYLE", "render_png"]

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
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
    "svg.hashsalt": "topotheory",
}


def render_png(spec: FigureSpec) -> bytes:
    """Draw ``spec`` on a fresh Agg figure and return the PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=spec.size, layout="constrained")
        FigureCanvasAgg(fig)
        spec.draw(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
