"""timp-preserves: every T-IMP step keeps each layer's diagram and NP (kept >= MST size).

Uses ``topotheory.nn.experiments.timp_preserves(seed=, rounds=)`` (the pruning issue);
``inconclusive`` until it is available.
"""

from __future__ import annotations

from proofs_check.claims import _common as c
from proofs_check.profiles import Profile, get_profile
from proofs_check.verdict import Verdict

ID = "timp-preserves"


def check(profile: str | Profile = "quick", seed: int = 0, variant: str | None = None) -> Verdict:
    p = get_profile(profile)
    run = c.optional("topotheory.nn.experiments", "timp_preserves")
    if run is None:
        return c.needs(ID, "needs topotheory.nn.experiments.timp_preserves(seed=, rounds=) "
                       "(pruning issue not merged yet)")
    # The claim's domain is "kept count >= forest size": the deep run takes more, gentler
    # rounds that stay above every layer's critical ratio (the 100x10 output layer's forest has
    # 109 edges; 1000 weights kept at 0.7 per round leave 118 after 6 rounds).
    rounds, rate = (2, 0.5) if p.name == "quick" else (6, 0.3)
    result = run(seed=seed, rounds=rounds, rate=rate)
    timp, imp = result["timp"], result.get("imp", {})
    evidence = {
        "seed": seed, "rounds": result.get("rounds"), "rate": result.get("rate"),
        "layer_steps": timp["layer_steps"], "layer_steps_changed": timp["layer_steps_changed"],
        "forest_edges_lost": timp["forest_edges_lost"], "max_np_change": timp["max_np_change"],
        "per_network_preserved": timp.get("all_preserved_per_network"),
        "imp_contrast": {k: imp.get(k) for k in ("layer_steps_changed", "forest_edges_lost",
                                                 "max_np_change")},
    }
    if timp["all_preserved_per_layer"]:
        return c.make_verdict(ID, "confirmed", evidence=evidence)
    changed = [s for s in timp["steps"] if any(not x["diagram_equal_per_layer"]
                                                for x in s["layers"].values())]
    return c.make_verdict(ID, "refuted", evidence=evidence,
                          counterexample={"first_changed_step": changed[:1]})
