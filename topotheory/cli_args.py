"""Argument helpers shared by the subcommands: whole-number options, ``--out``/``--force``,
``--progress``/``--quiet``.

Each subcommand keeps its own help texts and error wording; what is shared is the parsing
and the flags' contract (``--out`` is checked by
:func:`topotheory.safe_output.validate_output_dir`, ``--progress`` is tri-state).

Examples
--------
>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_output_arguments(p, out_help="result folder", force_help="overwrite")
>>> add_progress_arguments(p, quiet_help="silence")
>>> args = p.parse_args(["--out", "r", "--quiet"])
>>> args.out, args.force, args.progress, args.quiet
('r', False, None, True)
>>> parse_whole_number("7", minimum=1, not_whole="{text!r}?", too_small="{value} < {minimum}")
7
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "add_output_arguments",
    "add_progress_arguments",
    "benchmark_main",
    "parse_whole_number",
]


def parse_whole_number(text: str, *, minimum: int, not_whole: str, too_small: str) -> int:
    """``int(text)`` when it is at least ``minimum``, for an argparse ``type=``.

    Parameters
    ----------
    text : str
        The option's value as given.
    minimum : int
        The smallest value accepted.
    not_whole, too_small : str
        Messages of the :class:`argparse.ArgumentTypeError` raised when ``text`` is not a
        whole number or is below ``minimum``; :meth:`str.format` fields ``text``, ``value``
        and ``minimum``.

    Returns
    -------
    int

    Examples
    --------
    >>> parse_whole_number("-1", minimum=0, not_whole="{text!r} is not a whole number",
    ...                    too_small="{value} is below {minimum}")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: -1 is below 0
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(not_whole.format(text=text, minimum=minimum)) from None
    if value < minimum:
        raise argparse.ArgumentTypeError(
            too_small.format(text=text, value=value, minimum=minimum)
        )
    return value


def add_output_arguments(
    parser: argparse.ArgumentParser,
    *,
    out_help: str,
    force_help: str,
    required: bool = False,
    metavar: str | None = None,
) -> None:
    """Add ``--out`` (an output folder, default ``None``) and ``--force`` (write into a
    non-empty one) to ``parser``.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_output_arguments(p, out_help="folder", force_help="overwrite", required=True)
    >>> p.parse_args(["--out", "r", "--force"]).force
    True
    """
    parser.add_argument("--out", required=required, default=None, metavar=metavar,
                        help=out_help)
    parser.add_argument("--force", action="store_true", help=force_help)


def add_progress_arguments(parser: argparse.ArgumentParser, *, quiet_help: str) -> None:
    """Add ``--progress`` (bars even off a terminal; default ``None`` = only on a terminal)
    and ``--quiet`` to ``parser``.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_progress_arguments(p, quiet_help="no progress on stderr")
    >>> p.parse_args(["--progress"]).progress, p.parse_args([]).progress
    (True, None)
    """
    parser.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="progress bars on stderr even when it is not a terminal (default: only on a terminal)",
    )
    parser.add_argument("--quiet", action="store_true", help=quiet_help)


def benchmark_main(
    argv: Sequence[str] | None,
    run: Callable[..., dict[str, Any]],
    *,
    description: str,
    prog: str | None = None,
    indent: int = 2,
    **whole_number_options: int,
) -> int:
    """Command-line entry of a benchmark script: one ``--name`` whole-number option per
    keyword of ``whole_number_options`` (its default value), passed to ``run`` by name;
    prints ``run``'s result as JSON and returns 0.

    Examples
    --------
    >>> benchmark_main(["--size", "3"], lambda size, repeat: {"cells": size * repeat},
    ...                description="toy", size=2, repeat=5)
    {
      "cells": 15
    }
    0
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    for name, default in whole_number_options.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    args = parser.parse_args(argv)
    import sys

    from topotheory.jsonout import dumps_strict

    sys.stdout.write(dumps_strict(run(**vars(args)), indent=indent))
    return 0
