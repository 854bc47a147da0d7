"""Result tables and claim checks that ``proofs_check`` and the report call.

Everything here is deterministic given ``seed``: each shape gets its own stream
``numpy.random.default_rng((seed, n, m))`` (plus ``rho`` scaled to an int for sparse
runs), so adding or removing shapes never changes another shape's numbers.

Claim ids (CLAIMS.md): ``overlap-bound`` (Theorem 3.3), ``overlap-bound-sparse``
(Corollary 3.4), ``random-overlap`` (Appendix C). Verdicts: ``confirmed`` /
``refuted`` / ``inconclusive``, decided exactly where the exact expectation is
computable and otherwise by :func:`~topotheory.simulate.stats.verdict_at_least`
with an empirical-Bernstein bound at false-alarm rate ``alpha / (number of
shapes)`` per shape, so each claim's false-alarm rate is at most ``alpha``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from topotheory.simulate.bounds import BOUND_VARIANTS, overlap_lower_bound
from topotheory.simulate.counting import exact_expected_overlap
from topotheory.simulate.hypergeom import (
    MNIST_LAYER_SHAPES,
    LayerShape,
    random_overlap_logpmf,
    random_overlap_logsf,
    random_overlap_pmf_exact,
)
from topotheory.simulate.montecarlo import (
    OverlapSimulation,
    conv2d_toeplitz_edges,
    iid_graph_overlap_counts,
    simulate_overlap,
    simulate_random_overlap,
)
from topotheory.simulate.stats import (
    DEFAULT_ALPHA,
    Estimate,
    Verdict,
    estimate_mean,
    verdict_at_least,
)
from topotheory.simulate.worst_case import WorstCase, worst_case_overlap

__all__ = [
    "DEFAULT_BOUND_SHAPES",
    "DEFAULT_SPARSE_CASES",
    "DEFAULT_TIGHTNESS_SIZES",
    "NULL_MODEL_CONCLUSION",
    "null_model_conclusion",
    "ClaimCheck",
    "NullModelRow",
    "OverlapBoundRow",
    "TightnessRow",
    "check_overlap_bound",
    "check_overlap_bound_sparse",
    "check_overlap_bound_structured",
    "check_overlap_bound_worst_case",
    "check_random_overlap",
    "null_model_table",
    "overlap_bound_table",
    "tightness_table",
]

#: Shapes for the Theorem 3.3 check: exact up to ``exact_max_edges``, Monte Carlo beyond.
DEFAULT_BOUND_SHAPES: tuple[tuple[int, int], ...] = (
    (2, 2), (2, 3), (3, 3), (2, 7), (3, 5), (4, 4), (5, 5), (4, 9), (6, 6), (8, 8),
    (10, 10), (12, 15), (20, 20), (30, 30), (100, 10), (100, 100), (784, 100), (300, 500),
    (1000, 1000),
)  # fmt: skip
#: ``(n, m, rho)`` cases for Corollary 3.4.
DEFAULT_SPARSE_CASES: tuple[tuple[int, int, str], ...] = (
    (10, 10, "0.9"), (10, 10, "0.5"), (20, 20, "0.5"), (100, 100, "0.9"), (100, 100, "0.5"),
    (100, 100, "0.2"), (100, 100, "0.1"), (784, 100, "0.1"),
)  # fmt: skip
#: Side lengths of the tightness grid (all pairs ``n <= m``).
DEFAULT_TIGHTNESS_SIZES: tuple[int, ...] = (2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)


def _expectation(
    n: int, m: int, *, trials: int, seed: int, exact_max_edges: int, rho: Fraction = Fraction(1),
    model: str = "iid", **params: float,
) -> tuple[Fraction | None, OverlapSimulation | None]:
    """Exact ``E[X]`` when counting reaches the shape, else a simulation on stream (seed, n, m)."""
    if rho == 1 and model == "iid" and n * m <= exact_max_edges:
        return exact_expected_overlap(n, m), None
    stream = (seed, n, m) if rho == 1 else (seed, n, m, int(rho * 10**6))
    return None, simulate_overlap(n, m, trials=trials, seed=stream, model=model, rho=rho, **params)


def _exact_verdict(value: Fraction, bound: Fraction, alpha: float) -> Verdict:
    status = "confirmed" if value >= bound else "refuted"
    return Verdict(status, float(bound), float(value), float(value), alpha, "exact", exact=True)


@dataclass(frozen=True)
class OverlapBoundRow:
    """One shape of the Theorem 3.3 / Corollary 3.4 table.

    ``expectation`` is exact (iid, complete, small) or None; ``estimate`` the Monte
    Carlo estimate otherwise (with ``seed`` the stream used). ``verdicts`` maps each
    bound variant to its :class:`~topotheory.simulate.stats.Verdict`;
    ``worst_below`` says whether the adversarial minimum lies below the bound.
    """

    n: int
    m: int
    k: int
    rho: Fraction
    bounds: dict[str, Fraction]
    expectation: Fraction | None
    estimate: Estimate | None
    seed: tuple[int, ...] | None
    worst: WorstCase
    verdicts: dict[str, Verdict]
    worst_below: dict[str, bool]

    @property
    def mean(self) -> float:
        """Exact expectation if known, else the Monte Carlo mean."""
        return float(self.expectation) if self.expectation is not None else self.estimate.mean


def overlap_bound_table(
    shapes: tuple[tuple[int, int], ...] = DEFAULT_BOUND_SHAPES,
    variants: tuple[str, ...] = BOUND_VARIANTS,
    *,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    exact_max_edges: int = 400,
    rho: object = 1,
    model: str = "iid",
    **params: float,
) -> list[OverlapBoundRow]:
    """Bound (each variant) vs exact or Monte Carlo expectation vs worst case, per shape.

    Parameters
    ----------
    shapes : tuple of (n, m)
    variants : tuple of str
        Bound variants (:data:`~topotheory.simulate.bounds.BOUND_VARIANTS`).
    trials, seed : int
        Monte Carlo size and base seed (stream ``(seed, n, m)`` per shape).
    alpha : float
        Claim-level false-alarm rate, split over the shapes.
    exact_max_edges : int
        Use exact counting when ``n*m`` is at most this (400: 20x20 in under a second).
    rho : number
        Edge density; ``rho < 1`` checks Corollary 3.4 (bounds with ``rho*n*m``).
    model : str
        Weight model (default ``"iid"``).

    Examples
    --------
    >>> row = overlap_bound_table(((3, 3),))[0]
    >>> row.expectation, row.bounds["nm"], row.verdicts["nm"].status, row.worst.count
    (Fraction(13, 14), Fraction(14, 45), 'confirmed', 4)
    """
    rho = Fraction(str(rho)) if isinstance(rho, float) else Fraction(rho)
    per_shape_alpha = alpha / max(1, len(shapes))
    rows = []
    for n, m in shapes:
        k = n + m - 1
        bounds = {v: overlap_lower_bound(n, m, variant=v, rho=rho) for v in variants}
        exact, sim = _expectation(
            n, m, trials=trials, seed=seed, exact_max_edges=exact_max_edges, rho=rho,
            model=model, **params,
        )
        verdicts = {
            v: _exact_verdict(exact, b, per_shape_alpha)
            if exact is not None
            else verdict_at_least(sim.fractions, b, alpha=per_shape_alpha)
            for v, b in bounds.items()
        }
        worst = worst_case_overlap(n, m, k)
        rows.append(
            OverlapBoundRow(
                n, m, k, rho, bounds, exact, None if sim is None else sim.estimate,
                None if sim is None else sim.seed, worst, verdicts,
                {v: worst.fraction < b for v, b in bounds.items()},
            )
        )
    return rows


@dataclass(frozen=True)
class ClaimCheck:
    """Verdict on one claim (and one variant) with its evidence.

    Attributes
    ----------
    claim_id : str
        ``"overlap-bound"``, ``"overlap-bound-sparse"``, ``"random-overlap"``, or
        ``"overlap-bound/worst-case"`` (the for-every-matrix reading).
    variant : str
    status : {"confirmed", "refuted", "inconclusive"}
    kind : str
        ``"expectation"`` or ``"forall"``.
    model : str
        The random model, in words.
    alpha : float
        Claim-level false-alarm rate (``0`` when every piece of evidence is exact).
    method : str
    summary : str
        One line: what was found.
    rows : tuple
        The per-shape evidence (table rows).
    counterexample : dict or None
        For refutations: the smallest failing case (shape, values, and weights when
        a single matrix refutes).
    """

    claim_id: str
    variant: str
    status: str
    kind: str
    model: str
    alpha: float
    method: str
    summary: str
    rows: tuple = field(repr=False)
    counterexample: dict | None = None


_IID_MODEL = (
    "exchangeable weights (iid continuous) on the complete bipartite graph K_{n,m}: "
    "the top-k set is a uniform random k-subset of the n*m edges"
)


def _combine(statuses: list[str]) -> str:
    if "refuted" in statuses:
        return "refuted"
    return "confirmed" if all(s == "confirmed" for s in statuses) else "inconclusive"


def _first_failure(rows: list[OverlapBoundRow], variant: str) -> dict | None:
    for row in rows:
        verdict = row.verdicts[variant]
        if verdict.status == "refuted":
            return {
                "n": row.n, "m": row.m, "rho": str(row.rho),
                "bound": verdict.bound, "expectation_upper_limit": verdict.upper,
                "exact": verdict.exact,
            }
    return None


def check_overlap_bound(
    shapes: tuple[tuple[int, int], ...] = DEFAULT_BOUND_SHAPES,
    *,
    trials: int = 20_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    exact_max_edges: int = 400,
) -> dict[str, ClaimCheck]:
    """Claim ``overlap-bound`` (Theorem 3.3) in expectation, one check per variant.

    Examples
    --------
    >>> checks = check_overlap_bound(((2, 2), (3, 4)))
    >>> {v: c.status for v, c in checks.items()}
    {'nm': 'confirmed', 'nm-i+1': 'confirmed'}
    """
    rows = overlap_bound_table(
        shapes, trials=trials, seed=seed, alpha=alpha, exact_max_edges=exact_max_edges
    )
    out = {}
    for v in BOUND_VARIANTS:
        status = _combine([r.verdicts[v].status for r in rows])
        n_exact = sum(r.expectation is not None for r in rows)
        margin = min(r.mean - float(r.bounds[v]) for r in rows)
        out[v] = ClaimCheck(
            "overlap-bound", v, status, "expectation", _IID_MODEL, alpha,
            "exact counting + empirical Bernstein (Bonferroni over shapes)",
            f"{len(rows)} shapes ({n_exact} exact): E[X] - bound >= {margin:.4f} everywhere"
            if status == "confirmed" else f"{status} on {len(rows)} shapes",
            tuple(rows), _first_failure(rows, v),
        )
    return out


def check_overlap_bound_worst_case(*, max_side: int = 100) -> dict[str, ClaimCheck]:
    """The for-every-weight-matrix reading of Theorem 3.3, searched exactly.

    Theorem 3.3 is a statement about averages; this check asks whether it also holds
    for every weight matrix. All shapes ``n <= m <= max_side`` are scanned with the
    exact adversarial minimum (:func:`~topotheory.simulate.worst_case.worst_case_overlap`);
    the counterexample is the failing shape with the fewest edges, with the call that
    builds a weight matrix realising it (:func:`~topotheory.simulate.worst_case.worst_case_weights`).

    Examples
    --------
    >>> c = check_overlap_bound_worst_case(max_side=70)["nm"]
    >>> c.status, c.counterexample["n"], c.counterexample["m"], c.counterexample["worst_count"]
    ('refuted', 61, 69, 22)
    """
    out = {}
    for v in BOUND_VARIANTS:
        failing: list[tuple[int, int, int, WorstCase, Fraction]] = []
        n_shapes = 0
        for n in range(1, max_side + 1):
            for m in range(n, max_side + 1):
                n_shapes += 1
                worst = worst_case_overlap(n, m)
                bound = overlap_lower_bound(n, m, variant=v)
                if worst.fraction < bound:
                    failing.append((n * m, n, m, worst, bound))
        failing.sort(key=lambda f: f[:3])
        counterexample = None
        if failing:
            _, n, m, worst, bound = failing[0]
            counterexample = {
                "n": n, "m": m, "k": worst.k, "worst_count": worst.count,
                "worst_fraction": str(worst.fraction), "bound": float(bound),
                "bound_exact": str(bound), "block": worst.block,
                "weights": f"worst_case_weights({n}, {m})",
            }
        out[v] = ClaimCheck(
            "overlap-bound/worst-case", v, "refuted" if failing else "confirmed", "forall",
            "every strict weight order of K_{n,m}", 0.0, "exact (block packing, proved optimal)",
            f"{len(failing)} of {n_shapes} shapes with n <= m <= {max_side} have weight "
            "matrices below the bound (it holds only on average)"
            if failing else f"the bound holds for every weight order, n <= m <= {max_side}",
            tuple((f[1], f[2], f[3], f[4]) for f in failing), counterexample,
        )
    return out


def check_overlap_bound_sparse(
    cases: tuple[tuple[int, int, str], ...] = DEFAULT_SPARSE_CASES,
    *,
    trials: int = 4_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
) -> dict[str, ClaimCheck]:
    """Claim ``overlap-bound-sparse`` (Corollary 3.4) in expectation, per variant.

    Model: a uniformly random support of ``round(rho n m)`` edges conditioned on
    being connected, exchangeable weights on it (Monte Carlo; the attempts needed
    are in each row's ``estimate`` via ``trials``/``attempts`` of the simulation).

    Examples
    --------
    >>> c = check_overlap_bound_sparse(((10, 10, "0.2"),), trials=500)["nm"]
    >>> c.status, c.counterexample["rho"]
    ('refuted', '1/5')
    """
    per_case_alpha = alpha / max(1, len(cases))
    rows: list[OverlapBoundRow] = []
    for n, m, rho in cases:
        (row,) = overlap_bound_table(
            ((n, m),), trials=trials, seed=seed, alpha=per_case_alpha, rho=rho
        )
        rows.append(row)
    out = {}
    for v in BOUND_VARIANTS:
        status = _combine([r.verdicts[v].status for r in rows])
        over_one = [f"{r.n}x{r.m} rho={r.rho}" for r in rows if r.bounds[v] > 1]
        out[v] = ClaimCheck(
            "overlap-bound-sparse", v, status, "expectation",
            "uniform random support of round(rho*n*m) edges, conditioned on connectivity; "
            "exchangeable weights on it",
            alpha, "empirical Bernstein (Bonferroni over cases)",
            f"{status}; bound exceeds 1 (impossible for a fraction) at: {', '.join(over_one) or 'none'}",
            tuple(rows), _first_failure(rows, v),
        )
    return out


def check_overlap_bound_structured(
    shapes: tuple[tuple[int, int], ...] = ((100, 100), (1000, 1000)),
    *,
    model: str = "low-rank",
    trials: int = 3_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    **params: float,
) -> dict[str, ClaimCheck]:
    """Theorem 3.3 under a non-exchangeable weight model (outside its hypotheses).

    The proof assumes a uniformly random weight order. This check asks whether the
    bound survives structure; the default is a rank-1 layer ``u v^T`` (``model=
    "low-rank"``, ``rank=1``, ``noise=0``), whose top-k set is a staircase that
    shares many rows and columns. Measured: at 1000 x 1000 the mean overlap is about
    0.140 against the bound 0.167, refuted at ``alpha = 1e-3`` with 3,000 trials
    (about a minute); at 100 x 100 it is about 0.27 and the bound holds.

    Examples
    --------
    >>> c = check_overlap_bound_structured(((30, 30),), trials=300)["nm"]
    >>> c.status, c.claim_id
    ('confirmed', 'overlap-bound/non-exchangeable')
    """
    params = {"rank": 1, "noise": 0.0, **params} if model == "low-rank" else params
    rows = overlap_bound_table(
        shapes, trials=trials, seed=seed, alpha=alpha, exact_max_edges=0, model=model, **params
    )
    out = {}
    for v in BOUND_VARIANTS:
        status = _combine([r.verdicts[v].status for r in rows])
        out[v] = ClaimCheck(
            "overlap-bound/non-exchangeable", v, status, "expectation",
            f"{model} weights {params} (not exchangeable: outside Theorem 3.3's hypotheses)",
            alpha, "empirical Bernstein (Bonferroni over shapes)",
            "; ".join(f"{r.n}x{r.m}: E[X] ~ {r.mean:.4f} vs bound {float(r.bounds[v]):.4f} "
                      f"({r.verdicts[v].status})" for r in rows),
            tuple(rows), _first_failure(rows, v),
        )
    return out


def _log10_fraction(value: Fraction) -> float:
    def log10_int(x: int) -> float:
        shift = max(0, x.bit_length() - 60)
        return math.log10(x >> shift) + shift * math.log10(2.0)

    return -math.inf if value == 0 else log10_int(value.numerator) - log10_int(value.denominator)


def _brute_force_random_overlap(n_edges: int, k: int) -> dict[int, Fraction]:
    from itertools import combinations

    subsets = [frozenset(c) for c in combinations(range(n_edges), k)]
    tally: dict[int, int] = {}
    for a in subsets:
        for b in subsets:
            x = len(a & b)
            tally[x] = tally.get(x, 0) + 1
    total = len(subsets) ** 2
    return {x: Fraction(c, total) for x, c in sorted(tally.items())}


def check_random_overlap(
    shapes: tuple[LayerShape, ...] = MNIST_LAYER_SHAPES,
    *,
    trials: int = 4_000,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,
    exact_max_k: int = 2_000,
) -> ClaimCheck:
    """Claim ``random-overlap`` (Appendix C): the hypergeometric law of two random k-subsets.

    Evidence, in three parts: (1) exact: every pair of k-subsets of ``N <= 7`` edges is
    enumerated and the law equals the formula as rationals; (2) numerics: the log-space
    pmf and upper tail at the paper's four thresholds agree with the exact rationals to
    relative error ``1e-9`` (``log10`` difference ``< 1e-9 * max(1, |log10 p|)``) for
    every shape with ``k <= exact_max_k``; (3) simulation: the Monte Carlo mean overlap
    fraction of two random k-subsets has a two-sided empirical-Bernstein interval that
    contains the exact mean ``k/N`` (at ``alpha``, split over shapes).

    Examples
    --------
    >>> check_random_overlap(trials=2_000).status
    'confirmed'
    """
    from topotheory.simulate.hypergeom import _threshold, random_overlap_sf_exact

    failures: list[str] = []
    rows: list[dict] = []
    for n_edges in range(1, 8):
        for k in range(1, n_edges + 1):
            law = _brute_force_random_overlap(n_edges, k)
            formula = {
                x: random_overlap_pmf_exact(x, n_edges, k) for x in range(k + 1)
            }
            if law != {x: p for x, p in formula.items() if p}:
                failures.append(f"enumeration N={n_edges} k={k}")
    per_shape = alpha / max(1, len(shapes))
    for index, shape in enumerate(shapes):
        k, total = shape.k, shape.n_edges
        row: dict = {"name": shape.name, "n_edges": total, "k": k}
        if k <= exact_max_k:
            worst = 0.0
            for frac in (Fraction(1, 20), Fraction(2, 5)):
                for at_least in (False, True):
                    x = _threshold(frac, k, at_least=at_least)
                    if at_least:
                        log_fast = float(random_overlap_logsf(x, total, k)) / math.log(10)
                        log_exact = _log10_fraction(random_overlap_sf_exact(x, total, k))
                    else:
                        log_fast = float(random_overlap_logpmf(x, total, k)) / math.log(10)
                        log_exact = _log10_fraction(random_overlap_pmf_exact(x, total, k))
                    worst = max(worst, abs(log_fast - log_exact) / max(1.0, abs(log_exact)))
            row["max_relative_log10_error"] = worst
            if worst > 1e-9:
                failures.append(f"log-space vs exact at {shape.name}: {worst:.2e}")
        counts = simulate_random_overlap(total, k, trials, seed=(seed, index, total, k))
        estimate = estimate_mean(counts / k, confidence=1 - per_shape, method="bernstein")
        row["mc_mean_fraction"] = estimate.mean
        row["exact_mean_fraction"] = k / total
        row["ci"] = (estimate.ci_low, estimate.ci_high)
        if not estimate.ci_low <= k / total <= estimate.ci_high:
            failures.append(f"simulated mean at {shape.name}")
        rows.append(row)
    status = "refuted" if failures else "confirmed"
    return ClaimCheck(
        "random-overlap", "hypergeometric", status, "expectation",
        "two independent uniform random k-subsets of the layer's edges", alpha,
        "exact enumeration + exact rationals + empirical Bernstein",
        "; ".join(failures) if failures else (
            "formula equals enumeration (N <= 7); log-space agrees with exact rationals; "
            "simulated means agree"
        ),
        tuple(rows), {"failures": failures} if failures else None,
    )


@dataclass(frozen=True)
class TightnessRow:
    """Bound / true expectation for one shape (``n <= m``)."""

    n: int
    m: int
    k: int
    expectation: float
    source: str  # "exact" or "monte-carlo"
    ci_low: float
    ci_high: float
    bounds: dict[str, float]
    ratios: dict[str, float]


def tightness_table(
    sizes: tuple[int, ...] = DEFAULT_TIGHTNESS_SIZES,
    *,
    trials: int = 2_000,
    seed: int = 0,
    exact_max_edges: int = 400,
    confidence: float = 1 - DEFAULT_ALPHA,
) -> list[TightnessRow]:
    """Tightness ``bound / E[X]`` of Theorem 3.3 over all pairs ``n <= m`` of ``sizes``.

    ``E[X]`` is exact (iid model) where ``n*m <= exact_max_edges``, Monte Carlo
    (iid, ``trials`` per shape, Bernstein interval at ``confidence``) otherwise.
    Both ``E[X]`` and the bound are symmetric in ``(n, m)``.

    Examples
    --------
    >>> rows = tightness_table((2, 10))
    >>> [(r.n, r.m, round(r.ratios["nm"], 3)) for r in rows]
    [(2, 2, 0.417), (2, 10, 0.159), (10, 10, 0.236)]
    """
    rows = []
    for i, n in enumerate(sizes):
        for m in sizes[i:]:
            k = n + m - 1
            bounds = {v: float(overlap_lower_bound(n, m, variant=v)) for v in BOUND_VARIANTS}
            if n * m <= exact_max_edges:
                value = float(exact_expected_overlap(n, m))
                low = high = value
                source = "exact"
            else:
                sim = simulate_overlap(
                    n, m, trials=trials, seed=(seed, n, m), confidence=confidence
                )
                value, low, high = sim.estimate.mean, sim.estimate.ci_low, sim.estimate.ci_high
                source = "monte-carlo"
            rows.append(
                TightnessRow(
                    n, m, k, value, source, low, high, bounds,
                    {v: b / value for v, b in bounds.items()},
                )
            )
    return rows


@dataclass(frozen=True)
class NullModelRow:
    """iid-weights expectation vs the paper's hypergeometric null for one layer."""

    name: str
    n: int
    m: int
    n_edges: int
    k: int
    iid: Estimate
    hypergeometric_mean: float  # k / n_edges, the null's expected overlap fraction
    ratio: float  # iid mean / hypergeometric mean
    log10_null_tail_at_iid_mean: float  # log10 P_null(X >= ceil(iid mean * k))
    bounds: dict[str, float]  # Theorem 3.3 (dense) / Corollary 3.4 with rho = n_edges/(n m)


def null_model_table(
    shapes: tuple[LayerShape, ...] = MNIST_LAYER_SHAPES,
    *,
    trials: int = 2_000,
    seed: int = 0,
    confidence: float = 1 - DEFAULT_ALPHA,
) -> list[NullModelRow]:
    """The null-model question: overlap under iid weights vs two unrelated random k-subsets.

    For each layer: the expected top-k / MST overlap fraction when the weights carry no
    information at all (iid; Monte Carlo, Bernstein interval), the hypergeometric null's
    expected fraction ``k / n_edges`` used in Appendix C, their ratio, and how unlikely
    the iid mean itself would look under the hypergeometric null. Conv layers use the
    per-channel-pair Toeplitz graph (iid weights on its edges; weight sharing ignored).

    Examples
    --------
    >>> row = null_model_table(trials=200)[1]
    >>> row.name, round(row.hypergeometric_mean, 4), row.iid.mean > 0.8
    ('fcn.dense2', 0.0199, True)
    """
    rows = []
    for index, shape in enumerate(shapes):
        k = shape.k
        stream = (seed, index, shape.n, shape.m)
        if shape.n_edges == shape.n * shape.m:
            estimate = simulate_overlap(
                shape.n, shape.m, trials=trials, seed=stream, confidence=confidence
            ).estimate
            rho: Fraction = Fraction(1)
        else:
            u, v, n_in, n_out = conv2d_toeplitz_edges(28, 28, 3, 1)
            if (n_in, n_out, u.size) != (shape.n, shape.m, shape.n_edges):
                raise ValueError(f"no graph builder for the sparse layer {shape.name}")
            counts = iid_graph_overlap_counts(u, v, n_in + n_out, trials, seed=stream, k=k)
            estimate = estimate_mean(
                counts / k, confidence=confidence,
                mean_exact=Fraction(int(counts.sum()), trials * k),
            )
            rho = Fraction(shape.n_edges, shape.n * shape.m)
        null_mean = k / shape.n_edges
        x = math.ceil(estimate.mean * k)
        rows.append(
            NullModelRow(
                shape.name, shape.n, shape.m, shape.n_edges, k, estimate, null_mean,
                estimate.mean / null_mean,
                float(random_overlap_logsf(x, shape.n_edges, k)) / math.log(10),
                {v: float(overlap_lower_bound(shape.n, shape.m, variant=v, rho=rho))
                 for v in BOUND_VARIANTS},
            )
        )
    return rows


#: Plain statement of the null-model conclusion (numbers: :func:`null_model_conclusion`).
NULL_MODEL_CONCLUSION = (
    "Appendix C judges the top-k/MST overlap against two unrelated random k-subsets "
    "(hypergeometric null, expected fraction k/E). That is the wrong null: the MST is built "
    "from the same weights as the top-k set, so weights that carry no information at all "
    "(iid) already give a large overlap, many times k/E and astronomically 'significant' "
    "under the hypergeometric null. A trained layer's overlap must be compared with the iid "
    "expectation, not with k/E; an overlap near the iid value says nothing about training."
)


def null_model_conclusion(rows: list[NullModelRow]) -> str:
    """The conclusion of :func:`null_model_table`, with the numbers of ``rows`` filled in.

    Examples
    --------
    >>> "wrong null" in null_model_conclusion(null_model_table(trials=100))
    True
    """
    iid = [r.iid.mean for r in rows]
    null = [r.hypergeometric_mean for r in rows]
    ratio = [r.ratio for r in rows]
    tail = max(r.log10_null_tail_at_iid_mean for r in rows)
    return (
        f"Under iid weights (no training at all) the expected top-k/MST overlap on these "
        f"layers is {min(iid):.0%}-{max(iid):.0%} of k; the paper's hypergeometric null "
        f"expects {min(null):.1%}-{max(null):.1%}, so the iid value is {min(ratio):.1f}-"
        f"{max(ratio):.1f} times larger and has null probability at most 10^{tail:.0f}. "
        + NULL_MODEL_CONCLUSION
    )
