"""Array-likes at the door of the topology core: torch tensors in, numpy out.

:func:`as_numpy` is the first step of the core's validation. A numpy array passes through
untouched (no copy, no cost beyond one type check); a torch tensor is detached, moved to
the CPU and shared with numpy (no copy for a CPU tensor of float32/float64); anything else
is left to ``numpy.asarray``, which reads every object with ``__array__`` (or the array
interface) the same way. torch is never imported here: a tensor can only exist once the
caller imported torch, so it is recognised through ``sys.modules``.

Conversions (exact, documented once):

* ``float16`` and ``bfloat16`` tensors become ``float32`` (every half-precision value is a
  float32 exactly; numpy has no bfloat16). The core then computes in float32 as for any
  float32 input.
* a quantized tensor is dequantized first (its real values, as torch defines them).
* ``requires_grad`` is dropped (``detach``); no graph is recorded.

Refused with an error naming the fix: a torch *module* (pass its ``.weight``, iterate
``tt.layer_weights(model)`` or call ``tt.audit_model``), sparse tensors (``.to_dense()``,
or a ``scipy.sparse`` matrix when missing entries are absent edges) and tensors on the
``meta`` device (no values).

Examples
--------
>>> import numpy as np
>>> w = np.ones((2, 3))
>>> as_numpy(w) is w
True
>>> class Wrapped:
...     def __array__(self, dtype=None, copy=None):
...         return np.arange(6.0).reshape(2, 3)
>>> as_numpy(Wrapped()) is not None   # left to numpy.asarray, which reads __array__
True
>>> from topotheory.topology import maximum_spanning_forest
>>> maximum_spanning_forest(Wrapped()).size
4
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from topotheory.errors import InputError, InputTypeError

__all__ = ["as_numpy", "is_torch_module", "is_torch_tensor"]


def is_torch_tensor(value: Any) -> bool:
    """Whether ``value`` is a torch tensor (``nn.Parameter`` included), without importing torch.

    Examples
    --------
    >>> is_torch_tensor(np.ones(2))
    False
    """
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def is_torch_module(value: Any) -> bool:
    """Whether ``value`` is a ``torch.nn.Module``, without importing torch.

    Examples
    --------
    >>> is_torch_module([[1.0]])
    False
    """
    nn = sys.modules.get("torch.nn")
    return nn is not None and isinstance(value, nn.Module)


def _public_name(cls: type) -> str:
    """``torch.nn.Linear`` rather than ``torch.nn.modules.linear.Linear`` when it is public."""
    nn = sys.modules.get("torch.nn")
    if cls.__module__.startswith("torch.") and getattr(nn, cls.__name__, None) is cls:
        return f"torch.nn.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _refuse_module(value: Any, name: str) -> None:
    kind = _public_name(type(value))
    has_weight = is_torch_tensor(getattr(value, "weight", None))
    hint = ("pass its .weight (tt.neural_persistence(layer.weight))" if has_weight
            else "pass one of its weight tensors")
    raise InputTypeError(
        f"is a torch module ({kind}), not a weight array",
        argument=name, value=f"<{kind}>",
        fix=f"{hint}, iterate every layer with tt.layer_weights(model, input_shape), or "
        "audit the whole model with tt.audit_model(model, input_shape=...)",
    )


def _tensor_to_numpy(tensor: Any, name: str) -> np.ndarray:
    torch = sys.modules["torch"]
    t = tensor.detach()
    if t.layout != torch.strided:
        raise InputTypeError(
            f"is a sparse torch tensor (layout {t.layout})", argument=name,
            value=f"<sparse tensor of shape {tuple(t.shape)}>",
            fix=f"pass {name}.to_dense() (missing entries become weights of 0), or a "
            "scipy.sparse matrix if missing entries are absent edges",
        )
    if t.device.type == "meta":
        raise InputError(
            "is a tensor on the meta device, which holds no values", argument=name,
            value=f"<meta tensor of shape {tuple(t.shape)}>",
            fix="load the weights first (e.g. model.load_state_dict(..., assign=True))",
        )
    if t.is_quantized:
        t = t.dequantize()
    if t.device.type != "cpu":
        t = t.cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.float()
    return t.resolve_conj().resolve_neg().numpy()


def as_numpy(values: Any, name: str = "weights") -> Any:
    """``values`` with torch tensors turned into numpy arrays; everything else unchanged.

    Parameters
    ----------
    values : array_like, torch.Tensor or any object with ``__array__``
        The caller's input.
    name : str
        The argument name used in error messages.

    Returns
    -------
    numpy.ndarray or object
        A numpy array for a tensor (sharing memory with a CPU tensor when no dtype
        conversion is needed); ``values`` itself otherwise (``numpy.asarray`` reads it).

    Raises
    ------
    TypeError
        For a torch module (the message names ``.weight``, ``tt.layer_weights`` and
        ``tt.audit_model``) or a sparse tensor.
    ValueError
        For a tensor on the meta device.

    Examples
    --------
    >>> as_numpy([[1.0, 2.0]])
    [[1.0, 2.0]]
    """
    if type(values) is np.ndarray:
        return values
    if is_torch_tensor(values):
        return _tensor_to_numpy(values, name)
    if is_torch_module(values):
        _refuse_module(values, name)
    return values
