"""The ``topotheory`` command: a thin shell over the library.

Each area of the library contributes its subcommands through a module that
defines ``register(subparsers)``; they are listed in :data:`COMMAND_MODULES`
and imported lazily, so ``topotheory --help`` never imports torch.

Exit status (the error boundary in :func:`main`):

* ``0`` success (a subcommand may return ``1`` for a negative result, e.g. ``verify
  --expect`` finding a changed verdict);
* ``2`` bad input of any kind -- one line naming the argument, the value and the fix;
* ``3`` a bug in topotheory -- a one-line summary; the traceback only with ``--debug``;
* ``130`` interrupted by Ctrl-C (``143`` by SIGTERM) -- no traceback, and outputs are
  written atomically, so nothing is left half-written.

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
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from topotheory._entry import EXIT_INTERRUPTED, interrupted, signals_deferred
from topotheory.errors import InputError, shorten
from topotheory.jsonout import json_only_stdout

__all__ = [
    "COMMAND_MODULES",
    "COMMAND_OWNERS",
    "EXIT_BAD_INPUT",
    "EXIT_BUG",
    "EXIT_INTERRUPTED",
    "build_parser",
    "command_of",
    "main",
]

#: Modules that define ``register(subparsers)``; each adds its own subcommands.
COMMAND_MODULES: tuple[str, ...] = (
    "topotheory.topology.commands",
    "topotheory.simulate.commands",
    "topotheory.simulate.speed_commands",
    "proofs_check.commands",
    "topotheory.nn.prune_commands",
    "topotheory.nn.commands",
    "topotheory.nn.audit.commands",
    "topotheory.report.commands",
)

#: The module that registers each subcommand, so that a run imports only its own
#: command's module (``topotheory audit`` never loads numba, sympy or the claim registry
#: before it reads its input). A test checks it against the registrations.
COMMAND_OWNERS: dict[str, str] = {
    "np": "topotheory.topology.commands",
    "bench": "topotheory.simulate.speed_commands",
    "simulate": "topotheory.simulate.commands",
    "verify": "proofs_check.commands",
    "prune": "topotheory.nn.prune_commands",
    "timp-preserves": "topotheory.nn.prune_commands",
    "imp-overlap-trained": "topotheory.nn.prune_commands",
    "np-grows": "topotheory.nn.prune_commands",
    "accuracy-sparsity": "topotheory.nn.prune_commands",
    "tccr": "topotheory.nn.commands",
    "audit": "topotheory.nn.audit.commands",
    "report": "topotheory.report.commands",
}

EXIT_BAD_INPUT = 2
EXIT_BUG = 3
EXIT_TERMINATED = 143

_DEBUG_HELP = "on an internal error, print the full traceback (for bug reports)"
_THREADS_HELP = (
    "CPU threads for training and evaluating the zoo nets (default 1, or "
    "$TOPOTHEORY_THREADS): the nets are tiny, more threads mostly add contention"
)
_MAX_MEMORY_HELP = (
    "memory limit for inputs read from you, e.g. 8G (default: half the available memory, "
    "or $TOPOTHEORY_MAX_MEMORY); inputs needing more are refused before allocating"
)


def _size(text: str) -> int:
    from topotheory.limits import parse_size

    try:
        return parse_size(text)
    except InputError as error:
        shown = shorten(repr(text), 40)
        shown += f" ({len(text)} characters)" if shown != repr(text) else ""
        raise argparse.ArgumentTypeError(f"{shown}: {error.problem}; {error.fix}") from None


def _threads(text: str) -> int:
    from topotheory.threads import parse_threads

    try:
        return parse_threads(text, argument="--threads")
    except InputError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error.problem}; {error.fix}") from None


class Terminated(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM, so cleanup runs as for Ctrl-C."""


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows ``(default: ...)`` for every option that has a default not already in its help."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "default" in text.lower() or action.default in (None, False, argparse.SUPPRESS):
            return text
        if isinstance(action, (argparse._StoreConstAction, argparse._AppendAction)) and not (
            action.default
        ):
            return text
        return super()._get_help_string(action)


