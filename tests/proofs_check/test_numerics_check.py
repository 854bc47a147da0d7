"""``--numerics-check``: the comparison of the three numeric setups (synthetic results) and,
marked slow, a real run on a trained claim."""

from __future__ import annotations

import pytest

from proofs_check import numerics
from proofs_check.numerics import (
    SETUPS,
    compare_setups,
    decisive_margin,
    render_numerics,
    setup_environment,
)
from topotheory.cli import main


def _row(status: str, *, low: float = 2.0, high: float = 6.0, variant: str = "beyond_controls_adam",
         x: float = 1.0) -> dict:
    return {"id": "np-grows", "variant": variant, "status": status,
            "evidence": {"interval": {"low": low, "high": high}, "threshold": 0.0, "x": x,
                         "design": {"tolerance": 1.0}}}


def test_same_statuses_and_numbers_pass():
    runs = {s: [_row("confirmed")] for s in SETUPS}
    out = compare_setups(runs)
    assert out["status_differs"] == [] and out["numbers_differ"] == {}
    assert out["rows"][0]["margin"] == {s: 2.0 for s in SETUPS}


def test_a_differing_verdict_is_named():
    runs = {"native": [_row("confirmed"), _row("refuted", variant="mostly_learning_adam")],
            "avx2": [_row("inconclusive", low=-0.5), _row("refuted",
                                                            variant="mostly_learning_adam")],
            "one_thread": [_row("confirmed"), _row("refuted", variant="mostly_learning_adam")]}
    out = compare_setups(runs)
    assert out["status_differs"] == ["np-grows[beyond_controls_adam]"]
    text = render_numerics(out, list(SETUPS))
    assert "status differs under the setups for: np-grows[beyond_controls_adam]" in text
    assert "inconclusive (-0.50 tol)" in text


def test_a_number_beyond_the_declared_tolerance_is_listed():
    runs = {"native": [_row("confirmed", x=1.0)], "avx2": [_row("confirmed", x=100.0)]}
    out = compare_setups(runs)
    assert list(out["numbers_differ"]) == ["np-grows[beyond_controls_adam]"]
    assert "avx2: evidence/x" in out["numbers_differ"]["np-grows[beyond_controls_adam]"][0]


def test_a_row_missing_under_one_setup_differs():
    out = compare_setups({"native": [_row("confirmed")], "avx2": []})
    assert out["status_differs"] == ["np-grows[beyond_controls_adam]"]
    assert out["missing"] == {"avx2": ["np-grows[beyond_controls_adam]"]}


def test_decisive_margin_in_tolerance_units():
    assert decisive_margin(_row("confirmed", low=3.0)) == 3.0
    assert decisive_margin(_row("refuted", low=-9.0, high=-2.0)) == 2.0
    assert decisive_margin(_row("inconclusive", low=-1.0, high=4.0)) == -1.0
    exact = {"status": "confirmed", "evidence": {
        "smallest_margin": {"value": 0.4, "threshold": 0.0}, "design": {"tolerance": 0.1}}}
    assert decisive_margin(exact) == pytest.approx(4.0)
    assert decisive_margin({"status": "confirmed", "evidence": {}}) is None


def test_native_drops_the_numerics_variables():
    env = setup_environment("native", {"OMP_NUM_THREADS": "1", "MKL_CBWR": "AVX2", "A": "b"})
    assert "OMP_NUM_THREADS" not in env and "MKL_CBWR" not in env and env["A"] == "b"
    assert setup_environment("one_thread", {})["OMP_NUM_THREADS"] == "1"
    with pytest.raises(ValueError, match="setup="):
        setup_environment("avx512", {})


def test_cli_exits_1_naming_the_differing_claim(monkeypatch, capsys):
    def fake(claim_ids, **kw):
        runs = {"native": [_row("confirmed")], "avx2": [_row("inconclusive", low=-0.5)],
                "one_thread": [_row("confirmed")]}
        return {**compare_setups(runs), "setups": list(SETUPS), "seconds": {}}

    monkeypatch.setattr(numerics, "run_numerics_check", fake)
    assert main(["verify", "--numerics-check", "--claim", "np-grows", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "np-grows[beyond_controls_adam]" in out and "NO" in out


def test_cli_exits_0_when_every_setup_agrees(monkeypatch, capsys):
    def fake(claim_ids, **kw):
        return {**compare_setups({s: [_row("confirmed")] for s in SETUPS}),
                "setups": list(SETUPS), "seconds": {}}

    monkeypatch.setattr(numerics, "run_numerics_check", fake)
    assert main(["verify", "--numerics-check", "--quiet"]) == 0
    assert "every status is the same" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.torch
def test_numerics_check_runs_a_trained_claim_under_the_three_setups():
    pytest.importorskip("torch")
    result = numerics.run_numerics_check(["timp-preserves"], profile="quick", seed=0)
    assert result["setups"] == list(SETUPS)
    assert result["status_differs"] == [] and result["numbers_differ"] == {}
    [row] = result["rows"]
    assert row["status"] == {s: "confirmed" for s in SETUPS}
    caps = {s: (n or {}).get("torch", {}).get("cpu_capability") for s, n in
            result["numerics"].items()}
    assert caps["avx2"] in ("AVX2", "DEFAULT")  # the setup took effect in its subprocess
