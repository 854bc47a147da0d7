"""Each audited layer's mask and dense reference, in the layout the audit measures it in.

A layer's weights reach the audit through the trace (:func:`topotheory.nn.trace.trace_model`):
an embedding is transposed, attention projections are sliced out of ``in_proj_weight``,
recurrent gate blocks out of ``weight_hh_l0``, a transposed convolution becomes its
adjoint. Masks and dense references are keyed by parameter name, so they go through the
SAME trace: :func:`layer_masks` puts the dense references into the model's parameters and
traces it, then a code per entry (0 pruned, 1 kept, 2/3 the same without a dense
reference, 4 no mask; exact in every float dtype), traces again, and restores the
parameters. Every layer then has its mask and reference laid out exactly as its measured
weights, whatever the layer kind.

Examples
--------
>>> import torch
>>> from topotheory.nn.audit.pruned_checkpoints import PrunedParameter
>>> emb = torch.nn.Embedding(3, 2)
>>> with torch.no_grad():
...     emb.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]]))
...     dense = emb.weight.clone()
...     emb.weight.mul_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))  # doctest: +ELLIPSIS
Parameter containing:
...
>>> mask = emb.weight != 0
>>> pruned = {"weight": PrunedParameter("weight", emb.weight.detach(), mask, dense, "m", "r")}
>>> found = layer_masks(emb, (torch.tensor([[0, 1, 2]]),), pruned)
>>> found["<root>"].mask.tolist()  # the embedding's (d, V) layout
[[True, False, True], [False, True, True]]
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from topotheory.nn.audit.layers import AuditLayer, audit_layers
from topotheory.nn.audit.pruned_checkpoints import PrunedParameter
from topotheory.nn.trace import trace_model

__all__ = ["LayerMask", "check_pruned", "layer_masks"]

_NO_MASK = 4.0
_NO_REFERENCE = 2.0


@dataclass(frozen=True, eq=False)
class LayerMask:
    """One audited layer's mask and dense reference (``None`` with ``reason`` when missing).

    Attributes
    ----------
    mask : numpy.ndarray of bool or None
        True = kept; the shape of the layer's measured weights (dense ``(n_out, n_in)`` or
        the kernel).
    reference : numpy.ndarray or None
        The dense reference weights, same layout.
    mask_source, reference_source : str
        Where they came from.
    reason : str
        Why there is no mask or no reference (``""`` when both are there).
    """

    mask: np.ndarray | None = field(repr=False)
    reference: np.ndarray | None = field(repr=False)
    mask_source: str
    reference_source: str
    reason: str = ""


def _weight_params(model: nn.Module) -> dict[str, nn.Parameter]:
    return {name: p for name, p in model.named_parameters(remove_duplicate=False)
            if p.dim() >= 2 and p.is_floating_point()}


def check_pruned(model: nn.Module, pruned: Mapping[str, PrunedParameter]) -> None:
    """Refuse masks that do not fit ``model``: unknown names, other shapes, or weights that
    are not zero where pruned (the audit measures the model's weights as the pruned network).

    Raises
    ------
    topotheory.errors.InputError
        Naming ``pruned`` and the weight.
    """
    from topotheory.errors import InputError

    params = dict(model.named_parameters(remove_duplicate=False))
    for name, p in pruned.items():
        if not isinstance(p, PrunedParameter):
            raise InputError("must map parameter names to PrunedParameter",
                             argument=f"pruned[{name!r}]", value=type(p).__name__,
                             fix="pass load_checkpoint(model, weights).pruned")
        if name not in params:
            raise InputError("is not a parameter of the model", argument="pruned",
                             value=name, fix="key the masks by model.named_parameters() names")
        param = params[name]
        shapes = {tuple(param.shape), tuple(p.mask.shape)}
        if p.dense is not None:
            shapes.add(tuple(p.dense.shape))
        if len(shapes) != 1:
            raise InputError(f"mask {tuple(p.mask.shape)} / dense reference "
                             f"{None if p.dense is None else tuple(p.dense.shape)} do not fit "
                             f"the weight {tuple(param.shape)}", argument="pruned", value=name,
                             fix="give the mask and reference of this weight")
        alive = param.detach().cpu()[~p.mask.cpu().bool()]
        if bool((alive != 0).any()):
            raise InputError(
                f"the model's weight is nonzero at {int((alive != 0).sum())} pruned entries, so "
                "the audit would not measure the pruned network", argument="pruned", value=name,
                fix="load the effective weights (weight x mask) into the model, e.g. with "
                "topotheory.nn.audit.checkpoint.load_checkpoint")


@contextmanager
def _swapped(model: nn.Module, values: Mapping[str, torch.Tensor]) -> Iterator[None]:
    """The model's parameters set to ``values`` (by name) inside the block, restored after."""
    params = dict(model.named_parameters(remove_duplicate=False))
    saved: dict[int, tuple[nn.Parameter, torch.Tensor]] = {}
    with torch.no_grad():
        try:
            for name, value in values.items():
                param = params[name]
                saved.setdefault(id(param), (param, param.detach().clone()))
                param.copy_(value.to(device=param.device, dtype=param.dtype))
            yield
        finally:
            for param, old in saved.values():
                param.copy_(old)


def _layers_with(model: nn.Module, values: Mapping[str, torch.Tensor], inputs: tuple | dict,
                 not_loaded: Collection[str]) -> dict[str, AuditLayer]:
    with _swapped(model, values):
        trace = trace_model(model, example_inputs=inputs)
    layers, _ = audit_layers(model, trace, not_loaded=not_loaded)
    return {layer.name: layer for layer in layers}


def _array(layer: AuditLayer) -> np.ndarray:
    return layer.conv.weight if layer.is_conv else layer.dense


def _sources(layer: AuditLayer, pruned: Mapping[str, PrunedParameter]) -> tuple[str, str]:
    """The mask and reference sources of the weights the layer's module owns."""
    prefix = "" if layer.module in ("", "<root>") else layer.module + "."
    own = [p for name, p in pruned.items() if name.startswith(prefix)] or list(pruned.values())
    return ("; ".join(dict.fromkeys(p.source for p in own)),
            "; ".join(dict.fromkeys(p.dense_source for p in own)))


def layer_masks(
    model: nn.Module, inputs: tuple | dict, pruned: Mapping[str, PrunedParameter], *,
    not_loaded: Collection[str] = (),
) -> dict[str, LayerMask]:
    """Every audited layer's :class:`LayerMask` (module docstring), by layer name.

    Parameters
    ----------
    model : torch.nn.Module
        The model with the effective (masked) weights loaded; its parameters are restored.
    inputs : tuple or dict
        The example inputs the audit traces with.
    pruned : mapping of str to PrunedParameter
        Masks (and dense references) by parameter name
        (:attr:`~topotheory.nn.audit.checkpoint.LoadedCheckpoint.pruned`).
    not_loaded : collection of str
        As for :func:`~topotheory.nn.audit.layers.audit_layers`.

    Returns
    -------
    dict of str to LayerMask
    """
    params = _weight_params(model)
    codes = {name: torch.full(p.shape, _NO_MASK) for name, p in params.items()}
    references: dict[str, torch.Tensor] = {}
    for name, p in pruned.items():
        if name in codes:
            codes[name] = p.mask.to(torch.float32) + (0.0 if p.dense is not None
                                                       else _NO_REFERENCE)
            if p.dense is not None:
                references[name] = p.dense
    coded = _layers_with(model, codes, inputs, not_loaded)
    dense = _layers_with(model, references, inputs, not_loaded) if references else coded
    out: dict[str, LayerMask] = {}
    for name, layer in coded.items():
        code = _array(layer)
        mask_source, reference_source = _sources(layer, pruned)
        if (code == _NO_MASK).all():
            out[name] = LayerMask(None, None, "", "", "no mask for this layer's weight (not "
                                  "pruned)")
        elif (code == _NO_MASK).any():
            out[name] = LayerMask(None, None, mask_source, reference_source,
                                  "only part of the weights this layer measures has a mask")
        elif (code >= _NO_REFERENCE).any():
            out[name] = LayerMask(code == _NO_REFERENCE + 1, None, mask_source, reference_source,
                                  f"no dense reference ({reference_source}); pass the dense "
                                  "checkpoint (--reference FILE) to count the MST kept")
        else:
            out[name] = LayerMask(code == 1, _array(dense[name]), mask_source, reference_source)
    return out
