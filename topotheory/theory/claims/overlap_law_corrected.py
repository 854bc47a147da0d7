"""The claim ``overlap-law-corrected``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import overlap_law_design, twin

CLAIM = Claim(
    id="overlap-law-corrected",
    source="finding",
    statement="|E[X] - X_corr(n, m)| <= 0.025 / min(n, m) for min(n, m) >= 6, X_corr the "
    "law plus the fitted finite-size term phi(t)/s + psi(t)/s^2 (s = min(n, m), "
    "t = s / max(n, m); topotheory.simulate.overlap_limit.overlap_limit_corrected); the "
    "constant is measured, not proved.",
    kind="expectation",
    domain="dense layers, exchangeable weights, min(n, m) >= 6, k = n + m - 1",
    provenance=Provenance(section="beyond the paper: Thm 3.3's expectation",
                          confidence="derived",
                          note="finite-size term fitted on 55 exact shapes"),
    report_section="overlap-shape",
    design=overlap_law_design({"quick": 20000, "deep": 50000}),
    twins=(twin("uncorrected", "the raw law (no finite-size term) held to the "
                     "corrected constant 0.025", corrected=False),
           twin("plus_one_giant", "the corrected law shifted by -1/k (the '+1 giant' "
                     "reading)", shift=-1.0)),
)
