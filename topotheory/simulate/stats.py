"""Confidence intervals for means of ``[0, 1]`` variables and the three-way decision on them.

Interval methods (``method=``):

``"bernstein"`` (default for verdicts)
    Empirical Bernstein bound (Maurer & Pontil 2009, Theorem 4): for iid
    ``Z_i`` in ``[0, 1]`` and ``N >= 2``, with probability at least ``1 - delta``,
    ``E Z <= mean + sqrt(2 V ln(2/delta) / N) + 7 ln(2/delta) / (3 (N - 1))``,
    ``V`` the unbiased sample variance; the lower side by symmetry (``1 - Z``).
    Non-asymptotic: the coverage holds for every ``N``, not only in the limit.
``"hoeffding"``
    ``mean -/+ sqrt(ln(1/delta) / (2 N))`` per side; non-asymptotic, ignores the variance.
``"student-t"``
    ``mean -/+ t_{N-1, 1-delta} * s / sqrt(N)``; asymptotic (CLT), for display.

Two-sided intervals at confidence ``1 - alpha`` use ``delta = alpha / 2`` per side.

Decision on a claim ``E[X] >= bound`` at false-alarm rate ``alpha`` (default ``1e-3``): the
project's one rule :func:`topotheory.theory.decision.three_way` on the one-sided limits at
level ``alpha``: ``"confirmed"`` if the lower limit is ``>= bound``, ``"refuted"`` if the
upper limit is ``< bound``, else ``"inconclusive"``. With a non-asymptotic method each wrong verdict has probability at
most ``alpha`` whatever the distribution of ``X`` in ``[0, 1]``; a claim checked on
``s`` shapes splits its rate (``alpha / s`` per shape, Bonferroni) so the claim's total
false-alarm rate stays ``<= alpha``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats as _scipy_stats

from topotheory.result import Result
from topotheory.theory.decision import three_way

__all__ = [
    "CI_METHODS",
    "DEFAULT_ALPHA",
    "BoundDecision",
    "Estimate",
    "estimate_mean",
    "one_sided_limit",
    "verdict_at_least",
]

#: Interval methods understood by :func:`estimate_mean` and :func:`verdict_at_least`.
CI_METHODS: tuple[str, ...] = ("bernstein", "hoeffding", "student-t")
#: Default false-alarm rate per claim.
DEFAULT_ALPHA: float = 1e-3


def _samples(values: object) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"samples must be a 1-D array of at least 2 values, got shape {x.shape}")
    if not np.all(np.isfinite(x)) or x.min() < 0 or x.max() > 1:
        raise ValueError("samples must be finite values in [0, 1] (overlap fractions)")
    return x


def one_sided_limit(samples: object, delta: float, *, side: str, method: str = "bernstein") -> float:
    """One-sided confidence limit for the mean of ``[0, 1]`` samples at level ``delta``.

    Parameters
    ----------
    samples : array_like
        iid values in ``[0, 1]``.
    delta : float
        Error probability of this one side, in ``(0, 1)``.
    side : {"lower", "upper"}
    method : {"bernstein", "hoeffding", "student-t"}

    Examples
    --------
    >>> x = np.r_[np.zeros(500), np.ones(500)]
    >>> round(one_sided_limit(x, 1e-3, side="lower", method="hoeffding"), 4)
    0.4412
    """
    x = _samples(samples)
    if not 0 < delta < 1:
        raise ValueError(f"delta={delta} must lie in (0, 1)")
    if side not in ("lower", "upper"):
        raise ValueError(f"side={side!r} must be 'lower' or 'upper'")
    n = x.size
    mean = float(x.mean())
    var = float(x.var(ddof=1))
    if method == "bernstein":
        log_term = math.log(2.0 / delta)
        half = math.sqrt(2.0 * var * log_term / n) + 7.0 * log_term / (3.0 * (n - 1))
    elif method == "hoeffding":
        half = math.sqrt(math.log(1.0 / delta) / (2.0 * n))
    elif method == "student-t":
        half = float(_scipy_stats.t.ppf(1.0 - delta, n - 1)) * math.sqrt(var / n)
    else:
        raise ValueError(f"method={method!r} is unknown; choose one of {CI_METHODS}")
    value = mean - half if side == "lower" else mean + half
    return min(1.0, max(0.0, value))


@dataclass(frozen=True, repr=False)
class Estimate(Result):
    """A Monte Carlo mean with its confidence interval and provenance.

    Attributes
    ----------
    mean : float
        Sample mean (``float(mean_exact)``).
    mean_exact : Fraction
        The sample mean as an exact rational (sum of counts over ``trials * k``).
    std : float
        Sample standard deviation (``ddof=1``).
    trials : int
    ci_low, ci_high : float
        Two-sided interval at ``confidence``.
    confidence : float
    method : str
        One of :data:`CI_METHODS`.
    """

    mean: float
    mean_exact: Fraction
    std: float
    trials: int
    ci_low: float
    ci_high: float
    confidence: float
    method: str

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly dict (``mean_exact`` as a string)."""
        return {
            "mean": self.mean,
            "mean_exact": str(self.mean_exact),
            "std": self.std,
            "trials": self.trials,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "confidence": self.confidence,
            "method": self.method,
        }