def _walk(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from _walk(child)


def command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (after the global options), if any.

    Examples
    --------
    >>> command_of(["--max-memory", "1G", "--debug", "audit", "--json"])
    'audit'
    >>> command_of(["--help"]) is None
    True
    """
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--max-memory":
            skip = True
        elif token == "--":
            return None
        elif not token.startswith("-"):
            return token
    return None


def _version_only(argv: Sequence[str]) -> bool:
    """Whether ``argv`` asks for ``--version`` (before any ``-h`` and without a command):
    the answer needs no subcommand, so none is imported.

    Examples
    --------
    >>> _version_only(["--debug", "--version"]), _version_only(["--help", "--version"])
    (True, False)
    """
    if command_of(argv) is not None:
        return False
    for token in argv:
        if token in ("-h", "--help", "--"):
            return False
        if token == "--version":
            return True
    return False


def build_parser(command: str | None = None, *, subcommands: bool = True) -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand (or, given a known
    ``command``, with that one only: nothing else is imported; with ``subcommands=False``,
    with the global options only, enough for ``--version``).

    Returns
    -------
    argparse.ArgumentParser
        The parser; each subcommand sets ``func`` to its handler.

    Examples
    --------
    >>> "np" in build_parser().format_help()
    True
    """
    from topotheory import __version__

    parser = argparse.ArgumentParser(
        prog="topotheory",
        description="Verification suite for zeroth-order topology in pruned neural networks.",
        epilog="Exit status: 0 ok, 2 bad input, 3 internal error (rerun with --debug), "
        "130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"topotheory {__version__}")
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    parser.add_argument("--max-memory", metavar="SIZE", type=_size, default=None,
                        help=_MAX_MEMORY_HELP)
    parser.add_argument("--threads", metavar="N", type=_threads, default=None,
                        help=_THREADS_HELP)
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", help="run 'topotheory COMMAND --help' for its options"
    )
    subparsers.required = True
    owner = COMMAND_OWNERS.get(command or "")
    for module_name in () if not subcommands else (owner,) if owner else COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    for sub in _walk(parser):
        if sub is parser:
            continue
        sub.formatter_class = _HelpFormatter
        if not any("--debug" in a.option_strings for a in sub._actions):
            sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help=_DEBUG_HELP)
        if not any("--max-memory" in a.option_strings for a in sub._actions):
            sub.add_argument("--max-memory", metavar="SIZE", type=_size,
                             default=argparse.SUPPRESS, help=_MAX_MEMORY_HELP)
        if not any("--threads" in a.option_strings for a in sub._actions):
            sub.add_argument("--threads", metavar="N", type=_threads,
                             default=argparse.SUPPRESS, help=_THREADS_HELP)
        sub.set_defaults(_cli_parser=sub)
    return parser


def _flag_for(parser: argparse.ArgumentParser | None, argument: str) -> str:
    """The CLI spelling of a library argument name (``w_max`` -> ``--w-max``)."""
    if parser is None or argument.startswith("-"):
        return argument
    key = argument.strip().replace("-", "_")
    for action in parser._actions:
        if action.dest != key:
            continue
        if action.option_strings:
            return max(action.option_strings, key=len)
        return str(action.metavar or action.dest).upper()
    return argument


def _describe(error: BaseException, parser: argparse.ArgumentParser | None) -> str:
    if isinstance(error, InputError):
        fix = error.cli_fix or None
        return str(error.with_argument(_flag_for(parser, error.argument), fix=fix))
    if isinstance(error, OSError):
        what = error.strerror or str(error)
        where = f": {error.filename}" if error.filename else ""
        return f"{what}{where}"
    if isinstance(error, MemoryError):
        return "out of memory; use smaller sizes (see --help for the size limits)"
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0] if text.count("\n") > 20 else text


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, _raise)
    except (ValueError, OSError):  # pragma: no cover
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: Subcommands that run hypothesis searches (the claim checks).
_COMMANDS_USING_HYPOTHESIS = frozenset({"verify", "report"})


