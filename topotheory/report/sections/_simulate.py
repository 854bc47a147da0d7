"""Shared helpers of the overlap sections: exact rationals as text, trained-layer points."""

from __future__ import annotations

from fractions import Fraction

from topotheory.report.context import Context
from topotheory.report.model import Missing

__all__ = ["frac", "trained_or_missing"]


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
    """Trained-layer overlap points, or a Missing block naming the extra when torch is absent."""
    from topotheory.report.sections import _trained

    return ctx.attempt("trained-network overlaps", lambda: _trained.trained_points(ctx))
