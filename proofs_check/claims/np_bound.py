"""np-bound: Rieck Thm 1, 0 <= NP_p <= (max w' - min w') (|V| - 1)^(1/p)."""

from __future__ import annotations

from proofs_check.claims._layers import as_array, dense_layers
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.np_bound import CLAIM

P_VALUES = (1.0, 1.5, 2.0, 3.0)
#: The network-wide maximum as a multiple of the layer's own maximum (per_network, rieck_code).
NETWORK_SCALES = (1.0, 1.25, 2.0, 4.0)


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(dense_layers(max_side), st.sampled_from(P_VALUES),
                     st.sampled_from(NETWORK_SCALES))


def holds(example, variant: str = "per_layer", bound_scale: float = 1.0) -> bool:
    import numpy as np

    from topotheory.topology import neural_persistence

    layer, p, scale = example
    w = as_array(layer)
    m, n = w.shape
    if variant == "per_layer":
        w_max, kwargs = float(np.abs(w).max()), {}
    else:
        w_max = float(np.abs(w).max()) * scale
        normalization = "per_network" if variant == "per_network" else "rieck"
        kwargs = {"normalization": normalization, "w_max": w_max}
    mags = np.abs(w) / w_max
    bound = (mags.max() - mags.min()) * (n + m - 1) ** (1.0 / p) * bound_scale
    value = neural_persistence(w, p=p, **kwargs)
    return -1e-15 <= value <= bound * (1 + 1e-12) + 1e-15


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    variant, side = ctx.variant_name, ctx.profile.max_side
    return forall_search(
        ctx, _strategy(side), lambda ex: holds(ex, variant, ctx.twin_param("bound_scale", 1.0)),
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1], "p": ex[1],
                             "network_max_over_layer_max": ex[2]},
        domain=f"dense layers up to {side}x{side}, p in {P_VALUES}, normalisation {variant}, "
        f"network max / layer max in {NETWORK_SCALES}, zero weights present",
    )
