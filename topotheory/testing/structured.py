"""Deprecated module: the conv and recurrent oracles moved to their kinds' modules.

``topotheory.testing.conv`` (``assert_same_conv_forest``; ``describe_conv_edge`` in ``conv_edges``),
``topotheory.testing.conv_tccr`` (``assert_same_conv_tccr``, ``exact_conv_tccr``,
``conv_disconnection``, ``conv_geometry_of``) and ``topotheory.testing.recurrent``
(``assert_same_recurrent_forest``, ``recurrent_references``); all of them are also exported
by :mod:`topotheory.testing`. Importing a name from here still works for one release and
warns.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

_MOVED = {
    "assert_same_conv_forest": "topotheory.testing.conv",
    "describe_conv_edge": "topotheory.testing.conv_edges",
    "assert_same_conv_tccr": "topotheory.testing.conv_tccr",
    "exact_conv_tccr": "topotheory.testing.conv_tccr",
    "conv_disconnection": "topotheory.testing.conv_tccr",
    "conv_geometry_of": "topotheory.testing.conv_tccr",
    "assert_same_recurrent_forest": "topotheory.testing.recurrent",
    "recurrent_references": "topotheory.testing.recurrent",
}


def __getattr__(name: str) -> Any:
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"topotheory.testing.structured is deprecated: import {name} from "
        f"{module} (or topotheory.testing)",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(module), name)
