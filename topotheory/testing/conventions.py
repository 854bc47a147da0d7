"""Convention detective: which known convention difference explains a mismatch?

When a user's forest, diagram or neural persistence disagrees with the reference, these
functions recompute the reference under the usual alternative conventions and classic bugs
(zero weights absent instead of present, the essential class kept or dropped, zero-length
points kept, ``w`` instead of ``|w|``, a minimum spanning tree, another normalisation
maximum, another tie rule, the transposed layout, another ``p`` or normaliser...), alone and
in pairs, and name the ones the user's output matches -- and the preset
(:mod:`~topotheory.testing.presets`) when a pair of changes is one. A value that is the
reference times a recognised constant (``sqrt(|V| - 2)``, ``w_max``...) is named too.
The hints are heuristics added to failure messages; the verdict is always the exact
comparison with the reference.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

from topotheory.testing._format import describe_edges
from topotheory.testing.presets import PRESETS, preset_named
from topotheory.theory.union_find import UnionFind
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest

_OTHER_ZERO = {"present": "absent", "absent": "present"}
_OTHER_ESSENTIAL = {"drop": "as_zero", "as_zero": "drop"}

#: The tie rules ``tie_rule=`` accepts, and what each means.
TIE_RULES: dict[str, str] = {
    "topotheory": "|w| descending, then flat index i_out * n_in + j_in ascending",
    "column_major": "|w| descending, then column-major index j_in * m_out + i_out ascending "
    "(networkx's Kruskal, scipy.sparse.csgraph on the (m_out, n_in) matrix)",
    "descending_index": "|w| descending, then flat index i_out * n_in + j_in descending",
}
_HINT = "your implementation probably "
_HINTS_ON: ContextVar[bool] = ContextVar("topotheory_testing_hints", default=True)


@contextlib.contextmanager
def hints_off() -> Iterator[None]:
    """Skip the hint search inside this block (``check_implementation`` while shrinking).

    Examples
    --------
    >>> with hints_off():
    ...     hints_enabled()
    False
    """
    token = _HINTS_ON.set(False)
    try:
        yield
    finally:
        _HINTS_ON.reset(token)


def hints_enabled() -> bool:
    """False inside :func:`hints_off`.

    Examples
    --------
    >>> hints_enabled()
    True
    """
    return _HINTS_ON.get()


def _present(weights: np.ndarray, mask: Any, zero_weights: str) -> np.ndarray:
    present = np.ones(weights.shape, dtype=bool) if mask is None else np.asarray(mask, bool)
    if zero_weights == "absent":
        present = present & (weights != 0)
    return present


# -- forests ---------------------------------------------------------------------------------


def tie_rule_forest(
    weights: np.ndarray, tie_rule: str, *, mask: Any = None, zero_weights: str = "present"
) -> np.ndarray:
    """Sorted flat edges (``i_out * n_in + j_in``) of the maximum forest under ``tie_rule``.

    Examples
    --------
    >>> tie_rule_forest(np.ones((2, 2)), "topotheory").tolist()
    [0, 1, 2]
    >>> tie_rule_forest(np.ones((2, 2)), "column_major").tolist()
    [0, 1, 2]
    >>> tie_rule_forest(np.ones((2, 2)), "descending_index").tolist()
    [1, 2, 3]
    """
    if tie_rule not in TIE_RULES:
        raise ValueError(
            f"tie_rule={tie_rule!r}: choose None (any maximum forest) or {tuple(TIE_RULES)}"
        )
    m, n = weights.shape
    mask = None if mask is None else np.asarray(mask, bool)
    if tie_rule == "topotheory":
        flat = maximum_spanning_forest(weights, mask=mask, zero_weights=zero_weights).edge_index
    elif tie_rule == "column_major":
        t = maximum_spanning_forest(
            weights.T, mask=None if mask is None else mask.T, zero_weights=zero_weights
        ).edge_index
        flat = (t % m) * n + t // m
    else:
        flat = (
            m * n
            - 1
            - maximum_spanning_forest(
                weights[::-1, ::-1],
                mask=None if mask is None else mask[::-1, ::-1],
                zero_weights=zero_weights,
            ).edge_index
        )
    return np.sort(np.asarray(flat, dtype=np.int64))


def cycle_edge(flat: np.ndarray, shape: tuple[int, int]) -> int | None:
    """The first edge (in the given order) that closes a cycle, or None.

    Examples
    --------
    >>> cycle_edge(np.array([0, 1, 2, 3]), (2, 2))
    3
    """
    m, n = shape
    sets = UnionFind(n + m)
    for f in np.asarray(flat).tolist():
        if not sets.union(f % n, n + f // n):
            return int(f)
    return None


def max_forest_problem(user: np.ndarray, key: np.ndarray, present: np.ndarray) -> str | None:
    """Why ``user`` (flat edges) is not a maximum spanning forest of ``key``, or None.

    ``key`` holds the non-negative edge weights, ``present`` which edges exist. A valid
    forest uses present edges only, has no cycle, has ``|V| - C`` edges (so it spans every
    component) and the same sorted weights as every maximum spanning forest.

    Examples
    --------
    >>> max_forest_problem(np.array([0, 1, 2]), np.ones((2, 2)), np.ones((2, 2), bool)) is None
    True
    >>> max_forest_problem(np.array([0, 1, 2, 3]), np.ones((2, 2)), np.ones((2, 2), bool))[:10]
    'not a fore'
    """
    user = np.asarray(user, dtype=np.int64)
    flat_key = key.ravel()
    absent = user[~present.ravel()[user]]
    if absent.size:
        return "edges that are absent (mask or zero weights): " + describe_edges(absent, key.shape)
    closing = cycle_edge(user[np.lexsort((user, -flat_key[user]))], key.shape)
    if closing is not None:
        return (
            f"not a forest: {describe_edges([closing], key.shape, key)} closes a cycle with "
            "heavier edges of yours"
        )
    ref = maximum_spanning_forest(key, mask=present, zero_weights="present")
    if user.size != ref.size:
        return (
            f"{user.size} edges, but a spanning forest of this layer has |V| - C = "
            f"{ref.n_nodes} - {ref.n_components} = {ref.size} (it must span every component)"
        )
    ours, best = np.sort(flat_key[user]), np.sort(flat_key[ref.edge_index])
    if not np.array_equal(ours, best):
        return (
            f"not maximum: total weight {ours.sum():.6g}, a maximum spanning forest has "
            f"{best.sum():.6g}"
        )
    return None


@dataclass(frozen=True)
class _ForestReading:
    """An alternative reading of the user's forest: keys, presence and index remapping."""

    hint: str
    key: np.ndarray
    present: np.ndarray


