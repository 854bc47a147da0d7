"""The claim ``tables``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import twin

CLAIM = Claim(
    id="tables",
    source="paper",
    statement="Table 1 and Appendices E and F: every printed number is reproduced.",
    kind="forall",
    domain="every printed number of Table 1 and Appendices E, F, recomputed from the "
    "paper's architectures and one aggregation rule",
    provenance=Provenance(section="Table 1, App. E, App. F", confidence="high"),
    report_section="tables-audit",
    twins=(twin("one_rule_without_exception", "every printed number reproduced by the "
                 "reconstructed rule without its VGG11-CIFAR exception", rule="plain"),),
)
