"""Exceptions that the command line turns into clear, one-line messages.

:class:`InputError` is the one exception type for *bad input*: it names the argument,
the value the user gave, what is wrong with it and how to fix it. It subclasses
:class:`ValueError`, so library callers that catch ``ValueError`` keep working, and the
``topotheory`` command maps it (like any ``ValueError``/``TypeError``) to exit status 2.

Library code names its arguments as Python keywords (``w_max``); the command line
shows them as flags (``--w-max``) when the argument belongs to the running subcommand.

Examples
--------
>>> error = InputError("must be a probability in (0, 1]", argument="p", value=0.0,
...                    fix="give a value such as 0.1")
>>> str(error)
'p=0.0: must be a probability in (0, 1]; give a value such as 0.1'
>>> isinstance(error, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["InputError", "InputTypeError", "listed", "shorten"]


def listed(items: Iterable[str], most: int) -> str:
    """At most ``most`` items, comma-separated, then the count of the rest (for messages).

    Examples
    --------
    >>> listed(["a", "b", "c"], 2)
    'a, b (+1 more)'
    """
    items = list(items)
    shown = ", ".join(items[:most])
    return shown + (f" (+{len(items) - most} more)" if len(items) > most else "")


def shorten(text: str, width: int = 80) -> str:
    """``text`` cut in the middle to at most ``width`` characters (the one rule for values
    shown in messages): the start and the end are kept, so a long path keeps its file name.

    Parameters
    ----------
    text : str
        What to show, e.g. the ``repr`` of a value.
    width : int
        The most characters returned (at least 5); ``text`` up to it is returned whole.

    Examples
    --------
    >>> shorten("'/data/" + "deep/" * 20 + "weights_epoch_12.npy'")
    "'/data/deep/deep/deep/deep/deep/deep/de...p/deep/deep/deep/weights_epoch_12.npy'"
    >>> len(shorten("x" * 100)), shorten("short")
    (80, 'short')
    """
    if len(text) <= width:
        return text
    tail = (width - 3) // 2
    return text[: width - 3 - tail] + "..." + text[len(text) - tail:]


def _show(value: Any) -> str:
    return shorten(repr(value))


class InputError(ValueError):
    """Bad input: names the argument, the value, the problem and the fix.

    Parameters
    ----------
    problem : str
        What is wrong, e.g. ``"must be a positive integer"``.
    argument : str
        The argument as the caller spelled it: a keyword (``"w_max"``) in library code,
        a flag (``"--out"``) in command code.
    value : object
        The offending value (shown with ``repr``, cut in the middle to 80 characters
        by :func:`shorten`: its start and its end, e.g. a path's file name, stay).
    fix : str, optional
        How to fix it, e.g. ``"pass --force to write into it"``.

    Examples
    --------
    >>> e = InputError("is a file", argument="--out", value="r.txt", fix="give a folder")
    >>> e.argument, e.value, e.fix
    ('--out', 'r.txt', 'give a folder')
    >>> e.with_argument("OUT").argument
    'OUT'
    """

    def __init__(
        self, problem: str, *, argument: str, value: Any, fix: str = "", cli_fix: str = ""
    ) -> None:
        self.problem = problem
        self.argument = argument
        self.value = value
        self.fix = fix
        #: The fix in command-line terms (flags), shown instead of ``fix`` by the CLI.
        self.cli_fix = cli_fix
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.argument}={_show(self.value)}: {self.problem}"
        return f"{text}; {self.fix}" if self.fix else text

    def __str__(self) -> str:
        return self._message()

    def with_argument(self, argument: str, *, fix: str | None = None) -> InputError:
        """The same error with the argument (and optionally the fix) renamed."""
        new = type(self)(
            self.problem, argument=argument, value=self.value,
            fix=self.fix if fix is None else fix, cli_fix=self.cli_fix,
        )
        new.__cause__ = self.__cause__
        return new


class InputTypeError(InputError, TypeError):
    """An :class:`InputError` for a value of the wrong type (also a :class:`TypeError`).

    Examples
    --------
    >>> isinstance(InputTypeError("must be an array", argument="w", value="x"), TypeError)
    True
    """