def _forest_readings(weights: np.ndarray, mask: Any, zero_weights: str) -> Iterator[_ForestReading]:
    m, n = weights.shape
    mags = np.abs(weights)
    present = _present(weights, mask, zero_weights)
    other = _OTHER_ZERO[zero_weights]
    yield _ForestReading(
        f"treats zero weights as {other} (zero_weights={other!r}), but the convention here is "
        f"zero_weights={zero_weights!r}",
        mags,
        _present(weights, mask, other),
    )
    if m > 1 and n > 1:
        yield _ForestReading(
            "uses the transposed layout (weights as (n_in, m_out), or column-major flat "
            "indices j_in * m_out + i_out); topotheory uses torch Linear layout (m_out, n_in), "
            "flat index i_out * n_in + j_in",
            mags.T,
            present.T,
        )
    top = float(mags.max()) if mags.size else 0.0
    yield _ForestReading(
        "computes a MINIMUM spanning forest (e.g. networkx minimum_spanning_tree or scipy "
        "minimum_spanning_tree on |w|); the filtration is super-level (largest |w| first), so "
        "the forest must be maximum (use maximum_spanning_tree, or the minimum tree of -|w|)",
        np.where(present, top + 1.0 - mags, 0.0),
        present,
    )
    if (weights < 0).any():
        yield _ForestReading(
            "orders edges by the signed weight w instead of |w| (a missing abs())",
            np.where(present, weights - weights.min() + 1.0, 0.0),
            present,
        )


