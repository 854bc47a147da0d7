"""State dicts as people save them: find them in a checkpoint, undo wrapper prefixes, load them.

* :func:`find_state_dicts` lists every mapping of named tensors inside a checkpoint's
  content (the top level, ``{"state_dict": ...}``, ``{"model": ..., "model_ema": ...}``,
  Lightning's and open_lth's ``checkpoint.pth``), each with the path that selects it
  (levels joined by ``/``) and the non-tensor entries it holds (numbers, numpy scalars,
  strings), which are ignored and listed.
* :func:`select_state_dict` picks one: the ``key`` given, else the only candidate, else
  the one candidate that matches the model (when a model is known), else it raises
  listing every candidate with its size.
* :func:`strip_wrapper_prefixes` removes the prefixes that wrappers add, when removing
  them makes more keys match the model: ``module.`` (``DataParallel``/DDP), ``model.``
  (Lightning modules that hold the network as ``self.model``), ``_orig_mod.``
  (``torch.compile``), in any nesting.
* :func:`apply_state_dict` loads strictly (ONE error lists every missing key, unexpected
  key and shape mismatch) or, with ``strict=False``, the matching tensors only, returning
  what was left out. Tied parameters (one storage under two names in the model) are
  satisfied by either name.

Examples
--------
>>> import torch
>>> state = {"module.weight": torch.ones(2, 3), "module.bias": torch.zeros(2)}
>>> stripped, done = strip_wrapper_prefixes(state, {"weight", "bias"})
>>> sorted(stripped), done
(['bias', 'weight'], (('module.', 2),))
>>> report = apply_state_dict(torch.nn.Linear(3, 2), stripped)
>>> report.missing, report.unexpected
((), ())
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from topotheory.errors import InputError
from topotheory.errors import listed as _listed_most

__all__ = [
    "WRAPPER_PREFIXES",
    "LoadReport",
    "StateDictCandidate",
    "apply_state_dict",
    "find_state_dicts",
    "select_state_dict",
    "strip_wrapper_prefixes",
    "tied_groups",
    "with_aliases",
    "wrapper_renames",
]

#: Prefixes added by wrappers: DataParallel/DDP, Lightning (``self.model``), torch.compile.
WRAPPER_PREFIXES: dict[str, str] = {
    "module.": "DataParallel/DistributedDataParallel",
    "model.": "a wrapper holding the network as .model (e.g. a Lightning module)",
    "_orig_mod.": "torch.compile",
}
_WELL_KNOWN = ("state_dict", "model_state_dict", "model", "module", "net", "network")
_MAX_LISTED = 12
_MAX_DEPTH = 6


def listed(items: Collection[str]) -> str:
    """At most twelve items, comma-separated, with the count of the rest.

    Examples
    --------
    >>> listed([str(i) for i in range(14)])
    '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 (+2 more)'
    """
    return _listed_most(items, _MAX_LISTED)


@dataclass(frozen=True)
class StateDictCandidate:
    """One mapping of named tensors found in a checkpoint.

    Attributes
    ----------
    path : str
        Where it sits (``""`` = the top level; levels joined by ``/``).
    tensors : dict of str to torch.Tensor
        Its tensors (numeric numpy arrays converted to tensors).
    ignored : tuple of str
        Its entries that are not tensors (numbers, numpy scalars, strings, containers).
    placeholders : tuple of str
        Its entries that are pickled objects of classes topotheory does not load
        (a state dict holding one is refused).
    """

    path: str
    tensors: dict[str, torch.Tensor] = field(repr=False)
    ignored: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The path as the user passes it to ``--key`` (``<top level>`` for ``""``)."""
        return repr(self.path) if self.path else "<top level>"


def _tensor_of(value: Any) -> torch.Tensor | None:
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return torch.from_numpy(np.array(value))
    return None


def _placeholder_name(value: Any) -> str | None:
    return getattr(type(value), "pickled_global", None)


