"""First failing cases by enumeration: the reported case fails, everything before it holds.

The oracles here are written independently of the library: the bounds as plain integer
sums (the paper's formula, restated on purpose as a test oracle), the conv connectivity
by union-find in :mod:`topotheory.theory.domain` (not the topology core the module uses).
"""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from topotheory.simulate.bounds import overlap_lower_bound
from topotheory.simulate.first_failure import (
    CONV_FAILURE_CLASSES,
    conv_first_failures,
    shapes_in_order,
    sparse_bound_first_failure,
    worst_case_first_failure,
)
from topotheory.simulate.worst_case import brute_force_worst_case, worst_case_overlap
from topotheory.theory.domain import axis_components, conv_axis_connected_rule


def oracle_bound(n: int, m: int, edges: int, variant: str) -> Fraction:
    """Corollary 3.4 with ``rho n m = edges`` (Theorem 3.3 when ``edges = n m``)."""
    if min(n, m) == 1:
        return Fraction(1)
    total = Fraction(0)
    for i in range(1, min(n, m) + 1):
        denominator = edges if variant == "nm" else edges - i + 1
        total += Fraction((n - i + 1) * (m - i + 1), denominator)
    return total / (n + m - 1)


def all_ordered_shapes(max_edges: int):
    """Every (n, m), both orientations, n*m <= max_edges."""
    return [(n, m) for n in range(1, max_edges + 1) for m in range(1, max_edges // n + 1)]


@pytest.mark.parametrize(
    ("variant", "oracle_variant", "expected"),
    [("rho_nm", "nm", (9, 10, 18, "1/5", "55/54")),
     ("rho_nm_minus_i_plus_1", "nm_minus_i_plus_1", (8, 8, 15, "15/64", "160033/154440"))],
)
def test_sparse_first_failure_is_the_first_in_the_stated_order(variant, oracle_variant, expected):
    found = sparse_bound_first_failure(variant)
    f = found.failing
    assert (f["n"], f["m"], f["edges"], f["rho"], f["bound"]) == expected
    assert f["theory_agrees"] and found.exhaustive
    n0, m0, j0 = f["n"], f["m"], f["edges"]
    assert oracle_bound(n0, m0, j0, oracle_variant) > 1
    # every case before it, in both orientations, holds (independent oracle)
    earlier = 0
    for n, m in all_ordered_shapes(n0 * m0):
        key = (n * m, min(n, m))
        for j in range(n + m - 1, n * m + 1):
            if key < (n0 * m0, n0) or (key == (n0 * m0, n0) and j < j0):
                assert oracle_bound(n, m, j, oracle_variant) <= 1, (n, m, j)
                earlier += n <= m
    assert earlier == found.cases_checked - 1


@pytest.mark.parametrize(("variant", "shape"), [("nm", (61, 69)), ("nm_minus_i_plus_1", (62, 67))])
def test_worst_case_first_failure_in_the_stated_order(variant, shape):
    found = worst_case_first_failure(variant)
    f = found.failing
    assert (f["n"], f["m"]) == shape and f["theory_agrees"]
    assert Fraction(f["worst_fraction"]) < Fraction(f["bound"])
    assert found.shapes_checked == sum(1 for _ in shapes_in_order(shape[0] * shape[1] - 1)) + sum(
        1 for n in range(1, shape[0] + 1) if (shape[0] * shape[1]) % n == 0
        and n <= (shape[0] * shape[1]) // n)


def test_nothing_fails_below_a_small_domain_with_independent_oracle():
    found = worst_case_first_failure("nm", max_edges=300)
    assert found.failing is None
    for n, m in all_ordered_shapes(300):
        assert worst_case_overlap(n, m).fraction >= oracle_bound(n, m, n * m, "nm")


@given(st.integers(1, 40), st.integers(1, 40))
def test_the_enumerated_quantities_are_symmetric(n, m):
    for variant in ("nm", "nm_minus_i_plus_1"):
        assert overlap_lower_bound(n, m, variant=variant) == overlap_lower_bound(
            m, n, variant=variant)
        assert overlap_lower_bound(n, m, variant=variant, rho=Fraction(n + m - 1, n * m)) == (
            overlap_lower_bound(m, n, variant=variant, rho=Fraction(n + m - 1, n * m)))
    assert worst_case_overlap(n, m).count == worst_case_overlap(m, n).count


def test_worst_case_is_exact_on_tiny_shapes():
    for n, m in shapes_in_order(9):
        assert worst_case_overlap(n, m).count == brute_force_worst_case(n, m)


def test_shape_order_lists_each_shape_once():
    shapes = list(shapes_in_order(60))
    assert len(shapes) == len(set(shapes)) == sum(1 for n, m in all_ordered_shapes(60) if n <= m)
    keys = [(n * m, n) for n, m in shapes]
    assert keys == sorted(keys)


def test_conv_enumeration_classes_cover_every_failure():
    e = conv_first_failures()
    assert e.unclassified == []
    assert e.formula_exact_on_connected == e.connected > 0
    assert e.failing == e.geometries_checked - e.connected
    assert sum(c["failing"] for c in e.class_counts.values()) == e.failing
    assert all(e.first_failures[name] is not None for name, _ in CONV_FAILURE_CLASSES)
    first = {k: (v["input"], v["kernel"], v["stride"], v["padding"], v["dilation"])
             for k, v in e.first_failures.items()}
    assert first == {
        "kernel 1 without padding (1x1 conv)": (2, 1, 1, 0, 1),
        "kernel 1 with padding": (1, 1, 1, 1, 1),
        "dilation >= 2": (3, 2, 1, 0, 2),
        "stride = kernel": (3, 2, 2, 0, 1),
        "stride > kernel": (3, 2, 3, 0, 1),
        "stride < kernel, (N - k) not divisible by stride": (4, 3, 2, 0, 1),
    }


def test_conv_enumeration_agrees_with_union_find_and_the_stated_order():
    e = conv_first_failures(max_padded=7)
    order_keys = []
    for name, row in e.first_failures.items():
        i, k, s, p, d = (row[x] for x in ("input", "kernel", "stride", "padding", "dilation"))
        assert axis_components(i, k, stride=s, padding=p, dilation=d) == row["components"] > 1
        assert not conv_axis_connected_rule(i, k, stride=s, padding=p, dilation=d)
        cond = dict(CONV_FAILURE_CLASSES)[name]
        # every earlier geometry of the class (in the stated order) is connected
        for n_pos in range(1, i + 2 * p + 1):
            for k2 in range(1, 5):
                for s2 in range(1, 5):
                    for d2 in (1, 2):
                        for p2 in (0, 1):
                            i2 = n_pos - 2 * p2
                            if i2 < 1 or n_pos < d2 * (k2 - 1) + 1:
                                continue
                            if (n_pos, k2, s2, d2, p2) >= (i + 2 * p, k, s, d, p):
                                continue
                            if cond(i2, k2, s2, p2, d2):
                                assert axis_components(
                                    i2, k2, stride=s2, padding=p2, dilation=d2) == 1
        order_keys.append(row["position"])
    assert len(set(order_keys)) == len(order_keys)


def test_results_do_not_depend_on_anything_but_the_arguments():
    assert sparse_bound_first_failure("rho_nm") == sparse_bound_first_failure("rho_nm")
    assert conv_first_failures(max_padded=4) == conv_first_failures(max_padded=4)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [(lambda: sparse_bound_first_failure("nm"), ValueError, "variant='nm'"),
     (lambda: worst_case_first_failure("rho_nm"), ValueError, "variant='rho_nm'"),
     (lambda: worst_case_first_failure("nm", max_edges=0), ValueError, "max_edges=0"),
     (lambda: sparse_bound_first_failure("rho_nm", max_edges=2.5), TypeError, "max_edges"),
     (lambda: conv_first_failures(max_padding=-1), ValueError, "max_padding=-1")],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
