"""Why a user's conv forest differs: the hints and the validity check of kind ``"conv_mst"``.

:func:`conv_forest_hints` recomputes the forest under the conventions a conv
implementation most often gets wrong (one channel pair's graph, groups ignored, padded
positions as nodes or not, zero weights present or absent) and names the one the user's
edges match; :func:`valid_forest_problem` says why the user's edges are not even a
spanning forest of the layer's graph.

Examples
--------
>>> import numpy as np
>>> from topotheory.testing.conv_edges import conv_graph
>>> g = conv_graph(np.array([[[3.0, 2.0]]]), (1, 3), {"padding": 1}, True)
>>> valid_forest_problem(np.sort([0, 6, 12, 18, 1, 7, 13, 19]), g, 8, "present") is None
True
>>> print(valid_forest_problem(np.array([2, 6]), g, 8, "present"))
your edge in c0 @ (2,) -> out c0 @ (0,) [flat 2: not an entry of the Toeplitz matrix] is not an edge of this layer's graph
"""

from __future__ import annotations

import math

import numpy as np

from topotheory.testing.alternatives import ALTERNATIVES
from topotheory.testing.conv_edges import (
    conv_graph,
    describe_conv_edge,
    graph_edges,
    group_crossing,
    lookup_edges,
)
from topotheory.testing.hints import PREFIX, Hint
from topotheory.testing.mst_hints import cycle_edge
from topotheory.topology.conv import ConvToeplitzGraph
from topotheory.topology.forest import maximum_spanning_forest


def conv_forest_hints(
    user: np.ndarray, graph: ConvToeplitzGraph, weight: np.ndarray, args: tuple, zero_weights: str
) -> list[Hint]:
    """One channel pair's forest, groups ignored, padding nodes flipped, zero weights flipped."""
    pairs = (graph.in_channels // graph.groups) * graph.out_channels
    layer = (
        f"spans the whole layer ({graph.in_channels} -> {graph.out_channels} channels, "
        f"groups={graph.groups})"
    )
    if pairs > 1:
        geo = {**args[2], "groups": 1}
        pair = conv_graph(weight[:1, :1], (1, *graph.input_spatial), geo, graph.include_padding)
        if np.array_equal(
            user, np.sort(maximum_spanning_forest(pair, zero_weights=zero_weights).edge_index)
        ):
            return [
                Hint(
                    "your edges are the forest of ONE channel pair's graph (input channel 0, "
                    "output channel 0: Theorem 3.2's reading, numbered with that pair's "
                    f"N_in = {pair.n_inputs}); the forest asked for {layer}",
                    "they equal that pair's maximum spanning forest",
                    1,
                )
            ]
    hints = []
    crossing = group_crossing(graph, user)
    if crossing:
        hints.append(Hint(crossing, "that edge is no entry of the grouped Toeplitz matrix", 1))
    other = conv_graph(*args, not graph.include_padding)
    if np.array_equal(
        user, np.sort(maximum_spanning_forest(other, zero_weights=zero_weights).edge_index)
    ):
        hints.append(
            Hint(
                "your forest is the one of the graph WITHOUT padded input positions "
                "(include_padding=False: only real inputs are nodes and entries that multiply "
                "padding are no edges); the convention here is include_padding=True (the "
                "paper's N_in = prod(i + 2p) counts padded positions)"
                if graph.include_padding
                else "your forest is the one of the graph WITH padded input positions as nodes "
                "(include_padding=True); the convention here is include_padding=False",
                f"your {user.size} edges are exactly that graph's forest",
                1,
            )
        )
    conv = {"zero_weights": zero_weights, "mask": None}
    flip = ALTERNATIVES["zero_weights"].changes(conv)["zero_weights"]
    if not hints and np.array_equal(
        user, np.sort(maximum_spanning_forest(graph, zero_weights=flip).edge_index)
    ):
        hints.append(
            Hint(
                PREFIX + ALTERNATIVES["zero_weights"].hint(conv, weight),
                f"your {user.size} edges are the forest under it",
                2,
            )
        )
    if not hints and pairs > 1 and user.size:
        c_in = (user % graph.n_inputs) // math.prod(graph.node_spatial)
        c_out = (user // graph.n_inputs) // math.prod(graph.output_spatial)
        if np.unique(c_in).size == 1 and np.unique(c_out).size == 1:
            hints.append(
                Hint(
                    "all your edges join one input channel to one output channel: you "
                    "probably built ONE channel pair's graph (Theorem 3.2's reading); "
                    f"the forest asked for {layer}",
                    f"input channel {int(c_in[0])}, output channel {int(c_out[0])}",
                    3,
                )
            )
    return hints


def valid_forest_problem(
    user: np.ndarray, graph: ConvToeplitzGraph, ref_size: int, zero_weights: str
) -> str | None:
    """Why ``user`` (sorted flat indices) is no spanning forest of ``graph``; None if it is."""
    flat_all, param = graph_edges(graph)
    found, pos = lookup_edges(flat_all, user)
    if not found.all():
        f = int(user[~found][0])
        return f"your edge {describe_conv_edge(graph, f)} is not an edge of this layer's graph"
    if zero_weights == "absent":
        zero = graph.weight.ravel()[param[pos]] == 0
        if zero.any():
            return (
                f"your edge {describe_conv_edge(graph, int(user[zero][0]))} has weight 0, "
                "an absent edge under zero_weights='absent'"
            )
    order = np.argsort(-np.abs(graph.weight.ravel()[param[pos]]), kind="stable")
    cycle = cycle_edge(user[order], (graph.n_outputs, graph.n_inputs))
    if cycle is not None:
        return f"your edge {describe_conv_edge(graph, cycle)} closes a cycle with heavier edges"
    if user.size != ref_size:
        return (
            f"you returned {user.size} edges; this graph has {graph.n_nodes} nodes and "
            f"{graph.n_nodes - ref_size} connected components, so every spanning forest has "
            f"{ref_size} edges"
        )
    return None
