"""Appendix C laws (against enumeration) and the symbolic proofs."""

import itertools
import math
import subprocess
import sys

import sympy as sp

from topotheory.theory import hypergeom, proofs


def test_pmf_matches_enumeration_of_subset_pairs():
    for total in range(1, 8):
        for k in range(0, total + 1):
            counts = {}
            subsets = list(itertools.combinations(range(total), k))
            for a in subsets:
                for b in subsets:
                    x = len(set(a) & set(b))
                    counts[x] = counts.get(x, 0) + 1
            for x in range(0, k + 1):
                assert hypergeom.hypergeom_pmf(total, k, x) == sp.Rational(counts.get(x, 0), len(subsets) ** 2)


def test_pmf_sums_to_one_and_mean_exactly_including_n_below_2k():
    for total in range(1, 30):
        for k in range(1, total + 1):
            pmf = [hypergeom.hypergeom_pmf(total, k, x) for x in range(k + 1)]
            assert sum(pmf) == 1
            assert sum(x * p for x, p in enumerate(pmf)) == sp.Rational(k * k, total)
            assert hypergeom.hypergeom_upper_tail(total, k, 1) == 1 - pmf[0]


def test_paper_probabilities_are_consistent():
    p = hypergeom.paper_probabilities(100, 100)
    assert p["k"] == 199
    assert 0 < p["exactly_5%"] <= p["at_least_5%"] <= 1
    x = math.ceil(0.4 * 199)
    assert abs(p["at_least_40%_log10"] - float(sp.log(hypergeom.hypergeom_upper_tail(10000, 199, x), 10))) < 1e-9


def test_every_symbolic_proof_is_proved():
    for name in proofs.PROOFS:
        result = proofs.run_proof(name)
        assert result.status == "proved", (name, result.steps)


def test_an_unprovable_statement_stays_unproved():
    a = sp.Symbol("a", integer=True, nonnegative=True)
    # kappa_dense(n, m) >= min(n, m) is false; the same machinery must not prove it.
    gap = sp.factor(sp.together(-(1 + a) * a / (2 * a + 1)))
    assert gap.is_nonnegative is not True


def test_theory_imports_no_numpy_or_torch():
    code = "import sys, topotheory.theory.registry, topotheory.theory.proofs; print('numpy' in sys.modules or 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_overlap_ways_is_the_one_count_of_both_exact_laws():
    import math
    from fractions import Fraction

    from topotheory.simulate.hypergeom import random_overlap_pmf_exact, random_overlap_sf_exact

    for total in range(1, 12):
        for k in range(0, total + 1):
            ways = [hypergeom.overlap_ways(total, k, x) for x in range(-1, k + 2)]
            assert ways[0] == ways[-1] == 0  # outside the support
            assert sum(ways) == math.comb(total, k)  # Vandermonde
            for x in range(0, k + 1):
                pmf = hypergeom.hypergeom_pmf(total, k, x)
                assert Fraction(int(pmf.p), int(pmf.q)) == random_overlap_pmf_exact(x, total, k)
                tail = hypergeom.hypergeom_upper_tail(total, k, x)
                assert Fraction(int(tail.p), int(tail.q)) == random_overlap_sf_exact(x, total, k)
