"""The paper's trained-network experiments, each returning a JSON-able dict.

* :func:`run_pruning` — IMP / T-IMP / random pruning for ``rounds`` rounds with
  rewinding (to initialisation or an early step) or fine-tuning; records accuracy,
  sparsity, and, at every pruning step, whether each dense layer's diagram and NP
  survived the step (per-layer and per-network normalisation).
* :func:`timp_preserves` — claim ``timp-preserves``: T-IMP keeps every layer's diagram
  exactly; IMP, measured the same way, loses forest edges.
* :func:`imp_overlap_trained` — claim ``imp-overlap-trained`` (Figure 3): top-k/MST
  overlap of each trained layer across IMP rounds and seeds vs the Theorem 3.3 bound and
  vs iid weights.
* :func:`np_grows` — claim ``np-grows`` (Figure 1): NP per layer over training.
* :func:`accuracy_vs_sparsity` — IMP vs T-IMP vs random, several seeds, mean and spread.

Every function takes ``seed``/``seeds``; the same seeds give the same numbers on the same
machine (CPU).  Data default: the bundled digits upsampled to 28x28
(:func:`topotheory.nn.data.load_digits_mnist`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from topotheory.jsonout import dumps_strict
from topotheory.nn import _topo
from topotheory.nn.data import Dataset, load_dataset
from topotheory.nn.masks import Mask, prunable_parameters
from topotheory.nn.prune import check_step_options, kept_count, layer_input_shapes, prune_step
from topotheory.nn.rewind import capture_state, rewind_, save_state
from topotheory.nn.train import QUICK, TrainConfig, seed_everything, train

__all__ = [
    "MODEL_ALIASES",
    "accuracy_vs_sparsity",
    "dense_layers",
    "imp_overlap_trained",
    "make_model",
    "np_grows",
    "run_pruning",
    "theorem_3_3_bound",
    "timp_preserves",
]

#: CLI model names -> (zoo name, zoo dataset).
MODEL_ALIASES: dict[str, tuple[str, str]] = {
    "fc": ("fc", "mnist"),
    "fcn-mnist": ("fc", "mnist"),
    "conv": ("conv", "mnist"),
    "cnn-mnist": ("conv", "mnist"),
}

ModelFn = Callable[[int], nn.Module]


def make_model(name: str = "fc", *, seed: int = 0) -> nn.Module:
    """A zoo model for 28x28 single-channel inputs (``fc`` = FCN 784-100x5-10).

    Examples
    --------
    >>> make_model("fc", seed=0)[1].weight.shape
    torch.Size([100, 784])
    """
    if name not in MODEL_ALIASES:
        raise ValueError(f"model={name!r}; choose one of {sorted(MODEL_ALIASES)}")
    try:
        from topotheory.nn.zoo import build_model
    except ImportError as error:  # the zoo lives on another branch until merged
        raise ValueError(
            f"model={name!r} needs topotheory.nn.zoo, which is not available ({error}); "
            "pass model_fn= to use your own model"
        ) from error

    zoo_name, zoo_data = MODEL_ALIASES[name]
    return build_model(zoo_name, zoo_data, seed=seed).train()


def dense_layers(
    model: nn.Module, mask: Mask | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``name -> (weight (m, n) float64, kept mask)`` for every ``Linear`` layer."""
    out = {}
    params = prunable_parameters(model)
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            key = f"{name}.weight" if name else "weight"
            w = params[key].detach().to("cpu", torch.float64).numpy().copy()
            keep = (
                np.ones(w.shape, bool)
                if mask is None or key not in mask
                else mask[key].numpy().astype(bool)
            )
            out[key] = (w, keep)
    return out


def theorem_3_3_bound(n: int, m: int) -> Fraction:
    """Theorem 3.3 lower bound ``(1/k) sum_{i=1}^{min(n,m)} (n-i+1)(m-i+1)/(nm)``, ``k=n+m-1``.

    The reading of CLAIMS.md (medium confidence); exact rational.

    Examples
    --------
    >>> theorem_3_3_bound(2, 2)
    Fraction(5, 12)
    >>> theorem_3_3_bound(1, 5)  # min(n, m) = 1: the paper's X = 1
    Fraction(1, 1)

    Delegates to :func:`topotheory.simulate.bounds.overlap_lower_bound` (variant ``"nm"``)
    so that the three encodings of the bound cannot drift apart.
    """
    from topotheory.simulate.bounds import overlap_lower_bound

    return overlap_lower_bound(n, m, variant="nm")


