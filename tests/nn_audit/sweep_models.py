"""Models and runs built by the sweep tests: a small MLP and an IMP run of it in open_lth's
layout (``replicate_1/level_<k>/main/{model_ep<E>_it<I>.pth, mask.pth}``)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

MODULE = "tests.nn_audit.sweep_models:mlp"


def mlp() -> nn.Module:
    """A seeded 32 -> 24 -> 10 MLP (1,008 weights: 20 IMP levels at 20% leave 14)."""
    torch.manual_seed(3)
    return nn.Sequential(nn.Flatten(), nn.Linear(32, 24), nn.ReLU(), nn.Linear(24, 10))


def imp_run(root: Path, levels: int = 20, *, rate: float = 0.2) -> Path:
    """An IMP run of :func:`mlp` in open_lth's layout: level 0 dense; each next level prunes
    ``rate`` of the remaining weights globally by magnitude (open_lth's sparse_global),
    rewinds to the initial weights and "trains" (a seeded perturbation, masked again)."""
    run = root / "lottery_sweep" / "replicate_1"
    init = mlp().state_dict()
    prunable = ["1.weight", "3.weight"]
    mask = {k: torch.ones_like(init[k], dtype=torch.int32) for k in prunable}
    generator = torch.Generator().manual_seed(11)
    previous = None
    for level in range(levels):
        main = run / f"level_{level}" / "main"
        main.mkdir(parents=True)
        if previous is not None:
            remaining = int(sum(int(m.sum()) for m in mask.values()))
            n_prune = int(round(rate * remaining))
            scores = torch.cat([previous[k].abs()[mask[k].bool()] for k in prunable])
            threshold = torch.sort(scores).values[n_prune]
            mask = {k: (mask[k].bool() & (previous[k].abs() >= threshold)).int()
                    for k in prunable}
        start = {k: (v * mask[k] if k in mask else v.clone()) for k, v in init.items()}
        torch.save(start, main / "model_ep0_it0.pth")
        final = {k: v + 0.05 * torch.randn(v.shape, generator=generator) for k, v in start.items()}
        final = {k: (v * mask[k] if k in mask else v) for k, v in final.items()}
        torch.save(final, main / "model_ep2_it0.pth")
        torch.save({k: v.int() for k, v in mask.items()}, main / "mask.pth")
        previous = final
    return run


def checkpoints(root: Path, count: int) -> list[Path]:
    """``count`` checkpoint files of :func:`mlp` with different seeded weights,
    ``step_<i>.pt``."""
    paths = []
    for step in range(count):
        model = mlp()  # seeds torch itself: the perturbation is seeded after it
        torch.manual_seed(100 + step)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.3 * torch.randn_like(p))
        path = root / f"step_{step}.pt"
        torch.save(model.state_dict(), path)
        paths.append(path)
    return paths
