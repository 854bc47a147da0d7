"""Topologically critical compression ratios (Definition 3.1, Theorem 3.2) in sympy.

``kappa_T(G) = |E| / |MST(G)|``. For a layer whose graph is connected the MST has
``|V| - 1`` edges, which gives the three closed forms of Theorem 3.2:

* dense ``n x m`` layer: ``n m / (n + m - 1)``;
* recurrent layer with ``h`` hidden units (one unrolled step): ``h^2 / (2h - 1)``;
* convolution, one input/output channel pair, through its Toeplitz matrix:
  ``prod(k_j) N_out / (N_in + N_out - 1)`` with ``N_in = prod(i_j + 2 p_j)`` and
  ``N_out = prod(o_j)``, ``o_j = floor((i_j + 2 p_j - d_j (k_j - 1) - 1) / s_j) + 1``.

All functions accept Python integers (exact :class:`sympy.Rational` results) or sympy
symbols (symbolic results). This module imports no numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

__all__ = [
    "conv_output_size",
    "conv_geometry",
    "tccr_ratio",
    "tccr_conv",
    "tccr_dense",
    "tccr_recurrent",
    "tccr_recurrent_unrolled",
]

SymOrInt = int | sp.Expr


def _check_size(name: str, value: SymOrInt, minimum: int = 1) -> sp.Expr:
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer or a sympy expression, not bool")
    if isinstance(value, int):
        if value < minimum:
            raise ValueError(f"{name}={value} must be >= {minimum}")
        return sp.Integer(value)
    if isinstance(value, sp.Basic):
        return value
    raise TypeError(f"{name} must be an int or a sympy expression, got {type(value).__name__}")


def tccr_ratio(n_edges: SymOrInt, mst_size: SymOrInt) -> sp.Expr:
    """Definition 3.1: ``kappa_T = |E| / |MST|``.

    Parameters
    ----------
    n_edges : int or sympy.Expr
        Number of edges of the graph.
    mst_size : int or sympy.Expr
        Number of edges of its maximum spanning tree (forest).

    Returns
    -------
    sympy.Expr
        The exact ratio.

    Examples
    --------
    >>> tccr_ratio(12, 6)
    2
    """
    return _check_size("n_edges", n_edges, 0) / _check_size("mst_size", mst_size, 1)


def tccr_dense(n: SymOrInt, m: SymOrInt) -> sp.Expr:
    """Theorem 3.2, dense layer: ``n m / (n + m - 1)``.

    Parameters
    ----------
    n, m : int or sympy.Expr
        Input and output widths (``>= 1``).

    Returns
    -------
    sympy.Expr
        Exact ratio (a Rational for integers).

    Examples
    --------
    >>> tccr_dense(784, 100)
    78400/883
    """
    n_, m_ = _check_size("n", n), _check_size("m", m)
    return n_ * m_ / (n_ + m_ - 1)


def tccr_recurrent(h: SymOrInt) -> sp.Expr:
    """Theorem 3.2, recurrent layer with ``h`` hidden units: ``h^2 / (2h - 1)``.

    This is the per-step reading: one unrolled step is a complete ``h x h`` bipartite
    layer. See :func:`tccr_recurrent_unrolled` for the whole unrolled graph.

    Examples
    --------
    >>> tccr_recurrent(100)
    10000/199
    """
    h_ = _check_size("h", h)
    return h_**2 / (2 * h_ - 1)


def tccr_recurrent_unrolled(h: SymOrInt, steps: SymOrInt) -> sp.Expr:
    """``|E| / |MST|`` of the whole unrolled graph: ``T h^2 / ((T + 1) h - 1)``.

    The unrolled graph over ``T`` steps has ``(T + 1) h`` nodes and ``T h^2`` edges; it
    is connected, so its MST has ``(T + 1) h - 1`` edges. Equals :func:`tccr_recurrent`
    only for ``T = 1``.

    Examples
    --------
    >>> tccr_recurrent_unrolled(3, 2)
    9/4
    """
    h_, t_ = _check_size("h", h), _check_size("steps", steps)
    return t_ * h_**2 / ((t_ + 1) * h_ - 1)


def conv_output_size(
    size: SymOrInt,
    kernel: SymOrInt,
    *,
    stride: SymOrInt = 1,
    padding: SymOrInt = 0,
    dilation: SymOrInt = 1,
) -> sp.Expr:
    """Output length along one axis: ``floor((i + 2p - d(k - 1) - 1) / s) + 1``.

    Raises
    ------
    ValueError
        If the padded input is shorter than the dilated kernel (integer inputs).

    Examples
    --------
    >>> conv_output_size(28, 3, padding=1)
    28
    >>> conv_output_size(7, 3, stride=2, dilation=2)
    2
    """
    i_ = _check_size("size", size)
    k_ = _check_size("kernel", kernel)
    s_ = _check_size("stride", stride)
    p_ = _check_size("padding", padding, 0)
    d_ = _check_size("dilation", dilation)
    span = i_ + 2 * p_ - d_ * (k_ - 1) - 1
    if span.is_Integer and span < 0:
        raise ValueError(
            f"impossible conv geometry: padded size {i_ + 2 * p_} is smaller than the "
            f"dilated kernel {d_ * (k_ - 1) + 1}; increase size or padding"
        )
    return sp.floor(span / s_) + 1


def _per_axis(name: str, value: SymOrInt | Sequence[SymOrInt], ndim: int) -> list[SymOrInt]:
    if isinstance(value, (int, sp.Basic)):
        return [value] * ndim
    values = list(value)
    if len(values) != ndim:
        raise ValueError(f"{name} has {len(values)} entries but the input has {ndim} axes")
    return values


def conv_geometry(
    input_size: Sequence[SymOrInt],
    kernel: Sequence[SymOrInt],
    *,
    stride: SymOrInt | Sequence[SymOrInt] = 1,
    padding: SymOrInt | Sequence[SymOrInt] = 0,
    dilation: SymOrInt | Sequence[SymOrInt] = 1,
) -> dict[str, sp.Expr]:
    """Node and edge counts of the Toeplitz graph of one channel pair.

    Returns
    -------
    dict
        ``n_in = prod(i_j + 2 p_j)``, ``n_out = prod(o_j)``, ``n_edges = prod(k_j) n_out``
        and ``kappa = n_edges / (n_in + n_out - 1)``.

    Examples
    --------
    >>> g = conv_geometry((28, 28), (3, 3), padding=1)
    >>> g["n_in"], g["n_out"], g["n_edges"]
    (900, 784, 7056)
    """
    ndim = len(input_size)
    if ndim == 0 or len(kernel) != ndim:
        raise ValueError(
            f"input_size and kernel must have the same non-zero number of axes, got "
            f"{len(input_size)} and {len(kernel)}"
        )
    strides = _per_axis("stride", stride, ndim)
    pads = _per_axis("padding", padding, ndim)
    dils = _per_axis("dilation", dilation, ndim)
    n_in: sp.Expr = sp.Integer(1)
    n_out: sp.Expr = sp.Integer(1)
    k_prod: sp.Expr = sp.Integer(1)
    for i_j, k_j, s_j, p_j, d_j in zip(input_size, kernel, strides, pads, dils, strict=True):
        n_in *= _check_size("input_size", i_j) + 2 * _check_size("padding", p_j, 0)
        n_out *= conv_output_size(i_j, k_j, stride=s_j, padding=p_j, dilation=d_j)
        k_prod *= _check_size("kernel", k_j)
    n_edges = k_prod * n_out
    return {
        "n_in": n_in,
        "n_out": n_out,
        "n_edges": n_edges,
        "kappa": n_edges / (n_in + n_out - 1),
    }


def tccr_conv(
    input_size: Sequence[SymOrInt],
    kernel: Sequence[SymOrInt],
    *,
    stride: SymOrInt | Sequence[SymOrInt] = 1,
    padding: SymOrInt | Sequence[SymOrInt] = 0,
    dilation: SymOrInt | Sequence[SymOrInt] = 1,
) -> sp.Expr:
    """Theorem 3.2, convolution: ``prod(k_j) N_out / (N_in + N_out - 1)``.

    Valid (equal to ``|E| / |MST|``) only where the Toeplitz graph is connected; see
    :func:`topotheory.theory.domain.conv_axis_connected`.

    Examples
    --------
    >>> tccr_conv((28, 28), (3, 3), padding=1)
    784/187
    """
    return conv_geometry(
        input_size, kernel, stride=stride, padding=padding, dilation=dilation
    )["kappa"]