def _w_max_network(layers: dict[str, tuple[np.ndarray, np.ndarray]]) -> float:
    return max(float(np.abs(w[k]).max()) if k.any() else 0.0 for w, k in layers.values())


def _step_preservation(
    before: dict[str, tuple[np.ndarray, np.ndarray]], new_mask: Mask
) -> dict[str, dict[str, object]]:
    """Compare each dense layer's diagram/NP before and after a pruning step (same weights)."""
    after = {k: (w, new_mask[k].numpy().astype(bool)) for k, (w, _) in before.items()}
    wmax_b, wmax_a = _w_max_network(before), _w_max_network(after)
    out: dict[str, dict[str, object]] = {}
    for name, (w, keep_b) in before.items():
        keep_a = after[name][1]
        d_b, d_a = _topo.diagram(w, keep_b), _topo.diagram(w, keep_a)
        n_b = _topo.neural_persistence(w, keep_b)
        n_a = _topo.neural_persistence(w, keep_a)
        pn_b = _topo.diagram(w, keep_b, normalization="per_network", w_max=wmax_b)
        pn_a = _topo.diagram(w, keep_a, normalization="per_network", w_max=wmax_a)
        forest = set(d_b.edge_index.tolist())
        kept_flat = np.flatnonzero(keep_a.ravel())
        lost = len(forest - set(kept_flat.tolist()))
        out[name] = {
            "diagram_equal_per_layer": d_b.equals(d_a),
            "diagram_equal_per_network": pn_b.equals(pn_a),
            "np_before": n_b,
            "np_after": n_a,
            "np_equal": n_b == n_a,
            "forest_size": int(d_b.edge_index.size),
            "forest_edges_lost": int(lost),
            "kept": int(keep_a.sum()),
        }
    return out


def _overlaps(layers: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, dict[str, object]]:
    out = {}
    for name, (w, keep) in layers.items():
        count, k = _topo.topk_overlap(w, keep)
        m, n = w.shape
        out[name] = {
            "n": n,
            "m": m,
            "density": float(keep.mean()),
            "k": k,
            "count": count,
            "fraction": count / k if k else float("nan"),
        }
    return out


