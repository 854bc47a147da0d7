"""Claims proved outright by sympy get the status `proved`; a failed proof never passes."""

import pytest

from proofs_check.claims import (
    _symbolic,
    overlap_bound_properties,
    random_overlap_laws,
    tccr_properties,
)
from topotheory.theory.proofs import SymbolicResult


@pytest.mark.parametrize("module", [tccr_properties, overlap_bound_properties, random_overlap_laws])
def test_symbolic_claims_are_proved_with_their_steps(module):
    verdict = module.check("quick", 0)
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
    verdict = _symbolic.symbolic_check("tccr-properties")
    assert verdict.status == "inconclusive" and "dense_limit" in verdict.evidence["reason"]
