"""Searching the table of alternatives for the one a user's result follows.

:func:`change_sets` yields every applicable alternative alone and in pairs;
:func:`convention_matches` recomputes the reference under each and keeps those that agree
with the user's result, :func:`preset_hints` does the same for the presets; the hints name
the change set (:func:`describe`) and the keyword arguments it amounts to
(:func:`as_kwargs`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from topotheory.testing.alternatives import ALTERNATIVES, DIAGRAM_KEYS
from topotheory.testing.conventions import PRESETS, preset_named
from topotheory.testing.describe import plain
from topotheory.testing.hints import PREFIX, Hint


def change_sets(
    w: np.ndarray, conv: dict, keys: tuple[str, ...] = DIAGRAM_KEYS
) -> Iterator[tuple[tuple[str, ...], dict, int]]:
    """Every applicable alternative of ``keys`` alone and in pairs (different keys).

    Yields ``(names, changes, prior)``; ``prior`` is the pair's summed prior.
    """
    atoms = [
        (name, alt)
        for name, alt in ALTERNATIVES.items()
        if alt.key in keys and alt.applies(w, conv)
    ]
    for count in (1, 2):
        for combo in itertools.combinations(atoms, count):
            if len({alt.key for _, alt in combo}) == count:
                changes: dict = {}
                for _, alt in combo:
                    changes.update(alt.changes(conv))
                yield tuple(n for n, _ in combo), changes, sum(alt.prior for _, alt in combo)


def describe(names: tuple[str, ...], conv: dict, w: np.ndarray, changes: dict) -> str:
    """The hint text of a change set, naming the preset it amounts to."""
    text = " AND ".join(ALTERNATIVES[n].hint(conv, w) for n in names)
    options = {
        k: conv[k]
        for k in ("zero_weights", "essential", "drop_zero_length", "p", "normalize")
        if k in conv
    }
    options.update({k: v for k, v in changes.items() if k in options})
    if len(names) > 1 and not {"order", "values", "layout"} & set(changes):
        name = preset_named(options)
        if name:
            text += f" -- together these are the preset conventions={name!r}: pass it"
    return text


def preset_changes(conv: dict, keys: tuple[str, ...]) -> Iterator[tuple[str, dict]]:
    """``(preset name, changes)`` per distinct preset (on ``keys``) that differs from ``conv``."""
    seen = [{k: conv.get(k) for k in keys}]
    for name, preset in PRESETS.items():
        changes = {k: preset[k] for k in keys if k in preset}
        if changes not in seen:
            seen.append(changes)
            yield name, changes


def as_kwargs(changes: dict) -> str:
    """``"essential='as_zero', p=1.0"``: changes as keyword arguments (evidence texts).

    Examples
    --------
    >>> as_kwargs({"essential": "as_zero", "order": "min"})
    "essential='as_zero', order='min'"
    """
    return ", ".join(f"{key}={plain(value)}" for key, value in changes.items())


def convention_matches(
    w: np.ndarray,
    conv: dict,
    compute: Callable[[dict], Any],
    agrees: Callable[[Any], bool],
    evidence: Callable[[Any, dict], str],
    keys: tuple[str, ...] = DIAGRAM_KEYS,
) -> list[tuple[tuple[str, ...], Hint]]:
    """``(names, hint)`` of every change set of ``keys`` under which the recomputed
    reference ``compute(changes)`` ``agrees`` with the user's result (a change set the
    computation refuses with ``ValueError`` is skipped); feed them to
    :func:`~topotheory.testing.hints.minimal`.

    Examples
    --------
    >>> from topotheory.testing.recompute import diagram_under
    >>> conv = dict(mask=None, zero_weights="present", normalization="per_layer",
    ...             w_max=None, essential="drop", drop_zero_length=False)
    >>> w = np.array([[2.0, 1.0]])
    >>> user = diagram_under(w, conv, order="min")
    >>> found = convention_matches(w, conv, lambda ch: diagram_under(w, conv, **ch),
    ...                            lambda c: np.array_equal(c, user), lambda c, ch: "")
    >>> [names for names, _ in found]
    [('minimum_forest',)]
    """
    matches = []
    for names, changes, prior in change_sets(w, conv, keys):
        try:
            candidate = compute(changes)
        except ValueError:
            continue
        if agrees(candidate):
            hint = Hint(
                PREFIX + describe(names, conv, w, changes),
                evidence(candidate, changes),
                10 * len(names) + prior,
            )
            matches.append((names, hint))
    return matches


def preset_hints(
    conv: dict,
    keys: tuple[str, ...],
    compute: Callable[[dict], Any],
    agrees: Callable[[Any], bool],
    what: str,
    named: list[Hint],
) -> list[Hint]:
    """A hint per preset (on ``keys``) under which ``compute(changes)`` ``agrees`` with the
    user's ``what`` ("diagram", "value"), unless a hint of ``named`` already names it."""
    hints = []
    for name, changes in preset_changes(conv, keys):
        if any(repr(name) in h.text for h in named):
            continue
        try:
            candidate = compute(changes)
        except ValueError:
            continue
        if agrees(candidate):
            hints.append(
                Hint(
                    f"your {what} is the one of conventions={name!r}: pass it",
                    f"equal to the reference recomputed with {as_kwargs(changes)}",
                    15,
                )
            )
    return hints
