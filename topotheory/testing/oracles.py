"""The oracles in one namespace: :class:`Oracle` (the ``topotheory_oracle`` pytest fixture).

Every ``assert_*`` function returns ``None`` when the user's result agrees with the
reference and raises ``AssertionError`` otherwise, with a diff-like explanation and the
likely cause. Each is defined in its kind's module and importable from here.

Examples
--------
>>> oracle = Oracle()
>>> oracle.forest(np.array([[3.0, 1.0], [2.0, 0.5]])).edge_index.tolist()
[0, 2, 1]
>>> oracle.forest_edges(np.array([[3.0, 1.0], [2.0, 0.5]]))
[0, 1, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.testing.conv import assert_same_conv_forest
from topotheory.testing.conv_tccr import assert_same_conv_tccr
from topotheory.testing.conventions import TIE_RULE
from topotheory.testing.diagram import assert_same_diagram
from topotheory.testing.mst import assert_same_forest
from topotheory.testing.neural_persistence import assert_same_neural_persistence
from topotheory.testing.overlap import assert_same_topk_overlap
from topotheory.testing.pruning import assert_preserves_topology, prune_keeping_forest
from topotheory.testing.recurrent import assert_same_recurrent_forest
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.ordering import edge_order, topk_indices
from topotheory.topology.overlap import topk_mst_overlap
from topotheory.topology.persistence import neural_persistence

__all__ = [
    "Oracle",
    "assert_preserves_topology",
    "assert_same_conv_forest",
    "assert_same_conv_tccr",
    "assert_same_diagram",
    "assert_same_forest",
    "assert_same_neural_persistence",
    "assert_same_recurrent_forest",
    "assert_same_topk_overlap",
    "prune_keeping_forest",
]


class Oracle:
    """topotheory's reference functions and the ``assert_*`` oracles, as attributes."""

    forest = staticmethod(maximum_spanning_forest)
    diagram = staticmethod(persistence_diagram)
    neural_persistence = staticmethod(neural_persistence)
    topk_overlap = staticmethod(topk_mst_overlap)
    topk_indices = staticmethod(topk_indices)
    edge_order = staticmethod(edge_order)
    prune_keeping_forest = staticmethod(prune_keeping_forest)
    assert_same_forest = staticmethod(assert_same_forest)
    assert_same_diagram = staticmethod(assert_same_diagram)
    assert_same_neural_persistence = staticmethod(assert_same_neural_persistence)
    assert_same_topk_overlap = staticmethod(assert_same_topk_overlap)
    assert_preserves_topology = staticmethod(assert_preserves_topology)
    assert_same_conv_forest = staticmethod(assert_same_conv_forest)
    assert_same_conv_tccr = staticmethod(assert_same_conv_tccr)
    assert_same_recurrent_forest = staticmethod(assert_same_recurrent_forest)
    tie_rule = TIE_RULE

    @staticmethod
    def forest_edges(weights: Any, **kwargs: Any) -> list[int]:
        """Sorted flat edge indices of the reference maximum spanning forest."""
        return sorted(np.asarray(maximum_spanning_forest(weights, **kwargs).edge_index).tolist())

    def __repr__(self) -> str:
        return "<topotheory reference oracle>"
