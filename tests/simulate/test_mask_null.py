"""Random-mask null and run-level verdict: scipy, exact rationals and Monte Carlo as oracles.

Statistical tests use fixed seeds and state their tolerance: the Monte Carlo law is checked
with the DKW bound at 1e-3, false-alarm counts against the binomial 1 - 1e-4 quantile.
"""

import json
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom, hypergeom

from topotheory.errors import InputError
from topotheory.simulate.hypergeom import random_overlap_logsf
from topotheory.simulate.mask_null import (
    CLAIM_ID,
    holm_adjust,
    mask_null_position,
    random_mask_null,
    run_preservation_verdict,
)
from topotheory.topology import EdgeListGraph, mst_preservation, topk_indices


def exact_tails(n, t, k, x):
    """P(X' >= x), P(X' <= x) as rationals, by summing C(T, y) C(N - T, K - y) / C(N, K)."""
    total = math.comb(n, k)
    law = {y: Fraction(math.comb(t, y) * math.comb(n - t, k - y), total)
           for y in range(0, min(t, k) + 1)}
    return (sum(p for y, p in law.items() if y >= x), sum(p for y, p in law.items() if y <= x),
            law.get(x, Fraction(0)))


@st.composite
def counts(draw, max_n=60):
    n = draw(st.integers(1, max_n))
    t = draw(st.integers(0, n))
    k = draw(st.integers(0, n))
    x = draw(st.integers(max(0, k - (n - t)), min(t, k)))
    return n, t, k, x


@given(counts())
def test_tails_are_the_exact_hypergeometric_tails(c):
    n, t, k, x = c
    null = mask_null_position(n_units=n, forest_units=t, kept_units=k, kept_forest_units=x)
    upper, lower, at = exact_tails(n, t, k, x)
    assert null.p_upper == pytest.approx(float(upper), rel=1e-9, abs=1e-300)
    assert null.p_lower == pytest.approx(float(lower), rel=1e-9, abs=1e-300)
    assert null.mid_p == pytest.approx(float(upper - at / 2), rel=1e-9, abs=1e-300)
    assert null.mean == pytest.approx(t * k / n)
    # the mapping to scipy: M = N (units), n = T (forest units), N = K (kept units)
    assert null.p_upper == pytest.approx(hypergeom.sf(x - 1, n, t, k), rel=1e-9, abs=1e-300)
    assert null.p_lower == pytest.approx(hypergeom.cdf(x, n, t, k), rel=1e-9, abs=1e-300)
    possible = [y for y in range(0, min(t, k) + 1) if exact_tails(n, t, k, y)[2] > 0]
    assert null.informative == (len(possible) > 1)
    assert null.support == (possible[0], possible[-1])


def test_far_tail_stays_finite_in_log_space():
    # T = K is the project's Appendix C law (two k-subsets): 354 of 883 on 784x100
    null = mask_null_position(n_units=78400, forest_units=883, kept_units=883,
                              kept_forest_units=354)
    assert null.p_upper == 0.0  # below the smallest double
    expected = float(random_overlap_logsf(354, 78400, 883)) / math.log(10)
    assert null.log10_p_upper == pytest.approx(expected, rel=1e-9)
    assert round(null.log10_p_upper) == -470
    assert json.dumps(null.to_dict(), allow_nan=False)


def test_critical_count_is_the_smallest_rare_count():
    n, t, k = 40, 9, 12
    for level in (0.2, 0.01, 1e-4):
        null = mask_null_position(n_units=n, forest_units=t, kept_units=k, kept_forest_units=0)
        c = null.critical_count(level)
        assert exact_tails(n, t, k, c)[0] <= level < exact_tails(n, t, k, c - 1)[0]
    assert null.critical_count(1e-12) is None  # even keeping all 9 is not that rare


def tie_rule_forest(w):
    """Flat indices of the forest, by networkx on tie-rule ranks (independent of the core)."""
    g = EdgeListGraph.from_dense(w)
    rank = np.empty(g.n_edges)
    rank[np.lexsort((g.edge_index, -np.abs(g.weights)))] = np.arange(g.n_edges, 0, -1)
    graph = nx.Graph()
    for a, b, r, e in zip(g.u.tolist(), g.v.tolist(), rank.tolist(), g.edge_index.tolist(),
                          strict=True):
        graph.add_edge(a, b, weight=r, index=e)
    tree = nx.maximum_spanning_tree(graph)
    return np.array(sorted(d["index"] for _, _, d in tree.edges(data=True)))


def random_mask(rng, shape, kept):
    mask = np.zeros(int(np.prod(shape)), dtype=bool)
    mask[rng.choice(mask.size, size=kept, replace=False)] = True
    return mask.reshape(shape)


