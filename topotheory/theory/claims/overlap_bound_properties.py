"""The claim ``overlap-bound-properties``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory import overlap
from topotheory.theory.claim import Claim, Deferred, Provenance
from topotheory.theory.claims._shared import bound_relation, twin

CLAIM = Claim(
    id="overlap-bound-properties",
    source="finding",
    statement="Consequences of Thm 3.3's bound (D_i = n m): it equals its closed form, never "
    "exceeds 1, and tends to 1/6 for square layers.",
    expression=Deferred(bound_relation, "nm"),
    kind="forall",
    domain="integers n, m >= 1",
    provenance=Provenance(section="Thm 3.3", confidence="derived",
                          note="how loose the bound is for large layers"),
    proofs=("closed_form_nm", "bound_le_one", "bound_square_limit"),
    twins=(twin("bound_le_half", "the bound never exceeds 1/2",
                 relation=lambda n, m: overlap.overlap_lower_bound(n, m, "nm")
                 <= sp.Rational(1, 2)),),
)
