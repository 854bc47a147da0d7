"""check_implementation for conv (Toeplitz) and recurrent (unrolled) code flags seeded bugs.

The hand-written implementations are in ``buggy_impls.py``; each seeded bug must fail a
named property with a message naming its cause, and the correct implementations (hand-written
and thin wrappers around topotheory) must pass everything. The fixed examples of the batteries
(padding, groups, stride > kernel, T >= 2) make every catch deterministic under any profile.
"""

import buggy_impls as bi
import numpy as np
import pytest
from hypothesis import given
from sizes import counterexample_edges

import topotheory as tt
from topotheory.testing import (
    assert_same_conv_forest,
    assert_same_conv_tccr,
    assert_same_recurrent_forest,
    check_implementation,
    conv_disconnection,
    exact_conv_tccr,
)
from topotheory.testing.strategies import conv_geometries, recurrent_weights
from topotheory.topology.tccr import ConvGeometry, conv_counts, conv_tccr_formula

MAX = 8  # random examples per property; the fixed examples run in addition


def tt_conv_forest(weight, input_shape, **geometry):
    return tt.maximum_spanning_forest(tt.conv_toeplitz_graph(weight, input_shape, **geometry))


def tt_conv_params(weight, input_shape, **geometry):
    return tt_conv_forest(weight, input_shape, **geometry).used_parameters()


def tt_conv_nodes(weight, input_shape, **geometry):
    forest = tt_conv_forest(weight, input_shape, **geometry)
    return np.column_stack([forest.u, forest.v])


def tt_recurrent_forest(w, steps):
    return tt.maximum_spanning_forest(tt.recurrent_unrolled_graph(w, steps))


CORRECT = [
    ("conv_mst", bi.conv_mst, {}),
    ("conv_mst", bi.conv_mst, {"tie_rule": "topotheory"}),
    ("conv_mst", tt_conv_forest, {}),
    ("conv_mst", tt_conv_nodes, {"edge_format": "nodes"}),
    ("conv_mst", bi.conv_used_params, {"returns": "params"}),
    ("conv_mst", tt_conv_params, {"returns": "params"}),
    ("conv_mst", bi.conv_mst_unpadded, {"include_padding": False}),
    ("conv_tccr", bi.conv_tccr_exact, {}),
    ("conv_tccr", lambda g: conv_counts(g).tccr, {}),
    ("conv_tccr", lambda g: conv_counts(g, full_layer=True).tccr, {"scope": "layer"}),
    ("recurrent_mst", bi.recurrent_mst, {}),
    ("recurrent_mst", bi.recurrent_mst, {"tie_rule": "topotheory"}),
    ("recurrent_mst", tt_recurrent_forest, {}),
    (
        "recurrent_mst",
        lambda w, s: tt_recurrent_forest(w, s).used_parameters(),
        {"returns": "params"},
    ),
    ("recurrent_mst", bi.recurrent_mst_per_step, {"reading": "per_step"}),
]


@pytest.mark.parametrize(("kind", "fn", "options"), CORRECT)
def test_correct_implementations_pass_every_property(kind, fn, options):
    report = check_implementation(kind, fn, max_examples=MAX, **options)
    assert report.passed, str(report)