def estimate_mean(
    samples: object,
    *,
    confidence: float = 1 - DEFAULT_ALPHA,
    method: str = "bernstein",
    mean_exact: Fraction | None = None,
) -> Estimate:
    """Mean and two-sided interval of ``[0, 1]`` samples.

    Parameters
    ----------
    samples : array_like
        iid values in ``[0, 1]``.
    confidence : float, default 0.999
    method : {"bernstein", "hoeffding", "student-t"}
    mean_exact : Fraction, optional
        Exact sample mean when the caller has it (counts / k).

    Examples
    --------
    >>> e = estimate_mean([0.0, 1.0] * 50, method="student-t", confidence=0.95)
    >>> e.mean, round(e.ci_low, 3), round(e.ci_high, 3)
    (0.5, 0.4, 0.6)
    """
    x = _samples(samples)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence} must lie in (0, 1)")
    delta = (1.0 - confidence) / 2.0
    exact = mean_exact if mean_exact is not None else Fraction(float(x.sum())) / x.size
    return Estimate(
        mean=float(exact),
        mean_exact=exact,
        std=float(x.std(ddof=1)),
        trials=int(x.size),
        ci_low=one_sided_limit(x, delta, side="lower", method=method),
        ci_high=one_sided_limit(x, delta, side="upper", method=method),
        confidence=confidence,
        method=method,
    )


@dataclass(frozen=True, repr=False)
class BoundDecision(Result):
    """Outcome of testing ``E[X] >= bound`` (see the module docstring).

    ``status`` is ``three_way(lower, upper, bound)``: ``"confirmed"``, ``"refuted"`` or
    ``"inconclusive"``; ``lower`` and ``upper`` are the one-sided limits at level ``alpha``
    (equal to the exact value when ``exact`` is True). A claim's verdict, with its evidence,
    is :class:`proofs_check.verdict.Verdict`; this is one comparison inside it.
    """

    status: str
    bound: float
    lower: float
    upper: float
    alpha: float
    method: str
    exact: bool = False


def verdict_at_least(
    samples: object,
    bound: object,
    *,
    alpha: float = DEFAULT_ALPHA,
    method: str = "bernstein",
) -> BoundDecision:
    """Decide ``E[X] >= bound`` from iid ``[0, 1]`` samples at false-alarm rate ``alpha``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> verdict_at_least(rng.random(10_000), 0.45).status
    'confirmed'
    >>> verdict_at_least(rng.random(10_000), 0.55).status
    'refuted'
    >>> verdict_at_least(rng.random(100), 0.5).status
    'inconclusive'
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie in (0, 1)")
    b = float(bound)  # type: ignore[arg-type]
    lower = one_sided_limit(samples, alpha, side="lower", method=method)
    upper = one_sided_limit(samples, alpha, side="upper", method=method)
    return BoundDecision(three_way(lower, upper, b), b, lower, upper, alpha, method)
