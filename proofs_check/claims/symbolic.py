"""Claims that sympy proves outright (status ``proved``): their registered proofs run.

Beside the proofs, the claim's statement (where it is a relation in the integers ``n, m``)
is evaluated exactly on the grid ``1 <= n, m <= 8``; a false value there refutes it. A false
twin supplies its own relation (``ctx.twin_param("relation", None)``, a callable ``(n, m) -> bool``) and
goes through the same grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proofs_check.context import CheckContext
from proofs_check.rules import symbolic_evidence
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims import overlap_bound_properties, random_overlap_laws, tccr_properties

#: Largest n and m of the exact grid.
GRID_MAX = 8


def _claim_relation(ctx: CheckContext) -> Callable[[int, int], Any] | None:
    expr = ctx.claim.expression
    if expr is None or not expr.free_symbols or not {
            s.name for s in expr.free_symbols} <= {"n", "m"}:
        return None
    symbols = {s.name: s for s in expr.free_symbols}

    def relation(n: int, m: int) -> Any:
        return expr.subs({symbols[k]: v for k, v in (("n", n), ("m", m)) if k in symbols})

    return relation


def _grid_counterexample(relation: Callable[[int, int], Any]) -> dict[str, int] | None:
    for n in range(1, GRID_MAX + 1):
        for m in range(1, GRID_MAX + 1):
            if not bool(relation(n, m)):
                return {"n": n, "m": m}
    return None


@claim_check(tccr_properties.CLAIM)
@claim_check(overlap_bound_properties.CLAIM)
@claim_check(random_overlap_laws.CLAIM)
def proved_by_sympy(ctx: CheckContext) -> Verdict:
    """``proved`` when every registered proof succeeds and the grid holds.

    A proof that sympy cannot complete gives ``inconclusive`` with the failing step, never a
    pass, and so does a claim with no proof registered (nothing proved is not "proved"); a
    relation false on the grid gives ``refuted``.
    """
    proved, evidence = symbolic_evidence(ctx)
    relation = ctx.twin_param("relation", None) or _claim_relation(ctx)
    if relation is not None:
        grid = f"exact values, every 1 <= n, m <= {GRID_MAX}"
        evidence["grid"] = grid
        with ctx.timed("grid"):
            failing = _grid_counterexample(relation)
        if failing is not None:
            return ctx.verdict("refuted", evidence={"method": "sympy", **evidence},
                               counterexample={**failing, "statement": ctx.twin.description
                                               if ctx.twin else ctx.claim.statement},
                               decided_by="forall_exhaustive")
    if proved:
        return ctx.verdict("proved", evidence={"method": "sympy", **evidence},
                           decided_by="symbolic")
    if not evidence["symbolic"]:
        return ctx.inconclusive("no symbolic proof is registered for this claim: nothing "
                                "was proved", **evidence)
    failed = [n for n, r in evidence["symbolic"].items() if r["status"] != "proved"]
    return ctx.inconclusive(f"sympy did not complete: {', '.join(failed)}", **evidence)
