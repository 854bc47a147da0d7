"""How many edges a counterexample has, per kind (the shrinking tests' measure).

Dense kinds: the layer's weights (every weight is an edge of its bipartite graph). Conv
kinds: the edges of the Toeplitz graph (one channel pair for ``conv_tccr`` with
``scope="pair"``). Recurrent: the entries of ``W_hh`` (its shared parameters; the unrolled
graph repeats each of them ``T`` times).
"""

import numpy as np

from topotheory.topology.conv import conv_toeplitz_graph

GEOMETRY = ("stride", "padding", "dilation", "groups")


def counterexample_edges(kind, case, options=None):
    options = options or {}
    if "weights" in case:
        return int(np.asarray(case["weights"]).size)
    if kind == "conv_mst":
        graph = conv_toeplitz_graph(
            case["weight"], case["input_shape"], **{k: case[k] for k in GEOMETRY}
        )
        return graph.n_edges
    if kind == "conv_tccr":
        g = case["geometry"]
        pair = int(np.prod(g.kernel)) * int(np.prod(g.output_spatial))
        if options.get("scope") == "layer":
            return pair * g.out_channels * (g.in_channels // g.groups)
        return pair
    return int(np.asarray(case["weight_hh"]).size)
