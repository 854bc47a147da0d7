"""The large-layer law of the top-k / MST overlap: a two-type branching-process fixed point.

Under exchangeable weights the top-k set of ``K_{n,m}`` is a uniformly random k-subset
``S`` of the ``n m`` edges and ``X = |top-k ∩ MST| / k = (n + m - comp(S)) / k``
(:mod:`topotheory.simulate.counting`). For large sides the random bipartite graph ``S``
is locally a two-type Poisson Galton-Watson tree with mean degrees ``la = k/n`` (input
side) and ``lb = k/m`` (output side). The probabilities ``r_a``, ``r_b`` that a vertex
lies outside the giant component solve

    r_a = exp(-la (1 - r_b)),    r_b = exp(-lb (1 - r_a)),

the components outside the giant are trees (one more vertex than edges), so
``comp(S) ≈ n r_a + m r_b - k r_a r_b`` and

    X_law(n, m) = (n + m - n r_a - m r_b + k r_a r_b) / k.

This module evaluates the law at the layer's own ``la``, ``lb`` (not at their limits),
vectorised over shapes, and combines it with exact counting in
:func:`predicted_overlap`. The symbolic statement is
:mod:`topotheory.theory.overlap_limit`; the accuracy checks are
:mod:`topotheory.simulate.overlap_limit_checks`.

Examples
--------
>>> round(float(overlap_limit(100, 100)), 4)  # Monte Carlo: 0.8402 [0.8383, 0.8422]
0.8405
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass
from fractions import Fraction

import numpy as np

from topotheory.result import Result
from topotheory.simulate._validation import check_shape

__all__ = [
    "CORRECTED_ERROR_CONSTANT",
    "CORRECTED_MIN_SIDE",
    "CORRECTION_FIT_SHAPES",
    "FINITE_SIZE_COEFFICIENTS",
    "LAW_ERROR_CONSTANT",
    "LAW_MIN_SIDE",
    "OverlapPrediction",
    "extinction_probabilities",
    "extinction_probabilities_iterated",
    "finite_size_term",
    "limit_summary",
    "overlap_limit",
    "overlap_limit_corrected",
    "predicted_overlap",
]

#: ``|E[X] - overlap_limit(n, m)| <= LAW_ERROR_CONSTANT / min(n, m)``, measured (see
#: :func:`topotheory.simulate.overlap_limit_checks.law_error_table` and docs/simulate.md).
LAW_ERROR_CONSTANT = 0.25
#: Smallest side from which :func:`predicted_overlap` uses the law instead of refusing.
LAW_MIN_SIDE = 2
#: Finite-size correction ``E[X] ≈ law + phi(t) / s + psi(t) / s^2``, ``s = min(n, m)``,
#: ``t = s / max(n, m)``: the coefficients of ``phi`` and ``psi`` (powers ``t^0..t^3``),
#: least squares on the exact values of :data:`CORRECTION_FIT_SHAPES`
#: (:func:`topotheory.simulate.overlap_limit_checks.fit_finite_size_correction`).
#: ``phi(0) = 0.1820`` agrees with the analytic thin-layer value ``e^{-1}/2 = 0.1839``.
FINITE_SIZE_COEFFICIENTS: tuple[tuple[float, ...], tuple[float, ...]] = (
    (0.182049, -0.791297, 1.027796, -0.470724),
    (0.050625, -0.223708, 0.512333, -0.169427),
)
#: ``|E[X] - overlap_limit_corrected(n, m)| <= CORRECTED_ERROR_CONSTANT / min(n, m)`` for
#: ``min(n, m) >= CORRECTED_MIN_SIDE`` (measured: 0.0053 in sample, 0.0185 out of sample).
CORRECTED_ERROR_CONSTANT = 0.025
CORRECTED_MIN_SIDE = 6
#: The 55 shapes (``min(n, m) >= 6``) whose exact ``E[X]`` fixed the coefficients.
CORRECTION_FIT_SHAPES: tuple[tuple[int, int], ...] = tuple(
    [(6, m) for m in range(6, 37)] + [(6, 60), (6, 90), (7, 70)]
    + [(8, m) for m in (8, 16, 24, 32, 64, 80)] + [(10, m) for m in (10, 20, 30, 40)]
    + [(12, m) for m in (12, 18, 24, 36)] + [(14, 14), (14, 28), (16, 16), (16, 32), (18, 18),
                                              (20, 20), (20, 30)]
)

_NEWTON_MAX_ITER = 200


def _shape_arrays(n: object, m: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``n``, ``m`` (integers >= 1, scalars or arrays) and broadcast them."""
    arrays = []
    for name, value in (("n", n), ("m", m)):
        arr = np.asarray(value)
        if arr.dtype == bool or arr.dtype.kind not in "iu":
            if arr.dtype.kind == "f" and arr.size and np.all(np.isfinite(arr)) and np.all(
                arr == np.round(arr)
            ):
                arr = arr.astype(np.int64)
            else:
                raise TypeError(
                    f"{name} must be an integer or an array of integers, got {value!r} "
                    f"(dtype {arr.dtype}); pass whole layer sizes"
                )
        if arr.size and arr.min() < 1:
            raise ValueError(
                f"{name} must be >= 1, got {value!r}; pass positive layer sizes"
            )
        arrays.append(arr.astype(np.float64))
    try:
        a, b = np.broadcast_arrays(*arrays)
    except ValueError as error:
        raise ValueError(
            f"n and m must broadcast to one shape, got {np.shape(n)} and {np.shape(m)}"
        ) from error
    return a, b


