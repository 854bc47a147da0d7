"""Control arms for the empirical claims: verdict data, not verdicts.

* ``np-grows`` (Figure 1): the paper reads "NP rises with learning". NP also rises when
  nothing can be learnt, because weights grow under any gradient signal. So the same
  architecture, optimizer and budget is trained in three arms -- real labels
  (``"real"``), shuffled training labels (``"shuffled_labels"``) and Gaussian-noise
  inputs with uniformly random labels (``"random_inputs"``) -- over several seeds.
  :func:`np_grows_controls` returns per arm the total NP (sum over dense layers,
  per-layer normalisation, ``p = 2``) at the first and last measurement and its rise;
  :func:`np_rise_effect` the paired effect ``rise(real) - max(rise(controls))`` per seed
  with a Student-t interval over seeds; :func:`decide_np_grows` the reading's status.
* ``imp-overlap-trained`` (Figure 3): per trained dense layer, the top-k/MST overlap,
  the Theorem 3.3 bound of its shape, the exact worst possible overlap of the shape
  (:func:`topotheory.simulate.worst_case.worst_case_overlap`: where it is ``>=`` the bound
  the bound cannot fail, so the layer is no evidence for it) and the iid null of the same
  shape (Monte Carlo with an interval and the null's tail probabilities):
  :func:`layer_overlap_arms`, :func:`imp_overlap_arms`, :func:`decide_imp_overlap`.

Everything is deterministic per seed on the same machine (CPU); the iid null has its
own seed. Intervals over seeds are Student-t (``scipy.stats.t``), two-sided, at
``confidence`` (default 0.95), stated in each result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import torch
from torch import nn

from topotheory.nn.data import DEFAULT_DATASET, Dataset, load_dataset
from topotheory.nn.train import QUICK, TrainConfig, config_record
from topotheory.result import Result

__all__ = [
    "ARMS",
    "ArmNp",
    "LayerOverlapArms",
    "NpGrowsControls",
    "SeedInterval",
    "control_dataset",
    "decide_imp_overlap",
    "decide_np_grows",
    "imp_overlap_arms",
    "layer_overlap_arms",
    "layers_from_imp_overlap_trained",
    "np_grows_controls",
    "np_rise_effect",
    "rise_differences",
    "rise_shares",
    "seed_interval",
]

#: Training arms of ``np-grows``: the real one first, then the controls.
ARMS: tuple[str, ...] = ("real", "shuffled_labels", "random_inputs")
_ARM_DESCRIPTIONS = {
    "real": "real training labels",
    "shuffled_labels": "training labels permuted (seeded per seed); inputs unchanged",
    "random_inputs": "training inputs replaced by standard Gaussian noise of the same shape, "
                     "labels uniform on the classes (seeded per seed)",
}


# ----------------------------------------------------------------------------- intervals
@dataclass(frozen=True, repr=False)
class SeedInterval(Result):
    """Mean over seeds with a two-sided Student-t interval.

    ``low``/``high`` are None for a single seed (no interval over one value).
    """

    mean: float
    low: float | None
    high: float | None
    sd: float
    n: int
    confidence: float
    method: str = "student-t over seeds"

    def as_dict(self) -> dict[str, object]:
        """JSON-able dict."""
        return asdict(self)


def seed_interval(values: Sequence[float], *, confidence: float = 0.95) -> SeedInterval:
    """Mean and Student-t interval of per-seed values.

    Examples
    --------
    >>> iv = seed_interval([1.0, 2.0, 3.0])
    >>> iv.mean, round(iv.low, 3), round(iv.high, 3)
    (2.0, -0.484, 4.484)
    >>> seed_interval([5.0]).low is None
    True
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
    xs = [float(v) for v in values]
    if not xs:
        raise ValueError("values is empty; pass one value per seed")
    if not all(math.isfinite(x) for x in xs):
        raise ValueError(f"values={xs!r} contain NaN or infinity")
    n = len(xs)
    mean = math.fsum(xs) / n
    if n == 1:
        return SeedInterval(mean, None, None, 0.0, 1, confidence)
    from scipy.stats import t

    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return SeedInterval(mean, mean - half, mean + half, sd, n, confidence)


