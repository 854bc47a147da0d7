"""tccr-conv-domain: the closed-form connectivity rule against exact component counts."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.claims.tccr_conv import exact, geometries
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "tccr-conv-domain"


def holds(geom) -> bool:
    from topotheory.theory.domain import conv_connected_rule

    _, _, comps, _ = exact(geom)
    return conv_connected_rule(geom[0], geom[1], stride=geom[2], padding=geom[3],
                               dilation=geom[4]) == (comps == 1)


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    missing = c.core_missing(ID)
    if missing:
        return missing
    p = get_profile(profile)
    outcome = c.search(geometries(), holds, p, seed)
    return c.forall_verdict(
        ID, outcome, seed=seed,
        describe=lambda g: dict(zip(("input", "kernel", "stride", "padding", "dilation"), g,
                                    strict=True)),
        evidence={"domain": "1-D and 2-D geometries, input <= 7, kernel <= 4, stride <= 3, "
                  "padding <= 2, dilation <= 3; exact components from the core's forest"},
    )
