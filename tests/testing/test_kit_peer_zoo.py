"""The kit on code we did not write: correct libraries pass by default, classic bugs are named.

networkx (three algorithms), scipy.sparse.csgraph, igraph and rustworkx compute maximum
spanning forests with their own tie rules and return their own objects; gudhi computes the
diagram by its own filtration. With default options every one must pass every property:
with ties the maximum spanning forest is not unique, and a kit that demands one tie rule
raises false alarms. An implementation of Rieck et al.'s published conventions passes with
``conventions="rieck_code"``. Each seeded classic bug must fail with the hint that names it.
"""

import numpy as np
import peer_impls as peers
import pytest

from topotheory.testing import assert_same_diagram, assert_same_forest, check_implementation

MAX = 8  # random examples per property; the fixed tied / zero examples run in addition

PEERS = [
    ("mst", peers.networkx_mst("kruskal"), {}),
    ("mst", peers.networkx_mst("prim"), {}),
    ("mst", peers.networkx_mst("boruvka"), {}),
    ("mst", peers.networkx_triples, {}),
    ("mst", peers.scipy_mst, {}),
    ("mst", peers.igraph_mst, {}),
    ("mst", peers.rustworkx_mst, {}),
    ("diagram", peers.gudhi_diagram, {}),
    ("diagram", peers.rieck_diagram, {"conventions": "rieck_code"}),
    ("neural_persistence", peers.rieck_total_persistence, {"conventions": "rieck_code"}),
    ("neural_persistence", peers.rieck_normalized, {"conventions": "rieck_code_normalized"}),
    ("neural_persistence", peers.np_paper, {}),
]


@pytest.mark.parametrize(
    ("kind", "fn", "options"), PEERS, ids=lambda x: getattr(x, "__qualname__", None)
)
def test_correct_peer_passes_every_property_by_default(kind, fn, options):
    report = check_implementation(kind, fn, max_examples=MAX, **options)
    assert report.passed, str(report)


def test_networkx_kruskal_breaks_ties_column_major():
    """The declared tie rule is checked exactly, and the hint names the one used."""
    report = check_implementation(
        "mst", peers.networkx_mst("kruskal"), max_examples=MAX, tie_rule="column_major"
    )
    assert report.passed, str(report)
    strict = check_implementation(
        "mst", peers.networkx_mst("kruskal"), max_examples=MAX, tie_rule="topotheory", collect=True
    )
    message = strict["matches_oracle_on_ties"].message
    assert "breaks ties by the 'column_major' rule" in message
    assert "pass tie_rule='column_major'" in message
    assert "pass tie_rule=None to accept any maximum spanning forest" in message


# (kind, bug, options, failing property, phrases of its message)
SEEDED = {
    "signed max (NP)": (
        "neural_persistence",
        peers.np_signed_max,
        {},
        "matches_oracle_on_ties",
        ["normalises by the signed maximum max(w) = 1 instead of max|w| = 2 (a missing abs())"],
    ),
    "signed order (MST)": (
        "mst",
        peers.mst_signed,
        {},
        "matches_oracle_on_ties",
        ["orders edges by the signed weight w instead of |w| (a missing abs())"],
    ),
    "minimum tree (MST)": (
        "mst",
        peers.mst_minimum,
        {},
        "matches_oracle",
        ["computes a MINIMUM spanning forest"],
    ),
    "minimum tree (NP)": (
        "neural_persistence",
        peers.np_minimum_tree,
        {},
        "matches_oracle",
        ["computes a MINIMUM spanning forest"],
    ),
    "minimum tree (diagram)": (
        "diagram",
        peers.diagram_minimum_tree,
        {},
        "matches_oracle",
        ["computes a MINIMUM spanning forest"],
    ),
    "zero as absent (scipy on -|w|)": (
        "mst",
        peers.scipy_mst_zero_as_absent,
        {},
        "matches_oracle_on_ties",
        ["treats zero weights as absent (zero_weights='absent')"],
    ),
    "column-major flat indices": (
        "mst",
        peers.mst_column_major,
        {},
        "matches_oracle",
        ["column-major flat indices j_in * m_out + i_out"],
    ),
    "sqrt(|V| - 2) normaliser": (
        "neural_persistence",
        peers.np_synaptic_flow,
        {},
        "matches_oracle_on_ties",
        ["your value is the reference times 0.707107 = 1 / sqrt(|V| - 2)", "Synaptic-Flow"],
    ),
    "essential class kept": (
        "neural_persistence",
        peers.np_essential_kept,
        {},
        "matches_oracle_on_ties",
        ["keeps the essential class as the point (1, 0) (essential='as_zero')"],
    ),
    "Rieck's code under the paper's conventions": (
        "diagram",
        peers.rieck_diagram,
        {},
        "matches_oracle_on_ties",
        [
            "keeps the essential class as the point (1, 0)",
            "drops zero-length points",
            "together these are the preset conventions='rieck_code': pass it",
        ],
    ),
    "Rieck's NP under the paper's conventions": (
        "neural_persistence",
        peers.rieck_total_persistence,
        {},
        "matches_oracle_on_ties",
        ["your value is the one of conventions='rieck_code': pass it"],
    ),
}