def test_monte_carlo_of_random_masks_follows_the_null():
    """20,000 uniformly random masks on a 12x15 layer: the law of the kept forest count is the
    hypergeometric law (DKW: sup |F_emp - F| <= sqrt(ln(2/1e-3) / (2 * 20000)) = 0.0138 with
    probability >= 1 - 1e-3)."""
    rng = np.random.default_rng(2024)
    w = rng.normal(size=(12, 15))
    forest = tie_rule_forest(w)
    n, t, k, trials = w.size, forest.size, 45, 20_000
    xs = np.array([random_mask(rng, w.shape, k).ravel()[forest].sum() for _ in range(trials)])
    eps = math.sqrt(math.log(2 / 1e-3) / (2 * trials))
    for x in range(max(0, k - n + t), min(t, k) + 1):
        null = mask_null_position(n_units=n, forest_units=t, kept_units=k, kept_forest_units=x)
        assert abs((xs <= x).mean() - null.p_lower) <= eps
        assert abs((xs >= x).mean() - null.p_upper) <= eps
    # and the library counts the same X as the oracle on a sample of those masks
    for _ in range(50):
        mask = random_mask(rng, w.shape, k)
        result = mst_preservation(w, mask)
        assert result.forest_units == t
        assert result.kept_forest_units == mask.ravel()[forest].sum()


def test_random_masks_are_flagged_at_most_at_the_stated_rate():
    """Per layer: P(p_upper <= a) <= a for random masks; counted over 2,000 seeds, allowed up
    to the binomial(2000, a) 1 - 1e-4 quantile."""
    rng = np.random.default_rng(99)
    w = rng.normal(size=(10, 14))
    trials, level = 2000, 0.05
    upper_flags = lower_flags = 0
    for _ in range(trials):
        k = int(rng.integers(20, 120))
        null = random_mask_null(mst_preservation(w, random_mask(rng, w.shape, k)))
        upper_flags += null.p_upper <= level
        lower_flags += null.p_lower <= level
    limit = binom.ppf(1 - 1e-4, trials, level)
    assert upper_flags <= limit and lower_flags <= limit
    assert upper_flags > 0  # the test is not vacuous: exact tails reach the level


def nested_random_run(rng, layers, densities):
    """An IMP-like run with random pruning: each level keeps a random subset of the last."""
    run = {}
    masks = {name: np.ones(w.shape, dtype=bool) for name, w in layers.items()}
    for level, density in enumerate(densities, start=1):
        run[level] = {}
        for name, w in layers.items():
            alive = np.flatnonzero(masks[name].ravel())
            keep = rng.choice(alive, size=int(round(density * w.size)), replace=False)
            new = np.zeros(w.size, dtype=bool)
            new[keep] = True
            masks[name] = new.reshape(w.shape)
            run[level][name] = mst_preservation(w, masks[name])
    return run


def test_random_runs_get_a_false_verdict_at_most_at_alpha():
    """Run level, nested random masks over 3 levels x 2 layers: confirmed or refuted at most
    at rate alpha = 0.05, counted over 400 seeds (binomial 1 - 1e-4 quantile)."""
    rng = np.random.default_rng(7)
    layers = {"fc1": rng.normal(size=(8, 12)), "fc2": rng.normal(size=(6, 8))}
    trials, alpha = 400, 0.05
    statuses = [run_preservation_verdict(nested_random_run(rng, layers, (0.6, 0.36, 0.22)),
                                         alpha=alpha).status for _ in range(trials)]
    false = sum(s != "inconclusive" for s in statuses)
    assert false <= binom.ppf(1 - 1e-4, trials, alpha)


def test_a_random_run_is_not_flagged_at_the_default_rate():
    rng = np.random.default_rng(0)
    layers = {"fc1": rng.normal(size=(40, 60)), "fc2": rng.normal(size=(20, 40))}
    verdict = run_preservation_verdict(nested_random_run(rng, layers, (0.8, 0.64, 0.51, 0.41)))
    assert verdict.status == "inconclusive"
    assert verdict.reason.startswith("no layer-level differs from random masks")
    assert {c.flag for c in verdict.cells} == {"none"}
    assert verdict.n_tests == 16 and verdict.alpha == 1e-3


def magnitude_run(w_by_layer, densities, *, smallest=False):
    run = {}
    for level, density in enumerate(densities, start=1):
        run[f"level_{level}"] = {}
        for name, w in w_by_layer.items():
            k = int(round(density * w.size))
            scores = -np.abs(w) if smallest else w
            if smallest:
                scores = scores - scores.min() + 1.0  # keep the k smallest |w|
            mask = np.zeros(w.size, dtype=bool)
            mask[topk_indices(scores, k)] = True
            run[f"level_{level}"][name] = mst_preservation(w, mask.reshape(w.shape))
    return run


def test_magnitude_pruned_layers_sit_in_the_upper_tail():
    rng = np.random.default_rng(1)
    layers = {"fc1": rng.normal(size=(40, 60)), "fc2": rng.normal(size=(20, 40))}
    run = magnitude_run(layers, (0.5, 0.25, 0.1))
    for level in run.values():
        for result in level.values():
            null = random_mask_null(result)
            assert result.kept_fraction > result.density
            assert null.p_upper < 1e-6 and null.quantile > 0.999
    verdict = run_preservation_verdict(run)
    assert verdict.status == "confirmed"
    assert len(verdict.flagged("above")) == 6 and not verdict.flagged("below")
    row = json.loads(json.dumps(verdict.to_dict(), allow_nan=False))
    assert row["id"] == CLAIM_ID and row["source"] == "user"
    assert row["status"] == "confirmed" and row["counterexample"] is None
    assert "Holm" in row["evidence"]["rule"] and row["evidence"]["tests"] == 12
    curve = verdict.curve("fc1")
    assert [p.level for p in curve] == ["level_1", "level_2", "level_3"]
    assert [round(p.sparsity, 2) for p in curve] == [0.5, 0.75, 0.9]
    assert all(p.kept_fraction > p.random_fraction for p in curve)


