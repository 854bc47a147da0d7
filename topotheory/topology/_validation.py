"""Input validation shared by the topology core: clear errors before any large allocation."""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.errors import InputError, InputTypeError
from topotheory.limits import SizeLimitError, check_allocation, memory_limit_bytes
from topotheory.topology._arraylike import as_numpy
from topotheory.topology._kernels import first_non_finite

#: Hard cap on the edge count the core will materialise or scan (about 2**33 edges); the
#: memory limit of :mod:`topotheory.limits` usually binds first.
MAX_EDGES = 1 << 33

#: Bytes the core needs per edge of a dense layer (weights, order, indices, labels).
BYTES_PER_EDGE = 40


def as_real_array(
    values: Any, name: str = "weights", *, allow_bool: bool = False, finite: bool = True
) -> np.ndarray:
    """Return ``values`` as a C-contiguous, native-order float array, or refuse it.

    Conversions (documented, exact except ``longdouble``): float16, longdouble (rounded to
    float64), big-endian and integer arrays become native float64; Fortran-order arrays
    become C-order; native float32 stays float32 (the kernels compute in its precision,
    as before). Refused with a clear error: masked arrays (the mask would be
    ignored), complex, bool (unless ``allow_bool``), object, string, bytes, datetime and
    timedelta arrays, and (when ``finite``) NaN or infinite values. torch tensors and other
    array-likes are read first by :func:`~topotheory.topology._arraylike.as_numpy`
    (detached, on the CPU, half precision as float32; a torch module is refused).

    Examples
    --------
    >>> as_real_array(np.array([1, 2], dtype=">f2")).dtype
    dtype('float64')
    >>> as_real_array(np.array([1.0, np.nan]))
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: weights=array([ 1., nan]): holds a non-finite value (NaN or inf) at index (1,); remove or replace non-finite weights (e.g. numpy.nan_to_num) before calling
    """
    values = as_numpy(values, name)  # torch tensors -> numpy; a module is refused
    if isinstance(values, np.ma.MaskedArray):
        raise InputTypeError(
            "is a masked array; its mask would be ignored",
            argument=name, value="<masked array>",
            fix="pass weights.filled(0.0) (masked entries as pruned weights of 0) or use the "
            "mask= argument where offered",
        )
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:
        raise InputTypeError(
            f"is not an array ({str(error).splitlines()[0][:80]})", argument=name,
            value=type(values).__name__, fix="pass a rectangular numeric array",
        ) from None
    kind = array.dtype.kind
    if kind == "c":
        raise InputTypeError(
            f"has complex dtype {array.dtype}; weights are real",
            argument=name, value=f"<{array.dtype} array>",
            fix=f"pass {name}.real (or numpy.abs({name})) explicitly",
        )
    if kind == "b" and not allow_bool:
        raise InputTypeError(
            "has dtype bool, which is not a weight", argument=name, value="<bool array>",
            fix=f"pass {name}.astype(float) if 0/1 weights are meant (a mask goes to mask=)",
        )
    if kind in "mM":
        raise InputTypeError(
            f"has dtype {array.dtype} (dates or durations), not numbers",
            argument=name, value=f"<{array.dtype} array>",
            fix=f"convert explicitly, e.g. {name}.astype('timedelta64[s]').astype(float)",
        )
    if kind not in "fiub":
        raise InputTypeError(
            f"must be a real numeric array, got dtype {array.dtype}",
            argument=name, value=f"<{array.dtype} array>",
            fix="pass a float array (e.g. loaded with numpy.load from a .npy file)",
        )
    keep = array.dtype in (np.float64, np.float32) and array.dtype.isnative
    if not keep or not array.flags.c_contiguous:
        check_allocation(
            array.size * 8, what=f"a float64 copy of the {array.shape} {array.dtype} array",
            argument=name, value=f"<array of shape {array.shape}>", fix="pass a smaller array",
        )
        array = np.ascontiguousarray(array, dtype=array.dtype if keep else np.float64)
    if finite and array.size:
        first = first_non_finite(array)  # one pass, no boolean array of every entry
        if first >= 0:
            _refuse_non_finite(values, array, name, np.unravel_index(first, array.shape))
    return array


def _refuse_non_finite(values: Any, array: np.ndarray, name: str, bad: tuple) -> None:
    raise InputError(
        f"holds a non-finite value (NaN or inf) at index {tuple(int(i) for i in bad)}",
        argument=name, value=values if array.size <= 8 else f"<array of shape {array.shape}>",
        fix="remove or replace non-finite weights (e.g. numpy.nan_to_num) before calling",
    )


