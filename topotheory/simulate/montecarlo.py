"""Monte Carlo estimates of the top-k / MST overlap, with intervals and seeds.

``model="iid"`` (any exchangeable continuous weights) never builds a matrix: the
top-k set is a uniform k-subset of the ``n*m`` edges, drawn with Robert Floyd's
algorithm from exact integer draws of a :class:`numpy.random.Generator`, and its
rank (= ``|top-k ∩ MST|``) is counted by a numba union-find. Other models
(:mod:`topotheory.simulate.models`) draw the matrices and count the overlap
with the topology core's ``topotheory.topk_mst_overlap`` (tie rule: ``|w|``
descending, flat index ascending) through :func:`matrix_overlap_counts`.

Sparse layers (Corollary 3.4, ``rho < 1``): the support is a uniformly random set of
``round(rho * n * m)`` edges, weights on it come from the model, and only connected
supports are kept (the corollary assumes connectivity); the number of draws needed
is reported as ``attempts``, so the conditioning is visible.

Determinism: the same ``seed`` (and arguments) gives byte-identical counts. Chunk
sizes depend only on the shape and ``k``, never on timing or on ``trials``, so a run
with more trials extends a shorter one with the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from fractions import Fraction

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from topotheory.errors import InputError, InputTypeError
from topotheory.limits import check_allocation
from topotheory.result import Result
from topotheory.simulate import _kernels
from topotheory.simulate._validation import check_int, check_shape
from topotheory.simulate.models import draw_weights, model_names
from topotheory.simulate.stats import DEFAULT_ALPHA, Estimate, estimate_mean

__all__ = [
    "OverlapSimulation",
    "conv2d_toeplitz_edges",
    "iid_graph_overlap_counts",
    "iid_overlap_counts",
    "matrix_overlap_counts",
    "simulate_overlap",
    "simulate_random_overlap",
]

#: Largest ``n*m`` simulated: every path allocates arrays of ``n*m`` 8-byte entries (the
#: iid sampler's edge list, the weight models' matrices), so this caps each at 1 GiB.
MAX_SIMULATE_EDGES = 1 << 27
_MAX_ATTEMPT_FACTOR = 100  # give up when fewer than 1 in 100 sparse supports is connected


Seed = int | tuple[int, ...] | np.random.Generator


def _generator(seed: Seed | None) -> tuple[np.random.Generator, int | tuple[int, ...] | None]:
    """A Generator from an int seed, a tuple of ints (SeedSequence entropy) or a Generator."""
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        raise ValueError("seed is required (an int or a numpy Generator) so runs are reproducible")
    if isinstance(seed, tuple):
        parts = tuple(check_int(s, "seed", minimum=0) for s in seed)
        if not parts:
            raise ValueError("a seed tuple needs at least one int")
        return np.random.default_rng(parts), parts
    seed = check_int(seed, "seed", minimum=0)
    return np.random.default_rng(seed), seed


def iid_overlap_counts(
    n: int, m: int, trials: int, seed: Seed, k: int | None = None
) -> np.ndarray:
    """Overlap counts ``|top-k ∩ MST|`` for ``trials`` exchangeable weight orders.

    Examples
    --------
    >>> iid_overlap_counts(2, 2, 5, seed=0)  # three edges of a 4-cycle: always a tree
    array([3, 3, 3, 3, 3])
    """
    n, m, k = check_shape(n, m, k)
    trials = check_int(trials, "trials", minimum=1)
    rng, _ = _generator(seed)
    edges = np.arange(n * m, dtype=np.int64)
    ends_u = (edges % n).astype(np.int32)
    ends_v = (n + edges // n).astype(np.int32)
    return _floyd_counts(ends_u, ends_v, n + m, k, trials, rng)


def _floyd_counts(
    ends_u: np.ndarray, ends_v: np.ndarray, n_nodes: int, k: int, trials: int,
    rng: np.random.Generator,
) -> np.ndarray:
    highs = _floyd_highs(ends_u.shape[0], k)

    def counts(size: int) -> np.ndarray:
        draws = rng.integers(0, highs, size=(size, k), dtype=np.int64)
        return _kernels.floyd_topk_ranks(draws, ends_u, ends_v, n_nodes, k)

    return _in_chunks(trials, max(1, min(8192, (1 << 21) // k)), counts)


def _floyd_highs(n_edges: int, k: int) -> np.ndarray:
    """Upper bounds of Floyd's sampling of ``k`` of ``n_edges`` items (one per step)."""
    return np.arange(n_edges - k + 1, n_edges + 1, dtype=np.int64)


