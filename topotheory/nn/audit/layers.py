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
``convtranspose1d`` .. a transposed conv: the Toeplitz graph of its adjoint convolution
                       (same edges, same weights; see :mod:`topotheory.nn.trace`)
=====================  ==================================================================

``RNNCell``/``LSTMCell``/``GRUCell`` give the same ``-hh``/``-ih`` gate blocks as the
multi-step modules (``rnn``/``lstm``/``gru`` kinds).

Everything else that owns parameters is listed in :attr:`Coverage.not_covered` with its
parameter count and the reason (free parameters by their full path). Coverage counts a
covered module's parameters in full (weights and biases; biases add no edge, as in the
paper); parameters are counted once even when a module is called several times (it is
then audited once, at its first call) or shares them with another module (tied weights).

Tied weights: a layer whose weight is the same tensor (same storage) as an earlier
layer's (an LM's output projection tied to its embedding) is still measured, and marked
with :attr:`AuditLayer.tied_to`; model-level sums count it once.

Layers whose weights were not loaded from the checkpoint (``not_loaded``: a non-strict
load) are not measured; their modules are listed as not covered.

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

from collections.abc import Collection
from dataclasses import dataclass, field, replace

import numpy as np
from torch import nn

from topotheory.nn.trace import ConvSpec, DenseSpec, RecurrentSpec, TraceResult
from topotheory.result import Result

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
    tied_to : str
        The earlier audited layer whose weight is the same tensor (``""`` if none).
    """

    name: str
    kind: str
    module: str
    shape: str
    n_weights: int
    dense: np.ndarray | None = field(default=None, repr=False)
    conv: ConvSpec | None = field(default=None, repr=False)
    calls: int = 1
    tied_to: str = ""

    @property
    def is_conv(self) -> bool:
        """Whether the layer is a convolution (weight-shared Toeplitz graph)."""
        return self.conv is not None


@dataclass(frozen=True, repr=False)
class NotCovered(Result):
    """A module with parameters the audit does not measure, and why."""

    module: str
    type: str
    n_params: int
    reason: str


@dataclass(frozen=True, repr=False)
class Coverage(Result):
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
        return ("acts per feature (normalisation, PReLU): its parameters are no edge between "
                "two nodes")
    if kind.startswith("parameter of "):
        return ("a parameter used directly in the forward pass (e.g. a class token or position "
                "embedding), not the weight of a layer kind with a graph rule")
    if kind == "not loaded":
        return ("its weights are not in the checkpoint (--non-strict): they are the factory's "
                "values, so the layer is not audited")
    if kind.startswith("Bilinear"):
        return ("bilinear: each weight A[k, i, j] multiplies a PAIR of inputs x1_i * x2_j into "
                "output k, a three-node hyperedge, so the layer is no bipartite graph of edges "
                "between two nodes")
    if "never called" in kind:
        return "not called by the forward pass on the example input, so its graph is unknown"
    if "padding_mode" in kind:
        return ("non-zero padding mode (circular/reflect/replicate) joins positions that the "
                "zero-padded Toeplitz graph of the paper does not")
    if "proj_size" in kind:
        return "LSTM with proj_size: the projection is not a layer kind of the paper"
    if kind.startswith("ConvTranspose"):
        return "transposed convolution " + kind.split("(", 1)[-1].rstrip(")")
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
    shape = (("adjoint " if spec.transposed else "")
             + f"{spec.in_channels}->{spec.out_channels} k={kernel} s={'x'.join(map(str, spec.stride))}"
             f" p={spec.padding if isinstance(spec.padding, str) else 'x'.join(map(str, spec.padding))}"
             f" d={'x'.join(map(str, spec.dilation))} g={spec.groups}"
             f" in={'x'.join(map(str, spec.input_spatial))}"
             f" out={'x'.join(map(str, spec.output_spatial))}")
    return AuditLayer(name=spec.name, kind=spec.layer_type, module=spec.name, shape=shape,
                      n_weights=int(spec.weight.size), conv=spec, calls=calls)


def _recurrent_layers(spec: RecurrentSpec, calls: int) -> list[AuditLayer]:
    out = []
    module = spec.module or spec.name
    for label, _kind, w in spec.blocks():
        m, n = w.shape
        out.append(AuditLayer(
            name=f"{spec.name}.{label}", kind=f"{spec.cell.lower()}-{label[:2]}", module=module,
            shape=f"{n}->{m}", n_weights=int(w.size), dense=np.ascontiguousarray(w), calls=calls,
        ))
    return out


def _weights_of(model: nn.Module) -> dict[str, tuple[str, ...]]:
    """Module name -> full names of its own weight tensors (two or more dimensions)."""
    out: dict[str, tuple[str, ...]] = {}
    for name, module in model.named_modules():
        out[name] = tuple(f"{name}.{p}" if name else p
                          for p, t in module.named_parameters(recurse=False) if t.dim() >= 2)
    return out


def _storage(model: nn.Module, module: str, weights: dict[str, tuple[str, ...]]) -> tuple:
    """Where the module's weights live (storage pointer, offset, shape of each)."""
    params = dict(model.named_parameters(remove_duplicate=False))
    return tuple((params[w].untyped_storage().data_ptr(), params[w].storage_offset(),
                  tuple(params[w].shape)) for w in weights.get(module, ()))


