"""Kind ``"neural_persistence"``: NP of dense layers -- options, oracle, battery.

The hints naming a wrong convention are :mod:`topotheory.testing.neural_persistence_hints`.

``NP_p = ||1 - w'||_p`` over the diagram's points, optionally divided by Rieck et al.'s
Theorem 1 bound or by ``sqrt(|V| - 1)`` (Rieck's code). The tolerance follows the dtype of
the user's value unless given (a plain Python float counts as float64).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.alternatives import NP_OPTIONS
from topotheory.testing.battery import Property, call, distinct_and_tied, tolerance
from topotheory.testing.conventions import CONVENTION_CONSTRAINTS
from topotheory.testing.describe import describe_points, plain
from topotheory.testing.diagram import USED as DIAGRAM_USED
from topotheory.testing.diagram import DiagramOptions, diagram_conventions
from topotheory.testing.hints import Hint, likely
from topotheory.testing.invariances import invariance_properties, output_invariant
from topotheory.testing.neural_persistence_hints import np_hints
from topotheory.testing.recompute import np_divisor
from topotheory.topology.diagram import persistence_diagram
from topotheory.topology.persistence import layer_magnitude_range, neural_persistence

SIGNATURE = "fn(weights) -> float"
USED = (*DIAGRAM_USED, *NP_OPTIONS)


@dataclass(frozen=True)
class NeuralPersistenceOptions(DiagramOptions):
    """Options of kind ``"neural_persistence"``: diagram conventions, ``p``, ``normalize``."""

    p: float = 2.0
    normalize: str | None = None

    CONSTRAINTS: ClassVar[dict[str, Any]] = {k: CONVENTION_CONSTRAINTS[k] for k in NP_OPTIONS}
    USED: ClassVar[tuple[str, ...]] = USED


def assert_same_neural_persistence(
    user_value: Any,
    weights: Any,
    *,
    p: float | None = None,
    normalize: str | None = None,
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
    """Assert that a user's neural persistence value is topotheory's.

    Parameters
    ----------
    user_value : float
        The user's ``NP_p`` of the layer.
    weights : array_like
        The layer ``(m_out, n_in)``.
    p, normalize
        Order of the norm (default 2) and the normalisation (``None``, ``"rieck_bound"``,
        ``"rieck_code"``), as in :func:`~topotheory.topology.persistence.neural_persistence`.
    rtol, atol : float, optional
        Tolerances (default: those of the value's dtype; float64 ``1e-9``, ``1e-12``).
    mask, zero_weights, normalization, w_max, essential, drop_zero_length, conventions
        As for :func:`~topotheory.testing.diagram.assert_same_diagram` (a preset also sets
        ``p`` and ``normalize`` when they are None).

    Raises
    ------
    AssertionError
        With both values, the reference diagram and the likely convention mismatch.

    Examples
    --------
    >>> W = np.array([[1.0, 0.5], [0.25, 1.0]])
    >>> assert_same_neural_persistence(0.5, W)
    >>> assert_same_neural_persistence(np.float32(0.5000001), W)   # float32: rtol 1e-5
    >>> try:
    ...     assert_same_neural_persistence(0.5, W, essential="as_zero")
    ... except AssertionError as err:
    ...     print("essential" in str(err))
    True
    """
    __tracebackhide__ = True
    rtol, atol = tolerance(rtol, atol, user_value)
    explicit = dict(
        zero_weights=zero_weights,
        essential=essential,
        drop_zero_length=drop_zero_length,
        p=p,
        normalize=normalize,
    )
    w, conv, more = diagram_conventions(
        weights,
        mask,
        conventions,
        explicit,
        used=USED,
        normalization=normalization,
        w_max=w_max,
        kind="neural_persistence",
    )
    p, normalize = float(more.get("p", 2.0)), more.get("normalize")
    reference = neural_persistence(w, p=p, normalize=normalize, **conv)
    try:
        value = float(np.asarray(user_value))
    except (TypeError, ValueError):
        raise AssertionError(
            f"neural persistence must be a real number, got {type(user_value).__name__}"
        ) from None
    if np.isclose(value, reference, rtol=rtol, atol=atol):
        return
    diagram = persistence_diagram(w, **conv)
    hints = np_hints(value, w, conv, p, normalize, rtol, atol, used=USED)
    if not np.isfinite(value):
        hints.append(
            Hint(
                "your value is not finite: NP is finite on every layer with a non-zero "
                "weight (a division by a zero or negative maximum?)",
                rank=0,
            )
        )
    raise AssertionError(
        f"neural persistence mismatch on a {w.shape} layer (p={p:g}, normalize={normalize!r}, "
        f"normalization={normalization!r}, essential={conv['essential']!r}, "
        f"zero_weights={conv['zero_weights']!r}; rtol={rtol:g}, atol={atol:g}):\n"
        f"  yours: {plain(value)}; reference: {plain(reference)} (difference "
        f"{value - reference:.3g})\n"
        f"  reference diagram ({len(diagram)} points, w_max={diagram.w_max:.6g}): "
        + describe_points(diagram.as_array())
        + likely(hints)
    )


def _check_np(fn: Callable, case: dict, opts: NeuralPersistenceOptions) -> None:
    w = case["weights"]
    assert_same_neural_persistence(call(fn, w), w, rtol=opts.rtol, atol=opts.atol, **opts.conv())


def _spread(w: np.ndarray, opts: NeuralPersistenceOptions) -> float:
    try:
        top, bottom = layer_magnitude_range(w, zero_weights=opts.zero_weights)
    except ValueError:
        return 0.0
    return top - bottom


def _check_rieck_bound(fn: Callable, case: dict, opts: NeuralPersistenceOptions) -> None:
    w = case["weights"]
    out = call(fn, w)
    value = float(np.asarray(out))
    conv = {"mask": None, "zero_weights": opts.zero_weights}
    bound = np_divisor(w, conv, opts.p, "rieck_bound") / np_divisor(w, conv, opts.p, opts.normalize)
    rtol, atol = tolerance(opts.rtol, opts.atol, out)
    if not -atol <= value <= bound * (1 + rtol) + atol:
        raise AssertionError(
            f"NP = {plain(value)} violates Rieck's Theorem 1, 0 <= NP <= (max w' - min w')"
            f"(|V| - 1)^(1/p) = {plain(bound)} (p={opts.p:g}, normalize={opts.normalize!r}, "
            f"|V| = {sum(w.shape)}); an essential class counted as a point, a missing "
            "normalisation or a wrong maximum breaks it"
        )


def _np_differ(before: float, after: float, rtol: float, atol: float) -> str | None:
    if np.isclose(before, after, rtol=rtol, atol=atol):
        return None
    return f"NP from {plain(before)} to {plain(after)}"


def _permuted(w: np.ndarray, opts: Any) -> list[np.ndarray]:
    rng = np.random.default_rng(w.size)
    return [w[rng.permutation(w.shape[0])][:, rng.permutation(w.shape[1])]]


def battery(opts: NeuralPersistenceOptions) -> tuple[Property, ...]:
    """The properties of kind ``"neural_persistence"``."""
    distinct, tied, examples = distinct_and_tied()
    both = st.one_of(distinct, tied)
    value = lambda out: float(np.asarray(out))  # noqa: E731
    names = ("invariant_under_non_forest_removal",) if opts.normalize != "rieck_bound" else ()
    props = [
        Property("matches_oracle", "same NP as topotheory on tie-free layers", distinct, _check_np),
        Property(
            "matches_oracle_on_ties",
            "same NP on tied / zero / dead-unit layers",
            tied,
            _check_np,
            examples,
        ),
    ]
    if opts.essential == "drop":
        props.append(
            Property(
                "rieck_bound",
                "0 <= NP <= (max w' - min w')(|V| - 1)^(1/p) "
                "(Rieck, Theorem 1; per-layer normalisation)",
                both,
                _check_rieck_bound,
                examples,
            )
        )
    props += invariance_properties(
        value, _np_differ, "NP", (*names, "scale_invariance", "sign_invariance")
    )
    props.append(
        Property(
            "permutation_invariance",
            "permuting inputs and outputs leaves NP unchanged",
            both,
            output_invariant(_permuted, "permuting rows and columns", value, _np_differ),
        )
    )
    if opts.normalize == "rieck_bound":  # defined only where max|w| > min|w|
        props = [prop.restricted(lambda c: _spread(c["weights"], opts) > 0) for prop in props]
    return tuple(props)
