"""Per-layer TCCR: the Theorem 3.2 formulas and exact counting on the actual graphs.

Torch-free. Three kinds of layer (CLAIMS.md, formula 2):

* dense ``n -> m``: complete bipartite, ``kappa_T = n m / (n + m - 1)``;
* recurrent ``h x h`` block: ``kappa_T = h^2 / (2h - 1)``;
* convolution: the Toeplitz (unrolled) bipartite graph between the (padded) input
  positions and the output positions. The paper's formula takes ONE input/output
  channel pair: ``kappa_T = prod(k) N_out / (N_in + N_out - 1)``.

The formula assumes the graph is connected. :func:`conv_counts` counts nodes,
edges and connected components of the actual graph (one channel pair, or the whole
layer with every channel pair and groups), so ``|MSF| = |V| - #components`` exactly;
the two disagree when the graph is disconnected, e.g. ``stride > dilation (k - 1) + 1``
(input positions skipped by every window), dilation ``> 1`` with stride 1 (parity
classes), strided convs that never reach the last padded rows, or 1x1 stride-2
shortcut convs (three quarters of the inputs are isolated).

:func:`parameter_forest` goes further than the paper: conv edges share kernel
parameters, so it runs the core's grouped Kruskal (one parameter at a time; tie rule:
``|w|`` descending, then flat edge index ascending, the core's rule) and counts the
distinct kernel parameters the maximum spanning forest uses.

Examples
--------
>>> from topotheory.topology.tccr import ConvGeometry, conv_counts, conv_tccr_formula
>>> g = ConvGeometry(kernel=(3, 3), input_spatial=(32, 32), padding=((1, 1), (1, 1)))
>>> round(conv_tccr_formula(g), 5)  # the paper's 4.22946
4.22946
>>> conv_counts(g).tccr == conv_tccr_formula(g)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from topotheory.result import Result
from topotheory.theory.conv_axis import padded_output_length
from topotheory.topology._validation import as_padding_pair, as_real_array, as_whole


def dense_tccr(n_in: int, n_out: int) -> float:
    """TCCR of a dense ``n_in -> n_out`` layer, ``n m / (n + m - 1)``.

    Examples
    --------
    >>> round(dense_tccr(784, 100), 5)
    88.78822
    """
    n_in, n_out = _positive(n_in, "n_in"), _positive(n_out, "n_out")
    return n_in * n_out / (n_in + n_out - 1)


def recurrent_tccr(hidden: int) -> float:
    """TCCR of a recurrent ``h x h`` block, ``h^2 / (2h - 1)``.

    Examples
    --------
    >>> recurrent_tccr(1)
    1.0
    """
    h = _positive(hidden, "hidden")
    return h * h / (2 * h - 1)


def _positive(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _per_dim(value: int | Sequence[int], dim: int, name: str) -> tuple[int, ...]:
    if np.ndim(value) == 0:
        return (as_whole(value, name),) * dim
    out = tuple(as_whole(v, name) for v in value)
    if len(out) != dim:
        raise ValueError(f"{name} must have {dim} entries (one per spatial dim), got {value!r}")
    return out


@dataclass(frozen=True, repr=False)
class ConvGeometry(Result):
    """Geometry of a convolution (channels default to one pair).

    ``padding`` is an int, a per-dimension tuple of ints, or per-dimension
    ``(before, after)`` pairs (zero padding).

    Examples
    --------
    >>> ConvGeometry(kernel=(3,), input_spatial=(8,), stride=2, padding=1).output_spatial
    (4,)
    """

    kernel: tuple[int, ...]
    input_spatial: tuple[int, ...]
    stride: int | tuple[int, ...] = 1
    padding: int | tuple = 0
    dilation: int | tuple[int, ...] = 1
    in_channels: int = 1
    out_channels: int = 1
    groups: int = 1

    def __post_init__(self) -> None:
        dim = len(self.kernel)
        if dim < 1 or len(self.input_spatial) != dim:
            raise ValueError(
                f"kernel {self.kernel} and input_spatial {self.input_spatial} need the same, "
                "non-zero number of spatial dims"
            )
        object.__setattr__(self, "kernel", tuple(as_whole(k, "kernel") for k in self.kernel))
        object.__setattr__(
            self, "input_spatial", tuple(as_whole(i, "input_spatial") for i in self.input_spatial)
        )
        object.__setattr__(self, "stride", _per_dim(self.stride, dim, "stride"))
        object.__setattr__(self, "dilation", _per_dim(self.dilation, dim, "dilation"))
        pad = self.padding
        if np.ndim(pad) == 0:
            pairs = ((as_whole(pad, "padding"),) * 2,) * dim
        else:
            pad = tuple(pad)
            if len(pad) != dim:
                raise ValueError(f"padding must have {dim} entries, got {self.padding!r}")
            pairs = tuple(as_padding_pair(p) for p in pad)
        object.__setattr__(self, "padding", pairs)
        for name in ("in_channels", "out_channels", "groups"):
            _positive(getattr(self, name), name)
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(
                f"groups={self.groups} must divide in_channels={self.in_channels} and "
                f"out_channels={self.out_channels}"
            )
        if min(self.kernel + self.stride + self.dilation) < 1 or min(self.input_spatial) < 1:
            raise ValueError("kernel, stride, dilation and input_spatial must be positive")
        if any(p < d * (k - 1) + 1 for p, k, d in zip(self.padded_spatial, self.kernel,
                                                       self.dilation, strict=True)):
            raise ValueError(f"the kernel does not fit the padded input: {self}")

    @property
    def padded_spatial(self) -> tuple[int, ...]:
        """Input extent with zero padding."""
        return tuple(i + a + b for i, (a, b) in zip(self.input_spatial, self.padding, strict=True))

    @property
    def output_spatial(self) -> tuple[int, ...]:
        """Output extent, ``floor((i_pad - d (k-1) - 1) / s) + 1``."""
        return tuple(
            padded_output_length(p, k, stride=s, dilation=d)
            for p, k, s, d in zip(self.padded_spatial, self.kernel, self.stride, self.dilation, strict=True)
        )

    def channel_pair(self) -> ConvGeometry:
        """The same geometry with one input and one output channel."""
        return ConvGeometry(self.kernel, self.input_spatial, self.stride, self.padding, self.dilation)


def conv_tccr_formula(geometry: ConvGeometry) -> float:
    """The paper's conv TCCR: ``prod(k) N_out / (N_in + N_out - 1)``, padded ``N_in``.

    Channels do not enter (one channel pair), as in Theorem 3.2.

    Examples
    --------
    >>> g = ConvGeometry(kernel=(3, 3), input_spatial=(28, 28), padding=1)
    >>> round(conv_tccr_formula(g), 5)
    4.19251
    """
    n_in = math.prod(geometry.padded_spatial)
    n_out = math.prod(geometry.output_spatial)
    return math.prod(geometry.kernel) * n_out / (n_in + n_out - 1)


def conv_full_tccr_formula(geometry: ConvGeometry) -> float:
    """Theorem 3.2's count applied to the whole layer (every channel pair, groups).

    ``E = C_out (C_in/g) prod(k) N_out`` over ``C_in N_in + C_out N_out - g`` forest
    edges (``g`` connected blocks, valid when each block is connected).

    Examples
    --------
    >>> g = ConvGeometry(kernel=(3, 3), input_spatial=(4, 4), padding=1, in_channels=2,
    ...                  out_channels=2)
    >>> conv_full_tccr_formula(g) == 2 * 2 * 9 * 16 / (2 * 36 + 2 * 16 - 1)
    True
    """
    n_in = math.prod(geometry.padded_spatial)
    n_out = math.prod(geometry.output_spatial)
    edges = geometry.out_channels * (geometry.in_channels // geometry.groups)
    edges *= math.prod(geometry.kernel) * n_out
    return edges / (geometry.in_channels * n_in + geometry.out_channels * n_out - geometry.groups)


def tap_positions(geometry: ConvGeometry, *, include_padding: bool = True) -> np.ndarray:
    """Input position of every (kernel tap, output position): int64 ``(prod k, N_out)``.

    Positions are flat indices into the padded input (C order); with
    ``include_padding=False`` taps that land on padding are ``-1``.

    Examples
    --------
    >>> tap_positions(ConvGeometry(kernel=(2,), input_spatial=(3,)))
    array([[0, 1],
           [1, 2]])
    """
    padded, out = geometry.padded_spatial, geometry.output_spatial
    grids = np.meshgrid(*[np.arange(k) for k in geometry.kernel], indexing="ij")
    taps = [g.ravel() for g in grids]
    ogrids = np.meshgrid(*[np.arange(o) for o in out], indexing="ij")
    outs = [g.ravel() for g in ogrids]
    flat = np.zeros((len(taps[0]), len(outs[0])), dtype=np.int64)
    valid = np.ones(flat.shape, dtype=bool)
    for j in range(len(padded)):
        pos = outs[j][None, :] * geometry.stride[j] + taps[j][:, None] * geometry.dilation[j]
        before, after = geometry.padding[j]
        valid &= (pos >= before) & (pos < padded[j] - after)
        flat = flat * padded[j] + pos
    if not include_padding:
        flat = np.where(valid, flat, -1)
    return flat


@dataclass(frozen=True, repr=False)
class GraphCounts(Result):
    """Exact counts on an unrolled graph; ``forest_size = n_nodes - n_components``."""

    n_nodes: int
    n_edges: int
    n_components: int
    isolated_nodes: int

    @property
    def forest_size(self) -> int:
        """Edges of any maximum spanning forest."""
        return self.n_nodes - self.n_components

    @property
    def connected(self) -> bool:
        """Whether the graph has one component."""
        return self.n_components == 1

    @property
    def tccr(self) -> float:
        """``|E| / |MSF|`` (``inf`` for a graph without edges)."""
        return self.n_edges / self.forest_size if self.forest_size else math.inf


def conv_counts(
    geometry: ConvGeometry, *, full_layer: bool = False, include_padding: bool = True
) -> GraphCounts:
    """Exact node, edge and component counts of a conv layer's Toeplitz graph.

    Parameters
    ----------
    geometry : ConvGeometry
        The layer.
    full_layer : bool
        ``False``: one input/output channel pair (the paper's graph). ``True``: the whole
        layer, every channel pair of every group. Components are counted on the
        single-pair graph and lifted: each non-trivial component of the pair graph
        becomes one component per group (all channel pairs share its spatial edges),
        each isolated input (output) position one isolated node per input (output)
        channel.
    include_padding : bool
        ``True`` (the paper's ``N_in``): padded positions are nodes and their Toeplitz
        entries edges. ``False``: only real inputs and their edges.

    Examples
    --------
    >>> g = ConvGeometry(kernel=(1, 1), input_spatial=(4, 4), stride=2)
    >>> c = conv_counts(g)
    >>> (c.n_nodes, c.n_edges, c.n_components, c.tccr)
    (20, 4, 16, 1.0)
    """
    taps = tap_positions(geometry, include_padding=include_padding)
    n_pad = math.prod(geometry.padded_spatial)
    n_out = math.prod(geometry.output_spatial)
    rows = np.broadcast_to(np.arange(n_out, dtype=np.int64), taps.shape).ravel()
    cols = taps.ravel()
    keep = cols >= 0
    rows, cols = rows[keep], cols[keep]
    if include_padding:
        real_in = n_pad
    else:
        real = np.zeros(geometry.padded_spatial, dtype=bool)
        real[tuple(slice(a, p - b) for (a, b), p in zip(geometry.padding, geometry.padded_spatial, strict=True))] = True
        real_in = int(real.sum())
        cols = np.cumsum(real.ravel())[cols] - 1  # renumber real inputs 0..real_in-1
    n_edges_pair = int(rows.size)
    n = real_in + n_out
    adj = coo_matrix((np.ones(n_edges_pair), (cols, real_in + rows)), shape=(n, n)).tocsr()
    n_comp, _ = connected_components(adj, directed=False)
    degree = np.bincount(cols, minlength=real_in)
    iso_in = int((degree == 0).sum())
    iso_out = int((np.bincount(rows, minlength=n_out) == 0).sum())
    if not full_layer:
        return GraphCounts(n, n_edges_pair, int(n_comp), iso_in + iso_out)
    g = geometry.groups
    cin, cout = geometry.in_channels // g, geometry.out_channels // g
    nontrivial = int(n_comp) - iso_in - iso_out
    comps = g * nontrivial + geometry.in_channels * iso_in + geometry.out_channels * iso_out
    nodes = geometry.in_channels * real_in + geometry.out_channels * n_out
    return GraphCounts(nodes, g * cin * cout * n_edges_pair, comps,
                       geometry.in_channels * iso_in + geometry.out_channels * iso_out)


# ---------------------------------------------------------------- parameter level
@dataclass(frozen=True, repr=False)
class ParameterForest(Result):
    """Which kernel parameters a conv layer's maximum spanning forest uses."""

    n_params: int
    n_used: int
    forest_size: int
    used: np.ndarray  # bool over the flat kernel parameters (weight.ravel() order)

    @property
    def ratio(self) -> float:
        """Parameter-level ratio ``#parameters / #parameters used``."""
        return self.n_params / self.n_used if self.n_used else math.inf


def parameter_forest(
    weight: np.ndarray, geometry: ConvGeometry, *, include_padding: bool = True
) -> ParameterForest:
    """Distinct kernel parameters used by the maximum spanning forest of a conv layer.

    Kruskal's algorithm on the full Toeplitz graph (nodes: input channel x padded
    position, then output channel x output position; flat edge index
    ``out_node * n_inputs + in_node``), processed parameter by parameter in the
    core's tie rule (``|w|`` descending, then flat edge index ascending; a run of
    parameters with equal ``|w|`` has its edges interleaved by flat index). A
    parameter is used iff at least one of its Toeplitz entries enters the forest.
    Stops once the forest is complete. Zero weights are present edges.

    Parameters
    ----------
    weight : ndarray
        ``(C_out, C_in/groups, *kernel)``, matching ``geometry`` (use
        ``weight[o:o+1, c:c+1]`` with ``geometry.channel_pair()`` for one pair).
    geometry : ConvGeometry
        The layer's geometry.
    include_padding : bool
        Whether padded positions are nodes (see :func:`conv_counts`).

    Examples
    --------
    >>> import numpy as np
    >>> g = ConvGeometry(kernel=(3,), input_spatial=(5,), padding=1)
    >>> pf = parameter_forest(np.array([[[3.0, 2.0, 1.0]]]), g)
    >>> pf.forest_size, pf.n_used, pf.used.ravel().tolist()
    (11, 3, [True, True, True])
    """
    from topotheory.topology.conv import conv_toeplitz_graph
    from topotheory.topology.forest import maximum_spanning_forest

    w = as_real_array(weight, "weight").astype(np.float64, copy=False)
    g = geometry
    expected = (g.out_channels, g.in_channels // g.groups, *g.kernel)
    if w.shape != expected:
        raise ValueError(f"weight must have shape {expected} for this geometry, got {w.shape}")
    graph = conv_toeplitz_graph(
        w,
        (g.in_channels, *g.input_spatial),
        stride=g.stride,
        padding=g.padding,
        dilation=g.dilation,
        groups=g.groups,
        include_padding=include_padding,
    )
    forest = maximum_spanning_forest(graph)
    used = np.zeros(w.size, dtype=bool)
    used[forest.used_parameters()] = True
    return ParameterForest(int(w.size), int(used.sum()), forest.size, used.reshape(w.shape))
