"""imp-overlap-trained (Sec. 4.2, Fig. 3): trained layers' overlap well above the bound.

One combined verdict with two parts (:func:`topotheory.nn.controls.decide_imp_overlap` on
:func:`topotheory.nn.controls.layer_overlap_arms`, dense FCN layers after training with
Adam, seeds ``seed ..``, as many as the claim's design says per profile):

* ``bound`` (the paper's claim, gives the status): refuted if a layer's trained overlap is
  below the Theorem 3.3 bound in any seed; confirmed only if no layer is below and at least
  one layer's shape could have failed (its exact worst possible overlap is below the bound);
  inconclusive when no layer could have failed. Layers whose worst case is already above the
  bound are listed as uninformative and are no evidence for it.
* ``iid_null`` (reported beside it): the trained interval over seeds against the iid null of
  the same shape (Monte Carlo interval): ``above`` / ``below`` / ``mixed``.

**Design** (declared in the registry before the data, shown in the evidence): the rule
above is a forall over seeds, so its false-verdict rate is that of a layer whose median
overlap sits on the bound passing every seed, ``0.5 ** n``; the seeds per profile make
it <= 0.05 in quick. The power is the probability that no informative layer falls below
the bound in any seed when each layer's mean lies the minimum effect (0.1 of k) above it,
with the pilot's per-layer sd (normal model; the pilot: seeds 1000-1004, committed in
``topotheory/data/design_pilot.json``). The decisive number is the smallest margin
``overlap - bound`` over informative layers and seeds (``smallest_margin`` in the
evidence); ``--numerics-check`` reports it in units of the declared cross-machine
tolerance.

The trainings are shared with the false twin (the bound scaled up, ``bound_scale``) within
one process (memo keyed by seeds and configuration).
"""

from __future__ import annotations

from typing import Any

from proofs_check.context import CheckContext
from proofs_check.rules import empirical_verdict
from proofs_check.verdict import Verdict
from topotheory.theory.claim import claim_check
from topotheory.theory.claims.imp_overlap_trained import CLAIM

_MEMO: dict[tuple[Any, ...], Any] = {}
RULE = ("against the Thm 3.3 bound: refuted if any layer is below it in any seed; confirmed "
        "only if none is and at least one layer's shape could have failed (exact worst-case "
        "overlap < bound); else inconclusive. Beside it, against the iid null of the same "
        "shape: the trained interval over seeds above / below / overlapping the iid interval")


def trained_rows(ctx: CheckContext):
    """Per-layer arms of the trained FCN over the profile's seeds (trained once per process)."""
    from topotheory.nn.controls import imp_overlap_arms
    from topotheory.nn.train import QUICK, config_record

    seeds = ctx.design.seeds(profile=ctx.profile.name, seed=ctx.seed)
    key = (seeds, repr(QUICK), ctx.dataset, ctx.data_dir)
    if key not in _MEMO:
        with ctx.timed("training"):
            data = ctx.load_data()
            _MEMO[key] = (seeds, imp_overlap_arms(seeds=seeds, config=QUICK, data=data),
                          data.describe(), config_record(QUICK))
    return _MEMO[key]


@claim_check(CLAIM)
def check(ctx: CheckContext) -> Verdict:
    from topotheory.nn.controls import decide_imp_overlap, layer_overlap_arms

    seeds, rows, dataset, train_config = trained_rows(ctx)
    scale = ctx.twin_param("bound_scale", 1)
    if scale != 1:
        rows = layer_overlap_arms(
            [{"layer": r.layer, "n": r.n, "m": r.m, "counts": list(r.counts)} for r in rows],
            seeds=seeds, bound_scale=scale)
    decision = decide_imp_overlap(rows)
    from fractions import Fraction

    margins = [(float(Fraction(c, r.k) - Fraction(r.bound)), r.layer, s)
               for r in rows if r.bound_can_fail for s, c in zip(seeds, r.counts, strict=True)]
    evidence = {"seeds": list(seeds), "dataset": dataset,
                "train_config": train_config,
                "bound_variant": "nm", "bound_scale": str(scale),
                "verdicts": {"bound": decision["bound"], "iid_null": decision["iid_null"]},
                "informative_layers": decision["informative_layers"],
                "uninformative_layers": decision["uninformative_layers"],
                "layers": [r.as_dict() for r in rows]}
    if margins:
        value, layer, seed = min(margins)
        evidence["smallest_margin"] = {"value": value, "layer": layer, "seed": seed,
                                       "threshold": 0.0}
    status = decision["bound"]
    if status == "refuted":
        below = [r.as_dict() for r in rows if r.below_bound_seeds]
        return empirical_verdict(ctx, status, rule=RULE, evidence=evidence,
                                 counterexample={"below_bound": [
                                     {k: b[k] for k in ("layer", "n", "m", "counts", "bound",
                                                        "below_bound_seeds")} for b in below]})
    if status == "inconclusive":
        evidence["reason"] = "no trained layer's shape could fall below the bound"
    return empirical_verdict(ctx, status, rule=RULE, evidence=evidence)
