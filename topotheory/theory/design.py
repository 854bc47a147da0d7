"""Designs declared before the data: how a statistical or trained claim is decided.

A :class:`Design` fixes, before the confirmatory data exist, everything a verdict depends
on: how many seeds (or Monte Carlo trials) per profile, which pilot seeds the constants
came from (disjoint from the confirmatory ones), the statistic, the decision rule and its
threshold, the false-verdict rate, the minimum effect that matters and where it came from,
the power at that effect and how it was computed, and the cross-machine tolerance of the
decisive number. Nothing adapts to the data: no seed count is raised after a look.

The numbers of the trained claims' designs are derived from a committed pilot file
(``proofs_check/designs/pilot.json``, written once by ``python -m proofs_check.pilot``)
by :func:`proofs_check.designs.derive_np_grows_designs` (scipy: noncentral t); a test
checks that the constants written here agree with that derivation. This module imports no
numpy or scipy.

The training setups of ``np-grows`` (one verdict per optimizer) are named here once, by
:data:`OPTIMIZER_SETUPS`; the variant names append the setup's name to the reading's
(``beyond_controls_sgd_momentum``).

Examples
--------
>>> d = Design(unit="seeds", sample_size={"quick": 8, "deep": 16}, statistic="x",
...            rule="confirmed when the lower limit is >= 0", threshold=0.0, alpha=0.025)
>>> d.count("quick"), d.as_dict()["sample_size"]
(8, {'quick': 8, 'deep': 16})
>>> d.seeds(profile="deep", seed=3)[:3]
(3, 4, 5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DESIGN_UNITS", "MC_FAMILY_ALPHA", "OPTIMIZER_SETUPS", "Design", "OptimizerSetup"]

#: Largest family-wise probability of a wrong Monte Carlo verdict, per claim (split by
#: Bonferroni over the claim's Monte Carlo tests; ``proofs_check.rules.FAMILY_ALPHA``).
MC_FAMILY_ALPHA = 1e-3

#: What a design counts: ``seeds`` (independent trainings) or ``trials`` (Monte Carlo draws).
DESIGN_UNITS: tuple[str, ...] = ("seeds", "trials")


@dataclass(frozen=True, kw_only=True)
class OptimizerSetup:
    """One optimizer of the trained claims, with the learning rate chosen in the pilot.

    Attributes
    ----------
    name : str
        The one spelling (variant suffix, JSON, report): ``adam``, ``sgd``,
        ``sgd_momentum``.
    optimizer : str
        ``"adam"`` or ``"sgd"`` (:data:`topotheory.nn.train.OPTIMIZERS`).
    lr : float
    momentum : float
    label : str
        How the scope is worded ("with Adam (lr 0.001)").
    lr_source : str
        Why this learning rate.

    Examples
    --------
    >>> OPTIMIZER_SETUPS["sgd_momentum"].config_fields()["momentum"]
    0.9
    """

    name: str
    optimizer: str
    lr: float
    momentum: float = 0.0
    label: str
    lr_source: str

    def config_fields(self) -> dict[str, Any]:
        """The fields of ``topotheory.nn.train.TrainConfig`` this setup sets."""
        return {"optimizer": self.optimizer, "lr": self.lr, "momentum": self.momentum}


_LR_GRID = ("the grid's learning rate with the highest mean test accuracy (real labels, 3 "
            "epochs) over the pilot seeds; grid and accuracies: proofs_check/designs/pilot.json")

#: The optimizers ``np-grows`` is decided under, each a variant with its own verdict.
OPTIMIZER_SETUPS: dict[str, OptimizerSetup] = {
    s.name: s for s in (
        OptimizerSetup(name="adam", optimizer="adam", lr=1e-3, label="Adam (lr 0.001)",
                       lr_source="Synaptic-Flow's default (the paper's Appendix D settings); "
                       "not tuned"),
        OptimizerSetup(name="sgd", optimizer="sgd", lr=0.2, label="plain SGD (lr 0.2)",
                       lr_source=_LR_GRID + " (grid 0.05, 0.1, 0.2, 0.5)"),
        OptimizerSetup(name="sgd_momentum", optimizer="sgd", lr=0.02, momentum=0.9,
                       label="SGD with momentum 0.9 (lr 0.02)",
                       lr_source=_LR_GRID + " (grid 0.005, 0.01, 0.02, 0.05: the same "
                       "effective steps lr / (1 - momentum) as plain SGD's)"),
    )
}


@dataclass(frozen=True, kw_only=True)
class Design:
    """The pre-registered design of one statistical or trained verdict.

    Attributes
    ----------
    unit : str
        ``"seeds"`` (trainings) or ``"trials"`` (Monte Carlo draws).
    sample_size : dict
        Confirmatory seeds (or trials) per profile, ``{"quick": n, "deep": n}``; the seeds
        are ``seed, seed + 1, ...`` for ``--seed seed`` (:meth:`seeds`).
    statistic : str
        What is computed per seed (or trial) and summarised.
    rule : str
        The decision rule in words, with its thresholds.
    threshold : float or None
        The number the decisive limit is compared with (None: each case has its own bound,
        as in a Monte Carlo expectation claim).
    alpha : float or None
        Largest probability of a wrong decisive verdict in each direction (confirmed when
        the claim is false, refuted when it holds), per verdict; None for an exact check
        of the runs made (no sampling error to bound).
    pilot_seeds : tuple of int
        Seeds of the pilot the constants came from; never confirmatory seeds (the
        confirmatory ones start at ``--seed``, default 0).
    min_effect : float or None
        The smallest departure from the threshold that matters, in the statistic's units.
    min_effect_source : str
        Where it came from (fixed from the pilot before the confirmatory data).
    pilot_sd : float or None
        The pilot's standard deviation of the statistic over seeds (the power's input).
    power : dict
        Per profile, the probability of a decisive verdict when the true effect is
        ``min_effect`` (and, under ``decisive_power``, of one whose limit clears the
        threshold by at least ``tolerance``: a verdict no declared numerics change flips).
    decisive_power : dict
    power_method : str
        How the power was computed.
    tolerance : float or None
        Declared cross-machine tolerance of the decisive limit (how far CPU numerics may
        move it): ``--numerics-check`` reports margins in its units.
    tolerance_source : str
    scope : str
        The setup the verdict holds for ("with Adam (lr 0.001), 3 epochs, on MNIST").
    notes : str
        Anything else a reader needs (family-wise rate, budget).
    """

    unit: str
    sample_size: dict[str, int]
    statistic: str
    rule: str
    threshold: float | None
    alpha: float | None
    pilot_seeds: tuple[int, ...] = ()
    min_effect: float | None = None
    min_effect_source: str = ""
    pilot_sd: float | None = None
    power: dict[str, float] = field(default_factory=dict)
    decisive_power: dict[str, float] = field(default_factory=dict)
    power_method: str = ""
    tolerance: float | None = None
    tolerance_source: str = ""
    scope: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if self.unit not in DESIGN_UNITS:
            raise ValueError(f"Design unit={self.unit!r} must be one of {DESIGN_UNITS}")
        if not self.sample_size or any(
                isinstance(n, bool) or not isinstance(n, int) or n < 0
                for n in self.sample_size.values()) or not any(self.sample_size.values()):
            raise ValueError(f"Design sample_size={self.sample_size!r}: give a count >= 0 per "
                             "profile (0: none in that profile), at least one >= 1, e.g. "
                             "{'quick': 8, 'deep': 16}")
        if self.alpha is not None and not 0 < self.alpha < 0.5:
            raise ValueError(f"Design alpha={self.alpha!r} must lie in (0, 0.5), or be None "
                             "for an exact check (no sampling error)")
        if not self.statistic or not self.rule:
            raise ValueError("Design needs statistic= and rule= in words")
        for name in ("power", "decisive_power"):
            bad = {k: p for k, p in getattr(self, name).items() if not 0 <= p <= 1}
            if bad:
                raise ValueError(f"Design {name}={bad!r}: probabilities lie in [0, 1]")
        if (self.power or self.min_effect is not None) and not self.power_method:
            raise ValueError("Design power_method='': say how the power was computed")
        if self.tolerance is not None and not self.tolerance > 0:
            raise ValueError(f"Design tolerance={self.tolerance!r} must be > 0 (or None)")
        overlap = set(self.pilot_seeds) & set(range(max(self.sample_size.values())))
        if overlap:
            raise ValueError(f"Design pilot_seeds {sorted(overlap)} are confirmatory seeds at "
                             "--seed 0: take pilot seeds disjoint from them (e.g. 1000+)")

    def count(self, profile: str) -> int:
        """Seeds (or trials) of ``profile`` (0 when the profile takes none)."""
        return self.sample_size.get(profile, 0)

    def seeds(self, *, profile: str, seed: int) -> tuple[int, ...]:
        """The confirmatory seeds of ``profile`` for ``--seed seed``."""
        return tuple(range(seed, seed + self.count(profile)))

    def as_dict(self) -> dict[str, Any]:
        """JSON-able dict (the ``design`` block of a verdict's evidence)."""
        out: dict[str, Any] = {
            "unit": self.unit, "sample_size": dict(self.sample_size),
            "statistic": self.statistic, "rule": self.rule, "threshold": self.threshold,
            "alpha": self.alpha, "pilot_seeds": list(self.pilot_seeds),
            "min_effect": self.min_effect, "min_effect_source": self.min_effect_source,
            "pilot_sd": self.pilot_sd, "power": dict(self.power),
            "decisive_power": dict(self.decisive_power), "power_method": self.power_method,
            "tolerance": self.tolerance, "tolerance_source": self.tolerance_source,
            "scope": self.scope, "notes": self.notes,
        }
        return {k: v for k, v in out.items() if v not in ("", None, {}, [])}

    def as_text(self) -> str:
        """One paragraph for ``docs/claims.md``.

        Examples
        --------
        >>> Design(unit="trials", sample_size={"quick": 2000, "deep": 50000}, statistic="X",
        ...        rule="r", threshold=0.0, alpha=0.001).as_text()
        'trials: quick 2000, deep 50000; statistic: X; rule: r; false-verdict rate 0.001'
        """
        parts = [f"{self.unit}: " + ", ".join(f"{p} {n}" for p, n in self.sample_size.items())]
        if self.pilot_seeds:
            parts.append(f"pilot seeds {self.pilot_seeds[0]}-{self.pilot_seeds[-1]}")
        if self.scope:
            parts.append(f"scope: {self.scope}")
        parts += [f"statistic: {self.statistic}", f"rule: {self.rule}",
                  f"false-verdict rate {self.alpha:g}" if self.alpha is not None
                  else "exact (no sampling error)"]
        if self.min_effect is not None:
            parts.append(f"minimum effect {self.min_effect:.4g} ({self.min_effect_source})")
        if self.power:
            parts.append("power " + ", ".join(f"{p} {v:.3f}" for p, v in self.power.items())
                         + (" (decisive beyond the tolerance: " + ", ".join(
                             f"{p} {v:.3f}" for p, v in self.decisive_power.items()) + ")"
                            if self.decisive_power else "") + f" [{self.power_method}]")
        elif self.power_method:
            parts.append(f"power: {self.power_method}")
        if self.tolerance is not None:
            parts.append(f"cross-machine tolerance of the decisive limit {self.tolerance:.3g}"
                         + (f" ({self.tolerance_source})" if self.tolerance_source else ""))
        if self.notes:
            parts.append(self.notes)
        return "; ".join(parts)
