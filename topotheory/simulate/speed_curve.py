"""Speed curve of the topology core (``topotheory bench``); never run by the unit tests.

Every point is a same-run ratio, never an absolute time: the topotheory call and its
baselines are timed in alternating blocks of calls (A A A A A, B B B B B, A ...) so that a
loaded machine slows both alike, and each ratio is the ratio of the two medians. Calls of
a millisecond or more are timed with the process's CPU clock (:data:`CPU_CLOCK_FROM`).

Dense layers (``10 ... 4096``, float64 standard normal), a masked layer (12.5 % of the
edges present), a convolution and an unrolled recurrent layer: neural persistence (forest
+ diagram + NP, :func:`~topotheory.topology.neural_persistence`) against scipy's
``minimum_spanning_tree`` on the same bipartite graph (weights ``-|w|``) and, for dense
layers, against one ``np.abs(w).max()`` pass over the weights. The Monte Carlo overlap
kernel (:func:`~topotheory.simulate.montecarlo.iid_overlap_counts`): trials per second and
its cost as a multiple of drawing the same random numbers alone.

:func:`check_curve` compares a curve with its floors (:data:`FULL_FLOORS`,
:data:`QUICK_FLOORS`); ``topotheory bench --check`` exits 1 when a point misses its floor.
The quick floors leave room for a loaded CI machine (about a third of the ratios measured
on a loaded 2-core machine) and still fail a kernel that got several times slower.

Examples
--------
>>> rows = run_curve(quick=True, cases=("dense 10x10",))  # doctest: +SKIP
>>> check_curve(rows, QUICK_FLOORS)  # doctest: +SKIP
[]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

DENSE_FULL = (10, 32, 64, 100, 256, 512, 1024, 2048, 4096)
DENSE_QUICK = (10, 32, 64, 100, 256, 512)
#: Largest layer scipy is run on (4096x4096 would build a 16.7M-edge scipy graph, > 1 GB).
SCIPY_MAX_SIZE = 2048

#: ``case -> (ratio, kind, bound)``: ``kind`` ``"min"`` (the ratio must be at least the
#: bound) or ``"max"`` (at most). ``x_scipy`` is scipy's time over ours, ``x_abs_max`` our
#: time over one abs-max pass.
FULL_FLOORS: dict[str, tuple[str, str, float]] = {
    "dense 10x10": ("x_scipy", "min", 3.0),
    "dense 32x32": ("x_scipy", "min", 3.0),
    **{f"dense {s}x{s}": ("x_scipy", "min", 10.0) for s in (64, 100, 256, 512, 1024, 2048)},
    "dense 4096x4096": ("x_abs_max", "max", 1.5),
}
QUICK_FLOORS: dict[str, tuple[str, str, float]] = {
    "dense 10x10": ("x_scipy", "min", 2.0),
    "dense 32x32": ("x_scipy", "min", 2.0),
    "dense 64x64": ("x_scipy", "min", 3.5),
    "dense 100x100": ("x_scipy", "min", 9.0),
    "dense 256x256": ("x_scipy", "min", 18.0),
    "dense 512x512": ("x_scipy", "min", 24.0),
}

Persistence = Callable[..., float]


#: Calls at least this long are timed with the process's CPU clock (a loaded machine
#: preempts them, and the wall clock would count the wait); shorter ones with the wall
#: clock, whose 60 ns overhead is 10x below the CPU clock's.
CPU_CLOCK_FROM = 1e-3


def _clock_for(call: Callable[[], Any]) -> Callable[[], float]:
    start = time.perf_counter()
    call()
    return time.process_time if time.perf_counter() - start >= CPU_CLOCK_FROM else time.perf_counter


def _alternating_medians(calls: list[Callable[[], Any]], *, budget: float, max_rounds: int,
                         min_rounds: int = 3, block: int = 5) -> list[float]:
    """Median seconds per call of each callable, timed in alternating blocks of ``block``
    consecutive calls (call A five times, B five times, A again, ...) until ``budget``
    seconds or ``max_rounds`` rounds (at least ``min_rounds``). Blocks keep each call's
    caches warm as in a loop over layers; alternation spreads machine load over all."""
    clocks = [_clock_for(call) for call in calls]
    times: list[list[float]] = [[] for _ in calls]
    spent = 0.0
    rounds = 0
    while rounds < min_rounds or (rounds < max_rounds and spent < budget):
        for k, call in enumerate(calls):
            clock = clocks[k]
            for _ in range(block):
                start = clock()
                call()
                elapsed = clock() - start
                times[k].append(elapsed)
                spent += elapsed
                if elapsed > budget / 10:
                    break  # slow calls: one per block
        rounds += 1
    return [statistics.median(t) for t in times]


def _bipartite_scipy(n_in: int, n_out: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> Any:
    """scipy's graph of a bipartite layer: edge ``u -- v`` with weight ``-|w|`` (scipy
    minimises; continuous weights, so no weight is 0 = "no edge")."""
    import scipy.sparse as sp

    n_nodes = n_in + n_out
    return sp.csr_matrix((-np.abs(w), (u, v)), shape=(n_nodes, n_nodes))


def _row(case: str, ours: float, *, scipy_s: float | None = None,
         abs_max_s: float | None = None, **extra: Any) -> dict:
    row: dict[str, Any] = {"case": case, "topotheory_s": ours}
    if scipy_s is not None:
        row["scipy_s"] = scipy_s
        row["x_scipy"] = scipy_s / ours
    if abs_max_s is not None:
        row["abs_max_s"] = abs_max_s
        row["x_abs_max"] = ours / abs_max_s
    row.update(extra)
    return row


def dense_point(size: int, *, seed: int = 0, persistence: Persistence | None = None,
                budget: float = 0.4) -> dict:
    """NP of a dense ``size x size`` layer against scipy and the abs-max pass."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.persistence import neural_persistence

    run = persistence or neural_persistence
    w = np.random.default_rng(seed).standard_normal((size, size))
    run(w)  # compile or load the numba cache, outside the timing
    calls: list[Callable[[], Any]] = [lambda: run(w), lambda: np.abs(w).max()]
    if size <= SCIPY_MAX_SIZE:
        rows, cols = np.divmod(np.arange(size * size, dtype=np.int64), size)
        graph = _bipartite_scipy(size, size, cols, size + rows, w.ravel())
        calls.append(lambda: minimum_spanning_tree(graph))
    medians = _alternating_medians(calls, budget=budget, max_rounds=2000,
                                   min_rounds=3 if size < 2048 else 2)
    return _row(f"dense {size}x{size}", medians[0], abs_max_s=medians[1],
                scipy_s=medians[2] if len(medians) > 2 else None)


