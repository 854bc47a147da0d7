"""Two exact reductions of a convolution's maximum spanning forest (the Toeplitz dispatch).

The Toeplitz Kruskal (one kernel parameter at a time) stops as soon as the forest spans; a
disconnected graph makes it visit every edge. Two reductions avoid that without changing
the forest: :func:`topotheory.topology.maximum_spanning_forest` applies them to every
:class:`~topotheory.topology.conv.ConvToeplitzGraph` whose input nodes include the padding
(the default), and returns the very same edges, in the same order, with the same indices
(tested edge for edge against the edge-list Kruskal, and against scipy and networkx).

* **1x1 kernels** (any stride, padding, groups): every output position reads exactly one
  input position and no two read the same, so the graph is ``N_out`` disjoint copies of
  the dense ``C_out/g x C_in/g`` block of each group (same weights in every copy, the same
  edge order inside a copy: the tie rule's flat index orders a copy's edges by output
  channel, then input channel, like the dense layer's). The forest is the dense forest of
  each block (:func:`channel_blocks`, computed by the dense algorithms), repeated at every
  output position (:func:`pointwise_forest_edges`).
* **trailing input positions no window reads** (the last padded row of a stride-2 conv,
  ResNet's stem): they are isolated nodes. The graph without them
  (:func:`crop_unread_inputs`, the input cropped after the last position any window reads,
  ``(o - 1) s + (k - 1) d`` per dimension) has the same edges in the
  same order, so the same forest, and the Kruskal stops early again;
  :func:`uncrop_input_nodes` maps the forest's input nodes back to the full graph.

Examples
--------
>>> import numpy as np
>>> from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest
>>> g = conv_toeplitz_graph(np.ones((3, 2, 1, 1)), (2, 5, 5), stride=2)
>>> f = maximum_spanning_forest(g)  # a 1x1 conv: the dense block's forest, 9 times
>>> f.size, f.n_components, f.n_nodes
(36, 41, 77)
>>> crop_unread_inputs(conv_toeplitz_graph(np.ones((1, 1, 3, 3)), (1, 8, 8), stride=2,
...                                        padding=1)).node_spatial
(9, 9)
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.tccr import ConvGeometry, tap_positions


def _channel_pair_geometry(graph: ConvToeplitzGraph) -> ConvGeometry:
    return ConvGeometry(kernel=graph.kernel_size, input_spatial=graph.input_spatial,
                        stride=graph.stride, padding=graph.padding, dilation=graph.dilation)


def is_pointwise(graph: ConvToeplitzGraph) -> bool:
    """Whether the 1x1 reduction applies: a 1x1 kernel and padded positions as nodes.

    Examples
    --------
    >>> from topotheory.topology import conv_toeplitz_graph
    >>> is_pointwise(conv_toeplitz_graph(np.ones((2, 2, 1, 1)), (2, 4, 4), stride=2))
    True
    """
    return graph.include_padding and math.prod(graph.kernel_size) == 1


def channel_blocks(graph: ConvToeplitzGraph) -> list[np.ndarray]:
    """The dense ``C_out/g x C_in/g`` weight block of each group of a 1x1 conv.

    Examples
    --------
    >>> from topotheory.topology import conv_toeplitz_graph
    >>> w = np.arange(1.0, 9.0).reshape(4, 2, 1, 1)
    >>> [b.tolist() for b in channel_blocks(conv_toeplitz_graph(w, (4, 3, 3), groups=2))]
    [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]
    """
    g = graph.groups
    cout_g = graph.out_channels // g
    w2 = graph.weight.reshape(graph.out_channels, graph.in_channels // g)
    return [w2[gi * cout_g:(gi + 1) * cout_g] for gi in range(g)]


def pointwise_forest_edges(
    graph: ConvToeplitzGraph, blocks: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A 1x1 conv's forest from the dense forest of each group's block, in tie-rule order.

    Parameters
    ----------
    graph : ConvToeplitzGraph
        A graph with :func:`is_pointwise`.
    blocks : list of (u, v)
        Per group, the input and output nodes of the dense forest of that group's block
        (:func:`channel_blocks`; ``v`` offset by the block's ``C_in/g`` inputs).

    Returns
    -------
    edge_index, u, v, weights, param_index : ndarray
        The forest's edges in the graph's numbering, ``|w|`` descending then flat index.
    """
    cout_g, cin_g = graph.out_channels // graph.groups, graph.in_channels // graph.groups
    p_out = math.prod(graph.output_spatial)
    p_in = math.prod(graph.node_spatial)
    taps = tap_positions(_channel_pair_geometry(graph))[0]  # input position of each output
    co = np.concatenate([gi * cout_g + (v - cin_g) for gi, (_, v) in enumerate(blocks)])
    ci = np.concatenate([gi * cin_g + u for gi, (u, _) in enumerate(blocks)])
    param = co * cin_g + (ci % cin_g)
    mags = np.abs(graph.weight.ravel()[param]).astype(np.float64)
    copy_order = np.lexsort((param, -mags))  # one copy's edges: |w| descending, then index
    co, ci, param, mags = co[copy_order], ci[copy_order], param[copy_order], mags[copy_order]
    # a parameter's edges, one per output position, ascending in o = ascending flat index
    o = np.tile(np.arange(p_out, dtype=np.int64), co.size)
    co_all, ci_all = np.repeat(co, p_out), np.repeat(ci, p_out)
    param_all, mags_all = np.repeat(param, p_out), np.repeat(mags, p_out)
    in_node = ci_all * p_in + taps[o]
    out_node = co_all * p_out + o
    edge = out_node * graph.n_inputs + in_node
    if np.unique(mags).size != mags.size:  # tied parameters interleave by flat index
        order = np.lexsort((edge, -mags_all))
        edge, in_node, out_node = edge[order], in_node[order], out_node[order]
        mags_all, param_all = mags_all[order], param_all[order]
    return edge, in_node, graph.n_inputs + out_node, mags_all, param_all


