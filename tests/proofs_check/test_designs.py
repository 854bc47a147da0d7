"""Pre-registered designs: declared for every statistical or trained verdict, their power
as computed (noncentral t, checked against a simulation of the rule), and their constants
as derived from the committed pilot file (no re-training)."""

from __future__ import annotations

import math

import pytest

from proofs_check.designs import (
    NP_GROWS_RULES,
    derive_imp_overlap_design,
    derive_np_grows_designs,
    interval_power,
    limit_tolerance,
    simulate_interval_rule,
)
from proofs_check.pilot import LR_GRID, PILOT_SEEDS, load_pilot
from topotheory.theory.claims.imp_overlap_trained import (
    IMP_OVERLAP_DESIGN,
    IMP_OVERLAP_DESIGN_NUMBERS,
    IMP_OVERLAP_SEEDS,
)
from topotheory.theory.claims.np_grows import (
    NP_GROWS_DESIGN_NUMBERS,
    NP_GROWS_PILOT_TRAINING,
    NP_GROWS_READINGS,
    NP_GROWS_SEEDS,
)
from topotheory.theory.design import OPTIMIZER_SETUPS, Design
from topotheory.theory.registry import PAPER_CLAIMS, get_claim


def _close(a: float, b: float) -> bool:
    """Equal to the 4 significant digits the registry writes."""
    return math.isclose(a, b, rel_tol=6e-4, abs_tol=1e-9)


@pytest.mark.parametrize(("effect", "sd", "n", "alpha", "margin"), [
    (1.0, 1.0, 10, 0.025, 0.0),
    (3.65, 2.5, 12, 0.005, 0.0),
    (3.65, 2.5, 12, 0.005, 1.2),
    (0.1, 0.07, 5, 0.005, 0.0),
    (0.0, 1.0, 8, 0.025, 0.0),   # on the threshold: the false-verdict rate itself
])
def test_interval_power_is_the_rules_own_rate(effect, sd, n, alpha, margin):
    """nct power agrees with a simulation of the interval rule (4 standard errors)."""
    reps = 40_000
    exact = interval_power(effect=effect, sd=sd, n=n, alpha=alpha, margin=margin)
    sim = simulate_interval_rule(effect=effect, sd=sd, n=n, alpha=alpha, margin=margin,
                                 reps=reps, seed=1)
    assert abs(sim - exact) <= 4 * math.sqrt(exact * (1 - exact) / reps) + 1e-3


def test_limit_tolerance_covers_the_simulated_move_of_the_limit():
    """Perturbing every seed by N(0, sd_machine) moves the lower limit by about a third of
    the declared tolerance (sd), so it stays within it almost always."""
    import numpy as np
    from scipy.stats import t

    rng = np.random.default_rng(0)
    n, alpha, sd_m = 8, 0.005, 0.5
    crit = t.ppf(1 - alpha, n - 1)
    x = rng.normal(3.0, 2.0, size=(20_000, n))
    y = x + rng.normal(0.0, sd_m, size=x.shape)

    def low(a):
        return a.mean(1) - crit * a.std(1, ddof=1) / math.sqrt(n)

    moves = np.abs(low(y) - low(x))
    tol = limit_tolerance(sd_machine=sd_m, n=n, alpha=alpha)
    assert 0.99 <= float((moves <= tol).mean())
    assert float(np.std(low(y) - low(x))) == pytest.approx(tol / 3, rel=0.2)


def test_every_statistical_or_trained_claim_declares_its_design():
    for claim in PAPER_CLAIMS:
        uses_data = claim.kind == "empirical" or claim.id in (
            "overlap-bound", "overlap-bound-sparse", "overlap-law-error",
            "overlap-law-corrected", "overlap-density-invariance", "timp-preserves")
        for v in claim.variant_names:
            design = claim.design_of(v)
            if uses_data:
                assert isinstance(design, Design), f"{claim.id}[{v}] declares no design"
                assert design.as_text()


