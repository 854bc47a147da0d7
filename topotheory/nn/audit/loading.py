"""Load a user's model, its trained weights and example inputs -- without running pickles.

* :func:`load_factory` imports ``pkg.module:factory`` (the current directory is searched
  after the installed packages) and calls the factory to build the ``nn.Module``, behind
  the user-code boundary (:mod:`topotheory.user_code`).
* :func:`read_checkpoint` is the one place where checkpoint files are opened:
  ``.safetensors`` directly (shared tensors of ``save_model`` recorded as aliases),
  ``.pt``/``.pth``/``.bin``/``.ckpt``/``.tar`` only through
  ``torch.load(weights_only=True)``. Pickled code is never executed: numpy scalars and
  arrays are read as data, any other pickled class or function (a Lightning
  checkpoint's ``hyper_parameters``) as an inert placeholder that is listed, and a state
  dict that needs one is refused with the way to re-save it.
* :func:`load_state_dict` returns one state dict of a file (``key=`` selects a nested
  one; see :mod:`topotheory.nn.audit.state_dicts`); :func:`apply_state_dict` (from
  there) loads it into the model.
* :func:`load_example_inputs` reads named tensors from a ``.safetensors`` file (several
  inputs, integer token ids); :func:`example_from_shape` makes a zero input of a shape and
  dtype.

The whole path from a file (or an open_lth level folder) to a loaded model, with wrapper
prefixes, pruning masks and non-strict matching, is
:func:`topotheory.nn.audit.checkpoint.load_checkpoint`.

Errors are :class:`ValueError`/:class:`TypeError` naming the argument (CLI spelling), the
value and the fix.

Examples
--------
>>> import torch
>>> model = torch.nn.Linear(3, 2)
>>> _ = apply_state_dict(model, {"weight": torch.ones(2, 3), "bias": torch.zeros(2)})
>>> float(model.weight.detach().sum())
6.0
"""

from __future__ import annotations

import contextlib
import inspect
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.parameter import UninitializedTensorMixin

from topotheory.errors import InputError, InputTypeError
from topotheory.nn.audit.state_dicts import apply_state_dict  # noqa: F401 - re-exported
from topotheory.nn.audit.state_dicts import listed as _listed
from topotheory.safe_input import check_checkpoint_file, regular_file
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
__all__ = [
    "INPUT_DTYPES", "RawCheckpoint", "apply_state_dict", "example_from_shape",
    "load_example_inputs", "load_factory", "load_state_dict", "model_files", "read_checkpoint",
]
_PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt", ".tar")


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


@dataclass(frozen=True)
class RawCheckpoint:
    """What a checkpoint file holds, read without executing pickled code.

    Attributes
    ----------
    path : str
        The file.
    format : str
        ``"safetensors"`` or ``"torch"`` (a ``torch.save`` zip or legacy pickle).
    content : object
        The named tensors (safetensors) or the unpickled object (torch): a state dict, or
        a dict that nests one (``{"state_dict": ..., "optimizer": ...}``).
    opaque : tuple of str
        Pickled classes and functions the file names that are not plain data (e.g.
        ``argparse.Namespace`` in a Lightning ``hyper_parameters`` entry): they were
        neither imported nor called; each object of theirs was read as an inert
        placeholder. A state dict that needs one of them is refused.
    aliases : dict of str to str
        safetensors shared tensors (``save_model`` with tied weights): the name that was
        dropped from the file -> the name it shares its tensor with.
    """

    path: str
    format: str
    content: Any = field(repr=False)
    opaque: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)


def _numpy_data_globals() -> list[tuple[Any, str]]:
    """numpy's data constructors (scalars, dtypes, arrays): plain data, no code runs."""
    import numpy as np

    try:
        from numpy._core import multiarray
    except ImportError:  # pragma: no cover - numpy < 2
        from numpy.core import multiarray
    pairs: list[tuple[Any, str]] = [(np.dtype, "numpy.dtype"), (np.ndarray, "numpy.ndarray")]
    for name in ("scalar", "_reconstruct"):
        pairs += [(getattr(multiarray, name), f"numpy.{core}.multiarray.{name}")
                  for core in ("core", "_core")]
    dtypes = getattr(np, "dtypes", None)
    if dtypes is not None:
        pairs += [(cls, f"numpy.dtypes.{name}") for name, cls in vars(dtypes).items()
                  if inspect.isclass(cls) and name.endswith("DType")]
    return pairs


