"""Kind ``"diagram"``: zeroth-order persistence diagrams -- oracle, hints, battery, options.

A diagram has one point ``(1, w'_e)`` per forest edge, ``w' = |w| / max|w|`` (per-layer
normalisation); the essential class is dropped (paper) or kept as ``(1, 0)`` (Rieck's
code). Points are compared as a multiset within a tolerance that follows the dtype of the
user's output unless given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.alternatives import (
    as_kwargs,
    change_sets,
    describe,
    diagram_under,
    preset_changes,
)
from topotheory.testing.battery import (
    Property,
    call,
    distinct_and_tied,
    scaled,
    show,
    signs,
    tolerance,
)
from topotheory.testing.constraints import TolerantOptions, validate
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS, apply_preset
from topotheory.testing.hints import PREFIX, Hint, hints_enabled, likely, minimal
from topotheory.testing.readers import as_points, describe_points
from topotheory.topology._validation import as_mask, as_weight_matrix
from topotheory.topology.diagram import persistence_diagram, resolve_conventions
from topotheory.topology.forest import maximum_spanning_forest

SIGNATURE = "fn(weights) -> (q, 2) array of (birth, death) or PersistenceDiagram"
USED = ("zero_weights", "essential", "drop_zero_length")


@dataclass(frozen=True)
class DiagramOptions(TolerantOptions):
    """Options of kind ``"diagram"``: the diagram conventions and the tolerances."""

    zero_weights: str = "present"
    essential: str = "drop"
    drop_zero_length: bool = False

    CONSTRAINTS: ClassVar[dict[str, Any]] = {k: CONVENTION_CONSTRAINTS[k] for k in USED}
    USED: ClassVar[tuple[str, ...]] = USED

    def conv(self) -> dict:
        """The convention options, as keyword arguments of the oracle."""
        return {k: getattr(self, k) for k in self.USED}


def diagram_conventions(
    weights: Any,
    mask: Any,
    conventions: str | None,
    explicit: dict,
    *,
    normalization: str = "per_layer",
    w_max: float | None = None,
    used: tuple[str, ...] = USED,
    kind: str = "diagram",
) -> tuple[np.ndarray, dict, dict]:
    """Validate an oracle's arguments: the layer, the diagram conventions and the rest.

    ``explicit`` holds the convention options the caller passed (``None`` means unset, except
    for ``normalize``); a preset fills the others.
    """
    w = as_weight_matrix(weights)
    given = {k: v for k, v in explicit.items() if v is not None}
    options = apply_preset(conventions, used, given, kind=kind) if conventions else given
    options.setdefault("zero_weights", "present")
    for key, value in options.items():
        validate(key, value, CONVENTION_CONSTRAINTS[key])
    essential, drop = resolve_conventions(
        normalization, w_max, options.get("essential"), options.get("drop_zero_length")
    )
    conv = dict(
        mask=as_mask(mask, w.shape),
        zero_weights=options["zero_weights"],
        normalization=normalization,
        w_max=w_max,
        essential=essential,
        drop_zero_length=drop,
    )
    return w, conv, {k: v for k, v in options.items() if k not in conv}


def point_diff(
    user: np.ndarray, ref: np.ndarray, rtol: float, atol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multiset difference of two point sets with tolerance (sorted two-pointer walk)."""
    user = user[np.lexsort((user[:, 1], user[:, 0]))]
    ref = ref[np.lexsort((ref[:, 1], ref[:, 0]))]
    only_user, only_ref = [], []
    i = j = 0
    while i < len(user) and j < len(ref):
        if np.allclose(user[i], ref[j], rtol=rtol, atol=atol):
            i, j = i + 1, j + 1
        elif tuple(user[i]) < tuple(ref[j]):
            only_user.append(user[i])
            i += 1
        else:
            only_ref.append(ref[j])
            j += 1
    only_user += list(user[i:])
    only_ref += list(ref[j:])
    return np.array(only_user).reshape(-1, 2), np.array(only_ref).reshape(-1, 2)


