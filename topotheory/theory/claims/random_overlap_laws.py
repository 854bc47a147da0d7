"""The claim ``random-overlap-laws``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory import hypergeom
from topotheory.theory.claim import Claim, Provenance
from topotheory.theory.claims._shared import APP_C_PROOFS, app_c_law, twin


def _sum_from_one_is_one(n: int, m: int) -> bool:
    """False twin of App. C's law: summing the pmf from x = 1 (off by one) still gives 1."""
    total, k = n * m, n + m - 1
    return total < 2 * k or sum(hypergeom.hypergeom_pmf(total, k, x) for x in range(1, k + 1)) == 1


CLAIM = Claim(
    id="random-overlap-laws",
    source="finding",
    statement="App. C's law is a probability distribution (sums to 1) with mean "
    "k^2 / (n m).",
    expression=app_c_law(),
    kind="forall",
    domain="k-subsets of N = n m edges, N >= 2k",
    provenance=Provenance(section="App. C", confidence="derived",
                          note="sanity of the quoted formula"),
    proofs=APP_C_PROOFS,
    twins=(twin("sum_from_x_1", "the pmf summed from x = 1 is 1 (off by one)",
                 relation=_sum_from_one_is_one),),
)
