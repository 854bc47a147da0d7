"""np-bound variants: the bound holds per layer and fails under Rieck's code's conventions."""

from proofs_check import check_claim
from proofs_check.claims import np_bound


def test_per_layer_holds_and_network_conventions_fail_on_a_constant_layer():
    constant_layer = (((1, 1), (1.0,)), 2.0, 1.25)
    assert np_bound.holds(constant_layer, "per_layer")
    assert not np_bound.holds(constant_layer, "per_network")
    assert not np_bound.holds(constant_layer, "rieck_code")


def test_check_reports_counterexample_for_rieck_code():
    verdict = check_claim("np-bound", variant="rieck_code")
    assert verdict.status == "refuted" and verdict.counterexample is not None
