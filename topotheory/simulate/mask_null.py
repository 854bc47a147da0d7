"""A pruning mask's kept MST against random masks of the same sparsity, per layer and per run.

Per layer (:func:`random_mask_null`)
    A mask that keeps ``K`` of a layer's ``N`` units (edges of a dense layer, parameters of a
    convolution: :mod:`topotheory.topology.mst_preservation`) uniformly at random keeps
    ``X'`` of the ``T`` forest units, hypergeometric:
    ``P(X' = x) = C(T, x) C(N - T, K - x) / C(N, K)``. Mapping to
    :data:`scipy.stats.hypergeom` ``(M, n, N)``: ``M = N`` (population: all units),
    ``n = T`` (successes: the forest's units), ``N = K`` (draws: the kept units). The
    observed ``X`` is placed by its exact upper tail ``p_upper = P(X' >= X)``, its exact
    lower tail ``p_lower = P(X' <= X)`` (both include ``X``, so each is a valid p-value),
    and the upper mid-p ``P(X' > X) + P(X' = X) / 2`` (for display: not conservative);
    ``quantile = 1 - mid_p`` is where ``X`` sits in the null (0.5: a typical random mask).
    Computed in log space (scipy's ``logpmf`` over the support, then a running
    log-sum-exp) so tails far below the smallest double keep finite ``log10`` values.

Per run (:func:`run_preservation_verdict`)
    The claim "this run's pruning keeps more of the MST than random masks of the same
    sparsity", decided from every (level, layer) cell whose null is not degenerate. Rule:
    Holm's step-down over the ``2 m`` one-sided exact tests of the ``m`` informative cells
    (upper and lower tail of each) at family-wise level ``alpha`` (default
    :data:`~topotheory.simulate.stats.DEFAULT_ALPHA`). ``confirmed`` when some cell keeps
    significantly more than random and none significantly less; ``refuted`` when some keeps
    less and none more; ``inconclusive`` otherwise (no cell differs from random, or cells
    differ both ways): the project's decision
    :func:`topotheory.theory.decision.three_way_flags` on the two Holm flags. For a run whose masks are random given their kept counts, a
    ``confirmed`` or ``refuted`` verdict has probability at most ``alpha``, whatever the
    dependence between the levels (IMP masks are nested) and layers: Holm needs no
    independence, and exact tails that include ``X`` are valid p-values.

Examples
--------
>>> null = mask_null_position(n_units=100, forest_units=10, kept_units=20, kept_forest_units=8)
>>> null.mean, f"{null.p_upper:.2e}"
(2.0, '2.38e-05')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.errors import InputError, InputTypeError
from topotheory.result import Result
from topotheory.simulate.stats import DEFAULT_ALPHA
from topotheory.theory.decision import three_way_flags
from topotheory.topology.mst_preservation import MstPreservation

__all__ = [
    "CLAIM_ID",
    "CLAIM_STATEMENT",
    "RUN_RULE",
    "CurvePoint",
    "RandomMaskNull",
    "RunCell",
    "RunPreservationVerdict",
    "holm_adjust",
    "mask_null_position",
    "random_mask_null",
    "run_preservation_verdict",
]

#: The one spelling of the run-level claim.
CLAIM_ID = "mst-kept-vs-random"
CLAIM_STATEMENT = ("This run's pruning keeps more of the MST (the layers' maximum spanning "
                   "forests) than random masks of the same sparsity.")
#: Where the claim comes from (the project's sources: paper, reading, finding, user).
SOURCE = "user"
RUN_RULE = ("Holm step-down over {tests} one-sided exact hypergeometric tests (upper and lower "
            "tail of each of {cells} informative layer-levels) at family-wise level {alpha:g}: "
            "confirmed when some layer-level keeps more of the forest than random masks of the "
            "same kept count and none keeps less, refuted when some keeps less and none more, "
            "otherwise inconclusive; for masks random given their kept counts, a confirmed or "
            "refuted verdict has probability <= {alpha:g} (any dependence between levels)")
_LN10 = math.log(10.0)


def _count(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputTypeError(f"must be an int, got {type(value).__name__}", argument=name,
                             value=value, fix="pass a whole count")
    if value < 0:
        raise InputError("must be >= 0", argument=name, value=value, fix="pass a count >= 0")
    return int(value)


def _log_tails(n: int, t: int, k: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Support start and ``log P(X'=x)``, ``log P(X'>=x)``, ``log P(X'<=x)`` over it."""
    from scipy.stats import hypergeom

    lo, hi = max(0, k - (n - t)), min(t, k)
    support = np.arange(lo, hi + 1)
    logpmf = hypergeom.logpmf(support, n, t, k)  # scipy (M, n, N) = (N, T, K)
    upper = np.logaddexp.accumulate(logpmf[::-1])[::-1]
    lower = np.logaddexp.accumulate(logpmf)
    return lo, logpmf, np.minimum(upper, 0.0), np.minimum(lower, 0.0)


