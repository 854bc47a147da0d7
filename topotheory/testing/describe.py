"""Describing edges, points, parameters and values in failure messages; reading notes.

Every list in a message shows its first six items, then how many more
(:func:`describe_list`); numbers print as plain Python (:func:`plain`). How a user's output
was read, when that is worth knowing (a symmetric adjacency, a node map), is recorded with
:func:`note` and shown in the report (:func:`collecting_notes`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np

_SHOW = 6
_NOTES: ContextVar[list[str] | None] = ContextVar("topotheory_testing_notes", default=None)


def plain(value: Any) -> str:
    """``repr`` of a number as plain Python (``3``, ``0.5``), never ``np.int64(3)``.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float64(0.5)), plain("x")
    ('3', '0.5', "'x'")
    """
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def describe_list(items: Any, show: Callable[[Any], str]) -> str:
    """The first six items through ``show``, then how many more ("none" when empty).

    Examples
    --------
    >>> describe_list(range(8), str)
    '0, 1, 2, 3, 4, 5, ... (2 more)'
    """
    items = list(items)
    parts = [show(item) for item in items[:_SHOW]]
    if len(items) > _SHOW:
        parts.append(f"... ({len(items) - _SHOW} more)")
    return ", ".join(parts) if parts else "none"


@contextlib.contextmanager
def collecting_notes() -> Iterator[list[str]]:
    """Collect the :func:`note` calls made inside the block (one list, duplicates dropped).

    Examples
    --------
    >>> with collecting_notes() as notes:
    ...     note("read as X"); note("read as X")
    >>> notes
    ['read as X']
    """
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def note(text: str) -> None:
    """Record how an output was read (kept only inside :func:`collecting_notes`)."""
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


def describe_edge(flat: int, shape: tuple[int, int], weights: np.ndarray | None = None) -> str:
    """``"(i_out=1, j_in=2) [flat 5, |w|=0.3]"`` for a flat index.

    Examples
    --------
    >>> describe_edge(5, (2, 3), np.arange(6.0).reshape(2, 3))
    '(i_out=1, j_in=2) [flat 5, |w|=5]'
    """
    flat, n = int(flat), shape[1]
    text = f"(i_out={flat // n}, j_in={flat % n}) [flat {flat}"
    if weights is not None:
        text += f", |w|={abs(float(weights.flat[flat])):.6g}"
    return text + "]"


def describe_edges(flats: Any, shape: tuple[int, int], weights: np.ndarray | None = None) -> str:
    """A short list of edge descriptions (at most six, then a count).

    Examples
    --------
    >>> describe_edges([0], (1, 2))
    '(i_out=0, j_in=0) [flat 0]'
    """
    return describe_list(flats, lambda f: describe_edge(f, shape, weights))


def describe_points(points: np.ndarray) -> str:
    """A short list of ``(birth, death)`` points.

    Examples
    --------
    >>> describe_points(np.array([[1.0, 0.5]]))
    '(1, 0.5)'
    """
    return describe_list(np.asarray(points).reshape(-1, 2), lambda p: f"({p[0]:.6g}, {p[1]:.6g})")


def describe_parameters(weight: np.ndarray, params: Any) -> str:
    """``"(0, 0, 2) |w|=1"`` per used parameter (at most six).

    Examples
    --------
    >>> describe_parameters(np.array([[[3.0, -2.0]]]), [1])
    '(0, 0, 1) |w|=2'
    """

    def show(p: Any) -> str:
        where = tuple(int(x) for x in np.unravel_index(int(p), weight.shape))
        return f"{where} |w|={abs(float(weight.flat[int(p)])):.6g}"

    return describe_list(params, show)