def _in_chunks(trials: int, chunk: int, counts) -> np.ndarray:
    """``trials`` int64 counts made by ``counts(size)`` in batches of at most ``chunk``."""
    out = np.empty(trials, dtype=np.int64)
    for start in range(0, trials, chunk):
        size = min(chunk, trials - start)
        out[start : start + size] = counts(size)
    return out


def iid_graph_overlap_counts(
    ends_u: np.ndarray,
    ends_v: np.ndarray,
    n_nodes: int,
    trials: int,
    seed: Seed,
    k: int | None = None,
) -> np.ndarray:
    """Overlap counts for exchangeable weights on an arbitrary graph (edge list).

    Used for graphs that are not complete bipartite, e.g. the Toeplitz graph of a
    convolution (:func:`conv2d_toeplitz_edges`). ``k`` defaults to the spanning-forest
    size of the graph.

    Examples
    --------
    >>> u, v = np.array([0, 1, 2]), np.array([1, 2, 0])  # a triangle
    >>> iid_graph_overlap_counts(u, v, 3, 4, seed=0, k=3)  # any 3 edges: one cycle
    array([2, 2, 2, 2])
    """
    ends_u = np.ascontiguousarray(ends_u, dtype=np.int32)
    ends_v = np.ascontiguousarray(ends_v, dtype=np.int32)
    if ends_u.ndim != 1 or ends_u.shape != ends_v.shape or ends_u.size == 0:
        raise ValueError("ends_u and ends_v must be non-empty 1-D arrays of equal length")
    n_nodes = check_int(n_nodes, "n_nodes", minimum=1)
    if ends_u.min() < 0 or max(ends_u.max(), ends_v.max()) >= n_nodes:
        raise ValueError(f"edge endpoints must lie in 0..n_nodes-1 = {n_nodes - 1}")
    trials = check_int(trials, "trials", minimum=1)
    if k is None:
        graph = coo_matrix(
            (np.ones(ends_u.size), (ends_u, ends_v)), shape=(n_nodes, n_nodes)
        )
        k = n_nodes - int(connected_components(graph, directed=False)[0])
    k = check_int(k, "k", minimum=1)
    if k > ends_u.size:
        raise ValueError(f"k={k} exceeds the {ends_u.size} edges of the graph")
    rng, _ = _generator(seed)
    return _floyd_counts(ends_u, ends_v, n_nodes, k, trials, rng)


