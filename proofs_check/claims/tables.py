"""tables: every printed number of Table 1 and Appendices E, F is reproduced.

Uses ``topotheory.nn.paper_tables.paper_audit()``. Refuted rows are printed values no consistent rule reproduces.
"""

from __future__ import annotations

from proofs_check.context import CheckContext
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.tables import CLAIM


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from topotheory.nn.paper_tables import PAPER_RULE, audit, paper_audit

    plain = ctx.twin_param("rule", None) == "plain"
    rows = audit(PAPER_RULE) if plain else paper_audit()
    bad = [{"table": r.table, "label": r.label, "printed": r.printed, "computed": r.computed}
           for r in rows if not r.match]
    evidence = {"rows": len(rows), "matched": len(rows) - len(bad)}
    if bad:
        return ctx.verdict("refuted", evidence=evidence, counterexample={"unmatched": bad})
    return ctx.verdict("confirmed", evidence=evidence)