def test_np_grows_is_decided_per_reading_and_optimizer():
    claim = get_claim("np-grows")
    names = [v.name for v in claim.variants]
    assert names == list(NP_GROWS_READINGS)
    assert len(names) == 3 * len(OPTIMIZER_SETUPS)
    for name, (reading, setup) in NP_GROWS_READINGS.items():
        assert name == f"{reading}_{setup}"
        variant = claim.variant(name)
        assert OPTIMIZER_SETUPS[setup].label in variant.description  # the scope is worded
        assert variant.design.scope.startswith("with ")
        assert variant.design.sample_size == NP_GROWS_SEEDS[setup]
        assert claim.source_of(name) == ("paper" if reading == "rises" else "reading")


def test_np_grows_constants_are_those_derived_from_the_committed_pilot():
    pilot = load_pilot()
    assert pilot["pilot_seeds"] == list(PILOT_SEEDS)
    assert set(pilot["setups"]) == {"native", "avx2", "one_thread"}
    derived = derive_np_grows_designs(pilot)
    assert derived["seeds"] == NP_GROWS_SEEDS
    assert set(NP_GROWS_DESIGN_NUMBERS) == set(NP_GROWS_READINGS)
    for name, (reading, setup) in NP_GROWS_READINGS.items():
        got = derived["readings"][f"{reading}/{setup}"]
        declared = NP_GROWS_DESIGN_NUMBERS[name]
        for key, value in (("pilot_mean", got["pilot_mean"]), ("pilot_sd", got["pilot_sd"]),
                           ("min_effect", got["min_effect"]), ("tolerance", got["tolerance"]),
                           ("sd_machine", got["sd_machine"]),
                           ("power_quick", got["power"]["quick"]),
                           ("power_deep", got["power"]["deep"]),
                           ("decisive_quick", got["decisive_power"]["quick"]),
                           ("decisive_deep", got["decisive_power"]["deep"])):
            assert _close(declared[key], value), (name, key, declared[key], value)
        design = get_claim("np-grows").design_of(name)
        assert design.alpha == NP_GROWS_RULES["alpha"]
        assert design.pilot_seeds == tuple(PILOT_SEEDS)
        assert design.min_effect == declared["min_effect"]
        assert design.power == {"quick": declared["power_quick"], "deep": declared["power_deep"]}


def test_learning_rates_and_pilot_accuracies_are_the_pilots():
    pilot = load_pilot()
    for name, grid in LR_GRID.items():
        chosen = pilot["lr_grid"][name]
        assert [r["lr"] for r in chosen["grid"]] == list(grid)
        best = max(chosen["grid"], key=lambda r: r["mean_test_acc"])
        assert OPTIMIZER_SETUPS[name].lr == chosen["chosen"] == best["lr"]
    native = pilot["setups"]["native"]["np_grows"]
    for setup in OPTIMIZER_SETUPS:
        real = native[setup]["arms"]["real"]
        assert native[setup]["train_config"]["lr"] == OPTIMIZER_SETUPS[setup].lr
        assert _close(NP_GROWS_PILOT_TRAINING[setup]["test_acc"],
                      sum(real["test_acc"]) / len(real["test_acc"]))
        assert _close(NP_GROWS_PILOT_TRAINING[setup]["mean_rise"],
                      sum(real["rise"]) / len(real["rise"]))
        assert NP_GROWS_PILOT_TRAINING[setup]["test_acc"] > 0.85  # every optimizer trains


def test_imp_overlap_constants_are_those_derived_from_the_committed_pilot():
    derived = derive_imp_overlap_design(load_pilot(), seeds=IMP_OVERLAP_SEEDS)
    for key in ("max_sd", "pilot_min_margin", "sd_machine", "tolerance"):
        assert _close(IMP_OVERLAP_DESIGN_NUMBERS[key], derived[key]), key
    assert _close(IMP_OVERLAP_DESIGN.power["quick"], derived["power"]["quick"])
    assert _close(IMP_OVERLAP_DESIGN.power["deep"], derived["power"]["deep"])
    assert IMP_OVERLAP_DESIGN.alpha <= 0.05


def test_monte_carlo_designs_are_the_trials_the_checks_use():
    from proofs_check.rules import FAMILY_ALPHA

    for claim_id, quick in (("overlap-bound", 2000), ("overlap-law-error", 4000),
                            ("overlap-law-corrected", 20000)):
        design = get_claim(claim_id).design
        assert design.unit == "trials" and design.count("quick") == quick
        assert design.alpha == FAMILY_ALPHA
