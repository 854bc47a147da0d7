"""The ``topotheory verify`` subcommand (same options as ``python -m proofs_check``)."""

from __future__ import annotations

import signal
from typing import Any

from proofs_check.arguments import add_arguments
from topotheory._entry import signals_deferred


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
    parser.set_defaults(func=_run_from_args)


def _run_from_args(args: Any) -> int:
    # The registry and the checks are imported only to run (``--help`` stays light), with
    # SIGINT held as for the command's other imports: sympy's mpmath swallows a Ctrl-C that
    # lands in its ``try: import gmpy2 except: pass``.
    with signals_deferred(signal.SIGINT):
        from proofs_check.runner import run_from_args

    return run_from_args(args)