def run_pruning(
    method: str = "timp",
    *,
    model: str = "fc",
    dataset: str = "digits",
    rounds: int = 3,
    rate: float = 0.5,
    seed: int = 0,
    scope: str = "local",
    on_conflict: str = "error",
    rewind: str | int = "init",
    config: TrainConfig = QUICK,
    data: Dataset | None = None,
    data_dir: str | Path | None = None,
    model_fn: ModelFn | None = None,
    out_dir: str | Path | None = None,
    log: Callable[[str], None] | None = None,
    on_round: Callable[[int], None] | None = None,
    skip_unsupported: bool = False,
) -> dict[str, object]:
    """Train, then ``rounds`` times: prune ``rate`` of the remaining weights, rewind, retrain.

    Parameters
    ----------
    method : {"imp", "timp", "random"}
    model : str
        Zoo alias (:data:`MODEL_ALIASES`), ignored when ``model_fn`` is given.
    dataset : {"digits", "mnist"}
    rounds, rate : int, float
        Pruning rounds and fraction of the remaining weights pruned per round.
    seed : int
        Seeds the initialisation, the batch order and random pruning (the data split uses
        seed 0 so that seeds differ only in the network).
    scope, on_conflict : str
        As in :func:`topotheory.nn.prune.prune_step`.
    rewind : "init" | int | "none"
        Rewind to initialisation, to the state after that many training steps of the
        first (dense) training, or ``"none"`` to fine-tune from the trained weights.
    config : TrainConfig
    data : Dataset, optional
        Overrides ``dataset``.
    model_fn : callable, optional
        ``model_fn(seed) -> nn.Module`` instead of the zoo.
    out_dir : path, optional
        Writes ``mask_round{r}.safetensors``, ``state_final.safetensors`` and
        ``result.json`` there (no pickled code; wall-clock seconds go to ``timings.json`` so
        ``result.json`` is byte-identical for the same seed).
    log : callable, optional
        Receives progress lines.
    on_round : callable, optional
        ``on_round(r)`` after the training of round ``r`` (0 = dense), e.g. to advance a
        progress bar.
    skip_unsupported : bool
        As in :func:`topotheory.nn.prune.prune_step`: prune the Linear/Conv weights of a
        model that also has weights no pruning rule covers (else refused before training).

    Returns
    -------
    dict
        JSON-able: the settings and one record per round (round 0 = dense).
    """
    # validate everything before loading data or training (which takes a while)
    check_step_options(method=method, scope=scope, on_conflict=on_conflict)
    kept_count(1, rate)  # raises a ValueError naming rate unless 0 <= rate <= 1
    if isinstance(rounds, bool) or not isinstance(rounds, int):
        raise TypeError(f"rounds must be an int, got {type(rounds).__name__} {rounds!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed={seed!r} must be a non-negative int")
    if rounds < 0:
        raise ValueError(f"rounds={rounds!r} must be >= 0")
    if not (rewind in ("init", "none") or (isinstance(rewind, int) and rewind >= 0)):
        raise ValueError(f"rewind={rewind!r}; use 'init', 'none' or a step count >= 0")
    data = data if data is not None else load_dataset(dataset, seed=0, data_dir=data_dir)
    seed_everything(seed)
    net = model_fn(seed) if model_fn is not None else make_model(model, seed=seed)
    from topotheory.nn.prune import UnprunableLayersError, unprunable_parameters

    skipped = unprunable_parameters(net)
    if skipped and not skip_unsupported:  # refuse before training, not after
        raise UnprunableLayersError(
            f"{len(skipped)} weight tensor(s) of the model cannot be pruned: "
            + "; ".join(f"{n}: {why}" for n, why in skipped.items())
            + ". Pass skip_unsupported=True to prune the other layers")
    init = capture_state(net)
    early: dict[str, dict[str, torch.Tensor]] = {}
    if isinstance(rewind, int) and rewind > 0:

        def on_step(step: int, m: nn.Module) -> None:
            if step == rewind:
                early["state"] = capture_state(m)

    else:
        on_step = None  # type: ignore[assignment]
    input_shapes = None
    if method == "timp" and any(
        isinstance(p, (nn.Conv1d, nn.Conv2d, nn.Conv3d)) for p in net.modules()
    ):
        input_shapes = layer_input_shapes(net, data.x_train[:1])
    mask = Mask.ones_like(net)
    records: list[dict[str, object]] = []
    tr = train(net, data, config, seed=seed, mask=mask, on_step=on_step, log=log)
    if isinstance(rewind, int) and rewind > 0 and "state" not in early:
        raise ValueError(f"rewind={rewind} exceeds the {tr['steps']} steps of the first training")
    target = init if rewind in ("init", 0) else (None if rewind == "none" else early["state"])
    records.append(_record(0, net, mask, tr, None, None))
    if on_round is not None:
        on_round(0)
    if log:
        log(f"round 0: sparsity 0.0000 test_acc {tr['test_acc']:.4f}")
    if out_dir is not None:
        out = Path(out_dir)
        mask.save(out / "mask_round0.safetensors")
    for r in range(1, rounds + 1):
        before = dense_layers(net, mask)
        step = prune_step(
            net,
            mask,
            rate,
            method=method,
            scope=scope,
            on_conflict=on_conflict,
            seed=seed * 1000 + r,
            input_shapes=input_shapes,
            skip_unsupported=skip_unsupported,
        )
        preserved = _step_preservation(before, step.mask)
        mask = step.mask
        if target is not None:
            rewind_(net, target, mask)
        tr = train(net, data, config, seed=seed * 1000 + r, mask=mask, log=log)
        records.append(_record(r, net, mask, tr, step, preserved))
        if on_round is not None:
            on_round(r)
        if log:
            log(f"round {r}: sparsity {mask.sparsity:.4f} test_acc {tr['test_acc']:.4f}")
        if out_dir is not None:
            mask.save(Path(out_dir) / f"mask_round{r}.safetensors")
    result = {
        "experiment": "prune",
        "method": method,
        "model": model if model_fn is None else "custom",
        "dataset": data.describe(),
        "rounds": rounds,
        "rate": rate,
        "seed": seed,
        "scope": scope,
        "on_conflict": on_conflict,
        "rewind": rewind,
        **({"skipped": skipped} if skipped else {}),
        "train_config": asdict(config),
        "records": records,
    }
    if out_dir is not None:
        out = Path(out_dir)
        save_state(capture_state(net), out / "state_final.safetensors")
        from topotheory.nn._wallclock import wall_clock_only, without_wall_clock

        # result.json is reproducible byte for byte; wall-clock seconds go beside it.
        (out / "result.json").write_text(dumps_strict(without_wall_clock(result)))
        (out / "timings.json").write_text(dumps_strict(wall_clock_only(result)))
    return result