# ----------------------------------------------------------------------------- np-grows
def control_dataset(data: Dataset, arm: str, *, seed: int) -> Dataset:
    """The training data of one arm; the test set is always the real one.

    Examples
    --------
    >>> x = torch.zeros(6, 1, 2, 2); y = torch.arange(6) % 3
    >>> d = Dataset("toy", x, y, x, y, n_classes=3)
    >>> sorted(control_dataset(d, "shuffled_labels", seed=0).y_train.tolist())
    [0, 0, 1, 1, 2, 2]
    >>> control_dataset(d, "random_inputs", seed=0).x_train.shape
    torch.Size([6, 1, 2, 2])
    """
    if arm not in ARMS:
        raise ValueError(f"arm={arm!r}; choose one of {ARMS}")
    if arm == "real":
        return data
    gen = torch.Generator().manual_seed(10_007 * (seed + 1) + ARMS.index(arm))
    if arm == "shuffled_labels":
        perm = torch.randperm(len(data.y_train), generator=gen)
        return Dataset(f"{data.name}+shuffled_labels(seed={seed})", data.x_train,
                       data.y_train[perm], data.x_test, data.y_test, data.n_classes,
                       source=f"{data.source}; training labels permuted (seed {seed})")
    x = torch.randn(data.x_train.shape, generator=gen, dtype=data.x_train.dtype)
    y = torch.randint(0, data.n_classes, data.y_train.shape, generator=gen,
                      dtype=data.y_train.dtype)
    return Dataset(f"gaussian-noise+random_labels(seed={seed})", x, y, data.x_test,
                   data.y_test, data.n_classes,
                   source=f"training inputs: standard Gaussian noise, labels uniform (seed "
                   f"{seed}); test set: {data.source}")


@dataclass(frozen=True, repr=False)
class ArmNp(Result):
    """One arm of ``np-grows``: per-seed total NP first -> last, its rise, test accuracy."""

    arm: str
    description: str
    seeds: tuple[int, ...]
    np_first: tuple[float, ...]
    np_last: tuple[float, ...]
    rise: tuple[float, ...]
    test_acc: tuple[float, ...]
    rise_interval: SeedInterval
    last_interval: SeedInterval

    def as_dict(self) -> dict[str, object]:
        """JSON-able dict."""
        out = asdict(self)
        out["seeds"], out["np_first"], out["np_last"] = (
            list(self.seeds), list(self.np_first), list(self.np_last))
        out["rise"], out["test_acc"] = list(self.rise), list(self.test_acc)
        return out


@dataclass(frozen=True, repr=False)
class NpGrowsControls(Result):
    """All arms of ``np-grows`` over the same seeds, configuration and measurement."""

    arms: dict[str, ArmNp]
    seeds: tuple[int, ...]
    confidence: float
    measure: str
    train_config: dict[str, object]
    dataset: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        """JSON-able dict, with the effect of the real arm over the controls."""
        return {
            "arms": {k: v.as_dict() for k, v in self.arms.items()},
            "seeds": list(self.seeds),
            "confidence": self.confidence,
            "measure": self.measure,
            "train_config": dict(self.train_config),
            "dataset": dict(self.dataset),
            "effect": np_rise_effect(self).as_dict(),
        }


