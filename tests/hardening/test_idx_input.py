"""MNIST IDX input (``--data-dir``) under the memory guard of issue #23.

The guard (:func:`topotheory.nn.idx.mnist_load_bytes`, checked by ``check_mnist_folder``
before torch is imported) must count what loading allocates: measured here in a child
process (``VmHWM`` before and after ``load_mnist_idx``), and the refusal of a large set
must itself stay far under the limit (peak RSS of the refused ``prune`` run). The
refusals of broken IDX files are cases of ``issue23_cases.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import issue23_cases as cases  # noqa: E402

from topotheory.errors import InputError  # noqa: E402
from topotheory.limits import SizeLimitError, set_memory_limit  # noqa: E402
from topotheory.nn.idx import check_mnist_folder, mnist_load_bytes  # noqa: E402


def _child(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = cases._env()
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_refusing_94_mb_of_images_under_120m_stays_under_120m(tmp_path):
    """The issue's case: 94 MB of IDX images under ``--max-memory 120M`` (it passed, peak
    RSS 1.52 GB). Now refused from the headers, before torch is imported; the peak RSS of
    the refused run (its only child of the wrapper) stays under the limit."""
    cases.sparse_mnist_folder(tmp_path, 100_000, 20_000)
    run = _child("""
        import resource, subprocess, sys
        proc = subprocess.run([sys.executable, "-m", "topotheory", "--max-memory", "120M",
                               "prune", "--data-dir", "D", "--quiet"],
                              capture_output=True, text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(proc.returncode, peak, repr(proc.stderr))
    """, tmp_path)
    status, peak, err = run.stdout.split(" ", 2)
    assert int(status) == 2, run.stdout + run.stderr
    assert "--data-dir='D'" in err and "memory limit 120.0 MiB" in err
    assert "Traceback" not in err
    assert int(peak) < 120 << 20, f"peak RSS {int(peak) / 2**20:.0f} MiB"


def test_estimate_covers_what_loading_allocates(tmp_path):
    """Peak RSS growth of ``load_mnist_idx`` (35,000 images) is at most the estimate the
    guard checks, and the set loads under a limit equal to that estimate."""
    cases.mnist_folder(tmp_path, n_train=30_000, n_test=5_000)
    run = _child("""
        import json
        import torch  # noqa: F401  (the baseline includes torch, as in every training run)
        from topotheory.limits import set_memory_limit
        from topotheory.nn.data import load_mnist_idx
        from topotheory.nn.idx import check_mnist_folder, mnist_load_bytes

        def hwm():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) * 1024

        dims = {k: h.dims for k, h in check_mnist_folder("D").items()}
        estimate = mnist_load_bytes(dims)
        set_memory_limit(estimate)
        before = hwm()
        data = load_mnist_idx("D")
        print(json.dumps({"estimate": estimate, "grew": hwm() - before,
                          "n": [len(data.y_train), len(data.y_test)]}))
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["n"] == [30_000, 5_000]
    pixels = 35_000 * 784
    assert got["estimate"] == 6 * pixels + 9 * 35_000
    assert 4 * pixels < got["grew"] <= got["estimate"], got  # the float32 copy is real


def test_guard_boundary_is_exact(tmp_path):
    folder = cases.mnist_folder(tmp_path, n_train=20, n_test=10)
    dims = {"x_train": (20, 28, 28), "y_train": (20,), "x_test": (10, 28, 28),
            "y_test": (10,)}
    need = mnist_load_bytes(dims)
    try:
        set_memory_limit(need)
        assert check_mnist_folder(folder)["x_test"].dims == (10, 28, 28)
        set_memory_limit(need - 1)
        with pytest.raises(SizeLimitError, match=r"data_dir='.*D'.*would need"):
            check_mnist_folder(folder)
    finally:
        set_memory_limit(None)


def test_estimate_is_exact_for_huge_headers():
    """Exact integers: 2**32-1 images of 2**32-1 x 2**32-1 pixels do not overflow."""
    n = 2**32 - 1
    dims = {"x_train": (n, n, n), "y_train": (n,), "x_test": (n, n, n), "y_test": (n,)}
    assert mnist_load_bytes(dims) == 6 * 2 * n**3 + 9 * 2 * n


def test_folder_errors_name_the_argument(tmp_path):
    folder = cases.mnist_folder(tmp_path)
    (folder / "t10k-images-idx3-ubyte").write_bytes(b"\0\0")
    with pytest.raises(InputError, match=r"^data_dir='.*D': IDX file .*t10k-images.*too short"
                                         r".*replace it") as info:
        check_mnist_folder(folder)
    assert info.value.argument == "data_dir"


def test_standardised_images_are_the_same_numbers():
    """The in-place conversion (one float32 buffer) gives what ``(x/255 - mean)/std`` gives."""
    import torch

    from topotheory.nn.data import _standardise, _standardised_images

    a = np.random.default_rng(0).integers(0, 256, (50, 28, 28), dtype=np.uint8)
    old = _standardise(torch.from_numpy(a.astype(np.float32) / 255.0)[:, None])
    new = _standardised_images(a)
    assert new.dtype == torch.float32 and new.shape == (50, 1, 28, 28)
    assert torch.equal(old, new)


def test_library_accuracy_of_no_test_images_is_an_error_not_zero():
    """Past the loader (a Dataset built by hand): no test accuracy 0.0 for 0 images."""
    import torch
    from torch import nn

    from topotheory.nn.train import evaluate

    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    with pytest.raises(InputError, match=r"^y=\(0,\): has no examples"):
        evaluate(net, torch.zeros(0, 1, 28, 28), torch.zeros(0, dtype=torch.long))
    assert evaluate(net, torch.zeros(2, 1, 28, 28), torch.tensor([0, 0])) in (0.0, 1.0)
