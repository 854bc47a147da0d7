"""The claim ``tccr-properties``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory import tccr
from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import M, N, twin

CLAIM = Claim(
    id="tccr-properties",
    source="finding",
    statement="Consequences of Thm 3.2's formulas: 1 <= kappa_dense <= min(n, m); "
    "kappa_dense tends to the fixed side as the other grows; kappa_recurrent is kappa_dense "
    "at n = m = h; kappa_conv <= prod(k) (at most the kernel size).",
    expression=sp.And(sp.Le(1, tccr.tccr_dense(N, M)),
                      sp.Le(tccr.tccr_dense(N, M), sp.Min(N, M))),
    kind="forall",
    domain="integers n, m, h >= 1; N_in, N_out >= 1",
    provenance=Provenance(section="Thm 3.2", confidence="derived",
                          note="symbolic consequences the paper's tables rely on"),
    proofs=("dense_le_min", "dense_limit", "dense_ge_one", "recurrent_is_dense",
            "conv_le_kernel"),
    twins=(twin("upper_limit_minus_one", "kappa_dense <= min(n, m) - 1 (off by one)",
                 relation=lambda n, m: tccr.tccr_dense(n, m) <= min(n, m) - 1),),
)