def _runs_ticking(method: str, seeds: Sequence[int], bar: Any, **kw) -> list[dict[str, object]]:
    """:func:`run_pruning` of ``method`` once per seed (``kw`` passed on), ticking ``bar``
    after every round."""
    return [run_pruning(method, seed=s, on_round=lambda _r: bar.update(), **kw) for s in seeds]


def _record(r, net, mask, tr, step, preserved) -> dict[str, object]:
    rec: dict[str, object] = {
        "round": r,
        "sparsity": mask.sparsity,
        "compression_ratio": mask.compression_ratio,
        "kept": {k: v["kept"] for k, v in mask.report().items()},
        "test_acc": tr["test_acc"],
        "train_acc": tr["train_acc"],
        "train_seconds": tr["seconds"],
        "overlap": _overlaps(dense_layers(net, mask)),
    }
    if step is not None:
        rec["budget"] = step.budget
        rec["forest_size"] = step.forest_size
        rec["conflicts"] = step.conflicts
        rec["step_preservation"] = preserved
    return rec


def timp_preserves(
    *,
    seed: int = 0,
    rounds: int = 3,
    rate: float = 0.5,
    config: TrainConfig = QUICK,
    progress: bool | None = None,
    **kw,
) -> dict[str, object]:
    """Claim ``timp-preserves``: every T-IMP step keeps each layer's diagram; IMP for contrast.

    ``progress``: a bar over the trainings (``None`` = only on a terminal).

    Returns
    -------
    dict
        ``{"timp": {...}, "imp": {...}}``, each with per-step per-layer flags, NP before and
        after, forest edges lost, and ``all_preserved`` (per-layer and per-network).
    """
    out: dict[str, object] = {
        "experiment": "timp-preserves",
        "seed": seed,
        "rounds": rounds,
        "rate": rate,
    }
    from topotheory.progress import progress_bar

    bar = progress_bar(total=2 * (rounds + 1), desc="trainings", progress=progress)
    for method in ("timp", "imp"):
        [res] = _runs_ticking(method, (seed,), bar, rounds=rounds, rate=rate, config=config,
                              **kw)
        steps = [
            {"round": rec["round"], "layers": rec["step_preservation"]}
            for rec in res["records"]
            if "step_preservation" in rec
        ]
        flat = [lay for s in steps for lay in s["layers"].values()]
        out[method] = {
            "steps": steps,
            "all_preserved_per_layer": all(
                x["diagram_equal_per_layer"] and x["np_equal"] for x in flat
            ),
            "all_preserved_per_network": all(x["diagram_equal_per_network"] for x in flat),
            "layer_steps_changed": sum(not x["diagram_equal_per_layer"] for x in flat),
            "layer_steps": len(flat),
            "forest_edges_lost": sum(x["forest_edges_lost"] for x in flat),
            "max_np_change": max((abs(x["np_after"] - x["np_before"]) for x in flat), default=0.0),
            "test_acc": [rec["test_acc"] for rec in res["records"]],
            "sparsity": [rec["sparsity"] for rec in res["records"]],
            "train_seconds": [rec["train_seconds"] for rec in res["records"]],
        }
    bar.close()
    return out


