"""``topotheory audit``: the paper's measurements on a user's trained model (CLI).

Only :func:`run` (the handler) imports torch: registering the subcommand keeps
``topotheory --help`` torch-free.

Examples
--------
>>> from topotheory.cli import build_parser
>>> args = build_parser().parse_args(["audit", "--module", "m:f", "--weights", "w.pt",
...                                   "--input-shape", "3,32,32"])
>>> args.input_dtype, args.json, args.json_out, args.progress, args.quiet
('float32', False, None, None, False)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from topotheory.cli_args import add_output_arguments, add_progress_arguments
from topotheory.errors import InputError
from topotheory.jsonout import add_json_arguments, emit_json

#: Parameter coverage below which a warning is printed (without --min-coverage).
COVERAGE_WARNING = 0.9


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``audit`` subcommand."""
    what = "per-layer NP, TCCR, top-k/MST overlap vs bound and nulls of a trained torch model"
    parser = subparsers.add_parser(
        "audit", help=what,
        description=(
            "Load a model (--module pkg.mod:factory) with its trained weights (--weights: "
            ".safetensors, or .pt/.pth read weights-only: pickled code is never executed) and "
            "report per layer: NP (paper and Rieck conventions), TCCR (formula, exact, "
            "parameter level), the top-k/MST overlap against Theorem 3.3's bound and the iid "
            "and hypergeometric nulls, and the parameters T-IMP must keep; per model: the "
            "largest compression that keeps every diagram and the paper's aggregate. A pruned "
            "checkpoint (prune pairs, --mask, an open_lth level, --zeros-are-pruned) also gets, "
            "per layer, the dense maximum spanning forest its mask kept, against random masks "
            "of the same sparsity (exact p-value) and T-IMP (dense reference: --reference)."
        ),
    )
    parser.add_argument("--module", required=True,
                        help="'pkg.module:factory' building the nn.Module (the current "
                        "directory is searched)")
    parser.add_argument("--weights", required=True,
                        help="trained weights: .safetensors, .pt/.pth/.ckpt/.tar (read "
                        "weights-only: pickled code is never executed), or an open_lth level "
                        "folder (level_<k>/main: latest model file x mask.pth). Wrapper "
                        "prefixes (module., model., _orig_mod.) and torch.nn.utils.prune "
                        "pairs (weight_orig x weight_mask) are handled and reported")
    parser.add_argument("--key", metavar="PATH", default=None,
                        help="the nested state dict to use, levels joined by '/' (e.g. "
                        "state_dict, model_ema); without it the only one, or the one that "
                        "fits the model, is used, else the candidates are listed")
    parser.add_argument("--non-strict", action="store_true",
                        help="audit the parameters that match the model in name and shape; "
                        "list the missing and unexpected keys (layers not loaded are not "
                        "audited)")
    parser.add_argument("--mask", metavar="FILE", default=None,
                        help="pruning mask keyed like the weights (0/1 or bool tensors; "
                        ".pt/.pth/.safetensors): the audit measures weight x mask")
    parser.add_argument("--reference", metavar="FILE", default=None,
                        help="the dense checkpoint (e.g. level 0 of the run: a file or an "
                        "open_lth level_0/main folder) against which the masks' MST counts "
                        "are made: per layer how much of the dense maximum spanning forest "
                        "the mask kept, against random masks of the same sparsity and T-IMP "
                        "(default reference: weight_orig of prune pairs, the --weights "
                        "tensors with --mask, level 0 of an open_lth run)")
    parser.add_argument("--zeros-are-pruned", action="store_true",
                        help="read the exact zeros of every weight as its pruning mask "
                        "(never done without this flag)")
    parser.add_argument("--min-coverage", metavar="F", type=float, default=None,
                        help="exit 1 (after the report) when the audited fraction of the "
                        f"model's parameters is below F in [0, 1]; without it a warning is "
                        f"printed below {COVERAGE_WARNING}")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--example-input", metavar="FILE",
                        help=".safetensors of named example inputs with batch dimension "
                        "(names = forward arguments, or '0', '1', ... positional)")
    source.add_argument("--input-shape", metavar="S",
                        help="one example's shape without batch dimension, e.g. 3,32,32")
    parser.add_argument("--input-dtype", default="float32", metavar="D",
                        help="dtype of the --input-shape zero input (int64 for token ids)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the iid-null Monte Carlo")
    parser.add_argument("--trials", type=int, default=None,
                        help="iid-null trials per layer (default 200, capped by --null-budget)")
    parser.add_argument("--null-budget", type=int, default=None,
                        help="edge visits allowed per layer for the iid null (default 5e7)")
    add_json_arguments(parser, what="the audit")
    add_output_arguments(
        parser, metavar="DIR",
        out_help="also write a report folder (markdown, HTML, figures, CSV, JSON)",
        force_help="write --out into a non-empty folder: files topotheory did not write, "
        "or edited since, are kept as they are and listed on stderr",
    )
    add_progress_arguments(parser, quiet_help="nothing on stderr (no progress bar, no "
                           "progress lines)")
    parser.set_defaults(func=run)


