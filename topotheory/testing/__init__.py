"""Testing kit for topology code: strategies, oracles, claim batteries and a pytest plugin.

Import-light: importing :mod:`topotheory.testing` imports neither numpy nor torch; the
names below load on first use.

- :mod:`~topotheory.testing.strategies`: hypothesis strategies (``weight_matrices``,
  ``layer_stacks``, ``masks``, ``conv_geometries``, ``recurrent_weights``).
- :mod:`~topotheory.testing.oracles`: ``assert_same_forest``, ``assert_same_diagram``,
  ``assert_same_neural_persistence``, ``assert_same_topk_overlap``,
  ``assert_preserves_topology`` and the reference pruner ``prune_keeping_forest``.
- :mod:`~topotheory.testing.structured`: ``assert_same_conv_forest``,
  ``assert_same_conv_tccr``, ``assert_same_recurrent_forest`` (Toeplitz / unrolled graphs).
- :mod:`~topotheory.testing.check`: ``check_implementation(kind, fn)`` and its report.
- :mod:`~topotheory.testing.profiles`: the ``dev``/``ci``/``deep`` hypothesis profiles.
- :mod:`~topotheory.testing.pytest_plugin`: ``--topotheory-profile`` and the fixtures
  ``topotheory_oracle``, ``topotheory_check``, ``topotheory_strategies``.

Examples
--------
>>> import numpy as np
>>> from topotheory.testing import assert_same_forest
>>> assert_same_forest([0, 2, 1], np.array([[3.0, 1.0], [2.0, 0.5]]))
"""

from __future__ import annotations

from topotheory._lazy import lazy_exports
from topotheory.testing.profiles import PROFILE_NAMES, load_profile, register_profiles

_EXPORTS: dict[str, str] = {
    "weight_matrices": "topotheory.testing.strategies",
    "layer_stacks": "topotheory.testing.strategies",
    "masks": "topotheory.testing.strategies",
    "conv_geometries": "topotheory.testing.strategies",
    "recurrent_weights": "topotheory.testing.strategies",
    "assert_same_conv_forest": "topotheory.testing.structured",
    "assert_same_conv_tccr": "topotheory.testing.structured",
    "assert_same_recurrent_forest": "topotheory.testing.structured",
    "assert_same_forest": "topotheory.testing.oracles",
    "assert_same_diagram": "topotheory.testing.oracles",
    "assert_same_neural_persistence": "topotheory.testing.oracles",
    "assert_same_topk_overlap": "topotheory.testing.oracles",
    "assert_preserves_topology": "topotheory.testing.oracles",
    "prune_keeping_forest": "topotheory.testing.oracles",
    "Oracle": "topotheory.testing.oracles",
    "check_implementation": "topotheory.testing.check",
    "ImplementationReport": "topotheory.testing.check",
    "PropertyResult": "topotheory.testing.check",
}

__all__ = [
    "PROFILE_NAMES",
    "ImplementationReport",
    "Oracle",
    "PropertyResult",
    "assert_preserves_topology",
    "assert_same_conv_forest",
    "assert_same_conv_tccr",
    "assert_same_diagram",
    "assert_same_forest",
    "assert_same_neural_persistence",
    "assert_same_recurrent_forest",
    "assert_same_topk_overlap",
    "check_implementation",
    "conv_geometries",
    "layer_stacks",
    "load_profile",
    "masks",
    "prune_keeping_forest",
    "recurrent_weights",
    "register_profiles",
    "weight_matrices",
]

__getattr__, __dir__, _ = lazy_exports(globals(), _EXPORTS)