def conv2d_toeplitz_edges(
    height: int, width: int, kernel: int = 3, padding: int = 1
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Edge list of the Toeplitz graph of one channel pair of a stride-1 2-D convolution.

    Inputs are the ``(height + 2 padding) x (width + 2 padding)`` padded positions
    (nodes ``0..N_in-1``), outputs the ``o_h x o_w`` positions (nodes ``N_in..``), and
    output ``(r, c)`` is joined to input ``(r + dr, c + dc)`` for ``dr, dc < kernel``.

    Returns
    -------
    ends_u, ends_v : ndarray of int32
        Input and output node of each of the ``kernel^2 * N_out`` edges.
    n_inputs, n_outputs : int

    Examples
    --------
    >>> u, v, n_in, n_out = conv2d_toeplitz_edges(28, 28)
    >>> u.size, n_in, n_out   # 9 * 784 edges, TCCR = 7056 / 1683 = 4.19251
    (7056, 900, 784)
    """
    ph, pw = height + 2 * padding, width + 2 * padding
    oh, ow = ph - kernel + 1, pw - kernel + 1
    if oh < 1 or ow < 1:
        raise ValueError("kernel larger than the padded input; reduce kernel or add padding")
    r, c, dr, dc = np.meshgrid(
        np.arange(oh), np.arange(ow), np.arange(kernel), np.arange(kernel), indexing="ij"
    )
    ends_u = ((r + dr) * pw + (c + dc)).ravel().astype(np.int32)
    ends_v = (ph * pw + r * ow + c).ravel().astype(np.int32)
    return ends_u, ends_v, ph * pw, oh * ow


def simulate_random_overlap(
    n_edges: int, k: int, trials: int, seed: Seed
) -> np.ndarray:
    """Overlap counts of two independent uniform k-subsets of ``n_edges`` (Appendix C null).

    Examples
    --------
    >>> simulate_random_overlap(5, 5, 3, seed=0)
    array([5, 5, 5])
    """
    n_edges = check_int(n_edges, "n_edges", minimum=1)
    k = check_int(k, "k", minimum=1)
    if k > n_edges:
        raise ValueError(f"k={k} exceeds n_edges={n_edges}")
    trials = check_int(trials, "trials", minimum=1)
    rng, _ = _generator(seed)
    highs = _floyd_highs(n_edges, k)

    def counts(size: int) -> np.ndarray:
        a = rng.integers(0, highs, size=(size, k), dtype=np.int64)
        b = rng.integers(0, highs, size=(size, k), dtype=np.int64)
        return _kernels.floyd_intersections(a, b, n_edges, k)

    return _in_chunks(trials, max(1, min(8192, (1 << 20) // k)), counts)


def matrix_overlap_counts(
    weights: np.ndarray, k: int | None = None, mask: np.ndarray | None = None
) -> np.ndarray:
    """Overlap counts of a batch of weight matrices, through the core's ``topk_mst_overlap``.

    Parameters
    ----------
    weights : ndarray, shape (trials, m, n) or (m, n)
        Torch ``Linear`` layout; input node ``j``, output node ``n + i``.
    k : int, optional
        Top-k size; default the spanning-forest size of each support.
    mask : ndarray of bool, same shape, optional
        True marks present edges; absent edges are never in the top-k or the forest.

    Returns
    -------
    ndarray of int64, shape (trials,)

    Examples
    --------
    >>> W = np.array([[3.0, 2.0], [1.0, 4.0]])  # edges e0..e3 with |w| 3, 2, 1, 4
    >>> int(matrix_overlap_counts(W, k=3)[0])  # top-3 = {e3, e0, e1}: a tree
    3
    """
    return _core_overlaps(weights, k, mask)[0]


def _core_overlaps(
    weights: np.ndarray, k: int | None, mask: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(overlap counts, spanning-forest sizes) of each matrix, from the topology core."""
    from topotheory.topology.overlap import topk_mst_overlap

    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 2:
        w = w[None]
        mask = None if mask is None else np.asarray(mask)[None]
    if w.ndim != 3:
        raise ValueError(f"weights must have shape (trials, m, n) or (m, n), got {np.shape(weights)}")
    counts = np.empty(w.shape[0], dtype=np.int64)
    forest = np.empty(w.shape[0], dtype=np.int64)
    for t in range(w.shape[0]):
        result = topk_mst_overlap(w[t], k, mask=None if mask is None else mask[t])
        counts[t] = result.count
        forest[t] = result.mst_size
    return counts, forest


@dataclass(frozen=True, repr=False)
class OverlapSimulation(Result):
    """Result of :func:`simulate_overlap`.

    Attributes
    ----------
    n, m, k : int
    model : str
    params : dict
        Model parameters used.
    rho : Fraction
        Edge density (1 = dense).
    seed : int, tuple of int or None
        The seed (None when a Generator was passed).
    trials : int
        Accepted trials (connected supports).
    attempts : int
        Draws made (``> trials`` only for sparse layers).
    counts : ndarray of int64
        ``|top-k ∩ MST|`` per accepted trial.
    estimate : Estimate
        Mean overlap fraction with its interval.
    """

    n: int
    m: int
    k: int
    model: str
    params: dict[str, float]
    rho: Fraction
    seed: int | tuple[int, ...] | None
    trials: int
    attempts: int
    counts: np.ndarray = field(repr=False)
    estimate: Estimate

    @property
    def fractions(self) -> np.ndarray:
        """Overlap fractions ``counts / k``."""
        return self.counts / self.k

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly summary (no per-trial counts)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "counts"}
        out.update(params=dict(self.params), rho=str(self.rho), estimate=self.estimate.as_dict())
        return out


def _connected_counts(draw_chunk, *, trials: int, chunk: int, support: int, forest_size: int):
    """Rejection sampling: call ``draw_chunk()`` (``chunk`` draws -> overlap counts, forest
    sizes) until ``trials`` draws with a spanning forest of ``forest_size`` edges (connected
    support) are kept; returns those counts and the number of draws made."""
    kept: list[np.ndarray] = []
    accepted = attempts = 0
    while accepted < trials:
        if attempts >= _MAX_ATTEMPT_FACTOR * trials + 1000:
            raise ValueError(
                f"only {accepted} of {attempts} random supports with {support} edges were "
                "connected; increase rho"
            )
        counts, forest = draw_chunk()
        good = counts[forest == forest_size]
        kept.append(good[: trials - accepted])
        accepted += min(good.size, trials - accepted)
        attempts += chunk
    return np.concatenate(kept), attempts


