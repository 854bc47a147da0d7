"""Claims that sympy proves outright (status ``proved``): their registered proofs run."""

from __future__ import annotations

from proofs_check.context import CheckContext
from proofs_check.rules import symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check


@claim_check("tccr-properties")
@claim_check("overlap-bound-properties")
@claim_check("random-overlap-laws")
def proved_by_sympy(ctx: CheckContext) -> Verdict:
    """``proved`` when every registered proof succeeds.

    A proof that sympy cannot complete gives ``inconclusive`` with the failing step, never a
    pass.
    """
    proved, evidence = symbolic_evidence(ctx)
    if proved:
        return ctx.verdict("proved", evidence={"method": "sympy", **evidence})
    failed = [n for n, r in evidence["symbolic"].items() if r["status"] != "proved"]
    return ctx.inconclusive(f"sympy did not complete: {', '.join(failed)}", **evidence)
