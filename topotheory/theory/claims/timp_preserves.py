"""The claim ``timp-preserves``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance, Tolerance
from topotheory.theory.claims._shared import ADAM_SCOPE, twin
from topotheory.theory.design import Design

TIMP_TOLERANCE = Tolerance(
    rel=0.03, abs=1e-6,
    reason="measured on digits: the IMP contrast's NP change moved by 2.6e-8 (AVX2) and "
    "1.1e-8 (one thread); on MNIST by 0.0097 (2%) under AVX2; every count identical")

#: timp-preserves: one training per profile, decided exactly (no sampling error).
TIMP_DESIGN = Design(
    unit="seeds", sample_size={"quick": 1, "deep": 1},
    statistic="layer steps whose persistence diagram or NP changed, over the T-IMP rounds of "
    "one training (quick: 2 rounds at rate 0.5; deep: 6 at 0.3, above every critical ratio)",
    rule="refuted by any changed layer step (the first one shown), confirmed when none "
    "changed", threshold=0.0, alpha=None,
    power_method="not a statistical decision: T-IMP keeps each layer's maximum spanning "
    "forest by construction, so the verdict cannot move with CPU numerics unless a tie in "
    "|w| breaks differently (the tie rule is fixed); the check's power is shown by its false "
    "twin (plain IMP cuts forest edges), which it catches",
    scope=ADAM_SCOPE)


CLAIM = Claim(
    id="timp-preserves",
    source="paper",
    tolerance=TIMP_TOLERANCE,
    statement="A T-IMP pruning step leaves every layer's diagram and NP unchanged while the "
    "kept count is at least the MST size.",
    kind="forall",
    domain="dense layers; kept count >= n + m - 1",
    provenance=Provenance(section="Sec. 3.4", confidence="high"),
    report_section="accuracy-sparsity",
    design=TIMP_DESIGN,
    twins=(twin("plain_imp", "plain magnitude pruning (IMP) in place of T-IMP keeps every "
                 "diagram", method="imp"),),
)
