"""Helpers the claim statements share: symbols, twins, bound variants, Monte Carlo designs."""

from __future__ import annotations

from functools import cache

import sympy as sp

from topotheory.theory import hypergeom, overlap
from topotheory.theory.claim import Deferred, FalseTwin, Provenance, Variant
from topotheory.theory.design import MC_FAMILY_ALPHA, Design

N, M, H, T = sp.symbols("n m h T", integer=True, positive=True)

K_EDGES = N + M - 1

S_MIN = sp.Min(N, M)


@cache
def bound_relation(variant: str, sparse: bool = False) -> sp.Basic:
    """``E[X] >= closed form / k`` of one reading (sympy derives it: give it to a claim as
    ``Deferred(bound_relation, variant)``, computed on first read, not at import)."""
    closed = overlap.bound_closed_form(variant, sparse=sparse).subs(
        {overlap.n_sym: N, overlap.m_sym: M, overlap.s_sym: S_MIN}
    )
    return sp.Ge(sp.Symbol("E[X]"), closed / K_EDGES)


def bound_variants(sparse: bool = False, proofs: bool = True) -> tuple[Variant, ...]:
    prefix, rho = ("rho_", "rho ") if sparse else ("", "")
    return tuple(
        Variant(name=prefix + name, description=f"D_i = {rho}{text}",
                expression=Deferred(bound_relation, prefix + name, sparse),
                proofs=(f"closed_form_{prefix}{name}",) if proofs else ())
        for name, text in (("nm", "n m"), ("nm_minus_i_plus_1", "n m - i + 1"))
    )

THM32 = Provenance(section="Thm 3.2 / App. A (Thm A.1)", confidence="high")

ADAM_SCOPE = ("with Adam (lr 0.001), batch 64, 3 epochs, on MNIST (the vendored 8,000 / 2,000 "
               "digits)")


def twin(name: str, description: str, variant: str | None = None, **params: object) -> FalseTwin:
    return FalseTwin(name=name, description=description, params=params, variant=variant)


def per_variant(variants: tuple[Variant, ...], name: str, description: str,
                 **params: object) -> tuple[FalseTwin, ...]:
    """The same false twin for every reading of a claim."""
    return tuple(twin(name, description, v.name, **params) for v in variants)


MC_RULE = ("expectation: exact values where enumeration reaches; each Monte Carlo case's "
            "interval at confidence 1 - alpha / (the claim's Monte Carlo tests) confirms when its "
            "lower limit is >= the case's bound, refutes when its upper limit is < it, else "
            "inconclusive")


def mc_design(trials: dict[str, int], statistic: str, seeds: str, notes: str = "") -> Design:
    """The design of a Monte Carlo expectation claim: trials per profile, seed streams and the
    family-wise false-verdict rate (the one home of the trial counts: its check reads them)."""
    return Design(unit="trials", sample_size=trials, statistic=statistic, rule=MC_RULE,
                  threshold=None, alpha=MC_FAMILY_ALPHA,
                  notes=f"seeds: {seeds}; family-wise false-verdict rate <= {MC_FAMILY_ALPHA:g} "
                  "per claim, split equally (Bonferroni) over its Monte Carlo tests"
                  + (f"; {notes}" if notes else ""))


OVERLAP_MC_DESIGN = mc_design(
    {"quick": 2000, "deep": 50000}, "X = |top-k ∩ MST| / k of one random weight order "
    "(k = n + m - 1), averaged over the trials of each case",
    "case i draws from the stream (--seed, i)")


def overlap_law_design(trials: dict[str, int]) -> Design:
    """The Monte Carlo design of the claims that hold ``E[X]`` against a limit law per layer
    shape (``overlap-law-error``, ``overlap-law-corrected``): they differ in trials only."""
    return mc_design(trials, "X of one random weight order per trial, averaged per shape "
                     "beyond enumeration (Bernstein interval)",
                     "shape (n, m) draws from the stream (--seed, n, m)",
                     "the exact rows (every shape of the grid, by counting) have no sampling "
                     "error")


def app_c_law() -> sp.Eq:
    """App. C's law ``P(x)`` of the overlap of two uniform k-subsets (one home for the claims
    ``random-overlap`` and ``random-overlap-laws``, with :data:`APP_C_PROOFS`)."""
    return sp.Eq(sp.Symbol("P(x)"), hypergeom.hypergeom_pmf_expr())


#: The symbolic proofs of App. C's law: it sums to 1 and has mean ``k^2 / (n m)``.
APP_C_PROOFS = ("hypergeom_normalized", "hypergeom_mean")


RANDOM_GRAPH_REFS = ("random-graph component counts: the two-type Poisson Galton-Watson local "
                      "limit and its giant component (Bollobas, Janson and Riordan 2007), "
                      "tree components outside the giant (Erdos and Renyi 1960)")
