"""Benchmark of the large-layer law: ``python -m topotheory.simulate.bench_limit``.

Times :func:`~topotheory.simulate.overlap_limit.overlap_limit` on a batch of random shapes
(one vectorised call) and one shape at a time, best of ``--repeat``, and reports
microseconds per shape. Run on demand; no unit test times anything.

Examples
--------
>>> result = run_limit_benchmark(shapes=1000, repeat=1, scalar_shapes=10)
>>> result["vectorised_us_per_shape"] > 0
True
"""

from __future__ import annotations

import platform
import time

from topotheory.cli_args import benchmark_main


def run_limit_benchmark(
    *, shapes: int = 100_000, max_side: int = 5000, repeat: int = 3, scalar_shapes: int = 200,
    seed: int = 0,
) -> dict[str, object]:
    """Microseconds per shape, vectorised and scalar (best of ``repeat``).

    Parameters
    ----------
    shapes : int
        Batch size of the vectorised call (shapes uniform in ``2..max_side`` per side).
    max_side, repeat, scalar_shapes, seed : int
    """
    import numpy as np

    from topotheory.simulate.overlap_limit import overlap_limit

    rng = np.random.default_rng(seed)
    n = rng.integers(2, max_side + 1, shapes)
    m = rng.integers(2, max_side + 1, shapes)
    overlap_limit(n[:10], m[:10])  # warm-up
    batch = []
    for _ in range(repeat):
        start = time.perf_counter()
        overlap_limit(n, m)
        batch.append(time.perf_counter() - start)
    single = []
    for _ in range(repeat):
        start = time.perf_counter()
        for a, b in zip(n[:scalar_shapes].tolist(), m[:scalar_shapes].tolist(), strict=True):
            overlap_limit(a, b)
        single.append(time.perf_counter() - start)
    return {
        "shapes": shapes, "max_side": max_side, "repeat": repeat,
        "vectorised_us_per_shape": min(batch) / shapes * 1e6,
        "scalar_us_per_shape": min(single) / scalar_shapes * 1e6,
        "python": platform.python_version(), "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints JSON."""
    return benchmark_main(argv, run_limit_benchmark, description=__doc__.splitlines()[0],
                          shapes=100_000, max_side=5000, repeat=3, scalar_shapes=200)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
