"""``topotheory tccr``: per-layer TCCR of a zoo model or of a user's torch model.

torch is imported inside the handler only, so ``topotheory --help`` stays torch-free.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> register(parser.add_subparsers())
>>> parser.parse_args(["tccr", "--model", "fc", "--dataset", "mnist"]).model
'fc'
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``tccr`` subcommand."""
    parser = subparsers.add_parser(
        "tccr",
        help="per-layer topologically critical compression ratios of a torch model",
        description=(
            "Trace a model and report, per layer, the Theorem 3.2 formula, exact counts on the "
            "unrolled graph (one channel pair and the whole layer) and, for convs, the "
            "parameter-level ratio; plus the paper's aggregates and the corrected ones."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="zoo model: fc, conv, vgg11, resnet20, resnet18")
    source.add_argument("--module", help="'pkg.module:factory' returning an nn.Module")
    parser.add_argument("--dataset", help="zoo dataset: mnist, cifar10, cifar100, tiny-imagenet")
    parser.add_argument("--input-shape", help="one example's shape, e.g. 3,32,32 (with --module)")
    parser.add_argument("--seed", type=int, default=0, help="initialisation seed (zoo)")
    parser.add_argument("--full-param-level", action="store_true",
                        help="also run the parameter-level forest on whole conv layers (slow)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _load_module(spec: str, shape: tuple[int, ...]):
    if ":" not in spec:
        raise ValueError(f"--module must look like 'pkg.module:factory', got {spec!r}")
    module_name, factory_name = spec.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(
            f"--module: cannot import {module_name!r} ({error}); check the name and that its "
            "package is on PYTHONPATH"
        ) from error
    factory = getattr(module, factory_name, None)
    if factory is None or not callable(factory):
        raise ValueError(f"--module: {module_name!r} has no callable {factory_name!r}")
    from torch import nn

    model = factory()
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"--module: {spec!r} returned {type(model).__name__}, not a torch.nn.Module; "
            "point it at a factory that builds the model"
        )
    return model


def _paper_aggregates(model: str, dataset: str) -> dict[str, float]:
    from topotheory.nn.paper_tables import (
        PAPER_RULE,
        PAPER_RULE_VGG_CIFAR,
        _trace,
        aggregate,
        layer_counts,
    )

    rule = PAPER_RULE_VGG_CIFAR if model == "vgg11" and dataset.startswith("cifar") else PAPER_RULE
    layers = layer_counts(_trace(model, dataset), rule)
    return {
        "conv": aggregate([r for r in layers if r[0] == "conv"], "sum"),
        "dense": aggregate([r for r in layers if r[0] == "dense"], "sum"),
        "final": aggregate(layers, "sum"),
    }


def run(args: argparse.Namespace) -> int:
    """Handler of ``topotheory tccr``."""
    from topotheory.nn import zoo
    from topotheory.nn.tccr import model_tccr

    if args.model is not None:
        if args.dataset is None:
            raise ValueError("--model needs --dataset (mnist, cifar10, cifar100, tiny-imagenet)")
        shape = zoo.input_shape(args.dataset)
        if args.input_shape:
            raise ValueError("--input-shape is fixed by --dataset for zoo models; drop it")
        model = zoo.build_model(args.model, args.dataset, seed=args.seed)
    else:
        if not args.input_shape:
            raise ValueError("--module needs --input-shape, e.g. --input-shape 3,32,32")
        try:
            shape = tuple(int(s) for s in args.input_shape.split(","))
        except ValueError as error:
            raise ValueError(f"--input-shape must be comma-separated ints, got "
                             f"{args.input_shape!r}") from error
        if not shape or min(shape) < 1:
            raise ValueError(f"--input-shape must be positive ints (one example, no batch), "
                             f"got {args.input_shape!r}")
        model = _load_module(args.module, shape)

    start = time.perf_counter()

    def progress(i: int, n: int, name: str) -> None:
        print(f"\r[{i + 1}/{n}] {name:<48.48} {time.perf_counter() - start:7.1f}s",
              end="", file=sys.stderr, flush=True)

    report = model_tccr(model, shape, full_param_level=args.full_param_level, progress=progress)
    print(f"\rdone in {time.perf_counter() - start:.1f}s" + " " * 60, file=sys.stderr)
    result = report.to_dict()
    result["aggregates_corrected"] = result.pop("aggregates")
    if args.model is not None:
        result["model"], result["dataset"] = args.model, args.dataset
        result["aggregates_paper_rule"] = _paper_aggregates(args.model, args.dataset)
    if args.json:
        print(json.dumps(result, indent=1, default=lambda x: None if x is None else str(x)))
        return 0
    print(f"{'layer':<34} {'type':<10} {'|E| pair':>9} {'|MSF|':>7} {'formula':>8} "
          f"{'exact':>8} {'full TCCR':>10} {'params used':>12}")
    for row in report.rows:
        used = ""
        if row.param_pair_used is not None:
            used = f"{row.param_pair_used}/{round(row.param_pair_used * row.param_pair_ratio)}"
        if row.param_full_used is not None:
            used += f" full {row.n_params / row.param_full_used:.2f}x"
        print(f"{row.name:<34.34} {row.type:<10} {row.pair_edges:>9} {row.pair_forest:>7} "
              f"{row.formula_tccr:>8.4f} {row.pair_tccr:>8.4f} {row.full_tccr:>10.3f} {used:>12}")
        if row.note:
            print(f"    note: {row.note}")
    for name, kind, count in report.unsupported:
        print(f"unsupported: {name} ({kind}, {count} parameters)")
    for name, kind, count in report.elementwise:
        print(f"elementwise (no edges): {name} ({kind}, {count} parameters)")
    for key, value in result.get("aggregates_paper_rule", {}).items():
        print(f"paper rule {key}: {value:.5f}")
    for key, value in result["aggregates_corrected"].items():
        print(f"corrected {key}: {value:.5f}")
    return 0
