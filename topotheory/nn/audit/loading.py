"""Load a user's model, its trained weights and example inputs -- without running pickles.

* :func:`load_factory` imports ``pkg.module:factory`` (the current directory is searched
  after the installed packages) and calls the factory to build the ``nn.Module``, behind
  the user-code boundary (:mod:`topotheory.user_code`).
* :func:`load_state_dict` reads ``.safetensors`` directly and ``.pt``/``.pth``/``.bin``
  only through ``torch.load(weights_only=True)``: pickled code is never executed; a
  checkpoint that needs it is refused with the way to re-save it.
* :func:`apply_state_dict` loads the weights into the model, or raises ONE error listing
  every missing key, unexpected key and shape mismatch.
* :func:`load_example_inputs` reads named tensors from a ``.safetensors`` file (several
  inputs, integer token ids); :func:`example_from_shape` makes a zero input of a shape and
  dtype.

Errors are :class:`ValueError`/:class:`TypeError` naming the argument (CLI spelling), the
value and the fix.

Examples
--------
>>> import torch
>>> model = torch.nn.Linear(3, 2)
>>> apply_state_dict(model, {"weight": torch.ones(2, 3), "bias": torch.zeros(2)})
>>> float(model.weight.detach().sum())
6.0
"""

from __future__ import annotations

import contextlib
import inspect
import os
import pickle
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.parameter import UninitializedTensorMixin

from topotheory.errors import InputError, InputTypeError
from topotheory.safe_input import check_checkpoint_file, check_state_tensors, regular_file
from topotheory.user_code import (
    ProtectedState,
    calling_user_code,
    import_user_module,
    module_files,
)

#: dtype names accepted by ``--input-dtype`` (torch spellings).
INPUT_DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32, "float": torch.float32, "float64": torch.float64,
    "double": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
    "int64": torch.int64, "long": torch.int64, "int32": torch.int32, "int": torch.int32,
    "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool,
}
_PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt")
_MAX_LISTED = 12


def load_factory(spec: str, *, argument: str = "--module") -> nn.Module:
    """Build a model from ``'pkg.module:factory'`` (or ``'path/to/file.py:factory'``).

    The module is imported and the factory called behind the user-code boundary
    (:mod:`topotheory.user_code`): the installed packages are searched before the working
    folder, output goes to stderr, and an import error, an exception or ``sys.exit`` in
    the user's code is an :class:`~topotheory.errors.InputError` naming ``argument``, the
    file and the line. A model with lazy (uninitialised) parameters is refused.

    Examples
    --------
    >>> load_factory("torch.nn:Identity").__class__.__name__
    'Identity'
    """
    if not isinstance(spec, str) or spec.count(":") != 1 or not all(spec.split(":")):
        raise InputError("must look like 'pkg.module:factory'", argument=argument, value=spec,
                         fix="name a module and the function that builds the model")
    module_name, factory_name = spec.split(":")
    module = import_user_module(module_name, argument=argument)
    factory = getattr(module, factory_name, None) if factory_name.isidentifier() else None
    if factory is None or not callable(factory):
        raise InputError(f"{module_name!r} has no callable {factory_name!r}", argument=argument,
                         value=spec, fix="name a function or class that builds the model")
    protected = ProtectedState(registries={})
    with calling_user_code(f"calling {factory_name}()", argument=argument, value=spec,
                           user_files=module_files(module), fix="fix the factory"):
        model = factory()
    protected.verify(argument=argument, value=spec)
    if not isinstance(model, nn.Module):
        raise InputTypeError(f"returned {type(model).__name__}, not a torch.nn.Module",
                             argument=argument, value=spec,
                             fix="point it at a factory that builds the model")
    lazy = [name for name, tensor in (*model.named_parameters(), *model.named_buffers())
            if isinstance(tensor, UninitializedTensorMixin)]
    if lazy:
        raise InputError(
            f"the model has uninitialised (lazy) parameters: {_listed(lazy)}",
            argument=argument, value=spec,
            fix="give the layers their sizes (nn.Linear instead of nn.LazyLinear), or run one "
            "forward pass in the factory to materialise them",
        )
    return model


