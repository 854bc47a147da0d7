"""overlap-law-error: ``|E[X] - X_inf(n, m)| <= 0.25 / min(n, m)`` for ``min(n, m) >= 2``.

Exact (counting) on every shape ``2 <= n <= m``, ``n m <= 60`` (quick) or ``<= 150``
(deep); Monte Carlo on shapes beyond enumeration whose intervals can decide at the
profile's effort (the scaled interval width grows like ``min(n, m) / sqrt(trials)``).
Decided by :func:`proofs_check.claims._overlap_law.error_law_verdict`.
"""

from __future__ import annotations

from proofs_check.claims._overlap_law import profiled_error_law_verdict
from proofs_check.context import CheckContext
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.overlap_law_error import CLAIM

QUICK_SHAPES = ((100, 10), (500, 10), (20, 20))
DEEP_SHAPES = QUICK_SHAPES + ((15, 300), (20, 1000), (50, 50), (100, 100), (784, 100),
                              (300, 100))


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    return profiled_error_law_verdict(ctx, corrected=False, exact_max_edges=(60, 150),
                                      mc_shapes=(QUICK_SHAPES, DEEP_SHAPES))
