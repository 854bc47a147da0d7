"""The claim ``tccr-conv-domain``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="tccr-conv-domain",
    source="finding",
    statement="The conv Toeplitz graph is connected iff every axis is: k=1 needs padded "
    "length 1; k>=2 needs dilation 1 and either one window covering the axis exactly or "
    "stride <= k-1 with (N - k) divisible by stride.",
    kind="forall",
    domain="1-D and 2-D geometries, one channel pair, padding positions included",
    provenance=Provenance(section="implied by Thm 3.2 (conv)", confidence="derived",
                          note="the suite's characterisation of where the conv formula "
                          "can hold"),
    report_section="conv-ratios",
    twins=(twin("dilation_ignored", "the rule read without its dilation clause (dilated "
                 "axes judged as undilated): a geometry outside the domain",
                 ignore_dilation=True),),
)
