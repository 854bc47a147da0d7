"""What every kind's property battery shares: the property record, calling user code, cases.

A :class:`Property` holds a hypothesis strategy of input cases (dicts holding ``weights``
and, where needed, ``k`` or ``kept``), a few fixed small examples that always run first
(ties, zeros, disconnected layers: where convention bugs show; none has more than six
edges) and a check that raises ``AssertionError`` with an explanation. User code is called
through :func:`call`, which hands it a copy of each array and compares afterwards (a
function that writes into its input fails with its own kind, ``"mutated_input"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.constraints import TOLERANCE, validate
from topotheory.testing.describe import describe_list, plain
from topotheory.testing.hints import PRECISIONS
from topotheory.testing.output_readers import as_array
from topotheory.testing.report import ImplementationRaised, MutatedInput, NonFiniteOutput
from topotheory.testing.strategies import weight_matrices
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS

MAX_SIDE = 6
SCALES = (0.125, 3.0, 1024.0)
#: Small layers (at most six edges each) on which convention bugs show at once.
TIED_EXAMPLES = (
    np.ones((2, 2)),
    np.ones((2, 3)),
    np.array([[1.0, 0.0], [0.0, 1.0]]),  # disconnected without its zero edges
    np.array([[2.0, -2.0, 0.0], [0.0, 0.0, 1.0]]),
    np.array([[1.0, -2.0], [0.5, 0.25]]),  # largest |w| is negative
    np.array([[1.0, 1.0, 0.5], [0.5, 1.0, 1.0]]),
    np.array([[2.0, 1.0]]),  # NP 0.5 with Rieck bound 0.5 * sqrt(2): (1, 0) would break it
)


@dataclass(frozen=True)
class Property:
    """One checked claim: name, description, input strategy, fixed examples and check."""

    name: str
    description: str
    strategy: st.SearchStrategy
    check: Callable[[Callable, dict, Any], None]
    examples: tuple[dict, ...] = ()

    def restricted(self, keep: Callable[[dict], bool]) -> Property:
        """The same property on the cases ``keep`` accepts only."""
        kept = tuple(e for e in self.examples if keep(e))
        return Property(self.name, self.description, self.strategy.filter(keep), self.check, kept)


def call(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call the user's function on copies of its array arguments; check what it did.

    Raises :class:`~topotheory.testing.report.MutatedInput` if it wrote into an array it
    was given, :class:`~topotheory.testing.report.ImplementationRaised` if it raised and
    :class:`~topotheory.testing.report.NonFiniteOutput` if it returned NaN or inf.

    Examples
    --------
    >>> call(len, [1, 2])
    2
    >>> def zero_first(w):
    ...     w[0, 0] = 0.0
    >>> call(zero_first, np.ones((1, 2)))
    Traceback (most recent call last):
    ...
    topotheory.testing.report.MutatedInput: zero_first modified its input in place: weights[0, 0] was 1.0, became 0.0 (pass-by-reference: copy the array before changing it)
    """
    name = getattr(fn, "__qualname__", repr(fn))
    given = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    try:
        out = fn(*given, **kwargs)
    except AssertionError:
        raise
    except Exception as exc:  # the user's function failed on a valid input
        raise ImplementationRaised(f"{name} raised {type(exc).__name__}: {exc}") from exc
    for original, seen in zip(args, given, strict=True):
        if isinstance(original, np.ndarray) and not np.array_equal(original, seen, equal_nan=True):
            where = tuple(int(i) for i in np.argwhere(original != seen)[0])
            raise MutatedInput(
                f"{name} modified its input in place: weights{list(where)} was "
                f"{plain(original[where].item())}, became {plain(seen[where].item())} "
                "(pass-by-reference: copy the array before changing it)"
            )
    if _non_finite(out):
        raise NonFiniteOutput(
            f"{name} returned a non-finite value ({_first_bad(out)}) on a layer with a non-zero "
            "weight (a division by a zero or negative maximum, or by max|w| - min|w| = 0?)"
        )
    return out