def np_grows_controls(
    *,
    seeds: Sequence[int] = (0, 1, 2),
    arms: Sequence[str] = ARMS,
    config: TrainConfig = QUICK,
    confidence: float = 0.95,
    model: str = "fc",
    dataset: str = DEFAULT_DATASET,
    every: int = 20,
    data: Dataset | None = None,
    data_dir: str | Path | None = None,
    model_fn: Callable[[int], nn.Module] | None = None,
) -> NpGrowsControls:
    """Train each arm for each seed (same initialisation per seed) and collect NP.

    Uses :func:`topotheory.nn.experiments.np_grows` per (arm, seed), on the vendored
    real MNIST by default (``dataset``/``data_dir``/``data`` to change it). Cost: see
    ``docs/pruning.md`` (one FCN training of the quick configuration takes a few seconds
    on one thread).

    Parameters
    ----------
    seeds : sequence of int
        One run per arm and seed; seed ``s`` fixes the initialisation and the batch order
        in every arm and the control data of seed ``s``.
    arms : sequence of str
        Subset of :data:`ARMS`; ``"real"`` must be present.
    config : TrainConfig
        Same optimizer and budget in every arm.
    confidence : float
        Of the Student-t intervals over seeds.
    model, dataset, every, data, data_dir, model_fn
        As in :func:`topotheory.nn.experiments.np_grows`.

    Returns
    -------
    NpGrowsControls
    """
    seeds = tuple(seeds)
    if not seeds or any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in seeds):
        raise ValueError(f"seeds={seeds!r} must be a non-empty sequence of ints >= 0")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds={seeds!r} contain duplicates; each seed is one sample")
    arms = tuple(arms)
    unknown = [a for a in arms if a not in ARMS]
    if unknown or "real" not in arms or len(arms) < 2:
        raise ValueError(f"arms={arms!r}: choose 'real' and at least one control from {ARMS}")
    seed_interval([0.0, 1.0], confidence=confidence)  # validates confidence up front
    from topotheory.nn.experiments import np_grows

    base = data if data is not None else load_dataset(dataset, seed=0, data_dir=data_dir)
    out: dict[str, ArmNp] = {}
    for arm in arms:
        firsts, lasts, accs = [], [], []
        for s in seeds:
            res = np_grows(seed=s, model=model, config=config, every=every,
                           data=control_dataset(base, arm, seed=s), model_fn=model_fn)
            firsts.append(float(res["trace"][0]["total_np"]))
            lasts.append(float(res["trace"][-1]["total_np"]))
            accs.append(float(res["test_acc"]))
        rises = [b - a for a, b in zip(firsts, lasts, strict=True)]
        out[arm] = ArmNp(arm, _ARM_DESCRIPTIONS[arm], seeds, tuple(firsts), tuple(lasts),
                         tuple(rises), tuple(accs), seed_interval(rises, confidence=confidence),
                         seed_interval(lasts, confidence=confidence))
    return NpGrowsControls(
        out, seeds, confidence,
        "total NP = sum over dense layers of NP (per-layer normalisation, p = 2) at step 0 and "
        f"at the last multiple of {every} optimizer steps; rise = last - first",
        config_record(config), base.describe(),
    )


def np_rise_effect(result: NpGrowsControls, *, real_arm: str = "real") -> SeedInterval:
    """Per seed ``rise(real_arm) - max(rise of the other arms)``, with its interval.

    ``real_arm`` other than ``"real"`` swaps a control in for the real arm (a false twin
    of the reading: that arm should not beat the others).

    Examples
    --------
    >>> iv = SeedInterval(1.0, 0.0, 2.0, 1.0, 3, 0.95)
    >>> arm = lambda a, r: ArmNp(a, "", (0, 1, 2), (0.,) * 3, r, r, (0.,) * 3, iv, iv)
    >>> res = NpGrowsControls({"real": arm("real", (5., 6., 7.)),
    ...                        "shuffled_labels": arm("shuffled_labels", (1., 2., 2.))},
    ...                       (0, 1, 2), 0.95, "", {}, {})
    >>> np_rise_effect(res).mean
    4.333333333333333
    """
    if real_arm not in result.arms:
        raise ValueError(f"real_arm={real_arm!r}; choose one of {tuple(result.arms)}")
    diffs = rise_differences({a: v.rise for a, v in result.arms.items()}, real_arm=real_arm)
    return seed_interval(diffs, confidence=result.confidence)


def rise_differences(rises: Mapping[str, Sequence[float]], *, real_arm: str = "real"
                     ) -> list[float]:
    """Per seed ``rise(real_arm) - max(rise of the other arms)`` (the effect of learning).

    Examples
    --------
    >>> rise_differences({"real": [5.0, 6.0], "shuffled_labels": [1.0, 7.0],
    ...                   "random_inputs": [2.0, 0.0]})
    [3.0, -1.0]
    """
    if real_arm not in rises or len(rises) < 2:
        raise ValueError(f"real_arm={real_arm!r}: give its rises and at least one other "
                         f"arm's; got {tuple(rises)}")
    others = [a for a in rises if a != real_arm]
    return [float(r) - max(float(rises[a][i]) for a in others)
            for i, r in enumerate(rises[real_arm])]


