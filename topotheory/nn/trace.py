"""Trace any ``torch.nn.Module`` into layer specs (dense, convolutional, recurrent).

A forward pass on a zero input of the given shape (or on the caller's example inputs:
several positional or keyword tensors, integer token ids) runs with forward hooks on every
module; each call of a ``Linear``, ``Conv1d/2d/3d``, ``ConvTranspose1d/2d/3d``,
``RNN/LSTM/GRU``, ``RNNCell/LSTMCell/GRUCell``, ``Embedding`` or ``MultiheadAttention``
becomes a frozen spec carrying its geometry (read from the actual input and output
tensors, so strides, 'same' padding, dilation and groups are whatever the model really
does) and a numpy copy of its weight. Nothing is read from hand-written tables.

Modules that own parameters but that no spec describes are never skipped silently:

* ``elementwise``: normalisation layers (BatchNorm, LayerNorm, GroupNorm, InstanceNorm)
  and PReLU, whose parameters act per feature and add no edge between two nodes;
* ``unsupported``: everything else with parameters. A torch layer with no graph rule
  (``Bilinear``, convs with non-zero padding modes, a transposed conv whose output
  padding breaks the adjoint geometry, a module never called) is listed as the module;
  a parameter owned by any other module (a ViT's ``cls_token``/``pos_embed``, a custom
  layer's weight) is listed by its full parameter path, with type ``parameter of <Class>``.

Transposed convolutions
-----------------------
``ConvTranspose(C_in -> C_out, stride s, padding p, dilation d, groups g)`` computes
``out[j, s*i + d*k - p] += W[c, j, k] * in[c, i]``: exactly the adjoint (transpose) of the
convolution ``Conv(C_out -> C_in, s, p, d, g)`` applied to the transposed conv's output
grid, with the same weight tensor (torch's ``(C_in, C_out/g, *kernel)`` layout is that
convolution's ``(out, in/g, *kernel)``; no kernel flip). Both have the same edges with the
same weights, so the traced :class:`ConvSpec` (``transposed=True``) describes that
convolution: ``in_channels``/``input_spatial`` are the transposed conv's OUTPUT channels
and grid, ``out_channels``/``output_spatial`` its input's. The zero-padding nodes of the
adjoint are the output positions the transposed conv crops (``padding``). When
``output_padding`` makes the adjoint's output grid differ from the transposed conv's
input grid, the layer is listed as unsupported with that reason.

Dense layers that are not ``Linear`` modules (``DenseSpec.source`` says which):

* ``Embedding(V, d)``: the complete bipartite layer from the ``V`` one-hot token nodes
  to the ``d`` features; ``weight`` is the embedding table transposed, ``(d, V)``;
* ``MultiheadAttention``: the query, key and value projections (rows of
  ``in_proj_weight``, or ``q/k/v_proj_weight`` when key/value sizes differ) and the output
  projection, four dense layers named ``<name>.q_proj``, ``.k_proj``, ``.v_proj``,
  ``.out_proj``. The attention scores themselves are data-dependent, not weights.
  torch's fused "fast path" (which bypasses the module calls) is switched off while
  tracing.

Recurrent layers (gate mapping)
-------------------------------
torch stores, per layer ``l`` and direction, ``weight_ih_l{l}`` of shape
``(G*h, n_in)`` and ``weight_hh_l{l}`` of shape ``(G*h, h)`` with ``G`` stacked gate
blocks: ``G = 1`` for ``RNN``, ``G = 4`` for ``LSTM`` (gates ``i, f, g, o``) and
``G = 3`` for ``GRU`` (gates ``r, z, n``). :meth:`RecurrentSpec.blocks` splits them
into one ``h x h`` hidden-to-hidden block per gate (a recurrent layer in the sense of
Theorem 3.2, ``kappa_T = h^2/(2h - 1)``; the same block is shared by all time steps)
and one ``h x n_in`` input-to-hidden block per gate (an ordinary dense layer,
``kappa_T = h n_in / (h + n_in - 1)``). Projections (``proj_size``) are unsupported.

Examples
--------
>>> import torch
>>> from topotheory.nn.trace import trace_model
>>> model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding="same"), torch.nn.Flatten(),
...                             torch.nn.Linear(4 * 8 * 8, 10))
>>> result = trace_model(model, (1, 8, 8))
>>> [type(s).__name__ for s in result.layers]
['ConvSpec', 'DenseSpec']
>>> result.layers[0].output_spatial
(8, 8)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from topotheory.theory.conv_axis import same_padding

_ELEMENTWISE = (
    nn.modules.batchnorm._BatchNorm,
    nn.LayerNorm,
    nn.GroupNorm,
    nn.modules.instancenorm._InstanceNorm,
    nn.PReLU,
)
_GATES = {"RNN": ("h",), "LSTM": ("i", "f", "g", "o"), "GRU": ("r", "z", "n")}
_CELLS = {nn.RNNCell: "RNN", nn.LSTMCell: "LSTM", nn.GRUCell: "GRU"}


@dataclass(frozen=True, eq=False)
class DenseSpec:
    """A fully connected layer: complete bipartite graph ``n_in -> n_out``.

    ``weight`` has torch ``Linear`` layout ``(n_out, n_in)``.
    """

    name: str
    n_in: int
    n_out: int
    weight: np.ndarray = field(repr=False)
    has_bias: bool = False
    kind: str = "dense"
    source: str = "Linear"


@dataclass(frozen=True, eq=False)
class ConvSpec:
    """A convolution as traced: ``weight`` is ``(C_out, C_in/groups, *kernel)``.

    ``padding`` is what the module was given (ints per dimension, or ``"same"`` /
    ``"valid"``); ``padding_pairs`` the resolved ``(before, after)`` zero padding per
    spatial dimension (torch puts the odd extra element of 'same' padding after).
    """

    name: str
    dim: int
    in_channels: int
    out_channels: int
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...] | str
    padding_pairs: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    groups: int
    input_spatial: tuple[int, ...]
    output_spatial: tuple[int, ...]
    weight: np.ndarray = field(repr=False)
    has_bias: bool = False
    padding_mode: str = "zeros"
    kind: str = "conv"
    transposed: bool = False

    @property
    def layer_type(self) -> str:
        """``"conv2d"``, or ``"convtranspose2d"`` for a transposed conv (traced as its
        adjoint convolution, see the module docstring)."""
        return f"conv{'transpose' if self.transposed else ''}{self.dim}d"

    @property
    def padded_spatial(self) -> tuple[int, ...]:
        """Input extent including zero padding, per spatial dimension."""
        return tuple(i + a + b for i, (a, b) in zip(self.input_spatial, self.padding_pairs, strict=True))

    @property
    def symmetric_padding(self) -> tuple[int, ...] | None:
        """Per-dimension padding when before == after, else ``None``."""
        if all(a == b for a, b in self.padding_pairs):
            return tuple(a for a, _ in self.padding_pairs)
        return None


@dataclass(frozen=True, eq=False)
class RecurrentSpec:
    """One layer and direction of an ``RNN``/``LSTM``/``GRU``, or one ``RNNCell``/
    ``LSTMCell``/``GRUCell`` (see module docstring); ``module`` is the owning module's name
    (the spec's ``name`` adds ``_l<layer>[_reverse]`` for the multi-layer modules)."""

    name: str
    cell: str
    input_size: int
    hidden_size: int
    layer: int
    reverse: bool
    weight_ih: np.ndarray = field(repr=False)
    weight_hh: np.ndarray = field(repr=False)
    kind: str = "recurrent"
    module: str = ""

    @property
    def gates(self) -> tuple[str, ...]:
        """Gate names in torch's stacking order."""
        return _GATES[self.cell]

    def blocks(self) -> list[tuple[str, str, np.ndarray]]:
        """Split into ``(label, kind, weight)`` blocks; kind is 'recurrent' or 'dense'.

        Examples
        --------
        >>> import torch
        >>> spec = trace_model(torch.nn.LSTM(3, 5), (7, 3)).layers[0]
        >>> [(label, kind, w.shape) for label, kind, w in spec.blocks()][:2]
        [('hh[i]', 'recurrent', (5, 5)), ('hh[f]', 'recurrent', (5, 5))]
        """
        h = self.hidden_size
        out: list[tuple[str, str, np.ndarray]] = []
        for g, gate in enumerate(self.gates):
            out.append((f"hh[{gate}]", "recurrent", self.weight_hh[g * h : (g + 1) * h]))
        for g, gate in enumerate(self.gates):
            out.append((f"ih[{gate}]", "dense", self.weight_ih[g * h : (g + 1) * h]))
        return out


Spec = DenseSpec | ConvSpec | RecurrentSpec


@dataclass(frozen=True)
class TraceResult:
    """Specs in call order plus every parameterised module no spec describes."""

    input_shape: tuple[int, ...]
    layers: tuple[Spec, ...]
    unsupported: tuple[tuple[str, str, int], ...]  # (name, type, #params)
    elementwise: tuple[tuple[str, str, int], ...]  # (name, type, #params)
    covered: tuple[tuple[str, str, int], ...] = ()  # modules the specs describe


def _float64(tensor: torch.Tensor) -> np.ndarray:
    """A float64 numpy copy of a parameter (detached, on the CPU): the spec owns its weights."""
    return tensor.detach().cpu().double().numpy().copy()


def _tuple(value: int | Sequence[int], dim: int) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * dim
    return tuple(int(v) for v in value)


def _conv_spec(name: str, module: nn.Module, x: torch.Tensor, y: torch.Tensor) -> ConvSpec:
    dim = module.weight.dim() - 2
    kernel = tuple(int(k) for k in module.weight.shape[2:])
    stride = _tuple(module.stride, dim)
    dilation = _tuple(module.dilation, dim)
    in_sp = tuple(int(s) for s in x.shape[-dim:])
    out_sp = tuple(int(s) for s in y.shape[-dim:])
    padding: tuple[int, ...] | str
    if isinstance(module.padding, str):
        padding = module.padding
        if padding == "valid":
            pairs = tuple((0, 0) for _ in range(dim))
        else:  # torch 'same': total d*(k-1), the extra element goes after
            pairs = tuple(same_padding(k, d) for d, k in zip(dilation, kernel, strict=True))
    else:
        padding = _tuple(module.padding, dim)
        pairs = tuple((p, p) for p in padding)
    return ConvSpec(
        name=name,
        dim=dim,
        in_channels=int(module.in_channels),
        out_channels=int(module.out_channels),
        kernel=kernel,
        stride=stride,
        padding=padding,
        padding_pairs=pairs,
        dilation=dilation,
        groups=int(module.groups),
        input_spatial=in_sp,
        output_spatial=out_sp,
        weight=_float64(module.weight),
        has_bias=module.bias is not None,
        padding_mode=str(module.padding_mode),
    )


def _recurrent_specs(name: str, module: nn.RNNBase, x: torch.Tensor) -> list[RecurrentSpec]:
    cell = "RNN" if type(module).__name__ == "RNN" or module.mode.startswith("RNN") else module.mode
    specs = []
    for layer in range(module.num_layers):
        for reverse in (False, True)[: 2 if module.bidirectional else 1]:
            suffix = f"_l{layer}" + ("_reverse" if reverse else "")
            w_ih = _float64(getattr(module, "weight_ih" + suffix))
            w_hh = _float64(getattr(module, "weight_hh" + suffix))
            specs.append(
                RecurrentSpec(
                    name=f"{name}{suffix}",
                    cell=cell,
                    input_size=int(w_ih.shape[1]),
                    hidden_size=int(module.hidden_size),
                    layer=layer,
                    reverse=reverse,
                    weight_ih=w_ih,
                    weight_hh=w_hh,
                    module=name,
                )
            )
    return specs


def _cell_spec(name: str, module: nn.RNNCellBase) -> RecurrentSpec:
    """An ``RNNCell``/``LSTMCell``/``GRUCell``: the gate blocks of one time step."""
    w_ih = _float64(module.weight_ih)
    w_hh = _float64(module.weight_hh)
    return RecurrentSpec(name=name, cell=_cell_name(module), input_size=int(w_ih.shape[1]),
                         hidden_size=int(module.hidden_size), layer=0, reverse=False,
                         weight_ih=w_ih, weight_hh=w_hh, module=name)


def _cell_name(module: nn.RNNCellBase) -> str:
    for cls, cell in _CELLS.items():
        if isinstance(module, cls):
            return cell
    gates = int(module.weight_ih.shape[0]) // int(module.hidden_size)
    return {1: "RNN", 3: "GRU", 4: "LSTM"}[gates]


def _transposed_spec(name: str, module: nn.modules.conv._ConvNd, x: torch.Tensor,
                     y: torch.Tensor) -> ConvSpec | str:
    """A transposed conv as its adjoint convolution, or why it cannot be one."""
    dim = module.weight.dim() - 2
    kernel = tuple(int(k) for k in module.weight.shape[2:])
    stride = _tuple(module.stride, dim)
    dilation = _tuple(module.dilation, dim)
    padding = _tuple(module.padding, dim)
    out_sp = tuple(int(s) for s in y.shape[-dim:])  # the adjoint's input grid
    in_sp = tuple(int(s) for s in x.shape[-dim:])  # the adjoint's output grid
    adjoint = tuple((o + 2 * p - d * (k - 1) - 1) // s + 1
                    for o, p, d, k, s in zip(out_sp, padding, dilation, kernel, stride, strict=True))
    if adjoint != in_sp:
        return (f"output_padding {tuple(module.output_padding)} is not smaller than the stride "
                f"{stride}: the adjoint convolution's output grid {adjoint} differs from the "
                f"input grid {in_sp}")
    return ConvSpec(
        name=name, dim=dim, in_channels=int(module.out_channels),
        out_channels=int(module.in_channels), kernel=kernel, stride=stride, padding=padding,
        padding_pairs=tuple((p, p) for p in padding), dilation=dilation,
        groups=int(module.groups), input_spatial=out_sp, output_spatial=in_sp,
        weight=_float64(module.weight),
        has_bias=module.bias is not None, padding_mode=str(module.padding_mode),
        transposed=True,
    )


def _n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters(recurse=False))


