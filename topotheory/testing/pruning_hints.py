"""The hints of kind ``"pruning"``: a wrong kept count explained, magnitude pruning named.

A count off by one, a threshold ``|w| >= t`` that keeps every tied weight, plain top-k
magnitude pruning (which drops forest edges) and its signed variant (a missing ``abs()``).
"""

from __future__ import annotations

import numpy as np

from topotheory.testing.conventions import TIE_RULE
from topotheory.testing.hints import Hint, hints_enabled
from topotheory.topology.ordering import topk_indices


def kept_count_message(count: int, kept: int, weights: np.ndarray, who: str) -> str:
    """Explain a wrong kept count (off-by-one, or a threshold that keeps ties).

    Examples
    --------
    >>> kept_count_message(4, 3, np.array([[1.0, 2.0], [3.0, 4.0]]), "prune_fn")
    'prune_fn kept 4 of 4 weights, asked for kept=3 (off by +1) -- an off-by-one in the kept count?'
    """
    hints = ["an off-by-one in the kept count?"] if abs(count - kept) == 1 else []
    magnitudes = np.sort(np.abs(weights).ravel())[::-1]
    if 0 < kept <= magnitudes.size:
        tied = int((magnitudes >= magnitudes[kept - 1]).sum())
        if count == tied and count > kept:
            hints.append(
                "a threshold |w| >= t keeps every weight tied with the kept-th largest? "
                f"Break ties by the tie rule ({TIE_RULE}), e.g. with topotheory.topk_indices"
            )
    text = f"{who} kept {count} of {weights.size} weights, asked for kept={kept} (off by {count - kept:+d})"
    return text + "".join(f" -- {h}" for h in hints)


def pruning_hints(mask: np.ndarray, w: np.ndarray, kept: int) -> list[Hint]:
    """Name plain magnitude pruning and its signed variant (a missing abs())."""
    if not hints_enabled():
        return []
    top = np.zeros(w.size, dtype=bool)
    top[topk_indices(w, kept)] = True
    if np.array_equal(mask.ravel(), top):
        return [
            Hint(
                "your pruning keeps the top-k by |w| only (plain magnitude pruning): it must "
                "keep every forest edge first, then the largest other weights",
                "your mask is the top-k by |w|",
                1,
            )
        ]
    signed = np.zeros(w.size, dtype=bool)
    signed[np.argsort(-w, axis=None, kind="stable")[:kept]] = True
    if (w < 0).any() and np.array_equal(mask.ravel(), signed):
        return [
            Hint(
                "your pruning ranks by the signed weight w instead of |w| (a missing abs())",
                "your mask is the top-k by signed w",
                1,
            )
        ]
    return []
