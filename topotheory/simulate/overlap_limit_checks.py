"""Checks of the large-layer law and of the density invariance, returned as data.

Every function returns rows (frozen dataclasses) that carry the grid, the errors and the
intervals; nothing here decides a claim's verdict on its own beyond the stated rule:

- :func:`law_exact_errors`: ``E[X] - overlap_limit(n, m)`` exactly (counting) on a grid.
- :func:`law_monte_carlo_errors`: the same with Bernstein intervals (Monte Carlo).
- :func:`error_law_summary`: the measured constant ``max |E[X] - law| min(n, m)`` and the
  shapes where ``|E[X] - law| <= C / min(n, m)`` fails or cannot be decided.
- :func:`fit_finite_size_correction`: least-squares ``phi(t)``, ``t = min/max``, for
  ``E[X] - law ≈ phi(t) / min(n, m)``.
- :func:`density_invariance_exact` / :func:`density_invariance_monte_carlo`: the law of
  ``X`` under a uniformly random support of ``s >= k`` edges, with and without the
  Corollary 3.4 condition that the support be connected.

Examples
--------
>>> rows = law_exact_errors([(10, 10)])
>>> round(rows[0].error, 5), round(rows[0].scaled_error, 4)
(-0.00363, -0.0363)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np

from topotheory.result import Result
from topotheory.simulate._validation import check_int, check_shape
from topotheory.simulate.overlap_limit import (
    LAW_ERROR_CONSTANT,
    overlap_limit,
    overlap_limit_corrected,
)

__all__ = [
    "DEFAULT_INVARIANCE_CASES",
    "DEFAULT_INVARIANCE_SHAPES",
    "DEFAULT_LAW_SHAPES",
    "ErrorLawSummary",
    "InvarianceExactRow",
    "InvarianceMonteCarloRow",
    "LawErrorRow",
    "density_invariance_exact",
    "density_invariance_monte_carlo",
    "error_law_summary",
    "exact_grid",
    "fit_finite_size_correction",
    "invariance_evidence",
    "law_evidence",
    "law_exact_errors",
    "law_monte_carlo_errors",
    "sparse_support_counts",
]

#: Monte Carlo grid: square, rectangular up to 1:50, and the paper's layer shapes
#: (FCN 784-100-...-10, LeNet-300-100 784x300, 300x100, 100x10).
DEFAULT_LAW_SHAPES: tuple[tuple[int, int], ...] = (
    (20, 20), (50, 50), (100, 100), (200, 200), (500, 500), (1000, 1000),
    (50, 100), (50, 200), (50, 500), (20, 1000), (50, 2500), (100, 1000), (100, 5000),
    (784, 100), (100, 10), (300, 100), (784, 300), (200, 10), (500, 10),
)
#: Small layers whose laws under every support size are enumerated exactly.
DEFAULT_INVARIANCE_SHAPES: tuple[tuple[int, int], ...] = ((2, 3), (3, 3), (2, 4), (3, 4))
#: ``(n, m, support sizes)`` for the Monte Carlo invariance comparison.
DEFAULT_INVARIANCE_CASES: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (30, 30, (59, 90, 300)),
    (100, 100, (199, 400, 2000)),
    (784, 100, (883, 2000, 7840)),
)


@dataclass(frozen=True, repr=False)
class LawErrorRow(Result):
    """``E[X]`` against the law at one shape.

    ``error = expected - law``; ``scaled_*`` are multiplied by ``min(n, m)``. For exact
    rows ``ci_low == ci_high == expected`` and ``trials == 0``.
    """

    n: int
    m: int
    k: int
    law: float
    expected: float
    source: str
    ci_low: float
    ci_high: float
    trials: int
    confidence: float

    @property
    def error(self) -> float:
        return self.expected - self.law

    @property
    def scaled_error(self) -> float:
        return self.error * min(self.n, self.m)

    @property
    def scaled_low(self) -> float:
        return (self.ci_low - self.law) * min(self.n, self.m)

    @property
    def scaled_high(self) -> float:
        return (self.ci_high - self.law) * min(self.n, self.m)

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly fields including the derived errors."""
        return {**self.__dict__, "error": self.error, "scaled_error": self.scaled_error,
                "scaled_low": self.scaled_low, "scaled_high": self.scaled_high}


