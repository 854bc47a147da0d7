"""Convention detective: which known convention difference explains a mismatch?

When a user's forest, diagram or neural persistence disagrees with the reference, these
functions recompute the reference under the usual alternative conventions (zero weights
absent instead of present, the essential class kept or dropped, zero-length points kept,
another normalisation maximum, another tie rule, the transposed layout, ``w`` instead of
``|w|``, a minimum spanning tree, another ``p``...) and name the ones the user's output
matches. The hints are heuristics added to failure messages; the verdict itself is always
the exact comparison with the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.forest import maximum_spanning_forest

_OTHER_ZERO = {"present": "absent", "absent": "present"}
_OTHER_ESSENTIAL = {"drop": "as_zero", "as_zero": "drop"}


def _present(weights: np.ndarray, mask: Any, zero_weights: str) -> np.ndarray:
    present = np.ones(weights.shape, dtype=bool) if mask is None else np.asarray(mask, bool)
    if zero_weights == "absent":
        present = present & (weights != 0)
    return present


def _forest_candidates(
    weights: np.ndarray, mask: Any, zero_weights: str
) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Yield ``(hint, flat edges, key weights)`` of alternative forests."""
    m, n = weights.shape
    mags = np.abs(weights)
    other = _OTHER_ZERO[zero_weights]
    yield (
        f"treats zero weights as {other} (zero_weights={other!r}), but the convention here is "
        f"zero_weights={zero_weights!r}",
        maximum_spanning_forest(weights, mask=mask, zero_weights=other).edge_index,
        mags,
    )
    if mask is None:
        flipped = maximum_spanning_forest(weights[::-1, ::-1], zero_weights=zero_weights)
        yield (
            "breaks ties by descending flat index; topotheory's tie rule is |w| descending, then "
            "flat index i_out * n_in + j_in ascending",
            m * n - 1 - flipped.edge_index,
            mags,
        )
        if m > 1 and n > 1:
            yield (
                "uses the transposed layout (weights as (n_in, m_out), or column-major flat "
                "indices); topotheory uses torch Linear layout (m_out, n_in), flat index "
                "i_out * n_in + j_in",
                maximum_spanning_forest(weights.T, zero_weights=zero_weights).edge_index,
                mags.T,
            )
    present = _present(weights, mask, zero_weights)
    top = float(mags.max()) if mags.size else 0.0
    inverted = np.where(present, top + 1.0 - mags, 0.0)
    yield (
        "computes a MINIMUM spanning forest; the filtration is super-level (largest |w| "
        "first), so the forest must be maximum",
        maximum_spanning_forest(inverted, mask=present, zero_weights="present").edge_index,
        inverted,
    )
    if (weights < 0).any():
        shifted = np.where(present, weights - weights.min() + 1.0, 0.0)
        yield (
            "orders edges by the signed weight w instead of |w|",
            maximum_spanning_forest(shifted, mask=present, zero_weights="present").edge_index,
            shifted,
        )


