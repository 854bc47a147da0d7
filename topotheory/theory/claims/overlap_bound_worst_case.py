"""The claim ``overlap-bound-worst-case``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Deferred, Provenance
from topotheory.theory.claims._shared import bound_relation, bound_variants, per_variant

CLAIM = Claim(
    id="overlap-bound-worst-case",
    source="reading",
    statement="The for-every-weight-matrix reading of Thm 3.3: X >= the bound for every "
    "strict weight order of K_{n,m}, not only on average.",
    expression=Deferred(bound_relation, "nm"),
    kind="forall",
    domain="every weight matrix of a complete bipartite n x m layer (n <= m <= 100 "
    "scanned)",
    provenance=Provenance(section="Thm 3.3 / App. A (Thm A.2)", confidence="derived",
                          note="the paper states an expectation; this reading asks "
                          "whether the proof's per-step argument gives a worst-case "
                          "guarantee"),
    variants=bound_variants(proofs=False),
    twins=per_variant(bound_variants(), "bound_times_2", "X >= twice the bound for every "
                       "weight matrix", bound_scale=2),
)
