"""The strategy of convolution geometries (weight, input shape, stride, padding, ...)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from topotheory.testing.values import KERNEL_KINDS, check_kinds, check_range, layer_of


def conv_geometries(
    *,
    dims: tuple[int, ...] = (1, 2),
    max_channels: int = 3,
    max_size: int = 7,
    kernel_kinds: tuple[str, ...] = KERNEL_KINDS,
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
        Kernel weights to draw from: ``"gaussian"`` (tie-free), ``"ties"`` (integer
        levels), ``"zeros"`` (some exact zeros, never all) and ``"constant"`` (every ``|w|``
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
    check_range("max_channels", 1, max_channels)
    check_range("max_size", 1, max_size)
    check_range("max_kernel", 1, max_kernel)
    check_range("max_stride", 1, max_stride)
    check_range("max_dilation", 1, max_dilation)
    check_range("max_groups", 1, max_groups)
    if isinstance(max_padding, bool) or not isinstance(max_padding, int) or max_padding < 0:
        raise ValueError(f"max_padding={max_padding!r} must be an int >= 0")
    if connected not in (None, True, False):
        raise ValueError(f"connected={connected!r} must be None, True or False")
    kinds = check_kinds(kernel_kinds, True, KERNEL_KINDS, "kernel_kinds")
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
    weight = draw(layer_of((c_out, c_in // groups, *kernel), kinds))
    return {
        "weight": weight,
        "input_shape": (c_in, *spatial),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
    }
