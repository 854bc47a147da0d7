"""The start of every command-line entry: Ctrl-C is exit 130 from our first line on.

``python -m topotheory``, the ``topotheory`` command and ``python -m proofs_check`` start in
:func:`run_entry`: it drops the working folder from the front of ``sys.path`` (a user's
``numpy.py`` or ``signal.py`` there never shadows the real one), then imports the command
with SIGINT *deferred* (:class:`signals_deferred`): a Ctrl-C during the imports is held
and raised as ``KeyboardInterrupt`` once they are done, so it is never raised inside a
third-party module that swallows it (mpmath, imported by sympy, tries ``import gmpy2``
inside a bare ``except:``; a Ctrl-C landing there was lost and the run went on). The
entry's ``__main__`` catches that ``KeyboardInterrupt``, and any raised before the
deferral is in place, as exit 130 without a traceback (:func:`interrupted`), as the CLI's
error boundary does.

This module imports only ``os`` and ``sys`` (loaded by Python itself) until the working
folder is dropped.

Examples
--------
>>> import signal
>>> got = []
>>> previous = signal.signal(signal.SIGUSR1, lambda signum, frame: got.append("delivered"))
>>> with signals_deferred(signal.SIGUSR1):
...     signal.raise_signal(signal.SIGUSR1)  # held until the block ends
...     got.append("still running")
>>> got
['still running', 'delivered']
>>> _ = signal.signal(signal.SIGUSR1, previous)
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType

__all__ = ["EXIT_INTERRUPTED", "drop_working_folder_from_front", "interrupted", "run_entry",
           "signals_deferred"]

EXIT_INTERRUPTED = 130


def drop_working_folder_from_front() -> None:
    """Remove the working folder that ``python -m`` puts first on ``sys.path``.

    Called first by every entry (:func:`run_entry`): a user's ``numpy.py`` (or
    ``torch.py``) in the working folder must never be imported in place of the installed
    package. User modules are still found there, searched last
    (:func:`topotheory.user_code.import_user_module`).

    Examples
    --------
    >>> saved = list(sys.path); sys.path.insert(0, "")
    >>> drop_working_folder_from_front(); sys.path == saved
    True
    """
    if sys.path and sys.path[0] in ("", ".", os.getcwd()):
        del sys.path[0]


def interrupted(prog: str) -> int:
    """Say that ``prog`` was interrupted (on stderr, no traceback); return exit status 130.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     status = interrupted("topotheory")
    >>> status, err.getvalue()
    (130, '\\ntopotheory: interrupted (nothing half-written is left behind)\\n')
    """
    print(f"\n{prog}: interrupted (nothing half-written is left behind)", file=sys.stderr)
    return EXIT_INTERRUPTED


class signals_deferred:  # noqa: N801 - used as a function: ``with signals_deferred():``
    """Hold SIGINT and SIGTERM (or the ``signums`` given) during a block (main thread only).

    The first signal received is delivered when the block ends, to the handler that was
    in place before: Python's SIGINT handler raises ``KeyboardInterrupt`` there; a
    default action (``SIG_DFL``) is taken then; an ignored signal stays ignored. A plain
    class, not :func:`contextlib.contextmanager`, so that the entry imports nothing from
    the working folder before it is dropped.

    Parameters
    ----------
    *signums : int
        The signals to hold (default SIGINT and SIGTERM).

    Examples
    --------
    >>> import signal
    >>> with signals_deferred(signal.SIGTERM):
    ...     pass  # nothing received: nothing delivered
    """

    def __init__(self, *signums: int) -> None:
        import signal

        self._signal = signal
        self._signums = signums or (signal.SIGINT, signal.SIGTERM)
        self._previous: dict[int, Any] = {}
        self._received: list[tuple[int, Any]] = []

    def _hold(self, signum: int, frame: Any) -> None:
        self._received.append((signum, frame))

    def __enter__(self) -> signals_deferred:
        import threading

        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in self._signums:
            try:
                self._previous[signum] = self._signal.signal(signum, self._hold)
            except (ValueError, OSError):  # pragma: no cover - not in the main interpreter
                pass
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for signum, handler in self._previous.items():
            self._signal.signal(signum, handler)
        for signum, frame in self._received[:1]:
            handler = self._previous.get(signum)
            if callable(handler):
                handler(signum, frame)
            elif handler == self._signal.SIG_DFL:
                self._signal.raise_signal(signum)


def run_entry(target: str, *, prog: str, argv: Sequence[str] | None = None) -> int:
    """Start the entry ``target`` (``"module:function"``) and return its exit status.

    The working folder is dropped from the front of ``sys.path`` first; the target's
    module is imported with SIGINT deferred (a Ctrl-C there raises ``KeyboardInterrupt``
    once the imports are done, for the caller to turn into :func:`interrupted`); then
    ``function(argv)`` runs.

    Examples
    --------
    >>> saved = list(sys.path)
    >>> run_entry("topotheory.cli:main", prog="topotheory", argv=["--version"])
    topotheory 0.1.0
    0
    >>> sys.path[:] = saved
    """
    drop_working_folder_from_front()
    import importlib
    import signal

    with signals_deferred(signal.SIGINT):
        module_name, _, function = target.partition(":")
        main = getattr(importlib.import_module(module_name), function)
    return int(main(argv) or 0)
