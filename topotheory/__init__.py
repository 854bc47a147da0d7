"""topotheory: verification suite for zeroth-order topology in pruned neural networks.

The public core is importable from here; everything is loaded lazily, and importing
``topotheory`` never imports torch.

Examples
--------
>>> import numpy as np
>>> import topotheory as tt
>>> tt.maximum_spanning_forest(np.ones((2, 3))).size
4
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "maximum_spanning_forest": "topotheory.topology.forest",
    "SpanningForest": "topotheory.topology.forest",
    "persistence_diagram": "topotheory.topology.diagram",
    "PersistenceDiagram": "topotheory.topology.diagram",
    "neural_persistence": "topotheory.topology.persistence",
    "network_neural_persistence": "topotheory.topology.persistence",
    "NetworkPersistence": "topotheory.topology.persistence",
    "topk_mst_overlap": "topotheory.topology.overlap",
    "TopkOverlap": "topotheory.topology.overlap",
    "conv_toeplitz_graph": "topotheory.topology.conv",
    "ConvToeplitzGraph": "topotheory.topology.conv",
    "recurrent_unrolled_graph": "topotheory.topology.recurrent",
    "EdgeListGraph": "topotheory.topology.graphs",
    "edge_order": "topotheory.topology.ordering",
    "topk_indices": "topotheory.topology.ordering",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'topotheory' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