def model_files(model: nn.Module) -> list[str]:
    """The source files of the model's own classes (for the user-code boundary).

    Examples
    --------
    >>> model_files(torch.nn.Linear(2, 2))
    []
    """
    files = set()
    for module in model.modules():
        cls = type(module)
        if cls.__module__.split(".")[0] in ("torch", "topotheory"):
            continue
        with contextlib.suppress(TypeError, OSError):
            files.add(inspect.getfile(cls))
    return sorted(files)


def _check_file(path: str | os.PathLike, argument: str) -> Path:
    return regular_file(path, argument=argument)


def _unwrap(obj: Any, argument: str, path: Path) -> dict[str, torch.Tensor]:
    if isinstance(obj, Mapping):
        for key in ("state_dict", "model_state_dict", "model"):
            inner = obj.get(key)
            if isinstance(inner, Mapping) and inner and all(
                    isinstance(v, torch.Tensor) for v in inner.values()):
                return dict(inner)
        if obj and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()):
            return dict(obj)
    raise ValueError(f"{argument}: {str(path)!r} holds a {type(obj).__name__}, not a state dict "
                     "of named tensors; save it with torch.save(model.state_dict(), PATH) or as "
                     ".safetensors")


def load_state_dict(path: str | os.PathLike, *, argument: str = "--weights") -> dict[str, torch.Tensor]:
    """Read a checkpoint's named tensors; pickled code is never executed.

    Parameters
    ----------
    path : str or path-like
        ``.safetensors`` (read directly) or ``.pt``/``.pth``/``.bin``/``.ckpt`` (read with
        ``torch.load(weights_only=True)``; a ``{"state_dict": ...}`` wrapper is unwrapped).
    argument : str
        Name used in error messages.

    Returns
    -------
    dict of str to torch.Tensor

    Raises
    ------
    ValueError
        Not a file, an unknown suffix, or a pickle that is not weights-only (refused).

    Examples
    --------
    >>> import tempfile, torch
    >>> from safetensors.torch import save_file
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_file({"weight": torch.ones(2, 2)}, f"{d}/w.safetensors")
    ...     sorted(load_state_dict(f"{d}/w.safetensors"))
    ['weight']
    """
    file = check_checkpoint_file(path, argument=argument)  # size from metadata, before reading
    suffix = file.suffix.lower()
    if suffix == ".safetensors":
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return dict(load_file(str(file)))
        except (SafetensorError, OSError, ValueError) as error:
            raise ValueError(f"{argument}: {str(path)!r} is not a readable safetensors file "
                             f"({error})") from error
    if suffix in _PICKLE_SUFFIXES:
        try:
            obj = torch.load(str(file), map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as error:
            found = re.search(r"Unsupported global: GLOBAL (\S+?)(?: was|$)", str(error))
            reason = (f"it references {found.group(1)}" if found
                      else (str(error).strip().splitlines() or ["unpickling error"])[0])
            raise InputError(
                f"is a pickled checkpoint that is not weights-only ({reason.strip()}); "
                "topotheory never executes pickled code", argument=argument, value=str(path),
                fix="re-save the weights with torch.save(model.state_dict(), PATH) or "
                "safetensors.torch.save_file(model.state_dict(), PATH)",
            ) from error
        except (RuntimeError, OSError, EOFError) as error:
            raise ValueError(f"{argument}: cannot read {str(path)!r} as a torch checkpoint "
                             f"({str(error).strip().splitlines()[0]})") from error
        return _unwrap(obj, argument, file)
    raise ValueError(f"{argument}: unknown checkpoint suffix {file.suffix!r} in {str(path)!r}; "
                     "use .safetensors, .pt or .pth")


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" (+{len(items) - _MAX_LISTED} more)" if len(items) > _MAX_LISTED else "")


