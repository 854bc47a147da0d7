"""How many CPU threads the training and evaluation of the zoo nets use.

The zoo nets are tiny (the FCN has 0.12 M parameters, batches of 64): with torch's default of
one thread per core, thread start-up and contention cost more than they save, and on a
machine with other load they oversubscribe the cores (measured in ``docs/pruning.md``).
So training and evaluation run with **one thread by default** on CPU. The count is chosen,
first match wins:

1. an explicit ``threads=`` (``TrainConfig(threads=...)``);
2. the command line's ``--threads N`` (:func:`set_threads`);
3. the environment variable ``TOPOTHEORY_THREADS``;
4. ``1``.

The count is applied only around training and evaluation
(:func:`topotheory.nn.train.torch_threads`) and restored afterwards; it is recorded in the
results (``train_config.threads``). topotheory's numba kernels are serial (none uses
numba's parallel mode), so numba adds no threads of its own; if numba's parallel layer has
been started by other code, its thread count is set to the same number meanwhile.

This module imports neither torch nor numba.

Examples
--------
>>> resolve_threads(3)
3
>>> set_threads(2); resolve_threads()
2
>>> set_threads(None)
"""

from __future__ import annotations

import os

from topotheory.errors import InputError

__all__ = ["DEFAULT_THREADS", "ENV_VAR", "parse_threads", "resolve_threads", "set_threads"]

#: Threads used when nothing else is asked for.
DEFAULT_THREADS = 1
#: Environment variable that overrides the default.
ENV_VAR = "TOPOTHEORY_THREADS"

_override: int | None = None


def parse_threads(value: object, *, argument: str = "threads") -> int:
    """A thread count: a whole number >= 1 (an int or its decimal text).

    Raises
    ------
    InputError
        Naming ``argument``, for anything else.

    Examples
    --------
    >>> parse_threads("4")
    4
    >>> parse_threads("0", argument="--threads")
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --threads='0': must be a whole number >= 1; give e.g. 1 (the default) or the number of cores
    """
    fix = "give e.g. 1 (the default) or the number of cores"
    if isinstance(value, bool):
        raise InputError("must be a whole number >= 1", argument=argument, value=value, fix=fix)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise InputError("must be a whole number >= 1", argument=argument, value=value,
                             fix=fix)
        number = int(text)
    if number < 1:
        raise InputError("must be a whole number >= 1", argument=argument, value=value, fix=fix)
    return number


def set_threads(threads: int | str | None) -> None:
    """Set the process-wide count (``None`` returns to ``TOPOTHEORY_THREADS`` / 1).

    Examples
    --------
    >>> set_threads(4); resolve_threads(); set_threads(None)
    4
    """
    global _override
    _override = None if threads is None else parse_threads(threads)


def resolve_threads(threads: int | None = None) -> int:
    """The thread count to use: ``threads``, else :func:`set_threads`, else the
    environment, else :data:`DEFAULT_THREADS`.

    Raises
    ------
    InputError
        If ``threads`` or ``TOPOTHEORY_THREADS`` is not a whole number >= 1.

    Examples
    --------
    >>> resolve_threads()
    1
    """
    if threads is not None:
        return parse_threads(threads)
    if _override is not None:
        return _override
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return parse_threads(env, argument=ENV_VAR)
    return DEFAULT_THREADS
