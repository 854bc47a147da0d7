"""Kind ``"conv_tccr"``: ``|E| / |MSF|`` of convolution Toeplitz graphs -- oracle, battery.

On a connected channel-pair graph this is Theorem 3.2's ``prod(k) N_out / (N_in + N_out -
1)``; on a disconnected one (stride larger than the dilated kernel, dilation classes,
trailing positions) ``|MSF| = |V| - C`` is smaller and the formula is wrong. Also here:
:func:`conv_geometry_of` and :func:`conv_disconnection`, which say why a geometry is
disconnected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from hypothesis import strategies as st

from topotheory.testing.battery import Property, call, tolerance
from topotheory.testing.constraints import Boolean, OneOf, TolerantOptions, validate
from topotheory.testing.conv_geometries import conv_geometries
from topotheory.testing.hints import Hint, likely
from topotheory.testing.readers import plain
from topotheory.topology.conv import conv_toeplitz_graph
from topotheory.topology.forest import maximum_spanning_forest
from topotheory.topology.tccr import (
    ConvGeometry,
    conv_counts,
    conv_full_tccr_formula,
    conv_tccr_formula,
)

SIGNATURE = "fn(geometry: ConvGeometry) -> float exact |E| / |MSF|"
SCOPE = OneOf(("pair", "layer"))


@dataclass(frozen=True)
class ConvTccrOptions(TolerantOptions):
    """Options of kind ``"conv_tccr"``: channel ``scope``, padded nodes, tolerances."""

    scope: str = "pair"
    include_padding: bool = True

    CONSTRAINTS: ClassVar[dict[str, Any]] = {"scope": SCOPE, "include_padding": Boolean()}


def conv_geometry_of(geometry: Any) -> ConvGeometry:
    """A :class:`~topotheory.topology.tccr.ConvGeometry` from a ``conv_geometries`` dict.

    A ``ConvGeometry`` is returned unchanged.

    Examples
    --------
    >>> g = {"weight": np.ones((4, 1, 3)), "input_shape": (2, 8), "stride": (2,),
    ...      "padding": (1,), "dilation": (1,), "groups": 2}
    >>> c = conv_geometry_of(g)
    >>> c.kernel, c.in_channels, c.out_channels, c.output_spatial
    ((3,), 2, 4, (4,))
    """
    if isinstance(geometry, ConvGeometry):
        return geometry
    if not isinstance(geometry, dict) or not {"weight", "input_shape"} <= set(geometry):
        raise ValueError(
            "geometry must be a ConvGeometry or a dict with 'weight' and 'input_shape' "
            "(as drawn by conv_geometries)"
        )
    weight = np.asarray(geometry["weight"])
    shape = tuple(int(x) for x in geometry["input_shape"])
    return ConvGeometry(
        kernel=tuple(int(k) for k in weight.shape[2:]),
        input_spatial=shape[1:],
        stride=geometry.get("stride", 1),
        padding=geometry.get("padding", 0),
        dilation=geometry.get("dilation", 1),
        in_channels=shape[0],
        out_channels=int(weight.shape[0]),
        groups=int(geometry.get("groups", 1)),
    )


def _describe_geometry(g: ConvGeometry) -> str:
    return (
        f"kernel {g.kernel}, input {g.input_spatial}, stride {g.stride}, padding "
        f"{g.padding}, dilation {g.dilation}, channels {g.in_channels} -> {g.out_channels}, "
        f"groups {g.groups}"
    )


# -- why a conv graph is disconnected ---------------------------------------------------------


def conv_disconnection(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> str:
    """Why a convolution's Toeplitz graph is disconnected ("" when it is connected).

    The channel-pair graph is connected exactly when the 1-D graph of every spatial
    dimension is, so each disconnected dimension is named with its cause: a stride larger
    than the dilated kernel (positions between windows isolated), a dilation splitting the
    positions into classes no window joins, or trailing positions no window reaches. With
    ``scope="layer"`` the ``groups`` blocks are separate components too (Theorem 3.2's
    whole-layer count already allows for them).

    Parameters
    ----------
    geometry : ConvGeometry or dict
        The layer (a ``conv_geometries`` dict is converted).
    scope : {"pair", "layer"}
        One channel pair (Theorem 3.2) or the whole layer.
    include_padding : bool
        Whether padded input positions are nodes.

    Returns
    -------
    str

    Examples
    --------
    >>> conv_disconnection(ConvGeometry(kernel=(3,), input_spatial=(7,)))
    ''
    >>> print(conv_disconnection(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,))))
    the channel-pair Toeplitz graph has 4 connected components, not 1: stride 2 > dilated kernel extent 1 in spatial dim 0 (input positions between windows touch no output)
    """
    validate("scope", scope, SCOPE)
    g = conv_geometry_of(geometry)
    pair = conv_counts(g, include_padding=include_padding)
    if pair.connected:
        return ""
    causes = []
    for d in range(len(g.kernel)):
        one = ConvGeometry(
            (g.kernel[d],), (g.input_spatial[d],), (g.stride[d],), (g.padding[d],), (g.dilation[d],)
        )
        counts = conv_counts(one, include_padding=include_padding)
        if counts.connected:
            continue
        k, s, dil = g.kernel[d], g.stride[d], g.dilation[d]
        extent = dil * (k - 1) + 1
        tail = g.padded_spatial[d] - ((one.output_spatial[0] - 1) * s + extent)
        if s > extent:
            causes.append(
                f"stride {s} > dilated kernel extent {extent} in spatial dim {d} (input "
                "positions between windows touch no output)"
            )
        elif dil > 1 and k > 1:
            causes.append(
                f"dilation {dil} with stride {s} in spatial dim {d} splits the positions into "
                "classes that no window joins"
            )
        elif tail > 0:
            causes.append(
                f"the last {tail} (padded) input positions of spatial dim {d} are reached by "
                f"no window (stride {s})"
            )
        else:
            causes.append(f"spatial dim {d} alone has {counts.n_components} components")
    what = "channel-pair" if scope == "pair" else "whole-layer"
    n_comp = pair.n_components
    if scope == "layer":
        n_comp = conv_counts(g, full_layer=True, include_padding=include_padding).n_components
    expected = 1 if scope == "pair" else g.groups
    return (
        f"the {what} Toeplitz graph has {n_comp} connected components, not {expected}: "
        + "; ".join(causes)
    )


def exact_conv_tccr(geometry: Any, *, scope: str = "pair", include_padding: bool = True) -> float:
    """``|E| / |MSF|`` of the exact Toeplitz graph (one channel pair or the whole layer).

    Built with :func:`~topotheory.topology.conv.conv_toeplitz_graph` and
    :func:`~topotheory.topology.forest.maximum_spanning_forest`.

    Examples
    --------
    >>> exact_conv_tccr(ConvGeometry(kernel=(1,), input_spatial=(4,), stride=(2,)))
    1.0
    """
    validate("scope", scope, SCOPE)
    g = conv_geometry_of(geometry)
    if scope == "pair":
        weight, shape, groups = np.ones((1, 1, *g.kernel)), (1, *g.input_spatial), 1
    else:
        weight = np.ones((g.out_channels, g.in_channels // g.groups, *g.kernel))
        shape, groups = (g.in_channels, *g.input_spatial), g.groups
    graph = conv_toeplitz_graph(
        weight,
        shape,
        stride=g.stride,
        padding=g.padding,
        dilation=g.dilation,
        groups=groups,
        include_padding=include_padding,
    )
    size = maximum_spanning_forest(graph).size
    return graph.n_edges / size if size else math.inf


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
        f"conv TCCR mismatch ({_describe_geometry(g)}; scope={scope!r}, "
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
