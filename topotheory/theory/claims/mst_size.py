"""The claim ``mst-size``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

import sympy as sp

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import K_EDGES, twin

CLAIM = Claim(
    id="mst-size",
    source="paper",
    statement="The MST of a complete bipartite graph K_{n,m} has n + m - 1 edges.",
    expression=sp.Eq(sp.Symbol("|MST|"), K_EDGES),
    kind="forall",
    domain="n, m >= 1; zero weights kept as weight-0 edges",
    provenance=Provenance(section="App. A", confidence="high"),
    twins=(twin("n_plus_m_edges", "the MST has n + m edges (off by one)", edges_offset=1),),
)
