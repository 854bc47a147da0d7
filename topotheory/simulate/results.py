"""Result tables the report shows (the claims themselves are decided by ``proofs_check``).

Everything here is deterministic given ``seed``: each shape gets its own stream
``numpy.random.default_rng((seed, n, m))`` (plus ``rho`` scaled to an int for sparse
runs), so adding or removing shapes never changes another shape's numbers.

Each row of :func:`overlap_bound_table` carries a per-shape status, decided exactly where
the exact expectation is computable and otherwise by
:func:`~topotheory.simulate.stats.verdict_at_least` with an empirical-Bernstein bound at
``alpha / (number of shapes)``. The claim verdicts (``overlap-bound``,
``overlap-bound-sparse``, ``overlap-bound-worst-case``, ``random-overlap``) come from
``python -m proofs_check``, with the decision rules of ``proofs_check.rules``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from topotheory.result import Result
from topotheory.simulate.bounds import BOUND_VARIANTS, overlap_lower_bound
from topotheory.simulate.counting import exact_expected_overlap
from topotheory.simulate.hypergeom import (
    MNIST_LAYER_SHAPES,
    LayerShape,
    LayerShapeRow,
    random_overlap_logsf,
)
from topotheory.simulate.montecarlo import (
    OverlapSimulation,
    conv2d_toeplitz_edges,
    iid_graph_overlap_counts,
    simulate_overlap,
)
from topotheory.simulate.stats import (
    DEFAULT_ALPHA,
    BoundDecision,
    Estimate,
    estimate_mean,
    verdict_at_least,
)
from topotheory.simulate.worst_case import WorstCase, worst_case_overlap
from topotheory.theory.decision import three_way

__all__ = [
    "DEFAULT_BOUND_SHAPES",
    "DEFAULT_TIGHTNESS_SIZES",
    "NULL_MODEL_CONCLUSION",
    "null_model_conclusion",
    "NullModelRow",
    "OverlapBoundRow",
    "TightnessRow",
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


def _exact_verdict(value: Fraction, bound: Fraction, alpha: float) -> BoundDecision:
    return BoundDecision(three_way(value, value, bound), float(bound), float(value),
                         float(value), alpha, "exact", exact=True)


@dataclass(frozen=True, repr=False)
class OverlapBoundRow(Result):
    """One shape of the Theorem 3.3 / Corollary 3.4 table.

    ``expectation`` is exact (iid, complete, small) or None; ``estimate`` the Monte
    Carlo estimate otherwise (with ``seed`` the stream used). ``verdicts`` maps each
    bound variant to its :class:`~topotheory.simulate.stats.BoundDecision`;
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
    verdicts: dict[str, BoundDecision]
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
                {v: worst.fraction_exact < b for v, b in bounds.items()},
            )
        )
    return rows


@dataclass(frozen=True, repr=False)
class TightnessRow(Result):
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


@dataclass(frozen=True, repr=False)
class NullModelRow(LayerShapeRow):
    """iid-weights expectation vs the paper's hypergeometric null for one layer."""

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
