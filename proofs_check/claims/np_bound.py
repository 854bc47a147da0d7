"""np-bound: Rieck Thm 1, 0 <= NP_p <= (max w' - min w') (|V| - 1)^(1/p)."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "np-bound"
P_VALUES = (1.0, 1.5, 2.0, 3.0)


def _strategy(max_side: int):
    from hypothesis import strategies as st

    return st.tuples(c.dense_layers(max_side), st.sampled_from(P_VALUES))


def holds(example) -> bool:
    import numpy as np

    from topotheory.topology import neural_persistence

    layer, p = example
    w = c.as_array(layer)
    m, n = w.shape
    mags = np.abs(w) / np.abs(w).max()
    bound = (mags.max() - mags.min()) * (n + m - 1) ** (1.0 / p)
    value = neural_persistence(w, p=p)
    return -1e-15 <= value <= bound * (1 + 1e-12) + 1e-15


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(_strategy(p.max_side), holds, p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda ex: {"shape_m_n": ex[0][0], "weights": ex[0][1], "p": ex[1]},
        evidence={"domain": f"dense layers up to {p.max_side}x{p.max_side}, p in {P_VALUES}, "
                  "per-layer normalisation, zero weights present"},
    )