def _iid_overlap_mc(n: int, m: int, draws: int, seed: int) -> dict[str, float]:
    """iid-weights baseline from :func:`topotheory.simulate.simulate_overlap` (fast sampler)."""
    from topotheory.simulate import simulate_overlap

    est = simulate_overlap(n, m, trials=draws, seed=seed, model="iid").estimate
    return {
        "mean": est.mean,
        "sd": est.std,
        "ci_low": est.ci_low,
        "ci_high": est.ci_high,
        "confidence": est.confidence,
        "ci_method": est.method,
        "draws": draws,
        "seed": seed,
        "model": "iid exchangeable weights (uniform random top-k; topotheory.simulate Monte Carlo)",
    }


def imp_overlap_trained(
    *,
    seeds: Sequence[int] = (0, 1, 2),
    rounds: int = 3,
    rate: float = 0.5,
    config: TrainConfig = QUICK,
    iid_draws: int = 2000,
    progress: bool | None = None,
    **kw,
) -> dict[str, object]:
    """Figure 3: top-k/MST overlap of each trained layer across IMP rounds and seeds.

    For each layer and round: the overlap fraction per seed (mean, sd, min), the Theorem
    3.3 bound of the dense layer shape, and the overlap of iid Gaussian weights of the
    same shape (``topotheory.simulate`` Monte Carlo, ``iid_draws`` trials, seed 12345, 99.9%
    empirical-Bernstein interval).  ``progress``: a bar over the trainings
    (:func:`topotheory.progress.progress_bar`; ``None`` = only on a terminal).
    ``train_seconds`` (wall clock per seed and round) is the only run-dependent field.
    """
    from topotheory.progress import progress_bar

    with progress_bar(
        total=len(seeds) * (rounds + 1), desc="IMP trainings", progress=progress
    ) as bar:
        runs = _runs_ticking("imp", seeds, bar, rounds=rounds, rate=rate, config=config, **kw)
    layers = list(runs[0]["records"][0]["overlap"])
    table = []
    iid_cache: dict[tuple[int, int], dict[str, float]] = {}
    for r in range(rounds + 1):
        for name in layers:
            rows = [run["records"][r]["overlap"][name] for run in runs]
            fr = [row["fraction"] for row in rows]
            n, m = rows[0]["n"], rows[0]["m"]
            if (n, m) not in iid_cache:
                iid_cache[(n, m)] = _iid_overlap_mc(n, m, iid_draws, 12345) if iid_draws else {}
            bound = theorem_3_3_bound(n, m)
            table.append(
                {
                    "round": r,
                    "layer": name,
                    "n": n,
                    "m": m,
                    "density": rows[0]["density"],
                    "fraction_mean": statistics.fmean(fr),
                    "fraction_sd": statistics.stdev(fr) if len(fr) > 1 else 0.0,
                    "fraction_min": min(fr),
                    "per_seed": fr,
                    "bound_thm_3_3": float(bound),
                    "above_bound": all(f >= bound for f in fr),
                    "iid_dense": iid_cache[(n, m)],
                }
            )
    return {
        "experiment": "imp-overlap-trained",
        "seeds": list(seeds),
        "rounds": rounds,
        "rate": rate,
        "note": "bound = Theorem 3.3 for the dense n x m layer; rounds > 0 are sparse layers "
        "(overlap taken among kept edges, k = forest size); iid_dense is the dense iid baseline",
        "table": table,
        "test_acc": {
            s: [rec["test_acc"] for rec in run["records"]]
            for s, run in zip(seeds, runs, strict=True)
        },
        "train_seconds": {
            s: [rec["train_seconds"] for rec in run["records"]]
            for s, run in zip(seeds, runs, strict=True)
        },
    }


