"""Counterexamples found by proofs_check, pinned with @example, and domain properties."""

from hypothesis import example, given
from hypothesis import strategies as st

from proofs_check.claims import tccr_conv, tccr_recurrent
from proofs_check.claims.tccr_conv import exact, geometries
from topotheory.theory.tccr import tccr_recurrent as kappa_recurrent
from topotheory.theory.tccr import tccr_recurrent_unrolled as kappa_unrolled


@given(h=st.integers(2, 4), steps=st.integers(2, 3), seed=st.integers(0, 9))
@example(h=2, steps=2, seed=0)
def test_whole_unrolled_graph_is_not_per_step_formula(h, steps, seed):
    import numpy as np

    values = tuple(np.random.default_rng(seed).standard_normal(h * h).tolist())
    ratio = tccr_recurrent.exact_ratio((h, steps, values), "unrolled_whole")
    assert ratio != kappa_recurrent(h)
    assert ratio == kappa_unrolled(h, steps)


def test_pinned_recurrent_counterexamples():
    import sympy as sp

    pinned = tccr_recurrent.exact_ratio((2, 2, (1.0, 0.0, 0.0, 0.0)), "unrolled_whole")
    assert pinned == sp.Rational(8, 5) != kappa_recurrent(2)
    ties = (0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert tccr_recurrent.exact_ratio((5, 2, ties), "unrolled_params") != kappa_recurrent(5)
    assert tccr_recurrent.exact_ratio((5, 1, ties), "per_step") == kappa_recurrent(5)


@given(geometries())
@example(((1,), (1,), (1,), (1,), (1,)))  # shrunk counterexample of the all_geometries variant
@example(((5,), (2,), (1,), (0,), (2,)))  # dilation 2: residue classes
def test_conv_formula_holds_iff_connected(geom):
    ratio, formula, comps, counts_ok = exact(geom)
    assert counts_ok
    assert (ratio == formula) == (comps == 1)


def test_pinned_sparse_bound_counterexamples():
    """The shrunk cases the old hypothesis search reported also exceed 1; the check now
    reports the first failing case of the enumeration (9x10 at 1/5, 8x8 at 15/64)."""
    import sympy as sp

    from topotheory.theory.overlap import sparse_overlap_lower_bound as bound

    assert bound(9, 11, sp.Rational(19, 99), "rho_nm") == sp.Rational(375, 361)
    assert bound(8, 10, sp.Rational(17, 80), "rho_nm_minus_i_plus_1") > 1
    assert bound(9, 10, sp.Rational(1, 5), "rho_nm") == sp.Rational(55, 54)
    assert bound(8, 8, sp.Rational(15, 64), "rho_nm_minus_i_plus_1") > 1


def test_conv_probe_reports_domain():
    result = tccr_conv.probe(5)
    assert result["closed_form_connectivity_rule_disagreements"] == 0
    assert result["edge_and_node_counts_wrong"] == 0
    connected = result["connected"]
    assert result["formula_exact_on_connected"] == f"{connected}/{connected}"
    assert {e["why"] for e in result["disconnected_examples"]} >= {"dilation >= 2"}
