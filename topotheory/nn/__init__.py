"""Torch side of topotheory: the paper's model zoo, layer tracing and per-model TCCR.

Everything here needs torch; the submodules are imported lazily so that
``import topotheory.nn`` itself stays cheap and ``import topotheory`` never
imports torch.

Examples
--------
>>> import topotheory.nn as tnn
>>> "vgg11" in tnn.list_models()  # doctest: +SKIP
True
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_model": "topotheory.nn.zoo",
    "list_models": "topotheory.nn.zoo",
    "input_shape": "topotheory.nn.zoo",
    "fcn_mnist": "topotheory.nn.zoo",
    "cnn_mnist": "topotheory.nn.zoo",
    "DATASETS": "topotheory.nn.zoo",
    "trace_model": "topotheory.nn.trace",
    "DenseSpec": "topotheory.nn.trace",
    "ConvSpec": "topotheory.nn.trace",
    "RecurrentSpec": "topotheory.nn.trace",
    "TraceResult": "topotheory.nn.trace",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'topotheory.nn' has no attribute {name!r}")
