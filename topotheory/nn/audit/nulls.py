"""What a layer's top-k/MST overlap is compared with: the bound and two null models.

* **Theorem 3.3 bound** (:func:`topotheory.simulate.bounds.overlap_lower_bound`, variant
  ``"nm"``, ``k = n + m - 1``) for dense layers of shape ``n x m``; it is stated for
  complete bipartite layers with exchangeable weights, so convolutions get ``None`` with
  that reason.
* **iid null**: the same graph with iid weights (dense: every edge; convolution: every
  kernel PARAMETER, shared by its Toeplitz entries as in the trained layer). For a dense
  layer with ``k = n + m - 1`` its mean comes from
  :func:`topotheory.simulate.overlap_limit.predicted_overlap` where that is exact or
  accurate: exact counting when ``n m <= 400`` or ``min(n, m) = 1`` (``source: "exact"``,
  error bound 0), else the finite-size-corrected large-layer law when
  ``min(n, m) >= 6`` (``source: "law+correction"``, measured error bound
  ``0.025 / min(n, m)``, claim ``overlap-law-corrected``); ``low``/``high`` are then the
  value minus/plus that bound. Otherwise (``2 <= min(n, m) <= 5`` with ``n m > 400``, or
  ``k != n + m - 1``) by Monte Carlo (``source: "monte-carlo"``) with a seed: dense layers
  through the core's exchangeable sampler
  (:func:`topotheory.simulate.iid_overlap_counts`), convolutions through the same exact
  forest as the trained layer on iid normal kernels. Mean and a two-sided
  ``confidence`` interval (:func:`topotheory.simulate.estimate_mean`, empirical
  Bernstein). The cost is capped by ``budget`` edge visits per layer (dense trial: ``k``;
  conv trial: ``|E|``): the number of trials is reduced to fit, and below ``min_trials``
  the null is skipped with that reason (a big convolution, e.g. ResNet-50's 100M-edge
  layers, is skipped under the default budget).
* **hypergeometric null** (Appendix C): the overlap of two independent uniform k-subsets
  of the ``|E|`` edges; mean ``k / |E|`` exactly, and the central ``confidence``
  interval of the law from :data:`scipy.stats.hypergeom` (notation: population
  ``M = |E|`` edges, ``n = k`` marked edges -- the top-k --, ``N = k`` drawn -- the
  forest's k edges --; the overlap count is hypergeometric).

Results are frozen dataclasses (:class:`IidNull`, :class:`HypergeometricNull`); their
JSON form (:func:`dataclasses.asdict`) is the audit's ``iid_null`` and
``hypergeometric_null``.

Examples
--------
>>> dense_bound(2, 2)
0.4166666666666667
>>> hypergeometric_null(10, 3).mean
0.3
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy.stats import hypergeom

from topotheory.nn.audit.null_position import NULL_BAND, NullLaw, iid_law_draws, iid_law_exact
from topotheory.result import Result
from topotheory.simulate.bounds import overlap_lower_bound
from topotheory.simulate.counting import exact_overlap_distribution
from topotheory.simulate.montecarlo import iid_overlap_counts
from topotheory.simulate.overlap_limit import CORRECTED_MIN_SIDE, predicted_overlap
from topotheory.simulate.stats import estimate_mean

__all__ = [
    "DEFAULT_CONFIDENCE",
    "DEFAULT_NULL_BUDGET",
    "DEFAULT_TRIALS",
    "EXACT_MAX_EDGES",
    "MIN_TRIALS",
    "HypergeometricNull",
    "IidNull",
    "conv_iid_draws",
    "conv_iid_null",
    "dense_bound",
    "dense_iid_law",
    "dense_iid_null",
    "hypergeometric_null",
    "predicted_dense_null",
    "with_law",
]

#: Default cap on the edge visits of one layer's iid-null Monte Carlo.
DEFAULT_NULL_BUDGET = 50_000_000
#: Default number of iid-null trials (before the budget cap) and the minimum kept.
DEFAULT_TRIALS = 200
MIN_TRIALS = 20
#: Two-sided confidence of every interval.
DEFAULT_CONFIDENCE = 0.999
#: Dense layers up to this many edges get the exact iid-null mean (counting, < 0.5 s).
EXACT_MAX_EDGES = 400
#: Dense layers up to this many edges, with both sides >= EXACT_LAW_MIN_SIDE, get the
#: exact iid-null LAW (counting with a component dimension: 12 x 12 in ~0.1 s; thin layers
#: are slower and use Monte Carlo).
EXACT_LAW_MAX_EDGES = 144
EXACT_LAW_MIN_SIDE = 6


@dataclass(frozen=True, repr=False)
class IidNull(Result):
    """The overlap fraction ``X`` of the same graph with iid weights.

    Attributes
    ----------
    mean, mean_low, mean_high : float
        The null's mean and the uncertainty OF THE MEAN (``source="monte-carlo"``: the
        two-sided ``confidence`` interval of the Monte Carlo mean; otherwise the value
        plus/minus ``error_bound``). This is not the spread of a layer under the null:
        that is ``sd`` and the band.
    trials : int
        Monte Carlo trials run (0 when the mean is predicted).
    requested_trials : int
        Trials asked for, before the budget cap.
    confidence : float or None
        Confidence of the interval (None for a prediction: its band is an error bound).
    method : str
        How the mean was obtained, in words.
    source : str
        ``"exact"``, ``"law+correction"`` or ``"monte-carlo"``.
    error_bound : float or None
        ``|E[X] - mean| <=`` this for a prediction (0 when exact); None for Monte Carlo.
    sd : float or None
        The null's standard deviation of ``X`` for ONE layer of this shape (the spread a
        trained layer is compared with; not the uncertainty of ``mean``); None when the
        null's law is not available (see the layer's reasons).
    band_low, band_high : float or None
        The null's central ``band`` interval of ``X`` for one layer.
    band : float or None
        Probability mass of that interval (:data:`NULL_BAND`).
    law : str
        How the null's law (sd, band, the layer's p-value) was obtained: ``"exact"``
        (exact counting), ``"monte-carlo"`` (``draws`` draws) or ``""`` (none).
    draws : int
        Monte Carlo draws of the law (0: exact or none).
    """

    mean: float
    mean_low: float
    mean_high: float
    trials: int
    requested_trials: int
    confidence: float | None
    method: str
    source: str
    error_bound: float | None
    sd: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    band: float | None = None
    law: str = ""
    draws: int = 0

    def cell(self) -> str:
        """Short text for a table cell: the mean and the null's central band for one layer,
        ``mean [band_low,band_high]``; without a law, ``mean exact``, ``mean law+-bound``
        or ``mean ~mc``.

        Examples
        --------
        >>> dense_iid_null(3, 3, 5, trials=20, seed=(0,), budget=100)[0].cell()
        '0.929 exact'
        >>> with_law(dense_iid_null(3, 3, 5, trials=20, seed=(0,), budget=100)[0],
        ...          dense_iid_law(3, 3, 5, draws=20, seed=(0,), budget=100)[0]).cell()
        '0.929 [0.80,1.00]'
        """
        if self.band_low is not None and self.band_high is not None:
            return f"{self.mean:.3f} [{self.band_low:.2f},{self.band_high:.2f}]"
        if self.source == "exact":
            return f"{self.mean:.3f} exact"
        if self.source == "law+correction":
            return f"{self.mean:.3f} law+-{self.error_bound:.0e}"
        return f"{self.mean:.3f} ~mc"


@dataclass(frozen=True, repr=False)
class HypergeometricNull(Result):
    """The overlap fraction of two independent uniform k-subsets of ``|E|`` edges.

    ``mean = k / |E|``; ``low``/``high``: the law's central ``confidence`` interval / k.
    """

    mean: float
    low: float
    high: float
    confidence: float
    #: Standard deviation of the overlap fraction under this law (one layer).
    sd: float | None = None


def dense_bound(n: int, m: int) -> float:
    """Theorem 3.3's lower bound on ``E[X]`` for an ``n x m`` dense layer, ``k = n + m - 1``.

    Examples
    --------
    >>> dense_bound(1, 5)
    1.0
    """
    return float(overlap_lower_bound(n, m))


def hypergeometric_null(
    n_edges: int, k: int, *, confidence: float = DEFAULT_CONFIDENCE
) -> HypergeometricNull:
    """Mean and central interval of the overlap fraction of two random k-subsets.

    The count is hypergeometric with scipy's ``M = n_edges``, ``n = k``, ``N = k``; the
    interval is :meth:`scipy.stats.hypergeom.interval` divided by ``k``.

    Examples
    --------
    >>> r = hypergeometric_null(1000, 100, confidence=0.99)
    >>> r.mean, r.low < 0.1 < r.high
    (0.1, True)
    """
    if not 0 <= k <= n_edges or n_edges < 1:
        raise ValueError(f"need 0 <= k <= n_edges and n_edges >= 1, got n_edges={n_edges}, "
                         f"k={k}")
    if k == 0:
        return HypergeometricNull(0.0, 1.0, 1.0, confidence, 0.0)
    low, high = hypergeom.interval(confidence, n_edges, k, k)
    var = k * (k / n_edges) * ((n_edges - k) / n_edges) * (
        (n_edges - k) / (n_edges - 1) if n_edges > 1 else 0.0)
    return HypergeometricNull(k / n_edges, float(low) / k, float(high) / k, confidence,
                              math.sqrt(var) / k)


def _monte_carlo(fractions: np.ndarray, confidence: float, requested: int) -> IidNull:
    estimate = estimate_mean(fractions, confidence=confidence)
    return IidNull(mean=estimate.mean, mean_low=estimate.ci_low, mean_high=estimate.ci_high,
                   trials=int(fractions.size), requested_trials=requested,
                   confidence=confidence, method=estimate.method, source="monte-carlo",
                   error_bound=None)


def predicted_dense_null(n: int, m: int, k: int, *, requested_trials: int = 0) -> IidNull | None:
    """The iid-null mean without simulation, or None where no accurate prediction applies.

    Exact counting for ``n m <= EXACT_MAX_EDGES`` (or a side of 1), the corrected law for
    ``min(n, m) >= CORRECTED_MIN_SIDE``; ``None`` for ``k != n + m - 1`` and for the thin
    layers in between (``2 <= min(n, m) < 6``, ``n m > 400``), left to Monte Carlo.

    Examples
    --------
    >>> predicted_dense_null(3, 3, 5).source, predicted_dense_null(3, 3, 5).mean
    ('exact', 0.9285714285714286)
    >>> r = predicted_dense_null(784, 100, 883)
    >>> r.source, r.error_bound, round(r.mean, 3)
    ('law+correction', 0.00025, 0.714)
    >>> predicted_dense_null(3, 500, 502) is None, predicted_dense_null(10, 10, 15) is None
    (True, True)
    """
    if k != n + m - 1:
        return None
    if min(n, m) < CORRECTED_MIN_SIDE and min(n, m) > 1 and n * m > EXACT_MAX_EDGES:
        return None
    p = predicted_overlap(n, m, exact_max_edges=EXACT_MAX_EDGES)
    method = ("exact counting (topotheory.simulate.counting)" if p.source == "exact" else
              "large-layer law + finite-size correction, |E[X] - value| <= "
              f"{p.error_bound:.3g} (measured, claim overlap-law-corrected)")
    return IidNull(mean=p.value, mean_low=p.value - p.error_bound,
                   mean_high=p.value + p.error_bound,
                   trials=0, requested_trials=requested_trials, confidence=None,
                   method=method, source=p.source, error_bound=p.error_bound)


def _trials(cost: int, trials: int, budget: int) -> int:
    return min(trials, budget // max(cost, 1))


def dense_iid_null(
    n: int, m: int, k: int, *, trials: int, seed: tuple[int, ...], budget: int,
    confidence: float = DEFAULT_CONFIDENCE, predict: bool = True,
) -> tuple[IidNull | None, str]:
    """iid-null overlap of an ``n x m`` dense layer: (the null or None, the reason if None).

    With ``predict`` (default) the exact value or the corrected law is used where
    :func:`predicted_dense_null` applies (``source`` says which, ``error_bound`` how
    accurate); otherwise, or with ``predict=False``, Monte Carlo.

    Examples
    --------
    >>> r, why = dense_iid_null(3, 4, 6, trials=50, seed=(0,), budget=10**6)
    >>> r.source, r.error_bound, why
    ('exact', 0.0, '')
    >>> r, why = dense_iid_null(3, 4, 6, trials=50, seed=(0,), budget=10**6, predict=False)
    >>> r.source, r.trials, 0 < r.mean <= 1
    ('monte-carlo', 50, True)
    """
    if predict:
        predicted = predicted_dense_null(n, m, k, requested_trials=trials)
        if predicted is not None:
            return predicted, ""
    used = _trials(k, trials, budget)
    if used < MIN_TRIALS:
        return None, (f"skipped: {MIN_TRIALS} trials of k={k} exceed the budget of {budget} "
                      "edge visits (raise null_budget)")
    counts = iid_overlap_counts(n, m, used, seed=seed, k=k)
    return _monte_carlo(counts / k, confidence, trials), ""


def conv_iid_null(
    measure: Callable[[np.ndarray], tuple[int, int]], shape: tuple[int, ...], n_edges: int,
    *, trials: int, seed: tuple[int, ...], budget: int, confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[IidNull | None, str]:
    """iid-null overlap of a conv layer with iid normal kernels of ``shape``.

    ``measure(weight) -> (count, k)`` runs the layer's exact forest and overlap.

    Examples
    --------
    >>> r, why = conv_iid_null(lambda w: (1, 2), (1, 1, 2), 10, trials=30, seed=(0,), budget=10**4)
    >>> r.mean, r.trials
    (0.5, 30)
    """
    law, why = conv_iid_draws(measure, shape, n_edges, trials=trials, seed=seed, budget=budget)
    if law is None:
        return None, why
    return monte_carlo_null(law, confidence=confidence, requested=trials), ""


@lru_cache(maxsize=64)
def _exact_law(n: int, m: int, k: int) -> NullLaw:
    if min(n, m) == 1:  # a star: every edge is in the forest, the overlap is always k
        return iid_law_exact({k: 1.0}, k=k)
    return iid_law_exact(exact_overlap_distribution(n, m, k), k=k)


def dense_iid_law(
    n: int, m: int, k: int, *, draws: int, seed: tuple[int, ...], budget: int
) -> tuple[NullLaw | None, str]:
    """The iid-null LAW of the overlap count of an ``n x m`` dense layer (for its sd, band
    and the layer's p-value): (law or None, reason if None).

    Exact (:func:`topotheory.simulate.exact_overlap_distribution`) when a side is 1 or
    ``n m <= EXACT_LAW_MAX_EDGES`` with both sides ``>= EXACT_LAW_MIN_SIDE``; otherwise
    ``draws`` Monte Carlo draws (the core's exchangeable sampler, seeded ``seed``), reduced
    to fit ``budget`` edge visits (``k`` per draw) and skipped below ``MIN_TRIALS``.

    Examples
    --------
    >>> law, _ = dense_iid_law(3, 3, 5, draws=50, seed=(0,), budget=10**6)
    >>> law.law, law.support.tolist()
    ('monte-carlo', [4, 5])
    >>> dense_iid_law(6, 6, 11, draws=50, seed=(0,), budget=10**6)[0].law
    'exact'
    """
    if min(n, m) == 1 or (n * m <= EXACT_LAW_MAX_EDGES and min(n, m) >= EXACT_LAW_MIN_SIDE
                          and k == n + m - 1):
        return _exact_law(n, m, k), ""
    used = _trials(k, draws, budget)
    if used < MIN_TRIALS:
        return None, (f"no law: {MIN_TRIALS} draws of k={k} exceed the budget of {budget} "
                      "edge visits (raise null_budget)")
    return iid_law_draws(iid_overlap_counts(n, m, used, seed=seed, k=k), k=k), ""


def conv_iid_draws(
    measure: Callable[[np.ndarray], tuple[int, int]], shape: tuple[int, ...], n_edges: int,
    *, trials: int, seed: tuple[int, ...], budget: int,
) -> tuple[NullLaw | None, str]:
    """``trials`` draws of the overlap count of a conv layer with iid normal kernels of
    ``shape`` (``measure(weight) -> (count, k)`` runs the layer's exact forest), reduced to
    fit ``budget`` (``|E|`` edge visits per draw): (law or None, reason if None).

    Examples
    --------
    >>> law, why = conv_iid_draws(lambda w: (1, 2), (1, 1, 2), 10, trials=30, seed=(0,),
    ...                           budget=10**4)
    >>> law.draws, law.mean_fraction
    (30, 0.5)
    """
    used = _trials(n_edges, trials, budget)
    if used < MIN_TRIALS:
        return None, (f"skipped: {MIN_TRIALS} trials of this layer's exact forest "
                      f"({n_edges} Toeplitz edges each) exceed the budget of {budget} edge "
                      "visits (raise null_budget)")
    rng = np.random.default_rng(seed)
    counts = np.empty(used, dtype=np.int64)
    k = 0
    for t in range(used):
        counts[t], k = measure(rng.standard_normal(shape))
    return iid_law_draws(counts, k=k), ""


def law_draws(law: NullLaw) -> np.ndarray:
    """The overlap fractions of a Monte Carlo law's draws (ascending; the order of draws
    does not change a mean or its interval)."""
    if not law.k:
        return np.ones(law.draws)
    return np.repeat(law.support, law.mass.astype(np.int64)) / law.k


def monte_carlo_null(law: NullLaw, *, confidence: float, requested: int) -> IidNull:
    """The iid null's mean and its ``confidence`` interval from a Monte Carlo law.

    Examples
    --------
    >>> law = iid_law_draws(np.array([1, 1, 2, 2]), k=2)
    >>> monte_carlo_null(law, confidence=0.9, requested=4).mean
    0.75
    """
    return _monte_carlo(law_draws(law), confidence, requested)


def with_law(null: IidNull | None, law: NullLaw | None, *, band: float = NULL_BAND
             ) -> IidNull | None:
    """``null`` with the law's sd and central ``band`` interval filled in (unchanged if
    either is None).

    Examples
    --------
    >>> law, _ = dense_iid_law(6, 6, 11, draws=50, seed=(0,), budget=10**6)
    >>> r = with_law(predicted_dense_null(6, 6, 11), law)
    >>> r.law, r.band_low <= r.mean <= r.band_high
    ('exact', True)
    """
    if null is None or law is None:
        return null
    low, high = law.band_fractions(band)
    return replace(null, sd=law.sd_fraction, band_low=low, band_high=high, band=band,
                   law=law.law, draws=law.draws)
