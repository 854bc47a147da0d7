"""random-overlap (App. C): the hypergeometric law, by exhaustive enumeration + sympy."""

from __future__ import annotations

import itertools

import sympy as sp

from proofs_check.context import CheckContext
from proofs_check.rules import symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.random_overlap import CLAIM
from topotheory.theory.hypergeom import hypergeom_pmf, hypergeom_upper_tail, paper_probabilities

MNIST_SHAPES = ((784, 100), (100, 100), (100, 10))


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    proved, symbolic = symbolic_evidence(ctx)
    max_total = 7 if ctx.profile.name == "quick" else 9
    shift = ctx.twin_param("x_offset", 0)

    def pmf(total, k, x):  # the claim; a false twin shifts x
        return hypergeom_pmf(total, k, x + shift) if 0 <= x + shift <= k else sp.Integer(0)
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
                if pmf(total, k, x) != sp.Rational(counts.get(x, 0), pairs):
                    return ctx.verdict("refuted", evidence=symbolic, counterexample={
                        "N": total, "k": k, "x": x, "enumerated": f"{counts.get(x, 0)}/{pairs}",
                        "formula": str(pmf(total, k, x))})
                tail = sum(v for xx, v in counts.items() if xx >= x)
                if hypergeom_upper_tail(total, k, x) != sp.Rational(tail, pairs):
                    return ctx.verdict("refuted", evidence=symbolic, counterexample={
                        "N": total, "k": k, "x": x, "what": "upper tail"})
    evidence = {
        "enumeration": f"all pairs of k-subsets of N <= {max_total} edges, every k and x",
        "exhaustive": True, "domain_bounds": {"N": [1, max_total], "k": "0..N", "x": "0..k"},
        "cases": cases,
        "paper_probabilities_k=n+m-1": {f"{n}x{m}": paper_probabilities(n, m)
                                         for n, m in MNIST_SHAPES},
        "threshold_rule": "x = ceil(f * k) overlapping edges for a fraction f",
        **symbolic,
    }
    status = "confirmed" if proved else "inconclusive"
    return ctx.verdict(status, evidence=evidence)
