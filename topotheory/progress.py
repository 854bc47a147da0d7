"""Progress bars for long computations: tqdm on stderr, only on a terminal unless asked.

One rule for every command and library function that can run longer than a few seconds:
``progress=None`` (the default) shows a bar only when stderr is a terminal, so logs,
pipes and CI stay clean; ``progress=True`` forces it (``--progress``); ``progress=False``
silences it (``--quiet``).  Bars never go to stdout, where results are printed.

Examples
--------
>>> progress_enabled(False), progress_enabled(True)
(False, True)
>>> bar = progress_bar(total=3, desc="work", progress=False)
>>> bar.disable
True
>>> bar.close()
>>> list(progress_iter([1, 2], desc="items", progress=False))
[1, 2]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["progress_bar", "progress_enabled", "progress_iter"]

T = TypeVar("T")


def _check(progress: Any) -> None:
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(
            f"progress={progress!r} must be True (always), False (never) or None "
            "(only when stderr is a terminal)"
        )


def progress_enabled(progress: bool | None = None) -> bool:
    """Whether to draw bars: ``progress`` if given, else whether stderr is a terminal.

    Examples
    --------
    >>> progress_enabled(True)
    True
    """
    _check(progress)
    if progress is not None:
        return progress
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def progress_bar(
    *, total: int | None, desc: str, progress: bool | None = None, unit: str = "it"
) -> Any:
    """A tqdm bar on stderr (a disabled bar, whose updates do nothing, when progress is off).

    Parameters
    ----------
    total : int or None
        Number of updates expected.
    desc : str
        Label shown before the bar.
    progress : bool or None
        ``None``: only when stderr is a terminal; ``True``: always; ``False``: never.
    unit : str
        Name of one update.

    Examples
    --------
    >>> import io, contextlib
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     with progress_bar(total=2, desc="rounds", progress=True) as bar:
    ...         _ = bar.update(2)
    >>> "rounds" in err.getvalue()
    True
    """
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        leave=False,
        disable=not progress_enabled(progress),
        dynamic_ncols=True,
    )


def progress_iter(
    iterable: Iterable[T], *, desc: str, total: int | None = None, progress: bool | None = None
) -> Iterator[T]:
    """Iterate over ``iterable`` with a bar (see :func:`progress_bar`).

    Examples
    --------
    >>> sum(progress_iter(range(4), desc="sum", progress=False))
    6
    """
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)  # type: ignore[arg-type]
    with progress_bar(total=total, desc=desc, progress=progress) as bar:
        for item in iterable:
            yield item
            bar.update()
