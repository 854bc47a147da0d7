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


def test_ambiguous_readings_are_named_variants():
    assert [v.name for v in registry.get_claim("overlap-bound").variants] == ["nm", "nm_minus_i_plus_1"]
    assert {"per_step", "unrolled_whole"} <= {v.name for v in registry.get_claim("tccr-recurrent").variants}


def test_claim_is_frozen_and_rejects_bad_kind():
    claim = registry.get_claim("np-mst")
    with pytest.raises(AttributeError):
        claim.kind = "empirical"
    with pytest.raises(ValueError, match="claim 'x': kind='maybe'"):
        registry.Claim(id="x", statement="s", kind="maybe", domain="d",
                       provenance=claim.provenance)
    with pytest.raises(TypeError):
        registry.Claim("x", "s", "forall", "d", claim.provenance)  # keyword-only
    with pytest.raises(ValueError, match="unknown claim id"):
        registry.get_claim("nope")


def test_registering_twice_or_checking_an_unknown_claim_names_the_claim():
    from topotheory.theory import claim as api

    with pytest.raises(api.ClaimRegistrationError, match="claim 'np-mst': already registered"):
        api.register_claim(registry.get_claim("np-mst"))
    with pytest.raises(api.ClaimRegistrationError, match="claim 'not-registered'"):
        api.claim_check("not-registered")(lambda ctx: None)
    with api.collecting_errors() as errors:
        api.register_claim(registry.get_claim("np-mst"))
    assert [e.claim_id for e in errors] == ["np-mst"]


def test_every_paper_claim_has_exactly_one_check():
    import proofs_check.claims  # noqa: F401
    from topotheory.theory.claim import CHECKS

    assert set(registry.paper_claim_ids()) <= set(CHECKS)
    for claim_id in registry.paper_claim_ids():
        assert CHECKS[claim_id].__module__.startswith("proofs_check.claims."), claim_id
