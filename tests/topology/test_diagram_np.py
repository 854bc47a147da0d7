"""Diagrams and neural persistence: gudhi as independent oracle, Rieck's conventions."""

import math

import gudhi
import numpy as np
import pytest
from hypothesis import example, given

from topotheory.testing.strategies import weight_matrices
from topotheory.topology import (
    maximum_spanning_forest,
    network_neural_persistence,
    neural_persistence,
    persistence_diagram,
)


def gudhi_deaths(w: np.ndarray, w_max: float) -> tuple[np.ndarray, int]:
    """Super-level filtration through gudhi's sub-level one: f = 1 - w'."""
    m, n = w.shape
    tree = gudhi.SimplexTree()
    for v in range(n + m):
        tree.insert([v], filtration=0.0)
    for i in range(m):
        for j in range(n):
            tree.insert([j, n + i], filtration=1.0 - abs(w[i, j]) / w_max)
    pairs = tree.persistence(min_persistence=-1, persistence_dim_max=False)
    finite = [1.0 - d for dim, (b, d) in pairs if dim == 0 and math.isfinite(d)]
    essential = sum(1 for dim, (b, d) in pairs if dim == 0 and not math.isfinite(d))
    return np.sort(np.array(finite)), essential


@given(weight_matrices(max_rows=8, max_cols=8))
@example(np.array([[1.0, 1.0], [1.0, 0.0]]))
def test_diagram_matches_gudhi(w):
    if not np.any(w):
        w = w + 1.0
    d = persistence_diagram(w)
    deaths, essential = gudhi_deaths(w, float(np.abs(w).max()))
    np.testing.assert_allclose(np.sort(d.deaths), deaths, atol=1e-12)
    assert essential == d.n_essential == 1
    assert (d.births == 1.0).all() and (d.deaths <= d.births).all()


@given(weight_matrices(max_rows=8, max_cols=8))
def test_finite_points_are_forest_edges(w):
    if not np.any(w):
        w = w + 1.0
    d = persistence_diagram(w)
    f = maximum_spanning_forest(w)
    assert d.edge_index.tolist() == f.edge_index.tolist()
    np.testing.assert_array_equal(d.deaths, f.weights / np.abs(w).max())


def test_rieck_conventions_essential_and_zero_length():
    w = np.array([[2.0, 1.0], [2.0, 0.0]])
    paper = persistence_diagram(w)
    assert paper.deaths.tolist() == [1.0, 1.0, 0.5]
    rieck = persistence_diagram(w, normalization="rieck", w_max=2.0)
    assert rieck.deaths.tolist() == [0.5, 0.0]  # zero-length points dropped, essential (1,0)
    assert rieck.edge_index.tolist()[-1] == -1
    # Rieck's tp for this layer: sqrt(0.5^2 + 1^2); normalised by sqrt(n + m - 1) = sqrt(3).
    res = network_neural_persistence([w], normalization="rieck")
    assert res.per_layer[0] == pytest.approx(math.sqrt(1.25))
    assert res.normalized_per_layer[0] == pytest.approx(math.sqrt(1.25) / math.sqrt(3))


def rieck_reference(layers):
    """Independent re-statement of Rieck's src/tda.py PerLayerCalculation with gudhi."""
    big = max(max(abs(x.min()), abs(x.max())) for x in layers)
    totals, normalised = [], []
    for layer in layers:
        deaths, essential = gudhi_deaths(layer, big)
        pers = np.concatenate([1.0 - deaths, np.ones(essential)])
        pers = pers[pers > 0]
        tp = float(np.sqrt(np.sum(pers**2)))
        totals.append(tp)
        normalised.append(tp / math.sqrt(sum(layer.shape) - 1))
    return sum(totals), totals, float(np.mean(normalised))


@given(weight_matrices(max_rows=6, max_cols=6), weight_matrices(max_rows=6, max_cols=6))
def test_network_np_reproduces_rieck_code(a, b):
    if not np.any(a):
        a = a + 1.0
    total, per_layer, mean_norm = rieck_reference([a, b])
    res = network_neural_persistence([a, b], normalization="rieck")
    assert res.total == pytest.approx(total)
    np.testing.assert_allclose(res.per_layer, per_layer)
    assert res.mean_normalized == pytest.approx(mean_norm)


def test_bias_appended_as_extra_input_node():
    w = np.array([[1.0, 0.5]])
    b = np.array([4.0])
    res = network_neural_persistence([w], biases=[b], normalization="rieck")
    expected = network_neural_persistence([np.array([[1.0, 0.5, 4.0]])], normalization="rieck")
    assert res == expected and res.w_max == 4.0


@given(weight_matrices(kinds=("gaussian", "heavy_tail", "ties")))
def test_np_scale_invariant_and_within_rieck_bound(w):
    if not np.any(w):
        w = w + 1.0
    a = neural_persistence(w)
    assert neural_persistence(3.5 * w) == pytest.approx(a)
    if np.ptp(np.abs(w)) > 0:
        assert 0.0 <= neural_persistence(w, normalize="rieck_bound") <= 1.0 + 1e-12


def test_per_network_normalisation_scales_deaths():
    w = np.array([[1.0, 0.5]])
    d = persistence_diagram(w, normalization="per_network", w_max=2.0)
    assert d.deaths.tolist() == [0.5, 0.25] and d.w_max == 2.0


def test_p_norms():
    w = np.array([[1.0, 0.5, 0.0]])
    assert neural_persistence(w, p=1) == pytest.approx(1.5)
    assert neural_persistence(w, p=np.inf) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="p="):
        neural_persistence(w, p=0)


def test_all_zero_layer_raises_clear_error():
    with pytest.raises(ValueError, match="all-zero layer"):
        neural_persistence(np.zeros((3, 4)))
    # With an explicit network scale it is defined: every edge dies at 0.
    d = persistence_diagram(np.zeros((1, 2)), normalization="per_network", w_max=1.0)
    assert d.deaths.tolist() == [0.0, 0.0]


def test_convention_errors():
    w = np.ones((2, 2))
    with pytest.raises(ValueError, match="needs w_max"):
        persistence_diagram(w, normalization="per_network")
    with pytest.raises(ValueError, match="normalization"):
        persistence_diagram(w, normalization="global")
    with pytest.raises(ValueError, match="essential"):
        persistence_diagram(w, essential="keep")
    with pytest.raises(ValueError, match="normalize"):
        neural_persistence(w, normalize="sqrt")
    with pytest.raises(ValueError, match="empty"):
        network_neural_persistence([])
