"""Benchmark of ``topotheory audit`` on a ResNet-50-shaped model (run on demand, never in CI).

``python -m benchmarks.audit_resnet50`` builds ResNet-50 from plain torch modules (53
convs, 25.6M parameters, 224x224 input), audits it with exact whole-layer forests, and
reports in the same run:

* the audit's wall time (excluding the torch import and the model construction; the numba
  kernels are compiled first on a tiny model so compile time is not counted);
* the same per-layer maximum spanning forests through scipy's
  ``csgraph.minimum_spanning_tree`` on a sample of layers (scipy needs the Toeplitz matrix
  listed edge by edge, so the sample takes the layers up to ``--scipy-max-edges`` edges),
  against the audit's forests of the same layers: the speed-up ratio. At 224x224 only
  the 1x1 layers are small enough for scipy's edge list, so the same layers are also
  compared at a 96x96 input (the 3x3 and 7x7 kinds; one layer per kernel/stride kind);
* the peak memory growth of the audit (``ru_maxrss`` of this process, measured after the
  model is built) against ``2 x the model's weight bytes + 4 bytes x the largest layer's
  Toeplitz edge count`` (int32): the memory ratio.

Examples
--------
>>> model = resnet50_shaped(width=4, num_classes=10)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import resource
import sys
import time
from collections.abc import Sequence

from torch import nn

from topotheory.cli_args import benchmark_main


class Bottleneck(nn.Module):
    """ResNet-50 bottleneck (1x1, 3x3 with the stride, 1x1 expansion x4), BN after each conv."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        out = planes * 4
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or inplanes != out:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)) + identity)


def resnet50_shaped(*, width: int = 64, num_classes: int = 1000) -> nn.Module:
    """ResNet-50 (stages 3, 4, 6, 3; 53 convs) from plain torch modules; ``width=64`` is full.

    Examples
    --------
    >>> m = resnet50_shaped(width=4, num_classes=10)
    >>> sum(isinstance(x, nn.Conv2d) for x in m.modules())
    53
    """
    layers: list[nn.Module] = [nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False),
                               nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    inplanes = width
    for i, blocks in enumerate((3, 4, 6, 3)):
        planes = width * 2**i
        for b in range(blocks):
            layers.append(Bottleneck(inplanes, planes, stride=2 if (b == 0 and i > 0) else 1))
            inplanes = planes * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(inplanes, num_classes)]
    return nn.Sequential(*layers)


def _scipy_forest_seconds(spec) -> float:
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.csgraph import minimum_spanning_tree

    from topotheory.nn.audit.measure import conv_graph

    graph = conv_graph(spec)
    start = time.perf_counter()
    mat = graph.to_scipy().tocoo()
    data = -(np.abs(mat.data) + 1.0)  # scipy minimises and drops zeros
    n = graph.n_nodes
    csr = sp.csr_matrix((data, (mat.col, graph.n_inputs + mat.row)), shape=(n, n))
    minimum_spanning_tree(csr)
    return time.perf_counter() - start


def _scipy_sample(model: nn.Module, size: int, max_edges: int, count: int) -> list[dict]:
    """Per-layer forest time, ours vs scipy, on up to ``count`` layers of distinct kinds."""
    from topotheory.nn.audit.measure import conv_forest_measures
    from topotheory.nn.trace import ConvSpec, trace_model

    specs = [s for s in trace_model(model, (3, size, size)).layers if isinstance(s, ConvSpec)]
    chosen: dict[tuple, ConvSpec] = {}
    for spec in sorted(specs, key=lambda s: -s.weight.size * math.prod(s.output_spatial)):
        edges = spec.weight.size * math.prod(spec.output_spatial)
        kind = (spec.kernel, spec.stride)
        if edges <= max_edges and kind not in chosen and len(chosen) < count:
            chosen[kind] = spec
    rows = []
    for spec in chosen.values():
        start = time.perf_counter()
        conv_forest_measures(spec, w_network=1.0)
        ours = time.perf_counter() - start
        scipy = _scipy_forest_seconds(spec)
        rows.append({"layer": spec.name, "input": size, "kernel": spec.kernel,
                     "stride": spec.stride,
                     "edges": int(spec.weight.size * math.prod(spec.output_spatial)),
                     "ours_seconds": ours, "scipy_seconds": scipy, "speedup": scipy / ours})
    return rows


def _maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_benchmark(*, width: int = 64, size: int = 224, scipy_layers: int = 6,
                  scipy_max_edges: int = 25_000_000) -> dict:
    """Audit the ResNet-50-shaped model and compare with scipy; returns the numbers."""
    import torch

    from topotheory.nn.audit import audit_model

    audit_model(resnet50_shaped(width=2, num_classes=4), input_shape=(3, 32, 32), trials=20)
    torch.manual_seed(0)
    model = resnet50_shaped(width=width)
    params = sum(p.numel() for p in model.parameters())
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    baseline = _maxrss_bytes()
    start = time.perf_counter()
    result = audit_model(model, input_shape=(3, size, size))
    audit_seconds = time.perf_counter() - start
    peak_growth = max(_maxrss_bytes() - baseline, 0)
    convs = [r for r in result.layers if r.kind.startswith("conv")]
    largest = max(r.n_edges for r in result.layers)
    budget = 2 * weight_bytes + 4 * largest

    sample = _scipy_sample(model, size, scipy_max_edges, scipy_layers)
    small = max(32, size * 3 // 7)  # the same layers at a smaller input: 3x3/7x7 kinds too
    sample += _scipy_sample(model, small, scipy_max_edges, scipy_layers)
    ours = sum(row["ours_seconds"] for row in sample)
    scipy = sum(row["scipy_seconds"] for row in sample)
    return {
        "model": f"ResNet-50-shaped, width {width}, input 3x{size}x{size}",
        "parameters": params,
        "convs": len(convs),
        "audit_seconds": audit_seconds,
        "audit_target_seconds": 30.0,
        "scipy_sample": sample,
        "ours_sample_seconds": ours,
        "scipy_sample_seconds": scipy,
        "speedup_vs_scipy": scipy / ours if ours else None,
        "peak_memory_growth_bytes": peak_growth,
        "memory_budget_bytes": budget,
        "memory_ratio_to_budget": peak_growth / budget,
        "largest_layer_edges": largest,
        "coverage": result.coverage.fraction,
        "diagram_keeping_ratio": result.summary["diagram_keeping_ratio"],
        "iid_null_skipped_layers": sum("iid_null" in r.reasons for r in result.layers),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: prints the numbers as JSON."""
    return benchmark_main(argv, run_benchmark, prog="python -m benchmarks.audit_resnet50",
                          description=__doc__.split("\n\n")[0], indent=1, width=64, size=224,
                          scipy_layers=6, scipy_max_edges=25_000_000)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