def _non_finite(out: Any) -> bool:
    if isinstance(out, (float, np.floating)) or hasattr(out, "detach"):
        return not np.isfinite(np.asarray(as_array(out), dtype=float)).all()
    if isinstance(out, np.ndarray) and np.issubdtype(out.dtype, np.floating):
        return not np.isfinite(out).all()
    return False


def _first_bad(out: Any) -> str:
    values = np.asarray(as_array(out), dtype=float).ravel()
    return plain(values[~np.isfinite(values)][0].item())


def signs(w: np.ndarray) -> np.ndarray:
    """``w`` with a fixed pseudo-random sign pattern (seeded by the size: reproducible).

    Examples
    --------
    >>> np.abs(signs(np.ones((2, 2)))).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    rng = np.random.default_rng(w.size)
    return np.where(rng.random(w.shape) < 0.5, -1.0, 1.0) * w


def scaled(w: np.ndarray, *_: Any) -> np.ndarray:
    """``w`` times one of :data:`SCALES` (chosen by the size)."""
    return w * SCALES[w.size % len(SCALES)]


def show(w: np.ndarray) -> str:
    """A compact rendering of an array for failure messages.

    Examples
    --------
    >>> show(np.array([[1.0, 0.5]]))
    '[[1. , 0.5]]'
    """
    return np.array2string(np.asarray(w), precision=4, separator=", ")


def differing(before: Any, after: Any) -> str:
    """``only before: ...; only after: ...`` of two sets of ints (at most six each)."""
    only_before = np.setdiff1d(before, after).tolist()
    only_after = np.setdiff1d(after, before).tolist()
    return (
        f"\n  only before: {describe_list(only_before, str)}"
        f"\n  only after: {describe_list(only_after, str)}"
    )


def layers(kinds: tuple[str, ...], allow_zeros: bool = True) -> st.SearchStrategy:
    """Layers of ``kinds`` up to ``6 x 6`` (never all zero)."""
    return weight_matrices(
        max_rows=MAX_SIDE, max_cols=MAX_SIDE, kinds=kinds, allow_zeros=allow_zeros
    )


def weight_cases(kinds: tuple[str, ...]) -> st.SearchStrategy:
    """``{"weights": w}`` cases of :func:`layers`."""
    return layers(kinds).map(lambda w: {"weights": w})


def distinct_and_tied() -> tuple[st.SearchStrategy, st.SearchStrategy, tuple[dict, ...]]:
    """Tie-free cases, tied cases and the fixed tied examples (``{"weights": w}`` each)."""
    examples = tuple({"weights": w} for w in TIED_EXAMPLES)
    return weight_cases(DISTINCT_KINDS), weight_cases(TIED_KINDS), examples


def tolerance(rtol: float | None, atol: float | None, *outputs: Any) -> tuple[float, float]:
    """``(rtol, atol)``: those given, else the defaults of the outputs' coarsest float dtype.

    float64 (and plain Python floats): ``1e-9``, ``1e-12``; float32: ``1e-5``, ``1e-6``;
    float16: ``1e-2``, ``1e-3`` (see :data:`~topotheory.testing.hints.PRECISIONS`).

    Examples
    --------
    >>> tolerance(None, None, np.float32(0.5))
    (1e-05, 1e-06)
    >>> tolerance(1e-3, None, 0.5)
    (0.001, 1e-12)
    """
    validate("rtol", rtol, TOLERANCE)
    validate("atol", atol, TOLERANCE)
    name = "float64"
    for out in outputs:
        dtype = getattr(as_array(out), "dtype", None)
        if dtype is not None and np.issubdtype(dtype, np.floating):
            bits = np.dtype(dtype).itemsize * 8
            if bits < 64 and f"float{bits}" in PRECISIONS:
                name = min(name, f"float{bits}", key=lambda k: -PRECISIONS[k][0])
    default_rtol, default_atol = PRECISIONS[name]
    return (
        default_rtol if rtol is None else float(rtol),
        default_atol if atol is None else float(atol),
    )
