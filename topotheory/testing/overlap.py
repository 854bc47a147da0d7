"""Kind ``"topk_overlap"``: ``|top-k ∩ MSF|`` of dense layers -- oracle, hints, battery, options.

Both the top-k and the forest break ties by one rule: ``|w|`` descending, then flat index
ascending; code that breaks them differently in the two is the classic bug here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.alternatives import ALTERNATIVES, edge_key
from topotheory.testing.battery import Property, call, layers, scaled, show, signs
from topotheory.testing.constraints import KindOptions
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS, TIE_RULE
from topotheory.testing.hints import PREFIX, Hint, hints_enabled, likely
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS
from topotheory.topology._validation import as_mask, as_weight_matrix
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.ordering import topk_indices
from topotheory.topology.overlap import topk_mst_overlap

SIGNATURE = "fn(weights, k) -> int |top-k ∩ MSF| (or an object with .count)"


@dataclass(frozen=True)
class OverlapOptions(KindOptions):
    """Options of kind ``"topk_overlap"``: the zero-weight convention."""

    zero_weights: str = "present"

    CONSTRAINTS: ClassVar[dict[str, Any]] = {"zero_weights": CONVENTION_CONSTRAINTS["zero_weights"]}


def _overlap(topk: np.ndarray, forest: np.ndarray) -> int:
    return int(np.intersect1d(topk, forest).size)


def _count_under(w: np.ndarray, k: int, zero_weights: str, changes: dict) -> int:
    """The overlap count when both top-k and the forest follow ``changes`` (an alternative)."""
    conv = {"mask": None, "zero_weights": zero_weights}
    key, present = edge_key(w, conv, changes)
    top = topk_indices(np.where(present, key, 0.0), k, eligible=present)
    forest = maximum_spanning_forest(key, mask=present, zero_weights="present").edge_index
    return _overlap(top, forest)


def overlap_hints(count: int, w: np.ndarray, k: int, zero_weights: str) -> list[Hint]:
    """Mixed tie rules, a signed order, a minimum forest, zeros flipped."""
    if not hints_enabled():
        return []
    hints = []
    size, flipped = w.size, w[::-1, ::-1]
    eligible = None if zero_weights == "present" else (w != 0)
    asc_forest = maximum_spanning_forest(w, zero_weights=zero_weights).edge_index
    desc_forest = size - 1 - maximum_spanning_forest(flipped, zero_weights=zero_weights).edge_index
    asc_top = topk_indices(w, k, eligible=eligible)
    desc_top = (
        size
        - 1
        - topk_indices(flipped, k, eligible=None if eligible is None else eligible[::-1, ::-1])
    )
    mixed = {_overlap(desc_top, asc_forest), _overlap(asc_top, desc_forest)}
    rule = f"use one tie rule, {TIE_RULE}, for both"
    if count in mixed:
        hints.append(
            Hint(
                PREFIX + "breaks ties differently in top-k and in the MST (one by "
                f"ascending, the other by descending flat index); {rule}",
                f"top-k and forest with opposite index tie rules overlap in {count}",
                1,
            )
        )
    elif np.unique(np.abs(w)).size < w.size:
        hints.append(
            Hint(
                "the layer has ties in |w|: if your count agrees on tie-free layers, "
                f"your top-k and your MST break ties differently; {rule}",
                rank=8,
            )
        )
    conv = {"zero_weights": zero_weights, "mask": None}
    for name in ("signed_order", "minimum_forest", "zero_weights"):
        alt = ALTERNATIVES[name]
        if not alt.applies(w, conv):
            continue
        changes = alt.changes(conv)
        try:
            if name == "minimum_forest":  # a minimum forest with the true top-k
                key, present = edge_key(w, conv, changes)
                forest = maximum_spanning_forest(key, mask=present, zero_weights="present")
                other = _overlap(asc_top, forest.edge_index)
            else:
                other = _count_under(w, k, zero_weights, changes)
        except ValueError:  # k above the present edges of the other convention
            continue
        if other == count:
            hints.append(Hint(PREFIX + alt.hint(conv, w), f"that gives {other}", 2 + alt.prior))
    return hints


def assert_same_topk_overlap(
    user_count: Any,
    weights: Any,
    k: int | None = None,
    *,
    mask: Any = None,
    zero_weights: str = "present",
) -> None:
    """Assert that a user's ``|top-k ∩ MSF|`` is topotheory's.

    Parameters
    ----------
    user_count : int or object with ``.count``
        The user's overlap count.
    weights : array_like
        The layer ``(m_out, n_in)``.
    k : int, optional
        Number of top edges (default: the forest size).
    mask, zero_weights
        Which edges are present.

    Raises
    ------
    AssertionError
        With both counts and, on tied layers, the tie-rule explanation.

    Examples
    --------
    >>> assert_same_topk_overlap(3, np.ones((2, 2)))
    >>> try:
    ...     assert_same_topk_overlap(2, np.ones((2, 2)))
    ... except AssertionError as err:
    ...     print("ties" in str(err))
    True
    """
    __tracebackhide__ = True
    w = as_weight_matrix(weights)
    mask_arr = as_mask(mask, w.shape)
    reference = topk_mst_overlap(w, k, mask=mask_arr, zero_weights=zero_weights)
    count = getattr(user_count, "count", user_count)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise AssertionError(
            f"the overlap count must be an int, got {type(count).__name__} {count!r}"
        )
    if int(count) == reference.count:
        return
    k = reference.k
    hints = overlap_hints(int(count), w, k, zero_weights) if mask_arr is None else []
    raise AssertionError(
        f"top-k/MST overlap mismatch on a {w.shape} layer (k={k}, zero_weights={zero_weights!r}, "
        f"tie rule for both top-k and the forest: {TIE_RULE}):\n"
        f"  yours: {int(count)}; reference: {reference.count} of k={k} "
        f"(forest size {reference.mst_size})" + likely(hints)
    )


def _n_present(w: np.ndarray, zero_weights: str) -> int:
    return int(w.size if zero_weights == "present" else np.count_nonzero(w))


def _k_cases(kinds: tuple[str, ...], zero_weights: str) -> st.SearchStrategy:
    return layers(kinds).flatmap(
        lambda w: st.integers(0, _n_present(w, zero_weights)).map(lambda k: {"weights": w, "k": k})
    )


def count_of(fn: Callable, w: np.ndarray, k: int) -> int:
    """The user's count (an int, or an object's ``.count``)."""
    out = call(fn, w, k)
    count = getattr(out, "count", out)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise AssertionError(f"the overlap count must be an int, got {type(count).__name__}")
    return int(count)


def _check_overlap(fn: Callable, case: dict, opts: OverlapOptions) -> None:
    w, k = case["weights"], case["k"]
    assert_same_topk_overlap(count_of(fn, w, k), w, k, zero_weights=opts.zero_weights)


def _check_bounds(fn: Callable, case: dict, opts: OverlapOptions) -> None:
    w, k = case["weights"], case["k"]
    count = count_of(fn, w, k)
    size = maximum_spanning_forest(w, zero_weights=opts.zero_weights).size
    if not 0 <= count <= min(k, size):
        raise AssertionError(
            f"count {count} outside [0, min(k, forest size)] = [0, {min(k, size)}] (k={k})"
        )


def _check_monotone(fn: Callable, case: dict, opts: OverlapOptions) -> None:
    w, k = case["weights"], case["k"]
    k = k - 1 if k >= _n_present(w, opts.zero_weights) else k
    if k < 0:
        return
    low, high = count_of(fn, w, k), count_of(fn, w, k + 1)
    if not low <= high <= low + 1:
        raise AssertionError(
            f"count(k={k}) = {low} but count(k={k + 1}) = {high}: adding the next edge in "
            "tie-rule order can raise |top-k ∩ MSF| by at most one and never lower it (Kruskal "
            "keeps an edge exactly when it joins two components)"
        )


def _check_scale(fn: Callable, case: dict, opts: OverlapOptions) -> None:
    w, k = case["weights"], case["k"]
    changed = signs(scaled(w))
    before, after = count_of(fn, w, k), count_of(fn, changed, k)
    if before != after:
        raise AssertionError(
            f"scaling by a positive constant and flipping signs changed your count from {before} "
            f"to {after} (k={k}); the overlap depends on |w| order only\n"
            f"  transformed weights: {show(changed)}"
        )


def battery(opts: OverlapOptions) -> tuple[Property, ...]:
    """The properties of kind ``"topk_overlap"``."""
    from topotheory.testing.battery import TIED_EXAMPLES

    distinct, tied = (
        _k_cases(DISTINCT_KINDS, opts.zero_weights),
        _k_cases(TIED_KINDS, opts.zero_weights),
    )
    both = st.one_of(distinct, tied)
    examples = tuple(
        {"weights": w, "k": min(sum(w.shape) - 1, _n_present(w, opts.zero_weights))}
        for w in TIED_EXAMPLES
    )
    return (
        Property(
            "matches_oracle",
            "same |top-k ∩ MSF| as topotheory on tie-free layers",
            distinct,
            _check_overlap,
        ),
        Property(
            "tie_rule_consistency",
            "same count on tied layers: top-k and the MST use one tie rule",
            tied,
            _check_overlap,
            examples,
        ),
        Property(
            "count_bounds", "0 <= count <= min(k, forest size)", both, _check_bounds, examples
        ),
        Property(
            "monotone_in_k",
            "count(k) <= count(k + 1) <= count(k) + 1",
            both,
            _check_monotone,
            examples,
        ),
        Property(
            "scale_and_sign_invariance",
            "scaling by c > 0 and flipping signs leaves the count unchanged",
            both,
            _check_scale,
        ),
    )
