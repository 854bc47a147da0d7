"""The pilot of the trained claims' designs: ``python -m proofs_check.pilot``.

Run once, before the confirmatory data, on pilot seeds disjoint from every confirmatory
seed (:data:`PILOT_SEEDS`: 1000-1009). It writes ``topotheory/data/design_pilot.json``
(committed), from which :mod:`proofs_check.designs` derives the constants of the designs
declared in :mod:`topotheory.theory.registry` (a test checks that they agree, without
re-training):

1. **learning rates** of the SGD setups: for each grid learning rate, the ``np-grows``
   real arm (3 epochs) on :data:`LR_GRID_SEEDS`; the rate with the highest mean test
   accuracy is chosen (Adam keeps Synaptic-Flow's 1e-3);
2. **per numeric setup** (:data:`proofs_check.numerics.SETUPS`, each in a subprocess):
   the three ``np-grows`` arms for each optimizer over the pilot seeds (per seed: NP first,
   last, rise, test accuracy) and the ``imp-overlap-trained`` per-layer overlap counts over
   :data:`IMP_PILOT_SEEDS`. The native numbers give the pilot's means and standard
   deviations; the differences between setups give the cross-machine tolerances.

Cost: about 7 minutes of one core.

Examples
--------
>>> PILOT_SEEDS[0], len(PILOT_SEEDS), LR_GRID["sgd_momentum"]
(1000, 10, (0.005, 0.01, 0.02, 0.05))
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["IMP_PILOT_SEEDS", "LR_GRID", "LR_GRID_SEEDS", "PILOT_FILE", "PILOT_SEEDS",
           "load_pilot", "main", "run_pilot"]

#: Pilot seeds of ``np-grows`` (never confirmatory: those start at ``--seed``, default 0).
PILOT_SEEDS: tuple[int, ...] = tuple(range(1000, 1010))
#: Pilot seeds of ``imp-overlap-trained``.
IMP_PILOT_SEEDS: tuple[int, ...] = tuple(range(1000, 1005))
#: Seeds of the learning-rate grid (the first pilot seeds).
LR_GRID_SEEDS: tuple[int, ...] = PILOT_SEEDS[:5]
#: Learning-rate grids of the SGD setups (the momentum grid has plain SGD's effective steps
#: ``lr / (1 - 0.9)``).
LR_GRID: dict[str, tuple[float, ...]] = {"sgd": (0.05, 0.1, 0.2, 0.5),
                                         "sgd_momentum": (0.005, 0.01, 0.02, 0.05)}
#: The committed pilot file.
PILOT_FILE = Path(__file__).resolve().parents[1] / "topotheory" / "data" / "design_pilot.json"
SCHEMA = "topotheory.design-pilot/1"


def _config(name: str, lr: float | None = None):
    from dataclasses import replace

    from topotheory.nn.train import QUICK
    from topotheory.theory.design import OPTIMIZER_SETUPS

    fields = OPTIMIZER_SETUPS[name].config_fields()
    if lr is not None:
        fields["lr"] = lr
    return replace(QUICK, **fields)


def _lr_grid(data) -> dict[str, Any]:
    from topotheory.nn.controls import np_grows_controls

    out: dict[str, Any] = {}
    for name, grid in LR_GRID.items():
        rows = []
        for lr in grid:
            res = np_grows_controls(seeds=LR_GRID_SEEDS, config=_config(name, lr), data=data,
                                    arms=("real", "shuffled_labels"))
            accs = list(res.arms["real"].test_acc)
            rows.append({"lr": lr, "test_acc": accs, "mean_test_acc": sum(accs) / len(accs)})
            print(f"[pilot] lr grid {name} lr={lr}: mean test acc "
                  f"{rows[-1]['mean_test_acc']:.4f}", file=sys.stderr, flush=True)
        best = max(rows, key=lambda r: r["mean_test_acc"])
        out[name] = {"seeds": list(LR_GRID_SEEDS), "grid": rows, "chosen": best["lr"]}
    return out


def _worker(lrs: dict[str, float]) -> dict[str, Any]:
    """The pilot trainings under the current process's numerics."""
    from topotheory.nn.controls import imp_overlap_arms, np_grows_controls
    from topotheory.nn.data import load_dataset
    from topotheory.provenance import numerics
    from topotheory.theory.design import OPTIMIZER_SETUPS

    data = load_dataset("mnist", seed=0)
    np_grows: dict[str, Any] = {}
    for name in OPTIMIZER_SETUPS:
        start = time.perf_counter()
        res = np_grows_controls(seeds=PILOT_SEEDS, config=_config(name, lrs.get(name)),
                                data=data)
        np_grows[name] = {
            "train_config": res.train_config, "seconds": round(time.perf_counter() - start, 1),
            "arms": {a: {"np_first": list(v.np_first), "np_last": list(v.np_last),
                         "rise": list(v.rise), "test_acc": list(v.test_acc)}
                     for a, v in res.arms.items()}}
        print(f"[pilot] np-grows {name}: {np_grows[name]['seconds']} s", file=sys.stderr,
              flush=True)
    start = time.perf_counter()
    rows = imp_overlap_arms(seeds=IMP_PILOT_SEEDS, config=_config("adam"), data=data)
    imp = {"seeds": list(IMP_PILOT_SEEDS), "seconds": round(time.perf_counter() - start, 1),
           "layers": {r.layer: {"n": r.n, "m": r.m, "k": r.k, "counts": list(r.counts),
                                "bound": r.bound, "bound_can_fail": r.bound_can_fail}
                      for r in rows}}
    return {"numerics": numerics(), "np_grows": np_grows, "imp_overlap": imp}


