"""topotheory: verification suite for zeroth-order topology in pruned neural networks.

The public core is importable from here, and so is the API that registers a claim and its
check (``Claim``, ``Variant``, ``Provenance``, ``FalseTwin``, ``Tolerance``,
``register_claim``, ``claim_check``; see docs/extending.md). Everything is loaded lazily, and importing
``topotheory`` never imports torch.

Examples
--------
>>> import numpy as np
>>> import topotheory as tt
>>> tt.maximum_spanning_forest(np.ones((2, 3))).size
4
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

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
    "mst_preservation": "topotheory.topology.mst_preservation",
    "MstPreservation": "topotheory.topology.mst_preservation",
    "random_mask_null": "topotheory.simulate.mask_null",
    "run_preservation_verdict": "topotheory.simulate.mask_null",
    "TopkOverlap": "topotheory.topology.overlap",
    "conv_toeplitz_graph": "topotheory.topology.conv",
    "ConvToeplitzGraph": "topotheory.topology.conv",
    "recurrent_unrolled_graph": "topotheory.topology.recurrent",
    "EdgeListGraph": "topotheory.topology.graphs",
    "edge_order": "topotheory.topology.ordering",
    "topk_indices": "topotheory.topology.ordering",
    # registering claims and their checks (docs/extending.md)
    "Claim": "topotheory.theory.claim",
    "Variant": "topotheory.theory.claim",
    "Provenance": "topotheory.theory.claim",
    "FalseTwin": "topotheory.theory.claim",
    "Tolerance": "topotheory.theory.claim",
    "register_claim": "topotheory.theory.claim",
    "claim_check": "topotheory.theory.claim",
}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