def _solve(la: np.ndarray, lb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Survival fixed point by Newton on ``h(s) = s - F(s)``, monotone from ``s = 1``.

    ``s = 1 - r_a`` solves ``s = F(s) = 1 - exp(-la (1 - exp(-lb s)))``. ``F`` is
    increasing and concave with ``F(0) = 0`` and ``F'(0) = la lb``, so for ``la lb > 1``
    ``h`` is convex with ``h(1) > 0`` and a single positive root; Newton from ``s = 1``
    decreases monotonically to it (never overshoots). For ``la lb <= 1`` the root is 0.
    """
    s = np.ones_like(la)
    supercritical = la * lb > 1.0
    for _ in range(_NEWTON_MAX_ITER):
        eb = np.exp(-lb * s)
        ea = np.exp(-la * (1.0 - eb))
        h = s - (1.0 - ea)
        dh = 1.0 - la * lb * ea * eb
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(supercritical & (dh > 0), h / dh, 0.0)
        step = np.clip(step, 0.0, s)
        s = s - step
        if not np.any(step > 1e-16 * np.maximum(s, 1e-300)):
            break
    s = np.where(supercritical, s, 0.0)
    r_a = 1.0 - s
    r_b = np.exp(-lb * s)
    return r_a, r_b


def extinction_probabilities(
    n: object, m: object
) -> tuple[np.ndarray, np.ndarray]:
    """``(r_a, r_b)``: the fixed point at ``la = k/n``, ``lb = k/m``, ``k = n + m - 1``.

    ``r_a`` (``r_b``) is the probability that an input (output) vertex is outside the
    giant component in the branching-process approximation. Vectorised over broadcast
    arrays of shapes.

    Parameters
    ----------
    n, m : int or array of int
        Layer sizes (>= 1).

    Returns
    -------
    r_a, r_b : ndarray of float64

    Examples
    --------
    >>> r_a, r_b = extinction_probabilities(1000, 1000)
    >>> round(float(r_a), 4), bool(r_a == r_b)
    (0.2035, True)
    """
    a, b = _shape_arrays(n, m)
    k = a + b - 1.0
    return _solve(k / a, k / b)


def extinction_probabilities_iterated(
    n: int, m: int, *, tol: float = 1e-15, max_iter: int = 1_000_000
) -> tuple[float, float]:
    """The same fixed point by plain iteration from ``r = 0`` (slow oracle, pure python).

    Iterating ``r_a <- exp(-la (1 - r_b))``, ``r_b <- exp(-lb (1 - r_a))`` from 0 increases
    monotonically to the smallest fixed point, which is the extinction probability.

    Examples
    --------
    >>> r_a, r_b = extinction_probabilities_iterated(3, 7)
    >>> 0 < r_a < r_b < 1
    True
    """
    n, m, k = check_shape(n, m)
    la, lb = k / n, k / m
    r_a = r_b = 0.0
    for _ in range(max_iter):
        new_a = math.exp(-la * (1.0 - r_b))
        new_b = math.exp(-lb * (1.0 - new_a))
        if abs(new_a - r_a) <= tol and abs(new_b - r_b) <= tol:
            return new_a, new_b
        r_a, r_b = new_a, new_b
    raise RuntimeError(f"no convergence in {max_iter} iterations for {n}x{m}")


def _solve_scalar(la: float, lb: float) -> tuple[float, float]:
    """:func:`_solve` for one shape in plain floats (no numpy call overhead)."""
    if la * lb <= 1.0:
        return 1.0, 1.0
    s = 1.0
    for _ in range(_NEWTON_MAX_ITER):
        eb = math.exp(-lb * s)
        ea = math.exp(-la * (1.0 - eb))
        dh = 1.0 - la * lb * ea * eb
        step = min(max((s - (1.0 - ea)) / dh, 0.0), s) if dh > 0 else 0.0
        s -= step
        if step <= 1e-16 * s:
            break
    return 1.0 - s, math.exp(-lb * s)


def _law(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    k = a + b - 1.0
    if a.ndim == 0:
        r_a, r_b = _solve_scalar(float(k / a), float(k / b))
    else:
        r_a, r_b = _solve(k / a, k / b)
    return (a + b - a * r_a - b * r_b + k * r_a * r_b) / k


def _as_output(value: np.ndarray) -> np.ndarray | float:
    return float(value) if value.ndim == 0 else value


def overlap_limit(n: object, m: object) -> np.ndarray | float:
    """The branching-process law ``X_law(n, m)`` of ``E[X]``, ``k = n + m - 1``.

    Parameters
    ----------
    n, m : int or array of int
        Layer sizes (>= 1); arrays are broadcast and evaluated together.

    Returns
    -------
    float or ndarray of float64
        ``(n + m - n r_a - m r_b + k r_a r_b) / k`` with ``(r_a, r_b)`` from
        :func:`extinction_probabilities`. Accurate to ``LAW_ERROR_CONSTANT / min(n, m)``
        (measured); the limit of square layers is ``1 - r + r^2 = 0.83810`` with
        ``r = -W(-2 e^{-2}) / 2``.

    Examples
    --------
    >>> overlap_limit([784, 100, 300], [100, 10, 100]).round(4)
    array([0.713 , 0.7007, 0.7898])
    """
    a, b = _shape_arrays(n, m)
    return _as_output(_law(a, b))


def _poly(coefficients: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    out = np.zeros_like(t)
    for power, coefficient in enumerate(coefficients):
        out = out + coefficient * t**power
    return out


def finite_size_term(
    n: object, m: object, coefficients: tuple[tuple[float, ...], tuple[float, ...]] | None = None
) -> np.ndarray | float:
    """``phi(t) / s + psi(t) / s^2`` with ``s = min(n, m)``, ``t = s / max(n, m)``.

    Examples
    --------
    >>> round(float(finite_size_term(20, 20)), 5)
    -0.00218
    """
    phi, psi = FINITE_SIZE_COEFFICIENTS if coefficients is None else coefficients
    a, b = _shape_arrays(n, m)
    low, high = np.minimum(a, b), np.maximum(a, b)
    t = low / high
    return _as_output(_poly(phi, t) / low + _poly(psi, t) / low**2)


def overlap_limit_corrected(n: object, m: object) -> np.ndarray | float:
    """The law plus the fitted finite-size term (:func:`finite_size_term`).

    Accurate to ``CORRECTED_ERROR_CONSTANT / min(n, m)`` for ``min(n, m) >= 6``
    (measured, see docs/simulate.md).

    Examples
    --------
    >>> abs(overlap_limit_corrected(20, 20) - 0.8478865) < 2e-4  # the exact value
    True
    """
    a, b = _shape_arrays(n, m)
    return _as_output(_law(a, b) + np.asarray(finite_size_term(a, b)))


@dataclass(frozen=True, repr=False)
class OverlapPrediction(Result):
    """What :func:`predicted_overlap` returns.

    Attributes
    ----------
    n, m, k : int
    value : float
        Predicted ``E[X]``.
    source : str
        ``"exact"`` (counting, :func:`~topotheory.simulate.counting.exact_expected_overlap`)
        or ``"law+correction"`` (:func:`overlap_limit_corrected`).
    error_bound : float
        0 for exact values, else the measured bound ``CORRECTED_ERROR_CONSTANT / min(n, m)``
        (``min(n, m) >= 6``) or ``LAW_ERROR_CONSTANT / min(n, m)`` (smaller sides), see
        docs/simulate.md.
    exact : Fraction or None
        The exact value when ``source == "exact"``.
    """

    n: int
    m: int
    k: int
    value: float
    source: str
    error_bound: float
    exact: Fraction | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly fields."""
        return {**asdict(self), "exact": None if self.exact is None else str(self.exact)}


def predicted_overlap(n: int, m: int, *, exact_max_edges: int = 400) -> OverlapPrediction:
    """``E[X]`` for ``k = n + m - 1``: exact where counting is cheap, else the corrected law.

    Parameters
    ----------
    n, m : int
        Layer sizes (>= 1).
    exact_max_edges : int, default 400
        Use exact counting when ``n m <= exact_max_edges`` (400 edges take < 0.5 s), or
        when ``min(n, m) = 1`` (then ``X = 1``).

    Examples
    --------
    >>> predicted_overlap(3, 3).source, predicted_overlap(3, 3).exact
    ('exact', Fraction(13, 14))
    >>> p = predicted_overlap(784, 100)
    >>> p.source, round(p.value, 3)
    ('law+correction', 0.714)
    """
    n, m, k = check_shape(n, m)
    if isinstance(exact_max_edges, bool) or not isinstance(exact_max_edges, numbers.Integral):
        raise TypeError(f"exact_max_edges must be an int, got {exact_max_edges!r}")
    if min(n, m) == 1 or n * m <= exact_max_edges:
        from topotheory.simulate.counting import exact_expected_overlap

        # a star K_{1,m}: the top-k set is all m edges, a spanning tree, so X = 1
        exact = Fraction(1) if min(n, m) == 1 else exact_expected_overlap(n, m)
        return OverlapPrediction(n, m, k, float(exact), "exact", 0.0, exact)
    value = float(overlap_limit_corrected(n, m))
    side = min(n, m)
    constant = CORRECTED_ERROR_CONSTANT if side >= CORRECTED_MIN_SIDE else LAW_ERROR_CONSTANT
    return OverlapPrediction(n, m, k, value, "law+correction", constant / side)


def limit_summary(n: int, m: int, k: int | None = None) -> dict[str, object] | None:
    """The law next to an estimate, as the CLI reports it (``None`` when it does not apply).

    The law is stated for ``k = n + m - 1`` and ``min(n, m) >= LAW_MIN_SIDE``; the fields
    are the raw law, the finite-size-corrected value and the measured error bound of the
    raw law.

    Examples
    --------
    >>> s = limit_summary(100, 100)
    >>> round(s["law"], 4), s["error_bound"]
    (0.8405, 0.0025)
    >>> limit_summary(1, 100) is None, limit_summary(10, 10, k=5) is None
    (True, True)
    """
    n, m, k = check_shape(n, m, k)
    if k != n + m - 1 or min(n, m) < LAW_MIN_SIDE:
        return None
    return {
        "law": float(overlap_limit(n, m)),
        "corrected": float(overlap_limit_corrected(n, m)),
        "error_bound": LAW_ERROR_CONSTANT / min(n, m),
        "model": "exchangeable weights (iid), dense layer or uniformly random support",
    }