def exact_grid(max_edges: int, *, min_side: int = 2) -> tuple[tuple[int, int], ...]:
    """All shapes ``min_side <= n <= m`` with ``n m <= max_edges``.

    Examples
    --------
    >>> exact_grid(9)
    ((2, 2), (2, 3), (2, 4), (3, 3))
    """
    max_edges = check_int(max_edges, "max_edges", minimum=1)
    min_side = check_int(min_side, "min_side", minimum=1)
    return tuple(
        (n, m) for n in range(min_side, max_edges + 1) for m in range(n, max_edges // n + 1)
    )


def _predictor(corrected: bool):
    return overlap_limit_corrected if corrected else overlap_limit


def law_exact_errors(
    shapes: Iterable[tuple[int, int]], *, corrected: bool = False
) -> list[LawErrorRow]:
    """Exact ``E[X]`` (counting) against :func:`overlap_limit` on ``shapes``.

    ``corrected=True`` compares with
    :func:`~topotheory.simulate.overlap_limit.overlap_limit_corrected` instead.

    Examples
    --------
    >>> row = law_exact_errors([(3, 3)])[0]
    >>> row.expected, row.source
    (0.9285714285714286, 'exact')
    """
    from topotheory.simulate.counting import exact_expected_overlap

    law = _predictor(corrected)
    rows = []
    for n, m in shapes:
        n, m, k = check_shape(n, m)
        exact = float(exact_expected_overlap(n, m))
        rows.append(LawErrorRow(n, m, k, float(law(n, m)), exact, "exact",
                                exact, exact, 0, 1.0))
    return rows


def law_monte_carlo_errors(
    shapes: Sequence[tuple[int, int]] = DEFAULT_LAW_SHAPES,
    *,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = 1e-3,
    corrected: bool = False,
) -> list[LawErrorRow]:
    """Monte Carlo ``E[X]`` with Bernstein intervals against the law.

    ``corrected=True`` compares with the finite-size-corrected law.

    Each shape uses its own stream ``(seed, n, m)`` and a two-sided interval at
    confidence ``1 - alpha / len(shapes)`` (Bonferroni), so all intervals hold together
    with probability ``>= 1 - alpha``.

    Examples
    --------
    >>> row = law_monte_carlo_errors([(30, 30)], trials=2000)[0]
    >>> row.ci_low <= row.expected <= row.ci_high, row.source
    (True, 'monte-carlo')
    """
    from topotheory.simulate.montecarlo import simulate_overlap

    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie in (0, 1)")
    shapes = list(shapes)
    confidence = 1.0 - alpha / max(1, len(shapes))
    law = _predictor(corrected)
    rows = []
    for n, m in shapes:
        sim = simulate_overlap(n, m, trials=trials, seed=(seed, n, m), confidence=confidence)
        est = sim.estimate
        rows.append(LawErrorRow(sim.n, sim.m, sim.k, float(law(n, m)), est.mean,
                                "monte-carlo", est.ci_low, est.ci_high, est.trials, confidence))
    return rows


@dataclass(frozen=True, repr=False)
class ErrorLawSummary(Result):
    """The error law ``|E[X] - law| <= constant / min(n, m)`` on a set of rows.

    Attributes
    ----------
    constant : float
        The ``C`` tested.
    measured_constant : float
        The largest ``|E[X] - law| min(n, m)`` the data force: the exact value for exact
        rows; for Monte Carlo rows the interval end nearer to 0 (0 when the interval
        contains 0), so it is a lower bound on the true constant.
    worst_shape : tuple of int
        Where ``measured_constant`` is attained.
    failures : tuple of (n, m)
        Shapes where the law with ``constant`` is refuted (exact error, or the whole
        interval, outside ``[-C, C]``).
    undecided : tuple of (n, m)
        Monte Carlo shapes whose interval straddles ``±C``.
    status : str
        ``"confirmed"`` (no failure, nothing undecided), ``"refuted"`` (a failure) or
        ``"inconclusive"``.
    """

    constant: float
    measured_constant: float
    worst_shape: tuple[int, int]
    failures: tuple[tuple[int, int], ...]
    undecided: tuple[tuple[int, int], ...]
    status: str
    n_shapes: int


def error_law_summary(
    rows: Sequence[LawErrorRow], *, constant: float = LAW_ERROR_CONSTANT
) -> ErrorLawSummary:
    """Test ``|E[X] - law| <= constant / min(n, m)`` on every row.

    Examples
    --------
    >>> s = error_law_summary(law_exact_errors(exact_grid(40)))
    >>> s.status, s.worst_shape, round(s.measured_constant, 3)
    ('confirmed', (2, 20), 0.154)
    >>> error_law_summary(law_exact_errors(exact_grid(40)), constant=0.1).status
    'refuted'
    """
    if not rows:
        raise ValueError("rows is empty; pass at least one LawErrorRow")
    failures, undecided = [], []
    forced = []
    for r in rows:
        low, high = r.scaled_low, r.scaled_high
        forced.append(0.0 if low <= 0 <= high else min(abs(low), abs(high)))
        if low > constant or high < -constant:
            failures.append((r.n, r.m))
        elif low < -constant or high > constant:
            undecided.append((r.n, r.m))
    worst = int(np.argmax(forced))
    status = "refuted" if failures else "inconclusive" if undecided else "confirmed"
    return ErrorLawSummary(constant, forced[worst], (rows[worst].n, rows[worst].m),
                           tuple(failures), tuple(undecided), status, len(rows))


def fit_finite_size_correction(
    rows: Sequence[LawErrorRow], *, degree: int = 3, min_side: int = 6
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Least squares for ``E[X] - law ≈ phi(t) / s + psi(t) / s^2`` on exact rows.

    ``s = min(n, m)``, ``t = s / max(n, m)``; ``phi`` and ``psi`` are polynomials of
    ``degree`` in ``t``. Only exact rows with ``s >= min_side`` are used. Run on the exact
    values of :data:`~topotheory.simulate.overlap_limit.CORRECTION_FIT_SHAPES` it returns
    :data:`~topotheory.simulate.overlap_limit.FINITE_SIZE_COEFFICIENTS` (rounded to 6
    digits).

    Returns
    -------
    (phi, psi) : tuple of tuple of float
        Coefficients of ``t^0 .. t^degree``.

    Examples
    --------
    >>> phi, psi = fit_finite_size_correction(law_exact_errors(exact_grid(40)), degree=0,
    ...                                       min_side=3)
    >>> len(phi), len(psi)
    (1, 1)
    """
    degree = check_int(degree, "degree", minimum=0)
    use = [r for r in rows if r.source == "exact" and min(r.n, r.m) >= min_side]
    if len(use) <= 2 * (degree + 1):
        raise ValueError(f"{len(use)} exact rows with min side >= {min_side}; need more than "
                         f"{2 * (degree + 1)} for degree {degree}")
    low = np.array([min(r.n, r.m) for r in use], dtype=float)
    t = low / np.array([max(r.n, r.m) for r in use], dtype=float)
    powers = np.vander(t, degree + 1, increasing=True)
    design = np.hstack([powers / low[:, None], powers / low[:, None] ** 2])
    coef, *_ = np.linalg.lstsq(design, np.array([r.error for r in use]), rcond=None)
    return (tuple(float(c) for c in coef[: degree + 1]),
            tuple(float(c) for c in coef[degree + 1 :]))


# --------------------------------------------------------------------- density invariance


def _rank(edges: Iterable[int], n: int, parent: list[int]) -> int:
    for v in range(len(parent)):
        parent[v] = v
    rank = 0
    for e in edges:
        x, y = e % n, n + e // n
        while parent[x] != x:
            x = parent[x]
        while parent[y] != y:
            y = parent[y]
        if x != y:
            parent[x] = y
            rank += 1
    return rank


@dataclass(frozen=True, repr=False)
class InvarianceExactRow(Result):
    """Exact law of the overlap count with a uniform support of ``support`` edges.

    ``uniform_law`` / ``connected_law`` map count -> probability (supports unconditioned /
    conditioned on being connected); ``dense_law`` is the ``rho = 1`` law.
    ``uniform_equal`` says whether the unconditioned law equals the dense one exactly;
    ``connected_tv`` is the total-variation distance of the conditioned law from it.
    """

    n: int
    m: int
    k: int
    support: int
    dense_law: dict[int, Fraction]
    uniform_law: dict[int, Fraction]
    connected_law: dict[int, Fraction]

    @property
    def uniform_equal(self) -> bool:
        return self.uniform_law == self.dense_law

    @property
    def connected_tv(self) -> Fraction:
        keys = set(self.dense_law) | set(self.connected_law)
        zero = Fraction(0)
        return sum((abs(self.dense_law.get(c, zero) - self.connected_law.get(c, zero))
                    for c in keys), zero) / 2

    @property
    def connected_mean_shift(self) -> Fraction:
        dense = sum((c * p for c, p in self.dense_law.items()), Fraction(0))
        conn = sum((c * p for c, p in self.connected_law.items()), Fraction(0))
        return (conn - dense) / self.k


def density_invariance_exact(
    shapes: Iterable[tuple[int, int]] = DEFAULT_INVARIANCE_SHAPES,
) -> list[InvarianceExactRow]:
    """Enumerate every support ``T`` (size ``k..nm``) and every k-subset of it.

    With iid weights on ``T`` each k-subset of ``T`` is the top-k set with probability
    ``1 / C(|T|, k)``; the count is the rank of the k-subset. The dense law comes from
    :func:`~topotheory.simulate.counting.exact_overlap_distribution` (independent code).
    Cost ``C(nm, k) 2^{nm-k}`` rank evaluations: keep ``n m <= 12``.

    Examples
    --------
    >>> rows = density_invariance_exact([(2, 3)])
    >>> [r.uniform_equal for r in rows], [str(r.connected_mean_shift) for r in rows]
    ([True, True, True], ['1/20', '0', '0'])
    """
    from topotheory.simulate.counting import exact_overlap_distribution

    rows = []
    for n, m in shapes:
        n, m, k = check_shape(n, m)
        if n * m > 16:
            raise ValueError(f"{n}x{m} has {n * m} edges; exact invariance enumerates "
                             "2^(nm) sets, pass n*m <= 16")
        dense = exact_overlap_distribution(n, m)
        parent = list(range(n + m))
        ranks = {s: _rank(s, n, parent) for s in combinations(range(n * m), k)}
        for support in range(k, n * m + 1):
            uniform: dict[int, int] = {}
            connected: dict[int, int] = {}
            for t in combinations(range(n * m), support):
                is_connected = _rank(t, n, parent) == n + m - 1
                for s in combinations(t, k):
                    c = ranks[s]
                    uniform[c] = uniform.get(c, 0) + 1
                    if is_connected:
                        connected[c] = connected.get(c, 0) + 1
            rows.append(InvarianceExactRow(n, m, k, support, dense,
                                           _normalise(uniform), _normalise(connected)))
    return rows


def _normalise(counts: dict[int, int]) -> dict[int, Fraction]:
    total = sum(counts.values())
    return {c: Fraction(v, total) for c, v in sorted(counts.items())}


def sparse_support_counts(
    n: int, m: int, support: int, trials: int, seed: object, *, connected: bool
) -> tuple[np.ndarray, int]:
    """Overlap counts with a uniform support of ``support`` edges and iid weights on it.

    ``connected=True`` keeps only connected supports (Corollary 3.4's condition, the
    sampler of :func:`~topotheory.simulate.montecarlo.simulate_overlap`); ``False`` keeps
    every support. Returns ``(counts, draws made)``.

    Examples
    --------
    >>> counts, draws = sparse_support_counts(5, 5, 12, 100, 0, connected=False)
    >>> counts.shape, draws
    ((100,), 100)
    """
    from topotheory.simulate import _kernels
    from topotheory.simulate.montecarlo import _generator

    n, m, k = check_shape(n, m)
    support = check_int(support, "support", minimum=k)
    if support > n * m:
        raise ValueError(f"support={support} exceeds n*m={n * m}; pass support <= n*m")
    trials = check_int(trials, "trials", minimum=1)
    rng, _ = _generator(seed)  # type: ignore[arg-type]
    lows = np.arange(support, dtype=np.int64)
    chunk = max(1, min(4096, (1 << 21) // support))
    kept: list[np.ndarray] = []
    accepted = draws = 0
    while accepted < trials:
        if draws >= 100 * trials + 1000 or (connected and draws >= 1000
                                            and 100 * accepted < draws):
            raise ValueError(f"fewer than 1 in 100 supports of {support} edges are connected "
                             f"in {n}x{m}; raise support")
        size = min(chunk, trials - accepted) if not connected else chunk
        picks = rng.integers(lows, n * m, size=(size, support), dtype=np.int64)
        topk, forest = _kernels.prefix_ranks(picks, n, m, k, support)
        good = topk[forest == n + m - 1] if connected else topk
        kept.append(good[: trials - accepted])
        accepted += min(good.size, trials - accepted)
        draws += size
    return np.concatenate(kept), draws


@dataclass(frozen=True, repr=False)
class InvarianceMonteCarloRow(Result):
    """Two-sample comparison of the overlap law at ``support`` edges vs the dense layer.

    The test is the two-sample Kolmogorov-Smirnov test (``scipy.stats.ks_2samp``,
    asymptotic p-value; conservative for discrete counts), rejecting at ``level``.
    """

    n: int
    m: int
    k: int
    support: int
    connected: bool
    trials: int
    draws: int
    dense_mean: float
    sparse_mean: float
    ks_statistic: float
    p_value: float
    level: float

    @property
    def rejected(self) -> bool:
        return self.p_value < self.level


def density_invariance_monte_carlo(
    cases: Sequence[tuple[int, int, Sequence[int]]] = DEFAULT_INVARIANCE_CASES,
    *,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = 1e-3,
    connected: bool = False,
    skip_rare: bool = False,
) -> list[InvarianceMonteCarloRow]:
    """KS two-sample tests: dense ``rho = 1`` counts vs counts at each support size.

    The family-wise false-alarm rate is ``<= alpha`` (each of the comparisons is tested
    at ``alpha / number of comparisons``; KS is conservative for discrete data). With
    ``connected=True`` a support size where fewer than 1 in 100 supports is connected
    raises ``ValueError``, or is left out when ``skip_rare=True``. Streams:
    ``(seed, n, m, 0)`` for the dense sample, ``(seed, n, m, support, connected)`` for each
    sparse sample.

    Examples
    --------
    >>> rows = density_invariance_monte_carlo([(10, 10, (30,))], trials=2000)
    >>> rows[0].rejected
    False
    """
    from scipy.stats import ks_2samp

    from topotheory.simulate.montecarlo import iid_overlap_counts

    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie in (0, 1)")
    n_tests = sum(len(s) for *_, s in cases)
    level = alpha / max(1, n_tests)
    rows = []
    for n, m, supports in cases:
        n, m, k = check_shape(n, m)
        dense = iid_overlap_counts(n, m, trials, (seed, n, m, 0))
        for support in supports:
            try:
                sparse, draws = sparse_support_counts(
                    n, m, support, trials, (seed, n, m, support, int(connected)),
                    connected=connected,
                )
            except ValueError:
                if connected and skip_rare:
                    continue
                raise
            test = ks_2samp(dense, sparse, method="asymp")
            rows.append(InvarianceMonteCarloRow(
                n, m, k, support, connected, trials, draws, float(dense.mean() / k),
                float(sparse.mean() / k), float(test.statistic), float(test.pvalue), level,
            ))
    return rows


# ------------------------------------------------------------------ evidence for the claims


def law_evidence(
    *,
    exact_max_edges: int = 150,
    shapes: Sequence[tuple[int, int]] = DEFAULT_LAW_SHAPES,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = 1e-3,
    corrected: bool = False,
    constant: float | None = None,
) -> dict[str, object]:
    """Everything a verdict on the error law needs, as JSON-friendly data.

    Exact rows: every shape ``2 <= n <= m``, ``n m <= exact_max_edges``; Monte Carlo rows:
    ``shapes`` with intervals at family-wise level ``alpha``. ``status`` is ``refuted`` if
    any exact value or whole interval violates the law, ``inconclusive`` if an interval
    straddles ``±C/min(n, m)``, else ``confirmed``.

    Examples
    --------
    >>> ev = law_evidence(exact_max_edges=30, shapes=[(6, 60)], trials=2000)
    >>> ev["status"], ev["exact"]["status"], len(ev["exact"]["rows"])
    ('confirmed', 'confirmed', 28)
    """
    from topotheory.simulate.overlap_limit import CORRECTED_ERROR_CONSTANT

    if constant is None:
        constant = CORRECTED_ERROR_CONSTANT if corrected else LAW_ERROR_CONSTANT
    min_side = 6 if corrected else 2
    exact_rows = law_exact_errors(exact_grid(exact_max_edges, min_side=min_side),
                                  corrected=corrected)
    mc_rows = law_monte_carlo_errors(shapes, trials=trials, seed=seed, alpha=alpha,
                                     corrected=corrected) if shapes else []
    parts: dict[str, object] = {}
    statuses = []
    for name, rows in (("exact", exact_rows), ("monte_carlo", mc_rows)):
        if not rows:
            continue
        summary = error_law_summary(rows, constant=constant)
        statuses.append(summary.status)
        parts[name] = {**summary.__dict__, "rows": [r.as_dict() for r in rows]}
    status = ("refuted" if "refuted" in statuses
              else "inconclusive" if "inconclusive" in statuses else "confirmed")
    return {"law": "corrected" if corrected else "raw", "constant": constant,
            "min_side": min_side, "alpha": alpha, "trials": trials, "seed": seed,
            "status": status, **parts}


def invariance_evidence(
    *,
    exact_shapes: Iterable[tuple[int, int]] = DEFAULT_INVARIANCE_SHAPES,
    cases: Sequence[tuple[int, int, Sequence[int]]] = DEFAULT_INVARIANCE_CASES,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = 1e-3,
) -> dict[str, object]:
    """The density invariance: exact on small layers, KS tests on large ones, both supports.

    ``uniform`` (supports not conditioned) is the statement; ``connected`` (Corollary 3.4's
    conditioning on a connected support) is reported next to it, with the shapes and
    support sizes where it changes the law.

    Examples
    --------
    >>> ev = invariance_evidence(exact_shapes=[(2, 3)], cases=[(10, 10, (40,))], trials=500)
    >>> ev["uniform"]["status"], ev["connected"]["exact_changed"]
    ('confirmed', [[2, 3, 4]])
    """
    exact_rows = density_invariance_exact(exact_shapes)
    uniform_mc = density_invariance_monte_carlo(cases, trials=trials, seed=seed, alpha=alpha)
    connected_mc = density_invariance_monte_carlo(cases, trials=trials, seed=seed, alpha=alpha,
                                                  connected=True, skip_rare=True)
    tested = {(r.n, r.m, r.support) for r in connected_mc}
    rare = [[n, m, s] for n, m, supports in cases for s in supports if (n, m, s) not in tested]
    uniform_fail = [[r.n, r.m, r.support] for r in exact_rows if not r.uniform_equal]
    uniform_reject = [[r.n, r.m, r.support] for r in uniform_mc if r.rejected]
    return {
        "uniform": {
            "status": "refuted" if uniform_fail or uniform_reject else "confirmed",
            "exact_cases": len(exact_rows), "exact_failures": uniform_fail,
            "monte_carlo": [r.__dict__ | {"rejected": r.rejected} for r in uniform_mc],
            "monte_carlo_rejected": uniform_reject,
        },
        "connected": {
            "exact_changed": [[r.n, r.m, r.support] for r in exact_rows if r.connected_tv > 0],
            "exact_largest_mean_shift": float(max(r.connected_mean_shift for r in exact_rows)),
            "monte_carlo": [r.__dict__ | {"rejected": r.rejected} for r in connected_mc],
            "monte_carlo_rejected": [[r.n, r.m, r.support] for r in connected_mc if r.rejected],
            "monte_carlo_too_rare": rare,
        },
        "test": "two-sample Kolmogorov-Smirnov (scipy.stats.ks_2samp, asymptotic), "
                f"family-wise level {alpha} split over {len(uniform_mc)} comparisons",
        "alpha": alpha, "trials": trials, "seed": seed,
    }
