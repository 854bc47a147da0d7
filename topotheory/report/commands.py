"""``topotheory report --out DIR [--profile quick|deep]``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="topotheory")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["report", "--out", "r"])
>>> args.profile, args.figures, args.formats
('quick', True, ('png',))
>>> parser.parse_args(["report", "--out", "r", "--format", "png,svg"]).formats
('png', 'svg')
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from topotheory.cli_args import add_output_arguments, add_progress_arguments

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``report`` to the ``topotheory`` command."""
    from topotheory.report.profiles import PROFILES

    p = subparsers.add_parser(
        "report",
        help="generate the bound-vs-simulation report (markdown, HTML, figures, data)",
        description="Build the report into --out: report.md, report.html (self-contained), "
        "figures/*.png, data/*.csv|json and provenance.json.",
    )
    add_output_arguments(
        p,
        required=True,
        out_help="output folder: new, empty, or an earlier report (created if missing; "
        "built in a staging folder and swapped in at the end)",
        force_help="write into a non-empty folder: files topotheory did not write, or "
        "that were edited since it wrote them, are kept as they are and listed on stderr "
        "(never replaced or deleted)",
    )
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="quick",
        help="how much to compute (default: quick, a few minutes)",
    )
    p.add_argument(
        "--only", nargs="+", metavar="SECTION",
        help="build only these section ids and keep the other sections' files of an earlier "
        "report in --out (default: all)"
    )
    p.add_argument(
        "--no-figures",
        dest="figures",
        action="store_false",
        help="data-only: skip matplotlib and the PNG figures",
    )
    p.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=("png",),
        metavar="FMT[,FMT]",
        help="figure files to write: png or png,svg (default: png; the HTML embeds PNG)",
    )
    add_progress_arguments(p, quiet_help="no progress output on stderr")
    p.add_argument("--claims-from", action="append", metavar="MODULE", default=[],
                   help="also verify the claims registered by MODULE (see docs/extending.md)")
    p.add_argument("--claims-doc", metavar="CLAIMS.md", default=None,
                   help="rewrite the generated claims table of this file (docs/claims.md) "
                   "from the verdicts of this build")
    p.set_defaults(func=_run)


def _formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    if not formats or any(f not in ("png", "svg") for f in formats) or "png" not in formats:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use png or png,svg (PNG is always written: the HTML embeds it)"
        )
    return formats


def _run(args: argparse.Namespace) -> int:
    from topotheory.report.build import build_report

    command = (
        "topotheory report " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "topotheory report"
    )
    result = build_report(
        args.out,
        args.profile,
        figures=args.figures,
        only=args.only,
        show_progress=not args.quiet,
        progress=None if args.quiet else args.progress,
        formats=args.formats,
        command=command,
        claims_from=args.claims_from,
        claims_doc=args.claims_doc,
        force=args.force,
    )
    for s in result.sections:
        note = "; ".join(m.reason for m in s.missing)
        print(f"{s.id:18s} {s.status:12s} {note}")
    print(f"wrote {result.out / 'report.html'} in {result.provenance['seconds_total']:.1f} s")
    return 0
