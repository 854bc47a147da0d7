"""What every property battery shares: the options, the property record, calling user code.

``check_implementation`` resolves its keyword options into one :class:`Options`; each battery
(:mod:`~topotheory.testing.properties` for dense layers,
:mod:`~topotheory.testing.structured_properties` for conv and recurrent layers) returns
:class:`Property` records whose checks call the user's function through :func:`call`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

#: Tie-free kinds of :func:`~topotheory.testing.strategies.weight_matrices` (the MSF is unique).
DISTINCT = ("gaussian", "heavy_tail", "block")
#: Kinds with ties, zeros and dead units (where convention bugs show).
TIED = ("ties", "quantised", "zeros", "dead_units", "sparse")


@dataclass(frozen=True)
class Options:
    """The conventions a user's implementation claims to follow (see ``check_implementation``).

    ``tie_rule=None`` accepts any maximum spanning forest; a named tie rule demands its exact
    edge set. ``compare`` is the structured oracles' spelling of the same choice.
    """

    zero_weights: str = "present"
    essential: str = "drop"
    drop_zero_length: bool = False
    p: float = 2.0
    normalize: str | None = None
    tie_rule: str | None = None
    edge_format: str = "auto"
    preserves_topology: bool = True
    rtol: float = 1e-9
    atol: float = 1e-12
    include_padding: bool = True
    returns: str = "edges"
    scope: str = "pair"
    reading: str = "whole"

    @property
    def compare(self) -> str:
        """``"edges"`` when a tie rule is declared, else ``"weights"`` (any maximum forest)."""
        return "weights" if self.tie_rule is None else "edges"


@dataclass(frozen=True)
class Property:
    """One checked claim: name, description, input strategy, fixed examples and check."""

    name: str
    description: str
    strategy: st.SearchStrategy
    check: Callable[[Callable, dict, Options], None]
    examples: tuple[dict, ...] = ()


def call(fn: Callable, *args: Any, copy: bool = True, **kwargs: Any) -> Any:
    """Call the user's function; an exception it raises becomes an ``AssertionError``.

    Array arguments are copied first (``copy=True``) so a function that writes into its
    input cannot corrupt the next check.

    Examples
    --------
    >>> call(len, [1, 2])
    2
    """
    try:
        if copy:
            args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
        return fn(*args, **kwargs)
    except AssertionError:
        raise
    except Exception as exc:  # the user's function failed on a valid input
        name = getattr(fn, "__qualname__", repr(fn))
        raise AssertionError(f"{name} raised {type(exc).__name__}: {exc}") from exc


def signs(w: np.ndarray) -> np.ndarray:
    """``w`` with a fixed pseudo-random sign pattern (seeded by the size: reproducible).

    Examples
    --------
    >>> np.abs(signs(np.ones((2, 2)))).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    rng = np.random.default_rng(w.size)
    return np.where(rng.random(w.shape) < 0.5, -1.0, 1.0) * w


def show(w: np.ndarray) -> str:
    """A compact rendering of an array for failure messages.

    Examples
    --------
    >>> show(np.array([[1.0, 0.5]]))
    '[[1. , 0.5]]'
    """
    return np.array2string(np.asarray(w), precision=4, separator=", ")
