"""np-grows (Fig. 1): NP of a simple fully connected net rises with training.

Uses ``topotheory.nn.experiments.np_grows(seed=)`` (needs the ``torch`` extra).
"""

from __future__ import annotations

from proofs_check.context import CheckContext
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check


@claim_check("np-grows")
def check(ctx: CheckContext) -> Verdict:
    from topotheory.nn.experiments import np_grows

    seed = ctx.seed
    result = np_grows(seed=seed)
    trace = result["trace"]
    evidence = {"seed": seed, "per_layer_rises": result["rises"],
                "total_np_first": trace[0]["total_np"], "total_np_last": trace[-1]["total_np"],
                "test_acc": result.get("test_acc")}
    status = "confirmed" if result["total_rises"] else "refuted"
    return ctx.verdict(status, evidence=evidence,
                          counterexample=None if status == "confirmed" else evidence)
