"""The exact maximum spanning forest of a WHOLE conv layer, using the layer's structure.

The core's Toeplitz Kruskal (:func:`topotheory.topology.maximum_spanning_forest`) stops
as soon as the forest spans; a disconnected graph makes it visit every edge. Two exact
reductions avoid that without changing the forest (tested edge for edge against the core):

* **1x1 kernels** (any stride, padding, groups): every output position reads exactly one
  input position and no two read the same, so the graph is ``N_out`` disjoint copies of
  the dense ``C_out/g x C_in/g`` block of each group (same weights in every copy, the same
  edge order inside a copy: the tie rule's flat index orders a copy's edges by output
  channel, then input channel, like the dense layer's). The forest is the dense forest of
  each block, repeated at every output position.
* **trailing input positions no window reads** (the last padded row of a stride-2 conv,
  ResNet's stem): they are isolated nodes. The graph without them (the input cropped after
  the last position any window reads, found with
  :func:`topotheory.topology.tccr.tap_positions`) has the same edges in the same order, so
  the same forest, and the core's Kruskal stops early again. The cropped nodes are added
  back to the node and component counts.

Examples
--------
>>> import torch
>>> from topotheory.nn.trace import trace_model
>>> spec = trace_model(torch.nn.Conv2d(2, 3, 1, stride=2), (2, 5, 5)).layers[0]
>>> forest, graph = whole_layer_forest(spec)
>>> forest.size, forest.n_components, forest.n_nodes
(36, 41, 77)
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from topotheory.nn.tccr import conv_geometry
from topotheory.nn.trace import ConvSpec
from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.forest import SpanningForest
from topotheory.topology.tccr import tap_positions


def _graph(spec: ConvSpec, weight: np.ndarray, input_spatial, padding) -> ConvToeplitzGraph:
    return conv_toeplitz_graph(weight, (spec.in_channels, *input_spatial), stride=spec.stride,
                               padding=padding, dilation=spec.dilation, groups=spec.groups)


def _pointwise_forest(spec: ConvSpec, weight: np.ndarray, graph: ConvToeplitzGraph) -> SpanningForest:
    """Forest of a 1x1 conv: each group's dense forest repeated at every output position."""
    g = spec.groups
    cout_g, cin_g = spec.out_channels // g, spec.in_channels // g
    p_out = math.prod(graph.output_spatial)
    p_in = math.prod(graph.node_spatial)
    taps = tap_positions(conv_geometry(spec).channel_pair())[0]  # input position of each output
    w2 = weight.reshape(spec.out_channels, cin_g)
    co_parts, ci_parts = [], []
    for gi in range(g):
        block = maximum_spanning_forest(w2[gi * cout_g:(gi + 1) * cout_g])
        co_parts.append(gi * cout_g + (block.v - cin_g))
        ci_parts.append(gi * cin_g + block.u)
    co = np.concatenate(co_parts)
    ci = np.concatenate(ci_parts)
    param = co * cin_g + (ci % cin_g)
    mags = np.abs(weight.ravel()[param]).astype(np.float64)
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
    return SpanningForest(
        n_nodes=graph.n_nodes, n_components=int(graph.n_nodes - edge.size),
        edge_index=edge, u=in_node, v=graph.n_inputs + out_node,
        weights=mags_all, param_index=param_all, n_inputs=graph.n_inputs,
    )


def _cropped(spec: ConvSpec, weight: np.ndarray) -> tuple[ConvToeplitzGraph, int]:
    """The graph without trailing unread input positions, and how many nodes were dropped."""
    geometry = conv_geometry(spec).channel_pair()
    padded = geometry.padded_spatial
    coords = np.unravel_index(tap_positions(geometry).ravel(), padded)
    extent = tuple(int(c.max()) + 1 for c in coords)
    if extent == padded:
        return _graph(spec, weight, spec.input_spatial, spec.padding_pairs), 0
    spatial, pads = [], []
    for (before, _), size, keep in zip(spec.padding_pairs, spec.input_spatial, extent, strict=True):
        real = min(size, keep - before)
        if real < 1:  # only padding is read: no crop
            return _graph(spec, weight, spec.input_spatial, spec.padding_pairs), 0
        spatial.append(real)
        pads.append((before, keep - before - real))
    graph = _graph(spec, weight, tuple(spatial), tuple(pads))
    if graph.output_spatial != spec.output_spatial:  # pragma: no cover - defensive
        raise RuntimeError(f"{spec.name}: cropping changed the output size")
    return graph, spec.in_channels * (math.prod(padded) - math.prod(extent))


def whole_layer_forest(
    spec: ConvSpec, weight: np.ndarray | None = None
) -> tuple[SpanningForest, ConvToeplitzGraph]:
    """The exact forest of the whole layer and the graph its indices refer to.

    The forest's ``n_nodes`` and ``n_components`` are those of the layer's full graph
    (cropped isolated nodes included); its edge, node and parameter indices refer to the
    returned graph (the full graph, or the cropped one for a cropped layer).

    Parameters
    ----------
    spec : ConvSpec
        The traced convolution.
    weight : ndarray, optional
        Other weights of the same shape (e.g. an iid-null draw); default the layer's.
    """
    w = spec.weight if weight is None else weight
    if math.prod(spec.kernel) == 1:
        graph = _graph(spec, w, spec.input_spatial, spec.padding_pairs)
        return _pointwise_forest(spec, w, graph), graph
    graph, dropped = _cropped(spec, w)
    forest = maximum_spanning_forest(graph)
    if dropped:
        forest = dataclasses.replace(forest, n_nodes=forest.n_nodes + dropped,
                                     n_components=forest.n_components + dropped)
    return forest, graph
