"""overlap-bound (Thm 3.3): E[X] >= bound, exactly on small layers, by Monte Carlo on large.

Random model: complete bipartite ``n x m`` layer, exchangeable weights (uniformly random
order). Needs ``topotheory.simulate`` (exact enumeration and Monte Carlo); without it the
verdict is ``inconclusive``.
"""

from __future__ import annotations

import time

import sympy as sp

from proofs_check.claims import _common as c
from proofs_check.claims import _expect
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict
from topotheory.theory.overlap import BOUND_VARIANTS, overlap_lower_bound

ID = "overlap-bound"
MC_SHAPES = ((784, 100), (100, 100), (100, 10), (20, 20))


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    variant = variant or BOUND_VARIANTS[0]
    if variant not in BOUND_VARIANTS:
        raise ValueError(f"variant={variant!r}: choose one of {BOUND_VARIANTS}")
    p = get_profile(profile)
    proved, symbolic = c.symbolic_evidence((f"closed_form_{variant}", "bound_le_one",
                                            "bound_square_limit"))
    bounds = {f"{n}x{m}": float(overlap_lower_bound(n, m, variant)) for n, m in MC_SHAPES}
    evidence = {"random_model": "complete bipartite, exchangeable weights", "bounds": bounds,
                **symbolic}
    exact_fn, mc_fn = _expect.exact_expected_overlap(), _expect.monte_carlo_overlap()
    if exact_fn is None:
        return c.needs(ID, "needs topotheory.simulate.exact_expected_overlap(n, m, k=None) -> "
                       "Fraction (simulation issue not merged yet)", variant=variant, **evidence)
    start = time.perf_counter()
    exact_rows, violations = [], []
    for n in range(1, p.exact_max_side + 1):
        for m in range(n, p.exact_max_side + 1):
            value = sp.Rational(str(exact_fn(n, m)))
            bound = overlap_lower_bound(n, m, variant)
            exact_rows.append({"n": n, "m": m, "E[X]": str(value), "bound": str(bound)})
            if value < bound:
                violations.append({"n": n, "m": m, "E[X]": str(value), "bound": str(bound),
                                   "E[X]_float": float(value), "bound_float": float(bound)})
    evidence["exact"] = exact_rows
    evidence["exact_seconds"] = round(time.perf_counter() - start, 3)
    if violations:
        return c.make_verdict(ID, "refuted", variant=variant, evidence=evidence,
                              counterexample=violations[0] | {"all_violations": violations})
    if mc_fn is None:
        evidence["monte_carlo"] = "not run: needs topotheory.simulate.simulate_overlap"
        return c.make_verdict(ID, "confirmed", variant=variant, evidence=evidence)
    mc = {}
    for i, (n, m) in enumerate(MC_SHAPES):
        summary = _expect.mc_summary(mc_fn(n, m, trials=p.mc_trials, seed=(seed, i)))
        summary["bound"] = bounds[f"{n}x{m}"]
        mc[f"{n}x{m}"] = summary
        if summary["ci_high"] < summary["bound"]:
            evidence["monte_carlo"] = mc
            return c.make_verdict(ID, "refuted", variant=variant, evidence=evidence,
                                  counterexample={"n": n, "m": m, **summary})
    evidence["monte_carlo"] = mc
    return c.make_verdict(ID, "confirmed", variant=variant, evidence=evidence)