@dataclass(frozen=True, repr=False)
class RandomMaskNull(Result):
    """Where an observed kept count sits among random masks of the same kept count.

    Attributes
    ----------
    n_units, forest_units, kept_units : int
        ``N``, ``T``, ``K`` (scipy's ``M``, ``n``, ``N``).
    kept_forest_units : int
        The observed ``X``.
    mean : float
        ``E[X'] = T K / N``.
    p_upper, p_lower : float
        ``P(X' >= X)`` and ``P(X' <= X)``, exact (``0.0`` only on underflow: see the logs).
    log10_p_upper, log10_p_lower : float
        Their base-10 logs, always finite.
    mid_p : float
        ``P(X' > X) + P(X' = X) / 2``.
    support : tuple of int
        ``(max(0, K - N + T), min(T, K))``, the counts a random mask can keep.

    Examples
    --------
    >>> mask_null_position(n_units=10, forest_units=4, kept_units=5, kept_forest_units=2)
    RandomMaskNull(X=2 of T=4, K=5 of N=10: mean 2, p_upper=0.738, p_lower=0.738)
    """

    n_units: int
    forest_units: int
    kept_units: int
    kept_forest_units: int
    mean: float
    p_upper: float
    p_lower: float
    log10_p_upper: float
    log10_p_lower: float
    mid_p: float
    support: tuple[int, int]

    def __repr__(self) -> str:
        return (f"RandomMaskNull(X={self.kept_forest_units} of T={self.forest_units}, "
                f"K={self.kept_units} of N={self.n_units}: mean {self.mean:.3g}, "
                f"p_upper={self.p_upper:.3g}, p_lower={self.p_lower:.3g})")

    @property
    def informative(self) -> bool:
        """Whether random masks can keep different counts (else both tails are 1)."""
        return self.support[0] < self.support[1]

    @property
    def quantile(self) -> float:
        """Mid-distribution position of ``X``: ``P(X' < X) + P(X' = X) / 2 = 1 - mid_p``."""
        return 1.0 - self.mid_p

    def critical_count(self, level: float) -> int | None:
        """Smallest count ``x`` with ``P(X' >= x) <= level`` (None: no count is that rare).

        Examples
        --------
        >>> null = mask_null_position(n_units=100, forest_units=10, kept_units=20,
        ...                           kept_forest_units=2)
        >>> null.critical_count(0.01), null.critical_count(1e-12)
        (6, None)
        """
        if not 0 < level < 1:
            raise InputError("must lie in (0, 1)", argument="level", value=level,
                             fix="pass a significance level such as 0.001")
        lo, _, upper, _ = _log_tails(self.n_units, self.forest_units, self.kept_units)
        rare = np.flatnonzero(upper <= math.log(level))
        return int(lo + rare[0]) if rare.size else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (every value finite)."""
        return {
            "n_units": self.n_units, "forest_units": self.forest_units,
            "kept_units": self.kept_units, "kept_forest_units": self.kept_forest_units,
            "mean": self.mean, "p_upper": self.p_upper, "p_lower": self.p_lower,
            "log10_p_upper": self.log10_p_upper, "log10_p_lower": self.log10_p_lower,
            "mid_p": self.mid_p, "quantile": self.quantile, "support": list(self.support),
            "informative": self.informative,
        }


def mask_null_position(
    *, n_units: int, forest_units: int, kept_units: int, kept_forest_units: int
) -> RandomMaskNull:
    """Exact position of ``X`` kept forest units among uniformly random masks keeping ``K``.

    Parameters
    ----------
    n_units : int
        ``N``: units (edges or parameters) of the layer.
    forest_units : int
        ``T``: units of the dense layer's maximum spanning forest.
    kept_units : int
        ``K``: units the mask kept.
    kept_forest_units : int
        ``X``: forest units the mask kept.

    Returns
    -------
    RandomMaskNull

    Examples
    --------
    >>> null = mask_null_position(n_units=6, forest_units=4, kept_units=4, kept_forest_units=4)
    >>> round(null.p_upper * 15, 12)  # only 1 of the C(6, 4) = 15 masks keeps all 4
    1.0
    """
    n = _count(n_units, "n_units")
    t = _count(forest_units, "forest_units")
    k = _count(kept_units, "kept_units")
    x = _count(kept_forest_units, "kept_forest_units")
    if n < 1 or t > n or k > n:
        raise InputError(
            f"needs 1 <= n_units and forest_units, kept_units <= n_units; got N={n}, T={t}, "
            f"K={k}", argument="n_units", value=n, fix="pass the counts of one layer",
        )
    lo, logpmf, upper, lower = _log_tails(n, t, k)
    if not lo <= x <= lo + logpmf.size - 1:
        raise InputError(
            f"must lie in [{lo}, {lo + logpmf.size - 1}] for N={n}, T={t}, K={k} (a mask "
            f"keeping {k} units keeps that many forest units)",
            argument="kept_forest_units", value=x, fix="pass the counts of one mask",
        )
    i = x - lo
    strictly_above = float(np.exp(upper[i + 1])) if i + 1 < upper.size else 0.0
    return RandomMaskNull(
        n_units=n, forest_units=t, kept_units=k, kept_forest_units=x,
        mean=t * k / n,
        p_upper=float(np.exp(upper[i])), p_lower=float(np.exp(lower[i])),
        log10_p_upper=float(upper[i]) / _LN10, log10_p_lower=float(lower[i]) / _LN10,
        mid_p=min(1.0, strictly_above + 0.5 * float(np.exp(logpmf[i]))),
        support=(lo, lo + logpmf.size - 1),
    )


def random_mask_null(preservation: MstPreservation) -> RandomMaskNull:
    """:func:`mask_null_position` of one layer's :class:`MstPreservation`.

    Examples
    --------
    >>> from topotheory.topology.mst_preservation import mst_preservation
    >>> w = np.arange(1.0, 13.0).reshape(3, 4)
    >>> random_mask_null(mst_preservation(w, w > 6))
    RandomMaskNull(X=5 of T=6, K=6 of N=12: mean 3, p_upper=0.04, p_lower=0.999)
    """
    if not isinstance(preservation, MstPreservation):
        raise InputTypeError("must be an MstPreservation", argument="preservation",
                             value=type(preservation).__name__,
                             fix="pass mst_preservation(layer, mask)")
    p = preservation
    return mask_null_position(n_units=p.n_units, forest_units=p.forest_units,
                              kept_units=p.kept_units, kept_forest_units=p.kept_forest_units)


def holm_adjust(p_values: Any) -> np.ndarray:
    """Holm's step-down adjusted p-values (reject test ``i`` at level ``a`` iff ``adj[i] <= a``).

    ``adj_(j) = max_{i <= j} min(1, (M - i) p_(i))`` over the ascending order (0-based ``i``,
    ties broken by position); family-wise error ``<= a`` under any dependence.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p = np.asarray(p_values, dtype=np.float64).ravel()
    if not np.all((p >= 0) & (p <= 1)):
        raise InputError("must hold probabilities in [0, 1]", argument="p_values",
                         value=f"<{p.size} values>", fix="pass p-values")
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (p.size - np.arange(p.size)) * p[order])
    adjusted = np.empty_like(p)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted


@dataclass(frozen=True, repr=False)
class RunCell(Result):
    """One (level, layer) of a run: its preservation, null position and Holm decision.

    Attributes
    ----------
    level, layer : str
    preservation : MstPreservation
    null : RandomMaskNull
    p_upper_holm, p_lower_holm : float
        Holm-adjusted tails (1.0 for uninformative cells, which are not tested).
    flag : {"above", "below", "none", "uninformative"}
        The cell's outcome at the family-wise level.
    flag_count : int or None
        The smallest kept forest count Holm's first step flags on its own (upper tail at
        ``alpha / tests``): the design's reach for this cell; None when no count is rare
        enough (or the cell is uninformative).
    """

    level: str
    layer: str
    preservation: MstPreservation
    null: RandomMaskNull
    p_upper_holm: float
    p_lower_holm: float
    flag: str
    flag_count: int | None

    def __repr__(self) -> str:
        p = self.preservation
        return (f"RunCell({self.level}/{self.layer}: kept {p.kept_forest_units}/"
                f"{p.forest_units} at sparsity {p.sparsity:.1%}, random mean "
                f"{self.null.mean:.3g}, {self.flag})")

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict."""
        return {"level": self.level, "layer": self.layer, "flag": self.flag,
                "p_upper_holm": self.p_upper_holm, "p_lower_holm": self.p_lower_holm,
                "flag_count": self.flag_count,
                "preservation": self.preservation.to_dict(), "null": self.null.to_dict()}


@dataclass(frozen=True, repr=False)
class CurvePoint(Result):
    """One level of a layer's curve: MST kept fraction against sparsity.

    ``random_fraction`` is a random mask's expected kept fraction ``K / N``;
    ``timp_fraction`` T-IMP's at the same kept count, ``min(1, K / T)``.
    """

    level: str
    sparsity: float
    kept_fraction: float
    random_fraction: float
    timp_fraction: float
    p_upper: float


@dataclass(frozen=True, repr=False)
class RunPreservationVerdict(Result):
    """The run-level verdict on :data:`CLAIM_STATEMENT` (see the module docstring).

    Attributes
    ----------
    status : {"confirmed", "refuted", "inconclusive"}
    reason : str
        The evidence in one sentence.
    alpha : float
        Family-wise false-verdict rate.
    n_tests : int
        One-sided tests in Holm's family (two per informative cell).
    cells : tuple of RunCell
        In the order given (levels, then layers).
    """

    status: str
    reason: str
    alpha: float
    n_tests: int
    cells: tuple[RunCell, ...]

    def __repr__(self) -> str:
        return f"RunPreservationVerdict({self.status}: {self.reason})"

    @property
    def statement(self) -> str:
        return CLAIM_STATEMENT

    @property
    def source(self) -> str:
        return SOURCE

    @property
    def rule(self) -> str:
        return RUN_RULE.format(tests=self.n_tests, cells=self.n_tests // 2, alpha=self.alpha)

    def flagged(self, flag: str) -> tuple[RunCell, ...]:
        """The cells with ``flag`` (``"above"``, ``"below"``, ``"none"``, ``"uninformative"``)."""
        return tuple(c for c in self.cells if c.flag == flag)

    @property
    def layers(self) -> tuple[str, ...]:
        """Layer names, in first-seen order."""
        return tuple(dict.fromkeys(c.layer for c in self.cells))

    def curve(self, layer: str) -> tuple[CurvePoint, ...]:
        """The layer's MST kept fraction per level, with random masks and T-IMP beside it.

        Examples
        --------
        >>> from topotheory.topology.mst_preservation import mst_preservation
        >>> w = np.arange(1.0, 13.0).reshape(3, 4)
        >>> v = run_preservation_verdict({1: {"fc": mst_preservation(w, w > 6)}})
        >>> point = v.curve("fc")[0]
        >>> round(point.kept_fraction, 3), point.random_fraction, point.timp_fraction
        (0.833, 0.5, 1.0)
        """
        if layer not in self.layers:
            raise InputError("is not a layer of this run", argument="layer", value=layer,
                             fix=f"choose one of {list(self.layers)}")
        return tuple(
            CurvePoint(c.level, c.preservation.sparsity, c.preservation.kept_fraction,
                       c.preservation.density, c.preservation.timp_kept_fraction,
                       c.null.p_upper)
            for c in self.cells if c.layer == layer
        )

    def to_dict(self) -> dict[str, Any]:
        """A verdict row (id, source, status, statement, evidence, counterexample); JSON-safe.

        ``counterexample`` is the layer-level furthest below random when refuted.
        """
        below = sorted(self.flagged("below"), key=lambda c: c.null.log10_p_lower)
        return {
            "id": CLAIM_ID,
            "source": SOURCE,
            "status": self.status,
            "statement": CLAIM_STATEMENT,
            "evidence": {
                "rule": self.rule,
                "reason": self.reason,
                "family_alpha": self.alpha,
                "tests": self.n_tests,
                "layer_levels": len(self.cells),
                "above": len(self.flagged("above")),
                "below": len(self.flagged("below")),
                "uninformative": len(self.flagged("uninformative")),
                "cells": [c.to_dict() for c in self.cells],
            },
            "counterexample": below[0].to_dict() if self.status == "refuted" else None,
        }


def _cells_in(levels: Any) -> list[tuple[str, str, MstPreservation]]:
    if not isinstance(levels, Mapping) or not levels:
        raise InputTypeError(
            "must be a non-empty mapping {level: {layer: MstPreservation}}", argument="levels",
            value=type(levels).__name__, fix="pass e.g. {1: {'fc1': mst_preservation(w, mask)}}",
        )
    seen: dict[str, tuple[str, MstPreservation]] = {}
    out = []
    for level, layers in levels.items():
        if not isinstance(layers, Mapping) or not layers:
            raise InputTypeError("must map layer names to MstPreservation results",
                                 argument=f"levels[{level!r}]", value=type(layers).__name__,
                                 fix="pass {layer: mst_preservation(weights, mask)}")
        for layer, result in layers.items():
            if not isinstance(result, MstPreservation):
                raise InputTypeError("must be an MstPreservation",
                                     argument=f"levels[{level!r}][{layer!r}]",
                                     value=type(result).__name__,
                                     fix="pass mst_preservation(weights, mask)")
            first = seen.setdefault(str(layer), (str(level), result))
            ref = first[1]
            if (ref.unit, ref.n_units, ref.forest_units, ref.dense) != (
                result.unit, result.n_units, result.forest_units, result.dense
            ):
                raise InputError(
                    f"has a different dense reference than at level {first[0]!r} "
                    f"(N={result.n_units}, T={result.forest_units} vs N={ref.n_units}, "
                    f"T={ref.forest_units})",
                    argument=f"levels[{level!r}][{layer!r}]", value=repr(result),
                    fix="compute every level of a layer against the same dense reference",
                )
            out.append((str(level), str(layer), result))
    return out


def run_preservation_verdict(
    levels: Mapping[Any, Mapping[str, MstPreservation]], *, alpha: float = DEFAULT_ALPHA
) -> RunPreservationVerdict:
    """Decide whether a run's pruning keeps more of the MST than random masks (module docstring).

    Parameters
    ----------
    levels : mapping
        ``{level: {layer: MstPreservation}}``, levels in the run's order (increasing
        sparsity for IMP); every level of a layer measured against the same dense reference.
    alpha : float
        Family-wise false-verdict rate, in ``(0, 1)``.

    Returns
    -------
    RunPreservationVerdict

    Examples
    --------
    >>> from topotheory.topology import topk_indices
    >>> from topotheory.topology.mst_preservation import mst_preservation
    >>> w = np.random.default_rng(0).normal(size=(20, 30))
    >>> def top(k):
    ...     mask = np.zeros(w.size, dtype=bool)
    ...     mask[topk_indices(w, k)] = True
    ...     return mask.reshape(w.shape)
    >>> run_preservation_verdict({1: {"fc": mst_preservation(w, top(300))},
    ...                           2: {"fc": mst_preservation(w, top(150))}}).status
    'confirmed'
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InputError("must lie in (0, 1)", argument="alpha", value=alpha,
                         fix="pass a family-wise false-verdict rate such as 0.001")
    raw = _cells_in(levels)
    nulls = [random_mask_null(p) for _, _, p in raw]
    tested = [i for i, null in enumerate(nulls) if null.informative]
    adjusted = holm_adjust([nulls[i].p_upper for i in tested] + [nulls[i].p_lower for i in tested])
    upper_adj = dict(zip(tested, adjusted[: len(tested)].tolist(), strict=True))
    lower_adj = dict(zip(tested, adjusted[len(tested):].tolist(), strict=True))
    cells = []
    for i, ((level, layer, pres), null) in enumerate(zip(raw, nulls, strict=True)):
        up, low = upper_adj.get(i, 1.0), lower_adj.get(i, 1.0)
        flag = ("uninformative" if i not in upper_adj else "above" if up <= alpha
                else "below" if low <= alpha else "none")
        reach = null.critical_count(alpha / (2 * len(tested))) if i in upper_adj else None
        cells.append(RunCell(level, layer, pres, null, up, low, flag, reach))
    above = [c for c in cells if c.flag == "above"]
    below = [c for c in cells if c.flag == "below"]
    status = three_way_flags(above=bool(above), below=bool(below))
    return RunPreservationVerdict(status, _reason(status, cells, above, below, alpha),
                                  float(alpha), 2 * len(tested), tuple(cells))