def find_state_dicts(content: Any) -> list[StateDictCandidate]:
    """Every mapping of string keys with at least one tensor value, depth first.

    Mappings with non-string keys (an optimizer's ``state``) are not searched.

    Examples
    --------
    >>> import torch
    >>> found = find_state_dicts({"state_dict": {"w": torch.ones(1), "step": 3},
    ...                           "optimizer": {"state": {0: {"m": torch.ones(1)}}}})
    >>> [(c.path, sorted(c.tensors), c.ignored) for c in found]
    [('state_dict', ['w'], ('step',))]
    """
    found: list[StateDictCandidate] = []

    def visit(obj: Any, path: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(obj, Mapping):
            if not all(isinstance(k, str) for k in obj):
                return
            tensors: dict[str, torch.Tensor] = {}
            ignored: list[str] = []
            placeholders: list[str] = []
            for k, v in obj.items():
                tensor = _tensor_of(v)
                if tensor is not None:
                    tensors[k] = tensor
                elif _placeholder_name(v) is not None:
                    placeholders.append(f"{k} ({_placeholder_name(v)})")
                else:
                    ignored.append(k)
            if tensors:
                found.append(StateDictCandidate(path, tensors, tuple(ignored),
                                                tuple(placeholders)))
            for k, v in obj.items():
                if isinstance(v, Mapping | list | tuple):
                    visit(v, f"{path}/{k}" if path else k, depth + 1)
        elif isinstance(obj, list | tuple):
            for i, v in enumerate(obj):
                if isinstance(v, Mapping | list | tuple):
                    visit(v, f"{path}/{i}" if path else str(i), depth + 1)

    visit(content, "", 0)
    return found


def _describe(candidates: list[StateDictCandidate], matches: Mapping[str, int] | None) -> str:
    parts = []
    for c in candidates:
        text = f"{c.label} ({len(c.tensors)} tensors"
        if matches is not None:
            text += f", {matches[c.path]} match the model"
        parts.append(text + ")")
    return "; ".join(parts)


def select_state_dict(
    candidates: list[StateDictCandidate],
    raw: Any,
    *,
    key: str | None = None,
    matches: Mapping[str, int] | None = None,
    n_expected: int | None = None,
    argument: str = "--weights",
) -> StateDictCandidate:
    """The state dict to load: ``key``, else the only one, else the one that fits the model.

    Parameters
    ----------
    candidates : list of StateDictCandidate
        From :func:`find_state_dicts`.
    raw : RawCheckpoint
        The file they come from (its path and opaque globals make the messages).
    key : str, optional
        ``--key``: the candidate's path.
    matches : mapping of str to int, optional
        Per candidate path, how many of the model's keys it provides after normalisation.
    n_expected : int, optional
        How many keys the model has (a candidate matching all of them wins).
    argument : str
        Name used in error messages.

    Raises
    ------
    ValueError
        No state dict; ``key`` not among the candidates; several candidates and no way to
        choose (the message lists them); a state dict that needs pickled code.

    Examples
    --------
    >>> import torch
    >>> from topotheory.nn.audit.loading import RawCheckpoint
    >>> content = {"ema": {"w": torch.ones(1)}, "swa": {"w": torch.ones(1)}}
    >>> raw = RawCheckpoint("ck.pt", "torch", content)
    >>> select_state_dict(find_state_dicts(content), raw, key="swa").path
    'swa'
    >>> select_state_dict(find_state_dicts(content), raw)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    topotheory.errors.InputError: --weights='ck.pt': holds 2 state dicts: 'ema' (1 tensors); ...
    """
    from topotheory.nn.audit.loading import _refuse_pickle

    value = raw.path
    if not candidates:
        if raw.opaque:
            raise _refuse_pickle(value, f"it references {raw.opaque[0]}", argument)
        raise InputError(
            f"holds a {type(raw.content).__name__} with no named tensors, not a state dict",
            argument=argument, value=value,
            fix="save it with torch.save(model.state_dict(), PATH) or as .safetensors")
    if key is not None:
        by_path = {c.path: c for c in candidates}
        chosen = by_path.get(key.strip("/"))
        if chosen is None:
            raise InputError(
                f"has no state dict at --key {key!r}; state dicts found: "
                f"{_describe(candidates, None)}", argument=argument, value=value,
                fix="pass one of these paths to --key (levels joined by '/')")
    elif len(candidates) == 1:
        chosen = candidates[0]
    else:
        chosen = _choose(candidates, matches, n_expected)
        if chosen is None:
            raise InputError(
                f"holds {len(candidates)} state dicts: {_describe(candidates, matches)}",
                argument=argument, value=value,
                fix="choose one with --key PATH (levels joined by '/')")
    if chosen.placeholders:
        raise _refuse_pickle(value, f"its state dict holds pickled objects: "
                             f"{listed(chosen.placeholders)}", argument)
    return chosen


def _choose(candidates: list[StateDictCandidate], matches: Mapping[str, int] | None,
            n_expected: int | None) -> StateDictCandidate | None:
    if matches is not None:
        full = [c for c in candidates if n_expected and matches[c.path] == n_expected]
        if len(full) == 1:
            return full[0]
        if not full:
            some = [c for c in candidates if matches[c.path] > 0]
            if len(some) == 1:
                return some[0]
        return None
    known = [c for c in candidates if c.path in _WELL_KNOWN]
    return known[0] if len(known) == 1 else None


def with_aliases(tensors: Mapping[str, torch.Tensor], aliases: Mapping[str, str]
                 ) -> dict[str, torch.Tensor]:
    """``tensors`` plus every safetensors alias (dropped name -> kept name) as its own key.

    Examples
    --------
    >>> import torch
    >>> sorted(with_aliases({"emb.weight": torch.ones(1)}, {"out.weight": "emb.weight"}))
    ['emb.weight', 'out.weight']
    """
    out = dict(tensors)
    for dropped, kept in aliases.items():
        if kept in out and dropped not in out:
            out[dropped] = out[kept]
    return out


def _chains(key: str) -> list[str]:
    """The wrapper-prefix chains ``key`` starts with, shortest first (``""`` included)."""
    chains = [""]
    rest = key
    while True:
        prefix = next((p for p in WRAPPER_PREFIXES if rest.startswith(p)), None)
        if prefix is None:
            return chains
        rest = rest[len(prefix):]
        chains.append(key[: len(key) - len(rest)])


def wrapper_renames(
    keys: Collection[str], expected: Collection[str]
) -> tuple[dict[str, str], tuple[tuple[str, int], ...]]:
    """How :func:`strip_wrapper_prefixes` renames ``keys``: ``{old: new}`` and the chains.

    Examples
    --------
    >>> wrapper_renames(["module.0.weight", "0.bias"], {"0.weight", "0.bias"})
    ({'module.0.weight': '0.weight'}, (('module.', 1),))
    """
    expected = set(expected)
    keys = list(keys)
    renamed: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key in keys:
        if key in expected:
            continue
        for chain in _chains(key)[1:]:
            if key[len(chain):] in expected:
                renamed[key] = key[len(chain):]
                counts[chain] = counts.get(chain, 0) + 1
                break
    if counts:
        common = max(counts, key=lambda c: (counts[c], len(c)))
        for key in keys:
            if key not in expected and key not in renamed and key.startswith(common):
                renamed[key] = key[len(common):]
                counts[common] += 1
    taken = {k for k in keys if k not in renamed}
    for old in list(renamed):  # two keys landing on one name: the unrenamed one stays
        if renamed[old] in taken:
            del renamed[old]
        else:
            taken.add(renamed[old])
    counts = {}
    for old, new in renamed.items():
        chain = old[: len(old) - len(new)]
        counts[chain] = counts.get(chain, 0) + 1
    return renamed, tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def strip_wrapper_prefixes(
    state: Mapping[str, Any], expected: Collection[str]
) -> tuple[dict[str, Any], tuple[tuple[str, int], ...]]:
    """Remove wrapper prefixes (:data:`WRAPPER_PREFIXES`, in any nesting) where that makes
    a key match ``expected``.

    A key that matches as it is stays. Otherwise the shortest chain of wrapper prefixes
    whose removal makes it match is removed. Keys that match neither way lose the chain
    removed most often (so that the listing of unexpected keys reads like the model's).
    A model whose own keys start with ``model.`` keeps them.

    Returns
    -------
    (dict, tuple of (chain, count))
        The renamed state and each removed chain with the number of keys it renamed.

    Examples
    --------
    >>> sd = {"model.module._orig_mod.fc.weight": 1, "model.module._orig_mod.loss.w": 2}
    >>> new, done = strip_wrapper_prefixes(sd, {"fc.weight"})
    >>> sorted(new), done
    (['fc.weight', 'loss.w'], (('model.module._orig_mod.', 2),))
    >>> strip_wrapper_prefixes({"model.fc.weight": 1}, {"model.fc.weight"})[1]
    ()
    """
    renamed, done = wrapper_renames(state, expected)
    return {renamed.get(k, k): v for k, v in state.items()}, done


def tied_groups(model: nn.Module) -> list[tuple[str, ...]]:
    """State-dict keys of ``model`` that share one tensor (same storage, offset, shape).

    Examples
    --------
    >>> lm = torch.nn.ModuleDict({"emb": torch.nn.Embedding(5, 3),
    ...                           "out": torch.nn.Linear(3, 5, bias=False)})
    >>> lm["out"].weight = lm["emb"].weight
    >>> tied_groups(lm)
    [('emb.weight', 'out.weight')]
    """
    groups: dict[tuple, list[str]] = {}
    for name, tensor in model.state_dict(keep_vars=True).items():
        if tensor.numel() == 0:
            continue
        where = (tensor.untyped_storage().data_ptr(), tensor.storage_offset(),
                 tuple(tensor.shape), tuple(tensor.stride()))
        groups.setdefault(where, []).append(name)
    return [tuple(names) for names in groups.values() if len(names) > 1]


@dataclass(frozen=True)
class LoadReport:
    """What :func:`apply_state_dict` loaded and left out.

    Attributes
    ----------
    loaded : tuple of str
        Model keys set from the state dict.
    missing : tuple of str
        Model keys the state dict does not provide (``strict=False`` only: the model
        keeps its factory values there).
    unexpected : tuple of str
        State-dict keys the model does not have (ignored, ``strict=False`` only).
    mismatched : tuple of str
        ``key (checkpoint shape) vs model (model shape)`` (left out, ``strict=False`` only).
    tied : tuple of tuple of str
        Groups of model keys sharing one tensor, loaded once.
    """

    loaded: tuple[str, ...]
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    mismatched: tuple[str, ...] = ()
    tied: tuple[tuple[str, ...], ...] = ()

    @property
    def not_loaded(self) -> tuple[str, ...]:
        """Model keys whose values are not from the checkpoint (missing or mismatched)."""
        return self.missing + tuple(m.split(" ", 1)[0] for m in self.mismatched)


def apply_state_dict(
    model: nn.Module, state: Mapping[str, torch.Tensor], *, strict: bool = True,
    argument: str = "--weights",
) -> LoadReport:
    """Load ``state`` into ``model``; strictly (one error lists every mismatch) or not.

    Parameters
    ----------
    model : torch.nn.Module
    state : mapping of str to torch.Tensor
        Keys as ``model.state_dict()`` names them (prefixes already removed).
    strict : bool
        ``True``: every model key must be provided with its shape and no other key may be
        present. ``False``: load the keys that match in name and shape, report the rest.
    argument : str
        Name used in error messages.

    Returns
    -------
    LoadReport

    Raises
    ------
    ValueError
        ``strict`` and a mismatch (listing the missing keys, unexpected keys and shape
        mismatches together), tied keys given different values, or nothing matches.

    Examples
    --------
    >>> import torch
    >>> try:
    ...     apply_state_dict(torch.nn.Linear(3, 2), {"weight": torch.ones(3, 3), "extra": torch.ones(1)})
    ... except ValueError as error:
    ...     print(str(error).split(";")[0])
    --weights='state dict': does not match the model: missing keys: bias
    >>> r = apply_state_dict(torch.nn.Linear(3, 2), {"weight": torch.ones(2, 3)}, strict=False)
    >>> r.loaded, r.missing
    (('weight',), ('bias',))
    """
    expected = model.state_dict()
    groups = tied_groups(model)
    alias_of: dict[str, tuple[str, ...]] = {k: g for g in groups for k in g}
    provided = dict(state)
    for group in groups:  # a tied tensor saved once (safetensors, hand-deduplicated files)
        given = [k for k in group if k in provided]
        if given:
            for k in group:
                provided.setdefault(k, provided[given[0]])
            values = [provided[k] for k in group]
            if any(v.shape != values[0].shape or not torch.equal(v, values[0]) for v in values):
                raise InputError(
                    f"gives different values to the tied parameters {', '.join(group)} "
                    "(one tensor in the model)", argument=argument, value="state dict",
                    fix="check that --module builds the architecture these weights were "
                    "trained with (untied weights need an untied model)")
    missing = [k for k in expected if k not in provided]
    unexpected = [k for k in provided if k not in expected]
    shapes = [f"{k} {tuple(provided[k].shape)} vs model {tuple(expected[k].shape)}"
              for k in expected if k in provided
              and tuple(provided[k].shape) != tuple(expected[k].shape)]
    tied = tuple(g for g in groups if any(k in state for k in g))
    if strict:
        problems = []
        if missing:
            problems.append(f"missing keys: {listed(missing)}")
        if unexpected:
            problems.append(f"unexpected keys: {listed(unexpected)}")
        if shapes:
            problems.append(f"shape mismatches: {listed(shapes)}")
        if problems:
            raise InputError("does not match the model: " + "; ".join(problems),
                             argument=argument, value="state dict",
                             fix="check that --module builds the architecture these weights "
                             "were trained with, or pass --non-strict to audit the matching "
                             "parameters only")
    bad = {s.split(" ", 1)[0] for s in shapes}
    loadable = {k: v for k, v in provided.items() if k in expected and k not in bad}
    if not loadable and expected:
        raise InputError("has no key that matches the model (name and shape)",
                         argument=argument, value="state dict",
                         fix="check --module and --weights (and --key for nested state dicts)")
    for k in bad:  # a tied partner of a mismatched key is not loaded either
        loadable.pop(k, None)
        for partner in alias_of.get(k, ()):
            loadable.pop(partner, None)
    model.load_state_dict(loadable, strict=False)
    return LoadReport(
        loaded=tuple(k for k in expected if k in loadable),
        missing=tuple(k for k in missing),
        unexpected=tuple(unexpected),
        mismatched=tuple(shapes),
        tied=tied,
    )