def rise_shares(rises: Mapping[str, Sequence[float]], *, real_arm: str = "real"
                ) -> list[float] | None:
    """Per seed the share of the real arm's rise due to learning,
    ``(rise(real) - max(rise(controls))) / rise(real)``; None when a real-arm rise is
    ``<= 0`` (no rise to take a share of: the share is undefined).

    Examples
    --------
    >>> rise_shares({"real": [4.0, 10.0], "shuffled_labels": [3.0, 2.0]})
    [0.25, 0.8]
    >>> rise_shares({"real": [4.0, 0.0], "shuffled_labels": [3.0, 2.0]}) is None
    True
    """
    diffs = rise_differences(rises, real_arm=real_arm)
    real = [float(r) for r in rises[real_arm]]
    if any(not r > 0 for r in real):
        return None
    return [d / r for d, r in zip(diffs, real, strict=True)]


def decide_np_grows(result: NpGrowsControls, *, real_arm: str = "real") -> dict[str, object]:
    """Status of "NP rises with learning": confirmed only if the effect's lower limit is > 0.

    ``confirmed`` when NP rises more in ``real_arm`` than in every control beyond the
    interval (lower limit of :func:`np_rise_effect` > 0); otherwise ``refuted`` (the rise
    is not distinguishable from, or smaller than, the rise without learning). With one
    seed there is no interval and the status is ``inconclusive``.

    Returns
    -------
    dict
        ``{"status", "reason", "effect", "per_arm_rise"}`` (JSON-able).
    """
    effect = np_rise_effect(result, real_arm=real_arm)
    per_arm = {a: v.rise_interval.as_dict() for a, v in result.arms.items()}
    if effect.low is None:
        status, reason = "inconclusive", "one seed: no interval over seeds"
    elif effect.low > 0:
        status = "confirmed"
        reason = (f"NP rises more with {real_arm} than under every other arm: effect "
                  f"{effect.mean:.3g}, {effect.confidence:.0%} interval [{effect.low:.3g}, "
                  f"{effect.high:.3g}] above 0")
    else:
        status = "refuted"
        reason = (f"the rise with {real_arm} is not beyond the controls' rise: effect "
                  f"{effect.mean:.3g}, {effect.confidence:.0%} interval [{effect.low:.3g}, "
                  f"{effect.high:.3g}] reaches 0; NP growth does not separate learning "
                  "from training on unlearnable data")
    return {"status": status, "reason": reason, "real_arm": real_arm,
            "effect": effect.as_dict(), "per_arm_rise": per_arm}


# ------------------------------------------------------------------ imp-overlap-trained
@dataclass(frozen=True, repr=False)
class LayerOverlapArms(Result):
    """One trained dense layer shape: trained overlap vs the bound, the worst case, iid.

    Attributes
    ----------
    layer : str
    n, m, k : int
        Inputs, outputs, top-k size (``n + m - 1``).
    counts : tuple of int
        Trained ``|top-k ∩ MST|`` per seed.
    trained : SeedInterval
        Of the trained fractions ``count / k`` over seeds.
    bound, bound_variant : str
        Theorem 3.3 bound (exact) and its variant.
    worst_fraction : str
        Exact minimum overlap over all weight orders of the shape.
    bound_can_fail : bool
        ``worst < bound``: only then can a layer of this shape fall below the bound,
        so only then does the layer count as evidence for it.
    below_bound_seeds : tuple of int
        Seeds whose trained overlap is below the bound (exact comparison).
    iid : dict
        iid null of the same shape: Monte Carlo mean, interval, trials, seed, and per
        seed the null's tail probabilities ``P(X >= trained)`` and ``P(X <= trained)``.
    vs_iid : str
        ``"above"`` if the trained interval (the value, for one seed) lies above the iid
        mean's interval, ``"below"`` if below, else ``"overlapping"``.
    """

    layer: str
    n: int
    m: int
    k: int
    counts: tuple[int, ...]
    trained: SeedInterval
    bound: str
    bound_variant: str
    worst_fraction: str
    bound_can_fail: bool
    below_bound_seeds: tuple[int, ...]
    iid: dict[str, object]
    vs_iid: str

    def as_dict(self) -> dict[str, object]:
        """JSON-able dict (exact values as strings, floats beside them)."""
        out = asdict(self)
        out["counts"], out["below_bound_seeds"] = list(self.counts), list(self.below_bound_seeds)
        out["bound_float"] = float(Fraction(self.bound))
        out["worst_float"] = float(Fraction(self.worst_fraction))
        return out


