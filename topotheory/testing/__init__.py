"""Testing kit for topology code: strategies, oracles, property batteries and a pytest plugin.

Import-light: importing :mod:`topotheory.testing` imports neither numpy nor torch; the
names below load on first use.

One module per kind of implementation holds its options, oracle and battery:
:mod:`~topotheory.testing.mst`, :mod:`~topotheory.testing.diagram`,
:mod:`~topotheory.testing.neural_persistence`, :mod:`~topotheory.testing.overlap`,
:mod:`~topotheory.testing.pruning`, :mod:`~topotheory.testing.conv`,
:mod:`~topotheory.testing.conv_tccr`, :mod:`~topotheory.testing.recurrent`. Beside each, its
hints (the other convention a wrong result follows) and reference computations:
:mod:`~topotheory.testing.mst_hints`, :mod:`~topotheory.testing.diagram_hints`,
:mod:`~topotheory.testing.neural_persistence_hints`,
:mod:`~topotheory.testing.overlap_hints`, :mod:`~topotheory.testing.pruning_hints`,
:mod:`~topotheory.testing.conv_hints` and :mod:`~topotheory.testing.conv_edges` (reading
Toeplitz edges), :mod:`~topotheory.testing.conv_tccr_reference` (the exact conv TCCR),
:mod:`~topotheory.testing.recurrent_readings` (the unrolled numbering and both readings),
:mod:`~topotheory.testing.invariances` (transformation properties of diagrams and NP).
Shared: :mod:`~topotheory.testing.strategies` (and the value table
:mod:`~topotheory.testing.values`), :mod:`~topotheory.testing.alternatives` (the one table
of alternative conventions; the reference under an alternative's changes
:mod:`~topotheory.testing.recompute`, the search for the ones a result follows
:mod:`~topotheory.testing.alternative_search`), :mod:`~topotheory.testing.conventions` (the
tie rules and presets), :mod:`~topotheory.testing.constraints` (declared option
constraints), :mod:`~topotheory.testing.hints`, :mod:`~topotheory.testing.readers` (edge
sets; other outputs :mod:`~topotheory.testing.output_readers`),
:mod:`~topotheory.testing.describe` (edges, points and values in messages),
:mod:`~topotheory.testing.battery`, :mod:`~topotheory.testing.runner` (the one hypothesis
runner), :mod:`~topotheory.testing.profiles` (the one profile registry),
:mod:`~topotheory.testing.check` (``check_implementation``),
:mod:`~topotheory.testing.contracts` (base classes to inherit) and the pytest plugin.

Examples
--------
>>> import numpy as np
>>> from topotheory.testing import assert_same_forest
>>> assert_same_forest([0, 2, 1], np.array([[3.0, 1.0], [2.0, 0.5]]))
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports
from topotheory.testing.profiles import PROFILE_NAMES as PROFILE_NAMES
from topotheory.testing.profiles import load_profile as load_profile
from topotheory.testing.profiles import register_profiles as register_profiles

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("weight_matrices", "layer_stacks", "masks", "conv_geometries", "recurrent_weights"),
        "topotheory.testing.strategies",
    ),
    "assert_same_forest": "topotheory.testing.mst",
    "MstOptions": "topotheory.testing.mst",
    "assert_same_diagram": "topotheory.testing.diagram",
    "DiagramOptions": "topotheory.testing.diagram",
    "assert_same_neural_persistence": "topotheory.testing.neural_persistence",
    "NeuralPersistenceOptions": "topotheory.testing.neural_persistence",
    "assert_same_topk_overlap": "topotheory.testing.overlap",
    "OverlapOptions": "topotheory.testing.overlap",
    "assert_preserves_topology": "topotheory.testing.pruning",
    "prune_keeping_forest": "topotheory.testing.pruning",
    "PruningOptions": "topotheory.testing.pruning",
    "assert_same_conv_forest": "topotheory.testing.conv",
    "ConvMstOptions": "topotheory.testing.conv",
    "assert_same_conv_tccr": "topotheory.testing.conv_tccr",
    "conv_disconnection": "topotheory.testing.conv_tccr_reference",
    "conv_geometry_of": "topotheory.testing.conv_tccr_reference",
    "exact_conv_tccr": "topotheory.testing.conv_tccr_reference",
    "ConvTccrOptions": "topotheory.testing.conv_tccr",
    "assert_same_recurrent_forest": "topotheory.testing.recurrent",
    "RecurrentMstOptions": "topotheory.testing.recurrent",
    "Oracle": "topotheory.testing.oracles",
    "check_implementation": "topotheory.testing.check",
    "ImplementationReport": "topotheory.testing.report",
    "ImplementationCheckFailed": "topotheory.testing.report",
    "PropertyResult": "topotheory.testing.report",
    **dict.fromkeys(
        (
            "MstContract",
            "DiagramContract",
            "NeuralPersistenceContract",
            "OverlapContract",
            "PruningContract",
            "ConvMstContract",
            "ConvTccrContract",
            "RecurrentMstContract",
        ),
        "topotheory.testing.contracts",
    ),
}

__all__ = sorted([*_EXPORTS, "PROFILE_NAMES", "load_profile", "register_profiles"])

__getattr__, __dir__, _ = lazy_exports(globals(), _EXPORTS)
