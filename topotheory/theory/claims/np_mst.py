"""The claim ``np-mst``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="np-mst",
    source="paper",
    statement="The zeroth-order persistence diagram's finite points are exactly (1, w'_e) "
    "for the edges e of the maximum spanning tree (forest).",
    kind="forall",
    domain="any dense layer weight matrix (finite entries, not all zero); ties broken by "
    "the suite's tie rule",
    provenance=Provenance(section="Sec. 3.1", confidence="high",
                          note="filtration ends with the MST (Doraiswamy et al.)"),
    report_section="diagram",
    twins=(twin("mst_minus_weakest_edge", "the finite points are the MST edges except "
                 "its weakest one", drop_weakest=True),),
)
