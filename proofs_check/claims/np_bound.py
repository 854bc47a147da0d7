"""np-bound: Rieck Thm 1, 0 <= NP_p <= (max w' - min w') (|V| - 1)^(1/p)."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "np-bound"
P_VALUES = (1.0, 1.5, 2.0, 3.0)
VARIANTS = ("per_layer", "per_network", "rieck_code")
#: The network-wide maximum as a multiple of the layer's own maximum (per_network, rieck_code).
NETWORK_SCALES = (1.0, 1.25, 2.0, 4.0)


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(c.dense_layers(max_side), st.sampled_from(P_VALUES),
                     st.sampled_from(NETWORK_SCALES))


def holds(example, variant: str = "per_layer") -> bool:
    import numpy as np

    from topotheory.topology import neural_persistence

    layer, p, scale = example
    w = c.as_array(layer)
    m, n = w.shape
    if variant == "per_layer":
        w_max, kwargs = float(np.abs(w).max()), {}
    else:
        w_max = float(np.abs(w).max()) * scale
        normalization = "per_network" if variant == "per_network" else "rieck"
        kwargs = {"normalization": normalization, "w_max": w_max}
    mags = np.abs(w) / w_max
    bound = (mags.max() - mags.min()) * (n + m - 1) ** (1.0 / p)
    value = neural_persistence(w, p=p, **kwargs)
    return -1e-15 <= value <= bound * (1 + 1e-12) + 1e-15


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    variant = variant or VARIANTS[0]
    if variant not in VARIANTS:
        raise ValueError(f"variant={variant!r}: choose one of {VARIANTS}")
    missing = c.core_missing(ID, variant)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(_strategy(p.max_side), lambda ex: holds(ex, variant), p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed, variant=variant,
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1], "p": ex[1],
                             "network_max_over_layer_max": ex[2]},
        evidence={"domain": f"dense layers up to {p.max_side}x{p.max_side}, p in {P_VALUES}, "
                  f"normalisation {variant}, network max / layer max in {NETWORK_SCALES}, "
                  "zero weights present"},
    )
