"""Dense layers for the forall checks, drawn by the testing kit's ``weight_matrices``.

The value kind ``"mixed"`` (:data:`topotheory.testing.values.VALUE_KINDS`): small integers
in [-3, 3] (ties, zeros) mixed with float32 values in [-8, 8]; never all zero.
"""

from __future__ import annotations

from typing import Any

__all__ = ["as_array", "dense_layers"]


def dense_layers(max_side: int, *, min_side: int = 1, allow_zero: bool = True) -> Any:
    """Strategy of dense layers as ``((m, n), values)`` with many ties.

    The plain-tuple form keeps shrunk counterexamples readable and JSON-friendly.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(dense_layers(4), lambda layer: layer[0] == (2, 2))
    ((2, 2), (1.0, 0.0, 0.0, 0.0))
    """
    from topotheory.testing.strategies import weight_matrices

    layers = weight_matrices(
        min_rows=min_side,
        max_rows=max_side,
        min_cols=min_side,
        max_cols=max_side,
        kinds=("mixed",),
        allow_zeros=allow_zero,
    )
    return layers.map(lambda w: (w.shape, tuple(float(v) for v in w.ravel())))


def as_array(layer: tuple[tuple[int, int], tuple[float, ...]]) -> Any:
    """``((m, n), values)`` -> float64 array of shape ``(m, n)``."""
    import numpy as np

    shape, values = layer
    return np.asarray(values, dtype=np.float64).reshape(shape)
