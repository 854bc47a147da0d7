"""Small builders shared by the pruning tests."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from topotheory.nn.train import TrainConfig

#: A short training run (2 epochs) for end-to-end tests on the digits.
CFG = TrainConfig(epochs=2, batch_size=64, lr=5e-3, device="cpu")


def linear_with(weight: np.ndarray) -> nn.Linear:
    """A bias-free Linear layer holding ``weight`` (shape (m, n))."""
    w = torch.as_tensor(np.asarray(weight, dtype=np.float32))
    lin = nn.Linear(w.shape[1], w.shape[0], bias=False)
    with torch.no_grad():
        lin.weight.copy_(w)
    return lin


def mlp(seed: int, dims: tuple[int, ...] = (784, 16, 12, 10)) -> nn.Module:
    """A small Flatten + Linear/ReLU net for 28x28 inputs."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = [nn.Flatten()]
    for a, b in zip(dims[:-1], dims[1:], strict=True):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
