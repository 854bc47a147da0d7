"""Kind ``"conv_tccr"``: ``|E| / |MSF|`` of convolution Toeplitz graphs -- oracle, battery.

On a connected channel-pair graph this is Theorem 3.2's ``prod(k) N_out / (N_in + N_out -
1)``; on a disconnected one (stride larger than the dilated kernel, dilation classes,
trailing positions) ``|MSF| = |V| - C`` is smaller and the formula is wrong. This module
holds the kind's options, oracle and battery; the exact reference and the explanation of
a disconnection (:func:`conv_geometry_of`, :func:`conv_disconnection`,
:func:`exact_conv_tccr`, re-exported here) are :mod:`topotheory.testing.conv_tccr_reference`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, tolerance
from topotheory.testing.constraints import Boolean, TolerantOptions, validate
from topotheory.testing.conv_geometries import conv_geometries
from topotheory.testing.conv_tccr_reference import (
    SCOPE,
    conv_disconnection,
    conv_geometry_of,
    describe_geometry,
    exact_conv_tccr,
)
from topotheory.testing.describe import plain
from topotheory.testing.hints import Hint, likely
from topotheory.topology.tccr import (
    ConvGeometry,
    conv_full_tccr_formula,
    conv_tccr_formula,
)

__all__ = [
    "ConvTccrOptions",
    "assert_same_conv_tccr",
    "battery",
    "conv_disconnection",
    "conv_geometry_of",
    "exact_conv_tccr",
]

SIGNATURE = "fn(geometry: ConvGeometry) -> float exact |E| / |MSF|"


@dataclass(frozen=True)
class ConvTccrOptions(TolerantOptions):
    """Options of kind ``"conv_tccr"``: channel ``scope``, padded nodes, tolerances."""

    scope: str = "pair"
    include_padding: bool = True

    CONSTRAINTS: ClassVar[dict[str, Any]] = {"scope": SCOPE, "include_padding": Boolean()}


def _formula(g: ConvGeometry, scope: str) -> float:
    return conv_tccr_formula(g) if scope == "pair" else conv_full_tccr_formula(g)


def assert_same_conv_tccr(
    value: Any,
    geometry: Any,
    *,
    scope: str = "pair",
    include_padding: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
) -> None:
    """Assert a user's conv TCCR equals ``|E| / |MSF|`` of the exact Toeplitz graph.

    On a connected graph this is Theorem 3.2's ``prod(k) N_out / (N_in + N_out - 1)``; on a
    disconnected one (e.g. stride larger than the dilated kernel) ``|MSF| = |V| - C`` is
    smaller and the formula is wrong; the message names the disconnection.

    Parameters
    ----------
    value : float
        The user's TCCR.
    geometry : ConvGeometry or dict
        The layer (a ``conv_geometries`` dict is converted).
    scope : {"pair", "layer"}
        One input/output channel pair (Theorem 3.2, default) or the whole layer.
    include_padding : bool
        Whether padded input positions are nodes (default True, the paper's count).
    rtol, atol : float, optional
        Tolerances (default: those of the value's dtype).

    Raises
    ------
    AssertionError
        On a mismatch, with the exact counts and likely causes.

    Examples
    --------
    >>> g = ConvGeometry(kernel=(3, 3), input_spatial=(8, 8), padding=1)
    >>> assert_same_conv_tccr(conv_tccr_formula(g), g)   # connected: the formula holds
    >>> strided = ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,))
    >>> assert_same_conv_tccr(conv_tccr_formula(strided), strided)
    Traceback (most recent call last):
    ...
    AssertionError: conv TCCR mismatch ...
    """
    validate("scope", scope, SCOPE)
    __tracebackhide__ = True
    rtol, atol = tolerance(rtol, atol, value)
    g = conv_geometry_of(geometry)
    try:
        got = float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"the TCCR must be a float, got {type(value).__name__}") from None
    exact = exact_conv_tccr(g, scope=scope, include_padding=include_padding)
    if math.isclose(got, exact, rel_tol=rtol, abs_tol=atol):
        return
    close = lambda x: math.isclose(got, x, rel_tol=rtol, abs_tol=atol)  # noqa: E731
    other_scope = "layer" if scope == "pair" else "pair"
    why = conv_disconnection(g, scope=scope, include_padding=include_padding)
    formula = _formula(g, scope)
    hints = []
    if why and (close(formula) or close(_formula(g, other_scope))):
        hints.append(
            Hint(
                "you applied Theorem 3.2's formula prod(k) N_out / (N_in + N_out - 1), which "
                "assumes a connected graph (|MSF| = |V| - 1); this geometry is disconnected: "
                + why,
                f"your value is the formula's, {plain(formula)}",
                1,
            )
        )
    if close(exact_conv_tccr(g, scope=scope, include_padding=not include_padding)):
        hints.append(
            Hint(
                f"you counted with include_padding={not include_padding}; the convention here is "
                f"include_padding={include_padding} (padded input positions are nodes and their "
                "Toeplitz entries edges in the paper's count)",
                f"the exact value with include_padding={not include_padding} is yours",
                1,
            )
        )
    elif close(exact_conv_tccr(g, scope=other_scope, include_padding=include_padding)) or (
        close(_formula(g, other_scope)) and not close(formula)
    ):
        hints.append(
            Hint(
                "you counted the whole layer (every channel pair, groups); the convention here "
                "is scope='pair' (one input/output channel pair, as in Theorem 3.2)"
                if scope == "pair"
                else "you counted one channel pair; the convention here is scope='layer' (every "
                f"channel pair: {g.in_channels} -> {g.out_channels} channels, groups={g.groups})",
                f"the value with scope={other_scope!r} is yours",
                2,
            )
        )
    raise AssertionError(
        f"conv TCCR mismatch ({describe_geometry(g)}; scope={scope!r}, "
        f"include_padding={include_padding}):\n"
        f"  yours: {plain(got)}; exact |E|/|MSF|: {plain(exact)}\n"
        f"  Theorem 3.2 formula: {plain(formula)} ("
        + (why if why else "the graph is connected, so formula and exact value agree")
        + ")"
        + likely(hints)
    )


#: Small geometries (at most six Toeplitz edges per channel pair): connected ones and each
#: cause of disconnection.
_TCCR_EXAMPLES = (
    ConvGeometry((2,), (2,)),  # connected
    ConvGeometry((2,), (1,), padding=1),  # connected through padded positions
    ConvGeometry((2,), (2,), in_channels=1, out_channels=2),  # the layer differs from a pair
    ConvGeometry((1,), (4,), stride=2),  # stride > kernel
    ConvGeometry((1, 1), (2, 2), stride=2),  # 2-D, stride > kernel
    ConvGeometry((2,), (3,), dilation=2),  # dilation classes
    ConvGeometry((3,), (6,), stride=2),  # last position never reached
    ConvGeometry((2,), (3,), stride=2, in_channels=1, out_channels=2),  # tail; layer != pair
)


def _tccr_cases(connected: bool | None) -> st.SearchStrategy:
    return conv_geometries(
        dims=(1, 2, 3), max_channels=2, max_size=6, kernel_kinds=("constant",), connected=connected
    ).map(lambda g: {"geometry": conv_geometry_of(g)})


def _check_tccr(fn: Callable, case: dict, opts: ConvTccrOptions) -> None:
    assert_same_conv_tccr(
        call(fn, case["geometry"]),
        case["geometry"],
        scope=opts.scope,
        include_padding=opts.include_padding,
        rtol=opts.rtol,
        atol=opts.atol,
    )


def _check_tccr_formula(fn: Callable, case: dict, opts: ConvTccrOptions) -> None:
    g = case["geometry"]
    out = call(fn, g)
    value = float(np.asarray(out))
    formula = _formula(g, opts.scope)
    if not np.isclose(
        value,
        formula,
        rtol=tolerance(opts.rtol, opts.atol, out)[0],
        atol=tolerance(opts.rtol, opts.atol, out)[1],
    ):
        raise AssertionError(
            f"on this connected geometry (kernel {g.kernel}, input {g.input_spatial}, stride "
            f"{g.stride}, padding {g.padding}, dilation {g.dilation}; scope={opts.scope!r}) "
            f"Theorem 3.2 gives {plain(formula)}, yours is {plain(value)}"
        )


def battery(opts: ConvTccrOptions) -> tuple[Property, ...]:
    examples = tuple({"geometry": g} for g in _TCCR_EXAMPLES)
    disconnected = tuple(e for e in examples if conv_disconnection(e["geometry"], scope=opts.scope))
    props = [
        Property(
            "matches_exact",
            "equals |E| / |MSF| of the exact Toeplitz graph",
            _tccr_cases(None),
            _check_tccr,
            examples,
        )
    ]
    if opts.include_padding:
        props.append(
            Property(
                "matches_formula_when_connected",
                "equals Theorem 3.2's formula on connected geometries",
                _tccr_cases(True),
                _check_tccr_formula,
                tuple(e for e in examples if e not in disconnected),
            )
        )
    props.append(
        Property(
            "exact_on_disconnected",
            "equals |E| / |MSF| (not the formula) on disconnected geometries",
            _tccr_cases(False),
            _check_tccr,
            disconnected,
        )
    )
    return tuple(props)
