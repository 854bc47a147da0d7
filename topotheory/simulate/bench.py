"""Benchmark of the iid overlap sampler: ``python -m topotheory.simulate.bench``.

Times :func:`~topotheory.simulate.montecarlo.iid_overlap_counts` (random draws and
union-find together, after a warm-up that compiles the numba kernel) and reports the
best of ``--repeat`` runs in trials per second. The issue's target is at least
100,000 trials/s at 100 x 100. Optional extras: a matrix model (``--model``) and the
exact counting time (``--exact``).

Examples
--------
>>> result = run_benchmark(10, 10, trials=2000, repeat=1)
>>> result["trials_per_second"] > 0
True
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Sequence


def run_benchmark(
    n: int = 100,
    m: int = 100,
    *,
    trials: int = 200_000,
    repeat: int = 3,
    seed: int = 0,
    model: str | None = None,
    model_trials: int = 2_000,
    exact: Sequence[int] = (),
) -> dict[str, object]:
    """Measure trials per second (best of ``repeat``) and optional extras.

    Parameters
    ----------
    n, m : int
        Shape of the iid benchmark.
    trials, repeat, seed : int
    model : str, optional
        Also time ``simulate_overlap(model=model)`` on ``model_trials`` matrices.
    exact : sequence of int
        Side lengths ``s`` for which to time ``exact_expected_overlap(s, s)``.
    """
    from topotheory.simulate.counting import exact_expected_overlap
    from topotheory.simulate.montecarlo import iid_overlap_counts, simulate_overlap

    iid_overlap_counts(n, m, 10, seed)  # compile / load the numba cache
    times = []
    for r in range(repeat):
        start = time.perf_counter()
        iid_overlap_counts(n, m, trials, seed + r)
        times.append(time.perf_counter() - start)
    best = min(times)
    result: dict[str, object] = {
        "n": n, "m": m, "k": n + m - 1, "trials": trials, "repeat": repeat,
        "seconds_best": best, "trials_per_second": trials / best,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
    }
    if model:
        simulate_overlap(n, m, trials=2, seed=seed, model=model)
        start = time.perf_counter()
        simulate_overlap(n, m, trials=model_trials, seed=seed, model=model)
        result[f"{model}_trials_per_second"] = model_trials / (time.perf_counter() - start)
    for side in exact:
        start = time.perf_counter()
        exact_expected_overlap(side, side)
        result[f"exact_{side}x{side}_seconds"] = time.perf_counter() - start
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m topotheory.simulate.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--m", type=int, default=100)
    parser.add_argument("--trials", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None, help="also time a matrix model, e.g. gaussian")
    parser.add_argument("--exact", type=int, nargs="*", default=[], help="side lengths to time exactly")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run_benchmark(
        args.n, args.m, trials=args.trials, repeat=args.repeat, seed=args.seed,
        model=args.model, exact=args.exact,
    )
    if args.json:
        import sys

        from topotheory.jsonout import dumps_strict

        sys.stdout.write(dumps_strict(result))
    else:
        for key, value in result.items():
            print(f"{key:>28}: {value:,.1f}" if isinstance(value, float) else f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
