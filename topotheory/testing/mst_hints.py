"""Why a forest is not a dense layer's maximum spanning forest, and the hints of kind ``"mst"``.

:func:`max_forest_problem` names the first reason (an absent edge, a cycle, too few edges,
too little weight); the hints name the other convention (zero weights, a transposed
layout, a minimum forest, a signed order, another tie rule, node pairs read as flat
indices) under which the user's edges are a maximum spanning forest, each computed through
:data:`~topotheory.testing.alternatives.ALTERNATIVES`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.testing.alternatives import ALTERNATIVES
from topotheory.testing.conventions import TIE_RULES
from topotheory.testing.describe import describe_edges
from topotheory.testing.hints import PREFIX, Hint, hints_enabled
from topotheory.testing.readers import as_flat_edges
from topotheory.testing.recompute import edge_key, present_edges, tie_rule_forest
from topotheory.theory.union_find import UnionFind
from topotheory.topology.forest import maximum_spanning_forest


def cycle_edge(flat: np.ndarray, shape: tuple[int, int]) -> int | None:
    """The first edge (in the given order) that closes a cycle, or None.

    Examples
    --------
    >>> cycle_edge(np.array([0, 1, 2, 3]), (2, 2))
    3
    """
    m, n = shape
    sets = UnionFind(n + m)
    for f in np.asarray(flat).tolist():
        if not sets.union(f % n, n + f // n):
            return int(f)
    return None


def max_forest_problem(user: np.ndarray, key: np.ndarray, present: np.ndarray) -> str | None:
    """Why ``user`` (flat edges) is not a maximum spanning forest of ``key``, or None.

    Examples
    --------
    >>> max_forest_problem(np.array([0, 1, 2]), np.ones((2, 2)), np.ones((2, 2), bool)) is None
    True
    """
    user = np.asarray(user, dtype=np.int64)
    flat_key = key.ravel()
    absent = user[~present.ravel()[user]]
    if absent.size:
        return "edges that are absent (mask or zero weights): " + describe_edges(absent, key.shape)
    closing = cycle_edge(user[np.lexsort((user, -flat_key[user]))], key.shape)
    if closing is not None:
        return (
            f"not a forest: {describe_edges([closing], key.shape, key)} closes a cycle with "
            "heavier edges of yours"
        )
    ref = maximum_spanning_forest(key, mask=present, zero_weights="present")
    if user.size != ref.size:
        return (
            f"{user.size} edges, but a spanning forest of this layer has |V| - C = "
            f"{ref.n_nodes} - {ref.n_components} = {ref.size} (it must span every component)"
        )
    ours, best = np.sort(flat_key[user]), np.sort(flat_key[ref.edge_index])
    if not np.array_equal(ours, best):
        return (
            f"not maximum: total weight {ours.sum():.6g}, a maximum spanning forest has "
            f"{best.sum():.6g}"
        )
    return None


def forest_hints(user: np.ndarray, w: np.ndarray, conv: dict, tie_rule: str | None) -> list[Hint]:
    """The alternative conventions and tie rules under which ``user`` is a maximum forest."""
    if not hints_enabled():
        return []
    hints = []
    if max_forest_problem(user, np.abs(w), present_edges(w, conv["mask"], conv["zero_weights"])):
        for name in ("zero_weights", "transposed", "minimum_forest", "signed_order"):
            alt = ALTERNATIVES[name]
            if alt.applies(w, conv):
                changes = alt.changes(conv)
                key, present = edge_key(w, conv, changes)
                if max_forest_problem(user, key, present) is None:
                    evidence = f"your {user.size} edges are a maximum spanning forest under it"
                    hints.append(Hint(PREFIX + alt.hint(conv, w), evidence, alt.prior))
    for other, meaning in TIE_RULES.items():
        if (
            tie_rule is not None
            and other != tie_rule
            and np.array_equal(
                user,
                tie_rule_forest(w, other, mask=conv["mask"], zero_weights=conv["zero_weights"]),
            )
        ):
            hints.append(
                Hint(
                    f"{PREFIX}breaks ties by the {other!r} rule ({meaning}), but tie_rule="
                    f"{tie_rule!r} was declared: pass tie_rule={other!r}, or tie_rule=None to accept "
                    "any maximum spanning forest",
                    f"the {other!r} rule's forest is exactly your {user.size} edges",
                    1.0,
                )
            )
    return hints


def other_tie_rule_hint(tie_rule: str | None) -> Hint:
    """A maximum forest whose edges differ from the declared tie rule's."""
    return Hint(
        "your forest is a maximum spanning forest (same |w| multiset) under another tie "
        f"rule than {tie_rule!r}; pass tie_rule=None to accept any maximum spanning forest",
        "spanning, acyclic, and the same sorted |w| as the reference",
        2.0,
    )


def node_pair_hint(output: Any, w: np.ndarray, present: np.ndarray, edge_format: str) -> list[Hint]:
    """Suggest ``edge_format="nodes"`` when ``(k, 2)`` pairs read as nodes form a forest."""
    if edge_format != "auto" or not isinstance(output, (list, tuple, np.ndarray)):
        return []
    try:
        as_nodes = as_flat_edges(output, w.shape, edge_format="nodes")
    except (AssertionError, ValueError, TypeError):
        return []
    if max_forest_problem(as_nodes, np.abs(w), present) is None:
        return [
            Hint(
                "your edges look like node pairs (inputs 0..n_in-1, outputs "
                "n_in..n_in+m_out-1): pass edge_format='nodes'",
                "read as node pairs they are a maximum spanning forest",
                0.5,
            )
        ]
    return []