def _attention_specs(name: str, mod: nn.MultiheadAttention) -> list[DenseSpec]:
    """Query, key, value and output projections of an attention module, as dense layers."""
    e = int(mod.embed_dim)
    if mod.in_proj_weight is not None:
        w = _float64(mod.in_proj_weight)
        qkv = [w[:e], w[e : 2 * e], w[2 * e :]]
    else:
        qkv = [_float64(getattr(mod, f"{x}_proj_weight")) for x in ("q", "k", "v")]
    has_in_bias = mod.in_proj_bias is not None
    specs = [
        DenseSpec(f"{name}.{x}_proj", int(w.shape[1]), int(w.shape[0]), w.copy(), has_in_bias,
                  source=f"MultiheadAttention.{x}")
        for x, w in zip(("q", "k", "v"), qkv, strict=True)
    ]
    out = mod.out_proj
    specs.append(DenseSpec(f"{name}.out_proj", int(out.in_features), int(out.out_features),
                           _float64(out.weight),
                           out.bias is not None, source="MultiheadAttention.out"))
    return specs


def _is_traced(module: nn.Module) -> bool:
    return isinstance(module, nn.Linear | nn.RNNBase | nn.RNNCellBase | nn.Embedding
                      | nn.MultiheadAttention | nn.modules.conv._ConvNd)


