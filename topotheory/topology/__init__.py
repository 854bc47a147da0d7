"""Exact zeroth-order topology of layers: graphs, forests, diagrams, NP, overlap (no torch).

Names load lazily (like :mod:`topotheory`): ``import topotheory.topology`` -- and so
importing any of its submodules, e.g. the ``topotheory np`` command's -- loads neither
numba nor the claim registry until a name is used.

Examples
--------
>>> import numpy as np
>>> from topotheory.topology import maximum_spanning_forest
>>> maximum_spanning_forest(np.ones((2, 2))).size
3
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "ConvToeplitzGraph": "topotheory.topology.conv",
    "conv_toeplitz_graph": "topotheory.topology.conv",
    "SpanningForest": "topotheory.topology.forest",
    "maximum_spanning_forest": "topotheory.topology.forest",
    "EdgeListGraph": "topotheory.topology.graphs",
    "edge_order": "topotheory.topology.ordering",
    "topk_indices": "topotheory.topology.ordering",
    "gate_blocks": "topotheory.topology.recurrent",
    "recurrent_unrolled_graph": "topotheory.topology.recurrent",
    "PersistenceDiagram": "topotheory.topology.diagram",
    "persistence_diagram": "topotheory.topology.diagram",
    "MstPreservation": "topotheory.topology.mst_preservation",
    "mst_preservation": "topotheory.topology.mst_preservation",
    "TopkOverlap": "topotheory.topology.overlap",
    "topk_mst_overlap": "topotheory.topology.overlap",
    "NetworkPersistence": "topotheory.topology.persistence",
    "network_neural_persistence": "topotheory.topology.persistence",
    "neural_persistence": "topotheory.topology.persistence",
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
