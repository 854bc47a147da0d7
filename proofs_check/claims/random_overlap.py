"""random-overlap (App. C): the hypergeometric law, by exhaustive enumeration + sympy."""

from __future__ import annotations

import itertools
import time

import sympy as sp

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict
from topotheory.theory.hypergeom import hypergeom_pmf, hypergeom_upper_tail, paper_probabilities

ID = "random-overlap"
MNIST_SHAPES = ((784, 100), (100, 100), (100, 10))


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    p = get_profile(profile)
    proved, symbolic = c.symbolic_evidence(("hypergeom_normalized", "hypergeom_mean"))
    start = time.perf_counter()
    max_total = 7 if p.name == "quick" else 9
    cases = 0
    for total in range(1, max_total + 1):
        for k in range(total + 1):
            subsets = [frozenset(s) for s in itertools.combinations(range(total), k)]
            counts: dict[int, int] = {}
            for a in subsets:
                for b in subsets:
                    x = len(a & b)
                    counts[x] = counts.get(x, 0) + 1
            pairs = len(subsets) ** 2
            for x in range(k + 1):
                cases += 1
                if hypergeom_pmf(total, k, x) != sp.Rational(counts.get(x, 0), pairs):
                    return c.make_verdict(ID, "refuted", evidence=symbolic, counterexample={
                        "N": total, "k": k, "x": x, "enumerated": f"{counts.get(x, 0)}/{pairs}",
                        "formula": str(hypergeom_pmf(total, k, x))})
                tail = sum(v for xx, v in counts.items() if xx >= x)
                if hypergeom_upper_tail(total, k, x) != sp.Rational(tail, pairs):
                    return c.make_verdict(ID, "refuted", evidence=symbolic, counterexample={
                        "N": total, "k": k, "x": x, "what": "upper tail"})
    evidence = {
        "enumeration": f"all pairs of k-subsets of N <= {max_total} edges, every k and x",
        "cases": cases, "enumeration_seconds": round(time.perf_counter() - start, 3),
        "paper_probabilities_k=n+m-1": {f"{n}x{m}": paper_probabilities(n, m)
                                         for n, m in MNIST_SHAPES},
        "threshold_rule": "x = ceil(f * k) overlapping edges for a fraction f",
        **symbolic,
    }
    status = "confirmed" if proved else "inconclusive"
    return c.make_verdict(ID, status, evidence=evidence)
