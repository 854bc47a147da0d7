"""check_implementation flags every seeded bug with a clear message and passes correct code.

The buggy implementations are in ``buggy_impls.py``. Each seeded bug must be caught by a
named property whose message names the convention at fault; a kit that lets one through
fails here. The fixed tied/zero examples of the batteries make the catches deterministic,
whatever the hypothesis profile.
"""

import functools

import buggy_impls as bi
import numpy as np
import pytest
from sizes import counterexample_edges

import topotheory as tt
from topotheory.testing.check import ImplementationReport, check_implementation

MAX = 8  # random examples per property; the fixed examples run in addition

CORRECT = [
    ("mst", bi.mst, {}),
    ("mst", bi.mst_entries, {}),
    ("mst", tt.maximum_spanning_forest, {}),
    ("mst", bi.mst_descending_ties, {}),
    ("mst", bi.mst_descending_ties, {"tie_rule": "descending_index"}),
    ("mst", bi.mst_zeros_absent, {"zero_weights": "absent"}),
    ("diagram", bi.diagram, {}),
    ("diagram", bi.diagram_rieck, {"essential": "as_zero"}),
    ("diagram", tt.persistence_diagram, {}),
    ("neural_persistence", bi.neural_persistence, {}),
    ("neural_persistence", functools.partial(bi.neural_persistence, p=1.0), {"p": 1.0}),
    (
        "neural_persistence",
        lambda w: bi.neural_persistence(w) / np.sqrt(sum(w.shape) - 1),
        {"normalize": "rieck_code"},
    ),
    (
        "neural_persistence",
        functools.partial(tt.neural_persistence, normalize="rieck_bound"),
        {"normalize": "rieck_bound"},
    ),
    ("topk_overlap", bi.topk_overlap, {}),
    ("topk_overlap", tt.topk_mst_overlap, {}),
    ("pruning", bi.prune_keep_forest, {}),
    ("pruning", bi.prune_pruned_weights, {}),
    ("pruning", bi.prune_magnitude, {"preserves_topology": False}),
]


def _check_property(kind, fn, prop, *, max_examples=MAX, **options) -> ImplementationReport:
    """The report of one property of ``fn`` (collected: a failure does not raise)."""
    return check_implementation(kind, fn, max_examples=max_examples, properties=[prop],
                                collect=True, **options)


@pytest.mark.parametrize(("kind", "fn", "options"), CORRECT)
def test_correct_implementations_pass_every_property(kind, fn, options):
    report = check_implementation(kind, fn, max_examples=MAX, **options)
    assert report.passed, str(report)
    report.raise_if_failed()


