"""The claim ``tccr-conv``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory.claim import Claim, Variant
from topotheory.theory.claims._shared import THM32, twin

CLAIM = Claim(
    id="tccr-conv",
    source="paper",
    statement="kappa_T of a convolution (one channel pair, Toeplitz graph) is "
    "prod(k_j) N_out / (N_in + N_out - 1), N_in = prod(i_j + 2p_j), N_out = prod(o_j).",
    expression=sp.Eq(sp.Symbol("kappa_T"), sp.Symbol("K") * sp.Symbol("N_out")
                     / (sp.Symbol("N_in") + sp.Symbol("N_out") - 1)),
    kind="forall",
    domain="geometries whose Toeplitz graph (padding positions included) is connected",
    provenance=THM32,
    variants=(
        Variant(name="connected_domain",
                description="only geometries whose Toeplitz graph is connected",
                source="reading"),
        Variant(name="all_geometries",
                description="every valid geometry (stride, padding, dilation)"),
    ),
    proofs=("conv_le_kernel",),
    report_section="conv-ratios",
    twins=tuple(twin("denominator_plus_one", "prod(k) N_out / (N_in + N_out) (off by one)",
                      v, denominator_offset=1)
                for v in ("connected_domain", "all_geometries")),
)
