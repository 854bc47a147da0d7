"""The registration order of the claims, each declared once in its own module.

A claim's statement, variants, false twins (with their parameters), tolerance and design are
in :mod:`topotheory.theory.claims` (one module per claim, ``CLAIM = Claim(...)``); its check
is registered next to the check function in ``proofs_check.claims``
(:func:`topotheory.theory.claim.claim_check`). This module only orders them (the order of
the verdicts, the report and ``docs/claims.md``) and registers them in the one
:data:`~topotheory.theory.claim.REGISTRY`.

Examples
--------
>>> from topotheory.theory.registry import get_claim
>>> get_claim("tccr-dense").kind
'forall'
>>> [v.name for v in get_claim("overlap-bound").variants]
['nm', 'nm_minus_i_plus_1']
"""

from __future__ import annotations

import pkgutil

from topotheory.theory import claims
from topotheory.theory.claim import (
    CHECKS,
    CLAIMS,
    KINDS,
    REGISTRY,
    SOURCES,
    Claim,
    FalseTwin,
    Provenance,
    Tolerance,
    Variant,
    claim_ids,
    get_claim,
    register_claim,
)
from topotheory.theory.claims import (
    dense_vs_conv,
    imp_overlap_trained,
    mst_size,
    np_bound,
    np_grows,
    np_mst,
    np_prune_invariant,
    overlap_bound,
    overlap_bound_properties,
    overlap_bound_sparse,
    overlap_bound_worst_case,
    overlap_density_invariance,
    overlap_law_corrected,
    overlap_law_error,
    overlap_law_square,
    random_overlap,
    random_overlap_laws,
    tables,
    tables_mnist_layers,
    tccr_conv,
    tccr_conv_domain,
    tccr_dense,
    tccr_maximal,
    tccr_properties,
    tccr_recurrent,
    timp_preserves,
)

__all__ = ["CHECKS", "CLAIMS", "KINDS", "LAW_CLAIMS", "PAPER_CLAIMS", "REGISTRY", "SOURCES",
           "TRAINED_TOLERANCES", "Claim", "FalseTwin", "Provenance", "Tolerance", "Variant",
           "claim_ids", "get_claim", "paper_claim_ids", "registry_counts"]

#: The paper's claims, in registration order.
PAPER_CLAIMS: tuple[Claim, ...] = (
    np_mst.CLAIM,
    np_prune_invariant.CLAIM,
    tccr_maximal.CLAIM,
    mst_size.CLAIM,
    tccr_dense.CLAIM,
    tccr_recurrent.CLAIM,
    tccr_conv.CLAIM,
    tccr_conv_domain.CLAIM,
    np_bound.CLAIM,
    overlap_bound.CLAIM,
    overlap_bound_worst_case.CLAIM,
    overlap_bound_sparse.CLAIM,
    random_overlap.CLAIM,
    timp_preserves.CLAIM,
    imp_overlap_trained.CLAIM,
    np_grows.CLAIM,
    tables.CLAIM,
    tables_mnist_layers.CLAIM,
    tccr_properties.CLAIM,
    overlap_bound_properties.CLAIM,
    random_overlap_laws.CLAIM,
    dense_vs_conv.CLAIM,
)
#: Claims the suite derives beyond the paper (provenance "derived"): the law of E[X] for
#: large layers (topotheory.theory.overlap_limit), its measured error law and the density
#: invariance that replaces Corollary 3.4.
LAW_CLAIMS: tuple[Claim, ...] = (
    overlap_law_square.CLAIM,
    overlap_law_error.CLAIM,
    overlap_law_corrected.CLAIM,
    overlap_density_invariance.CLAIM,
)
#: The paper's claims followed by the suite's derived claims of the law (checked the same way).
PAPER_CLAIMS = PAPER_CLAIMS + LAW_CLAIMS

_modules = [m.name for m in pkgutil.iter_modules(claims.__path__) if not m.name.startswith("_")]
_listed = {c.id.replace("-", "_") for c in PAPER_CLAIMS}
assert set(_modules) == _listed, (
    f"topotheory/theory/claims/ and the registration order disagree: modules not listed "
    f"{sorted(set(_modules) - _listed)}, listed without a module {sorted(_listed - set(_modules))}")

for _claim in PAPER_CLAIMS:
    if _claim.id not in CLAIMS:  # re-import of this module (importlib.reload) is harmless
        register_claim(_claim, registered_by="paper")

#: The cross-machine tolerance of each trained claim (declared in its module).
TRAINED_TOLERANCES: dict[str, Tolerance] = {
    c.id: c.tolerance for c in (np_grows.CLAIM, imp_overlap_trained.CLAIM, timp_preserves.CLAIM)}


def paper_claim_ids() -> tuple[str, ...]:
    """Ids of the paper's claims (and the derived ones), in registry order.

    Examples
    --------
    >>> paper_claim_ids()[:2]
    ('np-mst', 'np-prune-invariant')
    """
    return tuple(c.id for c in PAPER_CLAIMS)


def registry_counts(claims: tuple[Claim, ...] | None = None) -> dict[str, object]:
    """The registry's numbers that the README and the docs quote, counted, never typed.

    ``claims`` (default :data:`PAPER_CLAIMS`): how many claims, verdict rows (one per
    variant), false twins, and claims and rows per source.

    Examples
    --------
    >>> counts = registry_counts()
    >>> counts["twins"] == sum(len(c.twins) for c in PAPER_CLAIMS)
    True
    >>> list(counts["rows_per_source"])
    ['paper', 'reading', 'finding']
    """
    from topotheory.theory.claim import SOURCE_KINDS

    claims = PAPER_CLAIMS if claims is None else claims
    per_claim: dict[str, int] = {}
    per_row: dict[str, int] = {}
    for claim in claims:
        per_claim[claim.source] = per_claim.get(claim.source, 0) + 1
        for name in claim.variant_names:
            source = claim.source_of(name)
            per_row[source] = per_row.get(source, 0) + 1
    order = {s: i for i, s in enumerate(SOURCE_KINDS)}
    return {
        "claims": len(claims),
        "rows": sum(per_row.values()),
        "twins": sum(len(c.twins) for c in claims),
        "claims_per_source": dict(sorted(per_claim.items(), key=lambda kv: order[kv[0]])),
        "rows_per_source": dict(sorted(per_row.items(), key=lambda kv: order[kv[0]])),
    }
