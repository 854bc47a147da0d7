"""Hypothesis strategies of dense layers shared by the forall checks."""

from __future__ import annotations

from typing import Any

__all__ = ["as_array", "dense_layers"]


def dense_layers(max_side: int, *, min_side: int = 1, allow_zero: bool = True) -> Any:
    """Strategy of dense layers as ``((m, n), values)`` with many ties.

    Values mix small integers (ties, zeros) and floats; not all zero. The plain-tuple form
    keeps shrunk counterexamples readable and JSON-friendly.
    """
    from hypothesis import strategies as st

    ints = st.integers(-3 if allow_zero else 1, 3).map(float)
    if not allow_zero:
        ints = ints.filter(lambda v: v != 0)
    floats = st.floats(-8, 8, allow_nan=False, allow_infinity=False, width=32).filter(
        lambda v: allow_zero or v != 0
    )
    values = st.one_of(ints, floats)

    @st.composite
    def build(draw: Any) -> tuple[tuple[int, int], tuple[float, ...]]:
        n = draw(st.integers(min_side, max_side))
        m = draw(st.integers(min_side, max_side))
        flat = list(draw(st.lists(values, min_size=n * m, max_size=n * m)))
        if all(v == 0 for v in flat):
            flat[0] = 1.0
        return (m, n), tuple(flat)

    return build()


def as_array(layer: tuple[tuple[int, int], tuple[float, ...]]) -> Any:
    """``((m, n), values)`` -> float64 array of shape ``(m, n)``."""
    import numpy as np

    shape, values = layer
    return np.asarray(values, dtype=np.float64).reshape(shape)