# (kind, buggy function, options, property that must fail, substrings of its message,
#  properties the bug cannot break)
SEEDED = {
    "conv forest without padding nodes": (
        "conv_mst",
        bi.conv_mst_unpadded,
        {},
        "matches_oracle_on_ties",
        [
            "yours: 4 edges; reference: 6 edges",
            "WITHOUT padded input positions (include_padding=False",
            "the convention here is include_padding=True",
        ],
        [],
    ),
    "conv forest without padding nodes (validity)": (
        "conv_mst",
        bi.conv_mst_unpadded,
        {},
        "spanning_forest",
        ["spanning forest of the graph with include_padding=False"],
        [],
    ),
    "conv forest ignoring groups": (
        "conv_mst",
        bi.conv_mst_ignoring_groups,
        {},
        "spanning_forest",
        [
            "not an entry of the Toeplitz matrix",
            "joins input channel 0 (group 0) to output channel 1 (group 1)",
            "ignores groups=2",
        ],
        ["scale_and_sign_invariance"],
    ),
    "conv forest ignoring groups (oracle)": (
        "conv_mst",
        bi.conv_mst_ignoring_groups,
        {},
        "matches_oracle_on_ties",
        ["ignores groups=2"],
        [],
    ),
    "conv forest of one channel pair": (
        "conv_mst",
        lambda weight, input_shape, **geo: bi.conv_mst(
            weight[:1, :1], (1, *input_shape[1:]), **{**geo, "groups": 1}
        ),
        {},
        "matches_oracle_on_ties",
        ["the forest of ONE channel pair's graph", "spans the whole layer"],
        [],
    ),
    "conv forest with parameter-by-parameter ties": (
        "conv_mst",
        lambda weight, input_shape, **geo: bi.conv_mst(
            # a stable tie rule by parameter: nudge later parameters down by 1e-9
            np.abs(weight) - 1e-9 * np.arange(weight.size).reshape(weight.shape),
            input_shape,
            **geo,
        ),
        {"tie_rule": "topotheory"},
        "matches_oracle_on_ties",
        ["under another tie rule", "compare='weights'"],
        ["matches_oracle", "spanning_forest"],
    ),
    "TCCR formula on a disconnected geometry": (
        "conv_tccr",
        bi.conv_tccr_formula_everywhere,
        {},
        "exact_on_disconnected",
        [
            "you applied Theorem 3.2's formula",
            "assumes a connected graph",
            "stride 2 > dilated kernel extent 1 in spatial dim 0",
        ],
        ["matches_formula_when_connected"],
    ),
    "TCCR formula on a disconnected geometry (exact)": (
        "conv_tccr",
        bi.conv_tccr_formula_everywhere,
        {},
        "matches_exact",
        ["this geometry is disconnected", "connected components, not 1"],
        [],
    ),
    "TCCR of one channel pair for the whole layer": (
        "conv_tccr",
        bi.conv_tccr_exact,
        {"scope": "layer"},
        "matches_exact",
        ["you counted one channel pair; the convention here is scope='layer'"],
        [],
    ),
    "recurrent per-step forest for the whole graph": (
        "recurrent_mst",
        bi.recurrent_mst_per_step,
        {},
        "matches_oracle_on_ties",
        [
            "yours: 1 edges; reference: 3 edges",
            "your function implements the per-step reading",
            "reading='whole' was requested",
        ],
        ["scale_and_sign_invariance"],
    ),
    "recurrent per-step forest (size)": (
        "recurrent_mst",
        bi.recurrent_mst_per_step,
        {},
        "forest_size_of_reading",
        ["matches the per-step reading", "reading='whole' was requested"],
        [],
    ),
    "recurrent whole forest for the per-step reading": (
        "recurrent_mst",
        bi.recurrent_mst,
        {"reading": "per_step"},
        "matches_oracle_on_ties",
        ["implements the whole-unrolled reading", "reading='per_step' was requested"],
        [],
    ),
    "recurrent per-step forest repeated in every step": (
        "recurrent_mst",
        lambda w, steps: [t * w.size + e for t in range(steps) for e in bi.mst(w)],
        {},
        "matches_oracle_on_ties",
        ["repeat the per-step forest in every step"],
        [],
    ),
}


@pytest.mark.parametrize("bug", sorted(SEEDED))
def test_seeded_bug_is_flagged_with_a_clear_message(bug):
    kind, fn, options, prop, phrases, still_passing = SEEDED[bug]
    report = check_implementation(kind, fn, max_examples=MAX, collect=True, **options)
    result = report[prop]
    assert not result.passed, f"{prop} missed seeded bug {bug!r}:\n{report}"
    for phrase in phrases:
        assert phrase in result.message, f"{phrase!r} not in:\n{result.message}"
    assert result.counterexample is not None
    for failed in report.failures:  # every counterexample shrinks to a few edges
        assert counterexample_edges(kind, failed.counterexample, options) <= 6, str(failed)
    for name in still_passing:
        assert report[name].passed, f"{name} should not blame this bug:\n{report[name]}"


# -- oracles on hand-checked cases ------------------------------------------------------------


