"""topotheory: verification suite for zeroth-order topology in pruned neural networks.

``import topotheory as tt`` gives every everyday call (docs/api.md lists them with their
docstrings). Names load lazily: importing ``topotheory`` never imports torch, and the
torch-backed names (``model_tccr``, ``layer_weights``, ``audit_model``, ``prune_step``,
``trace_model``, ``Mask``) import it on first use.

- **One layer** (a 2-D array in torch ``Linear`` layout ``(n_out, n_in)``, a torch tensor,
  anything with ``__array__``, a ``scipy.sparse`` matrix or a graph):
  ``neural_persistence``, ``maximum_spanning_forest``, ``persistence_diagram``,
  ``topk_mst_overlap``, ``mst_preservation``; graphs of conv and recurrent layers:
  ``conv_toeplitz_graph``, ``recurrent_unrolled_graph``, ``gate_blocks``.
- **TCCR** (Theorem 3.2): ``dense_tccr``, ``recurrent_tccr``, ``conv_tccr_formula``
  (with ``ConvGeometry``), and of a whole torch model ``model_tccr``.
- **Bounds and nulls** for the top-k / MST overlap: ``overlap_lower_bound`` (Theorem 3.3,
  exact), ``predicted_overlap`` (iid weights, large-layer law), ``exact_expected_overlap``,
  ``simulate_overlap`` (Monte Carlo), ``worst_case_overlap``, ``appendix_c_probabilities``
  (the paper's random-subset null), ``random_mask_null`` (a pruning mask vs random masks).
- **Torch models**: ``layer_weights`` (every supported layer as an array or graph),
  ``audit_model`` (every measurement of a trained model), ``prune_step`` (one IMP or T-IMP
  round), ``trace_model``, ``Mask``.
- **Claims** (docs/extending.md): ``Claim``, ``Variant``, ``Provenance``, ``FalseTwin``,
  ``Tolerance``, ``register_claim``, ``claim_check``.

Every result has a short ``repr``, ``to_dict()`` (strict JSON types) and, when tabular,
``to_frame()`` (pandas) — see :mod:`topotheory.result`.

Examples
--------
>>> import numpy as np
>>> import topotheory as tt
>>> tt.maximum_spanning_forest(np.ones((2, 3))).size
4
>>> tt.topk_mst_overlap(np.array([[0.9, 0.8], [0.7, 0.1]]))
TopkOverlap(k=3, count=3, fraction=1.0, mst_size=3, n_nodes=4)
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports

__version__ = "0.1.0"

#: Public name -> defining module, grouped as in the module docstring (and docs/api.md).
API_GROUPS: dict[str, dict[str, str]] = {
    "One layer": {
        "neural_persistence": "topotheory.topology.persistence",
        "network_neural_persistence": "topotheory.topology.persistence",
        "maximum_spanning_forest": "topotheory.topology.forest",
        "persistence_diagram": "topotheory.topology.diagram",
        "topk_mst_overlap": "topotheory.topology.overlap",
        "mst_preservation": "topotheory.topology.mst_preservation",
        "edge_order": "topotheory.topology.ordering",
        "topk_indices": "topotheory.topology.ordering",
    },
    "Graphs of conv and recurrent layers": {
        "conv_toeplitz_graph": "topotheory.topology.conv",
        "recurrent_unrolled_graph": "topotheory.topology.recurrent",
        "gate_blocks": "topotheory.topology.recurrent",
        "EdgeListGraph": "topotheory.topology.graphs",
        "ConvToeplitzGraph": "topotheory.topology.conv",
    },
    "TCCR": {
        "dense_tccr": "topotheory.topology.tccr",
        "recurrent_tccr": "topotheory.topology.tccr",
        "conv_tccr_formula": "topotheory.topology.tccr",
        "ConvGeometry": "topotheory.topology.tccr",
        "model_tccr": "topotheory.nn.tccr",
    },
    "Bounds and nulls": {
        "overlap_lower_bound": "topotheory.simulate.bounds",
        "predicted_overlap": "topotheory.simulate.overlap_limit",
        "exact_expected_overlap": "topotheory.simulate.counting",
        "simulate_overlap": "topotheory.simulate.montecarlo",
        "worst_case_overlap": "topotheory.simulate.worst_case",
        "appendix_c_probabilities": "topotheory.simulate.hypergeom",
        "random_mask_null": "topotheory.simulate.mask_null",
        "run_preservation_verdict": "topotheory.simulate.mask_null",
    },
    "Torch models": {
        "layer_weights": "topotheory.nn.layer_weights",
        "audit_model": "topotheory.nn.audit.model_audit",
        "prune_step": "topotheory.nn.prune",
        "trace_model": "topotheory.nn.trace",
        "Mask": "topotheory.nn.masks",
    },
    "Result types": {
        "SpanningForest": "topotheory.topology.forest",
        "PersistenceDiagram": "topotheory.topology.diagram",
        "NetworkPersistence": "topotheory.topology.persistence",
        "TopkOverlap": "topotheory.topology.overlap",
        "MstPreservation": "topotheory.topology.mst_preservation",
        "WorstCase": "topotheory.simulate.worst_case",
        "OverlapPrediction": "topotheory.simulate.overlap_limit",
        "OverlapSimulation": "topotheory.simulate.montecarlo",
        "Estimate": "topotheory.simulate.stats",
        "ModelReport": "topotheory.nn.tccr",
    },
    "Claims (docs/extending.md)": {
        "Claim": "topotheory.theory.claim",
        "Variant": "topotheory.theory.claim",
        "Provenance": "topotheory.theory.claim",
        "FalseTwin": "topotheory.theory.claim",
        "Tolerance": "topotheory.theory.claim",
        "register_claim": "topotheory.theory.claim",
        "claim_check": "topotheory.theory.claim",
    },
}

_EXPORTS: dict[str, str] = {name: module for group in API_GROUPS.values()
                            for name, module in group.items()}

__getattr__, __dir__, __all__ = lazy_exports(globals(), _EXPORTS)
