"""One pruning step: IMP (local/global), T-IMP (Section 3.4) and random pruning.

Exact kept count
----------------
A layer (local scope) or the whole network (global scope) with ``remaining`` unpruned
weights keeps exactly ``kept_count(remaining, rate) = floor(remaining * (1 - rate) + 1/2)``
weights, computed in exact rational arithmetic from the decimal form of ``rate`` (so
``kept_count(5, 0.1) == 5`` and ``kept_count(5, 0.3) == 4``, never off by one through
floating point): the kept count is rounded half up.  ``torch.nn.utils.prune`` rounds the
*pruned* count instead, ``round(rate * remaining)`` on floats with Python's
round-half-to-even, so on a tie the two differ (7 weights at rate 0.5: we keep 4, torch
keeps 3).  ``rounding="torch"`` reproduces torch's counts exactly.

Tie rule
--------
Candidates are the unpruned weights, ordered by ``|w|`` descending, then flat index
ascending (for global scope the flat index runs over the layers concatenated in module
order).  IMP keeps the first ``kept`` of them.

T-IMP
-----
Each layer first keeps the maximum spanning forest of its *currently unpruned* edges
(the core's forest, same tie rule), then fills the remaining budget with the largest
remaining magnitudes.  When the budget is smaller than the forest, ``on_conflict``
decides: ``"error"`` (default) raises :class:`ForestBudgetError`; ``"keep_forest"``
keeps the whole forest and exceeds the budget; ``"truncate_forest"`` keeps the first
``kept`` forest edges in Kruskal (tie-rule) order.  For a convolution the unit is the kernel
parameter: the forest's parameters are ranked by their first forest edge in Kruskal order
(so parameters tied in ``|w|`` are ranked by the flat Toeplitz index of that edge, not by
parameter index), and truncation keeps the first ``kept`` of them.

What is pruned
--------------
The weights of ``Linear`` and ``Conv1d/2d/3d`` layers (:func:`topotheory.nn.masks.prunable_parameters`),
each tensor once even when tied to another module's (an LM's output projection tied to its
embedding is pruned once, under its first name; the mask has one entry for it). Every
other weight tensor (two or more dimensions: attention projections, recurrent gate
blocks, embeddings not tied to a Linear, transposed convs, bilinear layers, free
parameters such as a class token) is listed by :func:`unprunable_parameters` with the
reason; :func:`prune_step` raises :class:`UnprunableLayersError` listing them unless
``skip_unsupported=True``, which prunes the rest and reports them in
:attr:`PruneStep.skipped`. Biases and other one-dimensional parameters are never pruned
and not listed.

Convolutions: the forest is taken on the exact Toeplitz graph of the layer
(``topotheory.conv_toeplitz_graph`` with all channels; pruned parameters absent, kept
parameters of value 0 present as zero-weight edges, as for dense layers), and T-IMP must
keep every kernel parameter that any forest edge uses (``forest.param_index``).  Because one kernel weight
appears in many Toeplitz entries, one large weight covers many forest edges and the forest
uses few distinct parameters (measured, seed-0 init, 3x3 kernels, padding 1: 9 of 36 for
1->4 channels on 8x8, 125 of 2,304 for 16->16 on 16x16, 489 of 36,864 for 64->64 on
32x32), so T-IMP can prune a conv layer far, without touching its Toeplitz diagram
(see ``docs/pruning.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import torch
from torch import nn

from topotheory.errors import InputError
from topotheory.nn import _topo
from topotheory.nn.masks import Mask, prunable_parameters

__all__ = [
    "ON_CONFLICT",
    "METHODS",
    "ROUNDING",
    "ForestBudgetError",
    "PruneStep",
    "UnprunableLayersError",
    "check_step_options",
    "kept_count",
    "layer_input_shapes",
    "prune_rounds",
    "prune_step",
    "unprunable_parameters",
]

ON_CONFLICT: tuple[str, ...] = ("error", "keep_forest", "truncate_forest")
METHODS: tuple[str, ...] = ("imp", "timp", "random")
#: Kept-count rules: ours (kept count rounded half up, exact) or torch.nn.utils.prune's.
ROUNDING: tuple[str, ...] = ("half_up", "torch")
_CONV = (nn.Conv1d, nn.Conv2d, nn.Conv3d)


class ForestBudgetError(ValueError):
    """The kept count is smaller than the spanning forest T-IMP must keep."""


class UnprunableLayersError(ValueError):
    """The model has weights that pruning cannot handle; the message lists them."""


def _unprunable_reason(module: nn.Module, attr: str) -> str:
    kind = type(module).__name__
    if isinstance(module, nn.MultiheadAttention):
        return (f"attention projection ({attr}): its query/key/value blocks are separate "
                "bipartite layers; only Linear and Conv1d/2d/3d weights are pruned")
    if isinstance(module, nn.RNNBase | nn.RNNCellBase):
        return (f"recurrent weight ({attr}) stacking one block per gate; only Linear and "
                "Conv1d/2d/3d weights are pruned")
    if isinstance(module, nn.Embedding | nn.EmbeddingBag):
        return "embedding table (not tied to a Linear); only Linear and Conv1d/2d/3d weights are pruned"
    if isinstance(module, nn.modules.conv._ConvNd) and module.transposed:
        return "transposed convolution; only Linear and Conv1d/2d/3d weights are pruned"
    if isinstance(module, nn.Bilinear):
        return "bilinear layer (each weight joins a pair of inputs to an output: no edge)"
    if type(module).__module__.startswith("torch.nn."):
        return f"weight of a {kind}; only Linear and Conv1d/2d/3d weights are pruned"
    return (f"parameter {attr!r} of a {kind} module (a free parameter or a custom layer): no "
            "pruning rule for it")


def unprunable_parameters(model: nn.Module) -> dict[str, str]:
    """Weight tensors (two or more dimensions) that pruning leaves alone, with the reason.

    A tensor tied to a prunable weight is pruned through it and not listed.

    Examples
    --------
    >>> net = nn.Sequential(nn.Embedding(10, 4), nn.Linear(4, 4), nn.GRU(4, 2))
    >>> sorted(unprunable_parameters(net))
    ['0.weight', '2.weight_hh_l0', '2.weight_ih_l0']
    >>> lm = nn.ModuleDict({"emb": nn.Embedding(10, 4), "out": nn.Linear(4, 10)})
    >>> lm["out"].weight = lm["emb"].weight
    >>> unprunable_parameters(lm)
    {}
    """
    pruned = {id(p) for p in prunable_parameters(model).values()}
    out: dict[str, str] = {}
    seen: set[int] = set()
    for name, module in model.named_modules():
        for attr, param in module.named_parameters(recurse=False):
            if param.dim() < 2 or id(param) in pruned or id(param) in seen:
                continue
            seen.add(id(param))
            out[f"{name}.{attr}" if name else attr] = _unprunable_reason(module, attr)
    return out


@dataclass(frozen=True)
class PruneStep:
    """Result of one pruning step.

    Attributes
    ----------
    mask : Mask
        The new mask (a subset of the old one).
    budget : dict
        Requested kept count per layer (local) or ``{"<global>": n}``.
    forest_size : dict
        T-IMP only: number of weights the forest forces per layer.
    conflicts : list
        Layers (or ``"<global>"``) where the budget was below the forest size.
    skipped : dict
        Weights left unpruned with ``skip_unsupported=True``: name -> reason.
    tied : dict
        Mask entries that name the same tensor as an earlier entry (pruned once, with the
        earlier entry's mask): alias -> the entry it shares.
    """

    mask: Mask
    budget: dict[str, int]
    forest_size: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    tied: dict[str, str] = field(default_factory=dict)


def kept_count(remaining: int, rate: float, *, rounding: str = "half_up") -> int:
    """Exact number of weights kept out of ``remaining`` at pruning rate ``rate``.

    Parameters
    ----------
    remaining : int
        Unpruned weights before the step (>= 0).
    rate : float
        Fraction of the remaining weights to prune, in ``[0, 1]``.
    rounding : {"half_up", "torch"}
        ``"half_up"`` (default): ``floor(remaining * (1 - rate) + 1/2)`` in exact rational
        arithmetic, with ``rate`` read from its shortest decimal representation.
        ``"torch"``: ``remaining - round(rate * remaining)`` in floating point with
        round-half-to-even, the count ``torch.nn.utils.prune.l1_unstructured(amount=rate)``
        keeps (also inside its ``PruningContainer``, which applies ``rate`` to the
        unpruned entries).

    Examples
    --------
    >>> kept_count(10, 0.2), kept_count(5, 0.3), kept_count(5, 0.1), kept_count(7, 0.5)
    (8, 4, 5, 4)
    >>> kept_count(7, 0.5, rounding="torch"), kept_count(9, 0.5, rounding="torch")
    (3, 5)
    """
    if isinstance(remaining, bool) or not isinstance(remaining, (int, np.integer)) or remaining < 0:
        raise ValueError(f"remaining={remaining!r} must be a non-negative int")
    if not (isinstance(rate, (int, float, np.floating)) and 0 <= float(rate) <= 1):
        raise ValueError(f"rate={rate!r} must lie in [0, 1] (the fraction pruned per round)")
    if rounding not in ROUNDING:
        raise ValueError(
            f"rounding={rounding!r}; choose 'half_up' (kept count rounded half up) or "
            "'torch' (torch.nn.utils.prune's pruned count, round half to even)"
        )
    if rounding == "torch":
        return int(remaining) - round(float(rate) * int(remaining))
    r = Fraction(repr(float(rate)))
    x = int(remaining) * (1 - r) + Fraction(1, 2)
    return int(x.numerator // x.denominator)


def layer_input_shapes(model: nn.Module, example: torch.Tensor) -> dict[str, tuple[int, ...]]:
    """Input shape (without batch) of every conv layer, found with forward hooks.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())
    >>> layer_input_shapes(net, torch.zeros(1, 1, 5, 5))
    {'0.weight': (1, 5, 5)}
    """
    shapes: dict[str, tuple[int, ...]] = {}
    handles = []
    for name, module in model.named_modules():
        if isinstance(module, _CONV):
            key = f"{name}.weight" if name else "weight"

            def hook(_m, inputs, _out, key=key):
                shapes[key] = tuple(int(s) for s in inputs[0].shape[1:])

            handles.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(example)
    finally:
        for h in handles:
            h.remove()
    return shapes


def _tie_order(mags: np.ndarray, keep: np.ndarray) -> np.ndarray:
    order = _topo.edge_order(mags)
    return order[keep[order]]


def _forest_params(
    name: str,
    module: nn.Module,
    weight: np.ndarray,
    mask: np.ndarray,
    input_shapes: Mapping[str, tuple[int, ...]] | None,
) -> np.ndarray:
    """Flat parameter indices that the layer's forest uses, in Kruskal order."""
    if not isinstance(module, _CONV):
        return _topo.forest_edges(weight, mask)
    if input_shapes is None or name not in input_shapes:
        raise ValueError(
            f"T-IMP on conv layer {name!r} needs its input shape: pass "
            "input_shapes=layer_input_shapes(model, example_batch)"
        )
    from topotheory.topology import conv_toeplitz_graph, maximum_spanning_forest

    # Pruned parameters are absent; kept parameters that are exactly 0 must stay present
    # (zero edges, last in the tie order), as in the dense path. The Toeplitz forest has
    # no mask, so kept zeros become the smallest positive double: below every non-zero
    # magnitude and tied among themselves (flat index decides), i.e. the "present" order.
    kept = np.asarray(mask, dtype=bool)
    tiny = np.finfo(np.float64).smallest_subnormal
    effective = np.where(kept, np.where(weight == 0, tiny, weight), 0.0)
    graph = conv_toeplitz_graph(
        effective,
        input_shapes[name],
        stride=module.stride,
        padding=module.padding,
        dilation=module.dilation,
        groups=module.groups,
    )
    forest = maximum_spanning_forest(graph, zero_weights="absent")
    params = np.asarray(forest.param_index, dtype=np.int64)
    _, first = np.unique(params, return_index=True)
    return params[np.sort(first)]