def _reason(status: str, cells: list[RunCell], above: list[RunCell], below: list[RunCell],
            alpha: float) -> str:
    m = sum(c.flag != "uninformative" for c in cells)
    if m == 0:
        return ("no informative layer-level: every mask keeps all units, none, or a count "
                "every random mask matches")
    where = f"at family-wise rate {alpha:g} (Holm, {2 * m} exact one-sided tests)"
    if status == "confirmed":
        best = min(above, key=lambda c: c.null.log10_p_upper)
        return (f"{len(above)} of {m} layer-levels keep more of the forest than random masks of "
                f"the same sparsity {where}, none keeps less; strongest: {best.level}/"
                f"{best.layer} keeps {best.preservation.kept_fraction:.1%} of the forest vs "
                f"{best.preservation.density:.1%} expected (log10 p = "
                f"{best.null.log10_p_upper:.1f})")
    if status == "refuted":
        worst = min(below, key=lambda c: c.null.log10_p_lower)
        return (f"{len(below)} of {m} layer-levels keep less of the forest than random masks "
                f"of the same sparsity {where}, none keeps more; strongest: {worst.level}/"
                f"{worst.layer} keeps {worst.preservation.kept_fraction:.1%} vs "
                f"{worst.preservation.density:.1%} expected")
    if above and below:
        return (f"mixed: {len(above)} of {m} layer-levels keep more of the forest than random "
                f"masks and {len(below)} keep less {where}")
    return (f"no layer-level differs from random masks of the same sparsity {where}: the "
            "kept fractions are consistent with random masks")
