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
import sys
import time
from typing import Any

from topotheory.errors import InputError
from topotheory.jsonout import add_json_arguments, emit_json


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
    add_json_arguments(parser, what="the per-layer report")
    parser.set_defaults(func=run)


def _user_model(spec: str | None, files: list[str]) -> Any:
    """The boundary around a user's model running (a zoo model runs without one)."""
    import contextlib

    from topotheory.user_code import calling_user_code

    if spec is None:
        return contextlib.nullcontext()
    return calling_user_code("the model's code", argument="--module", value=spec,
                             user_files=files, all_errors=False,
                             fix="fix the model, or check --input-shape")


def _parse_shape(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",")]
    if not parts or any(not p.isdigit() for p in parts) or min(int(p) for p in parts) < 1:
        raise InputError(
            "must be comma-separated ints, each >= 1 (positive ints: one example, no batch)",
            argument="--input-shape", value=text, fix="e.g. --input-shape 3,32,32",
        )
    return tuple(int(p) for p in parts)


def _dry_run(model: Any, shape: tuple[int, ...]) -> None:
    """Run the model on torch's meta device (no memory) to check the input shape and
    the memory the real trace would need, before it runs."""
    import copy
    import math

    import torch

    from topotheory.limits import check_allocation

    check_allocation(
        math.prod(shape) * 4, what=f"the input tensor of shape {shape}",
        argument="--input-shape", value=",".join(map(str, shape)), fix="give a smaller shape",
    )
    try:
        meta = copy.deepcopy(model).to("meta")
    except Exception:  # noqa: BLE001 - a model that cannot move to meta: trace it as is
        return
    total = [0]

    def hook(module: Any, inputs: Any, output: Any) -> None:
        if isinstance(output, torch.Tensor):
            total[0] += output.numel() * output.element_size()

    handles = [m.register_forward_hook(hook) for m in meta.modules()]
    meta.eval()
    try:
        with torch.no_grad():
            first = next(meta.parameters(), None)
            dtype = first.dtype if first is not None and first.is_floating_point() else None
            meta(torch.zeros((1, *shape), device="meta", dtype=dtype or torch.float32))
    except (RuntimeError, ValueError, TypeError, IndexError) as error:
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise InputError(
            f"the model cannot run on an input of this shape ({reason})",
            argument="--input-shape", value=",".join(map(str, shape)),
            fix="give the shape of one example the model accepts (channels first, no batch)",
        ) from None
    except NotImplementedError:  # an operation without a meta kernel: trace it as is
        return
    finally:
        for handle in handles:
            handle.remove()
    check_allocation(
        total[0], what=f"the activations of one forward pass on shape {shape}",
        argument="--input-shape", value=",".join(map(str, shape)), fix="give a smaller shape",
    )


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
            raise InputError("--module needs --input-shape", argument="--input-shape", value=None,
                             fix="e.g. --input-shape 3,32,32")
        shape = _parse_shape(args.input_shape)
        from topotheory.nn.audit.loading import load_factory, model_files

        model = load_factory(args.module, argument="--module")
        with _user_model(args.module, model_files(model)):
            _dry_run(model, shape)

    start = time.perf_counter()

    def progress(i: int, n: int, name: str) -> None:
        print(f"\r[{i + 1}/{n}] {name:<48.48} {time.perf_counter() - start:7.1f}s",
              end="", file=sys.stderr, flush=True)

    with _user_model(args.module, model_files(model) if args.module else []):
        report = model_tccr(model, shape, full_param_level=args.full_param_level,
                            progress=progress)
    print(f"\rdone in {time.perf_counter() - start:.1f}s" + " " * 60, file=sys.stderr)
    result = report.to_dict()
    result["aggregates_corrected"] = result.pop("aggregates")
    non_finite = {key.replace("aggregates/", "aggregates_corrected/", 1): why
                  for key, why in result.pop("non_finite", {}).items()}
    if args.model is not None:
        result["model"], result["dataset"] = args.model, args.dataset
        result["aggregates_paper_rule"] = _paper_aggregates(args.model, args.dataset)
    if non_finite:
        result["non_finite"] = non_finite
    if emit_json(args, result):
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
    for key, value in report.aggregates.items():
        print(f"corrected {key}: {value:.5f}")
    return 0
