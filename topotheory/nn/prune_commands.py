"""CLI subcommands of the pruning area: ``prune``, ``timp-preserves``,
``imp-overlap-trained``, ``np-grows`` and ``accuracy-sparsity``.

torch is imported only when a subcommand runs, so ``topotheory --help`` stays light.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from topotheory.cli_args import add_output_arguments, add_progress_arguments, parse_whole_number
from topotheory.errors import InputError
from topotheory.jsonout import add_json_arguments, dumps_strict, emit_json
from topotheory.nn._wallclock import without_wall_clock
from topotheory.nn.data_args import add_data_arguments, check_data_arguments

_MODELS = ("fc", "fcn-mnist", "conv", "cnn-mnist")


def _int_at_least(minimum: int):
    def parse(text: str) -> int:
        return parse_whole_number(
            text, minimum=minimum, not_whole="{text!r} is not a whole number",
            too_small="{value} is below {minimum}; give a whole number >= {minimum}",
        )

    parse.__name__ = f"int>={minimum}"
    return parse


def _rewind(text: str) -> str | int:
    if text in ("init", "none"):
        return text
    hint = ": give init, none or a step count >= 0"
    return parse_whole_number(text, minimum=0, not_whole="{text!r}" + hint,
                              too_small="{value}" + hint)


def _common(p: argparse.ArgumentParser, *, seeds: bool = False) -> None:
    p.add_argument(
        "--model", default="fc", choices=_MODELS, help="zoo model (default fc: FCN 784-100x5-10)"
    )
    add_data_arguments(
        p,
        dataset_help="mnist = the vendored real MNIST digits, 8,000 train / 2,000 test "
        "(default; or the IDX files in --data-dir); digits = scikit-learn's 8x8 digits "
        "upsampled to 28x28 (not MNIST)",
        data_dir_help="with --dataset mnist: folder holding the four MNIST IDX files (e.g. "
        "the full 60,000/10,000 set) to use instead of the vendored ones",
    )
    if seeds:
        p.add_argument(
            "--seeds", type=_int_at_least(0), nargs="+", default=[0, 1, 2],
            help="seeds, integers >= 0 (default 0 1 2)",
        )
    else:
        p.add_argument("--seed", type=_int_at_least(0), default=0,
                       help="seed of init, batches, random pruning (an integer >= 0)")
    p.add_argument(
        "--config", default="quick", choices=("quick", "synflow", "full"),
        help="training settings: quick = Synaptic-Flow's (Adam, lr 1e-3, batch 64) with 3 "
        "epochs (default); synflow = Synaptic-Flow's defaults, 10 epochs; full = synflow "
        "with the learning rate x0.1 after epoch 7 (see docs/pruning.md)",
    )
    p.add_argument(
        "--epochs", type=_int_at_least(0), default=None,
        help="epochs per training (default: those of --config)",
    )
    p.add_argument("--device", default="auto", help="auto (CUDA when present) | cpu | cuda")
    add_json_arguments(p, what="the full result")
    add_output_arguments(
        p,
        out_help="folder for result.json (and masks/checkpoints); must be new or empty, "
        "or an earlier output replaced with --force",
        force_help="write into a non-empty --out folder: replace an earlier run there "
        "(files topotheory did not write, or edited since, are kept as they are and "
        "listed on stderr)",
    )
    add_progress_arguments(
        p, quiet_help="no progress bars and no per-epoch/per-round lines on stderr"
    )
    p.add_argument(
        "--timings",
        action="store_true",
        help="keep wall-clock seconds (train_seconds, per round and seed) in the JSON; "
        "without it the same seed gives byte-identical JSON",
    )


def _rounds(p: argparse.ArgumentParser, rounds: int, rate: float) -> None:
    p.add_argument("--rounds", type=_int_at_least(0), default=rounds,
                   help=f"pruning rounds (default {rounds})")
    p.add_argument(
        "--rate", type=float, default=rate, help=f"fraction pruned per round (default {rate})"
    )


def register(subparsers: Any) -> None:
    """Add the pruning subcommands to the ``topotheory`` parser."""
    p = subparsers.add_parser(
        "prune", help="IMP / T-IMP / random pruning with rewinding on real data"
    )
    p.add_argument("--method", default="timp", choices=("timp", "imp", "random"),
                   help="timp (keeps every layer's spanning forest), imp (magnitude) or random")
    _rounds(p, 3, 0.5)
    _common(p)
    p.add_argument("--scope", default="local", choices=("local", "global"),
                   help="prune each layer at the rate (local) or rank all weights together "
                   "(global)")
    p.add_argument(
        "--on-conflict",
        default="error",
        choices=("error", "keep_forest", "truncate_forest"),
        help="T-IMP when the budget is below the forest size (default: error)",
    )
    p.add_argument("--rewind", type=_rewind, default="init",
                   help="init | none (fine-tune) | a step count")
    user = p.add_argument_group(
        "your own model (like audit)",
        "--module builds your model instead of the zoo's --model. Without --weights it is "
        "trained on --dataset (28x28 inputs) and pruned with rewinding; with --weights its "
        "trained weights are pruned --rounds times at --rate WITHOUT retraining (no data), "
        "and --out gets mask.safetensors, pruned.safetensors and result.json")
    user.add_argument("--module", metavar="PKG.MOD:FACTORY", default=None,
                      help="'pkg.module:factory' building the nn.Module (current directory "
                      "searched)")
    user.add_argument("--weights", metavar="FILE", default=None,
                      help="trained weights read as audit reads them (.safetensors, "
                      ".pt/.pth/.ckpt/.tar weights-only; wrapper prefixes removed)")
    user.add_argument("--key", metavar="PATH", default=None,
                      help="the nested state dict in --weights (levels joined by '/')")
    user.add_argument("--input-shape", metavar="S", default=None,
                      help="one example's shape without batch dimension (T-IMP on conv "
                      "layers needs their input sizes)")
    user.add_argument("--input-dtype", default="float32", metavar="D",
                      help="dtype of the --input-shape zero input")
    user.add_argument("--skip-unsupported", action="store_true",
                      help="prune the Linear/Conv weights and leave (and list) the weights "
                      "no pruning rule covers (attention, recurrent, embedding, ...); "
                      "without it such a model is refused with the list")
    p.set_defaults(func=_run_prune)

    p = subparsers.add_parser(
        "timp-preserves", help="T-IMP keeps every layer's diagram; IMP for contrast"
    )
    _rounds(p, 3, 0.5)
    _common(p)
    p.set_defaults(func=_run_experiment, experiment="timp_preserves")

    p = subparsers.add_parser(
        "imp-overlap-trained", help="Figure 3: top-k/MST overlap of trained layers"
    )
    _rounds(p, 3, 0.5)
    _common(p, seeds=True)
    p.set_defaults(func=_run_experiment, experiment="imp_overlap_trained")

    p = subparsers.add_parser("np-grows", help="Figure 1: NP per layer over training")
    _common(p)
    p.add_argument("--every", type=_int_at_least(1), default=20,
                   help="record NP every N steps")
    p.set_defaults(func=_run_experiment, experiment="np_grows")

    p = subparsers.add_parser("accuracy-sparsity", help="accuracy vs sparsity: IMP, T-IMP, random")
    _rounds(p, 7, 0.5)
    _common(p, seeds=True)
    p.set_defaults(func=_run_experiment, experiment="accuracy_vs_sparsity")


def _check_device(device: str) -> None:
    import torch

    if device not in ("auto", "cpu", "cuda") and not (
        device.startswith("cuda:") and device[5:].isdigit()
    ):
        raise InputError("unknown device", argument="--device", value=device,
                         fix="choose auto, cpu, cuda or cuda:N")
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise InputError("CUDA is not available on this machine (or in this torch build)",
                             argument="--device", value=device,
                             fix="use --device cpu (or auto)")
        index = int(device[5:]) if device.startswith("cuda:") else 0
        if index >= torch.cuda.device_count():
            raise InputError(f"this machine has {torch.cuda.device_count()} CUDA device(s)",
                             argument="--device", value=device, fix="use --device cuda:0")


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    check_data_arguments(args)  # before torch is imported: a refused data set costs no memory
    _check_device(args.device)

    from topotheory.nn import train

    base = {"quick": train.QUICK, "synflow": train.SYNFLOW, "full": train.FULL}[args.config]
    # a per-batch bar inside each epoch only on an explicit --progress for one training
    # (TrainConfig.progress is recorded in the result, so it must not depend on the TTY)
    single = args.func is _run_prune or getattr(args, "experiment", "") == "np_grows"
    cfg = replace(
        base, device=args.device, progress=bool(single and args.progress and not args.quiet)
    )
    return replace(cfg, epochs=args.epochs) if args.epochs is not None else cfg


def _validate_out(args: argparse.Namespace) -> Path | None:
    """Check --out before any work: refuse a file, an unwritable place, a foreign
    non-empty folder, and (prune) an earlier run there, unless --force."""
    from topotheory.safe_output import read_manifest, validate_output_dir

    if args.out is None:
        return None
    out = validate_output_dir(args.out, force=args.force, argument="--out")
    if out.is_dir() and read_manifest(out) and not args.force:
        raise InputError(
            "holds an earlier run; results of two runs are never mixed",
            argument="--out", value=args.out,
            fix="give a new folder, or pass --force to replace the earlier run",
        )
    return out


def _bars(args: argparse.Namespace) -> bool:
    from topotheory.progress import progress_enabled

    return False if args.quiet else progress_enabled(args.progress)


def _emit(
    args: argparse.Namespace, result: dict[str, Any], summary: list[str],
    stage: Path | None = None, *, write_result: bool = True,
) -> int:
    if not getattr(args, "timings", False):
        result = without_wall_clock(result)
    if stage is not None and write_result:
        (stage / "result.json").write_text(dumps_strict(result), encoding="utf-8")
    if not emit_json(args, result):
        print("\n".join(summary))
    return 0


def _check_budget(args: argparse.Namespace) -> None:
    """T-IMP with --on-conflict error: refuse, before training, a rate that takes a dense
    layer below its spanning forest (n_in + n_out - 1 weights) within --rounds."""
    if args.method != "timp" or args.on_conflict != "error" or args.scope != "local":
        return
    from torch import nn

    from topotheory.nn.experiments import make_model
    from topotheory.nn.prune import kept_count

    model = _user_model(args) if args.module else make_model(args.model, seed=args.seed)
    for name, module in model.named_modules():
        if not isinstance(module, nn.Linear):
            continue
        kept = module.weight.numel()
        forest = module.in_features + module.out_features - 1
        for r in range(1, args.rounds + 1):
            kept = kept_count(kept, args.rate)
            if kept < forest:
                raise InputError(
                    f"after {r} round(s) layer {name!r} would keep {kept} weights, fewer than "
                    f"its spanning forest ({forest}): past the topologically critical ratio",
                    argument="--rate", value=args.rate,
                    fix="lower --rate or --rounds, or pass --on-conflict keep_forest "
                    "(or truncate_forest)",
                )


def _log(args: argparse.Namespace):
    if args.json or args.quiet:
        return None
    from tqdm.auto import tqdm

    return lambda line: tqdm.write(line, file=sys.stderr)  # below any active bar


def _check_user_args(args: argparse.Namespace) -> None:
    if args.module is None:
        for flag in ("weights", "key", "input_shape"):
            if getattr(args, flag) is not None:
                raise InputError("needs --module (the factory that builds your model)",
                                 argument=f"--{flag.replace('_', '-')}",
                                 value=getattr(args, flag), fix="add --module pkg.mod:factory")
        if args.skip_unsupported:
            raise InputError("applies to --module models only (zoo models are Linear/Conv)",
                             argument="--skip-unsupported", value=True, fix="drop it")
    if args.input_shape is not None:
        from topotheory.nn.audit.loading import example_from_shape

        example_from_shape(args.input_shape, args.input_dtype)


def _user_model(args: argparse.Namespace) -> Any:
    from topotheory.nn.audit.loading import load_factory
    from topotheory.nn.prune import unprunable_parameters

    model = load_factory(args.module)
    skipped = unprunable_parameters(model)
    if skipped and not args.skip_unsupported:
        listed = "; ".join(f"{n}: {why}" for n, why in skipped.items())
        raise InputError(f"has {len(skipped)} weight tensor(s) that cannot be pruned: {listed}",
                         argument="--module", value=args.module,
                         fix="pass --skip-unsupported to prune the other layers and list these")
    return model


def _run_prune_weights(args: argparse.Namespace, out: Path | None) -> int:
    """``prune --module M --weights W``: prune trained weights without retraining."""
    from topotheory.nn.audit.checkpoint import load_checkpoint
    from topotheory.safe_output import atomic_output_dir

    model = _user_model(args)
    loaded = load_checkpoint(model, args.weights, key=args.key)
    for note in loaded.notes():
        print(f"prune: {note}", file=sys.stderr)
    input_shapes = None
    from torch import nn

    if args.method == "timp" and any(isinstance(m, nn.Conv1d | nn.Conv2d | nn.Conv3d)
                                     for m in model.modules()):
        if args.input_shape is None:
            raise InputError("T-IMP on conv layers needs their input sizes",
                             argument="--input-shape", value=None,
                             fix="give one example's shape without batch dimension, e.g. 3,32,32")
        from topotheory.nn.audit.loading import example_from_shape
        from topotheory.nn.prune import layer_input_shapes

        with _user_code(args):
            input_shapes = layer_input_shapes(model, example_from_shape(args.input_shape,
                                                                        args.input_dtype))
    if out is None:
        return _prune_weights(args, model, loaded, input_shapes, None)
    with atomic_output_dir(out, force=args.force) as stage:
        return _prune_weights(args, model, loaded, input_shapes, stage)


def _prune_weights(args: argparse.Namespace, model: Any, loaded: Any, input_shapes: Any,
                   stage: Path | None) -> int:
    from topotheory.nn.prune import prune_rounds

    mask, records = prune_rounds(model, rounds=args.rounds, rate=args.rate, method=args.method,
                                 scope=args.scope, on_conflict=args.on_conflict, seed=args.seed,
                                 input_shapes=input_shapes,
                                 skip_unsupported=args.skip_unsupported)
    result = {
        "experiment": "prune-weights", "method": args.method, "module": args.module,
        "weights": args.weights, "rounds": args.rounds, "rate": args.rate, "seed": args.seed,
        "scope": args.scope, "on_conflict": args.on_conflict, "retraining": "none",
        "loading": loaded.to_dict(), "records": records,
    }
    if stage is not None:
        from safetensors.torch import save_file

        mask.save(stage / "mask.safetensors")
        save_file({k: v.detach().clone().contiguous() for k, v in model.state_dict().items()},
                  stage / "pruned.safetensors")
    lines = [f"{args.method} on {args.module} ({args.weights}), {args.rounds} round(s) at rate "
             f"{args.rate}, no retraining"]
    lines.append(f"{'round':>5} {'kept':>9} {'sparsity':>9} conflicts")
    for rec in records:
        lines.append(f"{rec['round']:>5} {rec['kept']:>9} {rec['sparsity']:>9.4f} "
                     f"{','.join(rec['conflicts']) or '-'}")
    last = records[-1] if records else {"skipped": {}, "tied": {}}
    for name, why in last["skipped"].items():
        lines.append(f"not pruned: {name}: {why}")
    for alias, owner in last["tied"].items():
        lines.append(f"tied: {alias} is {owner} (pruned once)")
    return _emit(args, result, lines, stage)


def _run_prune(args: argparse.Namespace) -> int:
    from topotheory.safe_output import atomic_output_dir

    out = _validate_out(args)
    _check_user_args(args)
    if args.weights is not None:
        return _run_prune_weights(args, out)
    config = _config(args)
    _check_budget(args)
    if out is None:
        return _prune(args, config, None)
    with atomic_output_dir(out, force=args.force) as stage:
        return _prune(args, config, stage)


def _prune(args: argparse.Namespace, config: Any, stage: Path | None) -> int:
    from topotheory.progress import progress_bar

    bar = progress_bar(total=args.rounds + 1, desc="rounds", progress=_bars(args))
    model_fn = None
    if args.module is not None:
        def model_fn(seed: int) -> Any:  # run_pruning seeds torch before calling it
            return _user_model(args)

    with _user_code(args):
        res = _run_pruning(args, model_fn, config, stage, bar)
    bar.close()
    return _report_pruning(args, res, stage)


def _user_code(args: argparse.Namespace) -> Any:
    """The user-code boundary around a --module model's forward passes (training, shape
    tracing): an exception raised in the user's code is exit 2 naming its line."""
    import contextlib

    from topotheory.user_code import calling_user_code

    if args.module is None:
        return contextlib.nullcontext()
    return calling_user_code("the model's code", argument="--module", value=args.module,
                             all_errors=False, fix="fix the model, or check --input-shape")