def as_whole(value: Any, name: str) -> int:
    """``value`` as an ``int`` if it is an integer (Python or numpy, not bool), else refuse.

    Geometry (stride, padding, dilation, kernel and input sizes) must be whole numbers:
    ``1.5`` is refused rather than truncated.

    Examples
    --------
    >>> as_whole(np.int64(3), "stride")
    3
    >>> as_whole(1.5, "stride")
    Traceback (most recent call last):
    ...
    topotheory.errors.InputTypeError: stride=1.5: must be a whole number (int), got float; pass an int such as 1 or 2
    """
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    raise InputTypeError(
        f"must be a whole number (int), got {type(value).__name__}", argument=name, value=value,
        fix="pass an int such as 1 or 2",
    )


def as_padding_pair(value: Any) -> tuple[int, int]:
    """One spatial dim's padding as ``(before, after)``: an int pads both sides alike.

    Examples
    --------
    >>> as_padding_pair(2), as_padding_pair((1, 3))
    ((2, 2), (1, 3))
    """
    if np.ndim(value) == 0:
        return (as_whole(value, "padding"),) * 2
    return as_whole(value[0], "padding"), as_whole(value[1], "padding")


def as_index_array(values: Any, name: str, *, minimum: int = 0) -> np.ndarray:
    """Return ``values`` as a flat int64 array of integer values ``>= minimum``, or refuse it.

    Floats are accepted only when every value is a whole number (``2.0``, not ``2.5``);
    bool, complex and non-numeric arrays are refused.

    Examples
    --------
    >>> as_index_array([0, 2.0], "u").tolist()
    [0, 2]
    >>> as_index_array([0.5], "u")
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: u=[0.5]: must hold whole numbers, found 0.5 at position 0; pass integer node ids
    """
    try:
        array = np.asarray(as_numpy(values, name))
    except (ValueError, TypeError) as error:
        if isinstance(error, InputTypeError):
            raise
        raise InputTypeError(f"is not an array ({error})", argument=name, value=type(values).__name__,
                             fix="pass a flat list of integers") from None
    array = array.ravel()
    if array.dtype.kind not in "iuf" or isinstance(values, np.ma.MaskedArray):
        raise InputTypeError(
            f"must hold integers, got dtype {array.dtype}", argument=name,
            value=values if array.size <= 8 else f"<{array.dtype} array>",
            fix="pass integer indices",
        )
    if array.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(array) | (array != np.round(array)))
        if bad.size:
            raise InputError(
                f"must hold whole numbers, found {float(array[bad[0]])!r} at position {int(bad[0])}",
                argument=name, value=values if array.size <= 8 else f"<{array.dtype} array>",
                fix="pass integer node ids" if name in ("u", "v") else "pass integer indices",
            )
        if array.size and np.abs(array).max() > 2.0**62:
            raise InputError("holds values too large for int64", argument=name,
                             value=f"<{array.dtype} array>", fix="pass smaller indices")
    elif array.dtype.kind == "u" and array.size and array.max() > np.iinfo(np.int64).max:
        raise InputError("holds values too large for int64", argument=name,
                         value=f"<{array.dtype} array>", fix="pass smaller indices")
    out = array.astype(np.int64)
    if out.size and out.min() < minimum:
        raise InputError(
            f"must be >= {minimum}, found {int(out.min())}", argument=name,
            value=values if out.size <= 8 else f"<array of {out.size} indices>",
            fix=f"pass indices >= {minimum}",
        )
    return out


