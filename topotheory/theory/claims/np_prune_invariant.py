"""The claim ``np-prune-invariant``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="np-prune-invariant",
    source="paper",
    statement="Removing any set of non-MST edges leaves the diagram and NP unchanged.",
    kind="forall",
    domain="dense layers; removed edges marked absent by a mask",
    provenance=Provenance(section="Sec. 3.1", confidence="high"),
    report_section="accuracy-sparsity",
    twins=(twin("mst_edges_removed_too", "removing any edges, MST edges included, "
                 "leaves the diagram unchanged", drop_mst_edges=True),),
)
