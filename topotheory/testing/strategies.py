"""Hypothesis strategies for layer weights and geometries (public; reused by users' tests).

All strategies take keyword-only arguments (``masks`` also takes the shape first), validate
them when called (a bad argument is a ``ValueError`` at collection time, not inside a test),
and produce numpy arrays in torch ``Linear`` layout ``(m_out, n_in)``.

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

_KINDS = ("gaussian", "ties", "quantised", "zeros", "dead_units", "block", "heavy_tail", "sparse")
_ZERO_KINDS = ("zeros", "sparse")


def _check_range(name: str, low: int, high: int) -> None:
    if isinstance(low, bool) or isinstance(high, bool) or not (1 <= low <= high):
        raise ValueError(f"{name}: need 1 <= min <= max, got ({low}, {high})")


def _values(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _signed(draw: Any, mags: list[float], shape: tuple[int, ...]) -> np.ndarray:
    """Magnitudes with drawn signs (shrinking moves them towards positive)."""
    negative = draw(st.lists(st.booleans(), min_size=len(mags), max_size=len(mags)))
    sign = np.where(np.asarray(negative, dtype=bool), -1.0, 1.0)
    return (sign * np.asarray(mags, dtype=np.float64)).reshape(shape)


def _distinct(draw: Any, count: int, low: float, high: float) -> list[float]:
    """``count`` magnitudes in ``[low, high]``, pairwise distinct (a tie-free layer)."""
    return draw(st.lists(_values(low, high), min_size=count, max_size=count, unique=True))


@st.composite
def _weights(draw: Any, m: int, n: int, kind: str) -> np.ndarray:
    """One layer of ``kind``; every value is drawn by hypothesis (so it shrinks)."""
    size, shape = m * n, (m, n)
    if kind == "gaussian":
        return _signed(draw, _distinct(draw, size, 2.0**-10, 4.0), shape)
    if kind == "heavy_tail":
        return _signed(draw, _distinct(draw, size, 1e-3, 1e6), shape)
    if kind == "block":
        top, side = (m + 1) // 2, (n + 1) // 2
        w = _signed(draw, _distinct(draw, size, 1e-3, 0.05), shape)
        w[:top, :side] = _signed(draw, _distinct(draw, top * side, 1.0, 2.0), (top, side))
        return w
    if kind == "ties":
        levels = draw(st.integers(1, 4))
        cells = st.integers(-levels, levels)
        return np.asarray(draw(st.lists(cells, min_size=size, max_size=size)), float).reshape(shape)
    if kind == "quantised":
        cells = st.integers(-12, 12)
        quarters = draw(st.lists(cells, min_size=size, max_size=size))
        return np.asarray(quarters, dtype=np.float64).reshape(shape) / 4
    # tiny values become exact zeros: every non-zero |w| >= 2^-10 survives float32 and 1e-3
    cells = _values(-4.0, 4.0).map(lambda x: 0.0 if abs(x) < 2.0**-10 else x)
    w = np.asarray(draw(st.lists(cells, min_size=size, max_size=size)), float).reshape(shape)
    if kind == "zeros":
        return np.where(
            draw(st.lists(st.booleans(), min_size=size, max_size=size)), 0.0, w.ravel()
        ).reshape(shape)
    if kind == "dead_units":
        if m > 1:
            w[draw(st.integers(0, m - 1)), :] = 0.0
        if n > 1:
            w[:, draw(st.integers(0, n - 1))] *= 1e-3
        return w
    # sparse: mostly zeros, a few weights
    kept = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=max(1, size // 3)))
    sparse = np.zeros(size)
    sparse[kept] = w.ravel()[kept]
    return sparse.reshape(shape)


def _check_shape(shape: Any, name: str = "shape") -> tuple[int, int]:
    if (
        not isinstance(shape, (tuple, list))
        or len(shape) != 2
        or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1 for d in shape)
    ):
        raise ValueError(f"{name}={shape!r} must be a pair of positive ints (m_out, n_in)")
    return int(shape[0]), int(shape[1])


def _check_dtype(dtype: Any) -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(
            f"dtype={dtype!r} is not a numpy dtype; use np.float64 or np.float32"
        ) from exc
    if not np.issubdtype(resolved, np.floating):
        raise ValueError(f"dtype={dtype!r} must be a floating dtype (np.float64, np.float32, ...)")
    return resolved


def _check_kinds(kinds: Any, allow_zeros: bool) -> tuple[str, ...]:
    if kinds is None:
        return _KINDS if allow_zeros else tuple(k for k in _KINDS if k not in _ZERO_KINDS)
    if isinstance(kinds, str) or not kinds:
        raise ValueError(f"kinds={kinds!r} must be a non-empty tuple; choose from {_KINDS}")
    kinds = tuple(kinds)
    unknown = set(kinds) - set(_KINDS)
    if unknown:
        raise ValueError(f"kinds={kinds!r}: unknown {sorted(unknown)}; choose from {_KINDS}")
    if not allow_zeros and set(kinds) <= set(_ZERO_KINDS):
        raise ValueError(
            f"kinds={kinds!r} only produce zeros; with allow_zeros=False choose other kinds"
        )
    return kinds


def _finish(
    w: np.ndarray, dtype: np.dtype, allow_zeros: bool, allow_all_zero: bool = False
) -> np.ndarray:
    if not allow_all_zero and not np.any(w):  # the reference rejects an all-zero layer
        w = w.copy()
        w.flat[0] = 1.0
    w = w.astype(dtype)
    if not allow_zeros:
        zero = w == 0
        if zero.any():
            nonzero = np.abs(w[~zero])
            half = nonzero.min() / 2 if nonzero.size else 1.0
            w[zero] = max(half, np.finfo(dtype).tiny)  # half a subnormal rounds to 0
    if not np.isfinite(w).all():  # heavy tails overflowing a narrow dtype
        info = np.finfo(dtype)
        w = np.clip(np.nan_to_num(w, posinf=info.max, neginf=info.min), info.min / 4, info.max / 4)
    return w


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
        min_rows = max_rows = _check_shape(shape)[0]
        min_cols = max_cols = _check_shape(shape)[1]
    _check_range("rows", min_rows, max_rows)
    _check_range("cols", min_cols, max_cols)
    kinds = _check_kinds(kinds, allow_zeros)
    resolved = _check_dtype(dtype)
    if not allow_zeros:
        kinds = tuple(k for k in kinds if k not in _ZERO_KINDS)
    return st.tuples(
        st.integers(min_rows, max_rows), st.integers(min_cols, max_cols), st.sampled_from(kinds)
    ).flatmap(
        lambda t: _weights(*t).map(lambda w: _finish(w, resolved, allow_zeros, allow_all_zero))
    )


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
        _check_range("layers", min_layers, max_layers)
        _check_range("width", min_width, max_width)
    kinds = _check_kinds(kinds, allow_zeros)
    resolved = _check_dtype(dtype)

    @st.composite
    def build(draw: Any) -> list[np.ndarray]:
        if widths is not None:
            chain = [int(d) for d in widths]
        else:
            count = draw(st.integers(min_layers, max_layers))
            chain = [draw(st.integers(min_width, max_width)) for _ in range(count + 1)]
        layers = []
        for n_in, m_out in zip(chain, chain[1:], strict=False):
            kind = draw(st.sampled_from(kinds))
            layers.append(
                _finish(draw(_weights(m_out, n_in, kind)), resolved, allow_zeros, allow_all_zero)
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
    shape = _check_shape(shape)
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
            cells = st.lists(st.booleans(), min_size=size, max_size=size)
            return np.asarray(draw(cells), dtype=bool).reshape(shape)
        kept = int(round(density * size))
        mask = np.zeros(size, dtype=bool)
        mask[draw(st.permutations(range(size)))[:kept]] = True
        return mask.reshape(shape)

    return build()


_KERNEL_KINDS = ("gaussian", "ties", "zeros", "constant")


def _check_kernel_kinds(kinds: Any) -> tuple[str, ...]:
    if isinstance(kinds, str) or not kinds:
        raise ValueError(
            f"kernel_kinds={kinds!r} must be a non-empty tuple; choose from {_KERNEL_KINDS}"
        )
    unknown = set(kinds) - set(_KERNEL_KINDS)
    if unknown:
        raise ValueError(
            f"kernel_kinds={kinds!r}: unknown {sorted(unknown)}; choose from {_KERNEL_KINDS}"
        )
    return tuple(kinds)


def conv_geometries(
    *,
    dims: tuple[int, ...] = (1, 2),
    max_channels: int = 3,
    max_size: int = 7,
    kernel_kinds: tuple[str, ...] = _KERNEL_KINDS,
    max_kernel: int = 3,
    max_stride: int = 3,
    max_dilation: int = 2,
    max_padding: int = 2,
    max_groups: int = 2,
    connected: bool | None = None,
) -> st.SearchStrategy[dict]:
    """Valid convolution geometries: weight, input shape, stride, padding, dilation, groups.

    The dict's keys match :func:`~topotheory.topology.conv.conv_toeplitz_graph`'s
    arguments, so ``conv_toeplitz_graph(**g)`` builds the graph.

    Parameters
    ----------
    dims : tuple of int
        Spatial dimensionalities to draw from (each 1, 2 or 3).
    max_channels : int
        Largest number of channels per group.
    max_size : int
        Largest spatial extent of the input (larger when the dilated kernel needs it).
    kernel_kinds : tuple of str
        Kernel weights to draw from: ``"gaussian"`` (tie-free), ``"ties"`` (multiples of
        1/2), ``"zeros"`` (some exact zeros, never all) and ``"constant"`` (every ``|w|``
        equal, random signs: all parameters tied).
    max_kernel, max_stride, max_dilation, max_padding, max_groups : int
        Upper bounds of the kernel extent, stride, dilation (each >= 1), padding (>= 0) and
        groups (>= 1) in every spatial dimension.
    connected : bool, optional
        ``True``: only geometries whose channel-pair Toeplitz graph (padded input positions
        as nodes) is connected, where Theorem 3.2's formula holds; ``False``: only
        disconnected ones (e.g. stride larger than the dilated kernel); default either.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of dict

    Raises
    ------
    ValueError
        On an unknown dimensionality or kernel kind, or a bound below its minimum.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(conv_geometries())
    ... def test(g):
    ...     assert g["weight"].shape[0] % g["groups"] == 0
    >>> test()
    >>> from topotheory.topology.tccr import ConvGeometry, conv_counts
    >>> @given(conv_geometries(dims=(3,), max_size=3, connected=False, kernel_kinds=("zeros",)))
    ... def test_3d(g):
    ...     geometry = ConvGeometry(g["weight"].shape[2:], g["input_shape"][1:], g["stride"],
    ...                             g["padding"], g["dilation"])
    ...     assert g["weight"].ndim == 5 and not conv_counts(geometry).connected
    >>> test_3d()
    """
    if isinstance(dims, int) or not dims or any(d not in (1, 2, 3) for d in dims):
        raise ValueError(f"dims={dims!r} must be a non-empty tuple of 1, 2 or 3")
    _check_range("max_channels", 1, max_channels)
    _check_range("max_size", 1, max_size)
    _check_range("max_kernel", 1, max_kernel)
    _check_range("max_stride", 1, max_stride)
    _check_range("max_dilation", 1, max_dilation)
    _check_range("max_groups", 1, max_groups)
    if isinstance(max_padding, bool) or not isinstance(max_padding, int) or max_padding < 0:
        raise ValueError(f"max_padding={max_padding!r} must be an int >= 0")
    if connected not in (None, True, False):
        raise ValueError(f"connected={connected!r} must be None, True or False")
    kinds = _check_kernel_kinds(kernel_kinds)
    bounds = (max_kernel, max_stride, max_dilation, max_padding, max_groups)
    strategy = _conv_geometries(tuple(dims), max_channels, max_size, kinds, bounds)
    if connected is None:
        return strategy
    return strategy.filter(lambda g: _pair_connected(g) == connected)


def _pair_connected(g: dict) -> bool:
    from topotheory.topology.tccr import ConvGeometry, conv_counts

    geometry = ConvGeometry(
        g["weight"].shape[2:], g["input_shape"][1:], g["stride"], g["padding"], g["dilation"]
    )
    return conv_counts(geometry).connected


def _kernel(draw: Any, shape: tuple[int, ...], kind: str) -> np.ndarray:
    size = int(np.prod(shape))
    if kind == "constant":
        return _signed(draw, [1.0] * size, shape)
    if kind == "ties":
        halves = draw(st.lists(st.integers(-6, 6), min_size=size, max_size=size))
        return np.asarray(halves, dtype=np.float64).reshape(shape) / 2
    weight = _signed(draw, _distinct(draw, size, 2.0**-10, 4.0), shape)
    if kind == "zeros":
        zero = np.asarray(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
        weight = np.where(zero.reshape(shape), 0.0, weight)
        if not weight.any():
            weight.flat[0] = 1.0
    return weight


@st.composite
def _conv_geometries(
    draw: Any,
    dims: tuple[int, ...],
    max_channels: int,
    max_size: int,
    kinds: tuple[str, ...],
    bounds: tuple[int, ...],
) -> dict:
    max_kernel, max_stride, max_dilation, max_padding, max_groups = bounds
    d = draw(st.sampled_from(dims))
    groups = draw(st.integers(1, max_groups))
    c_in = groups * draw(st.integers(1, max_channels))
    c_out = groups * draw(st.integers(1, max_channels))
    kernel = tuple(draw(st.integers(1, max_kernel)) for _ in range(d))
    dilation = tuple(draw(st.integers(1, max_dilation)) for _ in range(d))
    stride = tuple(draw(st.integers(1, max_stride)) for _ in range(d))
    padding = tuple(draw(st.integers(0, max_padding)) for _ in range(d))
    spatial = []
    for k, dl, p in zip(kernel, dilation, padding, strict=True):
        low = max(1, dl * (k - 1) + 1 - 2 * p)
        spatial.append(draw(st.integers(low, max(low, max_size))))
    kind = draw(st.sampled_from(kinds))
    weight = _kernel(draw, (c_out, c_in // groups, *kernel), kind)
    return {
        "weight": weight,
        "input_shape": (c_in, *spatial),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
    }


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
    _check_range("hidden", min_hidden, max_hidden)
    _check_range("steps", min_steps, max_steps)
    kinds = _check_kinds(kinds, allow_zeros)
    resolved = _check_dtype(dtype)

    @st.composite
    def build(draw: Any) -> tuple[np.ndarray, int]:
        h = draw(st.integers(min_hidden, max_hidden))
        kind = draw(st.sampled_from(kinds))
        w = _finish(draw(_weights(h, h, kind)), resolved, allow_zeros, allow_all_zero)
        return w, draw(st.integers(min_steps, max_steps))

    return build()
