"""The claim ``overlap-bound-sparse``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Deferred, Provenance
from topotheory.theory.claims._shared import (
    OVERLAP_MC_DESIGN,
    bound_relation,
    bound_variants,
    per_variant,
)

CLAIM = Claim(
    id="overlap-bound-sparse",
    source="paper",
    statement="Cor 3.4: for a graph keeping a fraction rho of the weights (still "
    "connected), the Thm 3.3 bound with rho n m in place of n m.",
    expression=Deferred(bound_relation, "rho_nm", sparse=True),
    kind="expectation",
    domain="random connected subgraph with rho n m edges of K_{n,m}, exchangeable weights",
    provenance=Provenance(section="Cor 3.4 / App. A (Cor A.3)", confidence="medium"),
    variants=bound_variants(sparse=True),
    report_section="overlap-sparsity",
    design=OVERLAP_MC_DESIGN,
    twins=per_variant(bound_variants(sparse=True), "bound_times_2", "E[X] >= twice the "
                       "sparse bound", bound_scale=2),
)
