"""Where one layer's overlap sits in the null law of a layer of the same shape, and which
layers differ from it once every layer of the model is tested.

The statistic is the overlap COUNT ``x = |top-k ∩ MSF|`` (``X = x / k``). Its null law is

* **iid** (:class:`NullLaw` from :func:`iid_law_exact` or :func:`iid_law_draws`): the same
  graph with iid continuous weights; exact where topotheory enumerates it
  (:func:`topotheory.simulate.exact_overlap_distribution`, small dense layers; a side of 1
  is a point mass), otherwise ``B`` Monte Carlo draws of the count (``B`` is stated);
* **hypergeometric** (:func:`hypergeometric_position`): two independent uniform k-subsets of
  the ``|E|`` edges, exact (:data:`scipy.stats.hypergeom`, ``M = |E|``, ``n = N = k``).

Definitions (:class:`NullPosition`), ``T`` a draw of the null count:

* ``p_upper = P(T >= x)``, ``p_lower = P(T <= x)`` for an exact law; for ``B`` draws
  ``(1 + #{T_b >= x}) / (1 + B)`` and ``(1 + #{T_b <= x}) / (1 + B)`` (both tails include
  ``x``, so each is a valid, conservative p-value; the Monte Carlo form counts the observed
  layer as one of the draws and is never 0: its smallest value is ``1 / (1 + B)``);
* two-sided ``p_value = min(1, 2 min(p_upper, p_lower))`` (conservative);
* ``quantile = P(T < x) + P(T = x) / 2`` (the mid-quantile, for display: 0.5 is a typical
  null layer; over draws ``(#{T_b < x} + #{T_b = x} / 2) / B``);
* the null's central band: the ``band`` (default 95%) central interval of ``X`` for ONE
  layer of this shape (its quantiles ``(1 - band)/2`` and ``(1 + band)/2``), i.e. the
  spread of the statistic, not the uncertainty of the null's mean.

Across layers (:func:`holm_verdicts`): Holm's step-down
(:func:`topotheory.simulate.mask_null.holm_adjust`) over the two-sided p-values of the
layers that have one, at family-wise level ``alpha`` (default :data:`DEFAULT_ALPHA`).
Holm, not Benjamini-Hochberg, because the layers of one trained network are dependent in
unknown ways (shared training signal, nested IMP masks): Holm controls the probability of
flagging ANY layer that is in fact null-like under arbitrary dependence, whereas
Benjamini-Hochberg's false-discovery guarantee needs positive dependence, which two-sided
p-values need not have; with tens of layers the loss of power against BH is small, and the
run-level verdict of :mod:`topotheory.simulate.mask_null` uses the same rule. A layer is
``"above"`` / ``"below"`` when its Holm-adjusted p-value is ``<= alpha`` (the side of its
smaller tail), ``"typical"`` otherwise; with ``B`` draws and ``m`` layers tested, no layer
can be flagged unless ``2 m / (1 + B) <= alpha`` (:attr:`NullPosition.min_p`).

Examples
--------
>>> from fractions import Fraction
>>> law = iid_law_exact({4: Fraction(5, 14), 5: Fraction(9, 14)}, k=5)
>>> pos = law.position(4)
>>> round(pos.p_lower, 4), round(pos.quantile, 4), round(pos.p_value, 4)
(0.3571, 0.1786, 0.7143)
>>> law.band_fractions(0.95)
(0.8, 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from topotheory.result import Result
from topotheory.simulate.mask_null import holm_adjust

__all__ = [
    "DEFAULT_ALPHA",
    "NULL_BAND",
    "VERDICTS",
    "NullLaw",
    "NullPosition",
    "NullVerdict",
    "holm_verdicts",
    "hypergeometric_position",
    "iid_law_draws",
    "iid_law_exact",
]

#: Family-wise level of the per-layer verdict (Holm across the layers of one model).
DEFAULT_ALPHA = 0.05
#: Probability mass of the null's central band shown per layer (one layer, uncorrected).
NULL_BAND = 0.95
#: The per-layer outcomes.
VERDICTS = ("above", "below", "typical", "untested")
_LN10 = math.log(10.0)


@dataclass(frozen=True, repr=False)
class NullPosition(Result):
    """Where one layer's overlap count sits in one null law (see the module docstring).

    Attributes
    ----------
    quantile : float
        Mid-quantile ``P(T < x) + P(T = x) / 2``.
    p_upper, p_lower : float
        One-sided p-values ``P(T >= x)``, ``P(T <= x)`` (Monte Carlo: ``(1 + #) / (1 + B)``).
    p_value : float
        Two-sided ``min(1, 2 min(p_upper, p_lower))``.
    log10_p_value : float or None
        Its base-10 log (finite where ``p_value`` underflows to a float 0; None only when
        the p-value is 0 exactly).
    law : str
        ``"exact"`` or ``"monte-carlo"``.
    draws : int
        ``B`` (0 for an exact law).
    min_p : float
        The smallest two-sided p-value this law can give (``2 / (1 + B)``; exact: 0).
    p_holm : float or None
        Holm-adjusted ``p_value`` across the model's layers (None before adjustment).
    verdict : str
        ``"above"``, ``"below"``, ``"typical"`` (set by :func:`holm_verdicts`), or
        ``"untested"`` before it.
    """

    quantile: float
    p_upper: float
    p_lower: float
    p_value: float
    log10_p_value: float | None
    law: str
    draws: int
    min_p: float
    p_holm: float | None = None
    verdict: str = "untested"

    def cell(self) -> str:
        """Terminal text of the position: ``q=0.27 p=0.54`` (``p<1e-300`` when tiny).

        Examples
        --------
        >>> NullPosition(0.27, 0.9, 0.27, 0.54, math.log10(0.54), "exact", 0, 0.0).cell()
        'q=0.27 p=0.54'
        """
        text = f"q={self.quantile:.2f} p={p_text(self.p_value, self.log10_p_value)}"
        return text + (f" {self.verdict.upper()}" if self.verdict in ("above", "below") else "")


def p_text(p: float, log10_p: float | None) -> str:
    """A p-value in two significant digits (``1e-1235`` below the float range; ``0``
    when exactly 0).

    Examples
    --------
    >>> p_text(0.54, math.log10(0.54)), p_text(2.4e-5, math.log10(2.4e-5)), p_text(0.0, -1234.5)
    ('0.54', '2.4e-05', '1e-1235')
    """
    if p > 0 or log10_p is None:
        return f"{p:.2g}"
    return f"1e{math.floor(log10_p)}"


@dataclass(frozen=True, eq=False, repr=False)
class NullLaw(Result):
    """The null law of the overlap count of one layer shape: support and probabilities
    (exact), or the distinct counts of ``B`` draws and their frequencies.

    Attributes
    ----------
    support : numpy.ndarray
        Counts with non-zero mass, ascending (int64).
    mass : numpy.ndarray
        Their probabilities (exact) or draw counts (Monte Carlo), same length.
    k : int
        The top-k size (``X = count / k``).
    draws : int
        ``B`` (0: exact).
    """

    support: np.ndarray
    mass: np.ndarray
    k: int
    draws: int

    @property
    def law(self) -> str:
        """``"exact"`` or ``"monte-carlo"``."""
        return "exact" if self.draws == 0 else "monte-carlo"

    def _probabilities(self) -> np.ndarray:
        return self.mass / self.mass.sum() if self.draws else self.mass

    @property
    def mean_fraction(self) -> float:
        """``E[X]`` (of the draws for Monte Carlo)."""
        return float(np.dot(self._probabilities(), self.support)) / self.k if self.k else 1.0

    @property
    def sd_fraction(self) -> float:
        """Standard deviation of ``X`` for one layer (of the draws, ``ddof=1``, for
        Monte Carlo)."""
        if not self.k:
            return 0.0
        p = self._probabilities()
        mean = float(np.dot(p, self.support))
        var = float(np.dot(p, (self.support - mean) ** 2))
        if self.draws > 1:
            var *= self.draws / (self.draws - 1)
        return math.sqrt(max(var, 0.0)) / self.k

    def band_fractions(self, band: float = NULL_BAND) -> tuple[float, float]:
        """The central ``band`` interval of ``X``: the smallest counts whose cumulative
        probability reaches ``(1 - band) / 2`` and ``(1 + band) / 2``, divided by ``k``."""
        if not self.k:
            return 1.0, 1.0
        cdf = np.cumsum(self._probabilities())
        low = self.support[min(int(np.searchsorted(cdf, (1 - band) / 2 - 1e-12)),
                               cdf.size - 1)]
        high = self.support[min(int(np.searchsorted(cdf, (1 + band) / 2 - 1e-12)),
                                cdf.size - 1)]
        return float(low) / self.k, float(high) / self.k

    def position(self, count: int) -> NullPosition:
        """Where the observed ``count`` sits in this law (see the module docstring)."""
        s, m = self.support, self.mass
        above = float(m[s >= count].sum())
        below = float(m[s <= count].sum())
        equal = float(m[s == count].sum())
        if self.draws:
            b = self.draws
            p_upper, p_lower = (1 + above) / (1 + b), (1 + below) / (1 + b)
            quantile = (below - equal / 2) / b
            min_p = min(1.0, 2 / (1 + b))
        else:
            p_upper, p_lower = min(1.0, above), min(1.0, below)
            quantile = below - equal / 2
            min_p = 0.0
        p = min(1.0, 2 * min(p_upper, p_lower))
        return NullPosition(quantile=min(max(quantile, 0.0), 1.0), p_upper=p_upper,
                            p_lower=p_lower, p_value=p,
                            log10_p_value=math.log10(p) if p > 0 else None,
                            law=self.law, draws=self.draws, min_p=min_p)


def iid_law_exact(law: Mapping[int, Fraction | float], *, k: int) -> NullLaw:
    """An exact law ``{count: probability}`` (e.g. from exact counting) as a :class:`NullLaw`.

    Examples
    --------
    >>> iid_law_exact({3: 1.0}, k=3).position(3).p_value
    1.0
    """
    support = np.array(sorted(law), dtype=np.int64)
    mass = np.array([float(law[c]) for c in sorted(law)])
    return NullLaw(support, mass, int(k), 0)


def iid_law_draws(counts: np.ndarray, *, k: int) -> NullLaw:
    """``B`` Monte Carlo draws of the count as a :class:`NullLaw`.

    Examples
    --------
    >>> law = iid_law_draws(np.array([3, 4, 4, 5]), k=5)
    >>> law.draws, law.position(5).p_upper
    (4, 0.4)
    """
    counts = np.asarray(counts, dtype=np.int64).ravel()
    if counts.size == 0:
        raise ValueError("counts must hold at least one Monte Carlo draw")
    support, mass = np.unique(counts, return_counts=True)
    return NullLaw(support, mass.astype(np.float64), int(k), int(counts.size))


def hypergeometric_position(n_edges: int, k: int, count: int) -> NullPosition:
    """Exact position of ``count`` in the hypergeometric law (``M = n_edges``, ``n = N = k``).

    Tails from scipy's ``logsf``/``logcdf`` (log space: a trained layer is often hundreds
    of orders of magnitude into the upper tail; ``log10_p_value`` stays finite).

    Examples
    --------
    >>> pos = hypergeometric_position(100, 10, 1)
    >>> round(pos.quantile, 3), round(pos.p_value, 3)
    (0.534, 1.0)
    """
    from scipy.stats import hypergeom

    if not 0 <= count <= k <= n_edges or n_edges < 1:
        raise ValueError(f"need 0 <= count <= k <= n_edges, got count={count}, k={k}, "
                         f"n_edges={n_edges}")
    log_upper = float(hypergeom.logsf(count - 1, n_edges, k, k))
    log_lower = float(hypergeom.logcdf(count, n_edges, k, k))
    log_equal = float(hypergeom.logpmf(count, n_edges, k, k))
    p_upper, p_lower = math.exp(min(log_upper, 0.0)), math.exp(min(log_lower, 0.0))
    quantile = p_lower - math.exp(log_equal) / 2
    log_p = min(0.0, math.log(2) + min(log_upper, log_lower)) / _LN10
    return NullPosition(quantile=min(max(quantile, 0.0), 1.0), p_upper=p_upper,
                        p_lower=p_lower, p_value=min(1.0, 10 ** log_p),
                        log10_p_value=log_p if math.isfinite(log_p) else None, law="exact", draws=0, min_p=0.0)


@dataclass(frozen=True, repr=False)
class NullVerdict(Result):
    """The model-level reading of one null: which layers differ from it after Holm.

    Attributes
    ----------
    null : str
        ``"iid"`` or ``"hypergeometric"``.
    alpha : float
        Family-wise level.
    correction : str
        The rule, in words.
    tested, above, below : tuple of str
        Names of the layers tested and of those flagged on each side.
    untested : tuple of str
        Layers without a p-value (their null was skipped; see their reasons).
    """

    null: str
    alpha: float
    correction: str
    tested: tuple[str, ...]
    above: tuple[str, ...]
    below: tuple[str, ...]
    untested: tuple[str, ...]

    def sentence(self) -> str:
        """One line for the terminal and the report.

        Examples
        --------
        >>> NullVerdict("iid", 0.05, "Holm", ("a", "b"), ("a",), (), ()).sentence()
        'iid null: 1 of 2 layers differ at family-wise level 0.05 (Holm over 2 two-sided tests): above a'
        """
        flagged = len(self.above) + len(self.below)
        text = (f"{self.null} null: {flagged} of {len(self.tested)} layers differ at "
                f"family-wise level {self.alpha:g} (Holm over {len(self.tested)} two-sided "
                "tests)")
        parts = [f"{side} {', '.join(names)}" for side, names in
                 (("above", self.above), ("below", self.below)) if names]
        if parts:
            text += ": " + "; ".join(parts)
        if self.untested:
            text += f"; {len(self.untested)} without a null (not tested)"
        return text


CORRECTION = ("Holm step-down over the layers' two-sided p-values (family-wise error <= alpha "
              "under any dependence between layers)")


def holm_verdicts(
    names: Sequence[str], positions: Sequence[NullPosition | None], *, null: str,
    alpha: float = DEFAULT_ALPHA,
) -> tuple[list[NullPosition | None], NullVerdict]:
    """Holm-adjust the layers' two-sided p-values and flag them at family-wise ``alpha``.

    Returns the positions with ``p_holm``/``verdict`` filled (None stays None) and the
    model-level :class:`NullVerdict`.

    Examples
    --------
    >>> tiny = NullPosition(1.0, 1e-4, 1.0, 2e-4, math.log10(2e-4), "exact", 0, 0.0)
    >>> mid = NullPosition(0.5, 0.5, 0.5, 1.0, 0.0, "exact", 0, 0.0)
    >>> out, v = holm_verdicts(["a", "b", "c"], [tiny, mid, None], null="iid")
    >>> [p.verdict for p in out[:2]], v.above, v.untested
    (['above', 'typical'], ('a',), ('c',))
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha!r}")
    index = [i for i, p in enumerate(positions) if p is not None]
    adjusted = holm_adjust([positions[i].p_value for i in index]) if index else np.zeros(0)
    out: list[NullPosition | None] = list(positions)
    above, below = [], []
    for i, adj in zip(index, adjusted, strict=True):
        p = positions[i]
        verdict = "typical"
        if adj <= alpha:
            verdict = "above" if p.p_upper <= p.p_lower else "below"
            (above if verdict == "above" else below).append(names[i])
        out[i] = replace(p, p_holm=float(adj), verdict=verdict)
    untested = tuple(names[i] for i, p in enumerate(positions) if p is None)
    return out, NullVerdict(null, alpha, CORRECTION, tuple(names[i] for i in index),
                            tuple(above), tuple(below), untested)