def test_conv_forest_oracle_accepts_every_edge_format():
    w = np.array([[[3.0, 2.0, 1.0]]])
    forest = tt_conv_forest(w, (1, 4), padding=1)
    n_in = 6  # 4 real positions + 2 padded
    assert forest.size == 9  # 6 + 4 nodes, connected
    flat = forest.edge_index
    assert_same_conv_forest(flat, w, (1, 4), padding=1)
    assert_same_conv_forest(np.column_stack([flat // n_in, flat % n_in]), w, (1, 4), padding=1)
    assert_same_conv_forest(
        np.column_stack([flat % n_in, n_in + flat // n_in]),
        w,
        (1, 4),
        padding=1,
        edge_format="nodes",
    )
    every = tt.conv_toeplitz_graph(w, (1, 4), padding=1).edges()[0]
    extra = np.setdiff1d(every, flat)[0]  # any non-forest edge closes a cycle with the forest
    with pytest.raises(AssertionError, match="closes a cycle"):
        assert_same_conv_forest(np.append(flat, extra), w, (1, 4), padding=1)


def test_conv_tccr_oracle_names_the_disconnection():
    strided = ConvGeometry((2,), (7,), stride=3)
    # windows {0,1}, {3,4}: positions 2, 5, 6 isolated; exact |E|/|MSF| = 4 / 4
    assert exact_conv_tccr(strided) == 1.0
    assert "stride 3 > dilated kernel extent 2" in conv_disconnection(strided)
    with pytest.raises(AssertionError, match="this geometry is disconnected"):
        assert_same_conv_tccr(conv_tccr_formula(strided), strided)
    dilated = ConvGeometry((3,), (7,), dilation=2)
    assert "dilation 2 with stride 1" in conv_disconnection(dilated)
    tail = ConvGeometry((3,), (6,), stride=2)
    assert "the last 1 (padded) input positions" in conv_disconnection(tail)
    connected = ConvGeometry((3, 3), (8, 8), padding=1)
    assert conv_disconnection(connected) == ""
    assert_same_conv_tccr(conv_tccr_formula(connected), connected)


def test_recurrent_oracle_tells_the_readings_apart():
    w = np.array([[2.0, 1.0], [0.5, 3.0]])
    whole = tt_recurrent_forest(w, 3)
    assert whole.size == 7  # (T + 1) h - 1
    assert_same_recurrent_forest(whole, w, 3)
    step = tt.maximum_spanning_forest(w)
    assert_same_recurrent_forest(step, w, 3, reading="per_step")
    with pytest.raises(AssertionError, match="implements the per-step reading"):
        assert_same_recurrent_forest(step, w, 3)
    pairs = np.column_stack([whole.u, whole.v])
    assert_same_recurrent_forest(pairs, w, 3, edge_format="nodes")


# -- strategies ---------------------------------------------------------------------------------


@given(conv_geometries(dims=(3,), max_size=3, kernel_kinds=("constant",), max_channels=1))
def test_conv_geometries_constant_kernels_tie_every_parameter(g):
    assert g["weight"].ndim == 5
    assert np.all(np.abs(g["weight"]) == 1.0)


@given(conv_geometries(dims=(1, 2), max_size=5, connected=False))
def test_conv_geometries_disconnected_filter(g):
    from topotheory.testing import conv_geometry_of

    assert not conv_counts(conv_geometry_of(g)).connected


@given(conv_geometries(dims=(1,), kernel_kinds=("zeros",)))
def test_conv_geometries_zero_kernels_have_a_zero_but_not_only_zeros(g):
    assert np.any(g["weight"] != 0)


@given(recurrent_weights(max_hidden=3, min_steps=2, max_steps=3, allow_zeros=False))
def test_recurrent_weights_square_and_steps(pair):
    w, steps = pair
    assert w.ndim == 2 and w.shape[0] == w.shape[1] <= 3
    assert 2 <= steps <= 3 and (w != 0).all()


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: conv_geometries(kernel_kinds=("tied",)), "unknown"),
        (lambda: conv_geometries(max_padding=-1), "max_padding"),
        (lambda: conv_geometries(connected="yes"), "connected"),
        (lambda: conv_geometries(max_stride=0), "max_stride"),
        (lambda: recurrent_weights(max_hidden=0), "hidden"),
        (lambda: recurrent_weights(min_steps=3, max_steps=2), "steps"),
    ],
)
def test_bad_strategy_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"returns": "mask"}, "returns"),
        ({"scope": "net"}, "scope"),
        ({"reading": "all"}, "reading"),
    ],
)
def test_bad_structured_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_implementation("conv_mst", bi.conv_mst, **kwargs)