def np_grows(
    *,
    seed: int = 0,
    model: str = "fc",
    dataset: str = "digits",
    config: TrainConfig = QUICK,
    every: int = 20,
    data: Dataset | None = None,
    data_dir: str | Path | None = None,
    model_fn: ModelFn | None = None,
) -> dict[str, object]:
    """Figure 1: NP (per-layer normalisation, p=2) of each dense layer over training.

    NP is recorded at step 0 and every ``every`` optimizer steps; ``normalized`` divides by
    Rieck's bound ``sqrt(n + m - 1)``.
    """
    data = data if data is not None else load_dataset(dataset, seed=0, data_dir=data_dir)
    seed_everything(seed)
    net = model_fn(seed) if model_fn is not None else make_model(model, seed=seed)
    trace: list[dict[str, object]] = []

    def measure(step: int, m: nn.Module) -> None:
        if step % every:
            return
        per = {}
        for name, (w, _) in dense_layers(m).items():
            val = _topo.neural_persistence(w)
            per[name] = {"np": val, "normalized": val / math.sqrt(sum(w.shape) - 1)}
        trace.append({"step": step, "layers": per, "total_np": sum(v["np"] for v in per.values())})

    measure(0, net)
    tr = train(net, data, config, seed=seed, on_step=measure)
    first, last = trace[0], trace[-1]
    return {
        "experiment": "np-grows",
        "seed": seed,
        "every": every,
        "train_config": asdict(config),
        "test_acc": tr["test_acc"],
        "trace": trace,
        "rises": {k: last["layers"][k]["np"] > first["layers"][k]["np"] for k in first["layers"]},
        "total_rises": last["total_np"] > first["total_np"],
    }


def accuracy_vs_sparsity(
    *,
    methods: Sequence[str] = ("imp", "timp", "random"),
    seeds: Sequence[int] = (0, 1, 2),
    rounds: int = 7,
    rate: float = 0.5,
    config: TrainConfig = QUICK,
    progress: bool | None = None,
    **kw,
) -> dict[str, object]:
    """Test accuracy per round for each method over seeds (mean, sd, min, max).

    T-IMP runs with ``on_conflict="truncate_forest"`` so every method has the same budget;
    ``past_tccr`` lists the layers whose kept count is below their forest size
    (``n + m - 1`` for a connected dense layer), i.e. past the topologically critical
    compression ratio.  ``progress``: a bar over the trainings
    (:func:`topotheory.progress.progress_bar`; ``None`` = only on a terminal).
    """
    from topotheory.progress import progress_bar

    kw.setdefault("on_conflict", "truncate_forest")
    curves: dict[str, list[dict[str, object]]] = {}
    seconds: dict[str, dict[int, list[object]]] = {}
    bar = progress_bar(
        total=len(methods) * len(seeds) * (rounds + 1), desc="trainings", progress=progress
    )
    for method in methods:
        bar.set_postfix_str(method)
        runs = _runs_ticking(method, seeds, bar, rounds=rounds, rate=rate, config=config, **kw)
        seconds[method] = {
            s: [rec["train_seconds"] for rec in run["records"]]
            for s, run in zip(seeds, runs, strict=True)
        }
        rows = []
        for r in range(rounds + 1):
            accs = [run["records"][r]["test_acc"] for run in runs]
            rec = runs[0]["records"][r]
            past = sorted(
                name
                for name, o in rec["overlap"].items()
                if runs[0]["records"][r]["kept"][name] < o["n"] + o["m"] - 1
            )
            rows.append(
                {
                    "round": r,
                    "sparsity": rec["sparsity"],
                    "compression_ratio": rec["compression_ratio"],
                    "acc_mean": statistics.fmean(accs),
                    "acc_sd": statistics.stdev(accs) if len(accs) > 1 else 0.0,
                    "acc_min": min(accs),
                    "acc_max": max(accs),
                    "per_seed": accs,
                    "past_tccr": past,
                }
            )
        curves[method] = rows
    bar.close()
    return {
        "experiment": "accuracy-vs-sparsity",
        "seeds": list(seeds),
        "rounds": rounds,
        "rate": rate,
        "train_config": asdict(config),
        "curves": curves,
        "train_seconds": seconds,
    }
