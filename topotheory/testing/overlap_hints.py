"""The hints of kind ``"topk_overlap"``: which other convention gives the user's count.

Mixed tie rules (top-k by one index order, the forest by the other), a signed order, a
minimum forest, the other zero-weight convention: each is computed through
:data:`~topotheory.testing.alternatives.ALTERNATIVES` and named when it gives the user's count.
"""

from __future__ import annotations

import numpy as np

from topotheory.testing.alternatives import ALTERNATIVES
from topotheory.testing.conventions import TIE_RULE
from topotheory.testing.hints import PREFIX, Hint, hints_enabled
from topotheory.testing.recompute import edge_key, tie_rule_forest
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.ordering import topk_indices


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
    asc_forest = tie_rule_forest(w, "topotheory", zero_weights=zero_weights)
    desc_forest = tie_rule_forest(w, "descending_index", zero_weights=zero_weights)
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
