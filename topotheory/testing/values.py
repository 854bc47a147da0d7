"""How each kind of weights is drawn: one table of array strategies (``hypothesis.extra.numpy``).

Every kind is an ``arrays`` strategy of any shape, so dense layers, recurrent weights and
convolution kernels are drawn by the same code. Values shrink toward small integers and
signs toward positive: a failing layer shrinks to few edges with readable weights. Every
non-zero ``|w|`` is at least ``2^-10`` and exactly representable in float32, so a float32
implementation sees the same numbers as the reference.

Examples
--------
>>> sorted(VALUE_KINDS)[:3]
['block', 'constant', 'dead_units']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

Shape = tuple[int, ...]


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    """float32 values in ``[low, high]`` (the bounds moved inward to float32 values)."""
    lo, hi = np.float32(low), np.float32(high)
    lo = lo if lo >= low else np.nextafter(lo, np.float32(np.inf))
    hi = hi if hi <= high else np.nextafter(hi, np.float32(-np.inf))
    return st.floats(
        float(lo), float(hi), allow_nan=False, allow_infinity=False, allow_subnormal=False, width=32
    )


def _magnitudes(low: float, high: float, top_int: int) -> st.SearchStrategy[float]:
    """Small integers first (what shrinking reaches), then any float32 value in range."""
    ints = st.integers(max(1, int(np.ceil(low))), top_int).map(float)
    return st.one_of(ints, _floats(low, high)) if top_int >= max(1, low) else _floats(low, high)


def _signed(magnitudes: st.SearchStrategy, shape: Shape, *, unique: bool) -> st.SearchStrategy:
    """Magnitudes with drawn signs (signs shrink to positive)."""
    mags = arrays(np.float64, shape, elements=magnitudes, unique=unique)
    negative = arrays(np.bool_, shape, elements=st.booleans())
    return st.tuples(mags, negative).map(lambda t: np.where(t[1], -t[0], t[0]))


def _tie_free(low: float, high: float, top_int: int) -> Callable[[Shape], st.SearchStrategy]:
    return lambda shape: _signed(_magnitudes(low, high, top_int), shape, unique=True)


def _levels(scale: float, most: int) -> Callable[[Shape], st.SearchStrategy]:
    """Integer levels ``-L..L`` times ``scale`` (many ties; ``L`` drawn up to ``most``)."""

    def draw(shape: Shape) -> st.SearchStrategy:
        return st.integers(1, most).flatmap(
            lambda level: arrays(
                np.float64, shape, elements=st.integers(-level, level).map(lambda k: k * scale)
            )
        )

    return draw


def _any_values(shape: Shape) -> st.SearchStrategy:
    """Values in [-4, 4]; tiny ones become exact zeros (every non-zero ``|w| >= 2^-10``)."""
    cells = st.one_of(st.integers(-4, 4).map(float), _floats(-4.0, 4.0))
    return arrays(np.float64, shape, elements=cells.map(lambda x: 0.0 if abs(x) < 2.0**-10 else x))


def _zeros(shape: Shape) -> st.SearchStrategy:
    zero = arrays(np.bool_, shape, elements=st.booleans())
    return st.tuples(_any_values(shape), zero).map(lambda t: np.where(t[1], 0.0, t[0]))


def _dead_units(shape: Shape) -> st.SearchStrategy:
    """A zeroed output row and a faint (``1e-3``) input column."""

    @st.composite
    def build(draw: Any) -> np.ndarray:
        w = draw(_any_values(shape))
        if shape[0] > 1:
            w[draw(st.integers(0, shape[0] - 1)), ...] = 0.0
        if len(shape) > 1 and shape[1] > 1:
            w[:, draw(st.integers(0, shape[1] - 1)), ...] *= 1e-3
        return w

    return build()


def _sparse(shape: Shape) -> st.SearchStrategy:
    """Mostly zeros, a few weights."""
    cells = st.one_of(st.integers(1, 4).map(float), _floats(2.0**-10, 4.0))
    return arrays(np.float64, shape, elements=cells, fill=st.just(0.0))


def _block(shape: Shape) -> st.SearchStrategy:
    """Faint distinct weights with a strong distinct top-left block (a dense sub-network)."""
    top, side = (shape[0] + 1) // 2, (shape[1] + 1) // 2 if len(shape) > 1 else 1
    faint = _signed(_floats(1e-3, 0.05), shape, unique=True)
    strong = _signed(_floats(1.0, 2.0), (top, side, *shape[2:]), unique=True)

    def put(t: tuple) -> np.ndarray:
        w = t[0].copy()
        w[:top, :side] = t[1]
        return w

    return st.tuples(faint, strong).map(put)


def _constant(shape: Shape) -> st.SearchStrategy:
    """Every ``|w| = 1``, random signs (every parameter tied)."""
    return _signed(st.just(1.0), shape, unique=False)


def _mixed(shape: Shape) -> st.SearchStrategy:
    """Small integers in [-3, 3] (ties, zeros) mixed with float32 values in [-8, 8]."""
    cells = st.one_of(st.integers(-3, 3).map(float), _floats(-8.0, 8.0))
    return arrays(np.float64, shape, elements=cells)


#: kind -> ``shape -> strategy of float64 arrays``. Tie-free kinds draw distinct ``|w|``.
VALUE_KINDS: dict[str, Callable[[Shape], st.SearchStrategy]] = {
    "gaussian": _tie_free(2.0**-10, 64.0, 64),
    "ties": _levels(1.0, 4),
    "quantised": _levels(0.25, 12),
    "zeros": _zeros,
    "dead_units": _dead_units,
    "block": _block,
    "heavy_tail": _tie_free(1e-3, 1e6, 64),
    "sparse": _sparse,
    "constant": _constant,
    "mixed": _mixed,
}


#: The kinds ``weight_matrices`` draws by default.
DEFAULT_KINDS = (
    "gaussian",
    "ties",
    "quantised",
    "zeros",
    "dead_units",
    "block",
    "heavy_tail",
    "sparse",
)
#: Every kind a caller may ask for (``"mixed"``: the claim checks' domain).
KINDS = (*DEFAULT_KINDS, "mixed")
#: Tie-free kinds (the maximum spanning forest is unique).
DISTINCT_KINDS = ("gaussian", "heavy_tail", "block")
#: Kinds with ties, zeros and dead units (where convention bugs show).
TIED_KINDS = ("ties", "quantised", "zeros", "dead_units", "sparse")
_ZERO_KINDS = ("zeros", "sparse")
KERNEL_KINDS = ("gaussian", "ties", "zeros", "constant")


def check_range(name: str, low: int, high: int) -> None:
    if isinstance(low, bool) or isinstance(high, bool) or not (1 <= low <= high):
        raise ValueError(f"{name}: need 1 <= min <= max, got ({low}, {high})")


def check_shape(shape: Any, name: str = "shape") -> tuple[int, int]:
    if (
        not isinstance(shape, (tuple, list))
        or len(shape) != 2
        or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1 for d in shape)
    ):
        raise ValueError(f"{name}={shape!r} must be a pair of positive ints (m_out, n_in)")
    return int(shape[0]), int(shape[1])


def check_dtype(dtype: Any) -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(
            f"dtype={dtype!r} is not a numpy dtype; use np.float64 or np.float32"
        ) from exc
    if not np.issubdtype(resolved, np.floating):
        raise ValueError(f"dtype={dtype!r} must be a floating dtype (np.float64, np.float32, ...)")
    return resolved


def check_kinds(
    kinds: Any, allow_zeros: bool, known: tuple[str, ...] = KINDS, name: str = "kinds"
) -> tuple[str, ...]:
    if kinds is None:
        kinds = DEFAULT_KINDS if known == KINDS else known
        return tuple(k for k in kinds if allow_zeros or k not in _ZERO_KINDS)
    if isinstance(kinds, str) or not kinds:
        raise ValueError(f"{name}={kinds!r} must be a non-empty tuple; choose from {known}")
    unknown = set(kinds) - set(known)
    if unknown:
        raise ValueError(f"{name}={tuple(kinds)!r}: unknown {sorted(unknown)}; choose from {known}")
    if not allow_zeros and set(kinds) <= set(_ZERO_KINDS):
        raise ValueError(
            f"{name}={tuple(kinds)!r} only produce zeros; with allow_zeros=False choose other kinds"
        )
    return tuple(k for k in kinds if allow_zeros or k not in _ZERO_KINDS)


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


def layer_of(
    shape: tuple[int, ...],
    kinds: tuple[str, ...],
    dtype: Any = np.float64,
    allow_zeros: bool = True,
    allow_all_zero: bool = False,
) -> st.SearchStrategy[np.ndarray]:
    """Arrays of a fixed ``shape``, each of one kind drawn from ``kinds`` (not validated)."""
    return st.sampled_from(kinds).flatmap(
        lambda kind: VALUE_KINDS[kind](shape).map(
            lambda w: _finish(w, np.dtype(dtype), allow_zeros, allow_all_zero)
        )
    )
