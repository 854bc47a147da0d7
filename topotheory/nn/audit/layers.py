"""Which layers of a traced model the audit measures, and which parameters it covers.

Every layer kind of the paper becomes an :class:`AuditLayer`:

=====================  ==================================================================
kind                   graph
=====================  ==================================================================
``linear``             complete bipartite ``n_in -> n_out``
``embedding``          complete bipartite ``V`` one-hot tokens ``-> d`` features
``attention-q/k/v``    the query/key/value projection of a ``MultiheadAttention`` (dense)
``attention-out``      its output projection (dense)
``lstm-hh`` ...        one gate's hidden-to-hidden block (``rnn``/``lstm``/``gru``, dense
                       ``h -> h``, shared by all time steps; the gate is in the name)
``lstm-ih`` ...        one gate's input-to-hidden block (dense ``n_in -> h``)
``conv1d/2d/3d``       the whole layer's Toeplitz graph (every channel pair, groups,
                       stride, padding, dilation as traced)
=====================  ==================================================================

Everything else that owns parameters is listed in :attr:`Coverage.not_covered` with its
parameter count and the reason. Coverage counts a covered module's parameters in full
(weights and biases; biases add no edge, as in the paper); parameters are counted once
even when a module is called several times (it is then audited once, at its first call)
or shares them with another module (tied weights).

Examples
--------
>>> import torch
>>> from topotheory.nn.trace import trace_model
>>> model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3))
>>> layers, coverage = audit_layers(model, trace_model(model, (4,)))
>>> [layer.kind for layer in layers], coverage.covered_params, coverage.total_params
(['linear'], 15, 21)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from torch import nn

from topotheory.nn.trace import ConvSpec, DenseSpec, RecurrentSpec, TraceResult

_DENSE_KINDS = {
    "Linear": "linear",
    "Embedding": "embedding",
    "MultiheadAttention.q": "attention-q",
    "MultiheadAttention.k": "attention-k",
    "MultiheadAttention.v": "attention-v",
    "MultiheadAttention.out": "attention-out",
}


@dataclass(frozen=True, eq=False)
class AuditLayer:
    """One measured layer: a dense weight matrix or a traced convolution.

    Attributes
    ----------
    name : str
        Unique name (module name, plus ``.q_proj``/``.hh[i]``... for sub-blocks).
    kind : str
        See the module docstring.
    module : str
        The owning module's name.
    shape : str
        ``"n_in->n_out"`` or the conv geometry.
    n_weights : int
        Weight entries (the layer's parameters that are edges).
    dense : numpy.ndarray or None
        ``(n_out, n_in)`` float64 weights of a dense layer.
    conv : ConvSpec or None
        The traced convolution.
    calls : int
        How many times the module ran in the traced forward pass.
    """

    name: str
    kind: str
    module: str
    shape: str
    n_weights: int
    dense: np.ndarray | None = field(default=None, repr=False)
    conv: ConvSpec | None = field(default=None, repr=False)
    calls: int = 1

    @property
    def is_conv(self) -> bool:
        """Whether the layer is a convolution (weight-shared Toeplitz graph)."""
        return self.conv is not None


@dataclass(frozen=True)
class NotCovered:
    """A module with parameters the audit does not measure, and why."""

    module: str
    type: str
    n_params: int
    reason: str


@dataclass(frozen=True)
class Coverage:
    """Parameter coverage of the audit."""

    total_params: int
    covered_params: int
    covered_modules: tuple[tuple[str, str, int], ...]
    not_covered: tuple[NotCovered, ...]

    @property
    def fraction(self) -> float:
        """``covered_params / total_params`` (1.0 for a model without parameters)."""
        return self.covered_params / self.total_params if self.total_params else 1.0


def _reason(kind: str, elementwise: bool) -> str:
    if elementwise:
        return "acts per feature (normalisation): its parameters are no edge between two nodes"
    if "never called" in kind:
        return "not called by the forward pass on the example input, so its graph is unknown"
    if "padding_mode" in kind:
        return ("non-zero padding mode (circular/reflect/replicate) joins positions that the "
                "zero-padded Toeplitz graph of the paper does not")
    if "proj_size" in kind:
        return "LSTM with proj_size: the projection is not a layer kind of the paper"
    if kind.startswith("ConvTranspose"):
        return "transposed convolution: no Toeplitz rule for it in the paper"
    return "module type with no graph rule in the paper (custom or unlisted layer)"


def _dense_layer(spec: DenseSpec, calls: int) -> AuditLayer:
    module = spec.name
    if spec.source.startswith("MultiheadAttention"):
        module = spec.name.rsplit(".", 1)[0]
    return AuditLayer(
        name=spec.name, kind=_DENSE_KINDS.get(spec.source, "linear"), module=module,
        shape=f"{spec.n_in}->{spec.n_out}", n_weights=spec.n_in * spec.n_out,
        dense=spec.weight, calls=calls,
    )


def _conv_layer(spec: ConvSpec, calls: int) -> AuditLayer:
    kernel = "x".join(map(str, spec.kernel))
    shape = (f"{spec.in_channels}->{spec.out_channels} k={kernel} s={'x'.join(map(str, spec.stride))}"
             f" p={spec.padding if isinstance(spec.padding, str) else 'x'.join(map(str, spec.padding))}"
             f" d={'x'.join(map(str, spec.dilation))} g={spec.groups}"
             f" in={'x'.join(map(str, spec.input_spatial))}"
             f" out={'x'.join(map(str, spec.output_spatial))}")
    return AuditLayer(name=spec.name, kind=f"conv{spec.dim}d", module=spec.name, shape=shape,
                      n_weights=int(spec.weight.size), conv=spec, calls=calls)


def _recurrent_layers(spec: RecurrentSpec, calls: int) -> list[AuditLayer]:
    out = []
    module = spec.name.rsplit("_l", 1)[0]
    for label, _kind, w in spec.blocks():
        m, n = w.shape
        out.append(AuditLayer(
            name=f"{spec.name}.{label}", kind=f"{spec.cell.lower()}-{label[:2]}", module=module,
            shape=f"{n}->{m}", n_weights=int(w.size), dense=np.ascontiguousarray(w), calls=calls,
        ))
    return out


def audit_layers(model: nn.Module, trace: TraceResult) -> tuple[list[AuditLayer], Coverage]:
    """The layers to measure (each module once) and the model's parameter coverage.

    Parameters
    ----------
    model : torch.nn.Module
        The traced model (for its total parameter count).
    trace : TraceResult
        From :func:`topotheory.nn.trace.trace_model`.

    Returns
    -------
    (list of AuditLayer, Coverage)
    """
    calls: dict[str, int] = {}
    for spec in trace.layers:
        calls[spec.name] = calls.get(spec.name, 0) + 1
    layers: list[AuditLayer] = []
    done: set[str] = set()
    for spec in trace.layers:
        if spec.name in done:
            continue
        done.add(spec.name)
        if isinstance(spec, DenseSpec):
            layers.append(_dense_layer(spec, calls[spec.name]))
        elif isinstance(spec, ConvSpec):
            layers.append(_conv_layer(spec, calls[spec.name]))
        else:
            layers.extend(_recurrent_layers(spec, calls[spec.name]))
    not_covered = [NotCovered(n or "<root>", t, c, _reason(t, True)) for n, t, c in trace.elementwise]
    not_covered += [NotCovered(n or "<root>", t, c, _reason(t, False)) for n, t, c in trace.unsupported]
    total = sum(p.numel() for p in model.parameters())  # shared parameters counted once
    modules = dict(model.named_modules())
    unique = {id(p): p.numel() for name, _, _ in trace.covered
              for p in modules[name].parameters(recurse=False)}
    covered = sum(unique.values())
    return layers, Coverage(int(total), int(covered), tuple(trace.covered), tuple(not_covered))
