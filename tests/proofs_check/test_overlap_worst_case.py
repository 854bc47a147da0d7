"""overlap-bound-worst-case: the exact worst case goes below Theorem 3.3's bound."""

from proofs_check.claims import overlap_bound_worst_case


def test_worst_case_counterexample_is_smallest_failing_shape_and_recounted_by_core():
    verdict = overlap_bound_worst_case.check("quick", seed=0, variant="nm")
    assert verdict.status == "refuted"
    ce = verdict.counterexample
    assert (ce["n"], ce["m"], ce["worst_count"]) == (61, 69, 22)
    assert ce["core_recount"]["count"] == 22 and ce["core_recount"]["fraction"] < ce["bound"]
