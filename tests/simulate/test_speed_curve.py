"""``topotheory bench --check``: floors as same-run ratios; a slowed kernel must fail.

The ratios are measured, never hard-coded: the slowed-kernel test runs the real curve
points with the real kernel called repeatedly per layer (a kernel many times slower, as
the regression of issue #26 was) and asserts that the check fails.
"""

import json

import pytest

from topotheory.cli import main
from topotheory.simulate.speed_curve import (
    FULL_FLOORS,
    QUICK_FLOORS,
    check_curve,
    format_rows,
    run_curve,
)
from topotheory.topology import _kernels as K


def test_check_curve_applies_min_and_max_floors():
    rows = [
        {"case": "dense 10x10", "x_scipy": 2.9},  # below 3
        {"case": "dense 64x64", "x_scipy": 10.0},  # exactly the floor: passes
        {"case": "dense 4096x4096", "x_abs_max": 1.6},  # above 1.5
        {"case": "dense 2048x2048"},  # ratio missing
        {"case": "conv 8->8", "x_scipy": 0.1},  # no floor: report only
    ]
    failures = check_curve(rows, FULL_FLOORS)
    assert [f.split(":")[0] for f in failures] == [
        "dense 10x10", "dense 4096x4096", "dense 2048x2048"
    ]
    assert check_curve([{"case": "dense 4096x4096", "x_abs_max": 1.4}], FULL_FLOORS) == []


def test_floors_cover_the_issue_targets():
    assert FULL_FLOORS["dense 10x10"] == FULL_FLOORS["dense 32x32"] == ("x_scipy", "min", 3.0)
    for size in (64, 100, 256, 512, 1024, 2048):
        assert FULL_FLOORS[f"dense {size}x{size}"] == ("x_scipy", "min", 10.0)
    assert FULL_FLOORS["dense 4096x4096"] == ("x_abs_max", "max", 1.5)
    assert set(QUICK_FLOORS) <= set(FULL_FLOORS)


def slowed(kernel, times):
    """The real kernel, run ``times`` times per call: a kernel ``times`` times slower."""

    def slow(*args):
        for _ in range(times - 1):
            kernel(*args)
        return kernel(*args)

    return slow


def test_check_fails_on_a_slowed_kernel(monkeypatch):
    monkeypatch.setattr(K, "dense_prim_norm_parts", slowed(K.dense_prim_norm_parts, 12))
    rows = run_curve(quick=True, cases=("dense 64x64", "dense 100x100"))
    failures = check_curve(rows, QUICK_FLOORS)
    assert [f.split(":")[0] for f in failures] == ["dense 64x64", "dense 100x100"]


def test_check_fails_on_a_slow_per_call_cost(monkeypatch):
    # The regression of issue #26: ~95 us of fixed cost per call (files read per call).
    import time

    def fixed_cost(*args):
        deadline = time.perf_counter() + 100e-6
        while time.perf_counter() < deadline:
            pass
        return real(*args)

    real = K.dense_prim_norm_parts
    monkeypatch.setattr(K, "dense_prim_norm_parts", fixed_cost)
    rows = run_curve(quick=True, cases=("dense 10x10", "dense 32x32"))
    assert [f.split(":")[0] for f in check_curve(rows, QUICK_FLOORS)] == [
        "dense 10x10", "dense 32x32"
    ]
    assert "faster than scipy" in format_rows(rows, QUICK_FLOORS)


@pytest.mark.slow
def test_quick_check_passes_with_the_real_kernels(capsys):
    assert main(["bench", "--quick", "--check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["failures"] == []
    cases = [row["case"] for row in out["curve"]]
    assert set(QUICK_FLOORS) <= set(cases)
    assert any(case.startswith("Monte Carlo overlap") for case in cases)
    assert all(row["x_draws"] > 0.8 for row in out["curve"] if "x_draws" in row)
