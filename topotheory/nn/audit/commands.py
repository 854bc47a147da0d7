"""``topotheory audit``: the paper's measurements on a user's trained model (CLI).

torch is imported inside the handler only, so ``topotheory --help`` stays torch-free.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["audit", "--module", "m:f", "--weights", "w.safetensors",
...                           "--input-shape", "3,32,32"])
>>> args.input_dtype, args.json
('float32', False)
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from topotheory.cli_args import add_output_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``audit`` subcommand."""
    parser = subparsers.add_parser(
        "audit",
        help="per-layer NP, TCCR, top-k/MST overlap vs bound and nulls of a trained torch model",
        description=(
            "Load a model (--module pkg.mod:factory) with its trained weights (--weights: "
            ".safetensors, or .pt/.pth read weights-only: pickled code is never executed) and "
            "report per layer: NP (paper and Rieck conventions), TCCR (formula, exact, "
            "parameter level), the top-k/MST overlap against Theorem 3.3's bound and the iid "
            "and hypergeometric nulls, and the parameters T-IMP must keep; per model: the "
            "largest compression that keeps every diagram and the paper's aggregate."
        ),
    )
    parser.add_argument("--module", required=True,
                        help="'pkg.module:factory' building the nn.Module (the current "
                        "directory is searched)")
    parser.add_argument("--weights", required=True,
                        help="trained weights: .safetensors, or .pt/.pth (weights-only)")
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
    parser.add_argument("--json", action="store_true", help="print strict JSON to stdout")
    add_output_arguments(
        parser, metavar="DIR",
        out_help="also write a report folder (markdown, HTML, figures, CSV, JSON)",
        force_help="write --out into a non-empty folder topotheory did not write "
        "(its files are never deleted)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


class _Progress:
    """Progress lines on stderr, shown only once the run is longer than a second."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.perf_counter()
        self.shown = False

    def __call__(self, i: int, n: int, name: str) -> None:
        elapsed = time.perf_counter() - self.start
        if self.quiet or elapsed < 1.0:
            return
        self.shown = True
        print(f"\raudit [{i + 1}/{n}] {name:<40.40} {elapsed:6.1f}s", end="", file=sys.stderr,
              flush=True)

    def step(self, text: str) -> None:
        elapsed = time.perf_counter() - self.start
        if not self.quiet and elapsed >= 1.0:
            self.shown = True
            print(f"\raudit: {text:<52.52} {elapsed:6.1f}s", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown and not self.quiet:
            print(f"\raudit: {time.perf_counter() - self.start:.1f}s" + " " * 60,
                  file=sys.stderr)
        self.shown = False


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
    from topotheory.nn.audit.loading import example_from_shape
    from topotheory.safe_output import validate_output_dir

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
    progress = _Progress(args.quiet)
    from topotheory.nn.audit.loading import apply_state_dict, load_factory, load_state_dict
    from topotheory.nn.audit.model_audit import audit_model
    from topotheory.nn.audit.terminal import render_json, render_text

    state = load_state_dict(args.weights)
    model = load_factory(args.module)
    apply_state_dict(model, state)
    del state
    inputs = _inputs(args, model)
    progress.step("tracing the model")
    options: dict[str, Any] = {"seed": args.seed}
    if args.trials is not None:
        options["trials"] = args.trials
    if args.null_budget is not None:
        options["null_budget"] = args.null_budget
    try:
        result = audit_model(model, progress=progress, **inputs, **options)
    except ValueError as error:
        text = (str(error).replace("(input_shape)", "(--input-shape)")
                .replace("(example_inputs)", "(--example-input)")
                .replace("integer dtype for token ids", "--input-dtype int64 for token ids"))
        raise ValueError(text) from error
    finally:
        progress.done()
    if args.out is not None:
        from topotheory.nn.audit.report_folder import write_report

        progress.step("writing the report")
        write_report(result, args.out, force=args.force)
        progress.done()
    sys.stdout.write(render_json(result) if args.json else render_text(result))
    return 0
