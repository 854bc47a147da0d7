"""Pruned checkpoints as pruning research saves them: effective weights, masks, dense reference.

Four ways a mask reaches topotheory, each read explicitly:

* ``torch.nn.utils.prune`` state dicts hold ``<layer>.weight_orig`` (the dense weights)
  and ``<layer>.weight_mask`` (0/1) instead of ``<layer>.weight``:
  :func:`fold_pruning_pairs` turns each pair into ``<layer>.weight = weight_orig x
  weight_mask`` and keeps the mask as the mask and ``weight_orig`` as the dense reference.
* A separate mask file (``--mask``): a state dict of 0/1 or boolean tensors keyed like the
  weights (``.pt``/``.pth``/``.safetensors``; NNI's ``{module: {"weight": mask}}`` nesting
  is flattened): :func:`read_mask_file`, then :func:`apply_masks` (effective weight =
  weight x mask; the weights as given are the dense reference).
* An open_lth level folder, ``<run>/replicate_<r>/level_<k>/main/`` holding
  ``model_ep<E>_it<I>.pth`` files (the level's weights at the steps saved) and
  ``mask.pth`` (the level's mask): :func:`read_open_lth_level` takes the latest model
  file, its mask, and as dense reference the latest model file of ``level_0/main`` (the
  trained unpruned network) when the run has one. :func:`open_lth_levels` lists a run's
  levels in order.
* Exact zeros of a plain state dict, on request only (``--zeros-are-pruned``):
  :func:`zeros_as_masks`; there is no dense reference then.

Every result is a :class:`PrunedParameter` per weight tensor.

Examples
--------
>>> import torch
>>> state = {"0.weight_orig": torch.tensor([[2.0, 1.0]]), "0.weight_mask": torch.tensor([[1.0, 0.0]]),
...          "0.bias": torch.zeros(1)}
>>> folded, pruned = fold_pruning_pairs(state)
>>> sorted(folded), folded["0.weight"].tolist(), pruned["0.weight"].mask.tolist()
(['0.bias', '0.weight'], [[2.0, 0.0]], [[True, False]])
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from topotheory.errors import InputError
from topotheory.nn.audit.loading import read_checkpoint
from topotheory.nn.audit.state_dicts import find_state_dicts, listed, select_state_dict

__all__ = [
    "OpenLthLevel",
    "PrunedParameter",
    "apply_masks",
    "fold_pruning_pairs",
    "open_lth_levels",
    "read_mask_file",
    "read_open_lth_level",
    "zeros_as_masks",
]

_MODEL_FILE = re.compile(r"^model_ep(\d+)_it(\d+)\.pth$")
_LEVEL = re.compile(r"^level_(\d+)$")


@dataclass(frozen=True, eq=False)
class PrunedParameter:
    """One pruned weight tensor.

    Attributes
    ----------
    name : str
        Its state-dict key (``"0.weight"``).
    effective : torch.Tensor
        The weight the pruned network computes with (zero where pruned).
    mask : torch.Tensor
        bool, True = kept.
    dense : torch.Tensor or None
        The dense reference the mask was applied to (``weight_orig``; the weights given
        with ``--mask``; level 0 of an open_lth run), or ``None``.
    source : str
        Where the mask came from.
    dense_source : str
        Where ``dense`` came from, or why there is none.
    """

    name: str
    effective: torch.Tensor = field(repr=False)
    mask: torch.Tensor = field(repr=False)
    dense: torch.Tensor | None = field(repr=False)
    source: str
    dense_source: str

    @property
    def kept(self) -> int:
        """Number of kept entries."""
        return int(self.mask.sum())

    @property
    def total(self) -> int:
        """Number of entries."""
        return int(self.mask.numel())

    @property
    def sparsity(self) -> float:
        """Fraction pruned."""
        return 1.0 - self.kept / self.total if self.total else 0.0

    def describe(self) -> dict[str, Any]:
        """JSON-able summary (counts, sparsity, sources)."""
        return {"kept": self.kept, "total": self.total, "sparsity": self.sparsity,
                "source": self.source, "dense_reference": self.dense_source}


def _binary(name: str, value: torch.Tensor, argument: str, origin: Any) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise InputError(f"mask entry {name!r} is a {type(value).__name__}, not a tensor",
                         argument=argument, value=str(origin),
                         fix="save masks as 0/1 or boolean tensors keyed like the weights")
    if value.dtype != torch.bool:
        if value.is_complex():
            bad = torch.ones_like(value, dtype=torch.bool)
        else:
            bad = ~((value == 0) | (value == 1))
        if bool(bad.any()):
            example = value[bad].flatten()[0].item()
            raise InputError(
                f"mask entry {name!r} is not binary: it holds {example}", argument=argument,
                value=str(origin), fix="masks hold only 0/1 or booleans (True = kept)")
        value = value != 0
    return value.detach().to("cpu")


def fold_pruning_pairs(
    state: Mapping[str, torch.Tensor], *, source: str = "torch.nn.utils.prune",
    argument: str = "--weights", origin: Any = "state dict",
) -> tuple[dict[str, torch.Tensor], dict[str, PrunedParameter]]:
    """Replace every ``X_orig``/``X_mask`` pair by ``X = X_orig * X_mask``.

    Returns
    -------
    (dict, dict of str to PrunedParameter)
        The state dict with the pairs folded (other keys unchanged, order kept) and one
        :class:`PrunedParameter` per pair, keyed by ``X``.

    Raises
    ------
    topotheory.errors.InputError
        A mask that is not 0/1 or whose shape differs from its ``_orig``.
    """
    pairs = {k[: -len("_orig")] for k in state
             if k.endswith("_orig") and k[: -len("_orig")] + "_mask" in state}
    out: dict[str, torch.Tensor] = {}
    pruned: dict[str, PrunedParameter] = {}
    for key, value in state.items():
        base = key[: -len("_orig")] if key.endswith("_orig") else key[: -len("_mask")]
        if base not in pairs or not key.endswith(("_orig", "_mask")):
            out[key] = value
            continue
        if key.endswith("_mask"):
            continue
        orig = value
        mask = _binary(base + "_mask", state[base + "_mask"], argument, origin)
        if tuple(mask.shape) != tuple(orig.shape):
            raise InputError(
                f"{base}_mask has shape {tuple(mask.shape)} but {key} has {tuple(orig.shape)}",
                argument=argument, value=str(origin),
                fix="save the state dict of the pruned model as torch.nn.utils.prune left it")
        effective = orig * mask.to(orig.dtype)
        out[base] = effective
        pruned[base] = PrunedParameter(base, effective, mask, orig, source,
                                       f"{key} (the weights before masking)")
    return out, pruned


def _flatten_nested_masks(content: Any) -> Any:
    """NNI-style ``{module: {"weight": mask, ...}}`` -> ``{"module.weight": mask, ...}``."""
    if (isinstance(content, Mapping) and content
            and all(isinstance(k, str) and isinstance(v, Mapping) for k, v in content.items())
            and all(isinstance(k, str) and isinstance(t, torch.Tensor)
                    for v in content.values() for k, t in v.items())):
        return {f"{module}.{name}": t for module, inner in content.items()
                for name, t in inner.items()}
    return content


def read_mask_file(
    path: str | os.PathLike, *, key: str | None = None, argument: str = "--mask"
) -> dict[str, torch.Tensor]:
    """Read a mask file: 0/1 or boolean tensors keyed like the weights (True/1 = kept).

    Parameters
    ----------
    path : str or path-like
        ``.safetensors``, ``.pt``/``.pth`` (weights-only; open_lth's ``mask.pth`` holds int
        tensors, NNI's ``{module: {"weight": mask}}`` is flattened to ``module.weight``).
    key : str, optional
        A nested state dict's path, as for the weights.
    argument : str
        Name used in error messages.

    Returns
    -------
    dict of str to bool torch.Tensor

    Raises
    ------
    topotheory.errors.InputError
        Not a file of tensors, or an entry that is not 0/1.

    Examples
    --------
    >>> import tempfile, torch
    >>> with tempfile.TemporaryDirectory() as d:
    ...     torch.save({"0.weight": torch.tensor([[1, 0, 1]])}, f"{d}/mask.pth")
    ...     read_mask_file(f"{d}/mask.pth")["0.weight"].tolist()
    [[True, False, True]]
    """
    raw = read_checkpoint(path, argument=argument)
    content = _flatten_nested_masks(raw.content)
    chosen = select_state_dict(find_state_dicts(content), raw, key=key, argument=argument)
    return {name: _binary(name, value, argument, path) for name, value in chosen.tensors.items()}


def apply_masks(
    state: Mapping[str, torch.Tensor], masks: Mapping[str, torch.Tensor], *,
    source: str, dense_source: str, argument: str = "--mask", origin: Any = "mask",
) -> tuple[dict[str, torch.Tensor], dict[str, PrunedParameter]]:
    """Multiply each masked weight by its mask; the weights as given are the dense reference.

    Raises
    ------
    topotheory.errors.InputError
        A mask key that is no weight of ``state``, or a shape that differs (one error
        lists them all).

    Examples
    --------
    >>> import torch
    >>> out, pruned = apply_masks({"w": torch.tensor([3.0, 4.0])}, {"w": torch.tensor([False, True])},
    ...                           source="mask file", dense_source="the weights")
    >>> out["w"].tolist(), pruned["w"].sparsity
    ([0.0, 4.0], 0.5)
    """
    unknown = [k for k in masks if k not in state]
    shapes = [f"{k} {tuple(masks[k].shape)} vs weights {tuple(state[k].shape)}"
              for k in masks if k in state and tuple(masks[k].shape) != tuple(state[k].shape)]
    if unknown or shapes:
        problems = ([f"keys that are no weight of the checkpoint: {listed(unknown)}"]
                    if unknown else [])
        problems += [f"shape mismatches: {listed(shapes)}"] if shapes else []
        raise InputError("does not fit the weights: " + "; ".join(problems), argument=argument,
                         value=str(origin), fix="key the masks like the weights "
                         "(model.state_dict() names), one 0/1 tensor of the weight's shape each")
    out = dict(state)
    pruned: dict[str, PrunedParameter] = {}
    for name, mask in masks.items():
        dense = state[name]
        effective = dense * mask.to(dense.dtype)
        out[name] = effective
        pruned[name] = PrunedParameter(name, effective, mask, dense, source, dense_source)
    return out, pruned


def zeros_as_masks(
    state: Mapping[str, torch.Tensor], names: Collection[str]
) -> dict[str, PrunedParameter]:
    """Read the exact zeros of the weights ``names`` as their masks (no dense reference).

    Examples
    --------
    >>> import torch
    >>> p = zeros_as_masks({"w": torch.tensor([[0.0, 2.0], [1.0, 0.0]])}, ["w"])["w"]
    >>> p.mask.tolist(), p.dense is None
    ([[False, True], [True, False]], True)
    """
    return {
        name: PrunedParameter(name, state[name], state[name] != 0, None,
                              "exact zeros of the weights (--zeros-are-pruned)",
                              "none: the exact zeros are the only record of the pruning")
        for name in names
    }


def _model_files(folder: Path) -> list[tuple[tuple[int, int], Path]]:
    found = []
    for file in folder.iterdir():
        match = _MODEL_FILE.match(file.name)
        if match and file.is_file():
            found.append(((int(match.group(1)), int(match.group(2))), file))
    return sorted(found)


@dataclass(frozen=True, eq=False)
class OpenLthLevel:
    """One level of an open_lth lottery run, read from its folder.

    Attributes
    ----------
    level : int
        ``k`` of ``level_<k>``.
    folder : str
        The level's ``main`` folder.
    model_file : str
        The latest ``model_ep<E>_it<I>.pth`` there (the weights after the level's training).
    mask_file : str
        Its ``mask.pth``.
    dense_file : str or None
        The latest model file of ``level_0/main`` (the trained dense network), if present.
    state : dict of str to torch.Tensor
        The model file's state dict with the mask applied (effective weights).
    pruned : dict of str to PrunedParameter
        One entry per masked weight.
    """

    level: int
    folder: str
    model_file: str
    mask_file: str
    dense_file: str | None
    state: dict[str, torch.Tensor] = field(repr=False)
    pruned: dict[str, PrunedParameter] = field(repr=False)


def _level_main(path: Path) -> Path:
    if (path / "main").is_dir() and _LEVEL.match(path.name):
        return path / "main"
    return path


def _plain_state(path: Path, argument: str) -> dict[str, torch.Tensor]:
    raw = read_checkpoint(path, argument=argument)
    return dict(select_state_dict(find_state_dicts(raw.content), raw, argument=argument).tensors)


def read_open_lth_level(
    folder: str | os.PathLike, *, argument: str = "--weights"
) -> OpenLthLevel:
    """Read an open_lth level folder (``level_<k>/main`` or ``level_<k>``).

    open_lth (facebookresearch/open_lth) writes, per level of a lottery run,
    ``<root>/lottery_<hash>/replicate_<r>/level_<k>/main/`` with ``mask.pth`` (a
    ``torch.save`` dict of 0/1 int tensors keyed by the prunable weights' state-dict
    names), ``sparsity_report.json`` and ``model_ep<E>_it<I>.pth`` (the network's state
    dict at the training steps saved: the start and the end of the level's training).

    Raises
    ------
    topotheory.errors.InputError
        A folder without ``mask.pth`` or without a model file, or a mask that does not fit.

    Examples
    --------
    >>> import tempfile, pathlib, torch
    >>> with tempfile.TemporaryDirectory() as d:
    ...     main = pathlib.Path(d, "level_1", "main"); main.mkdir(parents=True)
    ...     torch.save({"fc.weight": torch.tensor([[0.5, -2.0]])}, main / "model_ep2_it0.pth")
    ...     torch.save({"fc.weight": torch.tensor([[0, 1]])}, main / "mask.pth")
    ...     level = read_open_lth_level(main)
    >>> level.level, level.state["fc.weight"].tolist(), level.dense_file
    (1, [[0.0, -2.0]], None)
    """
    path = _level_main(Path(folder))
    level_dir = path.parent if path.name == "main" else path
    match = _LEVEL.match(level_dir.name)
    files = _model_files(path) if path.is_dir() else []
    mask_file = path / "mask.pth"
    if match is None or not files or not mask_file.is_file():
        raise InputError(
            "is not an open_lth level folder (level_<k>/main holding mask.pth and "
            "model_ep<E>_it<I>.pth files)", argument=argument, value=str(folder),
            fix="give a level folder of an open_lth run, or a checkpoint file (with --mask "
            "for its mask)")
    model_file = files[-1][1]
    masks = read_mask_file(mask_file, argument=argument)
    dense_main = level_dir.parent / "level_0" / "main"
    dense_files = _model_files(dense_main) if dense_main.is_dir() else []
    dense_file = dense_files[-1][1] if dense_files else None
    weights = _plain_state(model_file, argument)
    state, pruned = apply_masks(weights, masks, source=f"open_lth {mask_file}",
                                dense_source="none: the run has no level_0/main model file",
                                argument=argument, origin=mask_file)
    if dense_file is not None:
        dense = _plain_state(dense_file, argument)
        pruned = {
            name: PrunedParameter(name, p.effective, p.mask, dense.get(name), p.source,
                                  str(dense_file) if name in dense
                                  else f"none: {dense_file} has no {name}")
            for name, p in pruned.items()
        }
    return OpenLthLevel(int(match.group(1)), str(path), str(model_file), str(mask_file),
                        None if dense_file is None else str(dense_file), state, pruned)


def open_lth_levels(run: str | os.PathLike) -> list[tuple[int, str]]:
    """The level folders (``level_<k>/main``) of an open_lth replicate folder, by level.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for k in (10, 2, 0):
    ...         (pathlib.Path(d) / f"level_{k}" / "main").mkdir(parents=True)
    ...     [level for level, _ in open_lth_levels(d)]
    [0, 2, 10]
    """
    root = Path(run)
    levels = []
    for child in root.iterdir() if root.is_dir() else ():
        match = _LEVEL.match(child.name)
        if match and (child / "main").is_dir():
            levels.append((int(match.group(1)), str(child / "main")))
    return sorted(levels)