def apply_state_dict(
    model: nn.Module, state: Mapping[str, torch.Tensor], *, argument: str = "--weights"
) -> None:
    """Load ``state`` into ``model`` strictly; one error lists every mismatch.

    Raises
    ------
    ValueError
        Listing the missing keys, unexpected keys and shape mismatches together.

    Examples
    --------
    >>> import torch
    >>> try:
    ...     apply_state_dict(torch.nn.Linear(3, 2), {"weight": torch.ones(3, 3), "extra": torch.ones(1)})
    ... except ValueError as error:
    ...     print(str(error).split(";")[0])
    --weights='state dict': does not match the model: missing keys: bias
    """
    check_state_tensors(state, argument=argument)  # complex, meta, sparse, quantized: refused
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    shapes = [f"{k} {tuple(state[k].shape)} vs model {tuple(expected[k].shape)}"
              for k in expected if k in state and tuple(state[k].shape) != tuple(expected[k].shape)]
    problems = []
    if missing:
        problems.append(f"missing keys: {_listed(missing)}")
    if unexpected:
        problems.append(f"unexpected keys: {_listed(unexpected)}")
    if shapes:
        problems.append(f"shape mismatches: {_listed(shapes)}")
    if problems:
        raise InputError("does not match the model: " + "; ".join(problems),
                         argument=argument, value="state dict",
                         fix="check that --module builds the architecture these weights "
                         "were trained with")
    model.load_state_dict(dict(state), strict=True)


def example_from_shape(
    shape: str | tuple[int, ...], dtype: str = "float32", *, argument: str = "--input-shape"
) -> torch.Tensor:
    """A zero input of ``(1, *shape)`` and the named dtype (token id 0 for integer dtypes).

    Examples
    --------
    >>> example_from_shape("3,8", "int64").shape, example_from_shape((2,)).dtype
    (torch.Size([1, 3, 8]), torch.float32)
    """
    if isinstance(shape, str):
        try:
            dims = tuple(int(s) for s in shape.replace("x", ",").split(",") if s.strip())
        except ValueError as error:
            raise ValueError(f"{argument} must be comma-separated ints, got {shape!r}") from error
    else:
        dims = tuple(int(s) for s in shape)
    if not dims or min(dims) < 1:
        raise ValueError(f"{argument} must be positive ints (one example, no batch dimension), "
                         f"got {shape!r}")
    if dtype not in INPUT_DTYPES:
        raise ValueError(f"--input-dtype {dtype!r} is unknown; choose one of "
                         f"{', '.join(sorted(INPUT_DTYPES))}")
    return torch.zeros((1, *dims), dtype=INPUT_DTYPES[dtype])


def load_example_inputs(
    path: str | os.PathLike, model: nn.Module, *, argument: str = "--example-input"
) -> tuple | dict:
    """Example inputs from a ``.safetensors`` file of named tensors (batch dim included).

    Tensor names that are parameters of ``model.forward`` are passed by keyword; names
    ``"0"``, ``"1"``, ... positionally in that order.

    Examples
    --------
    >>> import tempfile, torch
    >>> from safetensors.torch import save_file
    >>> model = torch.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1,
    ...                              num_decoder_layers=1, dim_feedforward=8)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_file({"src": torch.zeros(4, 1, 8), "tgt": torch.zeros(3, 1, 8)}, f"{d}/x.safetensors")
    ...     sorted(load_example_inputs(f"{d}/x.safetensors", model))
    ['src', 'tgt']
    """
    file = _check_file(path, argument)
    if file.suffix.lower() != ".safetensors":
        raise ValueError(f"{argument}: {str(path)!r} must be a .safetensors file of named "
                         "tensors (e.g. safetensors.torch.save_file({'src': x, 'tgt': y}, PATH))")
    tensors = load_state_dict(file, argument=argument)
    if not tensors:
        raise ValueError(f"{argument}: {str(path)!r} holds no tensor")
    names = list(tensors)
    if all(n.isdigit() for n in names):
        return tuple(tensors[n] for n in sorted(names, key=int))
    parameters = inspect.signature(model.forward).parameters
    accepts_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = [n for n in names if n not in parameters]
    if unknown and not accepts_kwargs:
        raise ValueError(
            f"{argument}: tensors {_listed(unknown)} are not arguments of the model's forward "
            f"({', '.join(parameters)}); name each tensor after a forward argument, or "
            "'0', '1', ... for positional inputs"
        )
    return {n: tensors[n] for n in names}
