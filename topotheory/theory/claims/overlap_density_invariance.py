"""The claim ``overlap-density-invariance``: its statement, readings (variants), false twins and design."""

from __future__ import annotations

from topotheory.theory.claim import Claim, Provenance, Variant
from topotheory.theory.claims._shared import twin
from topotheory.theory.design import MC_FAMILY_ALPHA, Design

CLAIM = Claim(
    id="overlap-density-invariance",
    source="finding",
    statement="With a random support of s >= k = n + m - 1 edges and iid weights on it, "
    "the law of X does not depend on s (hence not on rho = s / (n m)): it is the dense "
    "layer's law. Corrected reading of Cor. 3.4, whose bound grows like 1 / rho.",
    kind="forall",
    domain="n x m layers, every support size k <= s <= n m (exhaustive on small shapes)",
    provenance=Provenance(section="Cor. 3.4 (corrected)", confidence="derived",
                          note="exchangeability: a fixed k-subset is the top-k set with "
                          "probability C(N-k, s-k) / (C(N, s) C(s, k)) = 1 / C(N, k)"),
    variants=(
        Variant(name="uniform_support", description="the support is a uniformly random "
                "s-subset of the n m positions"),
        Variant(name="connected_support", description="the support is uniformly random "
                "among connected s-subsets (Corollary 3.4's assumption)"),
    ),
    report_section="overlap-shape",
    design=Design(unit="trials", sample_size={"quick": 0, "deep": 10000},
                  statistic="the overlap count's law at support size s against the dense "
                  "law (two-sample Kolmogorov-Smirnov), deep profile only",
                  rule="exhaustive exact enumeration on small shapes decides (no sampling "
                  "error); the deep profile adds KS tests on large layers: a rejection "
                  "refutes", threshold=None, alpha=MC_FAMILY_ALPHA,
                  notes="seeds: --seed; family-wise false-verdict rate of the KS tests <= "
                  f"{MC_FAMILY_ALPHA:g} (Bonferroni)"),
    twins=(twin("mean_grows_1_over_rho", "E[X] at support s is the dense E[X] times "
                     "n m / s (growth like 1 / rho, as Cor. 3.4's bound)",
                     variant="uniform_support", rho_scaling=True),
           twin("mean_grows_1_over_rho", "the same 1 / rho growth under connected "
                     "supports", variant="connected_support", rho_scaling=True)),
)
