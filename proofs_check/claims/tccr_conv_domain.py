"""tccr-conv-domain: the closed-form connectivity rule against exact component counts."""

from __future__ import annotations

from proofs_check.claims.tccr_conv import exact, geometries
from proofs_check.context import CheckContext
from proofs_check.rules import forall_search
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tccr_conv_domain import CLAIM


def holds(geom, ignore_dilation: bool = False) -> bool:
    from topotheory.theory.domain import conv_connected_rule

    _, _, comps, _ = exact(geom)
    dilation = tuple(1 for _ in geom[4]) if ignore_dilation else geom[4]
    return conv_connected_rule(geom[0], geom[1], stride=geom[2], padding=geom[3],
                               dilation=dilation) == (comps == 1)


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from topotheory.simulate.first_failure import conv_first_failures

    ignore = ctx.twin_param("ignore_dilation", False)
    with ctx.timed("failure_classes"):
        classes = conv_first_failures().as_dict()
    return forall_search(
        ctx, geometries(), lambda g: holds(g, ignore),
        describe=lambda g: dict(zip(("input", "kernel", "stride", "padding", "dilation"), g,
                                    strict=True)),
        domain="1-D and 2-D geometries, input <= 7, kernel <= 4, stride <= 3, padding <= 2, "
        "dilation <= 3; exact components from the core's forest",
        evidence={"failure_classes": classes},
    )