def forest_hints(
    user_flat: np.ndarray,
    weights: np.ndarray,
    *,
    mask: Any = None,
    zero_weights: str = "present",
    tie_rule: str | None = None,
) -> list[str]:
    """Name the alternative conventions under which ``user_flat`` is a maximum forest.

    Parameters
    ----------
    user_flat : numpy.ndarray
        The user's forest as flat edge indices ``i_out * n_in + j_in``.
    weights : numpy.ndarray
        The layer ``(m_out, n_in)``.
    mask, zero_weights
        The conventions the user claims to follow.
    tie_rule : str, optional
        The declared tie rule; when set, the other tie rules are tried too.

    Returns
    -------
    list of str
        One hint per matching alternative ("your implementation probably ...").

    Examples
    --------
    >>> W = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> forest_hints(np.array([0, 3]), W)[0][:40]
    'your implementation probably treats zero'
    """
    if not hints_enabled():
        return []
    user = np.sort(np.asarray(user_flat, dtype=np.int64))
    hints = []
    present = _present(weights, mask, zero_weights)
    valid = max_forest_problem(user, np.abs(weights), present) is None
    for reading in () if valid else _forest_readings(weights, mask, zero_weights):
        if max_forest_problem(user, reading.key, reading.present) is None:
            hints.append(_HINT + reading.hint)
    if tie_rule is not None:
        for other, meaning in TIE_RULES.items():
            if other != tie_rule and np.array_equal(
                user, tie_rule_forest(weights, other, mask=mask, zero_weights=zero_weights)
            ):
                hints.append(
                    f"{_HINT}breaks ties by the {other!r} rule ({meaning}), but "
                    f"tie_rule={tie_rule!r} was declared: pass tie_rule={other!r}, or "
                    "tie_rule=None to accept any maximum spanning forest"
                )
    return hints


# -- diagrams and NP -------------------------------------------------------------------------

#: Atomic changes: (option, value, hint). ``order``/``values`` are classic bugs.
_ORDERS = {
    "min": "computes a MINIMUM spanning forest (the filtration is super-level: the forest "
    "must be maximum)",
    "signed": "orders edges by the signed weight w instead of |w| (a missing abs())",
}
_VALUES = {
    "signed_max": "normalises by the signed maximum max(w) = {signed:.6g} instead of "
    "max|w| = {largest:.6g} (a missing abs())",
    "signed": "uses the signed weights w / max(w) instead of |w| / max|w| (a missing abs())",
    "raw": "does not normalise: its deaths are raw |w|, not w' = |w| / w_max",
}


def _atomic_changes(weights: np.ndarray, conv: dict) -> list[tuple[str, Any, str]]:
    essential = conv["essential"]
    what = {
        "drop": "omits the essential class",
        "as_zero": "keeps the essential class as the point (1, 0)",
    }
    other_e = _OTHER_ESSENTIAL[essential]
    drop = conv["drop_zero_length"]
    changes: list[tuple[str, Any, str]] = [
        (
            "essential",
            other_e,
            f"{what[other_e]} (essential={other_e!r}), but the convention here is "
            f"essential={essential!r} ({what[essential]})",
        ),
        (
            "drop_zero_length",
            not drop,
            f"{'drops' if not drop else 'keeps'} zero-length points (birth == death, e.g. the "
            f"point (1, 1) of the largest edge); the convention here is drop_zero_length={drop}",
        ),
    ]
    if (weights == 0).any():
        other_z = _OTHER_ZERO[conv["zero_weights"]]
        changes.append(
            (
                "zero_weights",
                other_z,
                f"treats zero weights as {other_z} (zero_weights={other_z!r}); the convention "
                f"here is zero_weights={conv['zero_weights']!r}",
            )
        )
    changes += [("order", key, hint) for key, hint in _ORDERS.items()]
    signed, largest = float(weights.max()), float(np.abs(weights).max())
    if 0 < signed != largest:
        changes += [
            ("values", key, hint.format(signed=signed, largest=largest))
            for key, hint in _VALUES.items()
            if key != "raw"
        ]
    changes.append(("values", "raw", _VALUES["raw"]))
    return changes