def masked_point(size: int, *, density: float = 0.125, seed: int = 0,
                 persistence: Persistence | None = None, budget: float = 0.4) -> dict:
    """NP of a dense layer with a random mask keeping ``density`` of the edges."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.persistence import neural_persistence

    run = persistence or neural_persistence
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((size, size))
    mask = rng.random((size, size)) < density
    run(w, mask=mask)
    rows, cols = np.nonzero(mask)
    graph = _bipartite_scipy(size, size, cols, size + rows, w[rows, cols])
    medians = _alternating_medians(
        [lambda: run(w, mask=mask), lambda: minimum_spanning_tree(graph)],
        budget=budget, max_rounds=1000,
    )
    return _row(f"masked {size}x{size} ({density:.1%} of edges)", medians[0],
                scipy_s=medians[1])


def conv_point(channels: int, spatial: int, *, seed: int = 0,
               persistence: Persistence | None = None, budget: float = 0.4) -> dict:
    """NP of the exact Toeplitz graph of a ``channels -> channels`` 3x3 conv (padding 1)."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.conv import conv_toeplitz_graph
    from topotheory.topology.persistence import neural_persistence

    run = persistence or neural_persistence
    weight = np.random.default_rng(seed).standard_normal((channels, channels, 3, 3))
    graph = conv_toeplitz_graph(weight, (channels, spatial, spatial), padding=1)
    run(graph)
    coo = graph.to_scipy().tocoo()
    big = _bipartite_scipy(graph.n_inputs, graph.n_outputs, coo.col,
                           graph.n_inputs + coo.row, coo.data)
    medians = _alternating_medians([lambda: run(graph), lambda: minimum_spanning_tree(big)],
                                   budget=budget, max_rounds=500)
    return _row(f"conv {channels}->{channels} 3x3 on {spatial}x{spatial} "
                f"({graph.n_edges:,} edges)", medians[0], scipy_s=medians[1])


