"""From a checkpoint as saved to a model with its weights loaded, saying what was done.

:func:`load_checkpoint` is the whole path the ``audit`` command takes:

1. read the file (:func:`~topotheory.nn.audit.loading.read_checkpoint`: never runs
   pickled code), or an open_lth level folder
   (:func:`~topotheory.nn.audit.pruned_checkpoints.read_open_lth_level`);
2. find the state dicts in it and take the one ``key`` names, the only one, or the one
   that fits the model (else list them);
3. add safetensors' shared-tensor aliases, fold ``torch.nn.utils.prune`` pairs
   (``weight_orig`` x ``weight_mask``), remove wrapper prefixes (``module.``,
   ``model.``, ``_orig_mod.``);
4. apply a separate mask file, or read exact zeros as masks when asked;
5. load into the model, strictly or (``strict=False``) the matching part.

The :class:`LoadedCheckpoint` it returns says each of these steps in :meth:`notes` (the
CLI prints them on stderr) and :meth:`to_dict` (the audit's JSON).

Examples
--------
>>> import tempfile, torch
>>> net = torch.nn.Sequential(torch.nn.Linear(3, 2))
>>> with tempfile.TemporaryDirectory() as d:
...     torch.save({"state_dict": {"model.0.weight": torch.ones(2, 3),
...                                "model.0.bias": torch.zeros(2)}, "epoch": 7}, f"{d}/last.ckpt")
...     loaded = load_checkpoint(net, f"{d}/last.ckpt")
>>> loaded.key, loaded.stripped
('state_dict', (('model.', 2),))
>>> print(loaded.notes()[0])
read the state dict at 'state_dict' (2 tensors; the file holds 1 state dict)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from topotheory.errors import InputError
from topotheory.nn.audit.loading import read_checkpoint
from topotheory.nn.audit.pruned_checkpoints import (
    PrunedParameter,
    apply_masks,
    fold_pruning_pairs,
    read_mask_file,
    read_open_lth_level,
    zeros_as_masks,
)
from topotheory.nn.audit.state_dicts import (
    WRAPPER_PREFIXES,
    LoadReport,
    apply_state_dict,
    find_state_dicts,
    listed,
    select_state_dict,
    with_aliases,
    wrapper_renames,
)
from topotheory.safe_input import check_state_tensors

__all__ = ["DenseReference", "LoadedCheckpoint", "load_checkpoint", "load_reference",
           "with_reference"]

#: A weight with at least this fraction of exact zeros gets a note pointing at
#: ``--zeros-are-pruned`` (the zeros are audited as zero-weight edges otherwise).
ZERO_NOTE_FRACTION = 0.1


@dataclass(frozen=True)
class LoadedCheckpoint:
    """What :func:`load_checkpoint` read and did.

    Attributes
    ----------
    path : str
        The file or folder given.
    format : str
        ``"safetensors"``, ``"torch"`` or ``"open_lth"``.
    key : str
        Path of the state dict used inside the file (``""`` = top level).
    candidates : tuple of str
        Every state dict found in the file (their ``--key`` paths).
    ignored : tuple of str
        Non-tensor entries of the state dict used (numbers, numpy scalars, strings).
    opaque : tuple of str
        Pickled classes/functions the file names that were read as inert placeholders.
    aliases : dict of str to str
        safetensors shared tensors: dropped name -> the name it shares.
    stripped : tuple of (str, int)
        Wrapper-prefix chains removed and how many keys each renamed.
    report : LoadReport
        What was loaded and left out.
    strict : bool
        Whether every key had to match.
    pruned : dict of str to PrunedParameter
        Masks read, per weight (empty when none).
    mask_source : str
        Where the masks came from (``""`` when none).
    files : tuple of str
        The files read (open_lth: model file, mask, dense reference).
    zero_heavy : dict of str to float
        Loaded weights with many exact zeros (fraction) that were NOT read as masks.
    """

    path: str
    format: str
    key: str
    candidates: tuple[str, ...]
    ignored: tuple[str, ...]
    opaque: tuple[str, ...]
    aliases: dict[str, str]
    stripped: tuple[tuple[str, int], ...]
    report: LoadReport
    strict: bool
    pruned: dict[str, PrunedParameter] = field(default_factory=dict, repr=False)
    mask_source: str = ""
    files: tuple[str, ...] = ()
    zero_heavy: dict[str, float] = field(default_factory=dict)
    #: ``k`` of an open_lth ``level_<k>`` folder (None for a checkpoint file).
    level: int | None = None
    #: ``--reference``: the dense checkpoint the masks' MST counts use ("" when none given).
    reference: str = ""

    @property
    def masks(self) -> dict[str, torch.Tensor]:
        """The masks read (True = kept), per weight name."""
        return {name: p.mask for name, p in self.pruned.items()}

    def notes(self) -> list[str]:
        """One sentence per thing done that the user did not write down explicitly."""
        out: list[str] = []
        n = len(self.report.loaded)
        if self.format == "open_lth":
            out.append(f"read the open_lth level folder {self.path}: weights {self.files[0]}, "
                       f"mask {self.files[1]}" + (f", dense reference {self.files[2]}"
                                                 if len(self.files) > 2 else
                                                 " (no level_0 model file: no dense reference)"))
        elif self.key or len(self.candidates) > 1:
            where = repr(self.key) if self.key else "the top level"
            out.append(f"read the state dict at {where} ({n} tensors; the file holds "
                       f"{len(self.candidates)} state dict{'s' if len(self.candidates) > 1 else ''})")
        if self.opaque:
            out.append(f"pickled objects outside the state dict were not loaded (never "
                       f"executed; read as placeholders): {listed(self.opaque)}")
        if self.ignored:
            out.append(f"non-tensor entries ignored: {listed(self.ignored)}")
        for chain, count in self.stripped:
            owners = [WRAPPER_PREFIXES[p] for p in WRAPPER_PREFIXES if p in chain]
            out.append(f"removed the prefix {chain!r} from {count} keys "
                       f"({'; '.join(dict.fromkeys(owners))})")
        if self.aliases:
            out.append("safetensors shared tensors: " + ", ".join(
                f"{a} = {b}" for a, b in self.aliases.items()))
        for group in self.report.tied:
            out.append(f"tied weights (one tensor): {' = '.join(group)}")
        if self.pruned:
            total = sum(p.total for p in self.pruned.values())
            kept = sum(p.kept for p in self.pruned.values())
            out.append(f"masks from {self.mask_source}: {len(self.pruned)} weights, "
                       f"{kept} of {total} kept (sparsity {1 - kept / total:.4f}); the audit "
                       "measures the effective weights (weight x mask)")
        if self.reference:
            with_dense = sum(p.dense is not None for p in self.pruned.values())
            out.append(f"dense reference for the MST counts: {self.reference} ({with_dense} of "
                       f"{len(self.pruned)} masked weights)")
        for name, fraction in self.zero_heavy.items():
            out.append(f"{name} has {100 * fraction:.1f}% exact zeros; they are audited as "
                       "zero-weight edges (pass --zeros-are-pruned to read them as a mask)")
        if not self.strict:
            missing = self.report.not_loaded
            out.append(f"--non-strict: loaded {n} of {n + len(missing)} model keys"
                       + (f"; missing (not audited): {listed(self.report.missing)}"
                          if self.report.missing else "")
                       + (f"; shape mismatches (not audited): {listed(self.report.mismatched)}"
                          if self.report.mismatched else "")
                       + (f"; unexpected (ignored): {listed(self.report.unexpected)}"
                          if self.report.unexpected else ""))
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able record of the loading (for the audit's settings)."""
        return {
            "path": self.path, "format": self.format, "key": self.key,
            "state_dicts_found": list(self.candidates), "ignored_entries": list(self.ignored),
            "opaque_pickled_globals": list(self.opaque), "safetensors_aliases": self.aliases,
            "prefixes_removed": [{"prefix": c, "keys": n} for c, n in self.stripped],
            "tied": [list(g) for g in self.report.tied], "strict": self.strict,
            "loaded_keys": len(self.report.loaded), "missing_keys": list(self.report.missing),
            "unexpected_keys": list(self.report.unexpected),
            "shape_mismatches": list(self.report.mismatched),
            "masks": {name: p.describe() for name, p in self.pruned.items()},
            "mask_source": self.mask_source, "files": list(self.files),
            "open_lth_level": self.level, "reference": self.reference or None,
            "notes": self.notes(),
        }