def run_pilot(*, setups: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the learning-rate grid, then the pilot trainings under each numeric setup."""
    from proofs_check.numerics import SETUPS, setup_environment
    from topotheory.nn.data import load_dataset
    from topotheory.provenance import git_commit

    started = time.perf_counter()
    grid = _lr_grid(load_dataset("mnist", seed=0))
    lrs = {name: g["chosen"] for name, g in grid.items()}
    out: dict[str, Any] = {"schema": SCHEMA, "pilot_seeds": list(PILOT_SEEDS),
                           "imp_pilot_seeds": list(IMP_PILOT_SEEDS), "lr_grid": grid,
                           "setups": {}}
    with tempfile.TemporaryDirectory(prefix="topotheory-pilot-") as tmp:
        for setup in setups or tuple(SETUPS):
            path = Path(tmp) / f"{setup}.json"
            argv = [sys.executable, "-m", "proofs_check.pilot", "--worker", json.dumps(lrs),
                    "--out", str(path)]
            print(f"[pilot] setup {setup} ...", file=sys.stderr, flush=True)
            proc = subprocess.run(argv, env=setup_environment(setup), check=False)
            if proc.returncode != 0:
                raise RuntimeError(f"the pilot's {setup} run exited {proc.returncode}")
            out["setups"][setup] = {"environment": SETUPS[setup],
                                    **json.loads(path.read_text(encoding="utf-8"))}
    out["provenance"] = {"git": git_commit(), "command": "python -m proofs_check.pilot",
                         "wall_seconds": round(time.perf_counter() - started, 1)}
    return out


def load_pilot(path: str | Path = PILOT_FILE) -> dict[str, Any]:
    """The committed pilot file.

    Examples
    --------
    >>> load_pilot()["pilot_seeds"][:2]
    [1000, 1001]
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not a pilot file of schema {SCHEMA!r}")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m proofs_check.pilot``."""
    parser = argparse.ArgumentParser(prog="python -m proofs_check.pilot",
                                     description="Run the designs' pilot and write its file.")
    parser.add_argument("--out", default=str(PILOT_FILE), help="where to write the pilot file")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from topotheory.jsonout import dumps_strict
    from topotheory.safe_output import atomic_write_text

    if args.worker is not None:
        result = _worker(json.loads(args.worker))
    else:
        result = run_pilot()
    atomic_write_text(args.out, dumps_strict(result), argument="--out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
