"""The claim ``tccr-recurrent``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory import tccr
from topotheory.theory.claim import Claim, Variant
from topotheory.theory.claims._shared import THM32, H, T, twin

CLAIM = Claim(
    id="tccr-recurrent",
    source="paper",
    statement="kappa_T of a recurrent layer with h hidden units is h^2 / (2h - 1).",
    expression=sp.Eq(sp.Symbol("kappa_T"), tccr.tccr_recurrent(H)),
    kind="forall",
    domain="hidden-to-hidden weights W_hh (h x h), unrolled over T steps with shared "
    "weights",
    provenance=THM32,
    variants=(
        Variant(name="per_step", description="|E|/|MST| of one unrolled step (an h x h "
                "complete bipartite layer): the paper's argument",
                expression=tccr.tccr_recurrent(H)),
        Variant(name="unrolled_whole", description="|E|/|MST| of the whole T-step unrolled "
                "graph ((T+1)h nodes, T h^2 edges)", source="reading",
                expression=tccr.tccr_recurrent_unrolled(H, T)),
        Variant(name="unrolled_params", description="h^2 / (distinct shared parameters "
                "used by the MST of the whole unrolled graph): 'parameters to be stored'",
                source="reading"),
    ),
    proofs=("recurrent_is_dense", "recurrent_unrolled"),
    twins=tuple(twin("denominator_2h", "kappa_T = h^2 / (2h) (off by one)", v,
                      denominator_offset=1)
                for v in ("per_step", "unrolled_whole", "unrolled_params")),
)
