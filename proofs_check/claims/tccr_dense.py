"""tccr-dense: |E| / |MST| of a dense layer is n m / (n + m - 1), exactly."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "tccr-dense"


def holds(layer) -> bool:
    import sympy as sp

    from topotheory.theory.tccr import tccr_dense
    from topotheory.topology import maximum_spanning_forest

    w = c.as_array(layer)
    m, n = w.shape
    exact = sp.Rational(w.size, maximum_spanning_forest(w).size)
    return exact == tccr_dense(n, m)


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    proved, symbolic = c.symbolic_evidence(("dense_le_min", "dense_limit", "dense_ge_one"))
    outcome = c.search(c.dense_layers(p.max_side + 4), holds, p, seed)
    verdict = c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda layer: {"shape_m_n": layer[0], "weights": layer[1]},
        evidence={"domain": f"complete layers up to {p.max_side + 4} per side", **symbolic},
    )
    if verdict.status == "confirmed" and not proved:
        return c.make_verdict(ID, "inconclusive", evidence={
            **verdict.evidence, "reason": "a symbolic consequence was not proved"})
    return verdict