def _sparse_iid(n: int, m: int, k: int, support: int, trials: int, rng: np.random.Generator):
    n_edges = n * m
    lows = np.arange(support, dtype=np.int64)
    chunk = max(1, min(4096, (1 << 21) // support))

    def draw_chunk():
        draws = rng.integers(lows, n_edges, size=(chunk, support), dtype=np.int64)
        return _kernels.prefix_ranks(draws, n, m, k, support)

    return _connected_counts(draw_chunk, trials=trials, chunk=chunk, support=support,
                             forest_size=n + m - 1)


def _matrix_model(n, m, k, support, trials, rng, model, params):
    n_edges = n * m
    chunk = max(1, min(256, (1 << 18) // n_edges))

    def draw_chunk():
        weights = draw_weights(model, rng, chunk, n, m, **params)
        mask = None
        if support < n_edges:
            keys = rng.random((chunk, n_edges))
            cut = np.partition(keys, support - 1, axis=1)[:, support - 1 : support]
            mask = (keys <= cut).reshape(chunk, m, n)
        return _core_overlaps(weights, k, mask)

    return _connected_counts(draw_chunk, trials=trials, chunk=chunk, support=support,
                             forest_size=n + m - 1)


def simulate_overlap(
    n: int,
    m: int,
    *,
    trials: int,
    seed: Seed,
    model: str = "iid",
    k: int | None = None,
    rho: object = 1,
    confidence: float = 1 - DEFAULT_ALPHA,
    ci_method: str = "bernstein",
    **params: float,
) -> OverlapSimulation:
    """Estimate ``E[X]``, ``X = |top-k ∩ MST| / k``, under a random weight model.

    Parameters
    ----------
    n, m : int
        Input and output node counts.
    trials : int
        Number of (accepted) random layers.
    seed : int, tuple of int, or numpy.random.Generator
        Same seed -> byte-identical counts (a tuple is SeedSequence entropy, e.g.
        ``(seed, n, m)`` for one independent stream per shape).
    model : str
        ``"iid"`` (fast, no matrix) or a name in :data:`~topotheory.simulate.models.WEIGHT_MODELS`.
    k : int, optional
        Top-k size, default ``n + m - 1``.
    rho : number, default 1
        Fraction of edges present (Corollary 3.4); the support has ``round(rho*n*m)``
        edges and is conditioned on being connected.
    confidence : float, default 0.999
        Two-sided confidence of the reported interval.
    ci_method : {"bernstein", "hoeffding", "student-t"}
    **params
        Model parameters (``df``, ``sigma``, ``rank``, ``noise``).

    Returns
    -------
    OverlapSimulation

    Examples
    --------
    >>> sim = simulate_overlap(10, 10, trials=2000, seed=0)
    >>> sim.estimate.ci_low < 0.8582 < sim.estimate.ci_high  # exact value 0.85817...
    True
    """
    n, m, k = check_shape(n, m, k)
    if n * m > MAX_SIMULATE_EDGES:
        raise ValueError(
            f"n*m = {n * m:,} edges exceeds the {MAX_SIMULATE_EDGES:,} that fit in memory "
            "(arrays of n*m entries are allocated); pass smaller n or m"
        )
    check_allocation(n * m * 32, what=f"Monte Carlo arrays of the {n}x{m} layer",
                     argument="n", value=n, fix="give smaller n or m")
    trials = check_int(trials, "trials", minimum=2)
    if model not in model_names():
        raise ValueError(f"model={model!r} is unknown; choose one of {model_names()}")
    if model == "iid" and params:
        raise InputTypeError(
            f"model 'iid' takes no parameters, got {sorted(params)}", argument="param",
            value=sorted(params), fix="drop them, or choose a model that takes them",
        )
    density = Fraction(rho) if not isinstance(rho, float) else Fraction(str(rho))
    if not 0 < density <= 1:
        raise InputError("must lie in (0, 1]", argument="rho", value=str(rho),
                         fix="give e.g. 0.5 or 1/3")
    support = int(round(density * n * m))
    if support < n + m - 1:
        raise ValueError(
            f"rho={rho} leaves {support} edges, fewer than a spanning tree needs "
            f"({n + m - 1}); increase rho"
        )
    if k > support:
        raise ValueError(f"k={k} exceeds the {support} edges present; lower k or raise rho")
    rng, int_seed = _generator(seed)
    if model == "iid" and support == n * m:
        counts, attempts = iid_overlap_counts(n, m, trials, rng, k), trials
    elif model == "iid":
        counts, attempts = _sparse_iid(n, m, k, support, trials, rng)
    else:
        counts, attempts = _matrix_model(n, m, k, support, trials, rng, model, params)
    counts.setflags(write=False)
    estimate = estimate_mean(
        counts / k,
        confidence=confidence,
        method=ci_method,
        mean_exact=Fraction(int(counts.sum()), trials * k),
    )
    return OverlapSimulation(
        n, m, k, model, dict(params), density, int_seed, trials, attempts, counts, estimate
    )

