"""Hypothesis strategies for layer weights and geometries (public; reused by users' tests).

All strategies take keyword-only arguments (``masks`` also takes the shape first), validate
them when called (a bad argument is a ``ValueError`` at collection time, not inside a test),
and produce numpy arrays in torch ``Linear`` layout ``(m_out, n_in)``. Every array is drawn
by the one table :data:`~topotheory.testing.values.VALUE_KINDS` (built on
``hypothesis.extra.numpy.arrays``), so counterexamples shrink toward few edges and small
integer weights.

- :func:`weight_matrices` -- one dense layer: ties, zeros, dead units, blocks, heavy tails,
  given shapes and dtypes.
- :func:`layer_stacks` -- the layer list of a small MLP (chained shapes).
- :func:`masks` -- boolean edge masks, optionally of an exact density.
- :func:`conv_geometries` -- valid convolution geometries (tied, zero or constant kernels,
  1-D to 3-D, optionally only connected or only disconnected Toeplitz graphs).
- :func:`recurrent_weights` -- a square hidden-to-hidden weight and a number of steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from topotheory.testing.conv_geometries import conv_geometries
from topotheory.testing.values import (
    DISTINCT_KINDS,
    KINDS,
    TIED_KINDS,
    check_dtype,
    check_kinds,
    check_range,
    check_shape,
    layer_of,
)

__all__ = [
    "DISTINCT_KINDS",
    "KINDS",
    "TIED_KINDS",
    "conv_geometries",
    "layer_stacks",
    "masks",
    "recurrent_weights",
    "weight_matrices",
]


def weight_matrices(
    *,
    min_rows: int = 1,
    max_rows: int = 12,
    min_cols: int = 1,
    max_cols: int = 12,
    kinds: tuple[str, ...] | None = None,
    shape: tuple[int, int] | None = None,
    dtype: Any = np.float64,
    allow_zeros: bool = True,
    allow_all_zero: bool = False,
) -> st.SearchStrategy[np.ndarray]:
    """Dense layer weights ``(m_out, n_in)`` with ties, zeros, dead units, blocks, heavy tails.

    Parameters
    ----------
    min_rows, max_rows, min_cols, max_cols : int
        Shape bounds (``1 x N`` and ``N x 1`` included by default).
    kinds : tuple of str, optional
        Any of ``"gaussian", "ties", "quantised", "zeros", "dead_units", "block",
        "heavy_tail", "sparse"`` (default: all; without ``"zeros"``/``"sparse"`` when
        ``allow_zeros=False``).
    shape : (int, int), optional
        A fixed shape ``(m_out, n_in)``; overrides the bounds.
    dtype : numpy dtype
        Floating dtype of the arrays (default float64).
    allow_zeros : bool
        When False, every exact zero is replaced by half the smallest non-zero ``|w|``
        (a dead unit becomes a row of tiny tied weights).
    allow_all_zero : bool
        When False (default), a layer is never all zeros (topotheory rejects it: ``w'`` is
        undefined); an all-zero draw gets ``w[0, 0] = 1``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of numpy.ndarray

    Raises
    ------
    ValueError
        On inconsistent bounds, an unknown kind, a non-floating dtype or a bad shape.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(weight_matrices(max_rows=3, max_cols=3))
    ... def test(w):
    ...     assert w.ndim == 2 and np.isfinite(w).all()
    >>> test()
    >>> @given(weight_matrices(shape=(2, 5), dtype=np.float32, allow_zeros=False))
    ... def test_shape(w):
    ...     assert w.shape == (2, 5) and w.dtype == np.float32 and (w != 0).all()
    >>> test_shape()
    """
    if shape is not None:
        min_rows = max_rows = check_shape(shape)[0]
        min_cols = max_cols = check_shape(shape)[1]
    check_range("rows", min_rows, max_rows)
    check_range("cols", min_cols, max_cols)
    kinds = check_kinds(kinds, allow_zeros)
    resolved = check_dtype(dtype)
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols))
    return shapes.flatmap(lambda s: layer_of(s, kinds, resolved, allow_zeros, allow_all_zero))


def layer_stacks(
    *,
    min_layers: int = 1,
    max_layers: int = 4,
    min_width: int = 1,
    max_width: int = 8,
    widths: tuple[int, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
    dtype: Any = np.float64,
    allow_zeros: bool = True,
    allow_all_zero: bool = False,
) -> st.SearchStrategy[list[np.ndarray]]:
    """Layer lists of small fully connected models: ``W_l`` of shape ``(w_{l+1}, w_l)``.

    Consecutive shapes chain (the output width of one layer is the input width of the
    next), as in ``[lin.weight for lin in model]`` of a torch MLP.

    Parameters
    ----------
    min_layers, max_layers : int
        Number of layers.
    min_width, max_width : int
        Bounds on every width (input, hidden and output).
    widths : tuple of int, optional
        Fixed widths ``(input, hidden..., output)``; gives ``len(widths) - 1`` layers and
        overrides the other bounds.
    kinds, dtype, allow_zeros, allow_all_zero
        As for :func:`weight_matrices` (each layer draws its own kind).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of list of numpy.ndarray

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(layer_stacks(max_layers=3, max_width=5))
    ... def test(layers):
    ...     for a, b in zip(layers, layers[1:]):
    ...         assert b.shape[1] == a.shape[0]
    >>> test()
    >>> @given(layer_stacks(widths=(4, 3, 2)))
    ... def test_fixed(layers):
    ...     assert [w.shape for w in layers] == [(3, 4), (2, 3)]
    >>> test_fixed()
    """
    if widths is not None:
        if (
            not isinstance(widths, (tuple, list))
            or len(widths) < 2
            or any(
                isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1 for d in widths
            )
        ):
            raise ValueError(
                f"widths={widths!r} must be a tuple of >= 2 positive ints (input, ..., output)"
            )
    else:
        check_range("layers", min_layers, max_layers)
        check_range("width", min_width, max_width)
    kinds = check_kinds(kinds, allow_zeros)
    resolved = check_dtype(dtype)

    @st.composite
    def build(draw: Any) -> list[np.ndarray]:
        if widths is not None:
            chain = [int(d) for d in widths]
        else:
            count = draw(st.integers(min_layers, max_layers))
            chain = [draw(st.integers(min_width, max_width)) for _ in range(count + 1)]
        layers = []
        for n_in, m_out in zip(chain, chain[1:], strict=False):
            layers.append(
                draw(layer_of((m_out, n_in), kinds, resolved, allow_zeros, allow_all_zero))
            )
        return layers

    return build()


def masks(shape: tuple[int, int], *, density: float | None = None) -> st.SearchStrategy[np.ndarray]:
    """Boolean edge masks (True = present) of a given shape, optionally of a given density.

    Parameters
    ----------
    shape : (int, int)
        Shape of the mask (the layer's ``(m_out, n_in)``).
    density : float, optional
        Fraction of present edges; the mask then has exactly ``round(density * size)``
        True entries. Default: a random density per example.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of numpy.ndarray

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(masks((3, 4), density=0.5))
    ... def test(mask):
    ...     assert mask.sum() == 6
    >>> test()
    """
    shape = check_shape(shape)
    size = int(np.prod(shape))
    if density is not None and (
        isinstance(density, bool)
        or not isinstance(density, (int, float, np.floating))
        or not 0.0 <= density <= 1.0
    ):
        raise ValueError(f"density={density!r} must be a number in [0, 1]")

    @st.composite
    def build(draw: Any) -> np.ndarray:
        if density is None:
            return draw(arrays(np.bool_, shape, elements=st.booleans()))
        kept = int(round(density * size))
        mask = np.zeros(size, dtype=bool)
        mask[draw(st.permutations(range(size)))[:kept]] = True
        return mask.reshape(shape)

    return build()


def recurrent_weights(
    *,
    max_hidden: int = 5,
    max_steps: int = 4,
    min_hidden: int = 1,
    min_steps: int = 1,
    kinds: tuple[str, ...] | None = None,
    dtype: Any = np.float64,
    allow_zeros: bool = True,
    allow_all_zero: bool = False,
) -> st.SearchStrategy[tuple[np.ndarray, int]]:
    """A square hidden-to-hidden weight ``W_hh`` ``(h, h)`` and a number of unrolled steps.

    ``recurrent_unrolled_graph(W_hh, steps)`` builds the stratified graph of the pair.

    Parameters
    ----------
    max_hidden, min_hidden : int
        Bounds on the hidden size ``h``.
    max_steps, min_steps : int
        Bounds on the number of steps ``T`` (use ``min_steps=2`` to tell the per-step
        reading from the whole unrolled graph: they agree at ``T = 1``).
    kinds, dtype, allow_zeros, allow_all_zero
        As for :func:`weight_matrices`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of (numpy.ndarray, int)

    Raises
    ------
    ValueError
        On inconsistent bounds, an unknown kind or a non-floating dtype.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(recurrent_weights(max_hidden=3, min_steps=2, max_steps=3))
    ... def test(pair):
    ...     w, steps = pair
    ...     assert w.shape[0] == w.shape[1] <= 3 and 2 <= steps <= 3
    >>> test()
    """
    check_range("hidden", min_hidden, max_hidden)
    check_range("steps", min_steps, max_steps)
    kinds = check_kinds(kinds, allow_zeros)
    resolved = check_dtype(dtype)

    @st.composite
    def build(draw: Any) -> tuple[np.ndarray, int]:
        h = draw(st.integers(min_hidden, max_hidden))
        w = draw(layer_of((h, h), kinds, resolved, allow_zeros, allow_all_zero))
        return w, draw(st.integers(min_steps, max_steps))

    return build()
