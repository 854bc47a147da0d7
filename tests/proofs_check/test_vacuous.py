"""No vacuous verdicts (issue #21 item 6): a check that ran no case, an empty domain, a
symbolic check with nothing to prove, or a declared kind that does not match the rule that
decided it is ``inconclusive`` with the reason, never confirmed or proved."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import strategies as st

from proofs_check import runner
from proofs_check.claims.symbolic import proved_by_sympy
from proofs_check.context import CheckContext
from proofs_check.profiles import get_profile
from proofs_check.rules import (
    expectation_verdict,
    forall_exhaustive,
    forall_first_failure,
    forall_search,
    interval_verdict,
    symbolic_evidence,
)
from topotheory.theory import claim as api


def _claim(kind: str, claim_id: str = "test-vacuous", **kw) -> api.Claim:
    return api.Claim(id=claim_id, statement="s", kind=kind, domain="d",
                     provenance=api.Provenance(section="tests", confidence="derived"), **kw)


def _ctx(kind: str = "forall", **kw) -> CheckContext:
    return CheckContext(claim=_claim(kind, **kw), variant_name=None,
                        profile=get_profile("quick"), seed=0)


def test_a_search_over_an_empty_strategy_is_inconclusive():
    v = forall_search(_ctx(), st.nothing(), lambda x: True, domain="nothing")
    assert v.status == "inconclusive" and "nothing was checked" in v.evidence["reason"]


def test_a_search_whose_draws_are_all_filtered_out_is_inconclusive():
    v = forall_search(_ctx(), st.integers().filter(lambda x: False), lambda x: True,
                      domain="no integer", max_examples=20)
    assert v.status == "inconclusive" and "nothing was checked" in v.evidence["reason"]


def test_an_exhaustive_enumeration_of_an_empty_domain_is_inconclusive():
    v = forall_exhaustive(_ctx(), [], lambda x: True, domain="the empty set", bounds={})
    assert v.status == "inconclusive" and v.evidence["cases_checked"] == 0
    assert "is empty" in v.evidence["reason"]
    # one case is enough to confirm: the guard is about emptiness only
    assert forall_exhaustive(_ctx(), [1], lambda x: True, domain="{1}",
                             bounds={}).status == "confirmed"


def test_a_first_failure_enumeration_of_no_case_is_inconclusive():
    first = SimpleNamespace(failing=None, cases_checked=0, order="n", as_dict=lambda: {})
    v = forall_first_failure(_ctx(), first)
    assert v.status == "inconclusive" and "domain is empty" in v.evidence["reason"]


def test_an_expectation_with_nothing_computed_is_inconclusive():
    v = expectation_verdict(_ctx("expectation"), exact=(), monte_carlo=(), n_tests=1)
    assert v.status == "inconclusive" and "nothing was checked" in v.evidence["reason"]


def test_no_registered_proof_proves_nothing():
    proved, evidence = symbolic_evidence(_ctx(), names=())
    assert proved is False and evidence == {"symbolic": {}}
    v = proved_by_sympy(_ctx(claim_id="test-no-proofs"))  # a claim without proofs
    assert v.status == "inconclusive" and "no symbolic proof is registered" in v.evidence[
        "reason"]


@pytest.fixture
def register():
    added = []

    def add(claim, check):
        api.register_claim(claim, registered_by="tests")
        api.claim_check(claim.id)(check)
        added.append(claim.id)

    yield add
    for claim_id in added:
        api.unregister_claim(claim_id)


def _interval(ctx):
    iv = SimpleNamespace(mean=1.0, low=0.5, high=1.5, confidence=0.95, as_dict=lambda: {})
    return interval_verdict(ctx, iv, threshold=0.0, what="effect")


@pytest.mark.parametrize(("kind", "check", "rule"), [
    ("forall", _interval, "interval"),  # a forall claim decided by a statistical interval
    ("expectation", lambda ctx: forall_search(ctx, st.integers(0, 3), lambda x: True,
                                              domain="0..3"), "forall_search"),
    ("empirical", lambda ctx: forall_exhaustive(ctx, [1], lambda x: True, domain="{1}",
                                                bounds={}), "forall_exhaustive"),
])
def test_a_kind_that_does_not_match_its_checker_is_inconclusive(register, kind, check, rule):
    register(_claim(kind, claim_id=f"test-kind-{kind}"), check)
    (v,) = runner.run_checks([f"test-kind-{kind}"], progress=False, entry_points=False)
    assert v.status == "inconclusive"
    assert f"declares kind {kind!r}, but its check decided it with the {rule!r} rule" in (
        v.evidence["reason"])
    assert v.evidence["status_of_the_check"] == "confirmed"


def test_the_matching_kind_keeps_its_verdict(register):
    register(_claim("empirical", claim_id="test-kind-ok"), _interval)
    (v,) = runner.run_checks(["test-kind-ok"], progress=False, entry_points=False)
    assert (v.status, v.decided_by) == ("confirmed", "interval")


def test_proved_without_a_symbolic_proof_is_inconclusive(register):
    register(_claim("forall", claim_id="test-fake-proof"),
             lambda ctx: ctx.verdict("proved", evidence={"looks": "fine"}))
    (v,) = runner.run_checks(["test-fake-proof"], progress=False, entry_points=False)
    assert v.status == "inconclusive" and "'proved' needs a symbolic proof" in v.evidence[
        "reason"]


def test_confirmed_without_evidence_is_inconclusive(register):
    register(_claim("forall", claim_id="test-no-evidence"),
             lambda ctx: ctx.verdict("confirmed"))
    (v,) = runner.run_checks(["test-no-evidence"], progress=False, entry_points=False)
    assert v.status == "inconclusive" and "without any evidence" in v.evidence["reason"]


def test_every_paper_claim_is_decided_by_a_rule_of_its_kind():
    """The cheap paper claims: their verdicts carry a rule that decides their kind."""
    from proofs_check.rules import KIND_DECIDERS

    verdicts = runner.run_checks(["tables-mnist-layers", "dense-vs-conv", "mst-size",
                                  "tccr-properties", "overlap-law-square"], progress=False)
    for v in verdicts:
        assert v.decided_by in KIND_DECIDERS[v.kind], v.key
    assert {v.id: v.decided_by for v in verdicts if v.status == "proved"} == {
        "tccr-properties": "symbolic", "overlap-law-square": "symbolic"}
