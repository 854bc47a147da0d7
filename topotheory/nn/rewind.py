"""Weight rewinding: capture a model's state by copy and restore it under a mask.

The captured state is a dict of ``detach().clone()``-ed tensors, so later training
never changes it (no aliasing of the live parameters).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from topotheory.nn.masks import Mask

__all__ = ["capture_state", "rewind_", "save_state", "load_state"]


def capture_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Copy of ``model.state_dict()`` (cloned tensors, on CPU).

    Examples
    --------
    >>> lin = nn.Linear(2, 1)
    >>> s = capture_state(lin)
    >>> with torch.no_grad():
    ...     _ = lin.weight.add_(1.0)
    >>> bool(torch.equal(s["weight"] + 1.0, lin.weight.detach()))
    True
    """
    return {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()}


def rewind_(
    model: nn.Module, state: dict[str, torch.Tensor], mask: Mask | None = None
) -> nn.Module:
    """Load ``state`` into ``model`` (a copy; ``state`` stays untouched), then apply ``mask``.

    Examples
    --------
    >>> lin = nn.Linear(2, 1)
    >>> s = capture_state(lin)
    >>> _ = rewind_(lin, s, Mask({"weight": torch.tensor([[True, False]])}))
    >>> lin.weight[0, 1].item()
    0.0
    """
    model.load_state_dict({k: v.clone() for k, v in state.items()})
    if mask is not None:
        mask.apply_(model)
    return model


def save_state(state: dict[str, torch.Tensor], path: str | Path) -> Path:
    """Save a state dict as safetensors (loading it executes no code)."""
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in state.items()}, str(path))
    return path


def load_state(path: str | Path) -> dict[str, torch.Tensor]:
    """Load a state dict written by :func:`save_state`."""
    from safetensors.torch import load_file

    if not Path(path).is_file():
        raise FileNotFoundError(f"state file {str(path)!r} does not exist")
    return load_file(str(path))
