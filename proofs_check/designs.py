"""Power of the pre-registered designs, and their constants derived from the pilot.

The trained claims decide each reading with the interval rule
(:func:`proofs_check.rules.interval_verdict`): a two-sided Student-t interval at
confidence ``1 - 2 alpha`` over ``n`` seeds; confirmed when its lower limit is ``>=`` the
threshold, refuted when its upper limit is ``<`` it. Its lower limit clears
``threshold + margin`` exactly when the one-sided t statistic
``(mean - threshold - margin) / (s / sqrt(n))`` exceeds ``t_{1 - alpha, n - 1}``; for
normal per-seed values with true mean ``threshold + effect`` and standard deviation ``sd``
that statistic is noncentral t with ``n - 1`` degrees of freedom and noncentrality
``(effect - margin) sqrt(n) / sd``, so

    power = P(decisive) = nct.sf(t_{1 - alpha, n - 1}, n - 1, (effect - margin) sqrt(n) / sd)

(:func:`interval_power`, ``scipy.stats.nct``; a test checks it against a simulation of the
rule itself). By symmetry the same number is the power to refute at ``threshold -
effect``. ``margin = 0`` gives the power of the rule; ``margin = tolerance`` the power of a
*decisive* verdict: one whose limit clears the threshold by at least the declared
cross-machine tolerance, so no numerics change within it can flip it.

The tolerance (:func:`limit_tolerance`): if another CPU's numerics perturb each seed's
value by ``e_i`` (measured in the pilot: the root mean square difference ``sd_machine``
between the AVX2 or one-thread value and the native one, over the pilot seeds), the lower
limit ``mean - t s / sqrt(n)`` moves by ``mean(e) - t * ds / sqrt(n)`` with standard
deviation ``sd_machine / sqrt(n) * sqrt(1 + t^2 / (n - 1))`` (``ds``, the change of the
sample sd, has variance ``sd_machine^2 / (n - 1)`` to first order); the declared tolerance
is three of those.

:func:`derive_np_grows_designs` turns the committed pilot file
(``topotheory/data/design_pilot.json``, :mod:`proofs_check.pilot`) into the numbers of the
``np-grows`` designs by the rules stated in :data:`NP_GROWS_RULES`; the registry writes
them down and a test checks they agree.

Examples
--------
>>> round(interval_power(effect=1.0, sd=1.0, n=10, alpha=0.025), 3)
0.803
>>> round(limit_tolerance(sd_machine=1.0, n=10, alpha=0.025), 3)
1.188
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["NP_GROWS_RULES", "derive_imp_overlap_design", "derive_np_grows_designs",
           "interval_power", "limit_tolerance", "simulate_interval_rule"]

#: The rules turning the pilot into the ``np-grows`` designs (stated in the designs).
NP_GROWS_RULES: dict[str, Any] = {
    # false-verdict rate per verdict and direction: the claim's 9 interval verdicts then
    # have a family-wise rate <= 9 x 0.005 = 0.045 in each direction (Bonferroni)
    "alpha": 0.005,
    # the smallest effect that matters, per reading
    # rises, beyond_controls: 15% of the pilot's mean real-arm rise (learning adds less
    # than that: NP growth is >= 85% what training on unlearnable data gives)
    "min_effect_fraction_of_rise": 0.15,
    "min_effect_share": 0.1,             # mostly_learning: a share 0.4 or 0.6 (1/2 +- 0.1)
    "power_target": 0.9,                 # decisive power at the minimum effect, every reading
    "min_seeds": 3,
    # quick profile's training budget: 3 arms x seeds summed over the optimizers, about
    # 0.9 s per training on one core, so np-grows stays near a minute and the whole quick
    # verify under two minutes on an idle 2-core machine
    "max_trainings_quick": 75,
    "deep_factor": 2,                    # deep: twice the quick seeds
    "tolerance_sigmas": 3.0,
}
#: The readings of ``np-grows`` and their thresholds.
NP_GROWS_THRESHOLDS: dict[str, float] = {"rises": 0.0, "beyond_controls": 0.0,
                                         "mostly_learning": 0.5}


def interval_power(*, effect: float, sd: float, n: int, alpha: float,
                   margin: float = 0.0) -> float:
    """Probability that the interval rule's decisive limit clears the threshold by
    ``margin`` when the true mean is ``effect`` beyond it (module docstring).

    Examples
    --------
    >>> round(interval_power(effect=0.0, sd=1.0, n=8, alpha=0.025), 4)  # the false rate
    0.025
    """
    if n < 2 or not sd > 0:
        raise ValueError(f"n={n} must be >= 2 and sd={sd} > 0 for a Student-t interval")
    from scipy.stats import nct, t

    df = n - 1
    crit = float(t.ppf(1 - alpha, df))
    return float(nct.sf(crit, df, (effect - margin) * math.sqrt(n) / sd))


def limit_tolerance(*, sd_machine: float, n: int, alpha: float, sigmas: float = 3.0) -> float:
    """Declared cross-machine tolerance of an interval limit over ``n`` seeds
    (module docstring): ``sigmas * sd_machine / sqrt(n) * sqrt(1 + t^2 / (n - 1))``.

    Examples
    --------
    >>> round(limit_tolerance(sd_machine=0.0, n=5, alpha=0.025), 3)
    0.0
    """
    from scipy.stats import t

    crit = float(t.ppf(1 - alpha, n - 1))
    return sigmas * sd_machine / math.sqrt(n) * math.sqrt(1 + crit**2 / (n - 1))


def simulate_interval_rule(*, effect: float, sd: float, n: int, alpha: float,
                           margin: float = 0.0, reps: int = 20000, seed: int = 0) -> float:
    """Monte Carlo of the rule itself: the fraction of ``reps`` samples of ``n`` normal
    values (mean ``effect``, sd ``sd``) whose interval (:func:`topotheory.nn.controls.
    seed_interval`'s formula) has its lower limit ``>= margin``; checks
    :func:`interval_power`.

    Examples
    --------
    >>> 0.7 < simulate_interval_rule(effect=1.0, sd=1.0, n=10, alpha=0.025, reps=2000) < 0.9
    True
    """
    import numpy as np
    from scipy.stats import t

    rng = np.random.default_rng(seed)
    x = rng.normal(effect, sd, size=(reps, n))
    crit = float(t.ppf(1 - alpha, n - 1))
    low = x.mean(axis=1) - crit * x.std(axis=1, ddof=1) / math.sqrt(n)
    return float((low >= margin).mean())


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs)


def _sd(xs: Sequence[float]) -> float:
    m = _mean(xs)
    return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def _statistics(arms: Mapping[str, Mapping[str, Sequence[float]]]) -> dict[str, list[float]]:
    from topotheory.nn.controls import rise_differences, rise_shares

    rises = {a: list(v["rise"]) for a, v in arms.items()}
    shares = rise_shares(rises)
    if shares is None:
        raise ValueError("a pilot real-arm rise is <= 0: the share has no pilot sd")
    return {"rises": list(rises["real"]), "beyond_controls": rise_differences(rises),
            "mostly_learning": shares}


def _rms_machine(pilot: Mapping[str, Any], setup_name: str, reading: str) -> float:
    native = _statistics(pilot["setups"]["native"]["np_grows"][setup_name]["arms"])[reading]
    diffs = []
    for name, setup in pilot["setups"].items():
        if name == "native":
            continue
        other = _statistics(setup["np_grows"][setup_name]["arms"])[reading]
        diffs += [a - b for a, b in zip(other, native, strict=True)]
    return math.sqrt(math.fsum(d * d for d in diffs) / len(diffs)) if diffs else 0.0


def derive_np_grows_designs(pilot: Mapping[str, Any],
                            rules: Mapping[str, Any] = NP_GROWS_RULES) -> dict[str, Any]:
    """The numbers of the ``np-grows`` designs from the pilot, by ``rules``.

    Per optimizer setup and reading: the pilot's mean and sd of the per-seed statistic
    (native numerics), the minimum effect, the cross-machine rms ``sd_machine``; per setup
    the seeds: the smallest ``n >= min_seeds`` whose decisive power at the minimum effect
    reaches ``power_target`` for all three readings; if their sum exceeded the quick
    training budget the largest would give way, one seed at a time (the shortfall then
    shows in its power). Returns ``{"seeds": {setup: {"quick", "deep"}},
    "readings": {(reading, setup): {...}}}`` (keys ``"reading/setup"``).
    """
    from topotheory.theory.design import OPTIMIZER_SETUPS

    alpha = rules["alpha"]
    native = pilot["setups"]["native"]["np_grows"]
    per: dict[str, dict[str, Any]] = {}
    for setup in OPTIMIZER_SETUPS:
        stats = _statistics(native[setup]["arms"])
        mean_rise = _mean(stats["rises"])
        for reading, values in stats.items():
            min_effect = (rules["min_effect_share"] if reading == "mostly_learning"
                          else rules["min_effect_fraction_of_rise"] * mean_rise)
            per[f"{reading}/{setup}"] = {
                "pilot_mean": _mean(values), "pilot_sd": _sd(values),
                "min_effect": min_effect,
                "sd_machine": _rms_machine(pilot, setup, reading)}

    def decisive(key: str, n: int) -> float:
        p = per[key]
        tol = limit_tolerance(sd_machine=p["sd_machine"], n=n, alpha=alpha,
                              sigmas=rules["tolerance_sigmas"])
        return interval_power(effect=p["min_effect"], sd=p["pilot_sd"], n=n, alpha=alpha,
                              margin=tol)

    def needed(setup: str, cap: int) -> int:
        keys = [f"{r}/{setup}" for r in NP_GROWS_THRESHOLDS]
        for n in range(rules["min_seeds"], cap + 1):
            if all(decisive(k, n) >= rules["power_target"] for k in keys):
                return n
        return cap

    budget = rules["max_trainings_quick"] // 3  # seeds summed over the setups
    seeds = {setup: needed(setup, budget) for setup in OPTIMIZER_SETUPS}
    while sum(seeds.values()) > budget:  # over budget: the largest gives way (power shown)
        largest = max(seeds, key=lambda s: seeds[s])
        seeds[largest] -= 1
    out: dict[str, Any] = {"seeds": {}, "readings": {}}
    for setup in OPTIMIZER_SETUPS:
        quick = seeds[setup]
        deep = rules["deep_factor"] * quick
        out["seeds"][setup] = {"quick": quick, "deep": deep}
        for reading in NP_GROWS_THRESHOLDS:
            key = f"{reading}/{setup}"
            p = per[key]
            tol = limit_tolerance(sd_machine=p["sd_machine"], n=quick, alpha=alpha,
                                  sigmas=rules["tolerance_sigmas"])
            out["readings"][key] = {
                **p, "tolerance": tol,
                "power": {prof: interval_power(effect=p["min_effect"], sd=p["pilot_sd"],
                                               n=n, alpha=alpha)
                          for prof, n in (("quick", quick), ("deep", deep))},
                "decisive_power": {prof: interval_power(
                    effect=p["min_effect"], sd=p["pilot_sd"], n=n, alpha=alpha,
                    margin=limit_tolerance(sd_machine=p["sd_machine"], n=n, alpha=alpha,
                                           sigmas=rules["tolerance_sigmas"]))
                    for prof, n in (("quick", quick), ("deep", deep))},
            }
    return out


def derive_imp_overlap_design(pilot: Mapping[str, Any], *, min_margin: float = 0.1,
                              seeds: Mapping[str, int] = (("quick", 3), ("deep", 5))
                              ) -> dict[str, Any]:
    """The numbers of the ``imp-overlap-trained`` design from the pilot.

    Its rule is refuted by any informative layer below the bound in any seed; the power
    is the probability that no informative layer of any seed falls below the bound when
    each layer's mean sits ``min_margin`` above it with the pilot's sd (normal model):
    ``prod over layers Phi(min_margin / sd_layer) ** n``. The smallest pilot margin (the
    decisive number) and the cross-machine rms of the per-seed fractions are reported.
    """
    from scipy.stats import norm

    seeds = dict(seeds)
    native = pilot["setups"]["native"]["imp_overlap"]["layers"]
    layers = {name: row for name, row in native.items() if row["bound_can_fail"]}
    from fractions import Fraction

    sds, margins, diffs = {}, [], []
    for name, row in layers.items():
        fr = [c / row["k"] for c in row["counts"]]
        sds[name] = _sd(fr)
        margins += [f - float(Fraction(row["bound"])) for f in fr]
        for setup_name, setup in pilot["setups"].items():
            if setup_name != "native":
                other = setup["imp_overlap"]["layers"][name]["counts"]
                diffs += [(a - b) / row["k"] for a, b in zip(other, row["counts"], strict=True)]
    sd_machine = math.sqrt(math.fsum(d * d for d in diffs) / len(diffs)) if diffs else 0.0
    power = {prof: math.prod(float(norm.cdf(min_margin / sd)) for sd in sds.values()) ** n
             for prof, n in seeds.items()}
    return {"layer_sd": sds, "max_sd": max(sds.values()), "pilot_min_margin": min(margins),
            "sd_machine": sd_machine, "tolerance": 3.0 * sd_machine, "power": power,
            "min_margin": min_margin, "seeds": seeds}