def layer_overlap_arms(
    layers: Sequence[dict[str, object]],
    *,
    seeds: Sequence[int],
    variant: str = "nm",
    bound_scale: Fraction | int = 1,
    iid_trials: int = 2000,
    iid_seed: int = 12345,
    iid_confidence: float = 0.999,
    confidence: float = 0.95,
) -> list[LayerOverlapArms]:
    """Verdict data per trained layer from its per-seed overlap counts.

    Parameters
    ----------
    layers : sequence of dict
        ``{"layer": name, "n": int, "m": int, "counts": [count per seed]}`` (dense
        layers, ``k = n + m - 1``).
    seeds : sequence of int
        The seeds the counts belong to (same order).
    variant : {"nm", "nm-i+1"}
        Theorem 3.3 reading (:func:`topotheory.simulate.bounds.overlap_lower_bound`).
    bound_scale : Fraction or int
        Multiplies the bound (``1`` = the paper's; a false twin scales it up).
    iid_trials, iid_seed, iid_confidence : int, int, float
        iid null: :func:`topotheory.simulate.simulate_overlap` (empirical-Bernstein
        interval) on stream ``(iid_seed, n, m)``.
    confidence : float
        Of the Student-t interval of the trained overlap over seeds.

    Examples
    --------
    >>> row = layer_overlap_arms([{"layer": "w", "n": 100, "m": 10, "counts": [100]}],
    ...                          seeds=[0], iid_trials=200)[0]
    >>> row.bound_can_fail, row.worst_fraction, row.vs_iid
    (False, '20/109', 'above')
    """
    from topotheory.simulate.bounds import overlap_lower_bound
    from topotheory.simulate.montecarlo import simulate_overlap
    from topotheory.simulate.worst_case import worst_case_overlap

    seeds = tuple(seeds)
    scale = Fraction(bound_scale)
    if scale <= 0:
        raise ValueError(f"bound_scale={bound_scale!r} must be > 0")
    rows = []
    for layer in layers:
        name, n, m = str(layer["layer"]), int(layer["n"]), int(layer["m"])
        counts = tuple(int(c) for c in layer["counts"])
        if len(counts) != len(seeds):
            raise ValueError(f"layer {name!r} has {len(counts)} counts for {len(seeds)} seeds")
        k = n + m - 1
        fractions = [Fraction(c, k) for c in counts]
        bound = overlap_lower_bound(n, m, variant=variant) * scale
        worst = worst_case_overlap(n, m).fraction_exact
        sim = simulate_overlap(n, m, trials=iid_trials, seed=(iid_seed, n, m),
                               confidence=iid_confidence)
        est = sim.estimate
        iid_counts = sim.counts
        tails = {
            str(s): {"p_ge": float((iid_counts >= c).mean()), "p_le": float((iid_counts <= c).mean())}
            for s, c in zip(seeds, counts, strict=True)
        }
        trained = seed_interval([float(f) for f in fractions], confidence=confidence)
        low = trained.low if trained.low is not None else min(map(float, fractions))
        high = trained.high if trained.high is not None else max(map(float, fractions))
        vs_iid = "above" if low > est.ci_high else "below" if high < est.ci_low else "overlapping"
        rows.append(LayerOverlapArms(
            name, n, m, k, counts, trained, str(bound), variant, str(worst), worst < bound,
            tuple(s for s, f in zip(seeds, fractions, strict=True) if f < bound),
            {"mean": est.mean, "ci_low": est.ci_low, "ci_high": est.ci_high,
             "confidence": est.confidence, "ci_method": est.method, "trials": iid_trials,
             "seed": [iid_seed, n, m], "tail_probabilities": tails,
             "model": "iid exchangeable weights on K_{n,m} (uniform random top-k)"},
            vs_iid,
        ))
    return rows


