"""Cross-check against the topology core's Toeplitz graph and spanning forest ."""

from __future__ import annotations

import numpy as np
import pytest

from topotheory import topology as core
from topotheory.topology.tccr import ConvGeometry, conv_counts, parameter_forest


@pytest.mark.parametrize(
    "geometry",
    [
        ConvGeometry((3, 3), (6, 6), padding=1, in_channels=2, out_channels=3),
        ConvGeometry((3, 3), (7, 7), stride=2, padding=1, in_channels=2, out_channels=2),
        ConvGeometry((1, 1), (6, 6), stride=2, in_channels=2, out_channels=2),
        ConvGeometry((3,), (9,), dilation=2, padding=2, in_channels=4, out_channels=2, groups=2),
    ],
)
def test_counts_and_parameter_forest_agree_with_core(geometry):
    rng = np.random.default_rng(0)
    g = geometry
    weight = rng.standard_normal((g.out_channels, g.in_channels // g.groups, *g.kernel))
    graph = core.conv_toeplitz_graph(
        weight, (g.in_channels, *g.input_spatial), stride=g.stride,
        padding=tuple(a for a, _ in g.padding), dilation=g.dilation, groups=g.groups,
    )
    forest = core.maximum_spanning_forest(graph)
    counts = conv_counts(g, full_layer=True)
    assert graph.n_edges == counts.n_edges and graph.n_nodes == counts.n_nodes
    assert forest.size == counts.forest_size and forest.n_components == counts.n_components
    assert len(np.unique(forest.param_index)) == parameter_forest(weight, g).n_used
    ties = np.round(weight)  # many equal magnitudes: the tie rule must agree too
    forest = core.maximum_spanning_forest(core.conv_toeplitz_graph(
        ties, (g.in_channels, *g.input_spatial), stride=g.stride,
        padding=tuple(a for a, _ in g.padding), dilation=g.dilation, groups=g.groups))
    assert len(np.unique(forest.param_index)) == parameter_forest(ties, g).n_used
