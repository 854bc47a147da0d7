"""Transformation properties shared by the diagram and neural persistence batteries.

Removing the edges outside the maximum spanning forest, scaling by ``c > 0`` and flipping
signs leave a layer's diagram (and so its NP) unchanged; :func:`invariance_properties`
turns any of them into a :class:`~topotheory.testing.battery.Property` for an output read
by ``read`` and compared by ``differ``; :func:`output_invariant` is the check behind them
(also used for the kinds' own transformations: transposing, permuting).

Examples
--------
>>> import numpy as np
>>> remove_non_forest(np.array([[3.0, 1.0], [2.0, 0.5]]), "present").tolist()
[[3.0, 1.0], [2.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import (
    Property,
    call,
    distinct_and_tied,
    scaled,
    show,
    signs,
    tolerance,
)
from topotheory.topology.forest import maximum_spanning_forest


def remove_non_forest(w: np.ndarray, zero_weights: str) -> np.ndarray:
    """``w`` with every edge outside the reference forest set to 0 (any maximum forest gives
    the same diagram)."""
    keep = np.zeros(w.size, dtype=bool)
    keep[maximum_spanning_forest(w, zero_weights=zero_weights).edge_index] = True
    return np.where(keep.reshape(w.shape), w, 0.0)


def output_invariant(transform: Callable, what: str, read: Callable, differ: Callable) -> Callable:
    """A check: ``fn`` gives the same output (``differ`` is None) on transformed weights."""

    def check(fn: Callable, case: dict, opts: Any) -> None:
        w = case["weights"]
        out = call(fn, w)
        for changed in transform(w, opts):
            again = call(fn, changed)
            diff = differ(read(out), read(again), *tolerance(opts.rtol, opts.atol, out, again))
            if diff is not None:
                raise AssertionError(
                    f"{what} changed your {diff} (it must not)\n"
                    f"  transformed weights: {show(changed)}"
                )

    return check


def _invariances(noun: str) -> dict[str, tuple]:
    """Transformation properties shared by the diagram and NP batteries: description,
    transform, what it does, whether the fixed examples run."""
    return {
        "invariant_under_non_forest_removal": (
            f"removing non-forest edges leaves {noun} unchanged",
            lambda w, o: [remove_non_forest(w, o.zero_weights)],
            "zeroing every weight outside the maximum spanning forest",
            True,
        ),
        "scale_invariance": (
            f"scaling by c > 0 leaves {noun} unchanged",
            lambda w, o: [scaled(w)],
            "scaling by a positive constant",
            False,
        ),
        "sign_invariance": (
            f"flipping signs leaves {noun} unchanged",
            lambda w, o: [signs(w), -w],
            "flipping signs",
            True,
        ),
    }


def invariance_properties(
    read: Callable, differ: Callable, noun: str, names: tuple[str, ...]
) -> list[Property]:
    """The named transformation properties of an output read by ``read``."""
    distinct, tied, examples = distinct_and_tied()
    table = _invariances(noun)
    return [
        Property(
            name,
            table[name][0],
            st.one_of(distinct, tied),
            output_invariant(table[name][1], table[name][2], read, differ),
            examples if table[name][3] else (),
        )
        for name in names
    ]