def _is_torch_layer(module: nn.Module) -> bool:
    """A module class of ``torch.nn`` itself (listed as a module when unsupported)."""
    return type(module).__module__.startswith("torch.nn.")


def _zero_input(model: nn.Module, shape: tuple[int, ...], batch_size: int) -> torch.Tensor:
    first = next(model.parameters(), None)
    dtype = first.dtype if first is not None and first.is_floating_point() else torch.float32
    device = first.device if first is not None else torch.device("cpu")
    return torch.zeros((batch_size, *shape), dtype=dtype, device=device)


def _check_shape(input_shape: Sequence[int]) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in input_shape)
    except (TypeError, ValueError) as error:
        raise ValueError(f"input_shape must be a sequence of ints, got {input_shape!r}") from error
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape must be non-empty positive ints, got {input_shape!r}")
    return shape


def _run_forward(model: nn.Module, inputs: tuple | dict, described: str) -> None:
    """One forward pass, eval mode, no grad, attention fast path off; errors name the input."""
    fastpath = getattr(getattr(torch.backends, "mha", None), "get_fastpath_enabled", None)
    previous = fastpath() if fastpath is not None else None
    was_training = model.training
    model.eval()
    try:
        if previous is not None:
            torch.backends.mha.set_fastpath_enabled(False)
        with torch.no_grad():
            if isinstance(inputs, dict):
                model(**inputs)
            else:
                model(*inputs)
    except (RuntimeError, ValueError, TypeError, IndexError, AssertionError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(
            f"the model's forward pass failed on {described}: {first_line}. Give the shape of one "
            "example without the batch dimension (input_shape), integer dtype for token ids, or "
            "real example inputs (example_inputs) for models with several inputs"
        ) from error
    finally:
        if previous is not None:
            torch.backends.mha.set_fastpath_enabled(previous)
        model.train(was_training)


def _describe(inputs: tuple | dict) -> str:
    items = inputs.items() if isinstance(inputs, dict) else enumerate(inputs)
    parts = [f"{key}: {tuple(value.shape)} {str(value.dtype).replace('torch.', '')}"
             if isinstance(value, torch.Tensor) else f"{key}: {type(value).__name__}"
             for key, value in items]
    return "inputs (" + ", ".join(parts) + ")"


def trace_model(
    model: nn.Module,
    input_shape: Sequence[int] | None = None,
    *,
    batch_size: int = 1,
    example_inputs: tuple | list | dict | torch.Tensor | None = None,
) -> TraceResult:
    """Trace ``model`` on a zero input of shape ``(batch_size, *input_shape)``.

    Parameters
    ----------
    model : torch.nn.Module
        Any module; it is run once in eval mode under ``torch.no_grad`` (its training
        flag is restored).
    input_shape : sequence of int, optional
        Shape of one example, without the batch dimension (e.g. ``(3, 32, 32)``; for a
        batch-first-free RNN ``(seq_len, features)``). Required unless ``example_inputs``.
    batch_size : int
        Batch size of the dummy input.
    example_inputs : tensor, tuple/list of tensors or dict of tensors, optional
        Real inputs (batch dimension included) passed as ``model(*inputs)`` or
        ``model(**inputs)``: several inputs, integer token ids, any dtype. Replaces the
        zero input; ``input_shape`` is then the first input's shape without its batch
        dimension.

    Returns
    -------
    TraceResult
        Layer specs in call order (a module called twice appears twice), plus the
        ``unsupported`` and ``elementwise`` modules with their parameter counts, and the
        ``covered`` modules (those a spec describes).

    Raises
    ------
    ValueError
        If neither or an invalid input is given, or the forward pass fails on it (the
        message quotes torch's first line and says what to pass).

    Examples
    --------
    >>> import torch
    >>> r = trace_model(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3)), (4,),
    ...                 batch_size=2)
    >>> [(s.n_in, s.n_out) for s in r.layers], r.elementwise
    ([(4, 3)], (('1', 'BatchNorm1d', 6),))
    >>> emb = torch.nn.Embedding(10, 4)
    >>> trace_model(emb, example_inputs=torch.tensor([[1, 2, 3]])).layers[0].weight.shape
    (4, 10)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if example_inputs is None:
        if input_shape is None:
            raise ValueError("pass input_shape (one example's shape) or example_inputs")
        shape = _check_shape(input_shape)
        inputs: tuple | dict = (_zero_input(model, shape, batch_size),)
        described = f"a zero input of shape {(batch_size, *shape)}"
    else:
        if isinstance(example_inputs, torch.Tensor):
            inputs = (example_inputs,)
        elif isinstance(example_inputs, dict):
            inputs = dict(example_inputs)
        elif isinstance(example_inputs, tuple | list):
            inputs = tuple(example_inputs)
        else:
            raise TypeError("example_inputs must be a tensor, a tuple/list of tensors or a dict "
                            f"of tensors, got {type(example_inputs).__name__}")
        values = list(inputs.values()) if isinstance(inputs, dict) else list(inputs)
        if not values:
            raise ValueError("example_inputs is empty; pass at least one tensor")
        first = values[0]
        shape = tuple(int(s) for s in first.shape[1:]) if isinstance(first, torch.Tensor) else ()
        described = _describe(inputs)

    layers: list[Spec] = []
    seen: set[str] = set()
    unsupported: dict[str, tuple[str, str, int]] = {}
    elementwise: dict[str, tuple[str, str, int]] = {}
    handles = []

    def make_hook(name: str, module: nn.Module):
        name = name or "<root>"

        def hook(mod: nn.Module, inputs: tuple, output: object) -> None:
            seen.add(name)
            if isinstance(mod, nn.MultiheadAttention):
                seen.add(f"{name}.out_proj" if name != "<root>" else "out_proj")
                layers.extend(_attention_specs(name, mod))
            elif isinstance(mod, nn.Embedding):
                w = _float64(mod.weight).T.copy()
                layers.append(DenseSpec(name, int(mod.num_embeddings), int(mod.embedding_dim),
                                        w, False, source="Embedding"))
            elif isinstance(mod, nn.Linear):
                layers.append(
                    DenseSpec(name, int(mod.in_features), int(mod.out_features),
                              _float64(mod.weight),
                              mod.bias is not None)
                )
            elif isinstance(mod, nn.modules.conv._ConvNd) and mod.transposed:
                spec = _transposed_spec(name, mod, inputs[0], output)
                if isinstance(spec, str):
                    unsupported[name] = (name, f"{type(mod).__name__}({spec})", _n_params(mod))
                else:
                    layers.append(spec)
            elif isinstance(mod, nn.modules.conv._ConvNd):
                x = inputs[0]
                y = output
                spec = _conv_spec(name, mod, x, y)
                if spec.padding_mode != "zeros":
                    unsupported[name] = (name, f"{type(mod).__name__}(padding_mode={spec.padding_mode})",
                                         _n_params(mod))
                else:
                    layers.append(spec)
            elif isinstance(mod, nn.RNNCellBase):
                layers.append(_cell_spec(name, mod))
            elif isinstance(mod, nn.RNNBase):
                if getattr(mod, "proj_size", 0):
                    unsupported[name] = (name, f"{type(mod).__name__}(proj_size)", _n_params(mod))
                else:
                    layers.extend(_recurrent_specs(name, mod, inputs[0]))
        return hook

    for name, module in model.named_modules():
        if _is_traced(module):
            handles.append(module.register_forward_hook(make_hook(name, module)))
        elif isinstance(module, _ELEMENTWISE) and _n_params(module) > 0:
            elementwise[name] = (name, type(module).__name__, _n_params(module))
        elif _is_torch_layer(module) and _n_params(module) > 0:
            unsupported[name] = (name, type(module).__name__, _n_params(module))
        else:  # free parameters: each by its full path
            for pname, param in module.named_parameters(recurse=False):
                full = f"{name}.{pname}" if name else pname
                unsupported[full] = (full, f"parameter of {type(module).__name__}",
                                     int(param.numel()))

    try:
        _run_forward(model, inputs, described)
    finally:
        for handle in handles:
            handle.remove()

    covered: dict[str, tuple[str, str, int]] = {}
    for name, module in model.named_modules():
        key = name or "<root>"
        if not _is_traced(module) or _n_params(module) == 0:
            continue
        if key not in seen:
            unsupported[name] = (name, f"{type(module).__name__}(never called)", _n_params(module))
        elif name not in unsupported:
            covered[name] = (name, type(module).__name__, _n_params(module))
    return TraceResult(
        input_shape=shape,
        layers=tuple(layers),
        unsupported=tuple(unsupported.values()),
        elementwise=tuple(elementwise.values()),
        covered=tuple(covered.values()),
    )


def count_params(spec: Spec) -> int:
    """Number of weight entries of a spec (biases excluded).

    Examples
    --------
    >>> import torch
    >>> count_params(trace_model(torch.nn.Linear(4, 3), (4,)).layers[0])
    12
    """
    if isinstance(spec, RecurrentSpec):
        return int(spec.weight_ih.size + spec.weight_hh.size)
    return int(math.prod(spec.weight.shape))
