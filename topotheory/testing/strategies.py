"""Hypothesis strategies for layer weights and geometries (public; reused by users' tests).

All strategies take keyword-only arguments, validate them up front, and produce float64
numpy arrays in torch ``Linear`` layout ``(m_out, n_in)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

_KINDS = ("gaussian", "ties", "quantised", "zeros", "dead_units", "block", "heavy_tail", "sparse")


def _check_range(name: str, low: int, high: int) -> None:
    if isinstance(low, bool) or isinstance(high, bool) or not (1 <= low <= high):
        raise ValueError(f"{name}: need 1 <= min <= max, got ({low}, {high})")


@st.composite
def _weights(draw: Any, m: int, n: int, kind: str) -> np.ndarray:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        return rng.standard_normal((m, n))
    if kind == "ties":
        levels = draw(st.integers(1, 4))
        return rng.integers(-levels, levels + 1, size=(m, n)).astype(np.float64)
    if kind == "quantised":
        return np.round(rng.standard_normal((m, n)) * 4) / 4
    if kind == "zeros":
        w = rng.standard_normal((m, n))
        w[rng.random((m, n)) < draw(st.floats(0.1, 0.9))] = 0.0
        if not np.any(w):
            w[0, 0] = 1.0
        return w
    if kind == "dead_units":
        w = rng.standard_normal((m, n))
        if m > 1:
            w[draw(st.integers(0, m - 1)), :] = 0.0
        if n > 1:
            w[:, draw(st.integers(0, n - 1))] = 1e-3 * rng.standard_normal(m)
        if not np.any(w):
            w[0, 0] = 1.0
        return w
    if kind == "block":
        w = 0.01 * rng.standard_normal((m, n))
        w[: (m + 1) // 2, : (n + 1) // 2] += 1.0 + rng.random(((m + 1) // 2, (n + 1) // 2))
        return w
    if kind == "heavy_tail":
        return rng.standard_cauchy((m, n))
    # sparse: mostly zeros, a few large weights
    w = np.zeros((m, n))
    count = draw(st.integers(1, m * n))
    flat = rng.choice(m * n, size=count, replace=False)
    w.flat[flat] = rng.standard_normal(count)
    return w


def weight_matrices(
    *,
    min_rows: int = 1,
    max_rows: int = 12,
    min_cols: int = 1,
    max_cols: int = 12,
    kinds: tuple[str, ...] = _KINDS,
) -> st.SearchStrategy[np.ndarray]:
    """Dense layer weights ``(m_out, n_in)`` with ties, zeros, dead units, blocks, heavy tails.

    Parameters
    ----------
    min_rows, max_rows, min_cols, max_cols : int
        Shape bounds (``1 x N`` and ``N x 1`` included by default).
    kinds : tuple of str
        Any of ``"gaussian", "ties", "quantised", "zeros", "dead_units", "block",
        "heavy_tail", "sparse"``.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(weight_matrices(max_rows=3, max_cols=3))
    ... def test(w):
    ...     assert w.ndim == 2 and np.isfinite(w).all()
    >>> test()
    """
    _check_range("rows", min_rows, max_rows)
    _check_range("cols", min_cols, max_cols)
    unknown = set(kinds) - set(_KINDS)
    if unknown or not kinds:
        raise ValueError(f"kinds={kinds!r}: choose from {_KINDS}")
    return st.tuples(
        st.integers(min_rows, max_rows), st.integers(min_cols, max_cols), st.sampled_from(kinds)
    ).flatmap(lambda t: _weights(*t))


def masks(shape: tuple[int, int], *, density: float | None = None) -> st.SearchStrategy[np.ndarray]:
    """Boolean edge masks (True = present) of a given shape, optionally of a given density.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(masks((3, 4), density=0.5))
    ... def test(mask):
    ...     assert mask.sum() == 6
    >>> test()
    """
    size = int(np.prod(shape))
    if density is not None and not 0.0 <= density <= 1.0:
        raise ValueError(f"density={density} must lie in [0, 1]")

    @st.composite
    def build(draw: Any) -> np.ndarray:
        seed = draw(st.integers(0, 2**32 - 1))
        rng = np.random.default_rng(seed)
        if density is None:
            return rng.random(shape) < draw(st.floats(0.0, 1.0))
        kept = int(round(density * size))
        mask = np.zeros(size, dtype=bool)
        mask[rng.choice(size, size=kept, replace=False)] = True
        return mask.reshape(shape)

    return build()


@st.composite
def conv_geometries(
    draw: Any, *, dims: tuple[int, ...] = (1, 2), max_channels: int = 3, max_size: int = 7
) -> dict:
    """Valid convolution geometries: weight, input shape, stride, padding, dilation, groups.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(conv_geometries())
    ... def test(g):
    ...     assert g["weight"].shape[0] % g["groups"] == 0
    >>> test()
    """
    d = draw(st.sampled_from(dims))
    groups = draw(st.integers(1, 2))
    c_in = groups * draw(st.integers(1, max_channels))
    c_out = groups * draw(st.integers(1, max_channels))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(d))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(d))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(d))
    spatial = []
    for k, dl, p in zip(kernel, dilation, padding, strict=True):
        low = max(1, dl * (k - 1) + 1 - 2 * p)
        spatial.append(draw(st.integers(low, max(low, max_size))))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal((c_out, c_in // groups, *kernel))
    if draw(st.booleans()):
        weight = np.round(weight * 2) / 2  # ties
    return {
        "weight": weight,
        "input_shape": (c_in, *spatial),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
    }
