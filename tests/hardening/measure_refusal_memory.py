"""On-demand measurement: memory allocated before each refused input is refused.

Runs every refused input of the issue (and the fuzz suite's worst cases) through
``topotheory.cli.main`` in-process and prints the tracemalloc peak (numpy and Python
allocations) of each, largest first. Run from the repository root:

    python tests/hardening/measure_refusal_memory.py
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
from numpy.lib import format as npformat

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from topotheory.cli import main  # noqa: E402


def _inputs(d: Path) -> None:
    with open(d / "huge.npy", "wb") as f:
        npformat.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False,
                                            "shape": (50000, 50000)})
    (d / "text.npy").write_text("hello\n")
    np.savez(d / "z.npz", a=np.ones(2))
    np.save(d / "ld.npy", np.ones((3, 4), np.longdouble))
    np.save(d / "nan.npy", np.full((2000, 2000), np.nan))
    np.save(d / "w.npy", np.ones((3, 4)))
    (d / "bad.json").write_text('{"claims": [{"id": "x"}]}')
    (d / "hmod.py").write_text(
        "import torch.nn as nn\n"
        "def conv():\n    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(144, 2))\n")


def main_() -> None:
    d = Path(tempfile.mkdtemp())
    _inputs(d)
    sys.path.insert(0, str(d))
    cases = [
        f"np {d}/huge.npy", f"np {d}/text.npy", f"np {d}/z.npz", f"np {d}/nan.npy",
        f"np {d}/w.npy --p 1e-300", f"np {d}", f"np {d}/missing.npy",
        "simulate overlap --n 100000 --m 100000 --trials 2", "simulate overlap --n 3 --m 3 --rho 1/0",
        "simulate exact --n 30 --m 30 --distribution", "simulate exact --n 50 --m 50",
        "tccr --module hmod:conv --input-shape 3,100000,100000",
        "tccr --module hmod:conv --input-shape 5,8,8", "tccr --module hmod:conv --input-shape 3,8.5,8",
        "prune --device cuda", f"prune --out {d}/w.npy", "prune --rate 1", "prune --seed -1",
        f"report --out {d}/w.npy", "report --out ''", f"verify --json-out {d}", "verify --seed -1",
        f"verify --expect {d}/bad.json",
    ]
    import shlex

    rows = []
    for case in cases:
        # a first run loads the modules it needs, so the peak below is the input's own cost
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            main(shlex.split(case))
        tracemalloc.start()
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            status = main(shlex.split(case))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append((peak, status, case))
    for peak, status, case in sorted(rows, reverse=True):
        print(f"{peak / 2**20:8.1f} MiB  exit {status}  {case.replace(str(d), 'D')}")
    import resource

    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    # direct library call: a dense 200000x200000 view
    import topotheory as tt

    tracemalloc.start()
    try:
        tt.maximum_spanning_forest(np.broadcast_to(1.0, (200_000, 200_000)))
    except ValueError:
        pass
    print(f"{tracemalloc.get_traced_memory()[1] / 2**20:8.1f} MiB  library: "
          "maximum_spanning_forest(np.broadcast_to(1.0, (200000, 200000)))")
    tracemalloc.stop()


if __name__ == "__main__":
    main_()
