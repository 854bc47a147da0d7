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
    for v in ("nm", "nm_minus_i_plus_1"):
        assert large.bounds[v] == overlap_lower_bound(40, 50, variant=v)
        assert large.verdicts[v].status == "confirmed"  # 0.84 vs 0.17: far apart
        assert large.verdicts[v].alpha == 1e-3 / 2
    # rows do not depend on which other shapes are in the table
    again = overlap_bound_table(((40, 50),), trials=3000, seed=1)[0]
    assert again.estimate == large.estimate


def test_worst_case_weights_realise_the_worst_overlap_below_the_bound():
    from topotheory.simulate.worst_case import worst_case_overlap

    worst = worst_case_overlap(61, 69)
    overlap = tt.topk_mst_overlap(worst_case_weights(61, 69))
    assert overlap.count == worst.count == 22
    assert Fraction(overlap.count, overlap.k) < overlap_lower_bound(61, 69)


def test_sparse_table_rows_show_the_bound_above_one_for_small_rho():
    """Corollary 3.4's bound exceeds 1 for 10x10 at rho = 0.2 (impossible for a fraction)."""
    dense, sparse = (overlap_bound_table(((10, 10),), trials=600, seed=0, rho=rho)[0]
                     for rho in ("0.9", "0.2"))
    for variant in ("nm", "nm_minus_i_plus_1"):
        assert dense.verdicts[variant].status == "confirmed"
        assert sparse.bounds[variant] > 1 and sparse.verdicts[variant].status == "refuted"


def test_tightness_table_is_a_table_of_ratios():
    rows = tightness_table((2, 5, 40), trials=500)
    assert [(r.n, r.m) for r in rows] == [(2, 2), (2, 5), (2, 40), (5, 5), (5, 40), (40, 40)]
    exact_rows = [r for r in rows if r.source == "exact"]
    for r in exact_rows:
        assert r.expectation == float(exact_expected_overlap(r.n, r.m))
    for r in rows:
        assert 0 < r.ratios["nm"] <= r.ratios["nm_minus_i_plus_1"] < 1
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


def test_rank_one_rows_hold_on_small_layers_but_overlap_far_less_than_iid():
    """Rank-1 weights on K_{30,30}, seed 0, 300 trials: mean ~0.40 vs bound 0.178."""
    (row,) = overlap_bound_table(((30, 30),), trials=300, seed=0, exact_max_edges=0,
                                 model="low-rank", rank=1, noise=0.0)
    assert row.expectation is None and row.estimate.mean < 0.6  # well below iid 0.84
    for variant in ("nm", "nm_minus_i_plus_1"):
        assert row.verdicts[variant].status == "confirmed"