@pytest.mark.parametrize("bug", sorted(SEEDED))
def test_seeded_bug_is_caught_with_the_right_hint(bug):
    kind, fn, options, prop, phrases = SEEDED[bug]
    report = check_implementation(
        kind, fn, max_examples=MAX, properties=[prop], collect=True, **options
    )
    result = report[prop]
    assert not result.passed, f"{prop} missed {bug!r}:\n{report}"
    for phrase in phrases:
        assert phrase in result.message, f"{phrase!r} not in:\n{result.message}"


def test_graph_objects_and_sparse_matrices_are_read_as_returned():
    w = np.array([[3.0, 1.0, 0.0], [2.0, 0.5, 4.0]])
    for fn in (
        peers.networkx_mst("prim"),
        peers.networkx_triples,
        peers.scipy_mst,
        peers.igraph_mst,
        peers.rustworkx_mst,
    ):
        assert_same_forest(fn(w), w)


def test_unknown_output_names_the_accepted_forms():
    with pytest.raises(AssertionError, match="accepted forms: flat indices"):
        assert_same_forest([{"u": 0}], np.ones((2, 2)))


def test_node_pairs_without_edge_format_get_the_suggestion():
    w = np.array([[3.0, 1.0], [2.0, 0.5]])  # inputs 0, 1; outputs 2, 3
    with pytest.raises(AssertionError, match="pass edge_format='nodes'"):
        assert_same_forest([(0, 2), (0, 3), (1, 2)], w)
    assert_same_forest([(0, 2), (0, 3), (1, 2)], w, edge_format="nodes")


def test_a_one_by_one_layer_with_an_essential_point_is_a_mismatch_not_a_crash():
    with pytest.raises(AssertionError, match="diagram mismatch"):
        assert_same_diagram(np.array([[1.0, 0.0]]), np.array([[0.5]]))


def test_a_network_wide_maximum_is_named():
    w = np.array([[3.0, 1.0], [2.0, 0.5]])
    points = np.column_stack([np.ones(3), np.array([3.0, 2.0, 1.0]) / 6.0])
    with pytest.raises(AssertionError, match="a network-wide maximum.*w_max=6"):
        assert_same_diagram(points, w)


def test_pruning_by_signed_weight_and_plain_magnitude_pruning_are_named():
    from topotheory.testing import assert_preserves_topology

    w = np.array([[3.0, -2.0, 0.1], [2.5, 1.5, -0.2]])

    def keep_largest(key):
        def prune(weights, kept):
            mask = np.zeros(weights.size, dtype=bool)
            mask[np.argsort(-key(weights), axis=None, kind="stable")[:kept]] = True
            return mask.reshape(weights.shape)

        return prune

    with pytest.raises(AssertionError, match=r"ranks by the signed weight w instead of \|w\|"):
        assert_preserves_topology(keep_largest(lambda x: x), w, kept=4)
    with pytest.raises(AssertionError, match="plain magnitude pruning"):
        assert_preserves_topology(keep_largest(np.abs), w, kept=4)
