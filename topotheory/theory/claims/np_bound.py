"""The claim ``np-bound``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance, Variant
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="np-bound",
    source="paper",
    statement="Rieck Thm 1: 0 <= NP_p <= (max w' - min w') (|V| - 1)^(1/p).",
    kind="forall",
    domain="dense layers, p >= 1; the normalisation is the variant",
    provenance=Provenance(section="Sec. 2 (Rieck et al. 2019, Thm 1)", confidence="high"),
    variants=(
        Variant(name="per_layer", description="w' = |w| / max of the layer, finite points "
                "only (the paper)"),
        Variant(name="per_network", description="w' = |w| / max over the network (>= the "
                "layer's max), finite points only", source="reading"),
        Variant(name="rieck_code", description="Rieck's code: network max, essential class "
                "kept as (1, 0), zero-length points dropped", source="reading"),
    ),
    twins=tuple(twin("half_bound", "NP_p <= half of Rieck's bound", v, bound_scale=0.5)
                for v in ("per_layer", "per_network", "rieck_code")),
)
