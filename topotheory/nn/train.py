"""Seeded training loop with masks re-applied after every optimizer step.

CPU by default (``device="auto"`` picks CUDA when present), Adam (or plain SGD, with or
without momentum: ``TrainConfig(optimizer=, momentum=)``), cross-entropy,
mini-batches from a seeded ``torch.Generator``; progress through tqdm and accuracy
logged per epoch. Training and evaluation run with the thread count of
:mod:`topotheory.threads` (one by default; :func:`torch_threads`).

Where the paper is silent (Appendix D names only the layers), the settings are
Synaptic-Flow's defaults (``main.py`` of ganguli-lab/Synaptic-Flow, which Appendix D
points to): PyTorch's default initialisation of ``nn.Linear`` / ``nn.Conv2d`` (Kaiming
uniform, ``a = sqrt(5)``), Adam, learning rate 1e-3, batch size 64, no weight decay, 10
epochs, inputs standardised with ``(0.1307, 0.3081)``: :data:`SYNFLOW`. On the vendored
8,000 / 2,000 MNIST split it gives the dense FCN a test accuracy of 0.949 (mean of seeds
0-4; see ``docs/pruning.md``). :data:`FULL` adds one learning-rate drop (x0.1 after epoch
7, SynFlow's ``--lr-drops 7``): 0.957 (every seed >= 0.95). :data:`QUICK` is SynFlow's
with 3 epochs instead of 10, for CPU time (the quick profile of ``topotheory verify``
trains the FCN 24 times): 0.927.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import torch
from torch import nn

from topotheory.errors import InputError
from topotheory.nn.data import Dataset
from topotheory.nn.masks import Mask

__all__ = [
    "FULL",
    "OPTIMIZERS",
    "QUICK",
    "SYNFLOW",
    "TrainConfig",
    "config_record",
    "evaluate",
    "make_optimizer",
    "resolve_device",
    "seed_everything",
    "torch_threads",
    "train",
]


#: Optimizers of :class:`TrainConfig` (``optimizer=``).
OPTIMIZERS: tuple[str, ...] = ("adam", "sgd")


@dataclass(frozen=True)
class TrainConfig:
    """Training hyper-parameters.

    Attributes
    ----------
    epochs : int
    batch_size : int
    lr : float
        Learning rate of the optimizer.
    lr_drops : tuple of int
        Epochs after which the learning rate is multiplied by ``lr_drop_rate``
        (Synaptic-Flow's ``--lr-drops``, a ``MultiStepLR``; default none).
    lr_drop_rate : float
    weight_decay : float
    optimizer : str
        ``"adam"`` (``torch.optim.Adam``, default betas: Synaptic-Flow's) or ``"sgd"``
        (``torch.optim.SGD``); one of :data:`OPTIMIZERS`.
    momentum : float
        SGD momentum in ``[0, 1)`` (``0`` = plain SGD); must be 0 with Adam.
    device : str
        ``"auto"`` (CUDA when present, else CPU), ``"cpu"`` or ``"cuda"``.
    progress : bool
        Show a tqdm bar per epoch.
    threads : int, optional
        CPU threads for training and evaluation; ``None`` = ``--threads`` /
        ``TOPOTHEORY_THREADS`` / 1 (:func:`topotheory.threads.resolve_threads`).

    Defaults are Synaptic-Flow's (:data:`SYNFLOW`).
    """

    epochs: int = 10
    batch_size: int = 64
    lr: float = 1e-3
    lr_drops: tuple[int, ...] = ()
    lr_drop_rate: float = 0.1
    weight_decay: float = 0.0
    optimizer: str = "adam"
    momentum: float = 0.0
    device: str = "auto"
    progress: bool = False
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.epochs < 0 or self.batch_size < 1 or self.lr <= 0:
            raise ValueError(
                f"TrainConfig needs epochs >= 0, batch_size >= 1, lr > 0; got {asdict(self)}"
            )
        object.__setattr__(self, "lr_drops", tuple(int(e) for e in self.lr_drops))
        if any(e < 1 for e in self.lr_drops) or not 0 < self.lr_drop_rate <= 1:
            raise ValueError(f"TrainConfig needs lr_drops >= 1 and 0 < lr_drop_rate <= 1; got "
                             f"lr_drops={self.lr_drops}, lr_drop_rate={self.lr_drop_rate}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"TrainConfig optimizer={self.optimizer!r}; choose one of "
                             f"{OPTIMIZERS}")
        if not 0 <= self.momentum < 1 or (self.optimizer == "adam" and self.momentum):
            raise ValueError(f"TrainConfig momentum={self.momentum!r} must lie in [0, 1) and "
                             "is for optimizer='sgd' only (Adam has no momentum argument)")
        if self.threads is not None:
            from topotheory.threads import parse_threads

            parse_threads(self.threads)


#: Synaptic-Flow's defaults for MNIST (Adam, lr 1e-3, batch 64, 10 epochs, no decay).
SYNFLOW = TrainConfig(epochs=10, batch_size=64, lr=1e-3, weight_decay=0.0)
#: SynFlow's defaults plus one learning-rate drop (x0.1 after epoch 7): dense FCN >= 0.95.
FULL = TrainConfig(epochs=10, batch_size=64, lr=1e-3, lr_drops=(7,), weight_decay=0.0)
#: The quick configuration (CLI default, quick profile): Synaptic-Flow's with 3 epochs.
QUICK = TrainConfig(epochs=3, batch_size=64, lr=1e-3, weight_decay=0.0)


def config_record(config: TrainConfig) -> dict[str, object]:
    """``asdict(config)`` with the thread count resolved (what a result records).

    Examples
    --------
    >>> config_record(QUICK)["threads"], config_record(QUICK)["lr"]
    (1, 0.001)
    """
    from topotheory.threads import resolve_threads

    return {**asdict(config), "threads": resolve_threads(config.threads)}


@contextlib.contextmanager
def torch_threads(threads: int | None = None) -> Iterator[int]:
    """Run the block with ``threads`` CPU threads (resolved as in
    :func:`topotheory.threads.resolve_threads`); the previous count is restored after.

    numba's parallel layer, if other code started it, is held to the same count.

    Examples
    --------
    >>> with torch_threads(1) as n:
    ...     n, torch.get_num_threads()
    (1, 1)
    """
    from topotheory.threads import resolve_threads

    n = resolve_threads(threads)
    before = torch.get_num_threads()
    numba_before = _numba_threads()
    if before != n:
        torch.set_num_threads(n)
    if numba_before is not None and numba_before != n:
        import numba

        numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    try:
        yield n
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
        if numba_before is not None and numba_before != n:
            import numba

            numba.set_num_threads(numba_before)


def _numba_threads() -> int | None:
    """numba's thread count if its parallel layer is running, else None (never starts it)."""
    import sys

    parallel = sys.modules.get("numba.np.ufunc.parallel")
    if parallel is None or not getattr(parallel, "_is_initialized", False):
        return None
    import numba

    return int(numba.get_num_threads())


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
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, batch_size: int = 1024,
    threads: int | None = None,
) -> float:
    """Top-1 accuracy of ``model`` on ``(x, y)`` (``threads``: see :func:`torch_threads`).

    Examples
    --------
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    >>> 0.0 <= evaluate(net, torch.zeros(3, 1, 2, 2), torch.tensor([0, 1, 0])) <= 1.0
    True

    No examples is an error, not an accuracy of 0.0:

    >>> evaluate(net, torch.zeros(0, 1, 2, 2), torch.zeros(0, dtype=torch.long))
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: y=(0,): has no examples, so no accuracy; give at least one example (a test set of 0 images cannot be scored)
    """
    if len(y) == 0:
        raise InputError("has no examples, so no accuracy", argument="y", value=tuple(y.shape),
                         fix="give at least one example (a test set of 0 images cannot be "
                         "scored)")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    correct = 0
    with torch_threads(threads):
        for i in range(0, len(y), batch_size):
            logits = model(x[i : i + batch_size].to(device))
            correct += int((logits.argmax(1).cpu() == y[i : i + batch_size]).sum())
    model.train(was_training)
    return correct / len(y)


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
        ``{"seed", "steps", "seconds", "train_acc", "test_acc", "history", "device",
        "threads"}``.

    Examples
    --------
    >>> from topotheory.nn.data import load_digits_mnist
    >>> d = load_digits_mnist(seed=0)
    >>> torch.manual_seed(0) and None
    >>> net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    >>> out = train(net, d, TrainConfig(epochs=1, device="cpu"), seed=0)
    >>> out["test_acc"] > 0.5, out["threads"]
    (True, 1)
    """
    with torch_threads(config.threads) as threads:
        out = _train(model, data, config, seed=seed, mask=mask, on_step=on_step, log=log)
    return {**out, "threads": threads}


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """The optimizer ``config`` names, over ``model.parameters()``.

    Examples
    --------
    >>> net = nn.Linear(2, 1)
    >>> type(make_optimizer(net, QUICK)).__name__
    'Adam'
    >>> opt = make_optimizer(net, TrainConfig(optimizer="sgd", lr=0.05, momentum=0.9))
    >>> type(opt).__name__, opt.defaults["momentum"]
    ('SGD', 0.9)
    """
    if config.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                               weight_decay=config.weight_decay)
    return torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)


def _train(model, data, config, *, seed, mask, on_step, log) -> dict[str, object]:
    device = resolve_device(config.device)
    model.to(device)
    if mask is not None:
        mask.apply_(model)
    opt = make_optimizer(model, config)
    schedule = torch.optim.lr_scheduler.MultiStepLR(
        opt, milestones=list(config.lr_drops), gamma=config.lr_drop_rate)
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
        schedule.step()
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