def diagram_under(weights: np.ndarray, conv: dict, **changes: Any) -> np.ndarray:
    """The ``(q, 2)`` diagram of ``weights`` under ``conv`` with ``changes`` applied.

    ``changes`` may hold the options ``essential``, ``drop_zero_length``, ``zero_weights``
    and the bugs ``order`` (``"min"``, ``"signed"``) and ``values`` (``"signed_max"``,
    ``"signed"``, ``"raw"``).

    Examples
    --------
    >>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
    ...             essential="drop", drop_zero_length=False)
    >>> diagram_under(np.array([[2.0, 1.0]]), conv, order="min")[:, 1].tolist()
    [0.5, 1.0]
    """
    merged = {**conv, **changes}
    order, values = merged.pop("order", "abs"), merged.pop("values", "abs")
    if order == "abs" and values == "abs":
        return persistence_diagram(weights, **merged).as_array()
    present = _present(weights, merged["mask"], merged["zero_weights"])
    mags = np.abs(weights)
    if order == "min":
        key = np.where(present, mags.max() + 1.0 - mags, 0.0)
    elif order == "signed":
        key = np.where(present, weights - weights.min() + 1.0, 0.0)
    else:
        key = mags
    forest = maximum_spanning_forest(key, mask=present, zero_weights="present")
    edges = forest.edge_index
    if values == "abs":
        reference_max = persistence_diagram(weights, **{**merged}).w_max
        deaths = mags.ravel()[edges] / reference_max
    elif values == "raw":
        deaths = mags.ravel()[edges]
    else:
        top = float(weights.max())
        if top <= 0:
            raise ValueError("no positive maximum")
        source = weights if values == "signed" else mags
        deaths = source.ravel()[edges] / top
    if merged["drop_zero_length"]:
        deaths = deaths[1.0 - deaths != 0]
    if merged["essential"] == "as_zero":
        deaths = np.concatenate([deaths, np.zeros(forest.n_components)])
    return np.column_stack([np.ones(deaths.size), deaths])


def _change_sets(weights: np.ndarray, conv: dict) -> Iterator[tuple[list[str], dict]]:
    """Every single atomic change and every pair of changes to different options."""
    atoms = _atomic_changes(weights, conv)
    for count in (1, 2):
        for combo in itertools.combinations(atoms, count):
            keys = [c[0] for c in combo]
            if len(set(keys)) == len(keys):
                yield [c[2] for c in combo], {c[0]: c[1] for c in combo}


def _preset_note(conv: dict, changes: dict, extra: dict | None = None) -> str:
    options = {k: conv.get(k) for k in ("zero_weights", "essential", "drop_zero_length")}
    options.update({k: v for k, v in changes.items() if k in options})
    options.update(extra or {})
    if any(k in changes for k in ("order", "values")) or len(changes) < 2:
        return ""
    name = preset_named(options)
    return f" -- together these are the preset conventions={name!r}: pass it" if name else ""


def _minimal(matches: list[tuple[tuple[str, ...], str]]) -> list[str]:
    """The hints of matching change sets that contain no smaller matching set (deduplicated)."""
    sets = [frozenset(labels) for labels, _ in matches]
    out: list[str] = []
    for labels, hint in matches:
        own = frozenset(labels)
        if not any(other < own for other in sets) and hint not in out:
            out.append(hint)
    return out


