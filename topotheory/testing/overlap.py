"""Kind ``"topk_overlap"``: ``|top-k ∩ MSF|`` of dense layers -- oracle, battery, options.

Both the top-k and the forest break ties by one rule: ``|w|`` descending, then flat index
ascending; code that breaks them differently in the two is the classic bug here.

This module holds the kind's options, oracle (:func:`assert_same_topk_overlap`) and battery;
the hints naming the convention behind a wrong count are
:mod:`topotheory.testing.overlap_hints`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import (
    TIED_EXAMPLES,
    Property,
    call,
    layers,
    scaled,
    show,
    signs,
)
from topotheory.testing.constraints import KindOptions
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS, TIE_RULE
from topotheory.testing.hints import likely
from topotheory.testing.overlap_hints import overlap_hints
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS
from topotheory.topology._validation import as_mask, as_weight_matrix
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.overlap import topk_mst_overlap

SIGNATURE = "fn(weights, k) -> int |top-k ∩ MSF| (or an object with .count)"


@dataclass(frozen=True)
class OverlapOptions(KindOptions):
    """Options of kind ``"topk_overlap"``: the zero-weight convention."""

    zero_weights: str = "present"

    CONSTRAINTS: ClassVar[dict[str, Any]] = {"zero_weights": CONVENTION_CONSTRAINTS["zero_weights"]}


def as_count(output: Any) -> int:
    """The overlap count in ``output`` (an int, or an object's ``.count``).

    Examples
    --------
    >>> as_count(np.int64(3))
    3
    """
    count = getattr(output, "count", output)
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (int, np.integer)):
        raise AssertionError(
            f"the overlap count must be an int, got {type(count).__name__} {count!r}"
        )
    return int(count)


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
    count = as_count(user_count)
    if count == reference.count:
        return
    k = reference.k
    hints = overlap_hints(count, w, k, zero_weights) if mask_arr is None else []
    raise AssertionError(
        f"top-k/MST overlap mismatch on a {w.shape} layer (k={k}, zero_weights={zero_weights!r}, "
        f"tie rule for both top-k and the forest: {TIE_RULE}):\n"
        f"  yours: {count}; reference: {reference.count} of k={k} "
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
    return as_count(call(fn, w, k))


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
