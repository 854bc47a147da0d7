"""``topotheory verify``: placeholder registration until the claim runner lands."""

from __future__ import annotations

from typing import Any


def register(subparsers: Any) -> None:
    """Add ``verify`` to the ``topotheory`` command."""
    p = subparsers.add_parser("verify", help="run the claim checks and print the verdict table")
    p.set_defaults(func=_run)


def _run(args: Any) -> int:
    raise ValueError("the claim runner is not installed in this build")
