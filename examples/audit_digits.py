"""The trained digits model of ``docs/audit.md``: a factory and the script that trains it.

``python -m examples.audit_digits OUT.safetensors`` trains :func:`digits_convnet` on
scikit-learn's bundled 8x8 digits upsampled to 28x28 (:func:`topotheory.nn.data.load_digits_mnist`;
not MNIST) with :func:`topotheory.nn.train.train` and saves the weights as safetensors, so
that ``topotheory audit --module examples.audit_digits:digits_convnet --weights
OUT.safetensors --input-shape 1,28,28`` audits it.

Examples
--------
>>> digits_convnet()[-1].weight.shape
torch.Size([10, 392])
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import torch
from torch import nn


def digits_convnet() -> nn.Module:
    """Two 3x3 convs (4 and 8 filters, the second with stride 2), max-pool, dense 392 -> 10."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(),
            nn.Linear(8 * 7 * 7, 10))


def train_digits(*, epochs: int = 3, seed: int = 0) -> tuple[nn.Module, float]:
    """Train :func:`digits_convnet` on the digits; returns the model and its test accuracy."""
    from topotheory.nn.data import load_digits_mnist
    from topotheory.nn.train import TrainConfig, evaluate, train

    data = load_digits_mnist(seed=seed)
    model = digits_convnet()
    train(model, data, TrainConfig(epochs=epochs, batch_size=64, lr=3e-3, device="cpu"),
          seed=seed)
    return model, evaluate(model, data.x_test, data.y_test)


def main(argv: Sequence[str] | None = None) -> int:
    """Train and save the weights (safetensors)."""
    from safetensors.torch import save

    from topotheory.safe_output import atomic_write_bytes

    parser = argparse.ArgumentParser(prog="python -m examples.audit_digits")
    parser.add_argument("out", help="where to write the .safetensors weights")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    model, accuracy = train_digits(epochs=args.epochs, seed=args.seed)
    atomic_write_bytes(args.out, save({k: v.contiguous() for k, v in model.state_dict().items()}))
    print(f"test accuracy {accuracy:.3f}; weights written to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
