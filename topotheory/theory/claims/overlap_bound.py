"""The claim ``overlap-bound``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Deferred, Provenance
from topotheory.theory.claims._shared import (
    OVERLAP_MC_DESIGN,
    bound_relation,
    bound_variants,
    per_variant,
)

CLAIM = Claim(
    id="overlap-bound",
    source="paper",
    statement="Thm 3.3: with k = n + m - 1 and X = |top-k ∩ MST| / k, "
    "E[X] >= (1/k) sum_{i=1}^{min(n,m)} (n-i+1)(m-i+1) / D_i; X = 1 if min(n,m) = 1.",
    expression=Deferred(bound_relation, "nm"),
    kind="expectation",
    domain="complete bipartite n x m layer, exchangeable weights (uniformly random order)",
    provenance=Provenance(section="Thm 3.3 / App. A (Thm A.2)", confidence="medium",
                          note="structure medium confidence, typography low"),
    variants=bound_variants(),
    proofs=("bound_le_one", "bound_square_limit"),
    report_section="overlap-shape",
    design=OVERLAP_MC_DESIGN,
    twins=per_variant(bound_variants(), "bound_times_2", "E[X] >= twice the bound (scaled "
                       "past the true value)", bound_scale=2),
)
