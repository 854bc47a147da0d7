"""The claim registry against CLAIMS.md's table, its sources, tolerances and the README's
numbers."""

import re
from pathlib import Path

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
    "random-overlap": "expectation", "tables": "forall", "np-grows": "empirical",
    "dense-vs-conv": "forall", "imp-overlap-trained": "empirical",
}
README = Path(__file__).resolve().parents[2] / "README.md"


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



def test_a_claim_and_its_check_share_a_file_name():
    """``theory/claims/<id>.py`` declares the claim, ``proofs_check/claims/<id>.py`` checks it
    (``symbolic.py`` is the one check shared by the three sympy-proved claims)."""
    import importlib

    import proofs_check.claims  # noqa: F401
    from topotheory.theory.claim import REGISTRY

    shared = {"tccr-properties", "overlap-bound-properties", "random-overlap-laws"}
    for claim in registry.PAPER_CLAIMS:
        name = claim.id.replace("-", "_")
        assert importlib.import_module(f"topotheory.theory.claims.{name}").CLAIM is claim
        entry = REGISTRY[claim.id]
        assert entry.claim is claim and entry.registered_by == "paper"
        expected = "symbolic" if claim.id in shared else name
        assert entry.check.__module__ == f"proofs_check.claims.{expected}", claim.id


def test_registry_views_are_one_store():
    from topotheory.theory.claim import CHECKS, CLAIMS, REGISTRY, SOURCES

    assert list(CLAIMS) == [i for i, e in REGISTRY.items() if e.claim is not None]
    for claim_id, entry in REGISTRY.items():
        assert CLAIMS.get(claim_id) is entry.claim and CHECKS.get(claim_id) is entry.check
        assert SOURCES.get(claim_id) == entry.registered_by

def test_every_claim_says_whose_it_is():
    from topotheory.theory.claim import SOURCE_KINDS

    for claim in registry.PAPER_CLAIMS:
        assert claim.source in SOURCE_KINDS[:3], claim.id  # paper, reading or finding
        for name in claim.variant_names:
            assert claim.source_of(name) in SOURCE_KINDS[:3]
        if claim.source == "paper":
            assert claim.provenance.section.strip(), claim.id
    assert registry.get_claim("overlap-bound-worst-case").source == "reading"
    assert registry.get_claim("overlap-law-error").source == "finding"
    np_grows = registry.get_claim("np-grows")
    assert [np_grows.source_of(v) for v in np_grows.variant_names] == [
        "paper", "reading", "reading"] * 3  # per optimizer: Adam, SGD, SGD with momentum


def test_a_source_outside_the_four_or_a_paper_claim_without_section_is_refused():
    from topotheory.theory import claim as api

    with pytest.raises(api.ClaimRegistrationError, match="source='blog' must be one of"):
        api.Claim(id="x", statement="s", kind="forall", domain="d", source="blog",
                  provenance=api.Provenance(section="s", confidence="high"))
    with pytest.raises(api.ClaimRegistrationError, match="names its section or equation"):
        api.Claim(id="x", statement="s", kind="forall", domain="d", source="paper",
                  provenance=api.Provenance(section=" ", confidence="high"))


def test_a_user_module_cannot_register_a_paper_claim():
    from topotheory.theory import claim as api

    claim = api.Claim(id="test-user-paper", statement="s", kind="forall", domain="d",
                      source="paper", provenance=api.Provenance(section="s", confidence="high"))
    with pytest.raises(api.ClaimRegistrationError, match="has source='user'"):
        api.register_claim(claim, registered_by="my_module")
    assert "test-user-paper" not in api.CLAIMS


def test_trained_claims_declare_a_cross_machine_tolerance():
    from topotheory.theory.claim import DEFAULT_TOLERANCE

    trained = {"np-grows", "imp-overlap-trained", "timp-preserves"}
    assert set(registry.TRAINED_TOLERANCES) == trained
    for claim in registry.PAPER_CLAIMS:
        if claim.id in trained:
            assert claim.tolerance is registry.TRAINED_TOLERANCES[claim.id]
            assert claim.tolerance.reason.startswith("measured")
        else:
            assert claim.tolerance == DEFAULT_TOLERANCE, claim.id
    assert not registry.get_claim("np-grows").tolerance.integers_exact
    with pytest.raises(ValueError, match="rel=-1"):
        registry.Tolerance(rel=-1, abs=0, reason="x")


def test_readme_numbers_are_the_registrys():
    """The README quotes the twins count and the claims per source: counted, not typed."""
    counts = registry.registry_counts()
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"all {counts['twins']} are caught" in text
    match = re.search(r"(\d+) claims \((\d+) from the paper, (\d+) readings?, (\d+) "
                      r"findings?\) give (\d+) verdict rows \((\d+) paper, (\d+) reading, "
                      r"(\d+) finding\)", text)
    assert match, "README lacks the per-source sentence"
    claims, rows = counts["claims_per_source"], counts["rows_per_source"]
    assert [int(g) for g in match.groups()] == [
        counts["claims"], claims["paper"], claims["reading"], claims["finding"],
        counts["rows"], rows["paper"], rows["reading"], rows["finding"]]