def as_weight_matrix(
    weights: Any, name: str = "weights", *, check_finite: bool = True
) -> np.ndarray:
    """Return ``weights`` as a finite 2-D float64 array (no copy when possible).

    Size is checked against the memory limit *before* any full pass over the data; the
    dtype rules are those of :func:`as_real_array`. A C-contiguous, native float64 or
    float32 ``numpy.ndarray`` is returned as is after one allocation-free pass for
    non-finite values: the topology core calls this on every call, so it costs about a
    microsecond on a small layer.

    Parameters
    ----------
    weights : array_like
        A dense layer's weights, shape ``(m_out, n_in)``.
    name : str
        The argument name used in error messages.
    check_finite : bool
        Refuse NaN and infinite values (default). ``False`` leaves that check to a caller
        whose own pass over the data does it (the dense forest kernels), which must then
        call :func:`refuse_non_finite`.

    Raises
    ------
    TypeError
        If ``weights`` is not a real numeric array (see :func:`as_real_array`).
    ValueError
        If it is not 2-D, is empty, too large for memory, or holds NaN or infinite values.

    Examples
    --------
    >>> as_weight_matrix([[1.0, -2.0]]).shape
    (1, 2)
    """
    if type(weights) is np.ndarray and weights.ndim == 2 and weights.size:
        dtype = weights.dtype
        if dtype.char in "fd" and dtype.isnative and weights.flags.c_contiguous:
            size = weights.size
            if size > MAX_EDGES or size * BYTES_PER_EDGE > memory_limit_bytes():
                check_edge_budget(size, f"the {weights.shape[0]}x{weights.shape[1]} layer", name)
            if check_finite and first_non_finite(weights) >= 0:
                refuse_non_finite(weights, name)
            return weights
    shape = getattr(weights, "shape", None)
    if isinstance(shape, tuple) and len(shape) == 2 and not isinstance(weights, np.ma.MaskedArray):
        check_edge_budget(int(shape[0]) * int(shape[1]), f"the {shape[0]}x{shape[1]} layer", name)
    array = as_real_array(weights, name, finite=False)
    if array.ndim != 2:
        raise InputError(
            f"must be 2-D with shape (m_out, n_in) (torch Linear layout), got {array.ndim}-D "
            f"shape {array.shape}",
            argument=name, value=f"<array of shape {array.shape}>",
            fix="reshape it, or pass a graph object (conv_toeplitz_graph / "
            "recurrent_unrolled_graph)",
        )
    if array.size == 0:
        raise InputError(
            f"is empty (shape {array.shape}); a layer needs >= 1 input and output",
            argument=name, value=f"<array of shape {array.shape}>", fix="pass a non-empty matrix",
        )
    check_edge_budget(array.size, f"the {array.shape[0]}x{array.shape[1]} layer", name)
    return as_real_array(array, name, finite=check_finite)


def refuse_non_finite(weights: np.ndarray, name: str = "weights") -> None:
    """Raise the error of :func:`as_real_array` for the first NaN or infinite entry.

    For callers that found a non-finite value in their own pass over ``weights`` (a
    C-contiguous float array).

    Examples
    --------
    >>> refuse_non_finite(np.array([[1.0, np.inf]]))
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: weights=array([[ 1., inf]]): holds a non-finite value (NaN or inf) at index (0, 1); remove or replace non-finite weights (e.g. numpy.nan_to_num) before calling
    """
    first = first_non_finite(weights)
    if first < 0:
        raise AssertionError("refuse_non_finite called on finite weights")
    _refuse_non_finite(weights, weights, name, np.unravel_index(first, weights.shape))


def as_mask(mask: Any, shape: tuple[int, ...], name: str = "mask") -> np.ndarray | None:
    """Validate a boolean edge mask (True = edge present) of the given shape.

    Examples
    --------
    >>> as_mask([[1, 0]], (1, 2)).dtype
    dtype('bool')
    """
    if mask is None:
        return None
    array = np.asarray(as_numpy(mask, name))
    if array.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {array.shape} but the weights have shape {tuple(shape)}"
        )
    if array.dtype != np.bool_:
        if not np.isin(array, (0, 1)).all():
            raise ValueError(f"{name} must be binary (0/1 or bool); found other values")
        array = array.astype(bool)
    return np.ascontiguousarray(array)


def check_zero_weights(zero_weights: str) -> str:
    """Validate the ``zero_weights`` convention name.

    Examples
    --------
    >>> check_zero_weights("absent")
    'absent'
    """
    if zero_weights not in ("present", "absent"):
        raise InputError(
            "unknown convention", argument="zero_weights", value=zero_weights,
            fix="choose 'present' (a pruned weight is an edge of weight 0, Rieck's "
            "convention) or 'absent' (a zero weight is no edge)",
        )
    return zero_weights


def check_edge_budget(n_edges: int, what: str, argument: str = "weights") -> None:
    """Raise before allocating when a graph is too large to handle in memory.

    The limit is :data:`BYTES_PER_EDGE` bytes per edge against the memory limit of
    :mod:`topotheory.limits` (and at most :data:`MAX_EDGES` edges); the message names the
    override.

    Examples
    --------
    >>> check_edge_budget(10, "test graph")
    """
    fix = "use one channel pair, a smaller input, or the TCCR formula instead"
    if n_edges > MAX_EDGES:
        raise SizeLimitError(
            f"{what} would have {n_edges:,} edges, more than the {MAX_EDGES:,} the core handles",
            argument=argument, value=f"<{what}>", fix=fix,
        )
    check_allocation(
        n_edges * BYTES_PER_EDGE, what=f"{what} ({n_edges:,} edges)", argument=argument,
        value=f"<{what}>", fix=fix,
    )