def _run_pruning(args: argparse.Namespace, model_fn: Any, config: Any, stage: Path | None,
                 bar: Any) -> Any:
    from topotheory.nn.experiments import run_pruning

    return run_pruning(
        args.method,
        model=args.model,
        model_fn=model_fn,
        skip_unsupported=args.skip_unsupported,
        dataset=args.dataset,
        data_dir=args.data_dir,
        rounds=args.rounds,
        rate=args.rate,
        seed=args.seed,
        scope=args.scope,
        on_conflict=args.on_conflict,
        rewind=args.rewind,
        config=config,
        out_dir=stage,
        log=_log(args),
        on_round=lambda _r: bar.update(),
    )


def _report_pruning(args: argparse.Namespace, res: Any, stage: Path | None) -> int:
    lines = [f"{args.method} on {args.module or args.model}/{res['dataset']['name']} seed "
             f"{args.seed}"]
    lines.append(f"{'round':>5} {'sparsity':>9} {'kappa':>8} {'test_acc':>9} {'diagrams kept':>14}")
    for rec in res["records"]:
        kept = "-"
        if "step_preservation" in rec:
            sp = rec["step_preservation"].values()
            kept = f"{sum(x['diagram_equal_per_layer'] for x in sp)}/{len(sp)}"
        lines.append(
            f"{rec['round']:>5} {rec['sparsity']:>9.4f} {rec['compression_ratio']:>8.2f} "
            f"{rec['test_acc']:>9.4f} {kept:>14}"
        )
    # run_pruning wrote result.json (and timings.json) into the staging folder already.
    return _emit(args, res, lines, stage, write_result=False)