def layers_from_imp_overlap_trained(result: dict[str, object], *, round_: int = 0) -> list[dict]:
    """Per-layer counts from :func:`topotheory.nn.experiments.imp_overlap_trained`'s table.

    The table stores fractions; the count is ``round(fraction * k)`` with
    ``k = n + m - 1`` (dense, connected layers: round 0).

    Examples
    --------
    >>> table = [{"round": 0, "layer": "w", "n": 3, "m": 2, "per_seed": [0.75, 1.0]}]
    >>> layers_from_imp_overlap_trained({"table": table})
    [{'layer': 'w', 'n': 3, 'm': 2, 'counts': [3, 4]}]
    """
    rows = []
    for row in result["table"]:  # type: ignore[union-attr]
        if row["round"] != round_:
            continue
        k = row["n"] + row["m"] - 1
        counts = [round(f * k) for f in row["per_seed"]]
        if any(abs(c - f * k) > 1e-6 for c, f in zip(counts, row["per_seed"], strict=True)):
            raise ValueError(f"layer {row['layer']!r}: fractions are not multiples of 1/{k}")
        rows.append({"layer": row["layer"], "n": row["n"], "m": row["m"], "counts": counts})
    return rows


def imp_overlap_arms(
    *,
    seeds: Sequence[int] = (0,),
    config: TrainConfig = QUICK,
    variant: str = "nm",
    iid_trials: int = 2000,
    iid_seed: int = 12345,
    **kw,
) -> list[LayerOverlapArms]:
    """Train the FCN once per seed (dense, round 0) and return :func:`layer_overlap_arms`.

    ``**kw`` go to :func:`topotheory.nn.experiments.run_pruning` (``model``, ``data``, ...).
    About 8 s of CPU per seed in the quick configuration.
    """
    from topotheory.nn.experiments import run_pruning

    seeds = tuple(seeds)
    runs = [run_pruning("imp", seed=s, rounds=0, config=config, **kw) for s in seeds]
    names = list(runs[0]["records"][0]["overlap"])
    layers = []
    for name in names:
        per = [run["records"][0]["overlap"][name] for run in runs]
        layers.append({"layer": name, "n": per[0]["n"], "m": per[0]["m"],
                       "counts": [p["count"] for p in per]})
    return layer_overlap_arms(layers, seeds=seeds, variant=variant, iid_trials=iid_trials,
                              iid_seed=iid_seed)


def decide_imp_overlap(rows: Sequence[LayerOverlapArms]) -> dict[str, object]:
    """Two verdicts: against the bound (informative shapes only) and against the iid null.

    * ``bound``: ``refuted`` if any layer is below the bound; else ``confirmed`` if at
      least one layer's shape could have failed (``bound_can_fail``); else
      ``inconclusive`` (no layer could have refuted it).
    * ``iid_null``: ``above`` if every layer is above the iid null, ``below`` if every
      layer is below it, else ``mixed`` (per-layer values in ``layers``).

    Examples
    --------
    >>> rows = layer_overlap_arms([{"layer": "w", "n": 100, "m": 10, "counts": [100]}],
    ...                           seeds=[0], iid_trials=200)
    >>> decide_imp_overlap(rows)["bound"]
    'inconclusive'
    """
    informative = [r.layer for r in rows if r.bound_can_fail]
    below = [r.layer for r in rows if r.below_bound_seeds]
    if below:
        bound_status = "refuted"
    elif informative:
        bound_status = "confirmed"
    else:
        bound_status = "inconclusive"
    sides = {r.vs_iid for r in rows}
    iid_status = ("above" if sides == {"above"} else "below" if sides == {"below"} else "mixed")
    return {
        "bound": bound_status,
        "informative_layers": informative,
        "uninformative_layers": [r.layer for r in rows if not r.bound_can_fail],
        "layers_below_bound": below,
        "iid_null": iid_status,
        "layers": {r.layer: {"vs_iid": r.vs_iid, "bound_can_fail": r.bound_can_fail,
                             "trained_mean": r.trained.mean, "iid_mean": r.iid["mean"],
                             "bound": float(Fraction(r.bound))} for r in rows},
    }
