"""Exact counting of the overlap law against brute force and independent formulas."""

from fractions import Fraction
from itertools import combinations
from math import comb

import networkx as nx
import pytest
from hypothesis import example, given

from tests.simulate.strategies import shapes_and_k
from topotheory.simulate.counting import (
    brute_force_overlap_distribution,
    connected_bipartite_counts,
    exact_expected_components,
    exact_expected_overlap,
    exact_overlap_distribution,
)


@given(shapes_and_k())
@example((4, 4, 7))
@example((1, 4, 2))
def test_counting_law_equals_brute_force(case):
    n, m, k = case
    law = exact_overlap_distribution(n, m, k)
    assert law == brute_force_overlap_distribution(n, m, k)
    assert sum(law.values()) == 1
    mean = sum(count * p for count, p in law.items()) / k
    assert mean == exact_expected_overlap(n, m, k)


def test_brute_force_oracle_against_networkx():
    # independent of the union-find: components counted by networkx
    n, m, k = 3, 3, 5
    total = Fraction(0)
    for subset in combinations(range(n * m), k):
        g = nx.Graph()
        g.add_nodes_from(range(n + m))
        g.add_edges_from((e % n, n + e // n) for e in subset)
        total += n + m - nx.number_connected_components(g)
    assert total / comb(n * m, k) / k == exact_expected_overlap(n, m, k) == Fraction(13, 14)


@pytest.mark.parametrize("a,b", [(1, 1), (2, 3), (3, 3), (4, 5), (6, 6), (7, 3)])
def test_spanning_trees_scoins_formula(a, b):
    # number of spanning trees of K_{a,b} is a^(b-1) b^(a-1) (Scoins 1962)
    counts = connected_bipartite_counts(a, b)
    assert counts[a + b - 1] == a ** (b - 1) * b ** (a - 1)
    assert all(c == 0 for c in counts[: a + b - 1])
    assert counts[a * b] == 1  # the complete graph itself


def test_connected_counts_sum_against_networkx():
    # all connected spanning subgraphs of K_{2,3}, by edge count, enumerated
    a, b = 2, 3
    edges = [(i, a + j) for i in range(a) for j in range(b)]
    expected = [0] * (a * b + 1)
    for e in range(a * b + 1):
        for subset in combinations(edges, e):
            g = nx.Graph()
            g.add_nodes_from(range(a + b))
            g.add_edges_from(subset)
            expected[e] += nx.is_connected(g)
    assert connected_bipartite_counts(a, b) == expected


def test_known_values_and_limits():
    assert exact_expected_overlap(2, 2) == 1  # any 3 edges of a 4-cycle form a tree
    assert exact_expected_overlap(1, 9) == 1  # a star: every edge is in the tree
    assert exact_expected_components(5, 5, 25) == 1
    # k = 1: one edge merges two vertices, always in the MST
    assert exact_expected_overlap(6, 7, 1) == 1
    value = exact_expected_overlap(12, 15)
    assert Fraction(1, 2) < value < 1


def test_symmetry_in_n_and_m():
    assert exact_expected_overlap(5, 8) == exact_expected_overlap(8, 5)
    assert exact_overlap_distribution(3, 5) == exact_overlap_distribution(5, 3)


def test_bad_input():
    with pytest.raises(ValueError, match="k="):
        exact_expected_overlap(2, 3, 7)
    with pytest.raises(ValueError, match="n must be >= 1"):
        exact_expected_overlap(0, 3)
    with pytest.raises(ValueError, match="max_subsets"):
        brute_force_overlap_distribution(6, 6)


def test_exact_counting_refuses_huge_layers_before_working():
    import pytest

    from topotheory.simulate.counting import exact_expected_overlap

    with pytest.raises(ValueError, match="max_edges=2000"):
        exact_expected_overlap(10**4, 10**4)
    with pytest.raises(ValueError, match="max_edges=5"):
        exact_expected_overlap(2, 3, max_edges=5)
    assert exact_expected_overlap(2, 3, max_edges=None) == exact_expected_overlap(2, 3)
