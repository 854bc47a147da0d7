"""Kind ``"mst"``: maximum spanning forests of dense layers -- oracle, battery, options.

Conventions: torch ``Linear`` layout ``(m_out, n_in)``; flat edge index ``i_out * n_in +
j_in``; with ties the maximum spanning forest is not unique, so by default any one passes
and a declared ``tie_rule`` demands its exact edge set.

This module holds the options of every forest kind (:class:`ForestOptions`) and kind
``"mst"``'s options, oracle (:func:`assert_same_forest`) and battery; why a forest is not
maximum and the hints naming a wrong convention are :mod:`topotheory.testing.mst_hints`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, distinct_and_tied, scaled, show, signs
from topotheory.testing.constraints import Anything, KindOptions, OneOf
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS, TIE_RULES
from topotheory.testing.describe import describe_edges
from topotheory.testing.hints import likely
from topotheory.testing.mst_hints import cycle_edge as cycle_edge
from topotheory.testing.mst_hints import (
    forest_hints,
    max_forest_problem,
    node_pair_hint,
    other_tie_rule_hint,
)
from topotheory.testing.readers import EDGE_FORMATS, as_flat_edges
from topotheory.testing.recompute import present_edges, tie_rule_forest
from topotheory.topology._validation import as_mask, as_weight_matrix, check_zero_weights
from topotheory.topology.forest import maximum_spanning_forest

SIGNATURE = "fn(weights) -> forest edges (flat indices, (i_out, j_in) pairs, a graph, ...)"
#: What a structured forest kind (conv, recurrent) returns: edges or the parameters used.
RETURNS = OneOf(("edges", "params"))
#: The structured kinds know one tie rule: any maximum forest (None) or topotheory's.
TOPOTHEORY_TIES = OneOf((None, "topotheory"))
#: Exact edges under the tie rule, or any maximum spanning forest.
COMPARE = OneOf(("edges", "weights"))


@dataclass(frozen=True)
class ForestOptions(KindOptions):
    """Options of every forest kind: zero weights, the tie rule, how edges are encoded."""

    zero_weights: str = "present"
    tie_rule: str | None = None
    edge_format: str = "auto"

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "zero_weights": CONVENTION_CONSTRAINTS["zero_weights"],
        "tie_rule": CONVENTION_CONSTRAINTS["tie_rule"],
        "edge_format": OneOf(EDGE_FORMATS),
    }

    @property
    def compare(self) -> str:
        """``"edges"`` when a tie rule is declared, else ``"weights"`` (any maximum forest)."""
        return "weights" if self.tie_rule is None else "edges"


@dataclass(frozen=True)
class MstOptions(ForestOptions):
    """Options of kind ``"mst"``: the forest options and a node map for labelled nodes."""

    node_map: Any = None

    CONSTRAINTS: ClassVar[dict[str, Any]] = {
        "node_map": Anything("a mapping or callable(label, shape) -> node id")
    }


def assert_same_forest(
    user_edges_or_forest: Any,
    weights: Any,
    *,
    mask: Any = None,
    zero_weights: str = "present",
    tie_rule: str | None = None,
    edge_format: str = "auto",
    node_map: Any = None,
) -> None:
    """Assert that a user's forest is a maximum spanning forest of the layer.

    With ties the maximum spanning forest is not unique; by default (``tie_rule=None``) any
    one passes: present edges only, no cycle, ``|V| - C`` edges and the same sorted ``|w|``
    as topotheory's. Declare a tie rule to demand its exact edge set.

    Parameters
    ----------
    user_edges_or_forest : SpanningForest, array_like, dict, graph or matrix
        The user's forest in any form :func:`~topotheory.testing.readers.as_flat_edges`
        reads (flat indices, pairs, triples, graphs of networkx / igraph / rustworkx /
        networkit, sparse or dense adjacencies, symmetric ones included).
    weights : array_like
        The layer ``(m_out, n_in)``.
    mask : array_like of bool, optional
        True where the edge is present.
    zero_weights : {"present", "absent"}
        Whether a zero weight is an edge of weight 0 (default) or no edge.
    tie_rule : {None, "topotheory", "column_major", "descending_index"}
        ``None``: any maximum spanning forest; otherwise that rule's exact forest.
    edge_format : {"auto", "flat", "entries", "nodes"}
        How to read ``user_edges_or_forest``.
    node_map : mapping or callable, optional
        Node label -> node id, for graphs whose nodes are labels.

    Raises
    ------
    AssertionError
        With the differing edges and the likely convention behind the difference.
    ValueError
        On bad arguments.

    Examples
    --------
    >>> W = np.array([[3.0, 1.0], [2.0, 0.5]])
    >>> assert_same_forest([0, 2, 1], W)
    >>> assert_same_forest([0, 1, 2], np.ones((2, 2)), tie_rule="column_major")
    >>> try:
    ...     assert_same_forest([0, 2, 3], W)
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[2])
      only in yours: (i_out=1, j_in=1) [flat 3, |w|=0.5]
    """
    __tracebackhide__ = True
    w = as_weight_matrix(weights)
    conv = {"mask": as_mask(mask, w.shape), "zero_weights": check_zero_weights(zero_weights)}
    MstOptions(zero_weights=zero_weights, tie_rule=tie_rule, edge_format=edge_format)
    reference = maximum_spanning_forest(w, **conv)
    user = as_flat_edges(user_edges_or_forest, w.shape, edge_format=edge_format, node_map=node_map)
    present = present_edges(w, conv["mask"], zero_weights)
    problem = max_forest_problem(user, np.abs(w), present)
    if tie_rule is None:
        ref = np.sort(reference.edge_index)
        if problem is None:
            return
    else:
        ref = tie_rule_forest(w, tie_rule, **conv)
        if np.array_equal(user, ref):
            return
    rule = "any maximum forest" if tie_rule is None else f"{tie_rule!r}: {TIE_RULES[tie_rule]}"
    lines = [
        f"forest mismatch on a {w.shape} layer (tie_rule={rule}; zero_weights={zero_weights!r}):",
        f"  yours: {user.size} edges; reference: {ref.size} edges "
        f"({reference.n_nodes} nodes - {reference.n_components} component(s))",
        "  only in yours: " + describe_edges(np.setdiff1d(user, ref), w.shape, w),
        "  only in the reference: " + describe_edges(np.setdiff1d(ref, user), w.shape, w),
    ]
    if problem is not None:
        lines.append(f"  yours is not a maximum spanning forest: {problem}")
    hints = forest_hints(user, w, conv, tie_rule)
    hints += node_pair_hint(user_edges_or_forest, w, present, edge_format)
    if problem is None:
        hints.append(other_tie_rule_hint(tie_rule))
    raise AssertionError("\n".join(lines) + likely(hints))


def forest_of(fn: Callable, w: np.ndarray, opts: MstOptions) -> np.ndarray:
    """The user's forest of ``w`` as sorted flat indices."""
    return as_flat_edges(call(fn, w), w.shape, edge_format=opts.edge_format, node_map=opts.node_map)


