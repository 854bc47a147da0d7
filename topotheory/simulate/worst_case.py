"""The worst case: the smallest top-k / MST overlap over all weight orders.

For any strict weight order the overlap count is the rank (spanning-forest size)
of the top-k edge set, and every k-subset of edges is the top-k set of some
order. So the minimum overlap is the minimum rank of k edges of ``K_{n,m}``.

Claim (proved in the docstring of :func:`worst_case_overlap`): the minimum is
attained by packing the k edges into one complete bipartite block ``K_{a,b}``,

.. math:: \\min_S \\mathrm{rank}(S) = \\min\\{a + b - 1 : 1 \\le a \\le n,\\ 1 \\le b \\le m,\\ ab \\ge k\\}.

:func:`brute_force_worst_case` enumerates every k-subset for tiny shapes as an oracle.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np

from topotheory.result import Result
from topotheory.simulate._validation import check_shape
from topotheory.simulate.counting import _rank

__all__ = ["WorstCase", "brute_force_worst_case", "worst_case_overlap", "worst_case_weights"]


@dataclass(frozen=True, repr=False)
class WorstCase(Result):
    """Minimum overlap over all weight orders of ``K_{n,m}``.

    Attributes
    ----------
    n, m, k : int
        Shape and top-k size.
    count : int
        Minimum ``|top-k ∩ MST|``.
    fraction_exact : Fraction
        ``count / k`` exactly; ``fraction`` is its float (the name
        :class:`~topotheory.topology.overlap.TopkOverlap` uses).
    block : tuple of int
        ``(a, b)``: the top-k edges lie in the block of the first ``a`` inputs and
        first ``b`` outputs (row-major within it), realising the minimum.
    """

    n: int
    m: int
    k: int
    count: int
    fraction_exact: Fraction
    block: tuple[int, int]

    _repr_extra = ("fraction",)
    _dict_extra = ("fraction",)

    @property
    def fraction(self) -> float:
        """``count / k`` as a float (``fraction_exact`` keeps it exact)."""
        return float(self.fraction_exact)


def worst_case_overlap(n: int, m: int, k: int | None = None) -> WorstCase:
    """Exact minimum of the overlap over all weight orders (the adversarial case).

    Proof that one block is optimal: k edges with components of sizes
    ``(a_i, b_i)`` (each with ``a_i, b_i >= 1``) have rank ``sum(a_i + b_i - 1)`` and
    at most ``sum(a_i b_i)`` edges. Replacing two blocks by one block
    ``(a_1 + a_2, b_1 + b_2 - 1)`` keeps the rank, uses no more vertices, and holds
    ``(a_1+a_2)(b_1+b_2-1) - a_1 b_1 - a_2 b_2 = a_1 (b_2 - 1) + a_2 (b_1 - 1) >= 0``
    more edges. Repeating leaves one block ``K_{a,b}``, whose rank is ``a + b - 1``;
    any ``e`` with ``a + b - 1 <= e <= ab`` edges can span it connectedly.

    Parameters
    ----------
    n, m : int
        Input and output node counts.
    k : int, optional
        Top-k size, default ``n + m - 1``.

    Returns
    -------
    WorstCase

    Examples
    --------
    >>> from topotheory.simulate.bounds import overlap_lower_bound
    >>> w = worst_case_overlap(100, 100)
    >>> w.count, w.block, w.fraction_exact < overlap_lower_bound(100, 100)  # below Thm 3.3
    (28, (12, 17), True)
    >>> w
    WorstCase(n=100, m=100, k=199, count=28, fraction_exact=28/199, block=(12, 17), fraction=0.140704)
    """
    n, m, k = check_shape(n, m, k)
    best: tuple[int, int, int] | None = None
    for a in range(1, n + 1):
        b = max(1, -(-k // a))
        if b > m:
            continue
        candidate = (a + b - 1, a, b)
        if best is None or candidate < best:
            best = candidate
    assert best is not None  # a = n, b = m always fits since k <= n*m
    count, a, b = best
    return WorstCase(n, m, k, count, Fraction(count, k), (a, b))


def worst_case_weights(n: int, m: int, k: int | None = None) -> np.ndarray:
    """A weight matrix (torch layout ``(m, n)``) whose overlap equals the worst case.

    The k largest weights (distinct, ``|w|`` from ``n*m`` down) fill the block of
    :func:`worst_case_overlap` row-major; all other weights are smaller and distinct.

    Examples
    --------
    >>> W = worst_case_weights(3, 3, 4)
    >>> W.shape, int(W.max())
    ((3, 3), 9)
    """
    n, m, k = check_shape(n, m, k)
    a, b = worst_case_overlap(n, m, k).block
    inside = [(i, j) for i in range(b) for j in range(a)][:k]  # (output, input)
    chosen = set(inside)
    outside = [(i, j) for i in range(m) for j in range(n) if (i, j) not in chosen]
    weights = np.zeros((m, n), dtype=np.float64)
    value = n * m
    for i, j in inside + outside:
        weights[i, j] = value
        value -= 1
    return weights


def brute_force_worst_case(n: int, m: int, k: int | None = None, *, max_subsets: int = 2_000_000) -> int:
    """Minimum overlap count by enumerating every k-subset (tiny shapes only).

    Examples
    --------
    >>> brute_force_worst_case(3, 3) == worst_case_overlap(3, 3).count
    True
    """
    n, m, k = check_shape(n, m, k)
    if comb(n * m, k) > max_subsets:
        raise ValueError(
            f"C({n * m}, {k}) subsets exceed max_subsets={max_subsets}; use worst_case_overlap"
        )
    endpoints = [(e % n, n + e // n) for e in range(n * m)]
    return min(
        _rank((endpoints[e] for e in subset), n + m) for subset in combinations(range(n * m), k)
    )


