"""The exact unrolled (Toeplitz) bipartite graph of a convolution layer.

A convolution with weight ``(C_out, C_in/groups, *kernel)`` acting on an input
``(C_in, *spatial)`` is the sparse linear map whose matrix (``N_out x N_in``) repeats every
kernel parameter once per output position. Each non-zero entry is an edge tagged with the
kernel parameter it comes from (its flat index in the weight tensor).

Input nodes include the padded positions by default (``include_padding=True``), as the
paper counts them (``N_in = prod_j (i_j + 2 p_j)``); with ``include_padding=False`` only the
real input positions are nodes and entries that would multiply padding are not edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.errors import InputTypeError
from topotheory.result import Result
from topotheory.theory.conv_axis import padded_output_length, same_padding
from topotheory.topology._toeplitz_kernels import toeplitz_all_edges
from topotheory.topology._validation import (
    as_padding_pair,
    as_real_array,
    as_whole,
    check_edge_budget,
)


def _tuple(value: Any, dims: int, name: str, minimum: int) -> tuple[int, ...]:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        values = (int(value),) * dims
    else:
        try:
            values = tuple(as_whole(x, name) for x in value)
        except TypeError as error:
            if isinstance(error, InputTypeError) and not isinstance(value, (float, np.floating)):
                raise
            raise TypeError(
                f"{name} must be an int or a tuple of {dims} ints, got {value!r}"
            ) from None
        if len(values) != dims:
            raise ValueError(f"{name}={value!r} must have {dims} entries (one per spatial dim)")
    if any(x < minimum for x in values):
        raise ValueError(f"{name}={value!r} must be >= {minimum} in every dimension")
    return values


@dataclass(frozen=True, repr=False)
class ConvToeplitzGraph(Result):
    """The Toeplitz graph of one convolution layer (edges generated on demand).

    Attributes
    ----------
    weight : numpy.ndarray
        Read-only kernel ``(C_out, C_in/groups, *kernel)``.
    in_channels, out_channels, groups : int
        Channel geometry.
    kernel_size, stride, dilation : tuple of int
        Per spatial dimension.
    padding : tuple of (int, int)
        ``(before, after)`` zero padding per spatial dimension.
    input_spatial, output_spatial, node_spatial : tuple of int
        Input size, output size, and the grid of input nodes (padded when
        ``include_padding``).
    include_padding : bool
        Whether padded input positions are nodes.

    Examples
    --------
    >>> g = conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 28, 28), padding=1)
    >>> g.n_inputs, g.n_outputs, g.n_edges
    (900, 784, 7056)
    >>> round(g.tccr_formula, 5)
    4.19251
    """

    weight: np.ndarray
    in_channels: int
    out_channels: int
    groups: int
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    input_spatial: tuple[int, ...]
    output_spatial: tuple[int, ...]
    node_spatial: tuple[int, ...]
    include_padding: bool

    @property
    def dims(self) -> int:
        """Number of spatial dimensions (1, 2 or 3)."""
        return len(self.kernel_size)

    @property
    def n_inputs(self) -> int:
        """Number of input nodes ``C_in * prod(node_spatial)``."""
        return self.in_channels * math.prod(self.node_spatial)

    @property
    def n_outputs(self) -> int:
        """Number of output nodes ``C_out * prod(output_spatial)``."""
        return self.out_channels * math.prod(self.output_spatial)

    @property
    def n_nodes(self) -> int:
        """Total number of nodes."""
        return self.n_inputs + self.n_outputs

    @property
    def n_params(self) -> int:
        """Number of kernel parameters."""
        return int(self.weight.size)

    @property
    def n_edges(self) -> int:
        """Exact number of Toeplitz entries (edges), computed without enumerating them."""
        channel_pairs = self.out_channels * (self.in_channels // self.groups)
        if self.include_padding:
            return self.n_params * math.prod(self.output_spatial)
        pairs = 1  # product over dims of the valid (kernel offset, output position) pairs
        for d in range(self.dims):
            valid = 0
            for k in range(self.kernel_size[d]):
                for o in range(self.output_spatial[d]):
                    i = o * self.stride[d] + k * self.dilation[d] - self.padding[d][0]
                    valid += 0 <= i < self.input_spatial[d]
            pairs *= valid
        return channel_pairs * pairs

    @property
    def tccr_formula(self) -> float:
        """Theorem 3.2's conv TCCR for one channel pair: ``prod(k) N_out / (N_in + N_out - 1)``.

        ``N_in`` counts padded positions (the paper's reading), whatever ``include_padding``.
        """
        n_in = math.prod(
            i + a + b for i, (a, b) in zip(self.input_spatial, self.padding, strict=True)
        )
        n_out = math.prod(self.output_spatial)
        return math.prod(self.kernel_size) * n_out / (n_in + n_out - 1)

    def geometry_array(self) -> np.ndarray:
        """The int64 geometry vector of the numba kernels (3-D normalised)."""
        pad3 = (1,) * (3 - self.dims)
        zero3 = (0,) * (3 - self.dims)
        kernel = pad3 + self.kernel_size
        stride = pad3 + self.stride
        dilation = pad3 + self.dilation
        before = zero3 + tuple(a for a, _ in self.padding)
        out = pad3 + self.output_spatial
        grid = pad3 + self.node_spatial
        return np.array(
            [
                self.out_channels,
                self.in_channels // self.groups,
                self.out_channels // self.groups,
                *kernel,
                *stride,
                *dilation,
                *before,
                *out,
                *grid,
                int(self.include_padding),
            ],
            dtype=np.int64,
        )

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """All edges sorted by flat index: ``(edge_index, u, v, param_index)``.

        ``u`` is the input node, ``v`` the output node (offset by ``n_inputs``).

        Examples
        --------
        >>> g = conv_toeplitz_graph(np.ones((1, 1, 2)), (1, 3))
        >>> g.edges()[3].tolist()
        [0, 1, 0, 1]
        """
        check_edge_budget(self.n_edges, "this Toeplitz graph")
        flat, u, v, param = toeplitz_all_edges(
            self.geometry_array(), self.n_params, self.n_inputs, math.prod(self.output_spatial)
        )
        order = np.argsort(flat, kind="stable")
        return flat[order], u[order], v[order], param[order]

    def to_edge_list(self) -> Any:
        """The same graph as an explicit :class:`~topotheory.topology.graphs.EdgeListGraph`."""
        from topotheory.topology.graphs import EdgeListGraph

        flat, u, v, param = self.edges()
        return EdgeListGraph.from_arrays(
            self.n_nodes,
            u,
            v,
            self.weight.ravel()[param],
            edge_index=flat,
            param_index=param,
            n_inputs=self.n_inputs,
            description="Toeplitz graph",
        )

    def to_scipy(self) -> Any:
        """The Toeplitz matrix as ``scipy.sparse.csr_matrix`` of shape ``(N_out, N_in)``.

        Examples
        --------
        >>> g = conv_toeplitz_graph(np.array([[[1.0, 2.0]]]), (1, 3))
        >>> g.to_scipy().toarray().tolist()
        [[1.0, 2.0, 0.0], [0.0, 1.0, 2.0]]
        """
        import scipy.sparse as sp

        flat, u, v, param = self.edges()
        data = self.weight.ravel()[param].astype(np.float64)
        return sp.csr_matrix((data, (v - self.n_inputs, u)), shape=(self.n_outputs, self.n_inputs))


def conv_toeplitz_graph(
    weight: Any,
    input_shape: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    include_padding: bool = True,
) -> ConvToeplitzGraph:
    """Build the exact Toeplitz graph of a convolution (1-D, 2-D or 3-D).

    Parameters
    ----------
    weight : array_like
        Kernel of shape ``(C_out, C_in / groups, *kernel)`` (torch layout).
    input_shape : tuple of int
        ``(C_in, *spatial)`` of the layer's input (no batch dimension).
    stride, dilation : int or tuple of int
        As in torch, >= 1.
    padding : int, tuple of int, tuple of (int, int), ``"same"`` or ``"valid"``
        Zero padding per dimension; ``"same"`` follows torch (stride 1; the extra element of an
        odd total goes after).
    groups : int
        Grouped convolution; divides both channel counts.
    include_padding : bool
        Whether padded input positions are nodes (the paper's count). Default True.

    Returns
    -------
    ConvToeplitzGraph

    Raises
    ------
    ValueError
        On impossible geometry (output size < 1, bad groups, shape mismatch) or a graph too
        large to represent; raised before any large allocation.

    Examples
    --------
    >>> g = conv_toeplitz_graph(np.ones((4, 2, 3, 3)), (2, 8, 8), stride=2, padding=1)
    >>> g.output_spatial, g.n_inputs, g.n_outputs
    ((4, 4), 200, 64)
    """
    w = as_real_array(weight, "weight", finite=False)
    if w.ndim not in (3, 4, 5):
        raise ValueError(
            f"weight must have shape (C_out, C_in/groups, *kernel) with 1 to 3 spatial dims, "
            f"got shape {w.shape}"
        )
    if w.size == 0:
        raise ValueError(f"weight is empty (shape {w.shape})")
    if not np.isfinite(w).all():
        raise ValueError("weight holds NaN or inf; clean the weights first")
    dims = w.ndim - 2
    try:
        shape = tuple(as_whole(x, "input_shape") for x in input_shape)
    except TypeError as error:
        if isinstance(error, InputTypeError):
            raise
        raise InputTypeError("must be a tuple of ints (C_in, *spatial)", argument="input_shape",
                             value=input_shape, fix="e.g. input_shape=(3, 32, 32)") from None
    if len(shape) != dims + 1:
        raise ValueError(
            f"input_shape={tuple(input_shape)!r} must be (C_in, *spatial) with {dims} spatial dims "
            f"to match weight of shape {w.shape}"
        )
    if any(x < 1 for x in shape):
        raise ValueError(f"input_shape={shape!r} must be positive in every entry")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive integer, got {groups!r}")
    c_out, c_in_g = int(w.shape[0]), int(w.shape[1])
    c_in = shape[0]
    if c_in % groups or c_out % groups:
        raise ValueError(f"groups={groups} must divide C_in={c_in} and C_out={c_out}")
    if c_in // groups != c_in_g:
        raise ValueError(
            f"weight has {c_in_g} input channels per group but input_shape has C_in={c_in} "
            f"and groups={groups} (expected weight.shape[1] == {c_in // groups})"
        )
    kernel = tuple(int(k) for k in w.shape[2:])
    stride_t = _tuple(stride, dims, "stride", 1)
    dilation_t = _tuple(dilation, dims, "dilation", 1)
    spatial = shape[1:]
    if isinstance(padding, str):
        if padding == "valid":
            pads = tuple((0, 0) for _ in range(dims))
        elif padding == "same":
            if any(s != 1 for s in stride_t):
                raise ValueError("padding='same' needs stride 1 (as in torch)")
            pads = tuple(same_padding(k, d) for k, d in zip(kernel, dilation_t, strict=True))
        else:
            raise ValueError(f"padding={padding!r}: use an int, a tuple, 'same' or 'valid'")
    elif np.ndim(padding) == 0:
        pads = tuple((as_whole(padding, "padding"),) * 2 for _ in range(dims))
        if padding < 0:
            raise ValueError(f"padding={padding} must be >= 0")
    else:
        items = tuple(padding)
        if len(items) != dims:
            raise ValueError(f"padding={padding!r} must have {dims} entries")
        pads = tuple(as_padding_pair(p) for p in items)
        if any(a < 0 or b < 0 for a, b in pads):
            raise ValueError(f"padding={padding!r} must be >= 0")
    out = []
    for d in range(dims):
        padded = spatial[d] + sum(pads[d])
        if padded < dilation_t[d] * (kernel[d] - 1) + 1:
            raise ValueError(
                f"impossible conv geometry in spatial dim {d}: input {spatial[d]} + padding "
                f"{sum(pads[d])} is smaller than the dilated kernel "
                f"{dilation_t[d] * (kernel[d] - 1) + 1}; enlarge the input or padding"
            )
        out.append(padded_output_length(padded, kernel[d], stride=stride_t[d],
                                        dilation=dilation_t[d]))
    node_spatial = (
        tuple(s + a + b for s, (a, b) in zip(spatial, pads, strict=True))
        if include_padding
        else spatial
    )
    weight_ro = np.array(
        w, dtype=np.float64 if not np.issubdtype(w.dtype, np.floating) else w.dtype
    )
    weight_ro.setflags(write=False)
    graph = ConvToeplitzGraph(
        weight=weight_ro,
        in_channels=c_in,
        out_channels=c_out,
        groups=int(groups),
        kernel_size=kernel,
        stride=stride_t,
        dilation=dilation_t,
        padding=pads,
        input_spatial=spatial,
        output_spatial=tuple(out),
        node_spatial=node_spatial,
        include_padding=bool(include_padding),
    )
    check_edge_budget(graph.n_params * math.prod(out), "this convolution's Toeplitz graph")
    return graph
