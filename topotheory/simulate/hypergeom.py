"""Appendix C: overlap of two unrelated random k-subsets of a layer's edges.

Two independent uniformly random k-subsets of the ``N = n*m`` edges share ``X``
edges with the hypergeometric law (CLAIMS.md, formula 5)

.. math:: P(X = x) = \\binom{k}{x}\\binom{N-k}{k-x} \\Big/ \\binom{N}{k},
          \\qquad P(X \\ge x) = \\sum_{y \\ge x} P(X = y).

Mapping to :data:`scipy.stats.hypergeom` ``(M, n, N)``: ``M = n*m`` (population:
all edges), ``n = k`` (successes: the first subset), ``N = k`` (draws: the second
subset). The probabilities are computed in log space (:func:`scipy.special.gammaln`
and a running log-sum-exp, :func:`numpy.logaddexp.accumulate`) because the upper tails underflow ``float64``;
:func:`random_overlap_pmf_exact` and :func:`random_overlap_sf_exact` give the same
numbers as exact rationals.

Percent thresholds (the paper quotes "exactly / at least 5% and 40% of k"): one rule for
both, :func:`topotheory.theory.hypergeom.overlap_count_threshold`: ``x = ceil(p*k)``, the
smallest count whose fraction is ``>= p``. Fractions are taken exactly (``Fraction(str(p))``)
so ``0.05 * 100`` is 5, not 5.000000000000001.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.special import gammaln

from topotheory.result import Result
from topotheory.simulate._validation import check_int
from topotheory.theory.hypergeom import overlap_count_threshold, overlap_ways

__all__ = [
    "MNIST_LAYER_SHAPES",
    "AppendixC",
    "LayerShape",
    "appendix_c_probabilities",
    "appendix_c_table",
    "random_overlap_logpmf",
    "random_overlap_logsf",
    "random_overlap_pmf_exact",
    "random_overlap_sf_exact",
]

_LN10 = math.log(10.0)


@dataclass(frozen=True, repr=False)
class LayerShape(Result):
    """A layer seen as a bipartite graph: ``n`` inputs, ``m`` outputs, ``n_edges`` edges.

    ``k`` is its spanning-tree size ``n + m - 1`` (the graph is connected).
    """

    name: str
    n: int
    m: int
    n_edges: int
    note: str = ""

    @property
    def k(self) -> int:
        return self.n + self.m - 1


#: MNIST layer shapes of the paper (Appendix D, SynFlow models). Dense layers are
#: complete (``n_edges = n*m``). A 3x3 convolution with padding 1 on 28x28 inputs is,
#: per input/output channel pair, the Toeplitz graph of Theorem 3.2 with
#: ``N_in = 30*30`` padded inputs, ``N_out = 28*28`` outputs and ``9*784`` edges;
#: this per-channel-pair graph is the one whose TCCR (4.19251) the paper prints.
MNIST_LAYER_SHAPES: tuple[LayerShape, ...] = (
    LayerShape("fcn.dense1", 784, 100, 784 * 100),
    LayerShape("fcn.dense2", 100, 100, 100 * 100),
    LayerShape("fcn.dense3", 100, 100, 100 * 100),
    LayerShape("fcn.dense4", 100, 100, 100 * 100),
    LayerShape("fcn.dense5", 100, 100, 100 * 100),
    LayerShape("fcn.dense6", 100, 10, 100 * 10),
    LayerShape("cnn.conv1", 900, 784, 9 * 784, "per channel pair, 3x3, pad 1, 28x28"),
    LayerShape("cnn.conv2", 900, 784, 9 * 784, "per channel pair, 3x3, pad 1, 28x28"),
    LayerShape("cnn.dense", 25088, 10, 25088 * 10),
)


def _check(n_edges: object, k: object) -> tuple[int, int]:
    n_edges = check_int(n_edges, "n_edges", minimum=1)
    k = check_int(k, "k", minimum=0)
    if k > n_edges:
        raise ValueError(f"k={k} exceeds n_edges={n_edges}; pass k <= n_edges")
    return n_edges, k


def _lbinom(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    return gammaln(np.add(a, 1.0)) - gammaln(np.add(b, 1.0)) - gammaln(np.subtract(a, b) + 1.0)


def random_overlap_logpmf(x: int | np.ndarray, n_edges: int, k: int) -> np.ndarray:
    """Natural log of ``P(X = x)`` for the overlap of two random k-subsets of ``n_edges``.

    Equals ``scipy.stats.hypergeom(M=n_edges, n=k, N=k).logpmf(x)``; impossible
    ``x`` give ``-inf``.

    Examples
    --------
    >>> float(np.exp(random_overlap_logpmf(1, 4, 2)))  # C(2,1) C(2,1) / C(4,2)
    0.6666666666666666
    """
    n_edges, k = _check(n_edges, k)
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.integer):
        raise TypeError(f"x must be integer counts, got dtype {x.dtype}")
    lo, hi = max(0, 2 * k - n_edges), k
    inside = (x >= lo) & (x <= hi)
    xs = np.where(inside, x, lo).astype(np.float64)
    value = _lbinom(k, xs) + _lbinom(n_edges - k, k - xs) - _lbinom(n_edges, k)
    return np.where(inside, value, -np.inf)


def random_overlap_logsf(x: int | np.ndarray, n_edges: int, k: int) -> np.ndarray:
    """Natural log of the upper tail ``P(X >= x)`` (note: ``>=``, not scipy's ``>``).

    Summed in log space (reverse cumulative log-sum-exp), so tails far below
    the smallest double (e.g. ``1e-600``) are returned as finite logs.

    Examples
    --------
    >>> float(np.exp(random_overlap_logsf(0, 10, 3)))
    1.0
    >>> round(float(random_overlap_logsf(354, 78400, 883) / np.log(10)))  # log10 P
    -470
    """
    n_edges, k = _check(n_edges, k)
    xs = np.atleast_1d(np.asarray(x))
    support = np.arange(max(0, 2 * k - n_edges), k + 1)
    logpmf = random_overlap_logpmf(support, n_edges, k)
    # reverse cumulative log-sum-exp: tail[j] = log sum_{i >= j} pmf[i]
    tail = np.logaddexp.accumulate(logpmf[::-1])[::-1]
    out = np.empty(xs.shape, dtype=np.float64)
    for idx, value in np.ndenumerate(xs):
        if value <= support[0]:
            out[idx] = 0.0
        elif value > support[-1]:
            out[idx] = -np.inf
        else:
            out[idx] = tail[int(value) - support[0]]
    return out if np.ndim(x) else out.reshape(())


def random_overlap_pmf_exact(x: int, n_edges: int, k: int) -> Fraction:
    """``P(X = x)`` as an exact rational.

    Examples
    --------
    >>> random_overlap_pmf_exact(1, 4, 2)
    Fraction(2, 3)
    """
    n_edges, k = _check(n_edges, k)
    x = check_int(x, "x", minimum=0)
    return Fraction(overlap_ways(n_edges, k, x), math.comb(n_edges, k))


def random_overlap_sf_exact(x: int, n_edges: int, k: int) -> Fraction:
    """``P(X >= x)`` as an exact rational.

    Examples
    --------
    >>> random_overlap_sf_exact(1, 4, 2)
    Fraction(5, 6)
    """
    n_edges, k = _check(n_edges, k)
    x = check_int(x, "x", minimum=0)
    numerator = sum(overlap_ways(n_edges, k, y) for y in range(x, k + 1))
    return Fraction(numerator, math.comb(n_edges, k))


@dataclass(frozen=True, repr=False)
class LayerShapeRow(Result):
    """The leading fields of a per-layer result row (:class:`AppendixC`,
    :class:`~topotheory.simulate.results.NullModelRow`): the layer's ``name``, ``n`` inputs,
    ``m`` outputs, ``n_edges`` edges and the ``k`` used (``n + m - 1`` by default)."""

    name: str
    n: int
    m: int
    n_edges: int
    k: int


@dataclass(frozen=True, repr=False)
class AppendixC(LayerShapeRow):
    """The four Appendix C probabilities for one layer, as ``log10`` values.

    Attributes
    ----------
    name, n, m, n_edges, k :
        The layer and its spanning-tree size.
    mean_overlap : float
        ``E[X] = k^2 / n_edges`` (hypergeometric mean count).
    mean_fraction : float
        ``k / n_edges``, the expected overlap fraction of the null.
    thresholds : dict
        ``{"exactly 5%": x, ...}``: the overlap counts used.
    log10_probability : dict
        ``{"exactly 5%": log10 P(X = x), "at least 5%": log10 P(X >= x), ...}``.
    """

    mean_overlap: float
    mean_fraction: float
    thresholds: dict[str, int]
    log10_probability: dict[str, float]


def appendix_c_probabilities(
    n: int,
    m: int,
    k: int | None = None,
    *,
    n_edges: int | None = None,
    percents: tuple[str, ...] = ("0.05", "0.40"),
    name: str = "",
) -> AppendixC:
    """The paper's four quoted probabilities (exactly / at least 5% and 40% of ``k``).

    Parameters
    ----------
    n, m : int
        Node counts; ``k`` defaults to ``n + m - 1``.
    n_edges : int, optional
        Edge count (default ``n*m``; a Toeplitz conv graph has fewer).
    percents : tuple of str
        Overlap fractions, as exact decimal strings.

    Examples
    --------
    >>> row = appendix_c_probabilities(100, 100)
    >>> row.thresholds["at least 5%"], round(row.log10_probability["at least 5%"], 2)
    (10, -2.19)
    """
    n = check_int(n, "n", minimum=1)
    m = check_int(m, "m", minimum=1)
    k = n + m - 1 if k is None else k
    n_edges = n * m if n_edges is None else n_edges
    n_edges, k = _check(n_edges, k)
    thresholds: dict[str, int] = {}
    logs: dict[str, float] = {}
    for text in percents:
        frac = Fraction(text)
        label = f"{float(frac) * 100:g}%"
        x_exact = x_tail = overlap_count_threshold(frac, k)
        thresholds[f"exactly {label}"] = x_exact
        thresholds[f"at least {label}"] = x_tail
        logs[f"exactly {label}"] = float(random_overlap_logpmf(x_exact, n_edges, k)) / _LN10
        logs[f"at least {label}"] = float(random_overlap_logsf(x_tail, n_edges, k)) / _LN10
    return AppendixC(
        name, n, m, n_edges, k, k * k / n_edges, k / n_edges, thresholds, logs
    )


def appendix_c_table(shapes: tuple[LayerShape, ...] = MNIST_LAYER_SHAPES) -> list[AppendixC]:
    """:func:`appendix_c_probabilities` for every layer shape (default: the MNIST models).

    Examples
    --------
    >>> [row.name for row in appendix_c_table()][:2]
    ['fcn.dense1', 'fcn.dense2']
    """
    return [
        appendix_c_probabilities(s.n, s.m, n_edges=s.n_edges, name=s.name) for s in shapes
    ]