def _normalise(tensors: Mapping[str, torch.Tensor], aliases: Mapping[str, str],
               expected: set[str]) -> tuple[dict, dict, dict, tuple]:
    state = with_aliases(tensors, aliases)
    state, pruned = fold_pruning_pairs(state)
    renames, stripped = wrapper_renames(state, expected)
    state = {renames.get(k, k): v for k, v in state.items()}
    pruned = {renames.get(k, k): PrunedParameter(renames.get(k, k), p.effective, p.mask, p.dense,
                                                 p.source, p.dense_source)
              for k, p in pruned.items()}
    return state, pruned, renames, stripped


def _weight_names(model: nn.Module, loaded: tuple[str, ...]) -> list[str]:
    params = dict(model.named_parameters(remove_duplicate=False))
    return [k for k in loaded if k in params and params[k].dim() >= 2
            and params[k].is_floating_point()]


def load_checkpoint(
    model: nn.Module,
    weights: str | os.PathLike,
    *,
    key: str | None = None,
    strict: bool = True,
    mask: str | os.PathLike | None = None,
    zeros_are_pruned: bool = False,
) -> LoadedCheckpoint:
    """Load ``weights`` into ``model`` (see the module docstring for the steps).

    Parameters
    ----------
    model : torch.nn.Module
        Built by the user's factory; its weights are replaced.
    weights : str or path-like
        A checkpoint file, or an open_lth level folder (``level_<k>/main``).
    key : str, optional
        ``--key``: the nested state dict to use (levels joined by ``/``).
    strict : bool
        ``False`` (``--non-strict``): load the keys that match, list the rest.
    mask : str or path-like, optional
        ``--mask``: a mask file keyed like the weights.
    zeros_are_pruned : bool
        ``--zeros-are-pruned``: read the exact zeros of every loaded weight matrix/kernel
        as its mask.

    Returns
    -------
    LoadedCheckpoint

    Raises
    ------
    topotheory.errors.InputError
        Any refusal of the steps, naming the CLI flag; two sources of masks at once.
    """
    expected = set(model.state_dict())
    path = Path(weights)
    pruned: dict[str, PrunedParameter] = {}
    mask_source = ""
    files: tuple[str, ...] = ()
    level_number: int | None = None
    if path.is_dir():
        if mask is not None or zeros_are_pruned:
            flag = "--mask" if mask is not None else "--zeros-are-pruned"
            raise InputError("an open_lth level folder brings its own mask.pth",
                             argument=flag, value=str(mask) if mask is not None else True,
                             fix=f"drop {flag}, or give --weights a checkpoint file")
        if key is not None:
            raise InputError("applies to a checkpoint file, not to an open_lth level folder",
                             argument="--key", value=key, fix="drop --key")
        level = read_open_lth_level(path)
        level_number = level.level
        fmt, chosen_key, candidates, ignored, opaque, aliases = "open_lth", "", (), (), (), {}
        renames, stripped = wrapper_renames(level.state, expected)
        state = {renames.get(k, k): v for k, v in level.state.items()}
        pruned = {renames.get(k, k): p for k, p in level.pruned.items()}
        mask_source = f"open_lth level {level.level} ({level.mask_file})"
        files = (level.model_file, level.mask_file) + (
            (level.dense_file,) if level.dense_file else ())
    else:
        raw = read_checkpoint(path)
        found = find_state_dicts(raw.content)
        matches = {c.path: len(set(_normalise(c.tensors, raw.aliases, expected)[0]) & expected)
                   for c in found}
        chosen = select_state_dict(found, raw, key=key, matches=matches,
                                   n_expected=len(expected))
        state, pruned, _, stripped = _normalise(chosen.tensors, raw.aliases, expected)
        fmt, chosen_key, ignored, opaque, aliases = (raw.format, chosen.path, chosen.ignored,
                                                     raw.opaque, dict(raw.aliases))
        candidates = tuple(c.path for c in found)
        if pruned:
            mask_source = "torch.nn.utils.prune pairs (weight = weight_orig x weight_mask)"
    if mask is not None:
        if pruned:
            raise InputError(f"the checkpoint already holds masks ({mask_source})",
                             argument="--mask", value=str(mask),
                             fix="drop --mask (or give the unmasked weights)")
        masks = read_mask_file(mask)
        renames, _ = wrapper_renames(masks, expected)
        masks = {renames.get(k, k): v for k, v in masks.items()}
        state, pruned = apply_masks(state, masks, source=f"mask file {mask}",
                                    dense_source="the --weights tensors before masking",
                                    origin=mask)
        mask_source = f"the mask file {mask}"
        files = (str(path), str(mask))
    check_state_tensors(state, argument="--weights", value=str(weights))  # complex, meta, ...
    report = apply_state_dict(model, state, strict=strict)
    weight_names = _weight_names(model, report.loaded)
    if zeros_are_pruned:
        if pruned:
            raise InputError(f"the checkpoint already holds masks ({mask_source})",
                             argument="--zeros-are-pruned", value=True,
                             fix="drop --zeros-are-pruned")
        pruned = zeros_as_masks(state, weight_names)
        mask_source = "exact zeros of the weights (--zeros-are-pruned)"
    pruned = {k: p for k, p in pruned.items() if k in report.loaded}
    zero_heavy: dict[str, float] = {}
    if not pruned:
        for name in weight_names:
            fraction = float((state[name] == 0).float().mean())
            if fraction >= ZERO_NOTE_FRACTION:
                zero_heavy[name] = fraction
    return LoadedCheckpoint(
        path=str(weights), format=fmt, key=chosen_key, candidates=candidates, ignored=ignored,
        opaque=opaque, aliases=aliases, stripped=stripped, report=report, strict=strict,
        pruned=pruned, mask_source=mask_source, files=files, zero_heavy=zero_heavy,
        level=level_number,
    )


