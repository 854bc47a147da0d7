"""Exact top-k / MST overlap under exchangeable weights, by counting bipartite graphs.

Model
-----
Weights on the complete bipartite graph ``K_{n,m}`` are exchangeable with no ties
(e.g. iid continuous). Then the top-k edges by magnitude form a uniformly random
k-subset ``S`` of the ``n*m`` edges, and Kruskal's algorithm accepts, among the
first k edges it scans, exactly a spanning forest of ``S``. Hence

.. math:: |S \\cap \\mathrm{MST}| = (n + m) - \\mathrm{comp}(S),

where ``comp(S)`` counts the connected components (isolated vertices included)
of the spanning subgraph with edge set ``S``. This is exact for any strict order.

Method
------
Let ``c(a, b, e)`` be the number of connected spanning subgraphs of ``K_{a,b}``
with ``e`` edges. Rooting the component of a distinguished vertex gives

.. math:: \\binom{ab}{e} = \\sum_{a',b',e'} \\binom{a-1}{a'-1}\\binom{b}{b'}
          c(a',b',e')\\binom{(a-a')(b-b')}{e-e'},

which determines ``c`` for ``e <= k``; by linearity

.. math:: E[\\mathrm{comp}(S)] = \\sum_{a,b,e} \\binom{n}{a}\\binom{m}{b} c(a,b,e)
          \\binom{(n-a)(m-b)}{k-e} \\Big/ \\binom{nm}{k}.

Polynomials in the edge count are packed into one Python integer (Kronecker
substitution, one slot per degree, slots wide enough that no coefficient of
degree ``<= k`` overflows), so each polynomial product is one big-integer
multiplication. Everything is exact integer arithmetic.

Reach (measured on the development machine, one core): ``30 x 30`` in about 4-8 s,
``20 x 20`` in 0.2 s; the cost grows like ``(n m)^2`` big-integer products of
``~k * log2 C(nm, k)`` bits. :func:`exact_overlap_distribution` adds a
component-count dimension and reaches ``12 x 12`` in about a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb

from topotheory.errors import InputError
from topotheory.simulate._validation import check_shape
from topotheory.theory.union_find import UnionFind

__all__ = [
    "brute_force_overlap_distribution",
    "connected_bipartite_counts",
    "exact_expected_components",
    "exact_expected_overlap",
    "exact_overlap_distribution",
]


class _Packer:
    """Kronecker packing of polynomials of degree ``<= degree`` into Python ints."""

    def __init__(self, degree: int, max_coefficient: int) -> None:
        self.degree = degree
        self.bits = max_coefficient.bit_length() + 2
        self.slots = degree + 1
        self.mask = (1 << (self.bits * self.slots)) - 1
        self._slot_mask = (1 << self.bits) - 1

    def pack(self, coefficients: list[int]) -> int:
        value = 0
        for i, c in enumerate(coefficients[: self.slots]):
            value |= c << (self.bits * i)
        return value

    def unpack(self, value: int) -> list[int]:
        value &= self.mask
        return [(value >> (self.bits * i)) & self._slot_mask for i in range(self.slots)]


def _max_coefficient(n: int, m: int, degree: int) -> int:
    # every coefficient ever stored counts subgraphs of some K_{a,b}, a<=n, b<=m,
    # with d <= degree edges: at most C(nm, d) <= C(nm, min(degree, nm // 2)).
    return comb(n * m, min(degree, (n * m) // 2))


@lru_cache(maxsize=8)
def _connected_table(n: int, m: int, degree: int) -> tuple[_Packer, dict[tuple[int, int], int]]:
    """Packed ``sum_e c(a, b, e) x^e`` (truncated at ``degree``) for all ``a<=n, b<=m``."""
    packer = _Packer(degree, _max_coefficient(n, m, degree))
    full: dict[int, int] = {}

    def all_subgraphs(a: int, b: int) -> int:
        edges = a * b
        if edges not in full:
            full[edges] = packer.pack([comb(edges, d) for d in range(min(edges, degree) + 1)])
        return full[edges]

    table: dict[tuple[int, int], int] = {(1, 0): 1, (0, 1): 1}
    for a in range(n + 1):
        for b in range(m + 1):
            if (a, b) in table or a + b == 0:
                continue
            if a == 0 or b == 0:
                table[(a, b)] = 0
                continue
            if (b, a) in table:  # c(a, b, e) = c(b, a, e)
                table[(a, b)] = table[(b, a)]
                continue
            disconnected = 0
            for a2 in range(1, a + 1):
                choose_a = comb(a - 1, a2 - 1)
                for b2 in range(b + 1):
                    if (a2, b2) == (a, b):
                        continue
                    connected = table[(a2, b2)]
                    if connected:
                        # carries only move up, so truncating once at the end is exact
                        disconnected += choose_a * comb(b, b2) * (
                            connected * all_subgraphs(a - a2, b - b2)
                        )
            table[(a, b)] = all_subgraphs(a, b) - (disconnected & packer.mask)
    return packer, table


def connected_bipartite_counts(a: int, b: int, max_edges: int | None = None) -> list[int]:
    """Number of connected spanning subgraphs of ``K_{a,b}`` by edge count.

    Parameters
    ----------
    a, b : int
        Side sizes (``a + b >= 1``).
    max_edges : int, optional
        Largest edge count returned (default ``a*b``).

    Returns
    -------
    list of int
        ``counts[e]`` = number of connected spanning subgraphs with ``e`` edges.

    Examples
    --------
    >>> connected_bipartite_counts(2, 2)  # 4 spanning trees, 1 four-cycle
    [0, 0, 0, 4, 1]
    """
    if a < 0 or b < 0 or a + b == 0:
        raise ValueError(f"need a, b >= 0 with a + b >= 1, got a={a}, b={b}")
    degree = a * b if max_edges is None else max_edges
    if degree < 0:
        raise ValueError(f"max_edges={max_edges} must be >= 0")
    packer, table = _connected_table(max(a, b), max(a, b), degree)
    return packer.unpack(table[(a, b)])


#: Default cap on ``n * m`` for exact counting; its cost grows steeply (40x40 takes ~45 s,
#: 10x100 ~40 s on a 2-core machine). Pass ``max_edges=None`` to lift it.
EXACT_MAX_EDGES = 2000


#: Default cap on ``n * m`` for the exact *law* (:func:`exact_overlap_distribution`),
#: whose tables grow faster than those of the expectation (20x20 takes ~15 s).
EXACT_DISTRIBUTION_MAX_EDGES = 400


def _check_exact_size(n: int, m: int, max_edges: int | None, what: str = "exact counting") -> None:
    if max_edges is not None and n * m > max_edges:
        raise InputError(
            f"{what} on a {n}x{m} layer ({n * m} edges) exceeds the cap of {max_edges} edges: "
            "its cost grows steeply (40x40 takes ~45 s for E[X])",
            argument="max_edges", value=max_edges,
            fix="pass max_edges=None to run it anyway, or estimate with "
            "topotheory.simulate.simulate_overlap",
            cli_fix=f"pass --max-edges {n * m} (or 0 for no cap) to run it anyway, or estimate "
            "with topotheory simulate overlap",
        )


def exact_expected_components(
    n: int, m: int, k: int | None = None, *, max_edges: int | None = EXACT_MAX_EDGES
) -> Fraction:
    """Exact ``E[comp(S)]`` for a uniformly random k-edge subset ``S`` of ``K_{n,m}``.

    Raises ``ValueError`` when ``n * m > max_edges`` (default :data:`EXACT_MAX_EDGES`).

    Examples
    --------
    >>> exact_expected_components(2, 2, 2)  # two edges never close a cycle
    Fraction(2, 1)
    """
    n, m, k = check_shape(n, m, k)
    _check_exact_size(n, m, max_edges)
    packer, table = _connected_table(n, m, k)
    numerator = 0
    for a in range(n + 1):
        for b in range(m + 1):
            if a + b == 0 or not table[(a, b)]:
                continue
            rest = (n - a) * (m - b)
            counts = packer.unpack(table[(a, b)])
            inner = sum(c * comb(rest, k - e) for e, c in enumerate(counts) if c and e <= k)
            numerator += comb(n, a) * comb(m, b) * inner
    return Fraction(numerator, comb(n * m, k))


def exact_expected_overlap(
    n: int, m: int, k: int | None = None, *, max_edges: int | None = EXACT_MAX_EDGES
) -> Fraction:
    """Exact expected top-k / MST overlap fraction ``E[X]`` under exchangeable weights.

    ``X = |top-k ∩ MST| / k`` on the complete bipartite graph ``K_{n,m}`` whose
    weight order is uniformly random (iid continuous weights). See the module
    docstring for the method and its reach (about ``30 x 30`` in seconds).

    Parameters
    ----------
    n, m : int
        Input and output node counts.
    k : int, optional
        Top-k size, default the spanning-tree size ``n + m - 1``.
    max_edges : int or None
        Refuse (``ValueError``) layers with more than this many edges; ``None`` lifts the cap.

    Returns
    -------
    Fraction
        ``(n + m - E[comp(S)]) / k``.

    Examples
    --------
    >>> exact_expected_overlap(2, 2)  # any 3 edges of a 4-cycle form a spanning tree
    Fraction(1, 1)
    >>> exact_expected_overlap(3, 3)
    Fraction(13, 14)
    """
    n, m, k = check_shape(n, m, k)
    return (n + m - exact_expected_components(n, m, k, max_edges=max_edges)) / k


@lru_cache(maxsize=4)
def _component_table(n: int, m: int, degree: int) -> tuple[_Packer, dict[tuple[int, int, int], int]]:
    """Packed edge-count polynomials of spanning subgraphs of ``K_{a,b}`` with ``c`` components."""
    packer, connected = _connected_table(n, m, degree)
    by_components: dict[tuple[int, int, int], int] = {(0, 0, 0): 1}
    for a in range(n + 1):
        for b in range(m + 1):
            if a + b == 0:
                continue
            if a == 0 or b == 0:  # no edges at all: a + b isolated vertices
                by_components[(a, b, a + b)] = 1
                continue
            sums: dict[int, int] = {}
            for a2 in range(1, a + 1):
                choose_a = comb(a - 1, a2 - 1)
                for b2 in range(b + 1):
                    poly = connected[(a2, b2)]
                    if not poly:
                        continue
                    weight = choose_a * comb(b, b2)
                    for c in range(0, a - a2 + b - b2 + 1):
                        rest = by_components.get((a - a2, b - b2, c))
                        if rest:
                            sums[c + 1] = sums.get(c + 1, 0) + weight * (poly * rest)
            for c, value in sums.items():
                value &= packer.mask
                if value:
                    by_components[(a, b, c)] = value
    return packer, by_components


def exact_overlap_distribution(
    n: int, m: int, k: int | None = None, *,
    max_edges: int | None = EXACT_DISTRIBUTION_MAX_EDGES,
) -> dict[int, Fraction]:
    """Exact law of the overlap count ``|top-k ∩ MST|`` under exchangeable weights.

    Parameters
    ----------
    n, m : int
        Node counts; practical up to about ``12 x 12``.
    k : int, optional
        Top-k size, default ``n + m - 1``.
    max_edges : int or None
        Refuse ``n * m`` above this (default :data:`EXACT_DISTRIBUTION_MAX_EDGES`), before
        any table is built; ``None`` lifts the cap.

    Returns
    -------
    dict
        ``{count: probability}`` over the counts with non-zero probability.

    Examples
    --------
    >>> exact_overlap_distribution(3, 3)
    {4: Fraction(5, 14), 5: Fraction(9, 14)}
    """
    n, m, k = check_shape(n, m, k)
    _check_exact_size(n, m, max_edges, "the exact law")
    packer, table = _component_table(n, m, k)
    total = comb(n * m, k)
    law: dict[int, Fraction] = {}
    for c in range(1, n + m + 1):
        value = table.get((n, m, c))
        if value:
            count = packer.unpack(value)[k]
            if count:
                law[n + m - c] = Fraction(count, total)
    return dict(sorted(law.items()))


def _rank(edges: Iterator[tuple[int, int]], n_nodes: int) -> int:
    sets = UnionFind(n_nodes)
    return sum(sets.union(u, v) for u, v in edges)


def brute_force_overlap_distribution(
    n: int, m: int, k: int | None = None, *, max_subsets: int = 2_000_000
) -> dict[int, Fraction]:
    """The same law as :func:`exact_overlap_distribution`, by listing every k-subset.

    An independent oracle for tiny shapes: every k-subset of the ``n*m`` edges
    (flat index ``i_out * n + j_in``) is taken as the top-k set and its spanning-forest
    size counted with a union-find.

    Raises
    ------
    ValueError
        If ``C(n*m, k)`` exceeds ``max_subsets``.

    Examples
    --------
    >>> brute_force_overlap_distribution(3, 3) == exact_overlap_distribution(3, 3)
    True
    """
    n, m, k = check_shape(n, m, k)
    total = comb(n * m, k)
    if total > max_subsets:
        raise ValueError(
            f"C({n * m}, {k}) = {total} subsets exceed max_subsets={max_subsets}; "
            "use exact_overlap_distribution for this shape"
        )
    endpoints = [(e % n, n + e // n) for e in range(n * m)]
    tally: dict[int, int] = {}
    for subset in combinations(range(n * m), k):
        r = _rank((endpoints[e] for e in subset), n + m)
        tally[r] = tally.get(r, 0) + 1
    return {r: Fraction(c, total) for r, c in sorted(tally.items())}
