"""The ``topotheory verify`` subcommand (same options as ``python -m proofs_check``)."""

from __future__ import annotations

from typing import Any

from proofs_check.runner import add_arguments, run_from_args


def register(subparsers: Any) -> None:
    """Add ``verify`` to the ``topotheory`` command.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser().add_subparsers()
    >>> register(sub)
    """
    parser = subparsers.add_parser(
        "verify",
        help="check the paper's claims and print the verdict table",
        description="Check every registered claim (or --claim ID ...) and print the verdict "
        "table; refuted claims are results (exit 0); exit 1 only when --expect finds a "
        "changed verdict, 3 when a check crashed.",
    )
    add_arguments(parser)
    parser.set_defaults(func=run_from_args)
