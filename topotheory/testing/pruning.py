"""Kind ``"pruning"``: topology-preserving pruning -- reference, oracle, battery, options.

A pruning keeps exactly ``kept`` weights (ties broken by the tie rule) and, when it claims
to preserve topology, every maximum-spanning-forest edge, so the pruned layer has the
original diagram.

This module holds the kind's options, reference (:func:`prune_keeping_forest`), oracle
(:func:`assert_preserves_topology`) and battery; the hints explaining a wrong kept count or
naming magnitude pruning are :mod:`topotheory.testing.pruning_hints`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import TIED_EXAMPLES, Property, call, layers, tolerance
from topotheory.testing.constraints import Boolean, TolerantOptions
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS
from topotheory.testing.describe import describe_edges, describe_points
from topotheory.testing.diagram_hints import point_diff
from topotheory.testing.hints import likely
from topotheory.testing.output_readers import as_kept_mask
from topotheory.testing.pruning_hints import kept_count_message, pruning_hints
from topotheory.testing.values import DISTINCT_KINDS, TIED_KINDS
from topotheory.topology._validation import as_weight_matrix, check_zero_weights
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.ordering import edge_order
from topotheory.topology.persistence import neural_persistence

SIGNATURE = "fn(weights, kept) -> bool mask (True = kept) or pruned weights"
# The top-4 weights close a cycle, so magnitude pruning to 4 weights drops forest edge 5.
_TOPK_NOT_FOREST = np.array([[3.0, 2.0, 0.1], [2.5, 1.5, 0.2]])


@dataclass(frozen=True)
class PruningOptions(TolerantOptions):
    """Options of kind ``"pruning"``: zero weights, whether topology is claimed, tolerances."""

    zero_weights: str = "present"
    preserves_topology: bool = True

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "zero_weights": CONVENTION_CONSTRAINTS["zero_weights"],
        "preserves_topology": Boolean(),
    }


def _check_kept(kept: Any, forest_size: int, n_edges: int) -> None:
    if isinstance(kept, bool) or not isinstance(kept, (int, np.integer)):
        raise ValueError(f"kept must be an int, got {type(kept).__name__}")
    if not forest_size <= kept <= n_edges:
        raise ValueError(
            f"kept={int(kept)} must lie in [{forest_size}, {n_edges}]: below the "
            f"forest size {forest_size} no pruning can keep the layer's topology"
        )


def prune_keeping_forest(weights: Any, kept: int, *, zero_weights: str = "present") -> np.ndarray:
    """Reference topology-preserving pruning: the forest plus the largest other weights.

    Keeps every maximum-spanning-forest edge, then the remaining edges in tie-rule order
    until exactly ``kept`` weights are kept.

    Returns
    -------
    numpy.ndarray
        Boolean mask, True = kept.

    Examples
    --------
    >>> prune_keeping_forest(np.array([[3.0, 1.0], [2.0, 0.5]]), 3).astype(int).tolist()
    [[1, 1], [1, 0]]
    """
    w = as_weight_matrix(weights)
    forest = maximum_spanning_forest(w, zero_weights=zero_weights)
    _check_kept(kept, forest.size, w.size)
    mask = np.zeros(w.size, dtype=bool)
    mask[forest.edge_index] = True
    rest = edge_order(w)
    mask[rest[~mask[rest]][: kept - forest.size]] = True
    return mask.reshape(w.shape)


def assert_preserves_topology(
    prune_fn: Callable[[np.ndarray, int], Any],
    weights: Any,
    *,
    kept: int,
    zero_weights: str = "present",
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Assert that a pruning method keeps exactly ``kept`` weights and the layer's topology.

    ``prune_fn(weights, kept)`` must return a boolean mask (True = kept) or the pruned
    weights (kept entries unchanged, the others 0); it gets a copy of the weights and must
    not modify it. The pruned layer's diagram must equal the original's.

    Raises
    ------
    AssertionError
        On a wrong kept count, a modified input, or a changed diagram (naming the removed
        forest edges).

    Examples
    --------
    >>> W = np.array([[3.0, 1.0], [2.0, 0.5]])
    >>> assert_preserves_topology(prune_keeping_forest, W, kept=3)
    >>> def magnitude(w, kept):  # keeps the top-k weights only
    ...     mask = np.zeros(w.size, bool); mask[np.argsort(-abs(w), axis=None)[:kept]] = True
    ...     return mask.reshape(w.shape)
    >>> try:
    ...     assert_preserves_topology(magnitude, [[3, 2, 0.1], [2.5, 1.5, 0.2]], kept=4)
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[1])
      removed 1 of the 4 forest edges: (i_out=1, j_in=2) [flat 5, |w|=0.2]
    """
    __tracebackhide__ = True
    rtol, atol = tolerance(rtol, atol)
    w = as_weight_matrix(weights)
    forest = maximum_spanning_forest(w, zero_weights=check_zero_weights(zero_weights))
    _check_kept(kept, forest.size, w.size)
    mask = as_kept_mask(call(prune_fn, w, kept), w)
    count = int(mask.sum())
    if count != kept:
        raise AssertionError(kept_count_message(count, kept, w, "prune_fn"))
    pruned = np.where(mask, w, 0.0)
    before = persistence_diagram(w, zero_weights=zero_weights)
    after = persistence_diagram(pruned, zero_weights=zero_weights)
    only_after, only_before = point_diff(after.as_array(), before.as_array(), rtol, atol)
    if only_after.size == 0 and only_before.size == 0:
        return
    removed = forest.edge_index[~mask.ravel()[forest.edge_index]]
    raise AssertionError(
        f"pruning to kept={kept} changed the topology of a {w.shape} layer (zero_weights="
        f"{zero_weights!r}):\n"
        f"  removed {removed.size} of the {forest.size} forest edges: "
        f"{describe_edges(np.sort(removed), w.shape, w)}\n"
        f"  points lost: {describe_points(only_before)}\n"
        f"  points gained: {describe_points(only_after)}\n"
        f"  NP before {neural_persistence(w, zero_weights=zero_weights):.6g}, after "
        f"{neural_persistence(pruned, zero_weights=zero_weights):.6g}\n"
        "  a topology-preserving pruning keeps every maximum-spanning-forest edge "
        "(topotheory.maximum_spanning_forest(weights).edge_index)"
        + likely(pruning_hints(mask, w, kept))
    )


