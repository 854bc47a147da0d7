"""Symbolic statements of the paper's claims (sympy only; no numpy, no torch).

Modules
-------
tccr        Definition 3.1 / Theorem 3.2 compression ratios, conv output-size arithmetic.
domain      Where the conv formula can hold (Toeplitz-graph connectivity rule).
overlap     Theorem 3.3 / Corollary 3.4 bounds, direct sums and closed forms.
hypergeom   Appendix C hypergeometric laws.
proofs      Symbolic proofs done by sympy.
claim       Claim / Variant / Provenance and the registration API (claim_check).
registry    The paper's claims, registered once.

Examples
--------
>>> from topotheory.theory import tccr_dense, overlap_lower_bound
>>> tccr_dense(100, 100)
10000/199
>>> overlap_lower_bound(1, 5)
1
"""

from topotheory.theory.claim import (
    CLAIMS,
    Claim,
    Provenance,
    Variant,
    claim_check,
    claim_ids,
    get_claim,
    register_claim,
)
from topotheory.theory.hypergeom import hypergeom_pmf, hypergeom_upper_tail, paper_probabilities
from topotheory.theory.overlap import (
    BOUND_VARIANTS,
    SPARSE_BOUND_VARIANTS,
    overlap_lower_bound,
    overlap_lower_bound_direct,
    sparse_overlap_lower_bound,
)
from topotheory.theory.registry import PAPER_CLAIMS
from topotheory.theory.tccr import (
    conv_geometry,
    conv_output_size,
    tccr_conv,
    tccr_dense,
    tccr_ratio,
    tccr_recurrent,
    tccr_recurrent_unrolled,
)

__all__ = [
    "BOUND_VARIANTS",
    "CLAIMS",
    "PAPER_CLAIMS",
    "Provenance",
    "Variant",
    "claim_check",
    "register_claim",
    "SPARSE_BOUND_VARIANTS",
    "Claim",
    "claim_ids",
    "conv_geometry",
    "conv_output_size",
    "get_claim",
    "hypergeom_pmf",
    "hypergeom_upper_tail",
    "overlap_lower_bound",
    "overlap_lower_bound_direct",
    "paper_probabilities",
    "sparse_overlap_lower_bound",
    "tccr_ratio",
    "tccr_conv",
    "tccr_dense",
    "tccr_recurrent",
    "tccr_recurrent_unrolled",
]