def _placeholder(path: str) -> type:
    """An inert class standing for the pickled global ``path``: it accepts and drops its
    arguments and state, so nothing of the file's code is ever imported or run."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return object.__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        pass

    def __repr__(self) -> str:
        return f"<not loaded: {path}>"

    return type("NotLoaded", (), {"__new__": __new__, "__init__": __init__,
                                  "__setstate__": __setstate__, "__repr__": __repr__,
                                  "pickled_global": path})


_UNSUPPORTED = re.compile(r"Unsupported global: GLOBAL (\S+?)(?: was|$)")
_MAX_OPAQUE = 64


def _refuse_pickle(path: str | os.PathLike, reason: str, argument: str) -> InputError:
    return InputError(
        f"is a pickled checkpoint that is not weights-only ({reason.strip()}); "
        "topotheory never executes pickled code", argument=argument, value=str(path),
        fix="re-save the weights with torch.save(model.state_dict(), PATH) or "
        "safetensors.torch.save_file(model.state_dict(), PATH)",
    )


def _torch_load(file: Path, path: str | os.PathLike, argument: str) -> tuple[Any, tuple[str, ...]]:
    """``torch.load(weights_only=True)`` with numpy's data types allowed and every other
    named global replaced by an inert placeholder (see :class:`RawCheckpoint`)."""
    from torch.serialization import safe_globals

    allowed = _numpy_data_globals()
    opaque: list[str] = []
    while True:
        try:
            with safe_globals(allowed):
                return torch.load(str(file), map_location="cpu", weights_only=True), tuple(opaque)
        except pickle.UnpicklingError as error:
            found = _UNSUPPORTED.search(str(error))
            if found is None or len(opaque) >= _MAX_OPAQUE:
                lines = [line for line in str(error).splitlines() if line.strip()]
                reason = next((line for line in lines if "blocked" in line or "Can only" in line
                               or "Trying to" in line), lines[0] if lines else "unpickling error")
                raise _refuse_pickle(path, reason, argument) from error
            name = found.group(1)
            opaque.append(name)
            allowed.append((_placeholder(name), name))
        except Exception as error:  # noqa: BLE001 - torch's reader on damaged bytes raises
            # RuntimeError, EOFError, IndexError, KeyError, ...: all mean a damaged file
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise ValueError(f"{argument}: cannot read {str(path)!r} as a torch checkpoint "
                             f"({first})") from error


def _read_safetensors(file: Path, path: str | os.PathLike, argument: str) -> RawCheckpoint:
    from safetensors import SafetensorError, safe_open
    from safetensors.torch import load_file

    try:
        tensors = dict(load_file(str(file)))
        with safe_open(str(file), framework="pt") as handle:
            metadata = handle.metadata() or {}
    except (SafetensorError, OSError, ValueError) as error:
        raise ValueError(f"{argument}: {str(path)!r} is not a readable safetensors file "
                         f"({error})") from error
    aliases = {dropped: kept for dropped, kept in metadata.items()
               if kept in tensors and dropped not in tensors}
    return RawCheckpoint(str(path), "safetensors", tensors, (), aliases)


def _sniff(file: Path) -> str:
    with open(file, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"PK\x03\x04"):
        return "torch"
    if len(head) >= 9 and head[8:9] == b"{":
        return "safetensors"
    return ""


def read_checkpoint(path: str | os.PathLike, *, argument: str = "--weights") -> RawCheckpoint:
    """Read a checkpoint file; pickled code is never executed.

    This is the one place where checkpoint files are opened.

    Parameters
    ----------
    path : str or path-like
        ``.safetensors`` (read directly; shared tensors of ``save_model`` are recorded as
        :attr:`RawCheckpoint.aliases`), or ``.pt``/``.pth``/``.bin``/``.ckpt``/``.tar``
        (``torch.save`` files, read with ``torch.load(weights_only=True)``; numpy scalars
        and arrays are read as data, any other pickled class or function as an inert
        placeholder). Another suffix is read when the content is one of these formats.
    argument : str
        Name used in error messages.

    Returns
    -------
    RawCheckpoint

    Raises
    ------
    ValueError
        Not a file, an unknown format, or a pickle whose reading needs a blocked module.

    Examples
    --------
    >>> import tempfile, torch
    >>> with tempfile.TemporaryDirectory() as d:
    ...     torch.save({"state_dict": {"w": torch.ones(2)}, "epoch": 3}, f"{d}/run.pth.tar")
    ...     raw = read_checkpoint(f"{d}/run.pth.tar")
    >>> raw.format, sorted(raw.content), raw.opaque
    ('torch', ['epoch', 'state_dict'], ())
    """
    file = check_checkpoint_file(path, argument=argument)  # size from metadata, before reading
    suffix = file.suffix.lower()
    kind = ("safetensors" if suffix == ".safetensors" else "torch" if suffix in _PICKLE_SUFFIXES
            else _sniff(file))
    if kind == "safetensors":
        return _read_safetensors(file, path, argument)
    if kind == "torch":
        content, opaque = _torch_load(file, path, argument)
        return RawCheckpoint(str(path), "torch", content, opaque)
    raise ValueError(f"{argument}: unknown checkpoint suffix {file.suffix!r} in {str(path)!r} "
                     "and the content is neither a torch.save file nor safetensors; use "
                     ".safetensors, .pt, .pth or .tar")


def load_state_dict(
    path: str | os.PathLike, *, key: str | None = None, argument: str = "--weights"
) -> dict[str, torch.Tensor]:
    """The named tensors of a checkpoint (one state dict; pickled code is never executed).

    Parameters
    ----------
    path : str or path-like
        A checkpoint file (see :func:`read_checkpoint`).
    key : str, optional
        Path of a nested state dict, levels joined by ``/`` (``"state_dict"``,
        ``"ema/model"``). Without it the file must hold one state dict, at the top or
        nested; otherwise the error lists the candidates found.
    argument : str
        Name used in error messages.

    Returns
    -------
    dict of str to torch.Tensor
        With safetensors' shared tensors under every name they were saved for.

    Raises
    ------
    ValueError
        As :func:`read_checkpoint`; no state dict, or several without ``key``.

    Examples
    --------
    >>> import tempfile, torch
    >>> from safetensors.torch import save_file
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_file({"weight": torch.ones(2, 2)}, f"{d}/w.safetensors")
    ...     sorted(load_state_dict(f"{d}/w.safetensors"))
    ['weight']
    """
    from topotheory.nn.audit.state_dicts import find_state_dicts, select_state_dict, with_aliases

    raw = read_checkpoint(path, argument=argument)
    chosen = select_state_dict(find_state_dicts(raw.content), raw, key=key, argument=argument)
    return with_aliases(chosen.tensors, raw.aliases)


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
