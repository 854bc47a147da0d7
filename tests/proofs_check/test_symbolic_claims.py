"""Claims proved outright by sympy get the status `proved`; a failed proof never passes."""

import pytest

from proofs_check import check_claim
from topotheory.theory.proofs import SymbolicResult


@pytest.mark.parametrize("claim_id", ["tccr-properties", "overlap-bound-properties",
                                      "random-overlap-laws"])
def test_symbolic_claims_are_proved_with_their_steps(claim_id):
    verdict = check_claim(claim_id)
    assert verdict.status == "proved"
    assert verdict.evidence["method"] == "sympy"
    assert all(r["status"] == "proved" for r in verdict.evidence["symbolic"].values())


def test_unfinished_proof_is_inconclusive(monkeypatch):
    import topotheory.theory.proofs as proofs

    real = proofs.run_proof

    def broken(name):
        result = real(name)
        if name == "dense_limit":
            return SymbolicResult(name, result.statement, "unproved", result.steps)
        return result

    monkeypatch.setattr(proofs, "run_proof", broken)
    verdict = check_claim("tccr-properties")
    assert verdict.status == "inconclusive" and "dense_limit" in verdict.evidence["reason"]
