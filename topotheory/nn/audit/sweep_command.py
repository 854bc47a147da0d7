"""``topotheory audit`` over several checkpoints: the sweep's command-line handler.

Called by :func:`topotheory.nn.audit.commands.run` when ``--weights`` names several
checkpoints, or with ``--run``/``--glob``. Prints the long curve table (or ``--json``),
writes ``--out``; progress: a bar over the checkpoints on a terminal, otherwise one plain
``[audit] i/N label`` line per finished checkpoint (none with ``--quiet``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from topotheory.errors import InputError

__all__ = ["run_sweep", "sweep_sources_of"]


def sweep_sources_of(args: argparse.Namespace) -> tuple[Any, ...]:
    """The checkpoints the arguments name, in the sweep's order."""
    from topotheory.nn.audit.sweep_sources import (
        sources_from_glob,
        sources_from_paths,
        sources_from_run,
    )

    if args.run is not None:
        return sources_from_run(args.run)
    if args.glob is not None:
        return sources_from_glob(args.glob, order=args.order_by)
    if args.order_by != "natural":
        raise InputError("applies to --glob", argument="--order-by", value=args.order_by,
                         fix="drop it: --weights keeps the order given")
    return sources_from_paths(args.weights)


def _memory_per_task(args: argparse.Namespace) -> int | None:
    """--max-memory for each task; without it, local workers share this process's limit."""
    from topotheory import limits

    if getattr(args, "max_memory", None):
        return limits.parse_size(args.max_memory)
    if args.scheduler is not None:
        return None  # each dask worker keeps its own default
    return max(limits.memory_limit_bytes() // args.jobs, 64 << 20)


def run_sweep(args: argparse.Namespace) -> int:
    """Handler of a sweep (see the module docstring); exit 1 when ``--min-coverage`` fails
    on any checkpoint."""
    from topotheory.jsonout import emit_json
    from topotheory.nn.audit.sweep import audit_sweep
    from topotheory.nn.audit.sweep_report import render_sweep_text, write_sweep_report
    from topotheory.progress import progress_bar, progress_enabled
    from topotheory.provenance import run_record

    if args.mask is not None:
        raise InputError("applies to one checkpoint", argument="--mask", value=args.mask,
                         fix="audit each checkpoint with its mask separately, or save the "
                         "masked weights (open_lth level folders bring their masks)")
    if args.jobs > 1 and args.scheduler is not None:
        raise InputError("--jobs and --scheduler are two executors", argument="--jobs",
                         value=args.jobs, fix="drop --jobs: the dask cluster's workers run "
                         "the checkpoints")
    sources = sweep_sources_of(args)
    quiet = args.quiet
    bar_on = not quiet and progress_enabled(args.progress)
    if not quiet:
        where = (f"on {args.scheduler}" if args.scheduler else
                 f"in {args.jobs} worker processes" if args.jobs > 1 else "in this process")
        print(f"[audit] sweep of {len(sources)} checkpoints {where}", file=sys.stderr,
              flush=True)
    finished = [0]
    with progress_bar(total=len(sources), desc="audit sweep", unit="checkpoint",
                      progress=bar_on) as bar:
        def done(audit: Any) -> None:
            finished[0] += 1
            bar.update()
            if not quiet and not bar_on:
                print(f"[audit] {finished[0]}/{len(sources)} {audit.label} "
                      f"({audit.result.timings.get('task', 0.0):.1f}s)", file=sys.stderr,
                      flush=True)

        sweep = audit_sweep(
            args.module, sources, input_shape=args.input_shape,
            example_input=args.example_input, input_dtype=args.input_dtype, key=args.key,
            strict=not args.non_strict, zeros_are_pruned=args.zeros_are_pruned,
            reference=args.reference,
            seed=args.seed, trials=args.trials, null_budget=args.null_budget,
            alpha=args.alpha, jobs=args.jobs, scheduler=args.scheduler,
            max_memory=_memory_per_task(args), done=done,
            run=run_record(getattr(args, "argv", None)))
    if args.out is not None:
        if not quiet:
            print(f"[audit] writing the sweep report to {args.out}", file=sys.stderr)
        write_sweep_report(sweep, args.out, force=args.force)
    if not emit_json(args, sweep.to_dict()):
        sys.stdout.write(render_sweep_text(sweep))
    from topotheory.nn.audit.commands import COVERAGE_WARNING

    threshold = COVERAGE_WARNING if args.min_coverage is None else args.min_coverage
    below = [c for c in sweep.checkpoints if c.result.coverage.fraction < threshold]
    if below:
        print(f"audit: WARNING: {len(below)} checkpoints are covered below {threshold} "
              f"(e.g. {below[0].label}: {100 * below[0].result.coverage.fraction:.2f}%)",
              file=sys.stderr)
        if args.min_coverage is not None:
            return 1
    return 0
