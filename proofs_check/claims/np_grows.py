"""np-grows (Fig. 1): NP of a simple fully connected net rises with training.

Uses ``topotheory.nn.experiments.np_grows(seed=)``; ``inconclusive`` until available.
"""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "np-grows"


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    get_profile(profile)
    run = c.optional("topotheory.nn.experiments", "np_grows")
    if run is None:
        return c.needs(ID, "needs topotheory.nn.experiments.np_grows(seed=) (pruning/training "
                       "issue not merged yet)")
    result = run(seed=seed)
    trace = result["trace"]
    evidence = {"seed": seed, "per_layer_rises": result["rises"],
                "total_np_first": trace[0]["total_np"], "total_np_last": trace[-1]["total_np"],
                "test_acc": result.get("test_acc")}
    status = "confirmed" if result["total_rises"] else "refuted"
    return c.make_verdict(ID, status, evidence=evidence,
                          counterexample=None if status == "confirmed" else evidence)