def _explain(labels: list[str], note: str) -> str:
    return _HINT + " AND ".join(labels) + note


def _same_points(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    a = a[np.lexsort((a[:, 1], a[:, 0]))]
    b = b[np.lexsort((b[:, 1], b[:, 0]))]
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))


_FIXED_TRANSFORMS = (
    (
        "stores (death, birth) instead of (birth, death): topotheory's points are (1, w') with "
        "birth 1 >= death w' (a super-level filtration)",
        lambda p: p[:, ::-1],
    ),
    (
        "uses the sub-level convention (0, 1 - w'); topotheory's points are (1, w')",
        lambda p: np.column_stack([np.zeros(len(p)), 1.0 - p[:, 1]]),
    ),
)


def diagram_hints(
    user_points: np.ndarray,
    weights: np.ndarray,
    conv: dict,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> list[str]:
    """Name the alternative conventions (up to two at once) under which ``user_points`` is the diagram.

    Parameters
    ----------
    user_points : numpy.ndarray
        ``(q, 2)`` ``(birth, death)`` rows.
    weights : numpy.ndarray
        The layer.
    conv : dict
        ``mask, zero_weights, normalization, w_max, essential, drop_zero_length`` as the user
        claims them.
    rtol, atol : float
        Tolerances of the comparison.

    Returns
    -------
    list of str

    Examples
    --------
    >>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
    ...             essential="as_zero", drop_zero_length=False)
    >>> W = np.array([[2.0, 1.0]])
    >>> diagram_hints(np.array([[1.0, 1.0], [1.0, 0.5]]), W, conv)[0][:54]
    'your implementation probably omits the essential class'
    >>> paper = dict(conv, essential="drop")
    >>> "preset conventions='rieck'" in diagram_hints(np.array([[1.0, 0.5], [1.0, 0.0]]), W, paper)[0]
    True
    """
    if not hints_enabled():
        return []
    hints, matches = [], []
    base = diagram_under(weights, conv)
    for hint, transform in _FIXED_TRANSFORMS:
        if _same_points(user_points, transform(base), rtol, atol):
            hints.append(_HINT + hint)
    for labels, changes in _change_sets(weights, conv):
        try:
            candidate = diagram_under(weights, conv, **changes)
        except ValueError:
            continue
        if _same_points(user_points, candidate, rtol, atol):
            matches.append((tuple(labels), _explain(labels, _preset_note(conv, changes))))
    hints += _minimal(matches)
    keys = ("zero_weights", "essential", "drop_zero_length")
    seen = {tuple(conv[k] for k in keys)}
    seen |= {tuple(p[k] for k in keys) for name, p in PRESETS.items() if repr(name) in str(hints)}
    for name, preset in PRESETS.items():
        changes = {k: preset[k] for k in keys}
        if tuple(changes.values()) in seen:
            continue
        seen.add(tuple(changes.values()))
        if _same_points(user_points, diagram_under(weights, conv, **changes), rtol, atol):
            hints.append(f"your diagram is the one of conventions={name!r}: pass it")
    if not hints:
        ratio = _constant_ratio(user_points, base, rtol, atol)
        if ratio is not None:
            reference = persistence_diagram(weights, **conv).w_max
            implied = reference / ratio
            which = ""
            if np.isclose(implied, float(weights.max()), rtol=1e-6):
                which = " = max(w), the signed maximum (a missing abs()?)"
            elif implied > reference:
                which = (
                    " -- larger than this layer's max|w|: a network-wide maximum? "
                    f"(pass normalization='per_network', w_max={implied:.6g})"
                )
            hints.append(
                f"your deaths are the reference's times {ratio:.6g}: you probably normalise by "
                f"another maximum, {implied:.6g}{which}, where the reference uses "
                f"w_max = {reference:.6g} (normalization={conv['normalization']!r})"
            )
    return hints


def _constant_ratio(user: np.ndarray, ref: np.ndarray, rtol: float, atol: float) -> float | None:
    """The constant ``c > 0`` with user deaths = c * reference deaths, or None."""
    if user.shape != ref.shape or user.size == 0:
        return None
    u = np.sort(user[:, 1])
    r = np.sort(ref[:, 1])
    nonzero = r > atol
    if not nonzero.any() or not np.allclose(u[~nonzero], 0.0, atol=atol):
        return None
    ratios = u[nonzero] / r[nonzero]
    first = float(ratios[0])
    if (
        first > 0
        and np.allclose(ratios, first, rtol=max(rtol, 1e-9))
        and not np.isclose(first, 1.0)
    ):
        return first
    return None


def _p_norm(pers: np.ndarray, p: float) -> float:
    if pers.size == 0:
        return 0.0
    if np.isinf(p):
        return float(np.max(pers))
    return float(np.sum(pers**p) ** (1.0 / p))


_NORMALIZE_TEXT = {
    None: "nothing",
    "rieck_bound": "Rieck's Theorem 1 bound",
    "rieck_code": "sqrt(|V| - 1)",
}


def _named_constants(n_nodes: int, w_max: float, signed: float) -> list[tuple[str, float]]:
    out = [(f"w_max = {w_max:.6g} (no normalisation of |w|)", w_max)]
    if signed != 0 and signed != w_max:
        out.append(
            (
                f"max|w| / max(w) = {w_max:.6g} / {signed:.6g}: the signed maximum max(w) "
                "used instead of max|w| (a missing abs())",
                w_max / signed,
            )
        )
    for shift in (0, 1, 2):
        if n_nodes - shift > 0:
            root = float(np.sqrt(n_nodes - shift))
            term = f"|V| - {shift}" if shift else "|V|"
            note = " (Synaptic-Flow's normaliser)" if shift == 2 else ""
            out.append(
                (f"1 / sqrt({term}) = 1 / {root:.6g}: a division by sqrt({term}){note}", 1 / root)
            )
            out.append((f"sqrt({term}) = {root:.6g}: a multiplication by sqrt({term})", root))
    if n_nodes > 2:
        out.append(
            (
                "sqrt(|V| - 1) / sqrt(|V| - 2): a division by sqrt(|V| - 2) (Synaptic-Flow's "
                "normaliser) where sqrt(|V| - 1) (Rieck's code) is meant",
                float(np.sqrt((n_nodes - 1) / (n_nodes - 2))),
            )
        )
    return out


def np_hints(
    user_value: float,
    weights: np.ndarray,
    conv: dict,
    *,
    p: float = 2.0,
    normalize: str | None = None,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> list[str]:
    """Name the alternative conventions under which ``user_value`` is the neural persistence.

    Single changes and pairs of changes are tried (diagram conventions, classic bugs, ``p``,
    ``normalize``); then a constant ratio to the reference (or to one changed value) is
    named when it is a recognised constant such as ``1 / sqrt(|V| - 2)``.

    Examples
    --------
    >>> from topotheory import neural_persistence as tt_np
    >>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
    ...             essential="drop", drop_zero_length=False)
    >>> W = np.array([[2.0, 1.0]])   # points (1, 1), (1, 0.5): NP = 0.5
    >>> np_hints(float(np.sqrt(1.25)), W, conv)[0][:53]
    'your implementation probably keeps the essential clas'
    >>> W = np.array([[3.0, 2.0, 1.0]])   # |V| = 4; a division by sqrt(|V| - 2):
    >>> np_hints(tt_np(W) / np.sqrt(2), W, conv)[0][:60]
    'your value is the reference times 0.707107 = 1 / sqrt(|V| - '
    """
    if not hints_enabled():
        return []
    from topotheory.topology.persistence import layer_magnitude_range

    n_nodes = sum(weights.shape)
    top, bottom = layer_magnitude_range(
        weights, mask=conv["mask"], zero_weights=conv["zero_weights"]
    )
    w_max = persistence_diagram(weights, **conv).w_max

    def scaled(value: float, how: str | None, order: float) -> float:
        if how == "rieck_code":
            return value / np.sqrt(n_nodes - 1) if n_nodes > 1 else 0.0
        if how == "rieck_bound":
            spread = (top - bottom) / w_max
            bound = spread * (n_nodes - 1) ** (1.0 / order) if not np.isinf(order) else spread
            return value / bound if bound > 0 else float("nan")
        return value

    def value_of(points: np.ndarray, order: float, how: str | None) -> float:
        return scaled(_p_norm(points[:, 0] - points[:, 1], order), how, order)

    base = diagram_under(weights, conv)
    reference = value_of(base, p, normalize)
    candidates: list[tuple[str, float]] = []
    option_atoms = [
        (
            "normalize",
            o,
            f"uses normalize={o!r} (divides by {_NORMALIZE_TEXT[o]}); "
            f"the convention here is normalize={normalize!r}",
        )
        for o in _NORMALIZE_TEXT
        if o != normalize
    ]
    option_atoms += [
        ("p", q, f"uses p={q:g}; the convention here is p={p:g}")
        for q in (1.0, 2.0, float("inf"))
        if q != p
    ]
    diagram_sets = [([], {})] + list(_change_sets(weights, conv))
    for labels, changes in diagram_sets:
        if len(labels) == 2:
            extra_sets = [([], {})]
        else:
            extra_sets = [([], {})] + [([h], {k: v}) for k, v, h in option_atoms]
        try:
            points = diagram_under(weights, conv, **changes)
        except ValueError:
            continue
        for more_labels, more in extra_sets:
            if not labels and not more_labels:
                continue
            value = value_of(points, more.get("p", p), more.get("normalize", normalize))
            note = (
                _preset_note(
                    conv,
                    changes,
                    {"p": more.get("p", p), "normalize": more.get("normalize", normalize)},
                )
                if len(labels) + len(more_labels) == 2
                else ""
            )
            candidates.append(
                (tuple(labels + more_labels), _explain(labels + more_labels, note), value)
            )
    pers = base[:, 0] - base[:, 1]
    candidates.append(
        (
            ("deaths",),
            _HINT + "takes the norm of the deaths w' instead of the persistences 1 - w'",
            scaled(_p_norm(base[:, 1], p), normalize, p),
        )
    )
    if not np.isinf(p):
        candidates.append(
            (
                ("root",),
                _HINT + f"returns sum((1 - w')^p) without the 1/p root (p={p:g})",
                scaled(float(np.sum(pers**p)), normalize, p),
            )
        )
    hints = _minimal(
        [
            (labels, hint)
            for labels, hint, value in candidates
            if np.isfinite(value)
            and np.isclose(user_value, value, rtol=rtol, atol=atol)
            and not np.isclose(value, reference, rtol=rtol, atol=atol)
        ]
    )
    for name, preset in PRESETS.items():
        changes = {k: preset[k] for k in ("zero_weights", "essential", "drop_zero_length")}
        same = all(conv[k] == v for k, v in changes.items())
        if (same and preset["p"] == p and preset["normalize"] == normalize) or any(
            repr(name) in h for h in hints
        ):
            continue
        try:
            value = value_of(
                diagram_under(weights, conv, **changes), preset["p"], preset["normalize"]
            )
        except ValueError:
            continue
        if np.isclose(user_value, value, rtol=rtol, atol=atol):
            hints.append(f"your value is the one of conventions={name!r}: pass it")
    if hints or not np.isfinite(user_value) or reference == 0:
        return hints
    ratio = user_value / reference
    for name, constant in _named_constants(n_nodes, w_max, float(weights.max())):
        if not np.isclose(constant, 1.0) and np.isclose(ratio, constant, rtol=max(rtol, 1e-9)):
            hints.append(f"your value is the reference times {ratio:.6g} = {name}")
    return hints