def same_points(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    only_a, only_b = point_diff(a, b, rtol, atol)
    return only_a.size == 0 and only_b.size == 0


_FIXED = (
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
    user: np.ndarray, w: np.ndarray, conv: dict, rtol: float, atol: float
) -> list[Hint]:
    """The conventions (up to two changes, presets, another maximum) giving ``user``."""
    if not hints_enabled():
        return []
    base = diagram_under(w, conv)
    hints = [
        Hint(PREFIX + text, f"your {len(user)} points are the reference's so transformed", 1)
        for text, move in _FIXED
        if same_points(user, move(base), rtol, atol)
    ]
    matches = []
    for names, changes, prior in change_sets(w, conv):
        try:
            candidate = diagram_under(w, conv, **changes)
        except ValueError:
            continue
        if same_points(user, candidate, rtol, atol):
            matches.append(
                (
                    names,
                    Hint(
                        PREFIX + describe(names, conv, w, changes),
                        f"your {len(user)} points equal the reference's "
                        f"recomputed with {as_kwargs(changes)}",
                        10 * len(names) + prior,
                    ),
                )
            )
    hints += minimal(matches)
    for name, changes in preset_changes(conv, USED):
        if not any(repr(name) in h.text for h in hints) and same_points(
            user, diagram_under(w, conv, **changes), rtol, atol
        ):
            hints.append(
                Hint(
                    f"your diagram is the one of conventions={name!r}: pass it",
                    f"equal to the reference recomputed with {as_kwargs(changes)}",
                    15,
                )
            )
    if not hints:
        hints += _ratio_hint(user, base, w, conv, rtol, atol)
    return hints


def _ratio_hint(
    user: np.ndarray, base: np.ndarray, w: np.ndarray, conv: dict, rtol: float, atol: float
) -> list[Hint]:
    if user.shape != base.shape or user.size == 0:
        return []
    u, r = np.sort(user[:, 1]), np.sort(base[:, 1])
    nonzero = r > atol
    if not nonzero.any() or not np.allclose(u[~nonzero], 0.0, atol=atol):
        return []
    ratios = u[nonzero] / r[nonzero]
    ratio = float(ratios[0])
    if ratio <= 0 or not np.allclose(ratios, ratio, rtol=max(rtol, 1e-9)) or np.isclose(ratio, 1.0):
        return []
    reference = persistence_diagram(w, **conv).w_max
    implied = reference / ratio
    which = ""
    if np.isclose(implied, float(w.max()), rtol=1e-6):
        which = " = max(w), the signed maximum (a missing abs()?)"
    elif implied > reference:
        which = (
            " -- larger than this layer's max|w|: a network-wide maximum? "
            f"(pass normalization='per_network', w_max={implied:.6g})"
        )
    return [
        Hint(
            f"your deaths are the reference's times {ratio:.6g}: you probably normalise by "
            f"another maximum, {implied:.6g}{which}, where the reference uses w_max = "
            f"{reference:.6g} (normalization={conv['normalization']!r})",
            f"every death of yours / the reference's = {ratio:.6g}",
            20,
        )
    ]


def assert_same_diagram(
    user_diagram: Any,
    weights: Any,
    *,
    rtol: float | None = None,
    atol: float | None = None,
    mask: Any = None,
    zero_weights: str | None = None,
    normalization: str = "per_layer",
    w_max: float | None = None,
    essential: str | None = None,
    drop_zero_length: bool | None = None,
    conventions: str | None = None,
) -> None:
    """Assert that a user's zeroth-order persistence diagram is topotheory's.

    Points are compared as a multiset (any order) within ``rtol``/``atol``.

    Parameters
    ----------
    user_diagram : array_like or PersistenceDiagram
        ``(q, 2)`` rows ``(birth, death)`` (births 1, deaths ``w'``), or a diagram object.
    weights : array_like
        The layer ``(m_out, n_in)``.
    rtol, atol : float, optional
        Tolerances (default: those of the diagram's dtype; float64 ``1e-9``, ``1e-12``).
    mask, zero_weights
        Which edges are present (see :func:`~topotheory.topology.forest.maximum_spanning_forest`).
    normalization, w_max, essential, drop_zero_length
        The conventions the user's diagram follows (see
        :func:`~topotheory.topology.diagram.persistence_diagram`).
    conventions : {"paper", "rieck_code", "rieck_code_normalized", "rieck_bound"}, optional
        A preset (:mod:`~topotheory.testing.conventions`) filling every option left at None.

    Raises
    ------
    AssertionError
        Listing the points only in one diagram and the likely convention mismatch.
    ValueError
        On bad arguments.

    Examples
    --------
    >>> W = np.array([[2.0, 1.0]])
    >>> assert_same_diagram([(1.0, 0.5), (1.0, 1.0)], W)
    >>> try:
    ...     assert_same_diagram([(1.0, 1.0), (1.0, 0.5)], W, essential="as_zero")
    ... except AssertionError as err:
    ...     print(str(err).splitlines()[3])
      only in the reference: (1, 0)
    """
    __tracebackhide__ = True
    rtol, atol = tolerance(rtol, atol, user_diagram)
    explicit = dict(
        zero_weights=zero_weights, essential=essential, drop_zero_length=drop_zero_length
    )
    w, conv, _ = diagram_conventions(
        weights, mask, conventions, explicit, normalization=normalization, w_max=w_max
    )
    reference = persistence_diagram(w, **conv)
    ref, user = reference.as_array(), as_points(user_diagram)
    only_user, only_ref = point_diff(user, ref, rtol, atol)
    if only_user.size == 0 and only_ref.size == 0:
        return
    kept = "kept as (1, 0)" if conv["essential"] == "as_zero" else "dropped"
    raise AssertionError(
        f"diagram mismatch on a {w.shape} layer (normalization={normalization!r}, "
        f"w_max={reference.w_max:.6g}, essential={conv['essential']!r}, drop_zero_length="
        f"{conv['drop_zero_length']}, zero_weights={conv['zero_weights']!r}; rtol={rtol:g}, "
        f"atol={atol:g}):\n"
        f"  yours: {len(user)} points; reference: {len(ref)} points "
        f"({reference.n_essential} essential class(es), {kept})\n"
        f"  only in yours: {describe_points(only_user)}\n"
        f"  only in the reference: {describe_points(only_ref)}"
        + likely(diagram_hints(user, w, conv, rtol, atol))
    )


def remove_non_forest(w: np.ndarray, zero_weights: str) -> np.ndarray:
    """``w`` with every edge outside the reference forest set to 0 (any maximum forest gives
    the same diagram)."""
    keep = np.zeros(w.size, dtype=bool)
    keep[maximum_spanning_forest(w, zero_weights=zero_weights).edge_index] = True
    return np.where(keep.reshape(w.shape), w, 0.0)


def output_invariant(transform: Callable, what: str, read: Callable, differ: Callable) -> Callable:
    """A check: ``fn`` gives the same output (``differ`` is None) on transformed weights."""

    def check(fn: Callable, case: dict, opts: Any) -> None:
        w = case["weights"]
        out = call(fn, w)
        for changed in transform(w, opts):
            again = call(fn, changed)
            diff = differ(read(out), read(again), *tolerance(opts.rtol, opts.atol, out, again))
            if diff is not None:
                raise AssertionError(
                    f"{what} changed your {diff} (it must not)\n"
                    f"  transformed weights: {show(changed)}"
                )

    return check


def _points_differ(before: np.ndarray, after: np.ndarray, rtol: float, atol: float) -> str | None:
    only_after, only_before = point_diff(after, before, rtol, atol)
    if only_after.size or only_before.size:
        return (
            f"diagram:\n  points only before: {describe_points(only_before)}\n"
            f"  points only after: {describe_points(only_after)}"
        )
    return None


def _check_diagram(fn: Callable, case: dict, opts: DiagramOptions) -> None:
    w = case["weights"]
    assert_same_diagram(call(fn, w), w, rtol=opts.rtol, atol=opts.atol, **opts.conv())


def _check_unit_square(fn: Callable, case: dict, opts: DiagramOptions) -> None:
    points = as_points(call(fn, case["weights"]))
    tol = 1e-6
    bad = (np.abs(points[:, 0] - 1.0) > tol) | (points[:, 1] < -tol) | (points[:, 1] > 1.0 + tol)
    if bad.any():
        raise AssertionError(
            f"point {tuple(points[bad][0].tolist())} lies outside {{1}} x [0, 1]: under "
            "per-layer normalisation every point is (1, w') with w' = |w| / max|w| in [0, 1] "
            "(deaths > 1 mean a maximum smaller than max|w|, e.g. max(w) without abs(); births "
            "!= 1 mean another filtration convention)"
        )


def _invariances(noun: str) -> dict[str, tuple]:
    """Transformation properties shared by the diagram and NP batteries: description,
    transform, what it does, whether the fixed examples run."""
    return {
        "invariant_under_non_forest_removal": (
            f"removing non-forest edges leaves {noun} unchanged",
            lambda w, o: [remove_non_forest(w, o.zero_weights)],
            "zeroing every weight outside the maximum spanning forest",
            True,
        ),
        "scale_invariance": (
            f"scaling by c > 0 leaves {noun} unchanged",
            lambda w, o: [scaled(w)],
            "scaling by a positive constant",
            False,
        ),
        "sign_invariance": (
            f"flipping signs leaves {noun} unchanged",
            lambda w, o: [signs(w), -w],
            "flipping signs",
            True,
        ),
    }


def invariance_properties(
    read: Callable, differ: Callable, noun: str, names: tuple[str, ...]
) -> list[Property]:
    """The named transformation properties of an output read by ``read``."""
    distinct, tied, examples = distinct_and_tied()
    table = _invariances(noun)
    return [
        Property(
            name,
            table[name][0],
            st.one_of(distinct, tied),
            output_invariant(table[name][1], table[name][2], read, differ),
            examples if table[name][3] else (),
        )
        for name in names
    ]


def battery(opts: DiagramOptions) -> tuple[Property, ...]:
    """The properties of kind ``"diagram"``."""
    distinct, tied, examples = distinct_and_tied()
    shared = invariance_properties(
        as_points,
        _points_differ,
        "the diagram",
        ("invariant_under_non_forest_removal", "scale_invariance", "sign_invariance"),
    )
    transpose = Property(
        "transpose_invariance",
        "the transposed layer has the same diagram",
        st.one_of(distinct, tied),
        output_invariant(lambda w, o: [w.T.copy()], "transposing", as_points, _points_differ),
    )
    return (
        Property(
            "matches_oracle",
            "same diagram as topotheory on tie-free layers",
            distinct,
            _check_diagram,
        ),
        Property(
            "matches_oracle_on_ties",
            "same diagram on tied / zero / dead-unit layers",
            tied,
            _check_diagram,
            examples,
        ),
        Property(
            "points_in_unit_square",
            "every point is (1, w') with 0 <= w' <= 1 (per-layer normalisation)",
            st.one_of(distinct, tied),
            _check_unit_square,
            examples,
        ),
        *shared,
        transpose,
    )
