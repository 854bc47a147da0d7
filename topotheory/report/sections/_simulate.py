"""Shared helpers of the overlap sections: exact rationals as text, trained-layer points,
the bound and Monte Carlo curves of the overlap figures."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from topotheory.render.blocks import Missing
from topotheory.render.figures import PALETTE
from topotheory.report.context import Context

__all__ = [
    "frac",
    "plot_bound_variants",
    "plot_mc_interval",
    "plot_trained_points",
    "trained_or_missing",
]


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


def plot_bound_variants(ax: Any, x: Sequence[float], rows: Sequence[dict], *,
                        labels: tuple[str, str]) -> None:
    """Draw the two bound readings (``bound_nm`` solid, ``bound_nm_minus_i_plus_1`` dashed).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> rows = [{"bound_nm": 0.5, "bound_nm_minus_i_plus_1": 0.6}]
    >>> plot_bound_variants(ax, [1], rows, labels=("a", "b"))
    >>> len(ax.lines)
    2
    """
    for key, style, color, label in zip(
        ("bound_nm", "bound_nm_minus_i_plus_1"), ("-", "--"), ("bound", "bound_alt"), labels,
        strict=True,
    ):
        ax.plot(x, [r[key] for r in rows], style, color=PALETTE[color], label=label)


def plot_mc_interval(ax: Any, x: Sequence[float], rows: Sequence[dict], *, label: str) -> None:
    """Draw the Monte Carlo means (``mc_mean``) with their intervals as error bars.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_mc_interval(ax, [1], [{"mc_mean": 0.5, "mc_ci_low": 0.4, "mc_ci_high": 0.6}],
    ...                  label="mc")
    >>> len(ax.containers)
    1
    """
    ax.errorbar(
        x,
        [r["mc_mean"] for r in rows],
        yerr=[
            [r["mc_mean"] - r["mc_ci_low"] for r in rows],
            [r["mc_ci_high"] - r["mc_mean"] for r in rows],
        ],
        fmt="o",
        ms=4,
        capsize=2,
        color=PALETTE["mc"],
        label=label,
    )


def plot_trained_points(ax: Any, x: Sequence[float], mean: Sequence[float],
                        sd: Sequence[float], *, label: str) -> None:
    """Draw trained-layer overlaps (mean with sd error bars) as stars.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> plot_trained_points(ax, [10], [0.6], [0.05], label="trained")
    >>> len(ax.containers)
    1
    """
    ax.errorbar(x, mean, yerr=sd, fmt="*", ms=10, color=PALETTE["trained"], label=label)