def _kept_cases(kinds: tuple[str, ...], opts: PruningOptions) -> st.SearchStrategy:
    def with_kept(w: np.ndarray) -> st.SearchStrategy:
        low = (
            maximum_spanning_forest(w, zero_weights=opts.zero_weights).size
            if opts.preserves_topology
            else 0
        )
        return st.integers(low, w.size).map(lambda kept: {"weights": w, "kept": kept})

    return layers(kinds, allow_zeros=False).flatmap(with_kept)


def _check_kept_count(fn: Callable, case: dict, opts: PruningOptions) -> None:
    w, kept = case["weights"], case["kept"]
    count = int(as_kept_mask(call(fn, w, kept), w).sum())
    if count != kept:
        raise AssertionError(kept_count_message(count, kept, w, "your pruning"))


def _check_valid_output(fn: Callable, case: dict, opts: PruningOptions) -> None:
    w, kept = case["weights"], case["kept"]
    mask = as_kept_mask(call(fn, w, kept), w)
    if not np.array_equal(mask, as_kept_mask(call(fn, w, kept), w)):
        raise AssertionError("your pruning is not deterministic: two calls kept different weights")


def _check_preserves(fn: Callable, case: dict, opts: PruningOptions) -> None:
    assert_preserves_topology(
        lambda weights, kept: call(fn, weights, kept),
        case["weights"],
        kept=case["kept"],
        zero_weights=opts.zero_weights,
        rtol=opts.rtol,
        atol=opts.atol,
    )


def battery(opts: PruningOptions) -> tuple[Property, ...]:
    """The properties of kind ``"pruning"``."""
    cases = st.one_of(_kept_cases(DISTINCT_KINDS, opts), _kept_cases(TIED_KINDS, opts))
    examples = tuple(
        {"weights": w, "kept": kept}
        for w in (*TIED_EXAMPLES, _TOPK_NOT_FOREST)
        if (w != 0).all()
        for kept in sorted(
            {maximum_spanning_forest(w, zero_weights=opts.zero_weights).size, w.size}
        )
    )
    props = [
        Property(
            "exact_kept_count",
            "exactly `kept` weights are kept (ties included)",
            cases,
            _check_kept_count,
            examples,
        ),
        Property(
            "valid_output",
            "a mask or pruned weights of the layer's shape, kept weights "
            "unchanged, input not modified, deterministic",
            cases,
            _check_valid_output,
        ),
    ]
    if opts.preserves_topology:
        props.append(
            Property(
                "preserves_topology",
                "for kept >= forest size the pruned layer has "
                "the original diagram (every forest edge kept)",
                cases,
                _check_preserves,
                examples,
            )
        )
    return tuple(props)
