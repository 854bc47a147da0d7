"""tccr-conv-domain: the closed-form connectivity rule against exact component counts."""

from __future__ import annotations

from proofs_check.claims.tccr_conv import exact, geometries
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check


def holds(geom) -> bool:
    from topotheory.theory.domain import conv_connected_rule

    _, _, comps, _ = exact(geom)
    return conv_connected_rule(geom[0], geom[1], stride=geom[2], padding=geom[3],
                               dilation=geom[4]) == (comps == 1)


@claim_check("tccr-conv-domain")
def check(ctx: CheckContext) -> Verdict:
    return forall_search(
        ctx, geometries(), holds,
        describe=lambda g: dict(zip(("input", "kernel", "stride", "padding", "dilation"), g,
                                    strict=True)),
        domain="1-D and 2-D geometries, input <= 7, kernel <= 4, stride <= 3, padding <= 2, "
        "dilation <= 3; exact components from the core's forest",
    )