# (kind, buggy function, options, property that must fail, substrings of its message,
#  properties the bug cannot break, so they must still pass)
SEEDED = {
    "wrong maximum (NP)": (
        "neural_persistence",
        bi.np_wrong_max,
        {},
        "matches_oracle_on_ties",
        ["signed maximum max(w) = 1 instead of max|w| = 2", "missing abs()"],
        [],
    ),
    "wrong maximum (NP, no oracle)": (
        "neural_persistence",
        bi.np_wrong_max,
        {},
        "sign_invariance",
        ["flipping signs changed your NP"],
        [],
    ),
    "wrong maximum (diagram)": (
        "diagram",
        bi.diagram_wrong_max,
        {},
        "points_in_unit_square",
        ["outside {1} x [0, 1]", "max(w) without abs()"],
        [],
    ),
    "dropped essential class": (
        "diagram",
        bi.diagram_dropping_essential,
        {"essential": "as_zero"},
        "matches_oracle_on_ties",
        [
            "only in the reference: (1, 0)",
            "omits the essential class (essential='drop')",
            "the convention here is essential='as_zero'",
        ],
        ["scale_invariance", "sign_invariance", "points_in_unit_square"],
    ),
    "mixed tie rules between MST and top-k": (
        "topk_overlap",
        bi.topk_overlap_mixed_ties,
        {},
        "tie_rule_consistency",
        ["yours: 2; reference: 3", "breaks ties differently in top-k and in the MST"],
        ["matches_oracle", "count_bounds"],
    ),
    "off-by-one kept count": (
        "pruning",
        bi.prune_off_by_one,
        {},
        "exact_kept_count",
        ["(off by +1)", "off-by-one in the kept count"],
        ["valid_output"],
    ),
    "zero weights treated as absent": (
        "mst",
        bi.mst_zeros_absent,
        {},
        "matches_oracle_on_ties",
        [
            "yours: 2 edges; reference: 3 edges",
            "|w|=0",
            "treats zero weights as absent (zero_weights='absent')",
            "the convention here is zero_weights='present'",
        ],
        ["matches_oracle", "scale_and_sign_invariance"],
    ),
    "tie rule of the forest": (
        "mst",
        bi.mst_descending_ties,
        {"tie_rule": "topotheory"},
        "matches_oracle_on_ties",
        ["breaks ties by the 'descending_index' rule", "pass tie_rule='descending_index'"],
        ["matches_oracle"],
    ),
    "transposed layout": (
        "mst",
        bi.mst_transposed,
        {},
        "matches_oracle_on_ties",
        ["forest mismatch"],
        [],
    ),
    "essential class counted in NP": (
        "neural_persistence",
        bi.np_with_essential,
        {},
        "rieck_bound",
        ["violates Rieck's Theorem 1"],
        ["scale_invariance"],
    ),
    "essential class counted in NP (oracle)": (
        "neural_persistence",
        bi.np_with_essential,
        {},
        "matches_oracle_on_ties",
        ["keeps the essential class as the point (1, 0) (essential='as_zero')"],
        [],
    ),
    "pruning that drops forest edges": (
        "pruning",
        bi.prune_magnitude,
        {},
        "preserves_topology",
        ["changed the topology", "forest edges"],
        ["exact_kept_count"],
    ),
    "threshold pruning on ties": (
        "pruning",
        bi.prune_threshold,
        {},
        "exact_kept_count",
        ["asked for kept=", "threshold |w| >= t keeps every weight tied"],
        [],
    ),
}


@pytest.mark.parametrize("bug", sorted(SEEDED))
def test_seeded_bug_is_flagged_with_a_clear_message(bug):
    kind, fn, options, prop, phrases, still_passing = SEEDED[bug]
    report = check_implementation(kind, fn, max_examples=MAX, collect=True, **options)
    assert not report.passed, f"seeded bug {bug!r} slipped through:\n{report}"
    result = report[prop]
    assert not result.passed, f"{prop} missed seeded bug {bug!r}:\n{report}"
    for phrase in phrases:
        assert phrase in result.message, f"{phrase!r} not in:\n{result.message}"
    assert result.counterexample is not None and "weights" in result.counterexample
    for failed in report.failures:  # shrunk to a few edges; plain Python numbers
        assert counterexample_edges(kind, failed.counterexample) <= 6, str(failed)
        assert "np.float" not in failed.message and "np.int" not in failed.message
    for name in still_passing:
        assert report[name].passed, f"{name} should not blame this bug:\n{report[name]}"
    with pytest.raises(AssertionError, match=prop):
        report.raise_if_failed()


def test_counterexamples_are_shrunk_to_the_smallest_layer():
    # counting the essential class is wrong on every layer: hypothesis shrinks to 1 x 1
    report = _check_property("neural_persistence", bi.np_with_essential, "matches_oracle")
    assert report["matches_oracle"].counterexample["weights"].shape == (1, 1)
    assert [r.name for r in report.results] == ["matches_oracle"]


def test_report_text_lists_every_property_and_the_counterexample():
    report = check_implementation("pruning", bi.prune_off_by_one, max_examples=MAX, collect=True)
    assert isinstance(report, ImplementationReport)
    text = str(report)
    assert text.startswith(
        "check_implementation('pruning', prune_off_by_one): 2 of 3 properties FAILED"
    )
    assert "PASS  valid_output" in text and "FAIL  exact_kept_count" in text
    assert "counterexample kept = " in text and "counterexample weights = " in text
    assert [r.name for r in report.failures] == ["exact_kept_count", "preserves_topology"]
    with pytest.raises(KeyError, match="exact_kept_count"):
        report["no_such_property"]


