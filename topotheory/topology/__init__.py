"""Exact zeroth-order topology of layers: graphs, forests, diagrams, NP, overlap (no torch)."""

from topotheory.topology.conv import ConvToeplitzGraph, conv_toeplitz_graph
from topotheory.topology.forest import SpanningForest, maximum_spanning_forest
from topotheory.topology.graphs import EdgeListGraph
from topotheory.topology.ordering import edge_order, topk_indices
from topotheory.topology.recurrent import gate_blocks, recurrent_unrolled_graph

__all__ = [
    "ConvToeplitzGraph",
    "EdgeListGraph",
    "SpanningForest",
    "conv_toeplitz_graph",
    "edge_order",
    "gate_blocks",
    "maximum_spanning_forest",
    "recurrent_unrolled_graph",
    "topk_indices",
]

from topotheory.topology.diagram import PersistenceDiagram, persistence_diagram  # noqa: E402
from topotheory.topology.mst_preservation import MstPreservation, mst_preservation  # noqa: E402
from topotheory.topology.overlap import TopkOverlap, topk_mst_overlap  # noqa: E402
from topotheory.topology.persistence import (  # noqa: E402
    NetworkPersistence,
    network_neural_persistence,
    neural_persistence,
)

__all__ += [
    "MstPreservation",
    "NetworkPersistence",
    "PersistenceDiagram",
    "TopkOverlap",
    "network_neural_persistence",
    "neural_persistence",
    "mst_preservation",
    "persistence_diagram",
    "topk_mst_overlap",
]
