"""Seeded training loop with masks re-applied after every optimizer step.

CPU by default (``device="auto"`` picks CUDA when present), Adam, cross-entropy,
mini-batches from a seeded ``torch.Generator``; progress through tqdm and accuracy
logged per epoch.  :data:`QUICK` is the quick configuration (about a minute for a
full IMP run of the FCN on the digits data on a 2-core machine; see docs/pruning.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
from torch import nn

from topotheory.nn.data import Dataset
from topotheory.nn.masks import Mask

__all__ = ["QUICK", "TrainConfig", "evaluate", "resolve_device", "seed_everything", "train"]


@dataclass(frozen=True)
class TrainConfig:
    """Training hyper-parameters.

    Attributes
    ----------
    epochs : int
    batch_size : int
    lr : float
        Adam learning rate.
    weight_decay : float
    device : str
        ``"auto"`` (CUDA when present, else CPU), ``"cpu"`` or ``"cuda"``.
    progress : bool
        Show a tqdm bar per epoch.
    """

    epochs: int = 10
    batch_size: int = 64
    lr: float = 1.2e-3
    weight_decay: float = 0.0
    device: str = "auto"
    progress: bool = False

    def __post_init__(self) -> None:
        if self.epochs < 0 or self.batch_size < 1 or self.lr <= 0:
            raise ValueError(
                f"TrainConfig needs epochs >= 0, batch_size >= 1, lr > 0; got {asdict(self)}"
            )


#: The quick configuration used by the CLI's default and by the docs' timings.
QUICK = TrainConfig(epochs=5, batch_size=64, lr=1.2e-3)


def seed_everything(seed: int) -> None:
    """Seed python's and torch's (CPU and CUDA) generators (numpy code takes explicit Generators)."""
    random.seed(seed)
    torch.manual_seed(seed)


def resolve_device(device: str = "auto") -> torch.device:
    """``"auto"`` -> CUDA when available, else CPU.

    Examples
    --------
    >>> resolve_device("cpu").type
    'cpu'
    """
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise ValueError(f"device={device!r}; choose 'auto', 'cpu' or 'cuda'")
    return torch.device(device)


@torch.no_grad()
def evaluate(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, batch_size: int = 1024
) -> float:
    """Top-1 accuracy of ``model`` on ``(x, y)``.

    Examples
    --------
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> 0.0 <= evaluate(net, torch.zeros(3, 1, 2, 2), torch.tensor([0, 1, 0])) <= 1.0
    True
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    correct = 0
    for i in range(0, len(y), batch_size):
        logits = model(x[i : i + batch_size].to(device))
        correct += int((logits.argmax(1).cpu() == y[i : i + batch_size]).sum())
    model.train(was_training)
    return correct / max(len(y), 1)


def train(
    model: nn.Module,
    data: Dataset,
    config: TrainConfig = QUICK,
    *,
    seed: int = 0,
    mask: Mask | None = None,
    on_step: Callable[[int, nn.Module], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """Train ``model`` in place; pruned weights stay zero (mask re-applied every step).

    Parameters
    ----------
    model : nn.Module
    data : Dataset
    config : TrainConfig
    seed : int
        Seeds the batch order (a ``torch.Generator``).
    mask : Mask, optional
        Applied before training and after every optimizer step.
    on_step : callable, optional
        ``on_step(step, model)`` after each step (step counted from 1), e.g. to capture
        an early rewinding point with :func:`topotheory.nn.rewind.capture_state`.
    log : callable, optional
        Receives one line per epoch (``"epoch 3: loss ... test_acc ..."``).

    Returns
    -------
    dict
        ``{"seed", "steps", "seconds", "train_acc", "test_acc", "history", "device"}``.

    Examples
    --------
    >>> from topotheory.nn.data import load_digits_mnist
    >>> d = load_digits_mnist(seed=0)
    >>> torch.manual_seed(0) and None
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    >>> out = train(net, d, TrainConfig(epochs=1, device="cpu"), seed=0)
    >>> out["test_acc"] > 0.5
    True
    """
    device = resolve_device(config.device)
    model.to(device)
    if mask is not None:
        mask.apply_(model)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(int(seed))
    n = len(data.y_train)
    history: list[dict[str, float]] = []
    step = 0
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        model.train()
        perm = torch.randperm(n, generator=gen)
        batches = range(0, n, config.batch_size)
        if config.progress:
            from tqdm.auto import tqdm

            batches = tqdm(batches, desc=f"epoch {epoch}/{config.epochs}", leave=False)
        total = 0.0
        for i in batches:
            idx = perm[i : i + config.batch_size]
            xb, yb = data.x_train[idx].to(device), data.y_train[idx].to(device)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            if mask is not None:
                mask.apply_(model)
            step += 1
            total += float(loss.detach()) * len(idx)
            if on_step is not None:
                on_step(step, model)
        acc = evaluate(model, data.x_test, data.y_test)
        history.append({"epoch": epoch, "loss": total / n, "test_acc": acc})
        if log is not None:
            log(f"epoch {epoch}: loss {total / n:.4f} test_acc {acc:.4f}")
    return {
        "seed": int(seed),
        "steps": step,
        "seconds": time.perf_counter() - start,
        "train_acc": evaluate(model, data.x_train, data.y_train),
        "test_acc": evaluate(model, data.x_test, data.y_test),
        "history": history,
        "device": str(device),
    }
