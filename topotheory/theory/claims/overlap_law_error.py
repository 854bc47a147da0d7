"""The claim ``overlap-law-error``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import RANDOM_GRAPH_REFS, overlap_law_design, twin

CLAIM = Claim(
    id="overlap-law-error",
    source="finding",
    statement="|E[X] - X_inf(n, m)| <= 0.25 / min(n, m) for every dense n x m layer with "
    "min(n, m) >= 2 and k = n + m - 1, X_inf the two-type branching-process fixed-point "
    "law (topotheory.simulate.overlap_limit.overlap_limit); the constant 0.25 is measured "
    "(worst case 0.2358 as m -> infinity at n = 2), not proved.",
    kind="expectation",
    domain="dense layers, exchangeable weights, min(n, m) >= 2, k = n + m - 1",
    provenance=Provenance(section="beyond the paper: Thm 3.3's expectation",
                          confidence="derived", note=RANDOM_GRAPH_REFS),
    report_section="overlap-shape",
    design=overlap_law_design({"quick": 4000, "deep": 50000}),
    twins=(twin("constant_0.7x", "the constant 0.7 x 0.2358 = 0.165 in place of 0.25",
                     constant=0.165),
           twin("plus_one_giant", "the '+1 giant' reading: E[c_k] = n r_a + m r_b - "
                     "k r_a r_b + 1, i.e. the law shifted by -1/k", shift=-1.0)),
)