def audit_layers(
    model: nn.Module, trace: TraceResult, *, not_loaded: Collection[str] = ()
) -> tuple[list[AuditLayer], Coverage]:
    """The layers to measure (each module once) and the model's parameter coverage.

    Parameters
    ----------
    model : torch.nn.Module
        The traced model (for its total parameter count and weight storages).
    trace : TraceResult
        From :func:`topotheory.nn.trace.trace_model`.
    not_loaded : collection of str
        State-dict keys whose values did not come from the checkpoint (a non-strict
        load): a layer owning one of them is not measured and its module not covered.

    Returns
    -------
    (list of AuditLayer, Coverage)

    Examples
    --------
    >>> import torch
    >>> from topotheory.nn.trace import trace_model
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 2))
    >>> layers, cov = audit_layers(net, trace_model(net, (3,)), not_loaded={"1.weight"})
    >>> [layer.name for layer in layers], [n.module for n in cov.not_covered]
    (['0'], ['1'])
    """
    calls: dict[str, int] = {}
    for spec in trace.layers:
        calls[spec.name] = calls.get(spec.name, 0) + 1
    weights = _weights_of(model)
    modules = dict(model.named_modules())
    missing = set(not_loaded)
    skipped: dict[str, str] = {}
    for name, kind, _ in trace.covered:
        own = {f"{name}.{p}" if name else p for p, _ in modules[name].named_parameters(recurse=False)}
        if own & missing:
            skipped[name] = kind
    layers: list[AuditLayer] = []
    done: set[str] = set()
    first_at: dict[tuple, str] = {}
    for spec in trace.layers:
        if spec.name in done:
            continue
        done.add(spec.name)
        if isinstance(spec, DenseSpec):
            new = [_dense_layer(spec, calls[spec.name])]
        elif isinstance(spec, ConvSpec):
            new = [_conv_layer(spec, calls[spec.name])]
        else:
            new = _recurrent_layers(spec, calls[spec.name])
        module = new[0].module
        if module in skipped:
            continue
        if isinstance(spec, ConvSpec) or (isinstance(spec, DenseSpec)
                                          and spec.source in ("Linear", "Embedding")):
            where = _storage(model, module, weights)
            if where:
                tied = first_at.setdefault(where, spec.name)
                if tied != spec.name:
                    new = [replace(layer, tied_to=tied) for layer in new]
        layers.extend(new)
    not_covered = [NotCovered(n or "<root>", t, c, _reason(t, True)) for n, t, c in trace.elementwise]
    not_covered += [NotCovered(n or "<root>", t, c, _reason(t, False)) for n, t, c in trace.unsupported]
    not_covered += [NotCovered(n or "<root>", f"{t} (not loaded)", _own_count(modules[n]),
                               _reason("not loaded", False)) for n, t in skipped.items()]
    total = sum(p.numel() for p in model.parameters())  # shared parameters counted once
    unique = {id(p): p.numel() for name, _, _ in trace.covered if name not in skipped
              for p in modules[name].parameters(recurse=False)}
    covered = sum(unique.values())
    covered_modules = tuple(m for m in trace.covered if m[0] not in skipped)
    return layers, Coverage(int(total), int(covered), covered_modules, tuple(not_covered))


def _own_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters(recurse=False))
