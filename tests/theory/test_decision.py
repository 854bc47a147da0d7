"""The one three-way decision: an interval against a bound, and two one-sided flags."""

import itertools
from fractions import Fraction

import pytest

from topotheory.theory.decision import DECISIONS, three_way, three_way_flags


def test_interval_decision_is_closed_below_and_strict_above():
    assert three_way(0.5, 0.9, 0.5) == "confirmed"  # low on the bound confirms
    assert three_way(0.1, 0.5, 0.5) == "inconclusive"  # high on the bound does not refute
    assert three_way(0.1, 0.49, 0.5) == "refuted"
    assert three_way(Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)) == "confirmed"
    with pytest.raises(ValueError, match="low=2 > high=1"):
        three_way(2, 1, 0)
    with pytest.raises(ValueError, match="bound is NaN"):
        three_way(0, 1, float("nan"))


@pytest.mark.parametrize(("above", "below", "expected"), [
    (True, False, "confirmed"),
    (False, True, "refuted"),
    (False, False, "inconclusive"),
    (True, True, "inconclusive"),  # mixed evidence
])
def test_flags_decision(above, below, expected):
    assert three_way_flags(above=above, below=below) == expected


def test_flags_are_the_interval_rule_on_the_sign_interval():
    for above, below in itertools.product((False, True), repeat=2):
        if above and below:
            continue  # no interval: handled as mixed evidence
        low, high = (1 if above else -1), (-1 if below else 1)
        assert three_way_flags(above=above, below=below) == three_way(low, high, 0)
        assert three_way_flags(above=above, below=below) in DECISIONS


@pytest.mark.parametrize("flag", [1, 0, None, "yes"])
def test_flags_refuse_a_non_bool(flag):
    with pytest.raises(TypeError, match="above=.* must be a bool"):
        three_way_flags(above=flag, below=False)
    with pytest.raises(TypeError, match="below=.* must be a bool"):
        three_way_flags(above=False, below=flag)
    with pytest.raises(TypeError):
        three_way_flags(True, False)  # keyword-only
