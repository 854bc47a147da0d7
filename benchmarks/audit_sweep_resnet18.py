"""Benchmark of an audit sweep: 20 ResNet-18-shaped checkpoints with 1 and 2 local workers
(run on demand, never in CI).

``python -m benchmarks.audit_sweep_resnet18`` builds ResNet-18 from plain torch modules
(20 convs + 1 dense layer, 11.7M parameters; input 3x32x32, so every conv's Toeplitz
graph has 2.4M edges or fewer), writes ``--checkpoints`` checkpoints of an IMP-like run
(checkpoint ``i`` keeps the largest ``0.8^i`` of the weights of each conv/dense layer of a
seeded perturbation, global magnitude pruning), and times in the same run:

* ``audit_sweep`` with ``jobs=1`` (this process: the numba kernels are compiled first on
  a tiny model and not counted), and with ``jobs=2`` (two spawned worker processes: their
  start-up, torch import and null computation included, as a user sees it);
* the first checkpoint's and the others' audit times (the iid nulls, which dominate, are
  computed once per process and reused: a layer's null depends only on its graph);
* that the two runs' numbers are byte-identical.

Examples
--------
>>> sum(isinstance(m, nn.Conv2d) for m in resnet18_shaped().modules())  # doctest: +SKIP
20
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from torch import nn

from topotheory.cli_args import benchmark_main

MODULE = "benchmarks.audit_sweep_resnet18:resnet18_shaped"


class BasicBlock(nn.Module):
    """ResNet-18's block: two 3x3 convs with BN, a 1x1 projection when the shape changes."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride,
                                                      bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + identity)


def resnet18_shaped(width: int = 64, num_classes: int = 1000) -> nn.Module:
    """ResNet-18 (stages 2, 2, 2, 2; 20 convs incl. 3 projections) from plain torch modules.

    Examples
    --------
    >>> m = resnet18_shaped(width=4, num_classes=10)
    >>> sum(isinstance(x, nn.Conv2d) for x in m.modules())
    20
    """
    layers: list[nn.Module] = [nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False),
                               nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    inplanes = width
    for i in range(4):
        planes = width * 2**i
        for b in range(2):
            layers.append(BasicBlock(inplanes, planes, stride=2 if (b == 0 and i > 0) else 1))
            inplanes = planes
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(inplanes, num_classes)]
    return nn.Sequential(*layers)


def write_checkpoints(folder: Path, count: int) -> list[Path]:
    """``count`` checkpoints of an IMP-like run: checkpoint ``i`` keeps the largest
    ``0.8^i`` of the weights (global magnitude) of a seeded perturbation of one init."""
    import torch

    torch.manual_seed(0)
    model = resnet18_shaped()
    init = model.state_dict()
    prunable = [k for k, v in init.items() if k.endswith("weight") and v.dim() >= 2]
    paths = []
    for i in range(count):
        g = torch.Generator().manual_seed(1000 + i)
        state = {k: v.clone() for k, v in init.items()}
        for k in prunable:
            state[k] += 0.01 * torch.randn(state[k].shape, generator=g)
        if i:
            scores = torch.cat([state[k].abs().ravel() for k in prunable])
            kept = max(1, round(0.8 ** i * scores.numel()))
            threshold = torch.topk(scores, kept).values[-1]
            for k in prunable:
                state[k] *= state[k].abs() >= threshold
        paths.append(folder / f"imp_{i:02d}.pt")
        torch.save(state, paths[-1])
    return paths


def _seconds(sweep) -> list[float]:
    return [c.result.timings["task"] for c in sweep.checkpoints]


def run_benchmark(*, checkpoints: int = 20, size: int = 32) -> dict:
    """Time the sweep with 1 and 2 local workers; returns the numbers."""
    from topotheory.nn.audit import audit_model
    from topotheory.nn.audit.sweep import audit_sweep

    audit_model(resnet18_shaped(width=2, num_classes=4), input_shape=(3, 32, 32), trials=20)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_checkpoints(Path(folder), checkpoints)
        shape = f"3,{size},{size}"
        start = time.perf_counter()
        one = audit_sweep(MODULE, paths, input_shape=shape, jobs=1)
        one_seconds = time.perf_counter() - start
        start = time.perf_counter()
        two = audit_sweep(MODULE, paths, input_shape=shape, jobs=2)
        two_seconds = time.perf_counter() - start
    first = one.checkpoints[0].result
    return {
        "checkpoints": checkpoints, "input": shape, "layers": len(first.layers),
        "largest_toeplitz_edges": max(r.n_edges for r in first.layers),
        "conv_null_draws": first.layers[0].iid_null.draws if first.layers[0].iid_null else 0,
        "jobs_1_seconds": round(one_seconds, 1),
        "jobs_2_seconds": round(two_seconds, 1),
        "speedup_2_over_1": round(one_seconds / two_seconds, 2),
        "jobs_1_first_checkpoint_seconds": round(_seconds(one)[0], 1),
        "jobs_1_median_other_checkpoint_seconds": round(statistics.median(_seconds(one)[1:]), 2),
        "jobs_1_checkpoint_seconds": [round(t, 1) for t in _seconds(one)],
        "jobs_2_checkpoint_seconds": [round(t, 1) for t in _seconds(two)],
        "byte_identical": one.numbers_json() == two.numbers_json(),
        "sparsity_last": round(sum(r.sparsity * r.n_weights for r in one.checkpoints[-1]
                                   .result.layers) / sum(r.n_weights for r in
                                                         one.checkpoints[-1].result.layers), 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: prints the numbers as JSON."""
    return benchmark_main(argv, run_benchmark, description=__doc__.splitlines()[0],
                          prog="python -m benchmarks.audit_sweep_resnet18", checkpoints=20,
                          size=32)


if __name__ == "__main__":
    raise SystemExit(main())