def _say(args: argparse.Namespace, text: str) -> None:
    """A plain progress line on stderr (none with ``--quiet``); bars are drawn by
    :func:`topotheory.progress.progress_bar`, only on a terminal unless ``--progress``."""
    if not args.quiet:
        print(f"[audit] {text}", file=sys.stderr, flush=True)


def _inputs(args: argparse.Namespace, model: Any) -> dict[str, Any]:
    from topotheory.nn.audit.loading import example_from_shape, load_example_inputs

    if args.example_input is not None:
        if args.input_dtype != "float32":
            raise ValueError("--input-dtype applies to --input-shape only; the tensors in "
                             "--example-input carry their own dtype")
        return {"example_inputs": load_example_inputs(args.example_input, model)}
    return {"example_inputs": (example_from_shape(args.input_shape, args.input_dtype),)}


def run(args: argparse.Namespace) -> int:
    """Handler of ``topotheory audit``."""
    from pathlib import Path

    from topotheory.safe_input import check_checkpoint_file
    from topotheory.safe_output import validate_output_dir

    if not Path(args.weights).is_dir():  # before torch is even imported
        check_checkpoint_file(args.weights, argument="--weights")
    from topotheory.nn.audit.loading import example_from_shape

    if args.out is not None:  # before any computation
        validate_output_dir(args.out, force=args.force, argument="--out")
    elif args.force:
        raise ValueError("--force applies to --out only; drop it or give --out DIR")
    if args.input_shape is not None:
        example_from_shape(args.input_shape, args.input_dtype)  # validate before loading
    for name in ("trials", "null_budget"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1, got {value}")
    if args.min_coverage is not None and not 0.0 <= args.min_coverage <= 1.0:
        raise InputError("must be a fraction in [0, 1]", argument="--min-coverage",
                         value=args.min_coverage, fix="e.g. --min-coverage 0.9")
    from topotheory.nn.audit.checkpoint import load_checkpoint, load_reference, with_reference
    from topotheory.nn.audit.loading import load_factory, model_files
    from topotheory.nn.audit.model_audit import audit_model
    from topotheory.nn.audit.terminal import render_text
    from topotheory.user_code import calling_user_code

    _say(args, f"loading {args.weights}")
    model = load_factory(args.module)
    loaded = load_checkpoint(model, args.weights, key=args.key, strict=not args.non_strict,
                             mask=args.mask, zeros_are_pruned=args.zeros_are_pruned)
    if args.reference is not None:
        reference = load_reference(model, args.reference)
        loaded = with_reference(loaded, reference)
        for note in reference.notes:
            print(f"audit: --reference: {note}", file=sys.stderr)
    for note in loaded.notes():
        print(f"audit: {note}", file=sys.stderr)
    inputs = _inputs(args, model)
    _say(args, "tracing and measuring the model")
    options: dict[str, Any] = {"seed": args.seed, "not_loaded": loaded.report.not_loaded,
                               "pruned": loaded.pruned}
    if args.trials is not None:
        options["trials"] = args.trials
    if args.null_budget is not None:
        options["null_budget"] = args.null_budget
    try:
        with calling_user_code("the model's code", argument="--module", value=args.module,
                               user_files=model_files(model), all_errors=False,
                               fix="fix the model, or check the example input it is given"):
            result = audit_model(model, progress=False if args.quiet else args.progress,
                                 **inputs, **options)
    except ValueError as error:
        if isinstance(error, InputError) and error.argument == "--module":
            raise
        text = (str(error).replace("(input_shape)", "(--input-shape)")
                .replace("(example_inputs)", "(--example-input)")
                .replace("integer dtype for token ids", "--input-dtype int64 for token ids"))
        raise ValueError(text) from error
    _say(args, f"{len(result.layers)} layers measured in {result.timings['total']:.1f}s")
    threshold = COVERAGE_WARNING if args.min_coverage is None else args.min_coverage
    fraction = result.coverage.fraction
    result = replace(result, settings=replace(
        result.settings, loading=loaded.to_dict(),
        coverage_check={"threshold": threshold, "fraction": fraction,
                        "below": fraction < threshold,
                        "exit_on_failure": args.min_coverage is not None}))
    if args.out is not None:
        from topotheory.nn.audit.report_folder import write_report

        _say(args, f"writing the report to {args.out}")
        write_report(result, args.out, force=args.force)
    if not emit_json(args, result.to_dict()):
        sys.stdout.write(render_text(result))
    if fraction < threshold:
        print(f"audit: WARNING: the audit covers {100 * fraction:.2f}% of the model's "
              f"parameters, below {'--min-coverage ' if args.min_coverage is not None else ''}"
              f"{threshold} (the NOT covered lines say which modules and why)", file=sys.stderr)
        if args.min_coverage is not None:
            return 1
    return 0
