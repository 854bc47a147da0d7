"""The claim ``tables-mnist-layers``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="tables-mnist-layers",
    source="paper",
    statement="Every per-layer row of Appendix E equals the Thm 3.2 formula for the App. D "
    "shapes (28x28 inputs, 3x3 kernels, padding 1) to the printed digits.",
    kind="forall",
    domain="every per-layer and final row of App. E for the App. D layer shapes",
    provenance=Provenance(section="App. D, App. E", confidence="high"),
    report_section="tables-audit",
    twins=(twin("inputs_plus_one", "the dense rows with n + 1 inputs (off by one)",
                 input_offset=1),),
)