def check_step_options(*, method: str, scope: str, on_conflict: str) -> None:
    """Raise a ValueError naming the option when ``method``, ``scope`` or ``on_conflict`` of
    :func:`prune_step` is not one of its choices.

    Examples
    --------
    >>> check_step_options(method="timp", scope="local", on_conflict="keep_forest")
    >>> check_step_options(method="timp", scope="layer", on_conflict="keep_forest")
    Traceback (most recent call last):
    ...
    ValueError: scope='layer'; choose 'local' or 'global'
    """
    if method not in METHODS:
        raise ValueError(f"method={method!r}; choose one of {METHODS}")
    if scope not in ("local", "global"):
        raise ValueError(f"scope={scope!r}; choose 'local' or 'global'")
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict={on_conflict!r}; choose one of {ON_CONFLICT}")


def prune_step(
    model: nn.Module,
    mask: Mask | None,
    rate: float,
    *,
    method: str = "imp",
    scope: str = "local",
    on_conflict: str = "error",
    seed: int | None = None,
    input_shapes: Mapping[str, tuple[int, ...]] | None = None,
    layers: Sequence[str] | None = None,
    rounding: str = "half_up",
    skip_unsupported: bool = False,
) -> PruneStep:
    """Prune ``rate`` of the remaining weights of ``model`` (one IMP/T-IMP round).

    Parameters
    ----------
    model : nn.Module
        Scores are the current weights (``|w|``); only entries kept by ``mask`` compete.
    mask : Mask or None
        Current mask (None = dense over :func:`prunable_parameters`).
    rate : float
        Fraction of the remaining weights to prune; kept count from :func:`kept_count`.
    method : {"imp", "timp", "random"}
        Magnitude pruning, topological IMP, or uniformly random pruning (needs ``seed``).
    scope : {"local", "global"}
        Budget per layer, or one budget over all layers.
    on_conflict : {"error", "keep_forest", "truncate_forest"}
        T-IMP only: what to do when the budget is below the forest size.
    seed : int, optional
        Seed of ``method="random"``.
    input_shapes : Mapping, optional
        Conv layers' input shapes (T-IMP only), from :func:`layer_input_shapes`.
    layers : sequence of str, optional
        Names to prune (default: the mask's entries). Other entries are left unchanged.
    rounding : {"half_up", "torch"}
        Kept-count rule of :func:`kept_count` (``"torch"``: the counts of
        ``torch.nn.utils.prune.l1_unstructured``).
    skip_unsupported : bool
        ``False`` (default): raise :class:`UnprunableLayersError` when the model has weights
        that cannot be pruned (:func:`unprunable_parameters`). ``True``: prune the rest and
        report them in :attr:`PruneStep.skipped`.

    Returns
    -------
    PruneStep

    Raises
    ------
    UnprunableLayersError
        Weights that cannot be pruned, without ``skip_unsupported=True`` (all listed).
    ForestBudgetError
        T-IMP budget below the forest with ``on_conflict="error"``.

    Examples
    --------
    >>> lin = nn.Linear(3, 2)
    >>> with torch.no_grad():
    ...     _ = lin.weight.copy_(torch.tensor([[6.0, 5.0, 4.0], [3.0, 2.0, 1.0]]))
    >>> prune_step(lin, None, 0.5, method="imp").mask["weight"].int().tolist()
    [[1, 1, 1], [0, 0, 0]]
    >>> prune_step(lin, None, 0.5, method="timp", on_conflict="keep_forest").mask["weight"].int().tolist()
    [[1, 1, 1], [1, 0, 0]]
    """
    check_step_options(method=method, scope=scope, on_conflict=on_conflict)
    if method == "random" and seed is None:
        raise ValueError("method='random' needs seed= (an int) for reproducibility")
    kept_count(0, rate, rounding=rounding)  # validates rate and rounding up front
    skipped = unprunable_parameters(model)
    if skipped and not skip_unsupported:
        listed = "; ".join(f"{n}: {why}" for n, why in skipped.items())
        raise UnprunableLayersError(
            f"{len(skipped)} weight tensor(s) of the model cannot be pruned: {listed}. Pass "
            "skip_unsupported=True to prune the other layers and get these in "
            "PruneStep.skipped")
    params = prunable_parameters(model)
    if mask is None:
        mask = Mask.ones_like(model)
    all_params = dict(model.named_parameters(remove_duplicate=False))
    tied: dict[str, str] = {}
    first: dict[int, str] = {}
    for n in mask:  # two mask entries naming one tensor: prune it once
        tensor = all_params.get(n)
        if tensor is not None:
            owner = first.setdefault(id(tensor), n)
            if owner != n:
                tied[n] = owner
    names = [n for n in (list(layers) if layers is not None else list(mask)) if n not in tied]
    for n in names:
        if n not in params or n not in mask:
            raise ValueError(f"layer {n!r} is not a prunable parameter of the model and the mask")
    tied = {alias: owner for alias, owner in tied.items() if owner in names}
    modules = dict(model.named_modules())
    weights = {n: params[n].detach().to("cpu", torch.float64).numpy() for n in names}
    for n, w in weights.items():
        finite = np.isfinite(w)
        if not finite.all():
            bad = int(np.argmin(finite.ravel()))
            raise InputError(
                f"parameter {n!r} holds a non-finite value (NaN or inf) at flat index {bad}, "
                "which has no magnitude rank",
                argument="model", value=type(model).__name__,
                fix="fix the training (e.g. a lower learning rate) or replace the non-finite "
                "weights before pruning",
            )
    keeps = {n: mask[n].numpy().astype(bool) for n in names}
    rng = np.random.default_rng(seed) if method == "random" else None
    new = {n: t.clone() for n, t in mask.items()}
    budget: dict[str, int] = {}
    forest_size: dict[str, int] = {}
    conflicts: list[str] = []

    forests: dict[str, np.ndarray] = {}
    if method == "timp":
        for n in names:
            w2 = weights[n] if weights[n].ndim != 1 else weights[n][None, :]
            module = modules[n.rpartition(".")[0]]
            forests[n] = _forest_params(n, module, w2, keeps[n], input_shapes)
            forest_size[n] = int(forests[n].size)

    if scope == "local":
        for n in names:
            mags = np.abs(weights[n]).ravel()
            keep = keeps[n].ravel()
            k = kept_count(int(keep.sum()), rate, rounding=rounding)
            budget[n] = k
            chosen = _choose(n, mags, keep, k, method, forests.get(n), on_conflict, rng, conflicts)
            out = np.zeros(mags.size, dtype=bool)
            out[chosen] = True
            new[n] = torch.from_numpy(out.reshape(weights[n].shape))
    else:
        sizes = [weights[n].size for n in names]
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        mags = np.concatenate([np.abs(weights[n]).ravel() for n in names])
        keep = np.concatenate([keeps[n].ravel() for n in names])
        k = kept_count(int(keep.sum()), rate, rounding=rounding)
        budget["<global>"] = k
        forced = None
        if method == "timp":
            forced = np.concatenate([forests[n] + offsets[i] for i, n in enumerate(names)]).astype(
                np.int64
            )
            # global Kruskal-like order of the forced set: |w| desc, then global flat index
            forced = forced[_topo.edge_order(mags[forced])]
        chosen = _choose("<global>", mags, keep, k, method, forced, on_conflict, rng, conflicts)
        out = np.zeros(mags.size, dtype=bool)
        out[chosen] = True
        for i, n in enumerate(names):
            new[n] = torch.from_numpy(out[offsets[i] : offsets[i + 1]].reshape(weights[n].shape))
    for alias, owner in tied.items():
        new[alias] = new[owner].clone()
    return PruneStep(Mask(new), budget, forest_size, conflicts, skipped, tied)


