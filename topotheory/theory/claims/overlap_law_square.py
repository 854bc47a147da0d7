"""The claim ``overlap-law-square``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import RANDOM_GRAPH_REFS, twin

CLAIM = Claim(
    id="overlap-law-square",
    source="finding",
    statement="For square layers the branching-process law of E[X] tends to 1 - r + r^2 "
    "with r = -W(-2 e^-2)/2 (principal Lambert W), the extinction probability of the "
    "Poisson(2) Galton-Watson tree (the smallest root of r = exp(-2 (1 - r))): 0.838097.",
    expression=sp.Eq(sp.Symbol("X_inf"), sp.Symbol("1 - r + r**2")),
    kind="forall",
    domain="the limit n = m -> infinity of the fixed-point law (one constant)",
    provenance=Provenance(section="beyond the paper: Thm 3.3's expectation",
                          confidence="derived", note=RANDOM_GRAPH_REFS),
    report_section="overlap-shape",
    twins=(twin("w_minus_1_branch", "r from the other real branch W_-1: r = 1, the "
                     "trivial fixed point, so X_inf = 1", branch=-1),),
)
