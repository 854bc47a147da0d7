"""The claim ``random-overlap``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import APP_C_PROOFS, app_c_law, twin

CLAIM = Claim(
    id="random-overlap",
    source="paper",
    statement="App. C: two independent uniform k-subsets of the nm edges overlap in exactly "
    "x edges with probability C(k,x) C(nm-k,k-x) / C(nm,k); 'at least x' is the upper "
    "tail.",
    expression=app_c_law(),
    kind="expectation",
    domain="independent uniformly random k-subsets, k = n + m - 1",
    provenance=Provenance(section="App. C", confidence="high",
                          note="the four quoted probabilities were lost"),
    proofs=APP_C_PROOFS,
    report_section="appendix-c",
    twins=(twin("x_off_by_one", "P(x) = C(k,x+1) C(nm-k,k-x-1) / C(nm,k) (off by one)",
                 x_offset=1),),
)