def recurrent_point(hidden: int, steps: int, *, seed: int = 0,
                    persistence: Persistence | None = None, budget: float = 0.4) -> dict:
    """NP of a recurrent layer's ``W_hh`` unrolled over ``steps`` steps."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.persistence import neural_persistence
    from topotheory.topology.recurrent import recurrent_unrolled_graph

    run = persistence or neural_persistence
    w_hh = np.random.default_rng(seed).standard_normal((hidden, hidden))
    graph = recurrent_unrolled_graph(w_hh, steps)
    run(graph)
    big = sp.csr_matrix((-np.abs(graph.weights), (graph.u, graph.v)),
                        shape=(graph.n_nodes, graph.n_nodes))
    medians = _alternating_medians([lambda: run(graph), lambda: minimum_spanning_tree(big)],
                                   budget=budget, max_rounds=1000)
    return _row(f"recurrent h={hidden} unrolled {steps} steps ({graph.n_edges:,} edges)",
                medians[0], scipy_s=medians[1])


def montecarlo_point(n: int, m: int, trials: int, *, seed: int = 0,
                     budget: float = 0.4) -> dict:
    """Trials/s of the iid overlap kernel and its cost over drawing its random numbers.

    The kernel draws ``k = n + m - 1`` bounded integers per trial (Floyd's sampling) and
    runs a union-find; ``x_draws`` is its time over the time of the same
    ``Generator.integers`` draws alone (1 = the kernel costs nothing beyond its randomness).
    """
    from topotheory.simulate.montecarlo import _floyd_highs, iid_overlap_counts

    k = n + m - 1
    highs = _floyd_highs(n * m, k)
    iid_overlap_counts(n, m, 10, seed)
    chunk = max(1, min(8192, (1 << 21) // k))  # the kernel's own chunking

    def draws_only() -> None:
        rng = np.random.default_rng(seed)
        for start in range(0, trials, chunk):
            rng.integers(0, highs, size=(min(chunk, trials - start), k), dtype=np.int64)

    medians = _alternating_medians(
        [lambda: iid_overlap_counts(n, m, trials, seed), draws_only],
        budget=budget, max_rounds=200,
    )
    return {
        "case": f"Monte Carlo overlap {n}x{m} ({trials:,} trials)",
        "topotheory_s": medians[0],
        "draws_s": medians[1],
        "trials_per_s": trials / medians[0],
        "x_draws": medians[0] / medians[1],
    }


_MEMORY_CHILD = """
import sys, tracemalloc, numpy as np
from topotheory.topology.persistence import neural_persistence
size = int(sys.argv[1])
neural_persistence(np.random.default_rng(1).standard_normal((600, 600)))
neural_persistence(np.random.default_rng(1).standard_normal((2100, 2100)))
w = np.random.default_rng(0).standard_normal((size, size))
tracemalloc.start()
neural_persistence(w)
peak = tracemalloc.get_traced_memory()[1]
print(peak / w.nbytes)
"""


def memory_point(size: int) -> dict:
    """Peak extra memory of dense NP, in units of the weight matrix's size.

    Measured with ``tracemalloc`` in a child process: it sees every numpy allocation; the
    numba kernels allocate only O(n + m) work arrays on top (union-find, keys).
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(size)], capture_output=True, text=True,
        check=True,
    )
    return {
        "case": f"dense {size}x{size} extra memory",
        "peak_numpy_allocations_in_weight_matrices": float(out.stdout),
    }


