"""The error law ``|E[X] - law(n, m)| <= C / min(n, m)`` decided by the expectation rule.

Shared by ``overlap-law-error`` (raw law, ``C = 0.25``, ``min >= 2``) and
``overlap-law-corrected`` (finite-size corrected law, ``C = 0.025``, ``min >= 6``).

Each shape gives two one-sided statements, both read as lower bounds so that
:func:`proofs_check.rules.expectation_verdict` decides them: ``E[X] >= law - C/s`` (side
``lower``) and ``-E[X] >= -(law + C/s)`` (side ``upper``, fields negated, marked
``negated: true``). Exact rows: every shape of the stated grid, by counting (exhaustive).
Bounds are written as float decimals (``repr``) and compared exactly with the exact
rational ``E[X]``. Monte Carlo rows: one two-sided Bernstein interval per shape at confidence
``1 - FAMILY_ALPHA / shapes`` (both sides of a shape come from the same interval, so the
family-wise false-verdict rate is ``<= FAMILY_ALPHA``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from proofs_check.context import CheckContext
from proofs_check.rules import FAMILY_ALPHA, MonteCarloTest, expectation_verdict
from proofs_check.verdict import Verdict

__all__ = ["error_law_verdict", "profiled_error_law_verdict"]


def _exact_rows(ctx: CheckContext, shapes: Sequence[tuple[int, int]], *, corrected: bool,
                constant: float, shift: float) -> list[dict[str, Any]]:
    from topotheory.simulate.counting import exact_expected_overlap
    from topotheory.simulate.overlap_limit import overlap_limit, overlap_limit_corrected

    law_of = overlap_limit_corrected if corrected else overlap_limit
    rows = []
    with ctx.timed("exact"):
        for n, m in shapes:
            k = n + m - 1
            exact = Fraction(exact_expected_overlap(n, m))
            law = float(law_of(n, m)) + shift / k
            half = float(constant) / min(n, m)
            # the binding side: only it can fail (the other holds with margin >= C/s)
            if exact >= Fraction(repr(law)):
                rows.append({"n": n, "m": m, "side": "upper", "negated": True,
                             "E[X]": str(-exact), "bound": repr(-(law + half)),
                             "scaled_error": (float(exact) - law) * min(n, m)})
            else:
                rows.append({"n": n, "m": m, "side": "lower", "negated": False,
                             "E[X]": str(exact), "bound": repr(law - half),
                             "scaled_error": (float(exact) - law) * min(n, m)})
    return rows


def _mc_tests(ctx: CheckContext, shapes: Sequence[tuple[int, int]], *, trials: int,
              corrected: bool, constant: float, shift: float) -> list[MonteCarloTest]:
    from topotheory.simulate.overlap_limit_checks import law_monte_carlo_errors

    with ctx.timed("monte_carlo"):
        rows = law_monte_carlo_errors(shapes, trials=trials, seed=ctx.seed, alpha=FAMILY_ALPHA,
                                      corrected=corrected)
    tests = []
    for r in rows:
        law = r.law + shift / r.k
        half = constant / min(r.n, r.m)
        details = {"ci_method": "bernstein", "trials": r.trials, "seed": [ctx.seed, r.n, r.m],
                   "model": "iid", "law": law, "scaled_error": (r.expected - law) * min(r.n, r.m)}
        tests.append(MonteCarloTest(label=f"{r.n}x{r.m} lower", mean=r.expected,
                                    ci_low=r.ci_low, ci_high=r.ci_high,
                                    confidence=r.confidence, bound=law - half, details=details))
        tests.append(MonteCarloTest(label=f"{r.n}x{r.m} upper (negated)", mean=-r.expected,
                                    ci_low=-r.ci_high, ci_high=-r.ci_low,
                                    confidence=r.confidence, bound=-(law + half),
                                    details=details))
    return tests


def profiled_error_law_verdict(ctx: CheckContext, *, corrected: bool,
                               exact_max_edges: tuple[int, int],
                               mc_shapes: tuple[Sequence[tuple[int, int]],
                                                Sequence[tuple[int, int]]]) -> Verdict:
    """:func:`error_law_verdict` with the plain (``corrected=False``) or corrected law's
    constants; ``exact_max_edges`` and ``mc_shapes`` are ``(quick, deep)`` pairs, and the
    Monte Carlo trials are the claim's design's for the profile."""
    from topotheory.simulate.overlap_limit import (
        CORRECTED_ERROR_CONSTANT,
        CORRECTED_MIN_SIDE,
        LAW_ERROR_CONSTANT,
        LAW_MIN_SIDE,
    )

    quick = ctx.profile.name == "quick"
    constant, min_side = ((CORRECTED_ERROR_CONSTANT, CORRECTED_MIN_SIDE) if corrected
                          else (LAW_ERROR_CONSTANT, LAW_MIN_SIDE))
    return error_law_verdict(ctx, corrected=corrected, constant=constant, min_side=min_side,
                             exact_max_edges=exact_max_edges[0 if quick else 1],
                             mc_shapes=mc_shapes[0 if quick else 1],
                             trials=ctx.design.count(ctx.profile.name))


def error_law_verdict(ctx: CheckContext, *, corrected: bool, constant: float, min_side: int,
                      exact_max_edges: int, mc_shapes: Sequence[tuple[int, int]],
                      trials: int) -> Verdict:
    """Decide ``|E[X] - law| <= constant / min(n, m)`` (twins: ``constant``, ``shift``,
    ``corrected``, read by ``ctx.twin_param``)."""
    from topotheory.simulate.overlap_limit_checks import exact_grid

    constant = float(ctx.twin_param("constant", constant))
    corrected = bool(ctx.twin_param("corrected", corrected))
    shift = float(ctx.twin_param("shift", 0.0))
    shapes = exact_grid(exact_max_edges, min_side=min_side)
    exact = _exact_rows(ctx, shapes, corrected=corrected, constant=constant, shift=shift)
    tests = _mc_tests(ctx, mc_shapes, trials=trials, corrected=corrected, constant=constant,
                      shift=shift)
    worst = max(exact, key=lambda row: abs(row["scaled_error"]))
    return expectation_verdict(ctx, exact=exact, monte_carlo=tests, n_tests=len(mc_shapes),
                               evidence={
        "random_model": "complete bipartite n x m, exchangeable (iid) weights, k = n + m - 1",
        "law": "corrected (law + finite-size term)" if corrected else "raw fixed-point law",
        "constant": constant, "law_shift_times_k": shift,
        "exact_domain": f"every {min_side} <= n <= m with n m <= {exact_max_edges} "
                        f"({len(shapes)} shapes, exhaustive)",
        "exact_worst_scaled_error": {"n": worst["n"], "m": worst["m"],
                                     "scaled_error": worst["scaled_error"]},
        "monte_carlo_shapes": [list(s) for s in mc_shapes],
        "monte_carlo_note": "one two-sided interval per shape, both sides tested on it; the "
                            "upper side is stated as -E[X] >= -(law + C/min)",
        "rows_note": "exact rows give the binding side of each shape; scaled_error = "
                     "(E[X] - law) min(n, m)"})
