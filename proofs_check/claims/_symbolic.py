"""Shared check for claims that sympy proves outright (status ``proved``)."""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.verdict import Verdict
from topotheory.theory.registry import get_claim


def symbolic_check(claim_id: str) -> Verdict:
    """Run the claim's registered sympy proofs: ``proved`` when all succeed.

    A proof that sympy cannot complete gives ``inconclusive`` with the failing step, never a
    pass.
    """
    names = get_claim(claim_id).proofs
    proved, evidence = c.symbolic_evidence(names)
    if proved:
        return c.make_verdict(claim_id, "proved", evidence={"method": "sympy", **evidence})
    failed = [n for n, r in evidence["symbolic"].items() if r["status"] != "proved"]
    return c.make_verdict(
        claim_id,
        "inconclusive",
        evidence={"reason": f"sympy did not complete: {', '.join(failed)}", **evidence},
    )
