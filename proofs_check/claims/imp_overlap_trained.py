"""imp-overlap-trained (Sec. 4.2, Fig. 3): trained layers' overlap well above the bound.

Uses ``topotheory.nn.experiments.imp_overlap_trained(seeds=, rounds=)``; ``inconclusive``
until it is available. Confirmed when every dense layer (round 0) has a mean overlap above
the Theorem 3.3 bound; the iid baseline of the same shape is reported beside it.
"""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "imp-overlap-trained"


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    p = get_profile(profile)
    run = c.optional("topotheory.nn.experiments", "imp_overlap_trained")
    if run is None:
        return c.needs(ID, "needs topotheory.nn.experiments.imp_overlap_trained(seeds=, rounds=) "
                       "(pruning issue not merged yet)")
    seeds = (seed,) if p.name == "quick" else (seed, seed + 1, seed + 2)
    result = run(seeds=seeds, rounds=1 if p.name == "quick" else 3)
    rows = [r for r in result["table"] if r["round"] == 0]
    summary = [{"layer": r["layer"], "n": r["n"], "m": r["m"], "overlap_mean": r["fraction_mean"],
                "bound": r["bound_thm_3_3"], "iid_mean": (r.get("iid_dense") or {}).get("mean")}
               for r in rows]
    evidence = {"seeds": list(seeds), "round0": summary, "all_rounds": result["table"]}
    below = [s for s in summary if s["overlap_mean"] < s["bound"]]
    if below:
        return c.make_verdict(ID, "refuted", evidence=evidence, counterexample={"below": below})
    below_iid = [s["layer"] for s in summary if s["iid_mean"] is not None
                 and s["overlap_mean"] <= s["iid_mean"]]
    evidence["min_overlap_over_bound"] = min(s["overlap_mean"] / s["bound"] for s in summary)
    evidence["layers_not_above_iid_baseline"] = below_iid
    if below_iid:
        evidence["note"] = ("the claim (above the Thm 3.3 bound) holds, but these trained layers "
                            "overlap LESS than iid random weights of the same shape: the overlap "
                            "alone is no evidence that magnitude pruning favours the MST")
    return c.make_verdict(ID, "confirmed", evidence=evidence)
