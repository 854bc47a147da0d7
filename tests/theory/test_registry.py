"""The claim registry against CLAIMS.md's table."""

import pytest

from topotheory.theory import registry

# Ids of CLAIMS.md's "Claims to encode" table (tccr split into three).
PAPER_IDS = {
    "np-mst", "np-prune-invariant", "tccr-maximal", "mst-size", "tccr-dense", "tccr-recurrent",
    "tccr-conv", "np-bound", "overlap-bound", "overlap-bound-sparse", "random-overlap",
    "timp-preserves", "imp-overlap-trained", "np-grows", "tables", "dense-vs-conv",
}
KINDS = {
    "np-mst": "forall", "tccr-conv": "forall", "overlap-bound": "expectation",
    "random-overlap": "expectation", "tables": "empirical", "np-grows": "empirical",
}


def test_every_paper_claim_is_registered_with_its_kind():
    assert PAPER_IDS <= set(registry.CLAIMS)
    for claim_id, kind in KINDS.items():
        assert registry.get_claim(claim_id).kind == kind


def test_claims_are_well_formed():
    for claim in registry.CLAIMS.values():
        assert claim.kind in registry.KINDS
        assert claim.statement and claim.domain and claim.provenance.section
        assert claim.provenance.confidence in {"high", "medium", "low", "derived"}
        names = [v.name for v in claim.variants]
        assert len(names) == len(set(names))
        assert claim.check_module == "proofs_check.claims." + claim.id.replace("-", "_")


def test_ambiguous_readings_are_named_variants():
    assert [v.name for v in registry.get_claim("overlap-bound").variants] == ["nm", "nm_minus_i_plus_1"]
    assert {"per_step", "unrolled_whole"} <= {v.name for v in registry.get_claim("tccr-recurrent").variants}


def test_claim_is_frozen_and_rejects_bad_kind():
    claim = registry.get_claim("np-mst")
    with pytest.raises(AttributeError):
        claim.kind = "empirical"
    with pytest.raises(ValueError, match="kind"):
        registry.Claim("x", "s", None, "maybe", "d", claim.provenance)
    with pytest.raises(ValueError, match="unknown claim id"):
        registry.get_claim("nope")
