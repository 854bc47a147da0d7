"""One table of alternative conventions and classic bugs, computed with the core functions.

:data:`ALTERNATIVES` maps a name to an :class:`Alternative`: the ``changes`` it makes to the
reference computation (core keyword arguments such as ``zero_weights``, or a step of the
pipeline: the edge ``order``, the matrix ``layout``, the death ``values``), when it
``applies``, the ``hint`` that names it and its ``prior`` (lower: more common). The hint
search of every kind reads this table (networkx's ``ALGORITHMS`` dict is the model);
:func:`edge_key`, :func:`forest_under`, :func:`diagram_under` and :func:`np_under` compute
the reference with changes applied, through :mod:`topotheory.topology`.

Examples
--------
>>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
...             essential="drop", drop_zero_length=False)
>>> diagram_under(np.array([[2.0, 1.0]]), conv, order="min")[:, 1].tolist()
[0.5, 1.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.testing.conventions import PRESETS, TIE_RULES, preset_named
from topotheory.testing.readers import plain
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.persistence import layer_magnitude_range

_OTHER = {"present": "absent", "absent": "present", "drop": "as_zero", "as_zero": "drop"}
_WHAT = {
    "drop": "omits the essential class",
    "as_zero": "keeps the essential class as the point (1, 0)",
}


@dataclass(frozen=True)
class Alternative:
    """A convention or bug: its changes, when it applies, its hint and its prior."""

    key: str
    changes: Callable[[dict], dict]
    hint: Callable[[dict, np.ndarray], str]
    applies: Callable[[np.ndarray, dict], bool] = lambda w, conv: True
    prior: int = 5


def _signed_differs(w: np.ndarray, conv: dict) -> bool:
    return bool(0 < w.max() != np.abs(w).max())


ALTERNATIVES: dict[str, Alternative] = {
    "zero_weights": Alternative(
        "zero_weights",
        lambda c: {"zero_weights": _OTHER[c["zero_weights"]]},
        lambda c, w: (
            f"treats zero weights as {_OTHER[c['zero_weights']]} (zero_weights="
            f"{_OTHER[c['zero_weights']]!r}); the convention here is zero_weights={c['zero_weights']!r}"
        ),
        lambda w, c: bool((w == 0).any()),
        prior=1,
    ),
    "essential": Alternative(
        "essential",
        lambda c: {"essential": _OTHER[c["essential"]]},
        lambda c, w: (
            f"{_WHAT[_OTHER[c['essential']]]} (essential={_OTHER[c['essential']]!r}), "
            f"but the convention here is essential={c['essential']!r} ({_WHAT[c['essential']]})"
        ),
        prior=1,
    ),
    "drop_zero_length": Alternative(
        "drop_zero_length",
        lambda c: {"drop_zero_length": not c["drop_zero_length"]},
        lambda c, w: (
            f"{'keeps' if c['drop_zero_length'] else 'drops'} zero-length points "
            "(birth == death, e.g. the point (1, 1) of the largest edge); the convention here is "
            f"drop_zero_length={c['drop_zero_length']}"
        ),
        prior=2,
    ),
    "minimum_forest": Alternative(
        "order",
        lambda c: {"order": "min"},
        lambda c, w: (
            "computes a MINIMUM spanning forest (e.g. networkx minimum_spanning_tree "
            "or scipy minimum_spanning_tree on |w|); the filtration is super-level (largest |w| "
            "first), so the forest must be maximum (use maximum_spanning_tree, or the minimum tree "
            "of -|w|)"
        ),
        prior=2,
    ),
    "signed_order": Alternative(
        "order",
        lambda c: {"order": "signed"},
        lambda c, w: "orders edges by the signed weight w instead of |w| (a missing abs())",
        lambda w, c: bool((w < 0).any()),
        prior=2,
    ),
    "transposed": Alternative(
        "layout",
        lambda c: {"layout": "transposed"},
        lambda c, w: (
            "uses the transposed layout (weights as (n_in, m_out), or column-major "
            "flat indices j_in * m_out + i_out); topotheory uses torch Linear layout (m_out, "
            "n_in), flat index i_out * n_in + j_in"
        ),
        lambda w, c: min(w.shape) > 1,
        prior=3,
    ),
    "signed_maximum": Alternative(
        "values",
        lambda c: {"values": "signed_max"},
        lambda c, w: (
            f"normalises by the signed maximum max(w) = {float(w.max()):.6g} instead "
            f"of max|w| = {float(np.abs(w).max()):.6g} (a missing abs())"
        ),
        _signed_differs,
        prior=1,
    ),
    "signed_values": Alternative(
        "values",
        lambda c: {"values": "signed"},
        lambda c, w: "uses the signed weights w / max(w) instead of |w| / max|w| (a missing abs())",
        _signed_differs,
        prior=3,
    ),
    "unnormalised": Alternative(
        "values",
        lambda c: {"values": "raw"},
        lambda c, w: "does not normalise: its deaths are raw |w|, not w' = |w| / w_max",
        prior=3,
    ),
}

NORMALIZE_TEXT = {
    None: "nothing",
    "rieck_bound": "Rieck's Theorem 1 bound",
    "rieck_code": "sqrt(|V| - 1)",
}
#: The options of NP (not of its diagram) that the NP hints vary too.
NP_OPTIONS = ("p", "normalize")


def _option(key: str, value: Any, text: str) -> Alternative:
    """Another value of an NP option (applies where the claimed conventions hold the key)."""
    return Alternative(
        key,
        lambda c: {key: value},
        lambda c, w: (
            f"uses {text}; the convention here is {key}="
            + (f"{c[key]:g}" if key == "p" else repr(c[key]))
        ),
        lambda w, c: key in c and c[key] != value,
        prior=2,
    )


for _q in (1.0, 2.0, float("inf")):
    ALTERNATIVES[f"p={_q:g}"] = _option("p", _q, f"p={_q:g}")
for _o, _text in NORMALIZE_TEXT.items():
    ALTERNATIVES[f"normalize={_o!r}"] = _option(
        "normalize", _o, f"normalize={_o!r} (divides by {_text})"
    )
DIAGRAM_KEYS = ("zero_weights", "essential", "drop_zero_length", "order", "values")


def change_sets(
    w: np.ndarray, conv: dict, keys: tuple[str, ...] = DIAGRAM_KEYS
) -> Iterator[tuple[tuple[str, ...], dict, int]]:
    """Every applicable alternative of ``keys`` alone and in pairs (different keys).

    Yields ``(names, changes, prior)``; ``prior`` is the pair's summed prior.
    """
    atoms = [
        (name, alt)
        for name, alt in ALTERNATIVES.items()
        if alt.key in keys and alt.applies(w, conv)
    ]
    for count in (1, 2):
        for combo in itertools.combinations(atoms, count):
            if len({alt.key for _, alt in combo}) == count:
                changes: dict = {}
                for _, alt in combo:
                    changes.update(alt.changes(conv))
                yield tuple(n for n, _ in combo), changes, sum(alt.prior for _, alt in combo)


def describe(names: tuple[str, ...], conv: dict, w: np.ndarray, changes: dict) -> str:
    """The hint text of a change set, naming the preset it amounts to."""
    text = " AND ".join(ALTERNATIVES[n].hint(conv, w) for n in names)
    options = {
        k: conv[k]
        for k in ("zero_weights", "essential", "drop_zero_length", "p", "normalize")
        if k in conv
    }
    options.update({k: v for k, v in changes.items() if k in options})
    if len(names) > 1 and not {"order", "values", "layout"} & set(changes):
        name = preset_named(options)
        if name:
            text += f" -- together these are the preset conventions={name!r}: pass it"
    return text


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
    """What NP is divided by under ``normalize`` (1, Rieck's bound or ``sqrt(|V| - 1)``).

    Examples
    --------
    >>> conv = dict(mask=None, zero_weights="present")
    >>> bool(np_divisor(np.array([[3.0, 1.0]]), conv, 2.0, "rieck_code") == np.sqrt(2))
    True
    """
    n_nodes = sum(w.shape)
    if normalize == "rieck_code":
        return float(np.sqrt(n_nodes - 1)) if n_nodes > 1 else float("inf")
    if normalize == "rieck_bound":
        top, bottom = layer_magnitude_range(w, mask=conv["mask"], zero_weights=conv["zero_weights"])
        spread = (top - bottom) / top
        return spread * (n_nodes - 1) ** (1.0 / p) if not np.isinf(p) else spread
    return 1.0


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


def preset_changes(conv: dict, keys: tuple[str, ...]) -> Iterator[tuple[str, dict]]:
    """``(preset name, changes)`` per distinct preset (on ``keys``) that differs from ``conv``."""
    seen = [{k: conv.get(k) for k in keys}]
    for name, preset in PRESETS.items():
        changes = {k: preset[k] for k in keys if k in preset}
        if changes not in seen:
            seen.append(changes)
            yield name, changes


def as_kwargs(changes: dict) -> str:
    """``"essential='as_zero', p=1.0"``: changes as keyword arguments (evidence texts).

    Examples
    --------
    >>> as_kwargs({"essential": "as_zero", "order": "min"})
    "essential='as_zero', order='min'"
    """
    return ", ".join(f"{key}={plain(value)}" for key, value in changes.items())
