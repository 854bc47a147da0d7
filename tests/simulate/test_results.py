"""Result tables and claim checks (the functions proofs_check calls).

Monte Carlo parts use fixed seeds; verdicts use empirical-Bernstein limits with the
stated claim-level false-alarm rate alpha = 1e-3 (split over shapes).
"""

from fractions import Fraction

import numpy as np

import topotheory as tt
from topotheory.simulate.bounds import overlap_lower_bound
from topotheory.simulate.counting import exact_expected_overlap
from topotheory.simulate.results import (
    check_overlap_bound,
    check_overlap_bound_sparse,
    check_overlap_bound_worst_case,
    check_random_overlap,
    null_model_conclusion,
    null_model_table,
    overlap_bound_table,
    tightness_table,
)
from topotheory.simulate.worst_case import worst_case_weights


def test_overlap_bound_table_exact_and_monte_carlo_rows():
    rows = overlap_bound_table(((3, 4), (40, 50)), trials=3000, seed=1)
    small, large = rows
    assert small.expectation == exact_expected_overlap(3, 4) and small.estimate is None
    assert small.verdicts["nm"].exact and small.verdicts["nm"].status == "confirmed"
    assert large.expectation is None and large.estimate.trials == 3000
    assert large.seed == (1, 40, 50)
    for v in ("nm", "nm-i+1"):
        assert large.bounds[v] == overlap_lower_bound(40, 50, variant=v)
        assert large.verdicts[v].status == "confirmed"  # 0.84 vs 0.17: far apart
        assert large.verdicts[v].alpha == 1e-3 / 2
    # rows do not depend on which other shapes are in the table
    again = overlap_bound_table(((40, 50),), trials=3000, seed=1)[0]
    assert again.estimate == large.estimate


def test_check_overlap_bound_confirms_both_variants():
    checks = check_overlap_bound(((2, 2), (5, 6), (12, 12), (60, 40)), trials=2000)
    for variant, check in checks.items():
        assert check.status == "confirmed", (variant, check.summary)
        assert check.claim_id == "overlap-bound" and check.kind == "expectation"
        assert check.counterexample is None


def test_worst_case_check_finds_a_verifiable_counterexample():
    check = check_overlap_bound_worst_case(max_side=70)["nm"]
    assert check.status == "refuted" and check.kind == "forall"
    c = check.counterexample
    assert (c["n"], c["m"]) == (61, 69)
    weights = worst_case_weights(c["n"], c["m"])
    overlap = tt.topk_mst_overlap(weights)
    assert overlap.count == c["worst_count"]
    assert Fraction(overlap.count, overlap.k) < Fraction(c["bound_exact"])


def test_sparse_corollary_is_refuted_for_small_rho():
    """Corollary 3.4's bound exceeds 1 for 10x10 at rho = 0.2 (impossible for a fraction)."""
    checks = check_overlap_bound_sparse(((10, 10, "0.9"), (10, 10, "0.2")), trials=600)
    for check in checks.values():
        assert check.status == "refuted"
        assert check.counterexample["rho"] == "1/5"
        dense_row, sparse_row = check.rows
        assert dense_row.verdicts[check.variant].status == "confirmed"
        assert sparse_row.bounds[check.variant] > 1


def test_random_overlap_check():
    check = check_random_overlap(trials=1000)
    assert check.status == "confirmed", check.summary
    assert all(row.get("max_relative_log10_error", 0) < 1e-9 for row in check.rows)


def test_tightness_table_is_a_table_of_ratios():
    rows = tightness_table((2, 5, 40), trials=500)
    assert [(r.n, r.m) for r in rows] == [(2, 2), (2, 5), (2, 40), (5, 5), (5, 40), (40, 40)]
    exact_rows = [r for r in rows if r.source == "exact"]
    for r in exact_rows:
        assert r.expectation == float(exact_expected_overlap(r.n, r.m))
    for r in rows:
        assert 0 < r.ratios["nm"] <= r.ratios["nm-i+1"] < 1
        assert np.isclose(r.ratios["nm"] * r.expectation, r.bounds["nm"])


def test_null_model_table_and_conclusion():
    rows = null_model_table(trials=300, seed=2)
    assert [r.name for r in rows][:2] == ["fcn.dense1", "fcn.dense2"]
    for r in rows:
        assert r.hypergeometric_mean == r.k / r.n_edges
        assert r.iid.ci_low > r.hypergeometric_mean  # iid overlap far above the null
        assert r.log10_null_tail_at_iid_mean < -10
    text = null_model_conclusion(rows)
    assert "wrong null" in text and "%" in text


def test_structured_check_reports_the_model_and_holds_on_small_layers():
    """Rank-1 weights on K_{30,30}, seed 0, 300 trials: mean ~0.40 vs bound 0.178."""
    from topotheory.simulate.results import check_overlap_bound_structured

    checks = check_overlap_bound_structured(((30, 30),), trials=300)
    for check in checks.values():
        assert check.status == "confirmed"
        (row,) = check.rows
        assert row.expectation is None and row.estimate.mean < 0.6  # well below iid 0.84
        assert "not exchangeable" in check.model
