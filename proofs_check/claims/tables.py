"""tables: every printed number of Table 1 and Appendices E, F is reproduced.

Uses ``topotheory.nn.paper_tables.paper_audit()`` (the model-zoo issue); ``inconclusive``
until it is available. Refuted rows are printed values no consistent rule reproduces.
"""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "tables"


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    get_profile(profile)
    audit = c.optional("topotheory.nn.paper_tables", "paper_audit")
    if audit is None:
        return c.needs(ID, "needs topotheory.nn.paper_tables.paper_audit() (model-zoo issue not "
                       "merged yet)")
    rows = audit()
    bad = [{"table": r.table, "label": r.label, "printed": r.printed, "computed": r.computed}
           for r in rows if not r.match]
    evidence = {"rows": len(rows), "matched": len(rows) - len(bad)}
    if bad:
        return c.make_verdict(ID, "refuted", evidence=evidence, counterexample={"unmatched": bad})
    return c.make_verdict(ID, "confirmed", evidence=evidence)