def test_keeping_the_smallest_weights_is_refuted_and_mixed_runs_are_inconclusive():
    rng = np.random.default_rng(4)
    layers = {"fc1": rng.normal(size=(30, 40))}
    anti = magnitude_run(layers, (0.5, 0.3), smallest=True)
    verdict = run_preservation_verdict(anti)
    assert verdict.status == "refuted"
    assert verdict.to_dict()["counterexample"]["flag"] == "below"
    good = magnitude_run({"fc2": rng.normal(size=(30, 40))}, (0.5, 0.3))
    mixed = {level: {**anti[level], **good[level]} for level in anti}
    verdict = run_preservation_verdict(mixed)
    assert verdict.status == "inconclusive" and verdict.reason.startswith("mixed")


def test_uninformative_cells_are_not_tested():
    w = np.random.default_rng(0).normal(size=(5, 6))
    dense = mst_preservation(w, np.ones(w.shape))  # level 0: every unit kept
    verdict = run_preservation_verdict({0: {"fc": dense}})
    assert verdict.status == "inconclusive" and verdict.n_tests == 0
    assert verdict.cells[0].flag == "uninformative" and verdict.cells[0].flag_count is None
    assert verdict.reason.startswith("no informative layer-level")
    mask = np.zeros(w.size, dtype=bool)
    mask[topk_indices(w, 12)] = True
    run = {0: {"fc": dense}, 1: {"fc": mst_preservation(w, mask.reshape(w.shape))}}
    verdict = run_preservation_verdict(run, alpha=0.05)
    assert verdict.n_tests == 2 and verdict.cells[1].flag_count is not None


def holm_step_down(p, a):
    """Holm's procedure as usually stated: reject sorted p_(i) while p_(i) <= a / (M - i)."""
    rejected = np.zeros(len(p), dtype=bool)
    for i, j in enumerate(np.argsort(p, kind="stable")):
        if p[j] > a / (len(p) - i):
            break
        rejected[j] = True
    return rejected


@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.sampled_from([0.001, 0.05, 0.2]))
def test_holm_adjusted_values_reproduce_the_step_down(p, a):
    adjusted = holm_adjust(p)
    assert np.array_equal(adjusted <= a, holm_step_down(np.array(p), a))
    assert np.all(adjusted >= np.array(p)) and np.all(adjusted <= 1)


def test_bad_input_names_the_argument():
    with pytest.raises(InputError, match="kept_forest_units=.*must lie in"):
        mask_null_position(n_units=10, forest_units=3, kept_units=2, kept_forest_units=3)
    with pytest.raises(InputError, match="n_units="):
        mask_null_position(n_units=5, forest_units=6, kept_units=2, kept_forest_units=1)
    with pytest.raises(TypeError, match="kept_units="):
        mask_null_position(n_units=5, forest_units=2, kept_units=2.0, kept_forest_units=1)
    with pytest.raises(InputError, match="level="):
        mask_null_position(n_units=5, forest_units=2, kept_units=2,
                           kept_forest_units=1).critical_count(0)
    with pytest.raises(TypeError, match="preservation="):
        random_mask_null({"kept": 3})
    with pytest.raises(InputError, match="p_values="):
        holm_adjust([0.5, 1.5])
    w = np.random.default_rng(0).normal(size=(4, 5))
    a = mst_preservation(w, np.abs(w) > 0.3)
    wider = np.random.default_rng(1).normal(size=(4, 6))
    b = mst_preservation(wider, np.abs(wider) > 0.3)
    with pytest.raises(InputError, match=r"levels\[2\]\['fc'\]=.*different dense reference"):
        run_preservation_verdict({1: {"fc": a}, 2: {"fc": b}})
    with pytest.raises(InputError, match="alpha="):
        run_preservation_verdict({1: {"fc": a}}, alpha=1.0)
    with pytest.raises(TypeError, match="levels="):
        run_preservation_verdict({})
    with pytest.raises(TypeError, match=r"levels\[1\]\['fc'\]="):
        run_preservation_verdict({1: {"fc": random_mask_null(a)}})
    with pytest.raises(InputError, match="layer="):
        run_preservation_verdict({1: {"fc": a}}).curve("fc9")


def test_reprs_are_short():
    w = np.random.default_rng(0).normal(size=(30, 40))
    mask = np.zeros(w.size, dtype=bool)
    mask[topk_indices(w, 300)] = True
    verdict = run_preservation_verdict({1: {"fc": mst_preservation(w, mask.reshape(w.shape))}})
    for obj in (verdict, verdict.cells[0], verdict.cells[0].null):
        assert len(repr(obj)) < 400 and "array" not in repr(obj)