def _run_experiment(args: argparse.Namespace) -> int:
    from topotheory.safe_output import atomic_output_dir

    out = _validate_out(args)
    config = _config(args)
    if out is None:
        return _experiment(args, config, None)
    with atomic_output_dir(out, force=args.force) as stage:
        return _experiment(args, config, stage)


def _experiment(args: argparse.Namespace, config: Any, stage: Path | None) -> int:
    from topotheory.nn import experiments as ex

    kw: dict[str, Any] = {
        "model": args.model,
        "dataset": args.dataset,
        "data_dir": args.data_dir,
        "config": config,
    }
    name = args.experiment
    if name != "np_grows":
        kw["progress"] = _bars(args)
    if name == "timp_preserves":
        res = ex.timp_preserves(seed=args.seed, rounds=args.rounds, rate=args.rate, **kw)
        lines = [
            f"{m}: diagrams unchanged at every step: {res[m]['all_preserved_per_layer']} "
            f"(per-network: {res[m]['all_preserved_per_network']}); "
            f"layer-steps changed {res[m]['layer_steps_changed']}/{res[m]['layer_steps']}, "
            f"forest edges lost {res[m]['forest_edges_lost']}, max |dNP| {res[m]['max_np_change']:.4g}"
            for m in ("timp", "imp")
        ]
    elif name == "imp_overlap_trained":
        res = ex.imp_overlap_trained(seeds=args.seeds, rounds=args.rounds, rate=args.rate, **kw)
        lines = [
            f"{'round':>5} {'layer':>10} {'density':>8} {'overlap':>8} {'sd':>6} {'bound':>7} {'iid':>7}"
        ]
        for row in res["table"]:
            iid = row["iid_dense"].get("mean", float("nan"))
            lines.append(
                f"{row['round']:>5} {row['layer']:>10} {row['density']:>8.4f} {row['fraction_mean']:>8.4f} "
                f"{row['fraction_sd']:>6.3f} {row['bound_thm_3_3']:>7.4f} {iid:>7.4f}"
            )
    elif name == "np_grows":
        res = ex.np_grows(seed=args.seed, every=args.every, **kw)
        first, last = res["trace"][0], res["trace"][-1]
        lines = [f"{'layer':>10} {'NP step 0':>10} {'NP step ' + str(last['step']):>12} rises"]
        for k in first["layers"]:
            lines.append(
                f"{k:>10} {first['layers'][k]['np']:>10.4f} {last['layers'][k]['np']:>12.4f} {res['rises'][k]}"
            )
    else:
        res = ex.accuracy_vs_sparsity(seeds=args.seeds, rounds=args.rounds, rate=args.rate, **kw)
        lines = [f"{'method':>7} {'round':>5} {'sparsity':>9} {'acc mean':>9} {'sd':>6} past TCCR"]
        for method, rows in res["curves"].items():
            for row in rows:
                lines.append(
                    f"{method:>7} {row['round']:>5} {row['sparsity']:>9.4f} {row['acc_mean']:>9.4f} "
                    f"{row['acc_sd']:>6.3f} {','.join(row['past_tccr']) or '-'}"
                )
    return _emit(args, res, lines, stage)