def run_curve(*, quick: bool = False, seed: int = 0, persistence: Persistence | None = None,
              cases: Iterable[str] | None = None) -> list[dict]:
    """Measure the curve; ``cases`` keeps only the points whose case name starts with one
    of them (e.g. ``("dense 64x64",)``).

    Parameters
    ----------
    quick : bool
        The quick curve (dense up to 512x512, small masked/conv/recurrent/Monte Carlo
        points; well under a minute).
    seed : int
        Seed of every random layer.
    persistence : callable, optional
        Replaces :func:`~topotheory.topology.neural_persistence` (same call signature);
        the tests pass a deliberately slowed one to check that :func:`check_curve` fails.
    cases : iterable of str, optional
        Prefixes of the case names to run.

    Returns
    -------
    list of dict
        One row per point: ``case``, seconds per call, ``x_scipy`` and ``x_abs_max``
        (dense), ``trials_per_s`` and ``x_draws`` (Monte Carlo).
    """
    wanted = None if cases is None else tuple(cases)

    def keep(case: str) -> bool:
        return wanted is None or case.startswith(wanted)

    budget = 0.25 if quick else 1.0
    plan: list[tuple[str, Callable[[], dict]]] = []
    for size in DENSE_QUICK if quick else DENSE_FULL:
        plan.append((f"dense {size}x{size}",
                     lambda s=size: dense_point(s, seed=seed, persistence=persistence,
                                                budget=budget)))
    masked, conv, rec = (256, (8, 16), (32, 8)) if quick else (1024, (64, 32), (256, 16))
    plan.append((f"masked {masked}x{masked}",
                 lambda: masked_point(masked, seed=seed, persistence=persistence,
                                      budget=budget)))
    plan.append((f"conv {conv[0]}->{conv[0]}",
                 lambda: conv_point(*conv, seed=seed, persistence=persistence, budget=budget)))
    plan.append((f"recurrent h={rec[0]}",
                 lambda: recurrent_point(*rec, seed=seed, persistence=persistence,
                                         budget=budget)))
    shapes = ((10, 10, 20_000), (64, 64, 5_000)) if quick else (
        (10, 10, 200_000), (64, 64, 50_000), (100, 100, 50_000), (256, 256, 5_000))
    for n, m, trials in shapes:
        plan.append((f"Monte Carlo overlap {n}x{m}",
                     lambda n=n, m=m, t=trials: montecarlo_point(n, m, t, seed=seed,
                                                                 budget=budget)))
    if not quick:
        plan.append(("dense 4096x4096 extra memory", lambda: memory_point(4096)))
    return [point() for case, point in plan if keep(case)]


def check_curve(rows: list[dict], floors: dict[str, tuple[str, str, float]]) -> list[str]:
    """The points of ``rows`` that miss their floor, as sentences (empty: all pass).

    Examples
    --------
    >>> check_curve([{"case": "dense 64x64", "x_scipy": 2.5}], QUICK_FLOORS)
    ['dense 64x64: x_scipy = 2.5, floor >= 3.5']
    >>> check_curve([{"case": "dense 64x64", "x_scipy": 12.0}], QUICK_FLOORS)
    []
    """
    failures = []
    for row in rows:
        floor = floors.get(row["case"])
        if floor is None:
            continue
        ratio, kind, bound = floor
        value = row.get(ratio)
        if value is None:
            failures.append(f"{row['case']}: {ratio} was not measured (floor {bound:g})")
        elif (kind == "min" and value < bound) or (kind == "max" and value > bound):
            sign = ">=" if kind == "min" else "<="
            failures.append(f"{row['case']}: {ratio} = {value:.3g}, floor {sign} {bound:g}")
    return failures


def format_rows(rows: list[dict], floors: dict[str, tuple[str, str, float]] | None = None) -> str:
    """Render the curve as aligned text, one point per line (floors shown when given).

    Examples
    --------
    >>> print(format_rows([{"case": "dense 10x10", "topotheory_s": 5e-6, "x_scipy": 7.0}]))
    dense 10x10: 5.00 us, 7.00x faster than scipy
    """
    lines = []
    for row in rows:
        parts = []
        if "topotheory_s" in row:
            parts.append(_seconds(row["topotheory_s"]))
        if "x_scipy" in row:
            parts.append(f"{row['x_scipy']:.2f}x faster than scipy")
        if "x_abs_max" in row:
            parts.append(f"{row['x_abs_max']:.2f}x one abs-max pass")
        if "trials_per_s" in row:
            parts.append(f"{row['trials_per_s']:,.0f} trials/s, {row['x_draws']:.2f}x the "
                         "cost of its random draws")
        if "peak_numpy_allocations_in_weight_matrices" in row:
            parts.append(f"peak numpy allocations "
                         f"{row['peak_numpy_allocations_in_weight_matrices']:.3f} weight matrices")
        floor = (floors or {}).get(row["case"])
        if floor is not None:
            parts.append(f"floor {floor[0]} {'>=' if floor[1] == 'min' else '<='} {floor[2]:g}")
        lines.append(f"{row['case']}: " + ", ".join(parts))
    return "\n".join(lines)


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.2f} us"
    if value < 1.0:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


if __name__ == "__main__":  # pragma: no cover
    quick = "--quick" in sys.argv
    result = run_curve(quick=quick)
    from topotheory.jsonout import dumps_strict

    print(dumps_strict(result).rstrip("\n") if "--json" in sys.argv else
          format_rows(result, QUICK_FLOORS if quick else FULL_FLOORS))
