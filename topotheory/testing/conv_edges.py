"""A conv layer's Toeplitz edges as a user gives them: read, looked up, described.

The numbering of :mod:`topotheory.testing.conv`: input nodes ``c * P + position`` over the
padded grid ``P`` (the real grid with ``include_padding=False``), output nodes
``N_in + c * O + position``; flat Toeplitz index ``out_node * N_in + in_node``; kernel
parameters are flat indices into ``weight.ravel()``. Used by the conv oracle, its hints
(:mod:`topotheory.testing.conv_hints`) and its battery.

Examples
--------
>>> import numpy as np
>>> g = conv_graph(np.array([[[3.0, 2.0]]]), (1, 3), {"padding": 1}, True)
>>> describe_conv_edge(g, 6)
'in c0 @ (1,) -> out c0 @ (1,) [flat 6, param 0, |w|=3]'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from topotheory.testing.describe import describe_list
from topotheory.testing.readers import as_flat_edges
from topotheory.topology.conv import ConvToeplitzGraph, conv_toeplitz_graph


def conv_graph(weight: Any, input_shape: Any, geo: dict, include_padding: bool) -> Any:
    """The Toeplitz graph of ``weight`` on ``input_shape`` with geometry ``geo``."""
    return conv_toeplitz_graph(weight, input_shape, include_padding=include_padding, **geo)


def graph_edges(graph: ConvToeplitzGraph) -> tuple[np.ndarray, np.ndarray]:
    """Every edge's flat index (ascending) and kernel parameter."""
    flat, _, _, param = graph.edges()
    return flat, param


def lookup_edges(flat_all: np.ndarray, flats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is an edge, position in ``flat_all``) for each of ``flats``."""
    pos = np.searchsorted(flat_all, flats)
    pos_c = np.minimum(pos, max(flat_all.size - 1, 0))
    found = (pos < flat_all.size) & (flat_all[pos_c] == flats) if flat_all.size else pos < 0
    return found, pos_c


def same_weights(user: np.ndarray, ref: np.ndarray, graph: ConvToeplitzGraph) -> bool:
    """Whether the Toeplitz edges ``user`` and ``ref`` carry the same multiset of ``|w|``."""
    mags = np.abs(graph.weight.ravel())
    flat_all, param = graph_edges(graph)
    _, pos_u = lookup_edges(flat_all, user)
    _, pos_r = lookup_edges(flat_all, ref)
    return bool(np.allclose(np.sort(mags[param[pos_u]]), np.sort(mags[param[pos_r]])))


def _node_text(graph: ConvToeplitzGraph, node: int, side: str) -> str:
    grid = graph.node_spatial if side == "in" else graph.output_spatial
    size = math.prod(grid)
    channel, rest = divmod(int(node), size)
    pos = tuple(int(x) for x in np.unravel_index(rest, grid))
    text = f"{side} c{channel} @ {pos}"
    if side == "in" and graph.include_padding:
        real = all(
            a <= p < a + s
            for p, (a, _), s in zip(pos, graph.padding, graph.input_spatial, strict=True)
        )
        text += "" if real else " (padding)"
    return text


def describe_conv_edge(graph: ConvToeplitzGraph, flat: int) -> str:
    """``"in c0 @ (2,) -> out c1 @ (1,) [flat 13, param 4, |w|=2]"`` for a flat index.

    Examples
    --------
    >>> g = conv_toeplitz_graph(np.array([[[3.0, 2.0]]]), (1, 3), padding=1)
    >>> describe_conv_edge(g, 6)
    'in c0 @ (1,) -> out c0 @ (1,) [flat 6, param 0, |w|=3]'
    >>> describe_conv_edge(g, 0)
    'in c0 @ (0,) (padding) -> out c0 @ (0,) [flat 0, param 0, |w|=3]'
    """
    n_in = graph.n_inputs
    out, inn = divmod(int(flat), n_in)
    text = f"{_node_text(graph, inn, 'in')} -> {_node_text(graph, out, 'out')} [flat {flat}"
    flat_all, param = graph_edges(graph)
    found, pos = lookup_edges(flat_all, np.array([flat], dtype=np.int64))
    if found[0]:
        p = int(param[pos[0]])
        return text + f", param {p}, |w|={abs(float(graph.weight.flat[p])):.6g}]"
    return text + ": not an entry of the Toeplitz matrix]"


def describe_conv_edges(graph: ConvToeplitzGraph, flats: Any) -> str:
    """The first few of ``flats`` described (:func:`describe_conv_edge`), then how many more."""
    return describe_list(flats, lambda f: describe_conv_edge(graph, f))


def read_conv_edges(result: Any, graph: ConvToeplitzGraph, edge_format: str) -> np.ndarray:
    """A user's edges as sorted flat indices, or an AssertionError naming the numbering."""
    try:
        return as_flat_edges(result, (graph.n_outputs, graph.n_inputs), edge_format=edge_format)
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\n  (this conv layer's Toeplitz matrix is (N_out, N_in) = ({graph.n_outputs}, "
            f"{graph.n_inputs}) with include_padding={graph.include_padding}; flat index = "
            "out_node * N_in + in_node, pairs are (out_node, in_node) entries or, with "
            "edge_format='nodes', node ids with outputs offset by N_in)"
        ) from None


def group_crossing(graph: ConvToeplitzGraph, flats: np.ndarray) -> str | None:
    """A sentence about the first edge joining channels of two groups, or None."""
    if graph.groups == 1 or flats.size == 0:
        return None
    n_in = graph.n_inputs
    c_in = (flats % n_in) // math.prod(graph.node_spatial)
    c_out = (flats // n_in) // math.prod(graph.output_spatial)
    g_in = c_in // (graph.in_channels // graph.groups)
    g_out = c_out // (graph.out_channels // graph.groups)
    bad = np.flatnonzero(g_in != g_out)
    if not bad.size:
        return None
    i = int(bad[0])
    return (
        f"your edge {describe_conv_edge(graph, int(flats[i]))} joins input channel "
        f"{int(c_in[i])} (group {int(g_in[i])}) to output channel {int(c_out[i])} (group "
        f"{int(g_out[i])}): your graph probably ignores groups={graph.groups} (output channel "
        f"o sees only the {graph.in_channels // graph.groups} input channels of its group, "
        "o // (C_out / groups))"
    )
