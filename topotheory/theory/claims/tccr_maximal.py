"""The claim ``tccr-maximal``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="tccr-maximal",
    source="paper",
    statement="No edge subset smaller than a spanning tree keeps the diagram, so any "
    "diagram-preserving compression ratio satisfies kappa <= kappa_T.",
    expression=sp.Le(sp.Symbol("kappa"), sp.Symbol("kappa_T")),
    kind="forall",
    domain="dense layers, complete bipartite graph",
    provenance=Provenance(section="Thm 3.2 / App. A", confidence="high"),
    twins=(twin("tree_size_plus_one", "no subset smaller than n + m edges (one more than "
                 "a spanning tree) keeps the diagram", tree_offset=1),),
)
