"""The reference recomputed under an alternative's changes, through the core functions.

The changes of an :class:`~topotheory.testing.alternatives.Alternative` are core keyword
arguments (``zero_weights``, ``essential``, ``p``, ...) or a step of the pipeline (the edge
``order``, the matrix ``layout``, the death ``values``); :func:`edge_key`,
:func:`forest_under`, :func:`diagram_under` and :func:`np_under` compute the forest, the
diagram and NP with them applied, through :mod:`topotheory.topology`.

Examples
--------
>>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
...             essential="drop", drop_zero_length=False)
>>> diagram_under(np.array([[2.0, 1.0]]), conv, order="min")[:, 1].tolist()
[0.5, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from topotheory.testing.alternatives import NP_OPTIONS
from topotheory.testing.conventions import TIE_RULES
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.persistence import np_normalizer


def present_edges(w: np.ndarray, mask: Any, zero_weights: str) -> np.ndarray:
    """Which edges exist: the mask (default all) without zeros under ``"absent"``."""
    present = np.ones(w.shape, dtype=bool) if mask is None else np.asarray(mask, bool)
    return present & (w != 0) if zero_weights == "absent" else present


def edge_key(w: np.ndarray, conv: dict, changes: dict) -> tuple[np.ndarray, np.ndarray]:
    """``(key, present)`` of the edges under ``changes`` (``order``, ``layout``, zero weights).

    The forest under the changes is the maximum spanning forest of ``key`` over ``present``;
    with ``layout="transposed"`` both are ``(n_in, m_out)``.
    """
    merged = {**conv, **changes}
    present = present_edges(w, merged.get("mask"), merged["zero_weights"])
    mags = np.abs(w)
    order = merged.get("order", "abs")
    if order == "min":
        key = np.where(present, mags.max() + 1.0 - mags, 0.0)
    elif order == "signed":
        key = np.where(present, w - w.min() + 1.0, 0.0)
    else:
        key = mags
    if merged.get("layout") == "transposed":
        return key.T, present.T
    return key, present


def tie_rule_forest(
    w: np.ndarray, tie_rule: str, *, mask: Any = None, zero_weights: str = "present"
) -> np.ndarray:
    """Sorted flat edges of the maximum forest under ``tie_rule`` (see :data:`TIE_RULES`).

    Examples
    --------
    >>> tie_rule_forest(np.ones((2, 2)), "descending_index").tolist()
    [1, 2, 3]
    """
    if tie_rule not in TIE_RULES:
        raise ValueError(
            f"tie_rule={tie_rule!r}: choose None (any maximum forest) or {tuple(TIE_RULES)}"
        )
    m, n = w.shape
    mask = None if mask is None else np.asarray(mask, bool)
    if tie_rule == "column_major":
        t = maximum_spanning_forest(
            w.T, mask=None if mask is None else mask.T, zero_weights=zero_weights
        ).edge_index
        flat = (t % m) * n + t // m
    elif tie_rule == "descending_index":
        flip = None if mask is None else mask[::-1, ::-1]
        flat = (
            m * n
            - 1
            - maximum_spanning_forest(
                w[::-1, ::-1], mask=flip, zero_weights=zero_weights
            ).edge_index
        )
    else:
        flat = maximum_spanning_forest(w, mask=mask, zero_weights=zero_weights).edge_index
    return np.sort(np.asarray(flat, dtype=np.int64))


def forest_under(w: np.ndarray, conv: dict, changes: dict) -> tuple[np.ndarray, int]:
    """Flat edges (in ``w``'s indexing, tie-rule order) and component count under ``changes``."""
    key, present = edge_key(w, conv, {**changes, "layout": None})
    forest = maximum_spanning_forest(key, mask=present, zero_weights="present")
    return forest.edge_index, forest.n_components


def diagram_under(w: np.ndarray, conv: dict, **changes: Any) -> np.ndarray:
    """The ``(q, 2)`` diagram of ``w`` under ``conv`` with ``changes`` applied.

    ``changes`` may hold the options ``essential``, ``drop_zero_length``, ``zero_weights``
    and the bugs ``order`` (``"min"``, ``"signed"``) and ``values`` (``"signed_max"``,
    ``"signed"``, ``"raw"``).
    """
    merged = {**conv, **changes}
    order, values = merged.pop("order", "abs"), merged.pop("values", "abs")
    merged.pop("layout", None)
    if order == "abs" and values == "abs":
        return persistence_diagram(w, **merged).as_array()
    edges, n_components = forest_under(w, conv, changes)
    mags = np.abs(w).ravel()
    if values == "abs":
        deaths = mags[edges] / persistence_diagram(w, **merged).w_max
    elif values == "raw":
        deaths = mags[edges]
    else:
        top = float(w.max())
        if top <= 0:
            raise ValueError("no positive maximum")
        deaths = (w.ravel() if values == "signed" else mags)[edges] / top
    if merged["drop_zero_length"]:
        deaths = deaths[1.0 - deaths != 0]
    if merged["essential"] == "as_zero":
        deaths = np.concatenate([deaths, np.zeros(n_components)])
    return np.column_stack([np.ones(deaths.size), deaths])


def np_divisor(w: np.ndarray, conv: dict, p: float, normalize: str | None) -> float:
    """What NP of the layer ``w`` is divided by under ``normalize``
    (:func:`~topotheory.topology.persistence.np_normalizer`: 1, Rieck's bound or
    ``sqrt(|V| - 1)``).

    Examples
    --------
    >>> conv = dict(mask=None, zero_weights="present")
    >>> bool(np_divisor(np.array([[3.0, 1.0]]), conv, 2.0, "rieck_code") == np.sqrt(2))
    True
    """
    return np_normalizer(
        w, sum(w.shape), p, normalize, mask=conv["mask"], zero_weights=conv["zero_weights"]
    )


def p_norm(values: np.ndarray, p: float) -> float:
    """``||values||_p`` (0 for no values)."""
    if values.size == 0:
        return 0.0
    return float(np.max(values)) if np.isinf(p) else float(np.sum(values**p) ** (1.0 / p))


def np_under(w: np.ndarray, conv: dict, changes: dict, p: float, normalize: str | None) -> float:
    """NP of the diagram under ``changes``, with ``p``/``normalize`` from ``changes`` if set."""
    p, normalize = changes.get("p", p), changes.get("normalize", normalize)
    diagram = {k: v for k, v in changes.items() if k not in NP_OPTIONS}
    points = diagram_under(w, {k: v for k, v in conv.items() if k not in NP_OPTIONS}, **diagram)
    divisor = np_divisor(w, conv, p, normalize)
    return p_norm(points[:, 0] - points[:, 1], p) / divisor if divisor > 0 else float("nan")
