"""Monte Carlo sampler and weight models: determinism, exact agreement, core agreement.

Statistical tests: random model and seed are stated in each docstring; each compares
an exact value with an empirical-Bernstein interval at confidence 1 - 1e-4, so each
has false-alarm rate <= 1e-4 (non-asymptotic), and the seeds are fixed.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import topotheory as tt
from topotheory.simulate.counting import exact_expected_overlap, exact_overlap_distribution
from topotheory.simulate.montecarlo import (
    conv2d_toeplitz_edges,
    iid_graph_overlap_counts,
    iid_overlap_counts,
    matrix_overlap_counts,
    simulate_overlap,
    simulate_random_overlap,
)
from topotheory.simulate.stats import estimate_mean

CONF = 1 - 1e-4


def test_same_seed_same_bytes_and_prefix_property():
    a = simulate_overlap(20, 30, trials=5000, seed=123)
    b = simulate_overlap(20, 30, trials=5000, seed=123)
    assert a.counts.tobytes() == b.counts.tobytes()
    assert a.estimate == b.estimate and a.estimate.mean_exact == b.estimate.mean_exact
    c = simulate_overlap(20, 30, trials=5000, seed=124)
    assert a.counts.tobytes() != c.counts.tobytes()
    longer = simulate_overlap(20, 30, trials=20_000, seed=123)  # spans several chunks
    assert np.array_equal(longer.counts[:5000], a.counts)
    g = simulate_overlap(6, 6, trials=300, seed=(5, 6, 6), model="gaussian", rho="0.5")
    h = simulate_overlap(6, 6, trials=300, seed=(5, 6, 6), model="gaussian", rho="0.5")
    assert g.counts.tobytes() == h.counts.tobytes() and g.attempts == h.attempts


@pytest.mark.parametrize("n,m", [(5, 5), (4, 9), (12, 12)])
def test_iid_sampler_agrees_with_exact_expectation(n, m):
    """iid model, seed 0, 40,000 trials; exact E[X] must lie in the 1 - 1e-4 interval."""
    sim = simulate_overlap(n, m, trials=40_000, seed=0, confidence=CONF)
    exact = float(exact_expected_overlap(n, m))
    assert sim.estimate.ci_low <= exact <= sim.estimate.ci_high
    assert sim.estimate.ci_high - sim.estimate.ci_low < 0.02  # the check has power


def test_iid_sampler_law_matches_exact_law():
    """iid model on K_{4,5}, seed 1, 50,000 trials: each count's frequency within a
    Hoeffding band of half-width sqrt(ln(2*5/1e-4)/(2N)) (union over <= 5 counts)."""
    counts = iid_overlap_counts(4, 5, 50_000, seed=1)
    law = exact_overlap_distribution(4, 5)
    half = np.sqrt(np.log(2 * 5 / 1e-4) / (2 * counts.size))
    for c, p in law.items():
        assert abs(np.mean(counts == c) - float(p)) < half
    assert set(np.unique(counts)) <= set(law)


@pytest.mark.parametrize("model,params", [
    ("gaussian", {}), ("uniform", {}), ("student-t", {"df": 2.0}), ("cauchy", {}),
])
def test_exchangeable_matrix_models_reproduce_the_exact_expectation(model, params):
    """Exchangeable models on K_{6,7}, seed 2, 6,000 matrices; 1 - 1e-4 interval."""
    sim = simulate_overlap(6, 7, trials=6000, seed=2, model=model, confidence=CONF, **params)
    assert sim.estimate.ci_low <= float(exact_expected_overlap(6, 7)) <= sim.estimate.ci_high


def test_structured_models_lower_the_overlap():
    """Non-exchangeable models on K_{20,20}, seed 4, 1,500 matrices: their upper limits
    lie below the exact iid expectation (false-alarm rate <= 1e-4 each)."""
    exact = float(exact_expected_overlap(20, 20))
    for model in ("low-rank", "row-col-scaled"):
        sim = simulate_overlap(20, 20, trials=1500, seed=4, model=model, confidence=CONF)
        assert sim.estimate.ci_high < exact


def tie_heavy_weights():
    """Small integer weights (many ties, zeros) with a shape and a mask."""
    return st.integers(1, 6).flatmap(
        lambda m: st.integers(1, 6).flatmap(
            lambda n: st.tuples(
                st.just((m, n)),
                st.lists(st.integers(-3, 3), min_size=m * n, max_size=m * n),
                st.lists(st.booleans(), min_size=m * n, max_size=m * n),
            )
        )
    )


@given(tie_heavy_weights(), st.data())
def test_matrix_counts_equal_kruskal_oracle(case, data):
    (m, n), values, keep = case
    w = np.array(values, dtype=float).reshape(m, n)
    use_mask = data.draw(st.booleans()) and any(keep)
    mask = np.array(keep).reshape(m, n) if use_mask else np.ones((m, n), dtype=bool)
    present = [e for e in range(n * m) if mask.flat[e]]
    k = data.draw(st.integers(1, len(present)))
    # oracle: Kruskal over the present edges in tie-rule order (|w| desc, flat index
    # asc), counting how many of the first k edges it accepts
    order = sorted(present, key=lambda e: (-abs(w.flat[e]), e))
    parent = list(range(n + m))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    accepted = 0
    for e in order[:k]:
        a, b = find(e % n), find(n + e // n)
        if a != b:
            parent[a] = b
            accepted += 1
    assert matrix_overlap_counts(w, k, mask if use_mask else None)[0] == accepted


def test_matrix_counts_use_the_core_with_masks():
    rng = np.random.default_rng(9)
    w = rng.standard_normal((20, 5, 8))
    mask = rng.random((20, 5, 8)) < 0.7
    expected = [tt.topk_mst_overlap(w[t], 6, mask=mask[t]).count for t in range(20)]
    assert list(matrix_overlap_counts(w, 6, mask)) == expected


def test_sparse_model_conditions_on_connectivity():
    """iid sparse model on K_{10,10} with rho = 0.3, seed 8."""
    sim = simulate_overlap(10, 10, trials=2000, seed=8, rho="0.3")
    assert sim.attempts > sim.trials  # some supports were disconnected and rejected
    assert sim.counts.max() <= sim.k and sim.counts.min() >= 1
    same = simulate_overlap(10, 10, trials=2000, seed=8, rho="0.3", model="gaussian")
    # both are exchangeable on a uniform connected support: intervals must overlap
    assert same.estimate.ci_low <= sim.estimate.ci_high
    assert sim.estimate.ci_low <= same.estimate.ci_high


def test_graph_sampler_on_the_complete_graph_is_the_same_sampler():
    n, m = 7, 9
    e = np.arange(n * m)
    counts = iid_graph_overlap_counts(e % n, n + e // n, n + m, 500, seed=3)
    assert np.array_equal(counts, iid_overlap_counts(n, m, 500, seed=3))


def test_conv_toeplitz_graph_matches_the_core():
    u, v, n_in, n_out = conv2d_toeplitz_edges(6, 5, kernel=3, padding=1)
    graph = tt.conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 6, 5), padding=1)
    assert (graph.n_inputs, graph.n_outputs, graph.n_edges) == (n_in, n_out, u.size)
    counts = iid_graph_overlap_counts(u, v, n_in + n_out, 50, seed=0)
    assert counts.max() <= n_in + n_out - 1


def test_random_overlap_sampler_mean():
    """Two random 40-subsets of 300 edges, seed 5, 30,000 trials: k/N in the 1 - 1e-4 interval."""
    counts = simulate_random_overlap(300, 40, 30_000, seed=5)
    e = estimate_mean(counts / 40, confidence=CONF)
    assert e.ci_low <= 40 / 300 <= e.ci_high


def test_bad_input():
    with pytest.raises(ValueError, match="model="):
        simulate_overlap(3, 3, trials=10, seed=0, model="bogus")
    with pytest.raises(ValueError, match="seed is required"):
        simulate_overlap(3, 3, trials=10, seed=None)
    with pytest.raises(ValueError, match="increase rho"):
        simulate_overlap(10, 10, trials=10, seed=0, rho="0.1")
    with pytest.raises(TypeError, match="takes no parameters"):
        simulate_overlap(3, 3, trials=10, seed=0, sigma=1.0)
    with pytest.raises(TypeError, match="bad parameters"):
        simulate_overlap(3, 3, trials=10, seed=0, model="gaussian", df=1.0)
    with pytest.raises(TypeError, match="n must be an integer"):
        simulate_overlap(3.0, 3, trials=10, seed=0)
    with pytest.raises(ValueError, match="confidence"):
        simulate_overlap(3, 3, trials=10, seed=0, confidence=1.5)


@pytest.mark.parametrize("model", ["iid", "gaussian"])
def test_too_large_shape_is_refused_before_allocating(model):
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(ValueError, match=r"n\*m = 1,000,000,000,000 edges exceeds"):
        simulate_overlap(10**6, 10**6, trials=10, seed=0, model=model)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1 << 20  # nothing large was allocated first