def forest_hints(
    user_flat: np.ndarray, weights: np.ndarray, *, mask: Any = None, zero_weights: str = "present"
) -> list[str]:
    """Name the alternative conventions under which ``user_flat`` is the forest.

    Parameters
    ----------
    user_flat : numpy.ndarray
        The user's forest as sorted flat edge indices.
    weights : numpy.ndarray
        The layer ``(m_out, n_in)``.
    mask, zero_weights
        The conventions the user claims to follow.

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
    user = np.sort(np.asarray(user_flat, dtype=np.int64))
    hints = []
    for hint, flat, key in _forest_candidates(weights, mask, zero_weights):
        flat = np.sort(flat)
        same_edges = np.array_equal(user, flat)
        same_weights = user.size == flat.size and np.array_equal(
            np.sort(key.ravel()[user]), np.sort(key.ravel()[flat])
        )
        if same_edges or (same_weights and "tie" not in hint and "layout" not in hint):
            hints.append(f"your implementation probably {hint}")
    return hints


def _diagram(weights: np.ndarray, conv: dict, **changes: Any) -> np.ndarray:
    merged = {**conv, **changes}
    return persistence_diagram(weights, **merged).as_array()


def _diagram_candidates(
    weights: np.ndarray, conv: dict
) -> Iterator[tuple[str, Callable[[], np.ndarray]]]:
    """Yield ``(hint, points thunk)`` of diagrams under alternative conventions."""
    essential = conv["essential"]
    other_e = _OTHER_ESSENTIAL[essential]
    what = {
        "drop": "omits the essential class",
        "as_zero": "keeps the essential class as the point (1, 0)",
    }
    yield (
        f"{what[other_e]} (essential={other_e!r}), but the convention here is "
        f"essential={essential!r} ({what[essential]})",
        lambda: _diagram(weights, conv, essential=other_e),
    )
    drop = conv["drop_zero_length"]
    yield (
        f"{'drops' if not drop else 'keeps'} zero-length points (birth == death, e.g. the "
        f"point (1, 1) of the largest edge); the convention here is drop_zero_length={drop}",
        lambda: _diagram(weights, conv, drop_zero_length=not drop),
    )
    other_z = _OTHER_ZERO[conv["zero_weights"]]
    if (weights == 0).any():
        yield (
            f"treats zero weights as {other_z} (zero_weights={other_z!r}); the convention here "
            f"is zero_weights={conv['zero_weights']!r}",
            lambda: _diagram(weights, conv, zero_weights=other_z),
        )
    largest = float(np.abs(weights).max())
    signed = float(weights.max())
    if signed != largest and signed != 0 and conv["normalization"] == "per_layer":
        yield (
            f"normalises by the signed maximum max(w) = {signed:.6g} instead of "
            f"max|w| = {largest:.6g} (a missing abs())",
            lambda: _diagram(weights, conv) * [1.0, largest / signed],
        )
    if conv["normalization"] != "per_layer" and largest > 0:
        yield (
            f"normalises per layer by max|w| = {largest:.6g}; the convention here is "
            f"normalization={conv['normalization']!r} with w_max={conv['w_max']}",
            lambda: _diagram(weights, conv, normalization="per_layer", w_max=None),
        )
    yield (
        "does not normalise: its deaths are raw |w|, not w' = |w| / w_max",
        lambda: _diagram(weights, conv, normalization="per_network", w_max=1.0),
    )
    yield (
        "stores (death, birth) instead of (birth, death): topotheory's points are (1, w') with "
        "birth 1 >= death w' (a super-level filtration)",
        lambda: _diagram(weights, conv)[:, ::-1],
    )
    yield (
        "uses the sub-level convention (0, 1 - w'); topotheory's points are (1, w')",
        lambda: np.column_stack([np.zeros(len(p := _diagram(weights, conv))), 1.0 - p[:, 1]]),
    )


def _same_points(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    a = a[np.lexsort((a[:, 1], a[:, 0]))]
    b = b[np.lexsort((b[:, 1], b[:, 0]))]
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))


def diagram_hints(
    user_points: np.ndarray,
    weights: np.ndarray,
    conv: dict,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> list[str]:
    """Name the alternative conventions under which ``user_points`` is the diagram.

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
    """
    hints = []
    for hint, points in _diagram_candidates(weights, conv):
        try:
            candidate = points()
        except ValueError:
            continue
        if _same_points(user_points, candidate, rtol, atol):
            hints.append(f"your implementation probably {hint}")
    if not hints:
        ratio = _constant_ratio(user_points, _diagram(weights, conv), rtol, atol)
        if ratio is not None:
            reference = persistence_diagram(weights, **conv).w_max
            implied = reference / ratio
            signed = float(weights.max())
            which = ""
            if np.isclose(implied, signed, rtol=1e-6):
                which = " = max(w), the signed maximum (a missing abs()?)"
            hints.append(
                f"your deaths are the reference's times {ratio:.6g}: you probably normalise by "
                f"another maximum, {implied:.6g}{which}, where the reference uses "
                f"w_max = {reference:.6g} (normalization={conv['normalization']!r})"
            )
    return hints


def _constant_ratio(user: np.ndarray, ref: np.ndarray, rtol: float, atol: float) -> float | None:
    if user.shape != ref.shape or user.size == 0:
        return None
    u = np.sort(user[:, 1])
    r = np.sort(ref[:, 1])
    nonzero = r > atol
    if not nonzero.any() or not np.allclose(u[~nonzero], 0.0, atol=atol):
        return None
    ratios = u[nonzero] / r[nonzero]
    if np.allclose(ratios, ratios[0], rtol=max(rtol, 1e-9)) and not np.isclose(ratios[0], 1.0):
        return float(ratios[0])
    return None


def _p_norm(pers: np.ndarray, p: float) -> float:
    if pers.size == 0:
        return 0.0
    if np.isinf(p):
        return float(np.max(pers))
    return float(np.sum(pers**p) ** (1.0 / p))


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

    Examples
    --------
    >>> conv = dict(mask=None, zero_weights="present", normalization="per_layer", w_max=None,
    ...             essential="drop", drop_zero_length=False)
    >>> W = np.array([[2.0, 1.0]])   # points (1, 1), (1, 0.5): NP = 0.5
    >>> np_hints(float(np.sqrt(1.25)), W, conv)[0][:53]
    'your implementation probably keeps the essential clas'
    """
    from topotheory.topology.persistence import layer_magnitude_range

    base = _diagram(weights, conv)
    n_nodes = sum(weights.shape)
    top, bottom = layer_magnitude_range(
        weights, mask=conv["mask"], zero_weights=conv["zero_weights"]
    )
    w_max = persistence_diagram(weights, **conv).w_max

    def scaled(value: float, how: str | None) -> float:
        if how == "rieck_code":
            return value / np.sqrt(n_nodes - 1) if n_nodes > 1 else 0.0
        if how == "rieck_bound":
            spread = (top - bottom) / w_max
            bound = spread * (n_nodes - 1) ** (1.0 / p) if not np.isinf(p) else spread
            return value / bound if bound > 0 else float("nan")
        return value

    candidates: list[tuple[str, float]] = []
    for hint, points in _diagram_candidates(weights, conv):
        if "birth" in hint and "death" in hint:
            continue  # swapped columns change the sign only: NP is the same
        try:
            candidates.append(
                (hint, scaled(_p_norm(points()[:, 0] - points()[:, 1], p), normalize))
            )
        except ValueError:
            continue
    pers = base[:, 0] - base[:, 1]
    for other in (None, "rieck_bound", "rieck_code"):
        if other != normalize:
            candidates.append(
                (
                    f"uses normalize={other!r} (divides by "
                    f"{ {None: 'nothing', 'rieck_bound': 'Rieck Theorem 1 bound', 'rieck_code': 'sqrt(|V| - 1)'}[other] }); "
                    f"the convention here is normalize={normalize!r}",
                    scaled(_p_norm(pers, p), other),
                )
            )
    for other_p in (1.0, 2.0, float("inf")):
        if other_p != p:
            candidates.append(
                (
                    f"uses p={other_p:g}; the convention here is p={p:g}",
                    scaled(_p_norm(pers, other_p), normalize),
                )
            )
    candidates.append(
        (
            f"does not normalise: persistence max|w| - |w| of the raw weights (that is the "
            f"reference times w_max = {w_max:.6g})",
            scaled(w_max * _p_norm(pers, p), normalize),
        )
    )
    candidates.append(
        (
            "takes the norm of the deaths w' instead of the persistences 1 - w'",
            scaled(_p_norm(base[:, 1], p), normalize),
        )
    )
    if not np.isinf(p):
        candidates.append(
            (
                f"returns sum((1 - w')^p) without the 1/p root (p={p:g})",
                scaled(float(np.sum(pers**p)), normalize),
            )
        )
    reference = scaled(_p_norm(pers, p), normalize)
    return [
        f"your implementation probably {hint}"
        for hint, value in candidates
        if np.isfinite(value)
        and np.isclose(user_value, value, rtol=rtol, atol=atol)
        and not np.isclose(value, reference, rtol=rtol, atol=atol)
    ]
