"""The claim ``tccr-dense``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory import tccr
from topotheory.theory.claim import Claim
from topotheory.theory.claims._shared import THM32, M, N, twin

CLAIM = Claim(
    id="tccr-dense",
    source="paper",
    statement="kappa_T of a dense n x m layer is n m / (n + m - 1).",
    expression=sp.Eq(sp.Symbol("kappa_T"), tccr.tccr_dense(N, M)),
    kind="forall",
    domain="complete bipartite layer (connected)",
    provenance=THM32,
    proofs=("dense_le_min", "dense_limit", "dense_ge_one"),
    twins=(twin("denominator_n_plus_m", "kappa_T = n m / (n + m) (off by one)",
                 denominator_offset=1),),
)