def _choose(
    name: str,
    mags: np.ndarray,
    keep: np.ndarray,
    k: int,
    method: str,
    forced: np.ndarray | None,
    on_conflict: str,
    rng: np.random.Generator | None,
    conflicts: list[str],
) -> np.ndarray:
    if method == "random":
        assert rng is not None
        candidates = np.flatnonzero(keep)
        return rng.permutation(candidates)[:k]
    order = _tie_order(mags, keep)
    if method == "imp":
        return order[:k]
    assert forced is not None
    if k < forced.size:
        conflicts.append(name)
        if on_conflict == "error":
            raise ForestBudgetError(
                f"T-IMP budget for {name!r} is {k} weights but its spanning forest has "
                f"{forced.size}: the requested sparsity is past the topologically critical "
                "ratio. Pass on_conflict='keep_forest' (keep the forest, exceed the budget) "
                "or on_conflict='truncate_forest' (keep the top part of the forest)."
            )
        return forced if on_conflict == "keep_forest" else forced[:k]
    in_forest = np.zeros(mags.size, dtype=bool)
    in_forest[forced] = True
    rest = order[~in_forest[order]]
    return np.concatenate([forced, rest[: k - forced.size]])


def prune_rounds(
    model: nn.Module,
    *,
    rounds: int,
    rate: float,
    method: str = "timp",
    scope: str = "local",
    on_conflict: str = "error",
    seed: int = 0,
    input_shapes: Mapping[str, tuple[int, ...]] | None = None,
    skip_unsupported: bool = False,
) -> tuple[Mask, list[dict[str, object]]]:
    """Prune trained weights ``rounds`` times at ``rate`` without retraining (in place).

    Each round is one :func:`prune_step` on the current weights and mask, then the mask is
    applied (pruned weights set to zero). This is what ``topotheory prune --weights`` does
    with a user's trained checkpoint (there is no training data to retrain with).

    Returns
    -------
    (Mask, list of dict)
        The final mask and one JSON-able record per round (kept, sparsity, budget, forest
        sizes, conflicts, skipped and tied weights).

    Examples
    --------
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> net = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2))
    >>> mask, records = prune_rounds(net, rounds=2, rate=0.5, on_conflict="keep_forest")
    >>> [r["kept"] for r in records], int((net[0].weight == 0).sum())
    ([17, 14], 15)
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 0:
        raise ValueError(f"rounds={rounds!r} must be an int >= 0")
    mask: Mask | None = None
    records: list[dict[str, object]] = []
    for r in range(1, rounds + 1):
        step = prune_step(model, mask, rate, method=method, scope=scope, on_conflict=on_conflict,
                          seed=seed * 1000 + r, input_shapes=input_shapes,
                          skip_unsupported=skip_unsupported)
        mask = step.mask
        mask.apply_(model)
        records.append({
            "round": r, "kept": mask.n_kept, "total": mask.n_total, "sparsity": mask.sparsity,
            "budget": step.budget, "forest_size": step.forest_size,
            "conflicts": step.conflicts, "skipped": step.skipped, "tied": step.tied,
            "layers": {k: v for k, v in mask.report().items() if k != "total"},
        })
    return (mask if mask is not None else Mask.ones_like(model)), records