@contextmanager
def _command_environment(args: argparse.Namespace) -> Iterator[None]:
    """Per-command settings: the memory limit, the thread count (``TOPOTHEORY_THREADS``
    checked here, before any work), output paths checked before any work, and
    hypothesis's storage kept out of the user's directory."""
    from topotheory import limits, threads
    from topotheory.hypothesis_storage import hypothesis_storage_outside_cwd
    from topotheory.safe_output import is_stdout, validate_output_file

    limits.environment_limit()  # a malformed TOPOTHEORY_MAX_MEMORY: exit 2, before any work
    json_out = getattr(args, "json_out", None)
    if json_out is not None and is_stdout(json_out) and isinstance(getattr(args, "json", None),
                                                                    bool):
        args.json, args.json_out = True, None  # --json-out - is --json
    elif json_out is not None:
        validate_output_file(json_out, argument="--json-out")
    threads.resolve_threads()  # a bad TOPOTHEORY_THREADS is exit 2 before any work
    previous_limit, previous_threads = limits._override, threads._override
    if getattr(args, "max_memory", None):
        limits.set_memory_limit(args.max_memory)
    if getattr(args, "threads", None):
        threads.set_threads(args.threads)
    try:
        if getattr(args, "command", None) in _COMMANDS_USING_HYPOTHESIS:
            with hypothesis_storage_outside_cwd():
                yield
        else:
            yield
    finally:
        limits._override = previous_limit
        threads._override = previous_threads


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status.

    Examples
    --------
    >>> main(["np", "missing.npy"])  # doctest: +SKIP
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _usable_std_streams():
        return EXIT_BAD_INPUT
    debug = "--debug" in argv
    prog = "topotheory"
    parser_of_command: argparse.ArgumentParser | None = None
    try:
        with _sigterm_as_interrupt():
            with signals_deferred(signal.SIGINT):  # a Ctrl-C while importing the command:
                # raised after the imports (a module swallowing it cannot lose it)
                parser = build_parser(command_of(argv), subcommands=not _version_only(argv))
            args = parser.parse_args(argv)
            args.argv = tuple(argv)  # the command line as given (provenance of outputs)
            parser_of_command = getattr(args, "_cli_parser", None)
            prog = parser_of_command.prog if parser_of_command is not None else prog
            debug = bool(getattr(args, "debug", debug))
            with _command_environment(args), json_only_stdout(_prints_json(args)):
                status = args.func(args)
            sys.stdout.flush()
    except Terminated:
        print(f"{prog}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        return interrupted(prog)
    except SystemExit as exit_:  # argparse errors (2), --help/--version (0)
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_BAD_INPUT)
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except (ValueError, TypeError, OSError, MemoryError) as error:
        if debug:
            traceback.print_exc()
        print(f"{prog}: error: {_describe(error, parser_of_command)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the boundary: every other error is our bug
        if debug:
            traceback.print_exc()
        summary = _describe(error, None).splitlines()[0][:300]
        print(
            f"{prog}: internal error ({type(error).__name__}: {summary}); this is a bug in "
            "topotheory -- rerun with --debug for the traceback and please report it",
            file=sys.stderr,
        )
        return EXIT_BUG
    return int(status or 0)


def _prints_json(args: argparse.Namespace) -> bool:
    return getattr(args, "json", False) is True


def _usable_std_streams() -> bool:
    """A closed stderr (``2>&-``) becomes the null device, so no message ever lands on
    stdout; a closed stdout (``>&-``) is refused (exit 2) before any work."""
    import os

    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the run
    if sys.stdout is None:
        print("topotheory: error: stdout (standard output) is closed; run with it open, or "
              "send it to a file or /dev/null (topotheory ... > out.txt)", file=sys.stderr)
        return False
    return True


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
