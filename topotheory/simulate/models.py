"""Random weight models for the Monte Carlo overlap study.

Each model draws a batch of dense layers in torch ``Linear`` layout
``(trials, m, n)`` from a :class:`numpy.random.Generator`. ``"iid"`` is not listed:
any iid continuous model gives a uniformly random weight order, which
:mod:`topotheory.simulate.montecarlo` samples directly without a matrix.

========================  ==============================================  =====================
name                      weights                                          exchangeable order?
========================  ==============================================  =====================
``gaussian``              ``N(0, 1)``                                      yes
``uniform``               ``U(-1, 1)``                                     yes
``student-t``             Student t, ``df`` (default 3)                    yes
``cauchy``                standard Cauchy                                  yes
``row-col-scaled``        ``r_i c_j Z_ij``, ``r, c ~ LogNormal(0, sigma)``  no (``sigma`` = 1)
``low-rank``              ``U V^T / sqrt(rank) + noise * Z``              no (rank 1, 0.1)
========================  ==============================================  =====================

The first four must reproduce the iid expectation exactly in law (a test checks it);
the last two break exchangeability and probe whether Theorem 3.3 survives structure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["WEIGHT_MODELS", "draw_weights", "model_names"]

Model = Callable[..., np.ndarray]


def _gaussian(rng: np.random.Generator, shape: tuple[int, int, int]) -> np.ndarray:
    return rng.standard_normal(shape)


def _uniform(rng: np.random.Generator, shape: tuple[int, int, int]) -> np.ndarray:
    return rng.uniform(-1.0, 1.0, shape)


def _student_t(rng: np.random.Generator, shape: tuple[int, int, int], df: float = 3.0) -> np.ndarray:
    if not df > 0:
        raise ValueError(f"df={df} must be > 0")
    return rng.standard_t(df, shape)


def _cauchy(rng: np.random.Generator, shape: tuple[int, int, int]) -> np.ndarray:
    return rng.standard_cauchy(shape)


def _row_col_scaled(
    rng: np.random.Generator, shape: tuple[int, int, int], sigma: float = 1.0
) -> np.ndarray:
    if not sigma >= 0:
        raise ValueError(f"sigma={sigma} must be >= 0")
    t, m, n = shape
    rows = rng.lognormal(0.0, sigma, (t, m, 1))
    cols = rng.lognormal(0.0, sigma, (t, 1, n))
    return rows * cols * rng.standard_normal(shape)


def _low_rank(
    rng: np.random.Generator, shape: tuple[int, int, int], rank: int = 1, noise: float = 0.1
) -> np.ndarray:
    if int(rank) != rank or rank < 1:
        raise ValueError(f"rank={rank} must be a positive integer")
    if not noise >= 0:
        raise ValueError(f"noise={noise} must be >= 0")
    t, m, n = shape
    u = rng.standard_normal((t, m, int(rank)))
    v = rng.standard_normal((t, n, int(rank)))
    return u @ v.transpose(0, 2, 1) / np.sqrt(rank) + noise * rng.standard_normal(shape)


#: Registry: model name -> ``f(rng, (trials, m, n), **params)``.
WEIGHT_MODELS: dict[str, Model] = {
    "gaussian": _gaussian,
    "uniform": _uniform,
    "student-t": _student_t,
    "cauchy": _cauchy,
    "row-col-scaled": _row_col_scaled,
    "low-rank": _low_rank,
}


def model_names() -> tuple[str, ...]:
    """Names accepted by ``simulate_overlap(model=...)``, ``"iid"`` first.

    Examples
    --------
    >>> model_names()[:3]
    ('iid', 'gaussian', 'uniform')
    """
    return ("iid", *WEIGHT_MODELS)


def draw_weights(
    model: str, rng: np.random.Generator, trials: int, n: int, m: int, **params: float
) -> np.ndarray:
    """Draw ``trials`` weight matrices of shape ``(m, n)`` from a named model.

    Examples
    --------
    >>> w = draw_weights("low-rank", np.random.default_rng(0), 2, 4, 3, rank=2)
    >>> w.shape
    (2, 3, 4)
    """
    if model not in WEIGHT_MODELS:
        raise ValueError(f"model={model!r} is unknown; choose one of {model_names()}")
    try:
        return WEIGHT_MODELS[model](rng, (trials, m, n), **params)
    except TypeError as error:
        raise TypeError(f"bad parameters {params} for model {model!r}: {error}") from error
