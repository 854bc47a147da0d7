"""The ``topotheory`` command: a thin shell over the library.

Each area of the library contributes its subcommands through a module that
defines ``register(subparsers)``; they are listed in :data:`COMMAND_MODULES`
and imported lazily, so ``topotheory --help`` never imports torch.

Examples
--------
>>> from topotheory.cli import build_parser
>>> parser = build_parser()
>>> parser.prog
'topotheory'
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: Modules that define ``register(subparsers)``; each adds its own subcommands.
COMMAND_MODULES: tuple[str, ...] = (
    "topotheory.topology.commands",
    "topotheory.simulate.commands",
    "proofs_check.commands",
    "topotheory.nn.prune_commands",
    "topotheory.nn.commands",
    "topotheory.nn.audit.commands",
    "topotheory.report.commands",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each subcommand sets ``func`` to its handler.

    Examples
    --------
    >>> "np" in build_parser().format_help()
    True
    """
    parser = argparse.ArgumentParser(
        prog="topotheory",
        description="Verification suite for zeroth-order topology in pruned neural networks.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status.

    Examples
    --------
    >>> main(["--help"])  # doctest: +SKIP
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
    except (ValueError, TypeError, FileNotFoundError) as error:
        print(f"topotheory {args.command}: error: {error}", file=sys.stderr)
        return 2
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
