"""Every supported layer of a torch model as something the topology core accepts.

:func:`layer_weights` traces the model once (:func:`topotheory.nn.trace.trace_model`, the
tracing every other part of topotheory uses) and yields ``(name, layer)``:

* dense layers (``Linear``; ``Embedding`` as its transposed table ``(d, V)``; the four
  projections of ``MultiheadAttention``): the weight as a 2-D float64 array in torch
  ``Linear`` layout ``(n_out, n_in)``;
* recurrent layers (``RNN``/``LSTM``/``GRU``): one 2-D array per gate block, named
  ``<name>_l<layer>[_reverse].hh[<gate>]`` (the ``h x h`` hidden-to-hidden block, as
  torch names ``weight_hh_l0``) and ``.ih[<gate>]`` (the ``h x n_in`` input-to-hidden
  block);
* convolutions: the whole layer's exact Toeplitz graph
  (:class:`~topotheory.topology.conv.ConvToeplitzGraph`, the traced stride, padding,
  dilation and groups), which every core function takes in place of a 2-D array. With
  ``conv="kernel2d"`` a conv is yielded as its kernel reshaped to ``(C_out, C_in/groups *
  prod(kernel))`` instead (one node per kernel tap: not the layer's graph, but the layout
  some code computes NP on); ``conv="skip"`` leaves convolutions out.

A module called twice is yielded twice (as traced). Modules that no layer describes are
listed by :func:`topotheory.nn.trace.trace_model` (``unsupported``, ``elementwise``) and by
the audit's coverage; they are not yielded.

Examples
--------
>>> import torch
>>> import topotheory as tt
>>> model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
>>> [(name, w.shape) for name, w in tt.layer_weights(model, (4,))]
[('0', (3, 4)), ('2', (2, 3))]
>>> {name: round(tt.neural_persistence(w), 3) > 0 for name, w in tt.layer_weights(model, (4,))}
{'0': True, '2': True}
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from torch import nn

from topotheory.errors import InputError, InputTypeError
from topotheory.nn.trace import ConvSpec, DenseSpec, RecurrentSpec, trace_model
from topotheory.topology.conv import ConvToeplitzGraph, conv_toeplitz_graph

__all__ = ["CONV_MODES", "layer_weights"]

#: How :func:`layer_weights` yields a convolution.
CONV_MODES = ("graph", "kernel2d", "skip")


def _conv_layer(spec: ConvSpec, conv: str) -> np.ndarray | ConvToeplitzGraph:
    if conv == "kernel2d":
        return spec.weight.reshape(spec.out_channels, -1)
    return conv_toeplitz_graph(
        spec.weight, (spec.in_channels, *spec.input_spatial), stride=spec.stride,
        padding=spec.padding_pairs, dilation=spec.dilation, groups=spec.groups,
    )


def layer_weights(
    model: nn.Module,
    input_shape: Sequence[int] | None = None,
    *,
    example_inputs: Any = None,
    conv: str = "graph",
) -> Iterator[tuple[str, np.ndarray | ConvToeplitzGraph]]:
    """Yield ``(name, layer)`` for every supported layer of ``model`` in call order.

    Parameters
    ----------
    model : torch.nn.Module
        The model (its current weights are read; nothing is modified).
    input_shape : sequence of int, optional
        One example's shape without the batch dimension, e.g. ``(1, 28, 28)``; the model
        runs once on zeros of that shape. Required unless ``example_inputs``.
    example_inputs : tensor, tuple/list or dict of tensors, optional
        Real inputs with their batch dimension, instead of ``input_shape`` (token ids,
        several inputs).
    conv : {"graph", "kernel2d", "skip"}
        Convolutions as their exact Toeplitz graph (default), as the kernel reshaped to
        2-D, or left out (see the module docstring).

    Yields
    ------
    name : str
        The module's name in ``model.named_modules()`` (``<root>`` for a model that is
        itself one layer; recurrent gate blocks and attention projections get a suffix).
    layer : numpy.ndarray or ConvToeplitzGraph
        A 2-D float64 array ``(n_out, n_in)``, or a conv's graph.

    Raises
    ------
    TypeError
        If ``model`` is not a torch module.
    ValueError
        On a bad ``conv`` mode, or when neither ``input_shape`` nor ``example_inputs`` is
        given (or the forward pass fails on it; the message says what to pass).

    Examples
    --------
    >>> import torch
    >>> lstm = torch.nn.LSTM(3, 2)
    >>> [name for name, _ in layer_weights(lstm, (5, 3))][:3]
    ['<root>_l0.hh[i]', '<root>_l0.hh[f]', '<root>_l0.hh[g]']
    >>> conv = torch.nn.Conv2d(1, 2, 3)
    >>> name, graph = next(layer_weights(conv, (1, 6, 6)))
    >>> graph.n_edges, next(layer_weights(conv, (1, 6, 6), conv="kernel2d"))[1].shape
    (288, (2, 9))
    """
    if conv not in CONV_MODES:
        raise InputError("is not a conv mode", argument="conv", value=conv,
                         fix=f"choose one of {CONV_MODES}")
    if not isinstance(model, nn.Module):
        raise InputTypeError(
            f"must be a torch.nn.Module, got {type(model).__name__}", argument="model",
            value=f"<{type(model).__name__}>",
            fix="pass the model; for one weight array call the core directly "
            "(tt.neural_persistence(weight))",
        )
    if input_shape is None and example_inputs is None:
        raise InputError(
            "is needed to trace the model (one forward pass finds each layer's geometry)",
            argument="input_shape", value=None,
            fix="pass one example's shape without the batch dimension, e.g. (1, 28, 28), "
            "or example_inputs=",
        )
    trace = trace_model(model, input_shape, example_inputs=example_inputs)
    return _iterate(trace.layers, conv)


def _iterate(specs: Sequence[Any], conv: str) -> Iterator[tuple[str, Any]]:
    for spec in specs:
        if isinstance(spec, DenseSpec):
            yield spec.name, spec.weight
        elif isinstance(spec, ConvSpec):
            if conv != "skip":
                yield spec.name, _conv_layer(spec, conv)
        elif isinstance(spec, RecurrentSpec):
            for label, _kind, block in spec.blocks():
                yield f"{spec.name}.{label}", block
