"""Hints: the likely cause of a mismatch, with its evidence, most likely first, at most three.

A hint is a heuristic added to a failure message; the verdict is always the exact comparison
with the reference. Each kind module searches the alternative conventions
(:mod:`~topotheory.testing.alternatives`) for the one the user's output matches and returns
:class:`Hint` records; :func:`likely` orders them by ``rank`` (fewer changed conventions
first, then the alternative's prior) and formats the first three.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

MAX_HINTS = 3
PREFIX = "your implementation probably "
_HINTS_ON: ContextVar[bool] = ContextVar("topotheory_testing_hints", default=True)


@dataclass(frozen=True)
class Hint:
    """One likely cause: ``text``, the ``evidence`` behind it, and its ``rank`` (low = likely).

    Examples
    --------
    >>> Hint("uses p=1", "your value is NP_1 exactly", rank=1.0).rank
    1.0
    """

    text: str
    evidence: str = ""
    rank: float = 5.0


def likely(hints: Iterable[Hint]) -> str:
    """The "likely cause" lines of a message: at most three hints, most likely first.

    Examples
    --------
    >>> print(likely([Hint("b", "seen", 2.0), Hint("a", "", 1.0)]))
    <BLANKLINE>
      likely cause: a
      likely cause: b
        evidence: seen
    >>> likely([])
    ''
    """
    seen: dict[str, Hint] = {}
    for hint in sorted(hints, key=lambda h: h.rank):
        seen.setdefault(hint.text, hint)
    lines = []
    for hint in list(seen.values())[:MAX_HINTS]:
        lines.append("\n  likely cause: " + hint.text)
        if hint.evidence:
            lines.append("\n    evidence: " + hint.evidence)
    return "".join(lines)


def minimal(matches: list[tuple[tuple[str, ...], Hint]]) -> list[Hint]:
    """Hints of matching change sets that contain no smaller matching set.

    Examples
    --------
    >>> found = minimal([(("a",), Hint("A")), (("a", "b"), Hint("AB")), (("c",), Hint("C"))])
    >>> [h.text for h in found]
    ['A', 'C']
    """
    sets = [frozenset(labels) for labels, _ in matches]
    return [
        hint for labels, hint in matches if not any(other < frozenset(labels) for other in sets)
    ]


@contextlib.contextmanager
def hints_off() -> Iterator[None]:
    """Skip the hint search inside this block (``check_implementation`` while shrinking).

    Examples
    --------
    >>> with hints_off():
    ...     hints_enabled()
    False
    """
    token = _HINTS_ON.set(False)
    try:
        yield
    finally:
        _HINTS_ON.reset(token)


def hints_enabled() -> bool:
    """False inside :func:`hints_off`.

    Examples
    --------
    >>> hints_enabled()
    True
    """
    return _HINTS_ON.get()


#: Relative tolerances of the floating dtypes, finest first (what a result of that
#: precision can be expected to meet on the kit's small layers).
PRECISIONS: dict[str, tuple[float, float]] = {
    "float64": (1e-9, 1e-12),
    "float32": (1e-5, 1e-6),
    "float16": (1e-2, 1e-3),
}


def precision_hint(yours: float, reference: float, rtol: float, atol: float) -> Hint | None:
    """Name the next coarser precision when its tolerance would pass a near miss.

    Examples
    --------
    >>> precision_hint(1.0000003, 1.0, 1e-9, 1e-12).text[:45]
    'a precision difference, not a convention: the'
    >>> precision_hint(1.5, 1.0, 1e-9, 1e-12) is None
    True
    """
    if not (math.isfinite(yours) and math.isfinite(reference)):
        return None
    error = abs(yours - reference)
    coarser = [(name, tol) for name, tol in PRECISIONS.items() if tol[0] > rtol][:1]
    for name, (p_rtol, p_atol) in coarser:
        if error <= p_atol + p_rtol * abs(reference):
            relative = error / abs(reference) if reference else math.inf
            return Hint(
                f"a precision difference, not a convention: the difference is within {name} "
                f"precision; if your code computes in {name}, return {name} values (the "
                f"tolerance follows your output's dtype) or pass rtol={p_rtol:g}, atol={p_atol:g}",
                f"relative difference {relative:.3g} against rtol={rtol:g} (atol={atol:g})",
                rank=0.0,
            )
    return None