def test_a_crashing_implementation_is_reported_not_raised():
    def crashes(w):
        raise RuntimeError("not implemented for this shape")

    report = check_implementation("neural_persistence", crashes, max_examples=MAX, collect=True)
    assert not any(r.passed for r in report.results)
    assert (
        "crashes raised RuntimeError: not implemented for this shape" in report.failures[0].message
    )


def test_a_nondeterministic_pruning_is_flagged():
    calls = []

    def flaky(w, kept):
        calls.append(1)
        mask = bi.prune_keep_forest(w, kept)
        if len(calls) % 2 and kept < w.size:  # every other call: swap a non-forest edge
            free = np.flatnonzero(~mask.ravel())
            taken = np.setdiff1d(np.flatnonzero(mask.ravel()), bi.mst(w))
            if free.size and taken.size:
                mask = mask.copy()
                mask.flat[free[0]], mask.flat[taken[0]] = True, False
        return mask

    report = _check_property("pruning", flaky, "valid_output")
    assert "not deterministic" in report["valid_output"].message


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("nerve", bi.mst), {}, ValueError, "kind"),
        (("mst", 3), {}, TypeError, "callable"),
        (("mst", bi.mst), {"max_examples": 0}, ValueError, "max_examples"),
        (("mst", bi.mst), {"profile": "fast"}, ValueError, "profile"),
        (("mst", bi.mst), {"properties": ["rieck_bound"]}, ValueError, "battery has"),
        (("mst", bi.mst), {"zero_weights": "none"}, ValueError, "zero_weights"),
        (("diagram", bi.diagram), {"essential": "keep"}, ValueError, "essential"),
        (("neural_persistence", bi.neural_persistence), {"p": 0}, ValueError, "p="),
        (
            ("neural_persistence", bi.neural_persistence),
            {"normalize": "max"},
            ValueError,
            "normalize",
        ),
    ],
)
def test_bad_arguments_are_rejected_up_front(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_implementation(*args, **kwargs)


def test_profile_argument_sets_the_example_count():
    report = check_implementation("mst", bi.mst, profile="ci", properties=["matches_oracle"])
    assert report.max_examples == 100
    assert check_implementation("mst", bi.mst, max_examples=3).max_examples == 3


# -- issue 25: fail by default, tolerances, mutation, hints, presets, shrinking ---------------

from topotheory.testing import ImplementationCheckFailed  # noqa: E402


def test_a_check_that_forgets_to_raise_still_fails():
    with pytest.raises(ImplementationCheckFailed, match="FAIL  sign_invariance") as info:
        check_implementation("neural_persistence", bi.np_wrong_max, max_examples=MAX)
    assert isinstance(info.value, AssertionError)
    assert not info.value.report.passed
    assert check_implementation(
        "neural_persistence", bi.np_wrong_max, max_examples=MAX, collect=True
    ).failures


def _float32_np(w):
    """A correct NP computed entirely in float32 (returns a float32 scalar)."""
    w32 = np.asarray(w, dtype=np.float32)
    deaths = np.abs(w32).ravel()[bi.mst(w32)] / np.abs(w32).max()
    return np.sqrt(np.sum((np.float32(1) - deaths) ** 2, dtype=np.float32))


def _float32_diagram(w):
    w32 = np.asarray(w, dtype=np.float32)
    deaths = np.abs(w32).ravel()[bi.mst(w32)] / np.abs(w32).max()
    return np.column_stack([np.ones_like(deaths), deaths])


@pytest.mark.parametrize(
    ("kind", "fn"), [("neural_persistence", _float32_np), ("diagram", _float32_diagram)]
)
def test_a_correct_float32_implementation_passes_with_defaults(kind, fn):
    check_implementation(kind, fn, max_examples=50)


def test_a_float32_value_returned_as_python_float_names_the_precision():
    def np_as_python_float(w):
        return float(_float32_np(w))

    report = _check_property("neural_persistence", np_as_python_float, "matches_oracle",
                             max_examples=50)
    message = report["matches_oracle"].message
    assert "within float32 precision" in message and "rtol=1e-05" in message
    check_implementation(
        "neural_persistence",
        np_as_python_float,
        max_examples=50,
        rtol=1e-5,
        atol=1e-6,
        properties=["matches_oracle"],
    )


def test_an_implementation_that_writes_into_its_input_fails_with_its_own_kind():
    def np_in_place(w):
        np.abs(w, out=w)  # a common shortcut that destroys the caller's array
        return bi.neural_persistence(w)

    report = check_implementation("neural_persistence", np_in_place, max_examples=MAX, collect=True)
    failure = report["matches_oracle"]
    assert failure.failure == "mutated_input"
    assert "np_in_place modified its input in place: weights[" in failure.message
    assert "[mutated_input]" in str(report)


def test_non_finite_cases_are_shrunk_separately_and_do_not_hide_the_hint():
    def np_rieck_code_nan(w):  # NaN on 1 x 1 layers, and a normalisation bug elsewhere
        if w.size == 1:
            return float("nan")
        return bi.neural_persistence(w) / np.sqrt(sum(w.shape) - 1)

    report = _check_property("neural_persistence", np_rieck_code_nan, "matches_oracle",
                             max_examples=20)
    result = report["matches_oracle"]
    assert result.failure == "mismatch" and result.counterexample["weights"].size > 1
    assert "normalize='rieck_code'" in result.message
    assert "non-finite outputs are shrunk separately" in result.message
    assert "returned a non-finite value (nan)" in result.message


def test_hints_are_at_most_three_most_likely_first_each_with_evidence():
    report = _check_property("neural_persistence", bi.np_with_essential,
                             "matches_oracle_on_ties")
    message = report["matches_oracle_on_ties"].message
    causes = [line for line in message.splitlines() if "likely cause:" in line]
    assert 1 <= len(causes) <= 3
    assert "keeps the essential class" in causes[0]
    assert message.count("evidence:") == len(causes)


@pytest.mark.parametrize(
    ("kind", "options", "match"),
    [
        ("neural_persistence", {"scope": "layer"}, "does not use the option 'scope'.*conv_tccr"),
        ("neural_persistence", {"reading": "per_step"}, "recurrent_mst"),
        ("neural_persistence", {"returns": "params"}, "conv_mst"),
        ("mst", {"rtol": 1e-6}, "does not use the option 'rtol'"),
        ("diagram", {"p": 1.0}, "does not use the option 'p'"),
        ("topk_overlap", {"tie_rule": "topotheory"}, "tie_rule"),
        ("conv_mst", {"tie_rule": "column_major"}, "tie_rule='column_major'"),
        ("mst", {"conventions": "rieck_code"}, "which kind='mst' does not use"),
        ("diagram", {"conventions": "rieck_bound"}, "sets \\['normalize'\\]"),
    ],
)
def test_an_option_the_kind_does_not_use_is_an_error(kind, options, match):
    with pytest.raises(ValueError, match=match):
        check_implementation(kind, bi.mst, **options)


def test_old_preset_names_still_work_for_one_release_and_warn():
    with pytest.warns(DeprecationWarning, match="use conventions='rieck_code'"):
        report = check_implementation(
            "diagram",
            bi.diagram_rieck,
            conventions="rieck",
            max_examples=MAX,
            drop_zero_length=False,
        )
    assert report.passed
    with pytest.warns(DeprecationWarning, match="rieck_code_normalized"):
        check_implementation(
            "neural_persistence",
            lambda w: bi.neural_persistence(w),
            conventions="rieck_normalized",
            essential="drop",
            drop_zero_length=False,
            normalize=None,
            max_examples=MAX,
        )