@dataclass(frozen=True, eq=False)
class DenseReference:
    """A dense checkpoint's weights, keyed like the model's (``--reference``).

    Attributes
    ----------
    path : str
        The file or open_lth level folder read.
    tensors : dict of str to torch.Tensor
        The model's weight matrices/kernels found in it, by parameter name.
    notes : tuple of str
        What was done to read it (prune pairs, a level that is itself pruned).
    """

    path: str
    tensors: dict[str, torch.Tensor] = field(repr=False)
    notes: tuple[str, ...] = ()


def load_reference(
    model: nn.Module, reference: str | os.PathLike, *, argument: str = "--reference"
) -> DenseReference:
    """Read the dense reference for the MST counts: a checkpoint file or an open_lth level
    folder (e.g. ``level_0/main``), read like the weights (never running pickled code;
    wrapper prefixes removed; of ``torch.nn.utils.prune`` pairs the ``weight_orig``).

    Parameters
    ----------
    model : torch.nn.Module
        The audited model (for its parameter names and shapes; its weights are untouched).
    reference : str or path-like
        ``--reference``.
    argument : str
        Name used in error messages.

    Returns
    -------
    DenseReference

    Raises
    ------
    topotheory.errors.InputError
        A file that shares no weight with the model, or a weight of another shape.

    Examples
    --------
    >>> import tempfile, torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 2))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     torch.save({"module.0.weight": torch.ones(2, 3), "module.0.bias": torch.zeros(2)},
    ...                f"{d}/dense.pt")
    ...     load_reference(net, f"{d}/dense.pt").tensors["0.weight"].shape
    torch.Size([2, 3])
    """
    expected = set(model.state_dict())
    path = Path(reference)
    notes: list[str] = []
    if path.is_dir():
        level = read_open_lth_level(path, argument=argument)
        renames, _ = wrapper_renames(level.state, expected)
        state = {renames.get(k, k): v for k, v in level.state.items()}
        sparse = [k for k, p in level.pruned.items() if p.kept < p.total]
        if sparse:
            notes.append(f"the reference level {level.level} is itself pruned ({listed(sparse)}): "
                         "its masked weights are the reference")
    else:
        raw = read_checkpoint(path, argument=argument)
        found = find_state_dicts(raw.content)
        matches = {c.path: len(set(_normalise(c.tensors, raw.aliases, expected)[0]) & expected)
                   for c in found}
        chosen = select_state_dict(found, raw, matches=matches, n_expected=len(expected),
                                   argument=argument)
        state, pruned, _, _ = _normalise(chosen.tensors, raw.aliases, expected)
        for name, p in pruned.items():
            state[name] = p.dense
        if pruned:
            notes.append(f"the reference holds torch.nn.utils.prune pairs: {listed(list(pruned))} "
                         "read from their weight_orig")
    params = {k: p for k, p in model.named_parameters(remove_duplicate=False)
              if p.dim() >= 2 and p.is_floating_point()}
    shared = [k for k in params if k in state]
    wrong = [f"{k} {tuple(state[k].shape)} vs model {tuple(params[k].shape)}" for k in shared
             if tuple(state[k].shape) != tuple(params[k].shape)]
    if not shared or wrong:
        raise InputError(
            ("holds none of the model's weights" if not shared
             else f"does not fit the model: {listed(wrong)}"),
            argument=argument, value=str(reference),
            fix="give the dense checkpoint of the same model (e.g. level 0 of the run)")
    return DenseReference(str(reference), {k: state[k].detach().to("cpu") for k in shared},
                          tuple(notes))


def with_reference(loaded: LoadedCheckpoint, reference: DenseReference) -> LoadedCheckpoint:
    """``loaded`` with every mask's dense reference taken from ``reference``.

    Raises
    ------
    topotheory.errors.InputError
        When ``loaded`` has no masks (``--reference`` needs a mask source).
    """
    if not loaded.pruned:
        raise InputError(
            "needs masks: the checkpoint has none", argument="--reference",
            value=reference.path,
            fix="add --mask FILE, --zeros-are-pruned (the exact zeros are the mask), or give "
            "--weights a checkpoint with torch.nn.utils.prune pairs or an open_lth level folder")
    pruned = {
        name: replace(p, dense=reference.tensors.get(name), dense_source=(
            f"--reference {reference.path}" if name in reference.tensors
            else f"none: --reference {reference.path} has no {name}"))
        for name, p in loaded.pruned.items()
    }
    return replace(loaded, pruned=pruned, reference=reference.path)
