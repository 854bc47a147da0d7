"""Access to ``topotheory.simulate`` for the overlap sections (Unavailable until merged)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from topotheory.report.context import Context, require
from topotheory.report.model import Missing

__all__ = ["SIM_ISSUE", "frac", "simulate", "trained_or_missing"]

SIM_ISSUE = "issue 4: overlap bounds and random-overlap laws"


def simulate(*attrs: str) -> Any:
    """The ``topotheory.simulate`` package, checked for ``attrs``."""
    return require("topotheory.simulate", *attrs, issue=SIM_ISSUE)


def frac(value: Fraction | None) -> str | None:
    """An exact rational as text (``"13/14"``), for the data files.

    Examples
    --------
    >>> frac(Fraction(13, 14)), frac(None)
    ('13/14', None)
    """
    return None if value is None else str(value)


def trained_or_missing(
    ctx: Context,
) -> dict[tuple[int, int], list[tuple[float, float, float]]] | Missing:
    """Trained-layer overlap points, or a Missing block when ``topotheory.nn`` is absent."""
    from topotheory.report.sections import _trained

    return ctx.attempt("trained-network overlaps", lambda: _trained.trained_points(ctx))
