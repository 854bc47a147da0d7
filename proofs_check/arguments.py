"""The options of ``python -m proofs_check`` and ``topotheory verify``.

Declaring them imports neither sympy nor the claim registry, so ``topotheory --help`` and
``topotheory verify --help`` stay fast; ``--expect`` loads its file (and the registry) only
when it is given. The checks themselves run in :mod:`proofs_check.runner`.
"""

from __future__ import annotations

import argparse
from typing import Any

from proofs_check.profiles import PROFILES
from topotheory.nn.data_args import add_data_arguments

__all__ = ["add_arguments"]


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer; give a seed >= 0") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; give a seed >= 0 (e.g. --seed 0)")
    return value


def _expect_file(text: str) -> dict[str, Any]:
    """Load and check a --expect file at parse time (before any check runs)."""
    from proofs_check.verdict_file import load_verdict_file  # the claim registry: only when given

    try:
        return load_verdict_file(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix(f"--expect {text}: ")) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options shared by ``python -m proofs_check`` and ``topotheory verify``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The parser to extend (``--claim``, ``--profile``, ``--seed``, ``--json``, ``--expect``,
        the data options, ``--power``, ...).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> parser.parse_args(["--claim", "mst-size", "--seed", "3"]).seed
    3
    """
    parser.add_argument("--claim", action="extend", nargs="+", metavar="ID", default=None,
                        help="check only these claims (--claim A B, or repeated); default: all")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                        help="search effort (default quick: a few minutes on 2 cores)")
    parser.add_argument("--seed", type=_seed, default=0,
                        help="seed of every search, an integer >= 0 (default 0)")
    parser.add_argument("--json", nargs="?", const=True, default=False, metavar="PATH",
                        help='print {"claims": [...]} as JSON on stdout (the table goes to '
                        "stderr); the old form --json PATH still writes a file but is "
                        "deprecated: use --json-out PATH")
    parser.add_argument("--json-out", metavar="PATH", default=None,
                        help='write {"claims": [...]} to PATH (atomically)')
    parser.add_argument("--expect", metavar="VERDICTS.json", type=_expect_file,
                        help="regression mode: exit 1 if a claim or variant is missing, added "
                        "or renamed, a verdict differs, or a number moved beyond its claim's "
                        "tolerance (exit 2 for an empty or foreign file)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--timings", action="store_true",
                        help="add the run-dependent wall-clock seconds per check to the JSON "
                        "(under 'timings'; without it the JSON is byte-identical per seed)")
    parser.add_argument("--claims-from", action="append", metavar="MODULE", default=[],
                        help="import MODULE (dotted name, or path to a .py file) first: its "
                        "claims run next to the paper's (repeatable; see docs/extending.md)")
    add_data_arguments(
        parser, data_dir_metavar="DIR",
        dataset_help="data of the trained claims: mnist = the vendored real MNIST digits, "
        "8,000/2,000 (default); digits = scikit-learn's 8x8 digits upsampled to 28x28 (not "
        "MNIST)",
        data_dir_help="with --dataset mnist: read the four MNIST IDX files in DIR (e.g. the "
        "full 60,000/10,000 set) instead of the vendored ones",
    )
    parser.add_argument("--power", action="store_true",
                        help="run each claim's registered false twins through the same check "
                        "and report whether each was caught (refuted)")
    parser.add_argument("--numerics-check", action="store_true",
                        help="run the trained claims (or --claim ...) under native, AVX2-only "
                        "and single-thread CPU numerics, each in a subprocess; print each "
                        "verdict and its decisive margin in units of the declared tolerance; "
                        "exit 1 naming any claim/variant whose verdict differs (minutes)")
