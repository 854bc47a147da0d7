"""Binary pruning masks: validation, sparsity report, safe save/load, application.

A :class:`Mask` maps parameter names (as in ``model.named_parameters()``, e.g.
``"0.weight"``) to boolean tensors (True = kept).  It saves to safetensors (no pickled
code is ever executed on load) and applies to a module either directly (multiplying the
weights in place, the way :func:`topotheory.nn.train.train` does after every optimizer
step) or through :mod:`torch.nn.utils.prune` (``custom_from_mask``).  Entries may be
given as torch tensors or numpy arrays; :meth:`Mask.apply_` also works on a model already
pruned with :mod:`torch.nn.utils.prune` (``weight_orig`` / ``weight_mask``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import torch
from torch import nn

__all__ = ["Mask", "prunable_parameters"]


def prunable_parameters(model: nn.Module) -> dict[str, torch.nn.Parameter]:
    """Weights of every ``Linear`` and ``Conv1d/2d/3d`` layer, in module order.

    Biases, normalisation layers and embeddings are not pruned. A weight tied to an
    earlier one (the same parameter under two modules) is listed once, under its first
    name, so that it is pruned once.

    Examples
    --------
    >>> list(prunable_parameters(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))))
    ['0.weight', '2.weight']
    >>> tied = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    >>> tied[1].weight = tied[0].weight
    >>> list(prunable_parameters(tied))
    ['0.weight']
    """
    out: dict[str, torch.nn.Parameter] = {}
    seen: set[int] = set()
    for name, module in model.named_modules():
        if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            key = f"{name}.weight" if name else "weight"
            if id(module.weight) not in seen:
                seen.add(id(module.weight))
                out[key] = module.weight
    return out


def _from_numpy(name: str, value: np.ndarray) -> torch.Tensor:
    """A numpy mask entry as a tensor (numeric or boolean dtypes only)."""
    if value.dtype.kind not in "biuf":
        raise TypeError(
            f"mask entry {name!r} is a numpy array of dtype {value.dtype}; "
            "use a boolean or numeric array of 0/1"
        )
    target = {"b": np.bool_, "i": np.int64, "u": np.int64, "f": np.float64}[value.dtype.kind]
    return torch.from_numpy(np.ascontiguousarray(value, dtype=target))


class Mask(Mapping[str, torch.Tensor]):
    """An immutable mapping ``parameter name -> bool tensor`` (True = kept).

    Parameters
    ----------
    entries : Mapping[str, torch.Tensor or numpy.ndarray]
        Tensors or numpy arrays of booleans, or of numbers that are exactly 0 or 1.

    Raises
    ------
    TypeError
        If an entry is not a tensor or numpy array (or a numpy array of a non-numeric
        dtype), or a name is not a string.
    ValueError
        If an entry holds a value other than 0/1 (or NaN).

    Examples
    --------
    >>> m = Mask({"w": torch.tensor([[1, 0], [1, 1]])})
    >>> m.n_kept, m.n_total, m.sparsity
    (3, 4, 0.25)
    >>> Mask({"w": torch.tensor([0.5])})
    Traceback (most recent call last):
    ...
    ValueError: mask entry 'w' is not binary: it holds 0.5; masks hold only 0/1 or booleans
    >>> import numpy as np
    >>> Mask({"w": np.array([[1, 0, 1]])})["w"].tolist()
    [[True, False, True]]
    """

    def __init__(self, entries: Mapping[str, torch.Tensor]) -> None:
        data: dict[str, torch.Tensor] = {}
        for name, value in entries.items():
            if not isinstance(name, str):
                raise TypeError(f"mask names must be str, got {type(name).__name__}")
            if isinstance(value, np.ndarray):
                value = _from_numpy(name, value)
            if not isinstance(value, torch.Tensor):
                raise TypeError(
                    f"mask entry {name!r} must be a torch.Tensor or a numpy array, "
                    f"got {type(value).__name__}"
                )
            if value.dtype != torch.bool:
                bad = ~((value == 0) | (value == 1))
                if bool(bad.any()):
                    example = value[bad].flatten()[0].item()
                    raise ValueError(
                        f"mask entry {name!r} is not binary: it holds {example}; "
                        "masks hold only 0/1 or booleans"
                    )
                value = value != 0
            data[name] = value.detach().to("cpu").clone()
        self._data = data

    # Mapping protocol -------------------------------------------------------------------
    def __getitem__(self, name: str) -> torch.Tensor:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Mask({len(self)} layers, kept {self.n_kept}/{self.n_total}, sparsity {self.sparsity:.4f})"

    # Constructors -------------------------------------------------------------------------
    @classmethod
    def ones_like(cls, model: nn.Module) -> Mask:
        """The dense mask of every prunable weight of ``model``.

        Examples
        --------
        >>> Mask.ones_like(nn.Linear(3, 2)).n_kept
        6
        """
        return cls(
            {k: torch.ones_like(p, dtype=torch.bool) for k, p in prunable_parameters(model).items()}
        )

    # Reports ----------------------------------------------------------------------------
    @property
    def n_kept(self) -> int:
        """Number of kept entries over all layers."""
        return int(sum(int(v.sum()) for v in self._data.values()))

    @property
    def n_total(self) -> int:
        """Number of entries over all layers."""
        return int(sum(v.numel() for v in self._data.values()))

    @property
    def sparsity(self) -> float:
        """Fraction of entries pruned (0 = dense)."""
        return 1.0 - self.n_kept / self.n_total if self.n_total else 0.0

    @property
    def compression_ratio(self) -> float:
        """``n_total / n_kept`` (the paper's kappa); ``inf`` when nothing is kept."""
        return self.n_total / self.n_kept if self.n_kept else float("inf")

    def report(self) -> dict[str, dict[str, float]]:
        """Per-layer and total kept/total/sparsity, JSON-able.

        Examples
        --------
        >>> Mask({"w": torch.tensor([True, False])}).report()["total"]["sparsity"]
        0.5
        """
        rows: dict[str, dict[str, float]] = {}
        for k, v in self._data.items():
            kept, total = int(v.sum()), v.numel()
            rows[k] = {"kept": kept, "total": total, "sparsity": 1.0 - kept / total}
        rows["total"] = {"kept": self.n_kept, "total": self.n_total, "sparsity": self.sparsity}
        return rows

    # Application ------------------------------------------------------------------------
    def apply_(self, model: nn.Module) -> nn.Module:
        """Zero the pruned weights of ``model`` in place (no reparametrisation).

        Call it after every optimizer step (``train`` does) so pruned weights stay zero.
        On a module already pruned with :mod:`torch.nn.utils.prune` (the parameter is
        ``weight_orig``, the mask the buffer ``weight_mask``), the entry ``"<m>.weight"``
        zeroes ``weight_orig``, intersects ``weight_mask`` with this mask and recomputes
        ``weight = weight_orig * weight_mask``, so both mechanisms keep it pruned.

        Examples
        --------
        >>> lin = nn.Linear(2, 1)
        >>> _ = Mask({"weight": torch.tensor([[True, False]])}).apply_(lin)
        >>> lin.weight[0, 1].item()
        0.0
        >>> from torch.nn.utils import prune
        >>> lin = prune.identity(nn.Linear(2, 1), "weight")
        >>> _ = Mask({"weight": torch.tensor([[False, True]])}).apply_(lin)
        >>> lin.weight[0, 0].item(), lin.weight_mask.tolist()
        (0.0, [[0.0, 1.0]])
        """
        params = dict(model.named_parameters(remove_duplicate=False))  # tied names too
        modules = dict(model.named_modules())
        with torch.no_grad():
            for name, m in self._data.items():
                module_name, _, attr = name.rpartition(".")
                module = modules.get(module_name)
                torch_pruned = (
                    name not in params
                    and f"{name}_orig" in params
                    and module is not None
                    and isinstance(getattr(module, f"{attr}_mask", None), torch.Tensor)
                )
                if name not in params and not torch_pruned:
                    raise ValueError(
                        f"mask entry {name!r} names no parameter of the model; "
                        f"the model has {sorted(params)[:6]}..."
                    )
                p = params[f"{name}_orig"] if torch_pruned else params[name]
                if p.shape != m.shape:
                    raise ValueError(
                        f"mask entry {name!r} has shape {tuple(m.shape)} but the parameter "
                        f"has shape {tuple(p.shape)}"
                    )
                keep = m.to(p.device)
                p.masked_fill_(~keep, 0.0)
                if torch_pruned:
                    buffer = getattr(module, f"{attr}_mask")
                    buffer.masked_fill_(~keep.to(buffer.device), 0)
                    setattr(module, attr, p * buffer)
        return model

    def apply_torch_prune(self, model: nn.Module) -> nn.Module:
        """Attach the mask with ``torch.nn.utils.prune.custom_from_mask``.

        The module's ``weight`` becomes ``weight_orig * weight_mask``, so it stays masked
        through training without further calls; ``torch.nn.utils.prune.remove`` makes it
        permanent.

        Examples
        --------
        >>> lin = nn.Linear(2, 1)
        >>> _ = Mask({"weight": torch.tensor([[True, False]])}).apply_torch_prune(lin)
        >>> hasattr(lin, "weight_orig"), lin.weight[0, 1].item() == 0
        (True, True)
        """
        from torch.nn.utils import prune as torch_prune

        modules = dict(model.named_modules())
        for name, m in self._data.items():
            module_name, _, attr = name.rpartition(".")
            if module_name not in modules:
                raise ValueError(f"mask entry {name!r} names no module of the model")
            module = modules[module_name]
            torch_prune.custom_from_mask(module, attr, m.to(getattr(module, attr).device))
        return model

    @classmethod
    def from_torch_prune(cls, model: nn.Module) -> Mask:
        """Collect the ``*_mask`` buffers that ``torch.nn.utils.prune`` attached."""
        out = {}
        for name, buf in model.named_buffers():
            if name.endswith("_mask"):
                out[name[: -len("_mask")]] = buf
        return cls(out)

    # Persistence ------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Save as safetensors (bool tensors + a JSON sparsity report in the metadata).

        Examples
        --------
        >>> import tempfile, os
        >>> d = tempfile.mkdtemp()
        >>> m = Mask({"w": torch.tensor([True, False])})
        >>> Mask.load(m.save(os.path.join(d, "m.safetensors"))) == m
        True
        """
        from safetensors.torch import save_file

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {k: v.contiguous() for k, v in self._data.items()}
        save_file(
            tensors, str(path), metadata={"topotheory": "mask", "report": json.dumps(self.report())}
        )
        return path

    @classmethod
    def load(cls, path: str | Path) -> Mask:
        """Load a mask written by :meth:`save` (safetensors: no code is executed)."""
        from safetensors.torch import load_file

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"mask file {str(path)!r} does not exist")
        return cls(load_file(str(path)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mask):
            return NotImplemented
        return self.keys() == other.keys() and all(torch.equal(self[k], other[k]) for k in self)

    __hash__ = None  # type: ignore[assignment]