def crop_unread_inputs(graph: ConvToeplitzGraph) -> ConvToeplitzGraph | None:
    """The graph without the trailing input positions no window reads; None if there are none.

    The cropped graph has the same output positions, the same edges in the same order
    (its input nodes renumbered: :func:`uncrop_input_nodes` maps them back) and the
    dropped nodes are isolated in ``graph``. Only for graphs whose padded positions are
    nodes (``include_padding=True``); None otherwise.

    Examples
    --------
    >>> from topotheory.topology import conv_toeplitz_graph
    >>> g = conv_toeplitz_graph(np.ones((1, 1, 3)), (1, 8), stride=2, padding=1)
    >>> crop_unread_inputs(g).node_spatial, g.node_spatial
    ((9,), (10,))
    """
    if not graph.include_padding:
        return None
    padded = graph.node_spatial
    # one past the last position read: the last window's last tap, per dimension
    extent = tuple((o - 1) * s + (k - 1) * d + 1 for o, s, k, d in zip(
        graph.output_spatial, graph.stride, graph.kernel_size, graph.dilation, strict=True))
    if extent == padded:
        return None
    spatial, pads = [], []
    for (before, _), size, keep in zip(graph.padding, graph.input_spatial, extent, strict=True):
        real = min(size, keep - before)
        if real < 1:  # only padding is read: no crop
            return None
        spatial.append(real)
        pads.append((before, keep - before - real))
    return dataclasses.replace(graph, input_spatial=tuple(spatial), padding=tuple(pads),
                               node_spatial=extent)


def uncrop_input_nodes(
    u: np.ndarray, cropped: ConvToeplitzGraph, graph: ConvToeplitzGraph
) -> np.ndarray:
    """Input nodes of ``cropped`` (from :func:`crop_unread_inputs`) as nodes of ``graph``.

    The map keeps the order (channel, then position in C order), so flat edge indices
    keep theirs too.

    Examples
    --------
    >>> from topotheory.topology import conv_toeplitz_graph
    >>> g = conv_toeplitz_graph(np.ones((1, 2, 3)), (2, 8), stride=2, padding=1)
    >>> uncrop_input_nodes(np.array([0, 8, 9, 17]), crop_unread_inputs(g), g).tolist()
    [0, 8, 10, 18]
    """
    cropped_positions = math.prod(cropped.node_spatial)
    channel, position = np.divmod(u, cropped_positions)
    coords = np.unravel_index(position, cropped.node_spatial)
    return (channel * math.prod(graph.node_spatial)
            + np.ravel_multi_index(coords, graph.node_spatial)).astype(np.int64)
