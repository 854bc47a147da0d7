"""Kind ``"diagram"``: zeroth-order persistence diagrams -- options, oracle, battery.

This module holds the kind's options, oracle and battery; the hints naming a wrong
convention are :mod:`topotheory.testing.diagram_hints`, the transformation properties it
shares with neural persistence :mod:`topotheory.testing.invariances`.

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

from topotheory.testing.battery import (
    Property,
    call,
    distinct_and_tied,
    tolerance,
)
from topotheory.testing.constraints import TolerantOptions, validate
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS, apply_preset
from topotheory.testing.describe import describe_points
from topotheory.testing.diagram_hints import diagram_hints, point_diff
from topotheory.testing.hints import likely
from topotheory.testing.invariances import invariance_properties, output_invariant
from topotheory.testing.output_readers import as_points
from topotheory.topology._validation import as_mask, as_weight_matrix
from topotheory.topology.diagram import persistence_diagram, resolve_conventions

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
        + likely(diagram_hints(user, w, conv, rtol, atol, used=USED))
    )


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
