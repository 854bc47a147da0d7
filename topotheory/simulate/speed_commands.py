"""CLI subcommand ``topotheory bench``: the speed curve of the topology core and the Monte
Carlo overlap kernel (:mod:`topotheory.simulate.speed_curve`), as same-run ratios.

It lives in ``simulate`` because the curve times both the topology core and the simulate
kernels, and a package imports only lower layers (tests/test_layers.py).
"""

from __future__ import annotations

import argparse
from typing import Any

from topotheory.jsonout import add_json_arguments, emit_json


def register(subparsers: Any) -> None:
    """Add ``bench`` to the ``topotheory`` command."""
    b = subparsers.add_parser(
        "bench", help="speed curve of the topology core (same-run ratios to scipy and to "
        "one abs-max pass)",
    )
    b.add_argument("--quick", action="store_true",
                   help="the quick curve (dense up to 512x512; well under a minute)")
    b.add_argument("--check", action="store_true",
                   help="exit 1 when a point falls below its floor ratio")
    add_json_arguments(b, what="the timings")
    b.set_defaults(func=_run_bench)


def _run_bench(args: argparse.Namespace) -> int:
    import sys

    from topotheory.simulate.speed_curve import (
        FULL_FLOORS,
        QUICK_FLOORS,
        check_curve,
        format_rows,
        run_curve,
    )

    floors = QUICK_FLOORS if args.quick else FULL_FLOORS
    rows = run_curve(quick=args.quick)
    failures = check_curve(rows, floors)
    summary = {"curve": rows, "floors": floors, "failures": failures, "checked": args.check}
    if not emit_json(args, summary):
        print(format_rows(rows, floors))
    for failure in failures:
        print(f"topotheory bench: below the floor: {failure}", file=sys.stderr)
    return 1 if failures and args.check else 0