def _check_forest(fn: Callable, case: dict, opts: MstOptions) -> None:
    w = case["weights"]
    assert_same_forest(
        call(fn, w),
        w,
        zero_weights=opts.zero_weights,
        tie_rule=opts.tie_rule,
        edge_format=opts.edge_format,
        node_map=opts.node_map,
    )


def _forest_invariant(transform: Callable, what: str, must_keep: Callable) -> Callable:
    """After ``transform(w, user_forest)`` the user's forest keeps its weights and
    ``must_keep(before, w)`` (with a tie rule: the same edges)."""

    def check(fn: Callable, case: dict, opts: MstOptions) -> None:
        w = case["weights"]
        before = forest_of(fn, w, opts)
        changed = transform(w, before)
        after = forest_of(fn, changed, opts)
        mags = np.abs(changed).ravel()
        lost = np.setdiff1d(must_keep(before, w), after)
        if opts.tie_rule is not None:
            problem = None if np.array_equal(before, after) else "the edge set changed"
        elif before.size != after.size or not np.allclose(
            np.sort(mags[before]), np.sort(mags[after])
        ):
            problem = "the multiset of forest weights changed"
        else:
            problem = f"it lost {describe_edges(lost, w.shape, w)}" if lost.size else None
        if problem is not None:
            raise AssertionError(
                f"{what} changed your forest (it must not): {problem}\n"
                f"  only before: {describe_edges(np.setdiff1d(before, after), w.shape, w)}\n"
                f"  only after: {describe_edges(np.setdiff1d(after, before), w.shape, w)}\n"
                f"  transformed weights: {show(changed)}"
            )

    return check


def _keep_only(w: np.ndarray, forest: np.ndarray) -> np.ndarray:
    keep = np.zeros(w.size, dtype=bool)
    keep[forest] = True
    return np.where(keep.reshape(w.shape), w, 0.0)


def battery(opts: MstOptions) -> tuple[Property, ...]:
    """The properties of kind ``"mst"``."""
    distinct, tied, examples = distinct_and_tied()
    exact = opts.tie_rule is not None
    both = st.one_of(distinct, tied)
    return (
        Property(
            "matches_oracle",
            "a maximum spanning forest on tie-free layers (there it is unique)",
            distinct,
            _check_forest,
        ),
        Property(
            "matches_oracle_on_ties",
            f"the forest of tie rule {opts.tie_rule!r} on tied / zero / dead-unit layers"
            if exact
            else "a maximum spanning forest on tied / zero / dead-unit layers "
            "(spanning, acyclic, maximum total |w|, any tie rule; zero_weights convention)",
            tied,
            _check_forest,
            examples,
        ),
        Property(
            "invariant_under_non_forest_removal",
            "zeroing every edge outside your forest keeps its non-zero edges",
            both,
            _forest_invariant(
                _keep_only,
                "zeroing every weight outside the maximum spanning forest",
                lambda f, w: f[w.ravel()[f] != 0],
            ),
            examples,
        ),
        Property(
            "scale_and_sign_invariance",
            "scaling by c > 0 and flipping signs gives a maximum forest of the same |w| order",
            both,
            _forest_invariant(
                lambda w, f: signs(scaled(w)), "scaling and flipping signs", lambda f, w: f[:0]
            ),
            examples,
        ),
    )
