"""Why a user's conv forest differs: the hints and the validity check of kind ``"conv_mst"``.

:func:`conv_forest_hints` recomputes the forest under the conventions a conv
implementation most often gets wrong (one channel pair's graph, groups ignored, padded
positions as nodes or not, zero weights present or absent) and names the one the user's
edges match; :func:`valid_forest_problem` says why the user's edges are not even a
spanning forest of the layer's graph, :func:`spanning_hints` under which convention they
would be one; :func:`parameter_hints` explains a wrong set of used kernel parameters.

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

#: A maximum spanning forest whose edges differ from topotheory's tie rule.
OTHER_TIE_RULE = Hint(
    "yours is a maximum spanning forest under another tie rule: topotheory breaks ties by "
    "|w| descending, then flat Toeplitz index out_node * N_in + in_node ascending (the edges of "
    "tied kernel parameters interleave; they are not taken parameter by parameter); pass "
    "compare='weights' to accept any maximum spanning forest (in check_implementation: "
    "tie_rule=None, the default)",
    "spanning, acyclic, the same sorted |w| as the reference",
    1,
)


def _group_hints(graph: ConvToeplitzGraph, user: np.ndarray) -> list[Hint]:
    crossing = group_crossing(graph, user)
    return (
        [Hint(crossing, "that edge is no entry of the grouped Toeplitz matrix", 1)]
        if crossing
        else []
    )


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
    hints = _group_hints(graph, user)
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


def spanning_hints(
    user: np.ndarray, graph: ConvToeplitzGraph, args: tuple, zero_weights: str
) -> list[Hint]:
    """Why edges that are no spanning forest of ``graph`` may be one under another convention:
    groups ignored, or padded positions as nodes flipped."""
    hints = _group_hints(graph, user)
    other = conv_graph(*args, not graph.include_padding)
    size = maximum_spanning_forest(other, zero_weights=zero_weights).size
    if valid_forest_problem(user, other, size, zero_weights) is None:
        hints.append(
            Hint(
                f"your edges form a spanning forest of the graph with include_padding="
                f"{other.include_padding}; the convention here is include_padding="
                f"{graph.include_padding} (padded input positions as nodes: the paper's count)",
                "in that graph they are spanning and acyclic",
                1,
            )
        )
    return hints


def parameter_hints(
    user: np.ndarray, ref: np.ndarray, args: tuple, include_padding: bool, zero_weights: str
) -> list[Hint]:
    """Why the kernel parameters ``user`` differ from the forest's ``ref``: padded positions
    as nodes flipped, or every parameter returned."""
    hints = []
    other = maximum_spanning_forest(
        conv_graph(*args, not include_padding), zero_weights=zero_weights
    ).used_parameters()
    if np.array_equal(user, other):
        hints.append(
            Hint(
                f"these are the parameters used with include_padding={not include_padding}; "
                f"the convention here is include_padding={include_padding} (padded input "
                "positions are nodes in the paper's count)",
                "the forest of that graph uses exactly your parameters",
                1,
            )
        )
    size = np.asarray(args[0]).size
    if user.size == size and ref.size < size:
        hints.append(
            Hint(
                "you returned every kernel parameter; the forest uses fewer",
                f"{user.size} parameters, the forest uses {ref.size}",
                2,
            )
        )
    return hints
