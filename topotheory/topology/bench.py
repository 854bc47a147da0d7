"""Speed benchmark of the topology core (``topotheory bench``); never run by the unit tests.

Prints medians and same-run ratios against one ``np.abs(W).max()`` pass, scipy's
``minimum_spanning_tree`` and networkx's ``maximum_spanning_tree``, plus the extra memory
(peak RSS growth, measured in a child process) of a dense MST + NP.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _scipy_bipartite(w: np.ndarray) -> Any:
    import scipy.sparse as sp

    m, n = w.shape
    rows, cols = np.nonzero(np.ones_like(w, dtype=bool))
    # scipy minimises and treats 0 as "no edge": use -(|w|) (continuous weights, no zeros).
    data = -np.abs(w[rows, cols])
    return sp.csr_matrix((data, (cols, n + rows)), shape=(n + m, n + m))


def bench_dense(size: int, seed: int = 0, repeats: int = 5, with_networkx: bool = False) -> dict:
    """Time dense MST + NP at ``size x size`` against the baselines.

    Examples
    --------
    >>> row = bench_dense(20, repeats=1)  # doctest: +SKIP
    """
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.persistence import neural_persistence

    rng = np.random.default_rng(seed)
    w = rng.standard_normal((size, size))
    neural_persistence(w)  # compile / warm up
    t_abs = _median_time(lambda: np.abs(w).max(), repeats)
    t_np = _median_time(lambda: neural_persistence(w), repeats)
    graph = _scipy_bipartite(w)
    t_scipy = _median_time(lambda: minimum_spanning_tree(graph), 1 if size > 1000 else repeats)
    row = {
        "case": f"dense {size}x{size}",
        "topotheory_mst_np_s": t_np,
        "abs_max_pass_s": t_abs,
        "ratio_vs_abs_max": t_np / t_abs,
        "scipy_mst_s": t_scipy,
        "speedup_vs_scipy": t_scipy / t_np,
    }
    if with_networkx:
        import networkx as nx

        from topotheory.topology.graphs import EdgeListGraph

        g = EdgeListGraph.from_dense(w).to_networkx()
        t_nx = _median_time(lambda: nx.maximum_spanning_tree(g), 1)
        row["networkx_mst_s"] = t_nx
        row["speedup_vs_networkx"] = t_nx / t_np
    return row


def bench_conv(seed: int = 0) -> dict:
    """Exact Toeplitz MST of a 64->64 3x3 conv on 32x32 (padding 1) against scipy."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.topology.conv import conv_toeplitz_graph
    from topotheory.topology.forest import maximum_spanning_forest

    rng = np.random.default_rng(seed)
    graph = conv_toeplitz_graph(rng.standard_normal((64, 64, 3, 3)), (64, 32, 32), padding=1)
    maximum_spanning_forest(conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 4, 4)))  # compile
    t_ours = _median_time(lambda: maximum_spanning_forest(graph), 3)
    import scipy.sparse as sp

    toeplitz = graph.to_scipy()
    coo = toeplitz.tocoo()
    n_in, n_out = graph.n_inputs, graph.n_outputs
    big = sp.csr_matrix(
        (-np.abs(coo.data), (coo.col, n_in + coo.row)), shape=(n_in + n_out, n_in + n_out)
    )
    t_scipy = _median_time(lambda: minimum_spanning_tree(big), 1)
    return {
        "case": f"conv 64->64 3x3 on 32x32 ({graph.n_edges:,} edges)",
        "topotheory_mst_s": t_ours,
        "scipy_mst_s": t_scipy,
        "speedup_vs_scipy": t_scipy / t_ours,
    }


_MEMORY_CHILD = """
import sys, tracemalloc, numpy as np
from topotheory.topology.persistence import neural_persistence
size = int(sys.argv[1])
neural_persistence(np.random.default_rng(1).standard_normal((600, 600)))
w = np.random.default_rng(0).standard_normal((size, size))
tracemalloc.start()
neural_persistence(w)
peak = tracemalloc.get_traced_memory()[1]
print(peak / w.nbytes)
"""


def bench_memory(size: int) -> dict:
    """Peak extra memory of dense MST + NP, in units of the weight matrix's size.

    Measured with ``tracemalloc`` in a child process: it sees every numpy allocation; the
    numba kernels allocate only O(n + m) work arrays on top (union-find, keys).
    """
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(size)], capture_output=True, text=True, check=True
    )
    return {
        "case": f"dense {size}x{size} extra memory",
        "peak_numpy_allocations_in_weight_matrices": float(out.stdout),
    }


def run_benchmarks(*, quick: bool = False, seed: int = 0) -> list[dict]:
    """Run the benchmark suite and return its rows.

    Examples
    --------
    >>> rows = run_benchmarks(quick=True)  # doctest: +SKIP
    """
    rows = [bench_dense(100, seed, repeats=21, with_networkx=True)]
    rows.append(bench_dense(1000, seed, repeats=5, with_networkx=not quick))
    if not quick:
        rows.append(bench_dense(4096, seed, repeats=5))
        rows.append(bench_memory(4096))
        rows.append(bench_conv(seed))
    return rows


def format_rows(rows: list[dict]) -> str:
    """Render benchmark rows as aligned text."""
    lines = []
    for row in rows:
        fields = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
            for k, v in row.items()
            if k != "case"
        )
        lines.append(f"{row['case']}: {fields}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    result = run_benchmarks(quick="--quick" in sys.argv)
    from topotheory.jsonout import dumps_strict

    print(dumps_strict(result).rstrip("\n") if "--json" in sys.argv else format_rows(result))
