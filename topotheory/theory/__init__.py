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

Names load lazily: importing a submodule (``conv_axis``, ``decision``, ``union_find``, used
by the numerics) loads neither sympy nor the claims; the claims are registered whenever
:mod:`~topotheory.theory.claim` (the registration API and its views) or a claim module
is imported.

Examples
--------
>>> from topotheory.theory import tccr_dense, overlap_lower_bound
>>> tccr_dense(100, 100)
10000/199
>>> overlap_lower_bound(1, 5)
1
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("CLAIMS", "Claim", "Provenance", "Variant", "claim_check", "claim_ids",
                     "get_claim", "register_claim"), "topotheory.theory.claim"),
    **dict.fromkeys(("hypergeom_pmf", "hypergeom_upper_tail", "paper_probabilities"),
                    "topotheory.theory.hypergeom"),
    **dict.fromkeys(("BOUND_VARIANTS", "SPARSE_BOUND_VARIANTS", "overlap_lower_bound",
                     "overlap_lower_bound_direct", "sparse_overlap_lower_bound"),
                    "topotheory.theory.overlap"),
    "PAPER_CLAIMS": "topotheory.theory.registry",
    **dict.fromkeys(("conv_geometry", "conv_output_size", "tccr_conv", "tccr_dense",
                     "tccr_ratio", "tccr_recurrent", "tccr_recurrent_unrolled"),
                    "topotheory.theory.tccr"),
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
